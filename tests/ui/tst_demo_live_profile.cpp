// The application as it starts (gui wiring, JobQueue, real engine) with a resources folder of
// its own: a stand-in "drumsep-compact" (the tiny MDX23C of the shared parity vectors) and a
// demo-loop.flac. The demo is offered only when loop and model are both there; it is ready to
// separate at start-up and separates in one click; while that real job runs the profiling
// panel's model receives stage events and memory samples (live, not after the fact); the
// finished stems open in the preview. Saves demo-offer.png and profiling-panel-real-job.png to
// STEMDECK_SCREENSHOT_DIR.
#include "app_controller.h"
#include "common/test_support.h"
#include "gui_wiring.h"
#include "profile_model.h"
#include "stem_preview.h"

#include "audio/decode.h"
#include "audio/export.h"

#include <QDir>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace stemdeck;

namespace {

const QString kModel = QString::fromLatin1(gui::kDemoModelName);

// A resources folder: models/drumsep-compact/ (stand-in weights) and/or demo/demo-loop.flac
// (the parity mix repeated to `seconds`, so the job runs several batches).
void makeResources(const QString& root, bool withModel, bool withLoop, double seconds = 4.0) {
    const QString tiny =
        QString::fromStdU16String((test::mdx23cVectorsDir() / "drumsep5_tiny").u16string());
    QVERIFY2(QFileInfo::exists(tiny + QStringLiteral("/model.ckpt")), qPrintable(tiny));
    if (withModel) {
        const QString m = root + QStringLiteral("/models/") + kModel;
        QVERIFY(QDir().mkpath(m));
        QVERIFY(
            QFile::copy(tiny + QStringLiteral("/config.yaml"), m + QStringLiteral("/config.yaml")));
        QVERIFY(
            QFile::copy(tiny + QStringLiteral("/model.ckpt"), m + QStringLiteral("/model.ckpt")));
    }
    QVERIFY(QDir().mkpath(root + QStringLiteral("/demo")));
    if (withLoop) {
        const auto mix = audio::decodeFile(test::toPath(tiny + QStringLiteral("/mix.wav"))).audio;
        audio::AudioBuffer loop;
        loop.sampleRate = mix.sampleRate;
        loop.channels = mix.channels;
        loop.frames = int64_t(seconds * mix.sampleRate);
        loop.samples.resize(size_t(loop.frames) * loop.channels);
        for (int c = 0; c < loop.channels; ++c)
            for (int64_t i = 0; i < loop.frames; ++i)
                loop.samples[size_t(c * loop.frames + i)] =
                    mix.samples[size_t(c * mix.frames + i % mix.frames)];
        audio::ExportOptions o;
        o.format = audio::OutputFormat::Flac16;
        audio::exportAudio(
            loop, test::toPath(root + QStringLiteral("/") + QString::fromLatin1(gui::kDemoLoop)),
            o);
    }
}

struct App {
    QTemporaryDir dir;
    std::unique_ptr<gui::Gui> gui;

    void start(const QString& resources, bool stageDemo = true) {
        gui::GuiOptions o;
        o.settings = std::make_unique<QSettings>(dir.filePath(QStringLiteral("s.ini")),
                                                 QSettings::IniFormat);
        o.modelsDir = dir.filePath(QStringLiteral("models"));
        o.stagingDir = dir.filePath(QStringLiteral("staging"));
        o.resourcesDir = resources;
        o.stageDemo = stageDemo;
        gui = std::make_unique<gui::Gui>(std::move(o));
        QVERIFY(gui->load());
    }
    ui::AppController* c() const { return gui->controller(); }
    QString state(int row = 0) const {
        c()->jobs()->flush();
        return c()->jobs()->data(c()->jobs()->index(row), ui::JobListModel::StateRole).toString();
    }
};

template <typename T = QQuickItem> T* child(QQuickWindow* w, const char* name) {
    return w->findChild<T*>(QString::fromLatin1(name));
}

} // namespace

class TestDemoLiveProfile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QQuickStyle::setStyle(QStringLiteral("Fusion"));
        qputenv("STEMDECK_NO_REVEAL", "1");
    }

    // The demo is offered only when both the loop and the model it was made for are installed.
    void offeredOnlyWithLoopAndModel_data() {
        QTest::addColumn<bool>("withModel");
        QTest::addColumn<bool>("withLoop");
        QTest::newRow("both") << true << true;
        QTest::newRow("no model") << false << true;
        QTest::newRow("no loop") << true << false;
    }
    void offeredOnlyWithLoopAndModel() {
        QFETCH(bool, withModel);
        QFETCH(bool, withLoop);
        App app;
        const QString res = app.dir.filePath(QStringLiteral("resources"));
        makeResources(res, withModel, withLoop, 1.0);
        app.start(res);
        const bool offered = withModel && withLoop;
        QCOMPARE(!app.c()->demoFile().isEmpty(), offered);
        app.c()->jobs()->flush();
        QCOMPARE(app.c()->jobs()->readyCount(), offered ? 1 : 0);
        if (offered) {
            QCOMPARE(app.c()->demoFile(), QDir(res).filePath(QString::fromLatin1(gui::kDemoLoop)));
            QCOMPARE(app.c()->models()->currentName(), kModel);
            QVERIFY(app.c()->canStart());
            // Staging again (the empty-queue button after a restart) adds no second copy.
            QVERIFY(app.c()->stageDemo());
            app.c()->jobs()->flush();
            QCOMPARE(app.c()->jobs()->rowCount(), 1);
        } else {
            QVERIFY(!app.c()->stageDemo());
        }
        // The empty-queue button shows with the demo only (the queue is emptied first).
        auto* window = app.gui->window();
        QVERIFY(window);
        if (offered) {
            app.c()->jobs()->remove(0);
            app.c()->jobs()->flush();
            QCOMPARE(app.c()->jobs()->rowCount(), 0);
        }
        auto* button = child(window, "demoButton");
        QVERIFY(button);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QTRY_COMPARE(button->isVisible(), offered);
    }

    // One click on the empty queue's button separates the demo with the real engine; the
    // profiling panel's model fills while the job runs; the stems open in the preview.
    void oneClickSeparationWithLiveProfile() {
        App app;
        const QString res = app.dir.filePath(QStringLiteral("resources"));
        makeResources(res, true, true);
        app.start(res, /*stageDemo=*/false);
        ui::AppController* c = app.c();
        QCOMPARE(c->demoFile().isEmpty(), false);
        const QString out = app.dir.filePath(QStringLiteral("stems"));
        c->settings()->setDevice(QStringLiteral("cpu"));
        c->settings()->setNextToSource(false);
        c->settings()->setDestination(out);
        c->settings()->setOutputFormat(QStringLiteral("wav16"));
        c->settings()->setExportWhenDone(true);
        c->settings()->setBatchAuto(true); // the planner: its budget is the memory chart's line

        profiling::ProfileModel* profile = c->profile();
        profile->setFlushIntervalMs(10);
        // At each flush of the panel's model: how much it holds, and whether the job was still
        // running (the job list is flushed too, so both reflect the same point of the stream).
        int liveStageEvents = 0, liveMemorySamples = 0, liveFlushes = 0;
        double liveProgress = 1.0;
        connect(profile, &profiling::ProfileModel::summaryChanged, this, [&] {
            if (app.state() != QLatin1String("running"))
                return;
            ++liveFlushes;
            int stages = 0, memory = 0;
            for (const auto& e : profile->events()) {
                stages += e.kind == ProfileEvent::Kind::StageEnd;
                memory += e.kind == ProfileEvent::Kind::MemorySample;
            }
            if (stages > 0 && memory > 0 && liveMemorySamples == 0)
                liveProgress =
                    c->jobs()->data(c->jobs()->index(0), ui::JobListModel::ProgressRole).toDouble();
            liveStageEvents = std::max(liveStageEvents, stages);
            liveMemorySamples = std::max(liveMemorySamples, memory);
        });

        QQuickWindow* window = app.gui->window();
        window->resize(1280, 1100); // room for the whole profiling panel in the screenshot
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window));
        auto* bottomTabs = child<QObject>(window, "bottomTabs");
        QVERIFY(bottomTabs);
        bottomTabs->setProperty("currentIndex", 1); // watch the profile while it runs

        auto* button = child(window, "demoButton");
        QVERIFY(button);
        QTRY_VERIFY(button->isVisible());
        const QString shots = qEnvironmentVariable("STEMDECK_SCREENSHOT_DIR");
        if (!shots.isEmpty())
            QVERIFY(
                window->grabWindow().save(QDir(shots).filePath(QStringLiteral("demo-offer.png"))));
        QTest::mouseClick(
            window, Qt::LeftButton, Qt::NoModifier,
            button->mapToScene(QPointF(button->width() / 2, button->height() / 2)).toPoint());
        QTRY_COMPARE(c->jobs()->rowCount(), 1);
        QCOMPARE(c->jobs()->readyCount(), 0); // queued, not waiting for Start
        QCOMPARE(c->jobs()->data(c->jobs()->index(0), ui::JobListModel::ModelRole).toString(),
                 kModel);
        QTRY_VERIFY_WITH_TIMEOUT(
            app.state() == QLatin1String("done") || app.state() == QLatin1String("failed"), 300000);
        QVERIFY2(app.state() == QLatin1String("done"), qPrintable(c->errors()->reportText()));

        QVERIFY2(liveFlushes > 0, "the panel never refreshed while the job ran");
        QVERIFY2(liveStageEvents > 0, "no stage event reached the panel while the job ran");
        QVERIFY2(liveMemorySamples > 0, "no memory sample reached the panel while the job ran");
        QVERIFY2(liveProgress < 1.0,
                 "stage events and memory samples came only when the job had ended");
        // After the job: the whole story is there (per-stage times, batches, memory, throughput).
        profile->flush();
        QVERIFY(profile->stageCount() >= 4);
        QVERIFY(profile->batchCount() > 1);
        QVERIFY(profile->peakProcessBytes() > 0);
        QVERIFY(profile->realTimeFactor() > 0);
        QCOMPARE(profile->device(), QStringLiteral("cpu"));
        QVERIFY(profile->budgetBytes() > 0);
        // The panel draws it: one bar per stage that ran, stage names in words.
        auto* bars = child<QQuickItem>(window, "stageBars");
        QVERIFY(bars);
        QTRY_COMPARE(bars->property("count").toInt(), profile->stageCount());

        // The stems were exported and opened in the preview, the original mix for A/B with them.
        const QStringList stems = c->models()->currentStems();
        QCOMPARE(stems.size(), 5);
        auto* previewPanel = child<QQuickItem>(window, "stemPreview");
        QVERIFY(previewPanel);
        auto* preview = previewPanel->property("preview").value<preview::StemPreview*>();
        QVERIFY(preview);
        QTRY_COMPARE_WITH_TIMEOUT(preview->status(), preview::StemPreview::Status::Ready, 30000);
        QCOMPARE(preview->rowCount(), int(stems.size()));
        QVERIFY(preview->hasOriginal());
        for (const auto& stem : stems)
            QVERIFY2(QFile::exists(QDir(out).filePath(QStringLiteral("demo-loop/") + stem +
                                                      QStringLiteral(".wav"))),
                     qPrintable(stem));

        QTest::qWait(100);
        const QImage image = window->grabWindow();
        QVERIFY(!image.isNull());
        if (!shots.isEmpty())
            QVERIFY(
                image.save(QDir(shots).filePath(QStringLiteral("profiling-panel-real-job.png"))));
    }
};

QTEST_MAIN(TestDemoLiveProfile)
#include "tst_demo_live_profile.moc"
