// Screenshots of the stem preview panel (a loaded job, one stem soloed, a loop selected) and the
// profiling panel (a recorded stream), rendered offscreen with QQuickWindow::grabWindow. They go
// to STEMDECK_SCREENSHOT_DIR when set (docs/screenshots in the repository); the test checks
// that each picture has the panel's content, not an empty window.
#include "audio_fixture.h"
#include "profile_model.h"
#include "recorded_stream.h"
#include "stem_preview.h"

#include <QGuiApplication>
#include <QImage>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(StemDeck_PreviewPlugin)
Q_IMPORT_QML_PLUGIN(StemDeck_ProfilingPlugin)

using namespace stemdeck;

class TestScreenshots : public QObject {
    Q_OBJECT
    QQmlEngine m_engine;
    QTemporaryDir m_dir;

    QQuickItem* create(const QByteArray& qml, QQuickWindow& window) {
        QQmlComponent c(&m_engine);
        c.setData(qml, QUrl(QStringLiteral("qrc:/screenshot.qml")));
        QObject* o = c.create();
        if (!o) qWarning() << c.errors();
        auto* item = qobject_cast<QQuickItem*>(o);
        if (!item) return nullptr;
        item->setParentItem(window.contentItem());
        window.setColor(QColor(0x12, 0x14, 0x17));
        return item;
    }

    QImage shoot(QQuickWindow& window, QQuickItem* item, const QString& name) {
        window.resize(int(item->width()), 400);
        window.show();
        if (!QTest::qWaitForWindowExposed(&window)) return {};
        // Layouts settle at polish time: size the window to the panel once they have.
        QTest::qWait(200);
        window.resize(int(item->width()), int(item->implicitHeight()));
        item->setHeight(item->implicitHeight());
        QTest::qWait(200);
        const QImage image = window.grabWindow();
        const QByteArray dir = qgetenv("STEMDECK_SCREENSHOT_DIR");
        if (!dir.isEmpty()) image.save(QString::fromLocal8Bit(dir) + QLatin1Char('/') + name);
        return image;
    }

    static int colours(const QImage& image) {
        QSet<QRgb> seen;
        for (int y = 0; y < image.height(); y += 2)
            for (int x = 0; x < image.width(); x += 2) seen.insert(image.pixel(x, y));
        return int(seen.size());
    }

private Q_SLOTS:
    void initTestCase() {
        m_engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    }

    void previewPanel() {
        QDir dir(m_dir.path());
        dir.mkpath(QStringLiteral("job"));
        dir.cd(QStringLiteral("job"));
        // A two-bar loop at 120 BPM: kick on the beats, snare on 2 and 4, a bass line.
        const int rate = 44100;
        const int64_t frames = 4 * rate;
        auto write = [&](const QString& name, auto fn) {
            audio::AudioBuffer b = audio::AudioBuffer::zeros(2, frames, rate);
            for (int64_t f = 0; f < frames; ++f) {
                const double t = double(f) / rate;
                const float v = float(fn(t));
                b.channel(0)[size_t(f)] = v;
                b.channel(1)[size_t(f)] = v;
            }
            audio::ExportOptions o;
            o.format = audio::OutputFormat::Wav16;
            o.clip = audio::ClipPolicy::Clamp;
            audio::exportAudio(b, dir.filePath(name + QStringLiteral(".wav")).toStdString(), o);
        };
        auto hit = [](double t, double period, double offset, double decay) {
            const double u = std::fmod(t - offset + 100 * period, period);
            return std::exp(-u * decay);
        };
        write(QStringLiteral("bass"), [&](double t) { return 0.35 * std::sin(2 * M_PI * (t < 2 ? 55 : 41.2) * t) * (0.6 + 0.4 * hit(t, 0.25, 0, 6)); });
        write(QStringLiteral("kick"), [&](double t) { return 0.9 * hit(t, 0.5, 0, 18) * std::sin(2 * M_PI * 60 * t); });
        write(QStringLiteral("snare"), [&](double t) { return 0.6 * hit(t, 1.0, 0.5, 25) * std::sin(t * 12345.0 * std::sin(t * 777.0)); });
        write(QStringLiteral("hihat"), [&](double t) { return 0.25 * hit(t, 0.125, 0, 60) * std::sin(t * 54321.0 * std::sin(t * 999.0)); });
        write(QStringLiteral("mix"), [&](double t) {
            return 0.35 * std::sin(2 * M_PI * (t < 2 ? 55 : 41.2) * t) + 0.9 * hit(t, 0.5, 0, 18) * std::sin(2 * M_PI * 60 * t) +
                   0.6 * hit(t, 1.0, 0.5, 25) * std::sin(t * 12345.0 * std::sin(t * 777.0));
        });
        QDir(dir).rename(QStringLiteral("mix.wav"), m_dir.filePath(QStringLiteral("mix.wav")));

        QQuickWindow window;
        QQuickItem* panel = create("import StemDeck.Preview\nStemPreviewPanel { width: 1100 }", window);
        panel->setProperty("exportPath", m_dir.filePath(QStringLiteral("all-but-snare.wav")));
        QVERIFY(panel);
        auto* preview = panel->property("preview").value<preview::StemPreview*>();
        QVERIFY(preview);
        preview->loadFolder(dir.path(), m_dir.filePath(QStringLiteral("mix.wav")));
        QVERIFY(preview->waitForIdle());
        QCOMPARE(preview->status(), preview::StemPreview::Status::Ready);
        preview->setSolo(3, true); // snare
        preview->setLoop(0.0, 2.0);
        preview->seek(0.75);
        preview->play(); // no device here: the panel shows the message
        const QImage image = shoot(window, panel, QStringLiteral("preview-mixer.png"));
        QVERIFY(!image.isNull());
        QVERIFY(image.height() > 300);
        QVERIFY2(colours(image) > 50, "the preview screenshot looks empty");
    }

    void profilingPanel() {
        QQuickWindow window;
        QQuickItem* panel = create("import StemDeck.Profiling\nProfilingPanel { width: 1100 }", window);
        QVERIFY(panel);
        auto* model = panel->property("model").value<profiling::ProfileModel*>();
        QVERIFY(model);
        model->setDeviceInfo(QStringLiteral("NVIDIA H100 80GB HBM3, 79.1 GiB, CUDA 12.1, LibTorch 2.1.0 (cached)"));
        for (const ProfileEvent& e : test::recordedStream(40)) model->append(e);
        model->flush();
        const QImage image = shoot(window, panel, QStringLiteral("profiling-panel.png"));
        QVERIFY(!image.isNull());
        QVERIFY2(colours(image) > 30, "the profiling screenshot looks empty");
    }
};

int main(int argc, char** argv) {
    qputenv("PULSE_SERVER", "unix:/nonexistent/stemdeck-no-audio");
    QGuiApplication app(argc, argv);
    TestScreenshots t;
    return QTest::qExec(&t, argc, argv);
}
#include "tst_screenshots.moc"
