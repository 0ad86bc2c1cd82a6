#include "gui_wiring.h"

#include "app_controller.h"
#include "job_queue_backend.h"
#include "model_catalogue.h"

#include "common/resource_paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QSettings>
#include <QStandardPaths>
#include <QtQml/qqmlextensionplugin.h>

#include <atomic>
#include <memory>

#if defined(STEMDECK_GUI_HAVE_DEVICE)
#include "device/backend.h"
#include "device/device_info.h"
#include "device/error_translator.h"
#endif
#if defined(STEMDECK_GUI_HAVE_ENGINE) && __has_include("engine/pipeline.h")
#include "engine/pipeline.h"
#define STEMDECK_GUI_RUN_JOB 1
#endif
#if defined(STEMDECK_GUI_HAVE_ENGINE) && __has_include("engine/model_info.h")
#include "engine/model_info.h"
#define STEMDECK_GUI_DESCRIBE_MODEL 1
#endif

Q_IMPORT_QML_PLUGIN(StemDeck_UiPlugin)
Q_IMPORT_QML_PLUGIN(StemDeck_PreviewPlugin)
Q_IMPORT_QML_PLUGIN(StemDeck_ProfilingPlugin)

namespace stemdeck::gui {

namespace {

QString fromStd(const std::string& s) { return QString::fromStdString(s); }
std::filesystem::path fsPath(const QString& p) { return std::filesystem::path(p.toStdU16String()); }

// The model core reads the config and checks the checkpoint against the network it describes;
// its messages (file, key, line; which weights do not fit) are what the user sees.
ui::ModelCheck validateModel(const QString& config, const QString& checkpoint) {
    ui::ModelCheck basic = ui::ModelCatalogue::basicCheck(config, checkpoint);
#if defined(STEMDECK_GUI_DESCRIBE_MODEL)
    if (!basic.error.isEmpty())
        return basic;
    try {
        const engine::ModelDescription m = engine::describeModelFiles(fsPath(config), fsPath(checkpoint));
        ui::ModelCheck out;
        if (!m.weightsMatch) {
            out.error = QFileInfo(checkpoint).fileName() + QStringLiteral(": ") + fromStd(m.weightReport);
            return out;
        }
        for (const auto& s : m.stems)
            out.stems << fromStd(s);
        out.summary = ui::ModelCatalogue::summaryText(int(m.stems.size()), m.sampleRate, m.parameterCount);
        return out;
    } catch (const std::exception& e) {
        basic.error = fromStd(e.what());
    }
#endif
    return basic;
}

#if defined(STEMDECK_GUI_HAVE_DEVICE)
QVariantList deviceList(const device::DeviceInfo& info) {
    QVariantList out;
    out << QVariantMap{{"id", "cpu"},
                       {"name", info.cpu.modelName.empty() ? QStringLiteral("CPU")
                                                            : QStringLiteral("CPU · %1").arg(fromStd(info.cpu.modelName))},
                       {"memory", qint64(info.cpu.totalRam)}};
    for (const auto& g : info.cuda)
        out << QVariantMap{{"id", QStringLiteral("cuda:%1").arg(g.index)},
                           {"name", QStringLiteral("CUDA %1 · %2").arg(g.index).arg(fromStd(g.name))},
                           {"memory", qint64(g.totalMemory)}};
    if (info.mps.available)
        out << QVariantMap{{"id", "mps"}, {"name", QStringLiteral("Apple GPU (MPS)")},
                           {"memory", qint64(info.mps.recommendedMaxMemory)}};
    return out;
}
#endif

} // namespace

QString resourcesDir() {
    // The same answer the engine's model search and the CLI get (core/common/resource_paths).
    return QString::fromStdU16String(findResourceDir().u16string());
}

struct Gui::Impl {
    std::unique_ptr<ui::AppController> controller;
    std::unique_ptr<jobs::JobQueue> queue;
    std::unique_ptr<ui::JobQueueBackend> backend;
    std::unique_ptr<QQmlApplicationEngine> engine;
    QStringList paths;
    bool stageDemo = true;
};

namespace {
// The resources folder holding `subdir`: the injected one (tests) or the engine's answer.
QString resourceDirWith(const QString& injected, const char* subdir) {
    if (!injected.isEmpty())
        return QDir(injected).exists(QString::fromLatin1(subdir)) ? QDir(injected).absolutePath() : QString();
    return QString::fromStdU16String(findResourceDir(subdir).u16string());
}
} // namespace

Gui::Gui(GuiOptions o) : d(std::make_unique<Impl>()) {
    const QString data = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QString models = o.modelsDir.isEmpty() ? data + QStringLiteral("/models") : o.modelsDir;
    const QString staging = o.stagingDir.isEmpty()
        ? QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/staging")
        : o.stagingDir;
    auto settings = o.settings ? std::move(o.settings) : std::make_unique<QSettings>();
    d->controller = std::make_unique<ui::AppController>(std::move(settings), models);
    d->paths = o.paths;
    d->stageDemo = o.stageDemo;
    auto* c = d->controller.get();

    c->models()->setValidator(&validateModel);
    const QString bundledRoot = resourceDirWith(o.resourcesDir, "models");
    if (!bundledRoot.isEmpty())
        c->models()->addBundledDir(bundledRoot + QStringLiteral("/models"));
    const QString demo = resourceDirWith(o.resourcesDir, "demo");
    if (!demo.isEmpty())
        c->setCreditsFile(demo + QStringLiteral("/demo/README.md"));
    c->models()->loadCatalogue(QStringLiteral(":/qt/qml/StemDeck/Ui/resources/catalogue.json"));
    // The demo loop is offered when it and the bundled model it was made for are both there.
    if (!demo.isEmpty())
        c->setDemo(QDir(demo).filePath(QString::fromLatin1(kDemoLoop)), QString::fromLatin1(kDemoModelName));

#if defined(STEMDECK_GUI_HAVE_DEVICE)
    c->setLibtorchVersion(fromStd(device::torchVersionString()));
    // One probe at start-up (cached for the process); the engine uses the same cache.
    const device::DeviceInfo info = device::DeviceInfoCache::global().info();
    c->settings()->setDevices(deviceList(info));
    c->setDeviceSummary([] { return fromStd(device::describe(device::DeviceInfoCache::global().info())); });
    // The profiling panel: the probed devices, and plain explanations of engine warnings.
    c->profile()->setDeviceInfo(fromStd(device::describe(info)));
    c->profile()->setExplainer([](ProfileEvent::Kind kind, const QString& message) -> profiling::Explanation {
        if (kind == ProfileEvent::Kind::Warning || kind == ProfileEvent::Kind::Fallback) {
            if (const auto t = device::ErrorTranslator::explainWarning(message.toStdString()))
                return {fromStd(t->title), fromStd(t->explanation)};
        }
        switch (kind) { // ProfileModel's own words for what ErrorTranslator does not know
        case ProfileEvent::Kind::Fallback:
            return {QObject::tr("Work moved to another device"),
                    QObject::tr("The job goes on there; results are the same, only slower.")};
        case ProfileEvent::Kind::BatchSizeChange: return {QObject::tr("Batch size changed"), message};
        case ProfileEvent::Kind::Warning: return {QObject::tr("Backend warning"), message};
        default: return {{}, message};
        }
    });
#endif

#if defined(STEMDECK_GUI_RUN_JOB)
    d->queue = std::make_unique<jobs::JobQueue>(&engine::runJob);
    d->backend = std::make_unique<ui::JobQueueBackend>(d->queue.get(), staging);
    // The profiling panel follows one job at a time: the first that starts running, kept on
    // show after it ends until the next one starts (jobs may overlap; their events are not mixed).
    {
        auto followed = std::make_shared<std::atomic<quint64>>(0);
        auto followedRunning = std::make_shared<std::atomic<bool>>(false);
        auto* profile = c->profile();
        QObject::connect(d->queue.get(), &jobs::JobQueue::profileEvent, profile,
                         [profile, followed](quint64 id, const ProfileEvent& e) {
                             if (id == followed->load()) profile->append(e);
                         }, Qt::DirectConnection);
        QObject::connect(d->queue.get(), &jobs::JobQueue::jobStateChanged, profile,
                         [profile, followed, followedRunning](quint64 id, jobs::JobState state) {
                             if (state == jobs::JobState::Running && !followedRunning->load()) {
                                 profile->clear();
                                 followed->store(id);
                                 followedRunning->store(true);
                             } else if (id == followed->load() && jobs::isFinal(state)) {
                                 followedRunning->store(false);
                             }
                         });
    }
#if defined(STEMDECK_GUI_HAVE_DEVICE)
    d->backend->setFailureTranslator([](const jobs::JobInfo& job) {
        ui::JobFailure f = ui::JobQueueBackend::translateByCode(job);
        // Device and memory failures carry the backend's words: ErrorTranslator knows them.
        if (job.errorCode != ErrorCode::OutOfMemory && job.errorCode != ErrorCode::BackendFailure
            && job.errorCode != ErrorCode::DeviceUnavailable && job.errorCode != ErrorCode::NumericalFailure)
            return f;
        const auto t = device::ErrorTranslator::translate(
            (job.errorDetail.isEmpty() ? job.errorMessage : job.errorDetail).toStdString());
        if (!t.isKnown)
            return f;
        f.id = fromStd(t.id);
        f.title = fromStd(t.title);
        f.explanation = fromStd(t.explanation);
        f.actions.clear();
        for (const auto& a : t.actions) {
            if (a.kind == device::ActionKind::RetryOnCpu) f.actions << QStringLiteral("retry-cpu");
            if (a.kind == device::ActionKind::LowerBatch) f.actions << QStringLiteral("smaller-batch");
        }
        f.actions << QStringLiteral("retry");
        return f;
    });
#endif
    c->setBackend(d->backend.get());
#else
    Q_UNUSED(staging); // no engine in this build: Start explains that separation is unavailable
#endif
}

Gui::~Gui() {
    // The window goes first (it uses the controller), the queue last but one (it waits for
    // running jobs), the controller last.
    d->engine.reset();
    d->backend.reset();
    d->queue.reset();
}

bool Gui::load() {
    d->engine = std::make_unique<QQmlApplicationEngine>();
    d->engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
    d->controller->setQmlEngine(d->engine.get());
    d->engine->setInitialProperties({{"controller", QVariant::fromValue(d->controller.get())}});
    d->engine->load(QUrl(QStringLiteral("qrc:/qt/qml/StemDeck/Ui/qml/Main.qml")));
    if (d->engine->rootObjects().isEmpty())
        return false;
    if (!d->paths.isEmpty()) {
        d->controller->addPaths(d->paths);
    } else if (d->stageDemo) {
        d->controller->stageDemo(/*chooseModel=*/false); // ready to separate with one click (Start)
    }
    return true;
}

QQuickWindow* Gui::window() const {
    return d->engine && !d->engine->rootObjects().isEmpty()
               ? qobject_cast<QQuickWindow*>(d->engine->rootObjects().first()) : nullptr;
}

ui::AppController* Gui::controller() const { return d->controller.get(); }
QQmlApplicationEngine* Gui::engine() const { return d->engine.get(); }

} // namespace stemdeck::gui
