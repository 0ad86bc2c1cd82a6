// Qt Quick Test runner for both panels (tst_*.qml in qml/): the profiling panel fed a recorded
// event stream, the stem preview panel a job folder of generated stems. No audio device.
#include "audio_fixture.h"
#include "profile_model.h"
#include "recorded_stream.h"

#include <QQmlContext>
#include <QQmlEngine>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(StemDeck_PreviewPlugin)
Q_IMPORT_QML_PLUGIN(StemDeck_ProfilingPlugin)

using namespace stemdeck;

class Fixture : public QObject {
    Q_OBJECT
public:
    explicit Fixture(QObject* parent) : QObject(parent) {
        QDir dir(m_dir.path());
        dir.mkpath(QStringLiteral("job"));
        dir.cd(QStringLiteral("job"));
        test::writeTone(dir, QStringLiteral("bass"), 2.0, 55.0, 0.4f);
        test::writeTone(dir, QStringLiteral("drums"), 2.0, 3.0, 0.8f);
        test::writeTone(dir, QStringLiteral("vocals"), 1.5, 220.0, 0.3f);
        m_original = test::writeTone(QDir(m_dir.path()), QStringLiteral("mix"), 2.0, 110.0, 0.6f);
    }
    Q_INVOKABLE QString jobFolder() const { return m_dir.filePath(QStringLiteral("job")); }
    Q_INVOKABLE QString original() const { return m_original; }
    Q_INVOKABLE QString tempFile(const QString& name) const { return m_dir.filePath(name); }
    // Appends a recorded stream the way JobQueue delivers it (the model coalesces).
    Q_INVOKABLE int feed(stemdeck::profiling::ProfileModel* model, int batches) const {
        const auto events = test::recordedStream(batches);
        for (const ProfileEvent& e : events) model->append(e);
        return int(events.size());
    }

private:
    QTemporaryDir m_dir;
    QString m_original;
};

class Setup : public QObject {
    Q_OBJECT
public Q_SLOTS:
    void applicationAvailable() { qputenv("PULSE_SERVER", "unix:/nonexistent/stemdeck-no-audio"); }
    void qmlEngineAvailable(QQmlEngine* engine) {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        engine->rootContext()->setContextProperty(QStringLiteral("fixture"), new Fixture(engine));
    }
};

QUICK_TEST_MAIN_WITH_SETUP(tst_preview_qml, Setup)
#include "tst_preview_qml.moc"
