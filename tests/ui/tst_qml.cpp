// Qt Quick Test runner for the StemDeck.Ui components (tests/ui/qml/tst_*.qml). The setup gives
// each test an AppController (`app`) with a scripted backend and a helper (`fake`) that adds jobs.
#include "app_controller.h"
#include "fake_backend.h"

#include <QDir>
#include <QFile>
#include <QQmlContext>
#include <QQmlEngine>
#include <QQuickStyle>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(StemDeck_UiPlugin)
Q_IMPORT_QML_PLUGIN(StemDeck_PreviewPlugin)
Q_IMPORT_QML_PLUGIN(StemDeck_ProfilingPlugin)

using namespace stemdeck::ui;

class FakeHelper : public QObject {
    Q_OBJECT
public:
    explicit FakeHelper(test::FakeBackend* b, AppController* c) : m_backend(b), m_controller(c) {}
    Q_INVOKABLE void addJob(const QString& file, const QString& state, double progress) {
        static const QStringList names = {"ready", "queued", "running", "done", "failed", "cancelled"};
        m_backend->add(file, JobState(std::max<qsizetype>(0, names.indexOf(state))), progress);
        m_controller->jobs()->flush();
    }
    Q_INVOKABLE int enqueuedCount() const { return int(m_backend->enqueued.size()); }
    Q_INVOKABLE int cancelledCount() const { return int(m_backend->cancelled.size()); }
    Q_INVOKABLE void showError() {
        JobFailure f;
        f.jobId = 1;
        f.id = QStringLiteral("cuda_oom");
        f.title = QStringLiteral("The GPU ran out of memory");
        f.explanation = QStringLiteral("Use a smaller batch or the CPU.");
        f.actions = {QStringLiteral("smaller-batch"), QStringLiteral("retry-cpu")};
        f.details = QStringLiteral("CUDA out of memory. Tried to allocate 5.71 GiB");
        m_backend->fail(f);
    }
    Q_INVOKABLE int retriedCount() const { return int(m_backend->retried.size()); }
    // Two more installed models ("Alpha", "Beta"), for choosing one from the keyboard.
    Q_INVOKABLE void addTwoModels() {
        for (const char* name : {"Alpha", "Beta"}) {
            const QString dir = m_models.filePath(QStringLiteral("bundled/%1").arg(QLatin1String(name)));
            QDir().mkpath(dir);
            QFile config(dir + QStringLiteral("/config.yaml"));
            if (config.open(QIODevice::WriteOnly)) config.write("training:\n  instruments:\n    - vocals\n    - other\n");
            QFile weights(dir + QStringLiteral("/model.ckpt"));
            if (weights.open(QIODevice::WriteOnly)) weights.write("weights");
        }
        m_controller->models()->addBundledDir(m_models.filePath(QStringLiteral("bundled")));
    }

private:
    test::FakeBackend* m_backend;
    AppController* m_controller;
    QTemporaryDir m_models;
};

class Setup : public QObject {
    Q_OBJECT
public Q_SLOTS:
    void applicationAvailable() { QQuickStyle::setStyle(QStringLiteral("Fusion")); }
    void qmlEngineAvailable(QQmlEngine* engine) {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        auto* backend = new test::FakeBackend(engine);
        auto* controller = new AppController(
            std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("s%1.ini").arg(++m_n)), QSettings::IniFormat),
            m_dir.filePath(QStringLiteral("models")), engine);
        controller->setBackend(backend);
        controller->settings()->setAvailableStems({"vocals", "drums", "bass", "other"});
        engine->rootContext()->setContextProperty(QStringLiteral("app"), controller);
        engine->rootContext()->setContextProperty(QStringLiteral("fake"), new FakeHelper(backend, controller));
    }

private:
    QTemporaryDir m_dir;
    int m_n = 0;
};

QUICK_TEST_MAIN_WITH_SETUP(tst_ui_qml, Setup)
#include "tst_qml.moc"
