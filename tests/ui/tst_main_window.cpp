// The main window (Main.qml) with a scripted backend: it loads without QML errors, the
// shortcuts reach the controller, drops queue files, the language switch retranslates the
// window, the preview and profile tabs are there and a finished job opens in the stem preview.
// With STEMDECK_SCREENSHOT_DIR set it saves the screenshots kept in docs/screenshots.
#include "app_controller.h"
#include "fake_backend.h"

#include <functional>

#include <QAbstractItemModel>
#include <QImage>
#include <QDir>
#include <QFile>
#include <QMimeData>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <algorithm>
#include <cmath>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(StemDeck_UiPlugin)
Q_IMPORT_QML_PLUGIN(StemDeck_PreviewPlugin)
Q_IMPORT_QML_PLUGIN(StemDeck_ProfilingPlugin)

using namespace stemdeck::ui;
using stemdeck::ui::test::FakeBackend;

namespace {
void touch(const QString& path, const QByteArray& data = "x") {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}
// A mono 16-bit WAV of drum-like hits: `period` seconds apart, decaying tones of `freq` Hz
// (noise when freq is 0), so the preview's waveforms look like a drum stem.
void writeStem(const QString& path, double freq, double period, double offset, double seconds = 8.0) {
    const int rate = 22050;
    const int frames = int(seconds * rate);
    QByteArray pcm(frames * 2, Qt::Uninitialized);
    quint32 noise = 12345;
    for (int i = 0; i < frames; ++i) {
        const double t = double(i) / rate;
        const double since = std::fmod(t + period - offset, period);
        noise = noise * 1664525u + 1013904223u;
        const double tone = freq > 0 ? std::sin(2 * M_PI * freq * since) : (noise >> 8) / double(1 << 23) - 1.0;
        const double v = 0.8 * std::exp(-since * (freq > 0 ? 12.0 : 25.0)) * tone;
        qToLittleEndian<qint16>(qint16(std::lround(v * 32767)), pcm.data() + 2 * i);
    }
    QByteArray wav("RIFF");
    const auto u32 = [&wav](quint32 v) { char b[4]; qToLittleEndian(v, b); wav.append(b, 4); };
    const auto u16 = [&wav](quint16 v) { char b[2]; qToLittleEndian(v, b); wav.append(b, 2); };
    u32(36 + pcm.size());
    wav += "WAVEfmt ";
    u32(16); u16(1); u16(1); u32(rate); u32(rate * 2); u16(2); u16(16);
    wav += "data";
    u32(pcm.size());
    wav += pcm;
    touch(path, wav);
}
} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<AppController> m_controller;
    FakeBackend m_backend;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow* m_window = nullptr;
    QStringList m_warnings;

    void save(const QString& name) {
        QTest::qWait(50);
        const QImage image = m_window->grabWindow();
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), m_window->size() * m_window->devicePixelRatio());
        const QString dir = qEnvironmentVariable("STEMDECK_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            QDir().mkpath(dir);
            QVERIFY(image.save(QDir(dir).filePath(name)));
        }
    }
    template <typename T = QQuickItem> T* child(const char* name) {
        return m_window->findChild<T*>(QLatin1String(name));
    }
    // An item by name under `root` in the item tree (a delegate's or a popup's items are not
    // children of the window's QObject tree).
    static QQuickItem* itemNamed(QQuickItem* root, const QString& name) {
        if (!root) return nullptr;
        if (root->objectName() == name && root->isVisible()) return root;
        for (QQuickItem* c : root->childItems())
            if (QQuickItem* found = itemNamed(c, name)) return found;
        return nullptr;
    }
    // The queue row the keyboard is on, by file name ("-" when the keyboard is elsewhere).
    QString focusedRow() {
        QQuickItem* item = m_window->activeFocusItem();
        return item && child("jobList")->isAncestorOf(item) && item->property("fileName").isValid()
                   ? item->property("fileName").toString() : QStringLiteral("-");
    }
    // Every job the backend still runs or holds (Queued, Running) marked cancelled, as JobQueue
    // would report them.
    void settleActiveJobs() {
        auto* jobs = m_controller->jobs();
        for (int r = 0; r < jobs->rowCount(); ++r) {
            JobSnapshot s = *jobs->job(r);
            if (s.state == JobState::Queued || s.state == JobState::Running) {
                s.state = JobState::Cancelled;
                m_backend.update(s);
            }
        }
        jobs->flush();
        QCOMPARE(jobs->activeCount(), 0);
    }

    // The darkest pixel (the label's text) inside an item, as rendered: lightness 0-255.
    int darkestIn(const QImage& image, QQuickItem* item) {
        const QRectF r = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
        const qreal dpr = m_window->devicePixelRatio();
        int darkest = 255;
        for (int y = int(r.top() * dpr) + 2; y < int(r.bottom() * dpr) - 2; ++y)
            for (int x = int(r.left() * dpr) + 2; x < int(r.right() * dpr) - 2; ++x)
                darkest = std::min(darkest, image.pixelColor(x, y).lightness());
        return darkest;
    }

private Q_SLOTS:
    void initTestCase() {
        // No sound server, whatever the machine has: the preview says why it cannot play.
        qputenv("PULSE_SERVER", "unix:/nonexistent/stemdeck-no-audio");
        QQuickStyle::setStyle(QStringLiteral("Fusion"));
        m_controller = std::make_unique<AppController>(
            std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat),
            m_dir.filePath(QStringLiteral("models")));
        touch(m_dir.filePath(QStringLiteral("bundled/StemDeck drums/config.yaml")),
              "training:\n  instruments: [kick, snare, toms, hihat, cymbals]\n");
        touch(m_dir.filePath(QStringLiteral("bundled/StemDeck drums/model.ckpt")), "PK");
        m_controller->models()->addBundledDir(m_dir.filePath(QStringLiteral("bundled")));
        m_controller->models()->loadCatalogue(QStringLiteral(":/qt/qml/StemDeck/Ui/resources/catalogue.json"));
        m_controller->settings()->setDevices({QVariantMap{{"id", "cuda:0"}, {"name", "CUDA 0 · NVIDIA H100"},
                                                          {"memory", qint64(80) << 30}}});
        m_controller->settings()->setDestination(QStringLiteral("/home/user/Music/StemDeck"));
        m_controller->setBackend(&m_backend);
        // The dropped files here are one-byte stand-ins: their headers are not read (duration
        // unknown), except in unreadableDropIsListed.
        m_controller->setDurationProbe([](const QString&) { return 0.0; });
        m_controller->setLibtorchVersion(QStringLiteral("1.13.1"));

        m_engine = std::make_unique<QQmlApplicationEngine>();
        connect(m_engine.get(), &QQmlEngine::warnings, this, [this](const QList<QQmlError>& w) {
            for (const auto& e : w)
                m_warnings << e.toString();
        });
        m_engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        m_controller->setQmlEngine(m_engine.get());
        m_engine->setInitialProperties({{"controller", QVariant::fromValue(m_controller.get())}});
        m_engine->load(QUrl(QStringLiteral("qrc:/qt/qml/StemDeck/Ui/qml/Main.qml")));
        QCOMPARE(m_engine->rootObjects().size(), 1);
        m_window = qobject_cast<QQuickWindow*>(m_engine->rootObjects().first());
        QVERIFY(m_window);
        m_window->resize(1280, 760);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
    }

    void loadsWithoutWarnings() {
        QVERIFY2(m_warnings.isEmpty(), qPrintable(m_warnings.join('\n')));
        QVERIFY(child("previewSlot"));
        // No stems yet: the preview says where they come from and takes only the room it needs,
        // leaving the rest of the window to the queue and the settings.
        QVERIFY(child("noStemsYet") && child("noStemsYet")->isVisible());
        QTRY_VERIFY2(child("previewSlot")->height() < 160, qPrintable(QString::number(child("previewSlot")->height())));
        save(QStringLiteral("empty-window.png"));
    }

    // With an empty queue, Cancel all and Export cannot act: their labels are drawn paler than
    // Open's (they were drawn alike, since the window's palette set one text colour for every state).
    void disabledControlsLookDisabled() {
        auto* open = child("openButton");
        auto* cancel = child("cancelButton");
        auto* exportAll = child("exportButton");
        QVERIFY(open && cancel && exportAll);
        QVERIFY(open->isEnabled());
        QVERIFY(!cancel->isEnabled());
        QVERIFY(!exportAll->isEnabled());
        QTest::qWait(50);
        const QImage image = m_window->grabWindow();
        const int enabledText = darkestIn(image, open);
        QVERIFY2(enabledText < 80, qPrintable(QString::number(enabledText)));
        for (QQuickItem* button : {cancel, exportAll}) {
            const int disabledText = darkestIn(image, button);
            QVERIFY2(disabledText > enabledText + 80,
                     qPrintable(QStringLiteral("%1: darkest %2, Open's %3")
                                    .arg(button->objectName()).arg(disabledText).arg(enabledText)));
        }
    }

    void previewAndProfileTabs() {
        auto* tabs = m_window->findChild<QObject*>(QStringLiteral("bottomTabs"));
        QVERIFY(tabs);
        QCOMPARE(tabs->property("count").toInt(), 2);
        QCOMPARE(child<QObject>("previewTab")->property("text").toString(), QStringLiteral("Preview"));
        QCOMPARE(child<QObject>("profileTab")->property("text").toString(), QStringLiteral("Profile"));
        QVERIFY(child("stemPreview") && child("stemPreview")->isVisible());
        QVERIFY(child("profilingPanel") && !child("profilingPanel")->isVisible());
        // The profiling panel shows the controller's model (the application makes it follow jobs).
        QCOMPARE(child("profilingPanel")->property("model").value<QObject*>(), m_controller->profile());
        tabs->setProperty("currentIndex", 1);
        QTRY_VERIFY(child("profilingPanel")->isVisible());
        QVERIFY(!child("stemPreview")->isVisible());
        tabs->setProperty("currentIndex", 0);
        QTRY_VERIFY(child("stemPreview")->isVisible());
    }

    void dropQueuesFiles() {
        const QString a = m_dir.filePath(QStringLiteral("drop/Drum Loop ä.wav"));
        const QString b = m_dir.filePath(QStringLiteral("drop/Live take 2.flac"));
        touch(a);
        touch(b);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(a), QUrl::fromLocalFile(b)});
        const QPoint pos(m_window->width() / 2, m_window->height() / 2);
        QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(m_window, &enter);
        QDragMoveEvent move(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(m_window, &move);
        QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(m_window, &drop);
        m_controller->jobs()->flush();
        QCOMPARE(m_controller->jobs()->readyCount(), 2);
        QCOMPARE(m_controller->jobs()->job(0)->file, QDir::cleanPath(a));
    }

    void shortcutsReachTheController() {
        QVERIFY(m_controller->canStart());
        QTest::keyClick(m_window, Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(m_backend.enqueued.size(), 2);
        m_controller->jobs()->flush();
        QTest::keyClick(m_window, Qt::Key_Escape); // Esc alone no longer cancels every job
        QCOMPARE(m_backend.cancelled.size(), 0);
        QTest::keyClick(m_window, Qt::Key_X, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(m_backend.cancelled.size(), 2);
    }

    void queueScreenshot() {
        // A realistic queue: a few states at once.
        const char* names[] = {"Funk Drums 96bpm.wav", "Rock Kit Take 3.flac", "Jazz Brushes.wav",
                               "Breakbeat ä ö ü.wav", "Live Set 2024-05-01.flac"};
        const JobState states[] = {JobState::Done, JobState::Running, JobState::Queued,
                                   JobState::Failed, JobState::Cancelled};
        for (int i = 0; i < 5; ++i) {
            JobSnapshot s = m_backend.add(QStringLiteral("/home/user/Music/") + names[i], states[i]);
            s.model = QStringLiteral("StemDeck drums");
            s.device = i == 1 ? QStringLiteral("CUDA 0") : QStringLiteral("CPU");
            s.durationSeconds = 95 + 31 * i;
            s.progress = i == 1 ? 0.62 : 0;
            s.etaSeconds = i == 1 ? 14 : -1;
            if (i == 0) {
                // A finished job with real stems: it opens in the stem preview.
                const QString out = m_dir.filePath(QStringLiteral("out/Funk Drums 96bpm"));
                writeStem(out + QStringLiteral("/1-kick.wav"), 55, 0.625, 0.0);
                writeStem(out + QStringLiteral("/2-snare.wav"), 0, 1.25, 0.625);
                writeStem(out + QStringLiteral("/3-hihat.wav"), 0, 0.3125, 0.15625);
                writeStem(out + QStringLiteral("/4-cymbals.wav"), 0, 2.5, 0.0);
                s.file = m_dir.filePath(QStringLiteral("Funk Drums 96bpm.wav"));
                writeStem(s.file, 70, 0.3125, 0.0);
                s.outputFolder = out;
                for (const char* stem : {"1-kick", "2-snare", "3-hihat", "4-cymbals"})
                    s.outputFiles << out + QStringLiteral("/%1.wav").arg(QLatin1String(stem));
            }
            if (i == 3)
                s.errorTitle = QStringLiteral("Not enough memory");
            m_backend.update(s);
        }
        QSignalSpy previewed(m_controller.get(), &AppController::previewRequested);
        m_controller->jobs()->flush();
        QCOMPARE(previewed.size(), 1); // the finished job, once
        auto* preview = child<QObject>("stemPreview")->property("preview").value<QObject*>();
        QVERIFY(preview);
        QTRY_COMPARE_WITH_TIMEOUT(preview->property("status").toInt(), 2 /* Ready */, 15000);
        QCOMPARE(qobject_cast<QAbstractItemModel*>(preview)->rowCount(), 4);
        QVERIFY(child<QObject>("stemPreview")->property("exportPath").toString()
                    .endsWith(QStringLiteral("/Funk Drums 96bpm-mix.wav")));
        m_controller->jobs()->flush();
        QCOMPARE(previewed.size(), 1);
        // The one finished job is exported already: Export has nothing to write.
        QVERIFY(!child("exportButton")->isEnabled());
        save(QStringLiteral("main-window-queue.png"));
    }

    // Space plays the preview from anywhere in the window, but stays a character in a text field.
    void spaceTogglesPreviewPlayback() {
        auto* preview = child<QObject>("stemPreview")->property("preview").value<QObject*>();
        QVERIFY(preview);
        QCOMPARE(preview->property("status").toInt(), 2 /* Ready, from queueScreenshot */);
        // With stems loaded the preview gets its full share of the window again.
        QTRY_VERIFY2(child("previewSlot")->height() >= 320, qPrintable(QString::number(child("previewSlot")->height())));
        QVERIFY(!child("noStemsYet")->isVisible());
        const auto state = [preview] {
            return qMakePair(preview->property("playing").toBool(), preview->property("audioMessage").toString());
        };
        const auto before = state();

        auto* field = child("templateField");
        QVERIFY(field && field->isVisible());
        field->forceActiveFocus();
        const QString pattern = field->property("text").toString();
        QTest::keyClick(m_window, Qt::Key_Space);
        QCOMPARE(field->property("text").toString().size(), pattern.size() + 1);
        QCOMPARE(state(), before);
        field->setProperty("text", pattern);
        m_controller->settings()->setNamingTemplate(pattern);

        // Focus on no control in particular (a focused button or list row takes Space itself).
        field->setFocus(false);
        QVERIFY(!field->hasActiveFocus());
        QTest::keyClick(m_window, Qt::Key_Space);
        // No sound server here: the preview says why it cannot play (and keeps saying it).
        QTRY_VERIFY(state() != before);
        QVERIFY(!state().first);
        QVERIFY(state().second.contains(QStringLiteral("playback is off")));
        QTRY_VERIFY(child("audioMessage")->isVisible());
    }

    // Keyboard only: a finished job opens in the preview with Enter from the queue, and Esc
    // dismisses the error banner (it used to cancel every job instead).
    void keyboardOpensAJobAndDismissesTheBanner() {
        auto* list = child("jobList");
        QVERIFY(list);
        int done = -1; // the finished "Funk Drums 96bpm.wav" of queueScreenshot
        for (int r = 0; r < m_controller->jobs()->rowCount(); ++r)
            if (m_controller->jobs()->job(r)->file.endsWith(QStringLiteral("Funk Drums 96bpm.wav")))
                done = r;
        QVERIFY(done >= 0);
        list->forceActiveFocus();
        list->setProperty("currentIndex", done);
        QTRY_COMPARE(m_window->activeFocusItem() ? m_window->activeFocusItem()->property("fileName").toString() : QString(),
                     QStringLiteral("Funk Drums 96bpm.wav")); // the row holds the keyboard
        QSignalSpy previewed(m_controller.get(), &AppController::previewRequested);
        QTest::keyClick(m_window, Qt::Key_Return);
        QCOMPARE(previewed.size(), 1);
        QVERIFY(previewed.first().at(0).toString().endsWith(QStringLiteral("Funk Drums 96bpm")));

        m_controller->errors()->showMessage(QStringLiteral("Something went wrong"), QStringLiteral("Details."));
        QVERIFY(m_controller->errors()->isVisible());
        const qsizetype cancelled = m_backend.cancelled.size();
        QTest::keyClick(m_window, Qt::Key_Escape);
        QVERIFY(!m_controller->errors()->isVisible());
        QCOMPARE(m_backend.cancelled.size(), cancelled);
    }

    // Folders can be added without dragging: a toolbar button and Ctrl+Shift+O open a folder dialog.
    void addFolderOpensAFolderDialog() {
        auto* dialog = m_window->findChild<QObject*>(QStringLiteral("addFolderDialog"));
        QVERIFY(dialog);
        QVERIFY(!dialog->property("visible").toBool());
        QMetaObject::invokeMethod(child("openFolderButton"), "clicked");
        QTRY_VERIFY(dialog->property("visible").toBool());
        QMetaObject::invokeMethod(dialog, "reject");
        QTRY_VERIFY(!dialog->property("visible").toBool());
        QTest::keyClick(m_window, Qt::Key_O, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY(dialog->property("visible").toBool());
        // Accepted on a folder: its audio files are staged, as a drop of it would stage them.
        QTemporaryDir folder;
        writeStem(folder.filePath(QStringLiteral("sub/take.wav")), 70, 0.3125, 0.0);
        dialog->setProperty("selectedFolder", QUrl::fromLocalFile(folder.path()));
        dialog->setProperty("currentFolder", QUrl::fromLocalFile(folder.path()));
        const int before = m_controller->jobs()->rowCount();
        QMetaObject::invokeMethod(dialog, "accept");
        QTRY_VERIFY(!dialog->property("visible").toBool());
        m_controller->jobs()->flush();
        QCOMPARE(m_controller->jobs()->rowCount(), before + 1);
        QCOMPARE(m_controller->jobs()->job(m_controller->jobs()->rowCount() - 1)->file,
                 QDir::cleanPath(folder.filePath(QStringLiteral("sub/take.wav"))));
    }

    // Left and Right move the preview's playhead by 5 s, except where the arrows have a job of
    // their own (here: a text field).
    void arrowsSeekThePreview() {
        auto* preview = child<QObject>("stemPreview")->property("preview").value<QObject*>();
        QVERIFY(preview);
        QTRY_COMPARE_WITH_TIMEOUT(preview->property("status").toInt(), 2 /* Ready (reloaded by the last test) */, 15000);
        const double duration = preview->property("duration").toDouble();
        QVERIFY(duration > 0);
        QMetaObject::invokeMethod(preview, "seek", Q_ARG(double, 0.5));
        child("stemPreview")->forceActiveFocus(); // the panel itself: no control in particular
        QCOMPARE(m_window->activeFocusItem(), child("stemPreview"));
        QTest::keyClick(m_window, Qt::Key_Right);
        QCOMPARE(preview->property("position").toDouble(), std::min(duration, 5.5));
        QTest::keyClick(m_window, Qt::Key_Left);
        QCOMPARE(preview->property("position").toDouble(), std::max(0.0, std::min(duration, 5.5) - 5.0));
        auto* field = child("templateField");
        field->forceActiveFocus();
        const double before = preview->property("position").toDouble();
        QTest::keyClick(m_window, Qt::Key_Right);
        QCOMPARE(preview->property("position").toDouble(), before);
        field->setFocus(false);
    }

    // I and O set the loop's in and out points at the playhead; in a text field they are letters.
    void loopFromTheKeyboard() {
        auto* preview = child<QObject>("stemPreview")->property("preview").value<QObject*>();
        QTRY_COMPARE_WITH_TIMEOUT(preview->property("status").toInt(), 2 /* Ready */, 15000);
        const double duration = preview->property("duration").toDouble();
        QVERIFY(duration > 3);
        QMetaObject::invokeMethod(preview, "clearLoop");
        child("stemPreview")->forceActiveFocus();
        QMetaObject::invokeMethod(preview, "seek", Q_ARG(double, 1.0));
        QTest::keyClick(m_window, Qt::Key_I);
        QVERIFY(preview->property("looping").toBool());
        QCOMPARE(preview->property("loopStart").toDouble(), 1.0);
        QCOMPARE(preview->property("loopEnd").toDouble(), duration);
        QMetaObject::invokeMethod(preview, "seek", Q_ARG(double, 2.5));
        QTest::keyClick(m_window, Qt::Key_O);
        QCOMPARE(preview->property("loopStart").toDouble(), 1.0);
        QCOMPARE(preview->property("loopEnd").toDouble(), 2.5);
        // The loop is drawn and can be cleared with its button, from the keyboard too.
        auto* clear = itemNamed(child("stemPreview"), QStringLiteral("clearLoopButton"));
        QVERIFY(clear);
        clear->forceActiveFocus(Qt::TabFocusReason);
        QTest::keyClick(m_window, Qt::Key_Space);
        QVERIFY(!preview->property("looping").toBool());
        auto* field = child("templateField");
        field->forceActiveFocus();
        const QString pattern = field->property("text").toString();
        QTest::keyClick(m_window, Qt::Key_I);
        QCOMPARE(field->property("text").toString().size(), pattern.size() + 1);
        QVERIFY(!preview->property("looping").toBool());
        field->setProperty("text", pattern);
        m_controller->settings()->setNamingTemplate(pattern);
        field->setFocus(false);
    }

    // The keyboard stays in the queue when what it was on stops applying: Start once the files
    // are queued, Cancel all once nothing runs, a row's Cancel once the job is cancelled, and a
    // row's ✕ with its row. It used to fall to the window's root, where Tab starts again at the
    // top. A mouse click does not move it.
    void keyboardStaysInTheQueue() {
        settleActiveJobs();
        auto* jobs = m_controller->jobs();
        const QString file = m_dir.filePath(QStringLiteral("drop/Keyboard take.wav"));
        touch(file);
        QCOMPARE(m_controller->addPaths({file}), 1);
        jobs->flush();
        QVERIFY(m_controller->canStart());

        auto* start = child("startButton");
        start->forceActiveFocus(Qt::TabFocusReason);
        QVERIFY(start->property("visualFocus").toBool());
        const qsizetype enqueued = m_backend.enqueued.size();
        const int ready = jobs->readyCount(); // this file and any staged before
        QTest::keyClick(m_window, Qt::Key_Space);
        QCOMPARE(m_backend.enqueued.size(), enqueued + ready);
        jobs->flush();
        QVERIFY(!start->isEnabled());
        QTRY_VERIFY(focusedRow() != QStringLiteral("-"));

        auto* cancelAll = child("cancelButton");
        QVERIFY(cancelAll->isEnabled());
        cancelAll->forceActiveFocus(Qt::TabFocusReason);
        QTest::keyClick(m_window, Qt::Key_Space);
        QVERIFY(!m_backend.cancelled.isEmpty());
        settleActiveJobs(); // the backend confirms: nothing runs, Cancel all turns disabled
        QVERIFY(!cancelAll->isEnabled());
        QTRY_VERIFY(focusedRow() != QStringLiteral("-"));

        // A row's Cancel: the job is cancelled, the button goes, the keyboard stays on the row.
        const JobSnapshot queued = m_backend.add(m_dir.filePath(QStringLiteral("drop/Queued take.wav")));
        jobs->flush();
        const int row = jobs->rowOf(queued.id);
        QVERIFY(row >= 0);
        auto* list = child("jobList");
        list->setProperty("currentIndex", row);
        list->forceActiveFocus(Qt::TabFocusReason);
        QTRY_COMPARE(focusedRow(), QStringLiteral("Queued take.wav"));
        QQuickItem* rowCancel = itemNamed(m_window->activeFocusItem(), QStringLiteral("rowCancelButton"));
        QVERIFY(rowCancel);
        rowCancel->forceActiveFocus(Qt::TabFocusReason);
        QTest::keyClick(m_window, Qt::Key_Space);
        QCOMPARE(m_backend.cancelled.last(), queued.id);
        settleActiveJobs();
        QTRY_COMPARE(focusedRow(), QStringLiteral("Queued take.wav"));

        // The row's ✕: the row goes, the keyboard moves to the row in its place.
        const int rows = jobs->rowCount();
        QVERIFY(rows >= 2);
        QQuickItem* remove = itemNamed(m_window->activeFocusItem(), QStringLiteral("removeButton"));
        QVERIFY(remove);
        remove->forceActiveFocus(Qt::TabFocusReason);
        QTest::keyClick(m_window, Qt::Key_Space);
        jobs->flush();
        QCOMPARE(jobs->rowCount(), rows - 1);
        QCOMPARE(jobs->rowOf(queued.id), -1);
        // The list's current row itself, not the removed row's recycled item (which Qt 6.4 leaves
        // the focus on, showing whichever file it is reused for).
        QTRY_COMPARE(m_window->activeFocusItem(), list->property("currentItem").value<QQuickItem*>());
        QVERIFY(focusedRow() != QStringLiteral("-"));
        QVERIFY(focusedRow() != QStringLiteral("Queued take.wav"));

        // With the mouse, Start leaves the keyboard where it was.
        QCOMPARE(m_controller->addPaths({file}), 1);
        jobs->flush();
        QVERIFY(m_controller->canStart());
        QTest::qWait(20); // nothing left pending from the keyboard steps
        list->setFocus(false);
        child("stemPreview")->forceActiveFocus();
        QTest::mouseClick(m_window, Qt::LeftButton, {}, start->mapToScene(QPointF(start->width() / 2, start->height() / 2)).toPoint());
        jobs->flush();
        QVERIFY(!start->isEnabled());
        QTest::qWait(20);
        QCOMPARE(focusedRow(), QStringLiteral("-"));
        settleActiveJobs();
    }

    // The device box's open list marks the row the arrows are on (its custom rows did not).
    void deviceListShowsTheKeyboardRow() {
        auto* box = child("deviceBox");
        QVERIFY(box);
        box->forceActiveFocus(Qt::TabFocusReason);
        QTest::keyClick(m_window, Qt::Key_Space); // opens the list
        auto* popup = box->property("popup").value<QObject*>();
        QTRY_VERIFY(popup->property("opened").toBool());
        QQuickItem* choice = nullptr;
        QTRY_VERIFY((choice = itemNamed(m_window->contentItem(), QStringLiteral("deviceChoice"))));
        QCOMPARE(box->property("highlightedIndex").toInt(), 0);
        QVERIFY(choice->property("highlighted").toBool());
        QTest::keyClick(m_window, Qt::Key_Escape);
        QTRY_VERIFY(!popup->property("visible").toBool());
        box->setFocus(false);
    }

    // The About box's credits and a long list of files that were not added scroll from the
    // keyboard: they hold no focusable item, and only the mouse could scroll them.
    void longTextScrollsFromTheKeyboard() {
        QTemporaryDir dir;
        QFile readme(dir.filePath(QStringLiteral("README.md")));
        QVERIFY(readme.open(QIODevice::WriteOnly));
        readme.write("## Credits\n\n");
        for (int i = 0; i < 80; ++i)
            readme.write(QStringLiteral("- Sample set %1, licence CC0\n").arg(i).toUtf8());
        readme.close();
        m_controller->setCreditsFile(readme.fileName());
        QMetaObject::invokeMethod(child("aboutButton"), "clicked");
        QQuickItem* about = nullptr;
        QTRY_VERIFY((about = itemNamed(m_window->contentItem(), QStringLiteral("aboutScroll"))));
        QTRY_VERIFY(about->hasActiveFocus());
        auto* flick = about->property("contentItem").value<QQuickItem*>();
        QVERIFY(flick);
        QTRY_VERIFY(flick->property("contentHeight").toDouble() > flick->height() + 100);
        QCOMPARE(flick->property("contentY").toDouble(), 0.0);
        QTest::keyClick(m_window, Qt::Key_Down);
        const double line = flick->property("contentY").toDouble();
        QVERIFY(line > 0);
        QTest::keyClick(m_window, Qt::Key_PageDown);
        QVERIFY(flick->property("contentY").toDouble() > line + flick->height() / 2);
        QTest::keyClick(m_window, Qt::Key_End);
        QCOMPARE(flick->property("contentY").toDouble(), flick->property("contentHeight").toDouble() - flick->height());
        QTest::keyClick(m_window, Qt::Key_Home);
        QCOMPARE(flick->property("contentY").toDouble(), 0.0);
        QTest::keyClick(m_window, Qt::Key_Escape);
        QTRY_VERIFY(!about->isVisible());

        QStringList missing;
        for (int i = 0; i < 40; ++i)
            missing << dir.filePath(QStringLiteral("gone %1.wav").arg(i));
        m_controller->addPaths(missing);
        auto* dialog = m_window->findChild<QObject*>(QStringLiteral("unsupportedFilesDialog"));
        QTRY_VERIFY(dialog->property("opened").toBool());
        QQuickItem* list = nullptr;
        QTRY_VERIFY((list = itemNamed(m_window->contentItem(), QStringLiteral("unsupportedList"))));
        QTRY_VERIFY(list->hasActiveFocus());
        QVERIFY(list->property("contentHeight").toDouble() > list->height());
        QTest::keyClick(m_window, Qt::Key_PageDown);
        QVERIFY(list->property("contentY").toDouble() > 0);
        QMetaObject::invokeMethod(dialog, "close");
        QTRY_VERIFY(m_controller->unsupportedFiles().isEmpty());
    }

    // The profiling panel's exports in the window: a new file in the export folder per click.
    void profileExports() {
        const QString folder = m_dir.filePath(QStringLiteral("profiles"));
        QVERIFY(QDir().mkpath(folder));
        const QString destination = m_controller->settings()->destination();
        const bool nextToSource = m_controller->settings()->nextToSource();
        m_controller->settings()->setNextToSource(false);
        m_controller->settings()->setDestination(folder);
        auto* profile = m_controller->profile();
        profile->clear();
        for (int i = 0; i < 3; ++i) {
            stemdeck::ProfileEvent e;
            e.kind = stemdeck::ProfileEvent::Kind::StageEnd;
            e.stage = stemdeck::Stage::Model;
            e.time = 1.0 + i;
            e.duration = 0.5;
            e.device = "cpu";
            profile->append(e);
        }
        profile->flush();
        auto* tabs = child<QObject>("bottomTabs");
        tabs->setProperty("currentIndex", 1);
        auto* trace = child("exportTraceButton");
        auto* summary = child("exportSummaryButton");
        QVERIFY(trace && summary);
        QTRY_VERIFY(trace->isVisible() && trace->isEnabled());
        const auto click = [this](QQuickItem* button) {
            QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier,
                              button->mapToScene(QPointF(button->width() / 2, button->height() / 2)).toPoint());
        };
        click(trace);
        click(trace);
        click(summary);
        const QStringList traces = QDir(folder).entryList({"*.trace.json"}, QDir::Files, QDir::Name);
        const QStringList summaries = QDir(folder).entryList({"*.summary.json"}, QDir::Files, QDir::Name);
        QCOMPARE(traces.size(), 2); // the second click did not overwrite the first
        QCOMPARE(summaries.size(), 1);
        QFile f(QDir(folder).filePath(traces.first()));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("\"traceEvents\""));
        QVERIFY(child<QObject>("exportMessage")->property("text").toString().contains(summaries.first()));
        tabs->setProperty("currentIndex", 0);
        profile->clear();
        m_controller->settings()->setDestination(destination);
        m_controller->settings()->setNextToSource(nextToSource);
    }

    void errorBannerScreenshot() {
        JobFailure f;
        f.jobId = 4;
        f.id = QStringLiteral("cuda_oom");
        f.title = QStringLiteral("The GPU ran out of memory");
        f.explanation = QStringLiteral("The batch of chunks did not fit into the 80 GiB of the card. "
                                       "A smaller batch uses less memory; the CPU always works, more slowly.");
        f.actions = {QStringLiteral("smaller-batch"), QStringLiteral("retry-cpu")};
        f.details = QStringLiteral("CUDA out of memory. Tried to allocate 5.71 GiB (GPU 0; 79.1 GiB total capacity)");
        m_backend.fail(f);
        QVERIFY(m_controller->errors()->isVisible());
        QTRY_VERIFY(child("bannerTitle") && child("bannerTitle")->isVisible());
        save(QStringLiteral("error-banner.png"));
        m_controller->errors()->dismiss();
    }

    void modelsTabScreenshot() {
        auto* tabs = m_window->findChild<QObject*>(QStringLiteral("sideTabs"));
        QVERIFY(tabs);
        tabs->setProperty("currentIndex", 1);
        QTRY_VERIFY(child("modelList") && child("modelList")->isVisible());
        save(QStringLiteral("models.png"));
        tabs->setProperty("currentIndex", 0);
    }

    void translatedWindow() {
        m_controller->setLanguage(QStringLiteral("de"));
        QCOMPARE(m_controller->language(), QStringLiteral("de"));
        auto* start = m_window->findChild<QObject*>(QStringLiteral("startButton"));
        QVERIFY(start);
        QCOMPARE(start->property("text").toString(), QStringLiteral("Starten"));
        QCOMPARE(child<QObject>("previewTab")->property("text").toString(), QStringLiteral("Vorschau"));
        // The embedded preview and profiling panels follow the language too.
        QCOMPARE(child<QObject>("playButton")->property("text").toString(), QStringLiteral("Abspielen"));
        QCOMPARE(child<QObject>("timePerStageLabel")->property("text").toString(), QStringLiteral("Zeit pro Phase"));
        QCOMPARE(child<QObject>("warmupLabel")->property("text").toString().left(10), QStringLiteral("Aufwärmen "));
        // The preview's "playback is off" line (from C++, shown since spaceTogglesPreviewPlayback).
        QVERIFY2(child<QObject>("audioMessage")->property("text").toString().contains(QStringLiteral("Wiedergabe")),
                 qPrintable(child<QObject>("audioMessage")->property("text").toString()));
        save(QStringLiteral("main-window-de.png"));
        m_controller->setLanguage(QStringLiteral("en"));
        QCOMPARE(start->property("text").toString(), QStringLiteral("Start"));
        QCOMPARE(child<QObject>("timePerStageLabel")->property("text").toString(), QStringLiteral("Time per stage"));
    }

    void darkTheme() {
        m_controller->settings()->setTheme(QStringLiteral("dark"));
        QVERIFY(m_controller->dark());
        QTRY_COMPARE(m_window->color().lightness() < 128, true);
        save(QStringLiteral("main-window-dark.png"));
        m_controller->settings()->setTheme(QStringLiteral("light"));
        QTRY_COMPARE(m_window->color().lightness() > 128, true);
    }

    // A file whose header cannot be read leaves the queue by itself and is listed, with why.
    void unreadableDropIsListed() {
        m_controller->setDurationProbe(AppController::defaultDurationProbe());
        const int before = m_controller->jobs()->rowCount();
        const QString damaged = m_dir.filePath(QStringLiteral("drop/Broken export.wav"));
        touch(damaged, "RIFF....WAVEfmt "); // cut short inside its header
        QCOMPARE(m_controller->addPaths({damaged}), 1);
        auto* dialog = m_window->findChild<QObject*>(QStringLiteral("unsupportedFilesDialog"));
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->property("opened").toBool());
        m_controller->jobs()->flush();
        QCOMPARE(m_controller->jobs()->rowCount(), before);
        // A popup's items hang in the window's item tree (the overlay), not under its QObject.
        std::function<QQuickItem*(QQuickItem*)> find = [&find](QQuickItem* item) -> QQuickItem* {
            if (item->objectName() == QLatin1String("unsupportedReason")) return item;
            for (QQuickItem* c : item->childItems())
                if (QQuickItem* found = find(c)) return found;
            return nullptr;
        };
        QQuickItem* reason = nullptr;
        QTRY_VERIFY((reason = find(m_window->contentItem())) && reason->isVisible());
        QVERIFY(reason->property("text").toString().contains(QStringLiteral("cut short")));
        save(QStringLiteral("unreadable-file.png"));
        QMetaObject::invokeMethod(dialog, "close");
        QTRY_VERIFY(m_controller->unsupportedFiles().isEmpty());
        m_controller->setDurationProbe([](const QString&) { return 0.0; });
    }

    void cleanupTestCase() {
        QVERIFY2(m_warnings.isEmpty(), qPrintable(m_warnings.join('\n')));
        m_engine.reset();
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
