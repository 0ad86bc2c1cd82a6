// End to end: the real application window (gui wiring, JobQueue, engine, bundled model) started
// offscreen; a file is dropped on it, Ctrl+Return starts it, the job finishes, the exported stems
// are decoded and checked, and a screenshot of the finished window is saved.
#include "app_controller.h"
#include "gui_wiring.h"
#include "common/test_support.h"

#include "audio/decode.h"
#include "audio/export.h"
#include "common/resource_paths.h"

#include <QAbstractItemModel>
#include <QDir>
#include <QMimeData>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace stemdeck;

class TestEndToEnd : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void dropSeparateExport() {
        QQuickStyle::setStyle(QStringLiteral("Fusion"));
        QTemporaryDir dir;
        // The bundled model when this tree has one; otherwise the tiny MDX23C of the shared
        // parity vectors, installed as a resources folder of its own (fast on a CPU).
        if (findResourceDir("models").empty()) {
            const QString tiny = QString::fromStdU16String((test::mdx23cVectorsDir() / "drumsep5_tiny").u16string());
            QVERIFY2(QFileInfo::exists(tiny + QStringLiteral("/model.ckpt")), qPrintable(tiny));
            const QString res = dir.filePath(QStringLiteral("resources"));
            QVERIFY(QDir().mkpath(res + QStringLiteral("/models/Tiny drums")));
            QVERIFY(QDir().mkpath(res + QStringLiteral("/demo")));
            QVERIFY(QFile::copy(tiny + QStringLiteral("/config.yaml"), res + QStringLiteral("/models/Tiny drums/config.yaml")));
            QVERIFY(QFile::copy(tiny + QStringLiteral("/model.ckpt"), res + QStringLiteral("/models/Tiny drums/model.ckpt")));
            QVERIFY(QFile::copy(tiny + QStringLiteral("/mix.wav"), res + QStringLiteral("/demo/loop.wav")));
            qputenv("STEMDECK_RESOURCES_DIR", res.toLocal8Bit());
        }
        // The first 4 s of the demo loop when it is bundled (drums, so the screenshot shows a
        // real separation; short, so the test stays quick), else a generated stereo tone mix;
        // both written as a WAV whose name has spaces and non-ASCII letters.
        const QString input = dir.filePath(QStringLiteral("in/Démo loop 1.wav"));
        QDir().mkpath(QFileInfo(input).absolutePath());
        const QDir demo(gui::resourcesDir() + QStringLiteral("/demo"));
        const auto loops = demo.entryInfoList({"*.wav", "*.flac"}, QDir::Files, QDir::Name);
        int64_t inputFrames = 0;
        int inputRate = 0;
        if (!loops.isEmpty()) {
            audio::AudioBuffer b = audio::decodeFile(test::toPath(loops.first().absoluteFilePath())).audio;
            const int64_t frames = std::min<int64_t>(b.frames, int64_t(b.sampleRate) * 4);
            audio::AudioBuffer head;
            head.sampleRate = b.sampleRate;
            head.channels = b.channels;
            head.frames = frames;
            head.samples.resize(size_t(frames) * b.channels);
            for (int c = 0; c < b.channels; ++c) // planar: channel c starts at c * frames
                std::copy_n(b.samples.begin() + c * b.frames, frames, head.samples.begin() + c * frames);
            audio::ExportOptions o;
            o.format = audio::OutputFormat::Wav16;
            audio::exportAudio(head, test::toPath(input), o);
        } else {
            audio::AudioBuffer b;
            b.sampleRate = 44100;
            b.channels = 2;
            b.frames = 44100 * 3;
            b.samples = test::tones(2, b.frames, b.sampleRate, 0.3f);
            audio::ExportOptions o;
            o.format = audio::OutputFormat::Wav16;
            audio::exportAudio(b, test::toPath(input), o);
        }
        {
            const auto d = audio::decodeFile(test::toPath(input));
            inputFrames = d.audio.frames;
            inputRate = d.audio.sampleRate;
        }

        gui::GuiOptions options;
        options.settings = std::make_unique<QSettings>(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        options.modelsDir = dir.filePath(QStringLiteral("models"));
        options.stagingDir = dir.filePath(QStringLiteral("staging"));
        options.stageDemo = false;
        gui::Gui app(std::move(options));
        QVERIFY(app.load());
        ui::AppController* c = app.controller();
        QVERIFY2(c->models()->currentIndex() >= 0, "no bundled model under resources/models");
        const QStringList stems = c->models()->currentStems();
        QVERIFY(!stems.isEmpty());
        const QString out = dir.filePath(QStringLiteral("out stems"));
        c->settings()->setDevice(QStringLiteral("cpu"));
        c->settings()->setNextToSource(false);
        c->settings()->setDestination(out);
        c->settings()->setOutputFormat(QStringLiteral("wav16"));
        c->settings()->setNamingTemplate(QStringLiteral("{track}/{stem}.{ext}"));
        c->settings()->setExportWhenDone(true);

        QQuickWindow* window = app.window();
        QVERIFY(window);
        window->resize(1280, 760);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));

        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(input)});
        const QPoint pos(window->width() / 2, window->height() / 2);
        QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window, &enter);
        QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window, &drop);
        QTRY_COMPARE(c->jobs()->readyCount(), 1);

        QTest::keyClick(window, Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE(c->jobs()->readyCount(), 0);
        const auto state = [c] {
            c->jobs()->flush();
            return c->jobs()->rowCount() == 1
                       ? c->jobs()->data(c->jobs()->index(0), ui::JobListModel::StateRole).toString()
                       : QString();
        };
        QTRY_VERIFY_WITH_TIMEOUT(state() == QLatin1String("done") || state() == QLatin1String("failed"), 500000);
        QVERIFY2(state() == QLatin1String("done"), qPrintable(c->errors()->reportText()));

        const QString folder = c->jobs()->data(c->jobs()->index(0), ui::JobListModel::OutputFolderRole).toString();
        QCOMPARE(QDir(folder).absolutePath(), QDir(out).filePath(QStringLiteral("Démo loop 1")));
        for (const auto& stem : stems) {
            const QString file = QDir(folder).filePath(stem + QStringLiteral(".wav"));
            QVERIFY2(QFile::exists(file), qPrintable(file));
            const auto d = audio::decodeFile(test::toPath(file));
            QCOMPARE(d.audio.sampleRate, inputRate);
            QCOMPARE(d.audio.frames, inputFrames);
        }
        // The finished job opens in the stem preview: one waveform row per stem.
        auto* panel = window->findChild<QObject*>(QStringLiteral("stemPreview"));
        QVERIFY(panel);
        auto* preview = panel->property("preview").value<QAbstractItemModel*>();
        QVERIFY(preview);
        QTRY_COMPARE_WITH_TIMEOUT(preview->property("status").toInt(), 2 /* Ready */, 30000);
        QCOMPARE(preview->rowCount(), int(stems.size()));

        const QString shots = qEnvironmentVariable("STEMDECK_SCREENSHOT_DIR");
        QTest::qWait(100);
        const QImage image = window->grabWindow();
        QVERIFY(!image.isNull());
        if (!shots.isEmpty())
            QVERIFY(image.save(QDir(shots).filePath(QStringLiteral("end-to-end-done.png"))));
    }
};

QTEST_MAIN(TestEndToEnd)
#include "tst_end_to_end.moc"
