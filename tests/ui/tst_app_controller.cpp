// AppController: drop -> Ready rows -> Start queues requests carrying the settings; unsupported
// files are listed; error actions reach the backend. And JobQueueBackend over the real JobQueue
// with a fake engine: snapshots, progress, export to the destination, failures by error code,
// and "Use a smaller batch" rerunning a job that ran out of memory with half its batch.
#include "app_controller.h"
#include "fake_backend.h"
#include "job_queue_backend.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

#include <memory>
#include <mutex>

using namespace stemdeck;
using namespace stemdeck::ui;
using stemdeck::ui::test::FakeBackend;

namespace {
void touch(const QString& path, const QByteArray& data = "x") {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

// A model folder the basic check accepts (the real validator is wired by the application).
void makeModel(const QString& dir, const QByteArray& stems = "    - vocals\n    - other\n") {
    touch(dir + QStringLiteral("/config.yaml"), "training:\n  instruments:\n" + stems);
    touch(dir + QStringLiteral("/model.ckpt"), "weights");
}
} // namespace

class TestAppController : public QObject {
    Q_OBJECT

    std::unique_ptr<AppController> make(QTemporaryDir& dir) {
        auto c = std::make_unique<AppController>(
            std::make_unique<QSettings>(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat),
            dir.filePath(QStringLiteral("models")));
        makeModel(dir.filePath(QStringLiteral("bundled/Default Model")));
        c->models()->addBundledDir(dir.filePath(QStringLiteral("bundled")));
        // These tests stage one-byte stand-ins for audio files: their headers are not read.
        c->setDurationProbe([](const QString&) { return 1.0; });
        return c;
    }

private Q_SLOTS:
    void bundledModelIsChosenAndDrivesStems() {
        QTemporaryDir dir;
        auto c = make(dir);
        QCOMPARE(c->models()->currentName(), QStringLiteral("Default Model"));
        QCOMPARE(c->settings()->availableStems(), (QStringList{"vocals", "other"}));
    }

    void dropStagesThenStartQueuesWithSettings() {
        QTemporaryDir dir;
        auto c = make(dir);
        FakeBackend backend;
        c->setBackend(&backend);
        const QString a = dir.filePath(QStringLiteral("in/Älbum one/01 intro.wav"));
        const QString b = dir.filePath(QStringLiteral("in/Älbum one/02 song.flac"));
        touch(a);
        touch(b);
        touch(dir.filePath(QStringLiteral("in/Älbum one/notes.txt")));
        QSignalSpy unsupported(c.get(), &AppController::unsupportedFilesChanged);
        QCOMPARE(c->addUrls({QUrl::fromLocalFile(dir.filePath(QStringLiteral("in")))}), 2);
        QCOMPARE(unsupported.count(), 1);
        QCOMPARE(c->unsupportedFiles().size(), 1);
        QVERIFY(c->unsupportedFiles().first().endsWith(QStringLiteral("notes.txt")));
        c->clearUnsupported();
        QVERIFY(c->unsupportedFiles().isEmpty());
        c->jobs()->flush();
        QCOMPARE(c->jobs()->readyCount(), 2);
        QVERIFY(backend.enqueued.isEmpty()); // nothing runs before Start
        QVERIFY(c->canStart());

        c->settings()->setOutputFormat(QStringLiteral("flac16"));
        c->settings()->setNamingTemplate(QStringLiteral("{track} - {stem}.{ext}"));
        c->settings()->setDestination(dir.filePath(QStringLiteral("out")));
        c->settings()->setStemExported(QStringLiteral("other"), false);
        c->settings()->setBatchAuto(false);
        c->settings()->setBatchSize(2);
        c->start();
        QCOMPARE(backend.enqueued.size(), 2);
        const JobRequest& r = backend.enqueued[0];
        QCOMPARE(r.file, QDir::cleanPath(a));
        QCOMPARE(r.outputFormat, QStringLiteral("flac16"));
        QCOMPARE(r.namingTemplate, QStringLiteral("{track} - {stem}.{ext}"));
        QCOMPARE(r.destination, dir.filePath(QStringLiteral("out")));
        QCOMPARE(r.stems, QStringList{QStringLiteral("vocals")});
        QCOMPARE(r.batchSize, 2);
        QCOMPARE(r.overlap, 0); // the model's own (its config's num_overlap), the default
        c->settings()->setOverlapAuto(false);
        c->settings()->setOverlap(6);
        QCOMPARE(c->requestFor(a).overlap, 6); // one the user picked
        c->settings()->setOverlapAuto(true);
        QVERIFY(r.softMasks); // the model's soft masks, the default
        c->settings()->setSoftMasks(false);
        const JobRequest plain = c->requestFor(a);
        QVERIFY(!plain.softMasks);
        QCOMPARE(JobQueueBackend::specFor(plain).softMaskPower, std::optional<double>(0.0)); // off for the engine
        QVERIFY(!JobQueueBackend::specFor(r).softMaskPower.has_value());                    // the config's
        c->settings()->setSoftMasks(true);
        QVERIFY(r.stereoFilter); // the model's stereo (Wiener) filter, the default
        c->settings()->setStereoFilter(false);
        const JobRequest unfiltered = c->requestFor(a);
        QVERIFY(!unfiltered.stereoFilter);
        QCOMPARE(JobQueueBackend::specFor(unfiltered).multichannelWiener, std::optional<bool>(false)); // off for the engine
        QVERIFY(!JobQueueBackend::specFor(r).multichannelWiener.has_value());                         // the config's
        c->settings()->setStereoFilter(true);
        QVERIFY(!r.extraPasses); // test-time augmentation only when asked for (it costs time)
        QVERIFY(!JobQueueBackend::specFor(r).testTimeAugmentation);
        c->settings()->setExtraPasses(true);
        const JobRequest augmented = c->requestFor(a);
        QVERIFY(augmented.extraPasses);
        QVERIFY(JobQueueBackend::specFor(augmented).testTimeAugmentation);
        c->settings()->setExtraPasses(false);
        QCOMPARE(r.modelName, QStringLiteral("Default Model"));
        QVERIFY(r.modelCheckpoint.endsWith(QStringLiteral("model.ckpt")));
        c->jobs()->flush();
        QCOMPARE(c->jobs()->readyCount(), 0);
        QCOMPARE(c->jobs()->rowCount(), 2);
        QVERIFY(!c->canStart());
    }

    // The real probe reads each dropped file's header: a damaged or empty file leaves the queue
    // at once and is listed with the reason, instead of failing only when started.
    void unreadableFilesAreRefusedAtIntake() {
        QTemporaryDir dir;
        auto c = make(dir);
        c->setDurationProbe(AppController::defaultDurationProbe());
        const QString good = dir.filePath(QStringLiteral("good.wav"));
        const QString damaged = dir.filePath(QStringLiteral("damaged.wav"));
        const QString empty = dir.filePath(QStringLiteral("empty.flac"));
        // 0.5 s of 16-bit mono silence at 8 kHz: a 44-byte header and 8,000 bytes of samples.
        QByteArray wav("RIFF");
        auto le32 = [&wav](quint32 v) { for (int i = 0; i < 4; ++i) wav.append(char((v >> (8 * i)) & 0xff)); };
        auto le16 = [&wav](quint16 v) { wav.append(char(v & 0xff)).append(char(v >> 8)); };
        le32(36 + 8000);
        wav.append("WAVEfmt ");
        le32(16); le16(1); le16(1); le32(8000); le32(16000); le16(2); le16(16);
        wav.append("data");
        le32(8000);
        wav.append(QByteArray(8000, '\0'));
        touch(good, wav);
        touch(damaged, "RIFF....WAVEfmt "); // cut short inside its header
        touch(empty, QByteArray());
        QCOMPARE(c->addPaths({good, damaged, empty}), 3); // staged at once; the headers are read after
        QTRY_COMPARE(c->unsupportedFiles().size(), 2);
        c->jobs()->flush();
        QCOMPARE(c->jobs()->readyCount(), 1);
        QCOMPARE(c->jobs()->data(c->jobs()->index(0), JobListModel::FileRole).toString(), good);
        QTRY_COMPARE(c->jobs()->data(c->jobs()->index(0), JobListModel::DurationTextRole).toString(), QStringLiteral("0:01"));
        const QVariantMap reasons = c->unsupportedReasons();
        QVERIFY2(reasons.value(damaged).toString().contains(QStringLiteral("damaged, cut short")),
                 qPrintable(reasons.value(damaged).toString()));
        QCOMPARE(reasons.value(empty).toString(), QStringLiteral("It holds no audio."));
        c->clearUnsupported();
        QVERIFY(c->unsupportedReasons().isEmpty());
    }

    // A dropped folder holding a name that is not valid UTF-8: listed with why, not staged.
    void undecodableNameIsListedWithItsReason() {
#if !defined(Q_OS_LINUX)
        QSKIP("Linux file systems hold any bytes in a name; APFS refuses invalid UTF-8 and Windows names are UTF-16");
#endif
        QTemporaryDir dir;
        auto c = make(dir);
        const QString folder = dir.filePath(QStringLiteral("latin1"));
        QVERIFY(QDir().mkpath(folder));
        const std::string raw = (QFile::encodeName(folder) + "/caf\xe9.wav").toStdString();
        FILE* f = std::fopen(raw.c_str(), "wb");
        QVERIFY(f);
        std::fclose(f);
        QCOMPARE(c->addPaths({folder}), 0);
        QCOMPARE(c->unsupportedFiles().size(), 1);
        const QString shown = c->unsupportedFiles().first();
        QVERIFY2(c->unsupportedReasons().value(shown).toString().contains(QStringLiteral("not valid UTF-8")),
                 qPrintable(shown));
        QCOMPARE(std::remove(raw.c_str()), 0); // Qt cannot list it, so QTemporaryDir cannot remove it
    }

    // The chosen model's files deleted while jobs wait: the banner says so, and Start does not
    // run them with the model chosen in its place without a word; the next Start does.
    void chosenModelDeletedKeepsTheJobsWaiting() {
        QTemporaryDir dir;
        auto c = make(dir);
        FakeBackend backend;
        c->setBackend(&backend);
        makeModel(dir.filePath(QStringLiteral("user")));
        QSignalSpy imported(c->models(), &ModelCatalogue::imported);
        c->models()->importFiles({QUrl::fromLocalFile(dir.filePath(QStringLiteral("user/model.ckpt")))});
        QVERIFY(imported.wait(10000));
        const QString mine = c->models()->currentName();
        QVERIFY(mine != QStringLiteral("Default Model"));
        touch(dir.filePath(QStringLiteral("x.wav")));
        c->addPaths({dir.filePath(QStringLiteral("x.wav"))});
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("user/model.ckpt"))));
        QTRY_VERIFY(c->errors()->isVisible()); // the folder watcher: at once, not at Start
        QCOMPARE(c->errors()->title(), QStringLiteral("The model is no longer there"));
        QCOMPARE(c->models()->currentName(), QStringLiteral("Default Model"));
        c->errors()->dismiss();
        c->start();
        QVERIFY(backend.enqueued.isEmpty()); // the jobs wait for the user's choice
        QVERIFY(c->errors()->isVisible());
        c->errors()->dismiss();
        c->start(); // the user has been told twice: the model now chosen is used
        QCOMPARE(backend.enqueued.size(), 1);
        QCOMPARE(backend.enqueued[0].modelName, QStringLiteral("Default Model"));
    }

    void nextToSourceAndInvalidTemplate() {
        QTemporaryDir dir;
        auto c = make(dir);
        FakeBackend backend;
        c->setBackend(&backend);
        touch(dir.filePath(QStringLiteral("x.wav")));
        c->addPaths({dir.filePath(QStringLiteral("x.wav"))});
        c->settings()->setNamingTemplate(QStringLiteral("{track}.{ext}"));
        QVERIFY(!c->canStart());
        c->start();
        QVERIFY(backend.enqueued.isEmpty());
        QVERIFY(c->errors()->isVisible()); // said, not silently ignored
        c->errors()->dismiss();
        c->settings()->setNamingTemplate(QStringLiteral("{track}/{stem}.{ext}"));
        c->settings()->setNextToSource(true);
        c->start();
        QCOMPARE(backend.enqueued.size(), 1);
        QVERIFY(backend.enqueued[0].destination.isEmpty());
        QVERIFY(backend.enqueued[0].stems.isEmpty()); // all stems
    }

    // What the preview is asked to open: a job's stems (or those still staged), where its mix
    // export goes (the export folder, or the input's folder with "next to the source"), and
    // whether the job just finished (the window then leaves a playing preview alone).
    void previewRequestsCarryStemsAndMixFolder() {
        QTemporaryDir dir;
        auto c = make(dir);
        FakeBackend backend;
        c->setBackend(&backend);
        QSignalSpy asked(c.get(), &AppController::previewRequested);
        c->settings()->setDestination(dir.filePath(QStringLiteral("stems")));
        auto j = backend.add(dir.filePath(QStringLiteral("in/a.wav")), JobState::Running);
        c->jobs()->flush();
        j.state = JobState::Done;
        j.previewFiles = QStringList{dir.filePath(QStringLiteral("staging/a/kick.wav"))};
        backend.update(j);
        c->jobs()->flush();
        QCOMPARE(asked.count(), 1); // finished: opened by itself
        QCOMPARE(asked.last().at(1).toStringList(), j.previewFiles);
        QCOMPARE(asked.last().at(3).toString(), dir.filePath(QStringLiteral("stems")));
        QCOMPARE(asked.last().at(4).toBool(), true);
        backend.update(j);
        c->jobs()->flush();
        QCOMPARE(asked.count(), 1); // once per job
        c->settings()->setNextToSource(true);
        c->previewJob(0); // picked by the user
        QCOMPARE(asked.count(), 2);
        QCOMPARE(asked.last().at(3).toString(), dir.filePath(QStringLiteral("in")));
        QCOMPARE(asked.last().at(4).toBool(), false);
    }

    void withoutBackendStartExplains() {
        QTemporaryDir dir;
        auto c = make(dir);
        touch(dir.filePath(QStringLiteral("x.wav")));
        c->addPaths({dir.filePath(QStringLiteral("x.wav"))});
        QVERIFY(!c->canStart());
        c->start();
        QVERIFY(c->errors()->isVisible());
    }

    void errorActionsReachTheBackend() {
        QTemporaryDir dir;
        auto c = make(dir);
        FakeBackend backend;
        c->setBackend(&backend);
        JobFailure f;
        f.jobId = 9;
        f.id = QStringLiteral("cuda_oom");
        f.title = QStringLiteral("Out of memory");
        f.actions = {QStringLiteral("smaller-batch"), QStringLiteral("retry-cpu")};
        c->settings()->setBatchAuto(false);
        c->settings()->setBatchSize(8);
        backend.fail(f);
        QVERIFY(c->errors()->isVisible());
        c->errors()->trigger(QStringLiteral("smaller-batch"));
        QCOMPARE(backend.retriedSmaller, QList<quint64>{9});
        QVERIFY(backend.retried.isEmpty());
        // The retry is the job's: the settings other jobs use stay as the user chose them.
        QCOMPARE(c->settings()->batchSize(), 8);
        QVERIFY(!c->settings()->batchAuto());
        backend.fail(f);
        c->errors()->trigger(QStringLiteral("retry-cpu"));
        QCOMPARE(backend.retried.size(), 1);
        QCOMPARE(backend.retried[0], qMakePair(quint64(9), true));

        JobFailure ro;
        ro.jobId = 3;
        ro.id = QStringLiteral("destination-read-only");
        ro.actions = {QStringLiteral("choose-folder")};
        QSignalSpy choose(c.get(), &AppController::chooseDestinationRequested);
        backend.fail(ro);
        c->errors()->trigger(QStringLiteral("choose-folder"));
        QCOMPARE(choose.count(), 1);

        // "Show the file" opens the folder that holds the job's input.
        qputenv("STEMDECK_NO_REVEAL", "1");
        const JobSnapshot broken = backend.add(QStringLiteral("/music/takes/broken.wav"), JobState::Failed);
        c->jobs()->flush();
        JobFailure unreadable;
        unreadable.jobId = broken.id;
        unreadable.id = QStringLiteral("unreadable-input");
        unreadable.actions = {QStringLiteral("show-file")};
        QSignalSpy revealed(c.get(), &AppController::revealRequested);
        backend.fail(unreadable);
        c->errors()->trigger(QStringLiteral("show-file"));
        QCOMPARE(revealed.count(), 1);
        QCOMPARE(revealed.first().first().toString(), QStringLiteral("/music/takes"));
        QVERIFY(backend.retried.size() == 1); // nothing retried by it
    }

    void aboutFacts() {
        QTemporaryDir dir;
        auto c = make(dir);
        QCOMPARE(c->version(), QStringLiteral(STEMDECK_VERSION));
        QCOMPARE(c->qtVersion(), QString::fromLatin1(qVersion()));
        c->setLibtorchVersion(QStringLiteral("1.13.1"));
        QCOMPARE(c->libtorchVersion(), QStringLiteral("1.13.1"));
        touch(dir.filePath(QStringLiteral("README.md")), "# Demo loop\nRecorded by someone, CC0.\n");
        c->setCreditsFile(dir.filePath(QStringLiteral("README.md")));
        QVERIFY(c->credits().contains(QStringLiteral("CC0")));
        // A README with a credits section: the About box shows that section only, not the
        // maintainers' notes around it.
        touch(dir.filePath(QStringLiteral("demo.md")),
              "# The demo loop\nRun ./run.sh; seed in app/train/demo.h.\n\n## Kits used, licences and credits\n\n"
              "| Kit | Licence |\n|---|---|\n| Audiophob | CC0 1.0 |\n\n## Rendering\nscripts/setup.sh\n");
        c->setCreditsFile(dir.filePath(QStringLiteral("demo.md")));
        QVERIFY2(c->credits().startsWith(QStringLiteral("| Kit | Licence |")), qPrintable(c->credits()));
        QVERIFY(c->credits().contains(QStringLiteral("CC0 1.0")));
        QVERIFY(!c->credits().contains(QStringLiteral("run.sh")));
        QVERIFY(!c->credits().contains(QStringLiteral("setup.sh")));
    }

    void languageOverride() {
        QTemporaryDir dir;
        auto c = make(dir);
        QSignalSpy lang(c.get(), &AppController::languageChanged);
        c->setLanguage(QStringLiteral("de"));
        QCOMPARE(c->language(), QStringLiteral("de"));
        QCOMPARE(c->settings()->language(), QStringLiteral("de"));
        QCOMPARE(lang.count(), 1);
        // Strings come from the embedded German catalogue.
        QCOMPARE(ErrorBannerModel::actionLabel(QStringLiteral("retry-cpu")), QStringLiteral("Auf der CPU wiederholen"));
        c->setLanguage(QStringLiteral("en"));
        QCOMPARE(ErrorBannerModel::actionLabel(QStringLiteral("retry-cpu")), QStringLiteral("Retry on CPU"));
    }

    void jobQueueBackendEndToEnd() {
        QTemporaryDir dir;
        const QString input = dir.filePath(QStringLiteral("in/My Song.wav"));
        touch(input);
        // A fake engine that reports progress and "writes" two stems.
        engine::EngineFunction fakeEngine = [](const engine::JobSpec& spec, const engine::JobCallbacks& cb,
                                               const std::atomic<bool>&) {
            for (int i = 1; i <= 4; ++i)
                if (cb.progress)
                    cb.progress({i / 4.0, Stage::Model, 4.0 - i});
            engine::JobResult r;
            r.input = spec.input;
            r.durationSeconds = 12.5;
            r.device = "cpu";
            for (const char* stem : {"vocals", "other"}) {
                const auto p = spec.outputDir / "My Song" / (std::string(stem) + ".wav");
                std::filesystem::create_directories(p.parent_path());
                QFile f(QString::fromStdU16String(p.u16string()));
                f.open(QIODevice::WriteOnly);
                f.write("RIFF");
                r.files.push_back({stem, p});
            }
            return r;
        };
        jobs::JobQueue queue(fakeEngine);
        JobQueueBackend backend(&queue, dir.filePath(QStringLiteral("staging")));
        JobListModel model;
        model.setBackend(&backend);

        JobRequest req;
        req.file = input;
        req.modelName = QStringLiteral("Test model");
        req.device = QStringLiteral("cpu");
        req.destination = dir.filePath(QStringLiteral("out"));
        req.outputFormat = QStringLiteral("wav16");
        req.namingTemplate = QStringLiteral("{track}/{stem}.{ext}");
        req.exportWhenDone = true;
        const quint64 id = backend.enqueue(req);
        QVERIFY(id != 0);
        QVERIFY(queue.waitForAll(20000));
        QTRY_COMPARE(model.rowCount(), 1);
        QTRY_COMPARE(model.data(model.index(0), JobListModel::StateRole).toString(), QStringLiteral("done"));
        QCOMPARE(model.data(model.index(0), JobListModel::ModelRole).toString(), QStringLiteral("Test model"));
        QCOMPARE(model.data(model.index(0), JobListModel::DeviceRole).toString(), QStringLiteral("CPU"));
        QCOMPARE(model.data(model.index(0), JobListModel::DurationRole).toDouble(), 12.5);
        QCOMPARE(model.data(model.index(0), JobListModel::OutputFolderRole).toString(),
                 dir.filePath(QStringLiteral("out/My Song")));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("out/My Song/vocals.wav"))));

        // Not exported when done: written to staging, moved on Export.
        req.exportWhenDone = false;
        req.destination = dir.filePath(QStringLiteral("later"));
        const quint64 id2 = backend.enqueue(req);
        QVERIFY(queue.waitForAll(20000));
        QTRY_COMPARE(model.rowCount(), 2);
        QTRY_COMPARE(model.data(model.index(1), JobListModel::StateRole).toString(), QStringLiteral("done"));
        QVERIFY(model.data(model.index(1), JobListModel::CanExportRole).toBool());
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("later/My Song/vocals.wav"))));
        // Not exported yet, it can still be heard: its stems in the staging folder.
        const QStringList staged = model.job(1)->previewFiles;
        QCOMPARE(staged.size(), 2);
        QVERIFY2(staged.first().startsWith(dir.filePath(QStringLiteral("staging"))) && QFile::exists(staged.first()),
                 qPrintable(staged.first()));
        QVERIFY(model.job(1)->outputFiles.isEmpty());
        model.exportJob(1);
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("later/My Song/vocals.wav"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("later/My Song/other.wav"))));
        model.flush();
        QVERIFY(!model.data(model.index(1), JobListModel::CanExportRole).toBool());
        QVERIFY(model.data(model.index(1), JobListModel::CanRevealRole).toBool());
        Q_UNUSED(id2);
    }

    void jobQueueBackendFailure_data() {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("errorId");
        QTest::addColumn<QString>("action");
        // Unreadable input: a plain explanation, the decoder's text kept in the details.
        QTest::newRow("damaged") << int(ErrorCode::UnreadableFile) << "unreadable-input" << "show-file";
        QTest::newRow("empty") << int(ErrorCode::EmptyInput) << "unreadable-input" << "show-file";
        QTest::newRow("nan") << int(ErrorCode::NonFiniteAudio) << "unreadable-input" << "show-file";
        QTest::newRow("read-only") << int(ErrorCode::DestinationReadOnly) << "destination-read-only" << "choose-folder";
        QTest::newRow("full") << int(ErrorCode::DestinationFull) << "destination-full" << "choose-folder";
        QTest::newRow("oom") << int(ErrorCode::OutOfMemory) << "out-of-memory" << "smaller-batch";
        QTest::newRow("backend") << int(ErrorCode::BackendFailure) << "device-failure" << "retry-cpu";
        QTest::newRow("weights") << int(ErrorCode::WeightMismatch) << "model-unusable" << "choose-model";
    }

    // "Use a smaller batch" through the real queue: an engine that runs out of memory above
    // a batch of 2 fails the first run (batch 8), the banner's action reruns the same job with
    // batch 4 (still too big), then 2, which succeeds. The batch each run got is recorded.
    void smallerBatchRerunsTheJob_data() {
        QTest::addColumn<int>("requested");   // JobRequest::batchSize (0: automatic)
        QTest::addColumn<int>("engineBatch"); // what an automatic batch ran with
        QTest::addColumn<QList<int>>("runs");
        QTest::newRow("fixed 8") << 8 << 8 << QList<int>{8, 4, 2};
        // Automatic: the engine chose 16 (reported through its Batch events); halving starts there.
        // The engine gets -1 for automatic: its BatchPlanner decides.
        QTest::newRow("automatic") << 0 << 16 << QList<int>{-1, 8, 4, 2};
    }
    void smallerBatchRerunsTheJob() {
        QFETCH(int, requested);
        QFETCH(int, engineBatch);
        QFETCH(QList<int>, runs);
        QTemporaryDir dir;
        const QString input = dir.filePath(QStringLiteral("a b.wav"));
        touch(input);
        auto seen = std::make_shared<QList<int>>();
        auto mutex = std::make_shared<std::mutex>();
        jobs::JobQueue queue([seen, mutex, engineBatch](const engine::JobSpec& spec, const engine::JobCallbacks& cb,
                                                        const std::atomic<bool>&) -> engine::JobResult {
            {
                std::lock_guard lock(*mutex);
                *seen << spec.batchSize;
            }
            const int batch = spec.batchSize > 0 ? spec.batchSize : engineBatch;
            ProfileEvent e;
            e.kind = ProfileEvent::Kind::Batch;
            e.value = batch;
            if (cb.profile)
                cb.profile(e);
            if (batch > 2)
                throw Error(ErrorCode::OutOfMemory, "CUDA out of memory.", "Tried to allocate 5.71 GiB");
            engine::JobResult r;
            r.batchSize = batch;
            return r;
        });
        JobQueueBackend backend(&queue, dir.filePath(QStringLiteral("staging")));
        auto c = make(dir);
        c->setBackend(&backend);
        const bool autoBefore = c->settings()->batchAuto();
        const int sizeBefore = c->settings()->batchSize();
        QSignalSpy failed(&backend, &JobBackend::jobFailed);
        JobRequest req;
        req.file = input;
        req.batchSize = requested;
        req.destination = dir.filePath(QStringLiteral("out"));
        const quint64 id = backend.enqueue(req);
        QVERIFY(id != 0);
        for (int attempt = 1; attempt < runs.size(); ++attempt) {
            QVERIFY(queue.waitForAll(20000));
            QTRY_COMPARE(failed.count(), attempt);
            const auto f = failed.last().first().value<JobFailure>();
            QCOMPARE(f.jobId, id);
            QVERIFY(f.actions.contains(QStringLiteral("smaller-batch")));
            QTRY_VERIFY(c->errors()->isVisible());
            c->errors()->trigger(QStringLiteral("smaller-batch"));
            QCOMPARE(queue.job(id).spec.batchSize, runs[attempt]);
        }
        QVERIFY(queue.waitForAll(20000));
        QCOMPARE(queue.job(id).state, jobs::JobState::Done);
        QCOMPARE(queue.job(id).attempts, int(runs.size()));
        QCOMPARE(queue.job(id).result.batchSize, runs.last());
        // Everything else about the job is as first asked.
        QCOMPARE(queue.job(id).spec.outputDir, JobQueueBackend::specFor(req).outputDir);
        QCOMPARE(queue.job(id).spec.input, JobQueueBackend::specFor(req).input);
        {
            std::lock_guard lock(*mutex);
            QCOMPARE(*seen, runs);
        }
        QCOMPARE(failed.count(), int(runs.size()) - 1);
        // The settings other jobs use are untouched; a job that is done cannot be retried.
        QCOMPARE(c->settings()->batchAuto(), autoBefore);
        QCOMPARE(c->settings()->batchSize(), sizeBefore);
        QCOMPARE(backend.retryWithSmallerBatch(id), 0);
    }

    void jobQueueBackendFailure() {
        QFETCH(int, code);
        QFETCH(QString, errorId);
        QFETCH(QString, action);
        QTemporaryDir dir;
        const QString input = dir.filePath(QStringLiteral("a.wav"));
        touch(input);
        jobs::JobQueue queue([code](const engine::JobSpec&, const engine::JobCallbacks&,
                                    const std::atomic<bool>&) -> engine::JobResult {
            throw Error(ErrorCode(code), "raw message", "raw detail");
        });
        JobQueueBackend backend(&queue, dir.filePath(QStringLiteral("staging")));
        QSignalSpy failed(&backend, &JobBackend::jobFailed);
        JobRequest req;
        req.file = input;
        backend.enqueue(req);
        QVERIFY(queue.waitForAll(20000));
        QTRY_COMPARE(failed.count(), 1);
        const auto f = failed.first().first().value<JobFailure>();
        QCOMPARE(f.id, errorId);
        QVERIFY(f.actions.contains(action));
        QVERIFY(!f.title.isEmpty());
        QVERIFY(f.details.contains(QStringLiteral("raw detail")));
        QCOMPARE(f.details.count(QStringLiteral("raw detail")), 1);
        QVERIFY(!f.explanation.isEmpty());
        // An unreadable file is explained in the app's own words, not the decoder's.
        if (errorId == QLatin1String("unreadable-input"))
            QVERIFY2(!f.explanation.contains(QStringLiteral("raw")), qPrintable(f.explanation));
    }
};

QTEST_MAIN(TestAppController)
#include "tst_app_controller.moc"
