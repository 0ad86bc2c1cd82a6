// StemDeck's desktop application: a QApplication (QtCharts in the profiling panel will need
// widgets), the QML window, and the files given on the command line or by "Open with".
#include "gui_wiring.h"

#include "common/heap.h"
#include "engine/pipeline.h"

#include <csignal>

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QQuickStyle>

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    stemdeck::tuneHeapForLargeBuffers(); // common/heap.h: a separation's large buffers stay on the heap
#ifdef SIGXFSZ
    std::signal(SIGXFSZ, SIG_IGN); // a file-size limit is an export error, as in stemdeck-cli's main
#endif
    QApplication::setOrganizationName(QStringLiteral("StemDeck"));
    QApplication::setApplicationName(QStringLiteral("StemDeck"));
    QApplication::setApplicationVersion(QStringLiteral(STEMDECK_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/stemdeck/icons/stemdeck.svg")));
    QQuickStyle::setStyle(QStringLiteral("Fusion"));
    // The cached models go when main returns, while CUDA is still up (see stemdeck-cli's main).
    const stemdeck::engine::ModelCacheRelease releaseModelsAtExit;

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Separate music into stems with MDX23C models."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("paths"), QStringLiteral("Audio files or folders to queue."),
                                 QStringLiteral("[paths...]"));
    parser.process(app);

    stemdeck::gui::GuiOptions options;
    options.paths = parser.positionalArguments();
    stemdeck::gui::Gui gui(std::move(options));
    if (!gui.load())
        return 1;
    return QApplication::exec();
}
