// AppController: the one application-level object QML sees. It owns the panel view-models
// (settings, models, jobs, error banner), turns user intents (drop, open, start, cancel,
// export) into calls on the JobBackend, and holds the facts the About box shows.
// Everything from lower layers is injected (backend, validators, versions) so tests and the
// application wire different implementations through the same seams.
#pragma once

#include <QObject>
#include <QStringList>
#include <QUrl>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <functional>
#include <memory>

#include "error_banner_model.h"
#include "file_intake.h"
#include "job_list_model.h"
#include "model_catalogue.h"
#include "settings_model.h"
#include "translator.h"

#include "common/error.h"

#include "profile_model.h"

#include <QSet>

class QQmlEngine;

namespace stemdeck::ui {

class AppController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Created by main()")
    Q_PROPERTY(stemdeck::ui::SettingsModel* settings READ settings CONSTANT)
    Q_PROPERTY(stemdeck::ui::ModelCatalogue* models READ models CONSTANT)
    Q_PROPERTY(stemdeck::ui::JobListModel* jobs READ jobs CONSTANT)
    Q_PROPERTY(stemdeck::ui::ErrorBannerModel* errors READ errors CONSTANT)
    Q_PROPERTY(stemdeck::profiling::ProfileModel* profile READ profile CONSTANT)
    Q_PROPERTY(QStringList unsupportedFiles READ unsupportedFiles NOTIFY unsupportedFilesChanged)
    // Why each of those files was not added, where known (path -> plain words).
    Q_PROPERTY(QVariantMap unsupportedReasons READ unsupportedReasons NOTIFY unsupportedFilesChanged)
    Q_PROPERTY(QStringList audioNameFilters READ audioNameFilters CONSTANT)
    Q_PROPERTY(bool canStart READ canStart NOTIFY canStartChanged)
    Q_PROPERTY(bool dark READ dark NOTIFY themeChanged)
    Q_PROPERTY(QString language READ language NOTIFY languageChanged)
    Q_PROPERTY(QVariantList languages READ languages NOTIFY languageChanged)
    Q_PROPERTY(QString version READ version CONSTANT)
    Q_PROPERTY(QString qtVersion READ qtVersion CONSTANT)
    Q_PROPERTY(QString libtorchVersion READ libtorchVersion NOTIFY aboutChanged)
    Q_PROPERTY(QString credits READ credits NOTIFY aboutChanged)
    Q_PROPERTY(QString backendStatus READ backendStatus NOTIFY aboutChanged)
    // The bundled demo loop, offered in the empty queue when it and its model are installed.
    Q_PROPERTY(QString demoFile READ demoFile NOTIFY demoChanged)

public:
    using DurationProbe = std::function<double(const QString& path)>;

    // settings: persistent storage (tests pass an ini file); modelsDir: the user's model folder.
    AppController(std::unique_ptr<QSettings> settings, const QString& modelsDir,
                  QObject* parent = nullptr);
    ~AppController() override;

    SettingsModel* settings() const { return m_settings; }
    ModelCatalogue* models() const { return m_models; }
    JobListModel* jobs() const { return m_jobs; }
    ErrorBannerModel* errors() const { return m_errors; }
    // The live profiling panel's model; the application makes it follow the running job.
    profiling::ProfileModel* profile() const { return m_profile; }

    // Wiring (main.cpp, tests).
    void setBackend(JobBackend* backend);
    void setQmlEngine(QQmlEngine* engine);
    void setFileIntake(FileIntake intake) { m_intake = std::move(intake); }
    // Reads an audio file's duration (header only); run on the thread pool.
    void setDurationProbe(DurationProbe probe) { m_probe = std::move(probe); }
    // The one the application uses (libsndfile's header read); it throws stemdeck::Error for a
    // file that cannot be read, which takes that file out of the queue (refuseUnreadable).
    static DurationProbe defaultDurationProbe();
    void setLibtorchVersion(const QString& v);
    void setBackendStatus(const QString& s); // e.g. why separation is unavailable
    void setCreditsFile(const QString& markdownPath);
    void setDeviceSummary(std::function<QString()> p);
    void setProfileSummary(std::function<QString()> p);
    // The demo loop and the bundled model it is separated with (main.cpp: resources/demo and
    // resources/models). Offered only when both exist; the model must be in the catalogue.
    void setDemo(const QString& file, const QString& modelName);

    QStringList unsupportedFiles() const { return m_unsupported; }
    QVariantMap unsupportedReasons() const { return m_unsupportedReasons; }
    QStringList audioNameFilters() const { return m_intake.nameFilters(); }
    bool canStart() const;
    bool dark() const;
    QString language() const { return m_translator.current(); }
    QVariantList languages() const { return Translator::languages(); }
    QString version() const;
    QString qtVersion() const;
    QString libtorchVersion() const { return m_libtorchVersion; }
    QString credits() const { return m_credits; }
    QString backendStatus() const { return m_backendStatus; }
    QString demoFile() const { return m_demoFile; }

    // Drop, Open dialog and command line all end here. Returns how many files were added.
    Q_INVOKABLE int addUrls(const QList<QUrl>& urls);
    int addPaths(const QStringList& paths);
    Q_INVOKABLE void clearUnsupported();
    // Queues every Ready job with the current settings.
    Q_INVOKABLE void start();
    // Queues the demo loop as a Ready job (no second copy when it is already waiting). With
    // chooseModel its bundled model becomes the current one; without (start-up), only when no
    // model is chosen, so a model the user picked earlier stays. True when the demo is ready.
    Q_INVOKABLE bool stageDemo(bool chooseModel = true);
    // One click from an empty window: stageDemo() then start(); the finished job opens in the
    // stem preview like any other.
    Q_INVOKABLE void separateDemo();
    Q_INVOKABLE void cancelAll();
    Q_INVOKABLE void exportAll();
    Q_INVOKABLE void reveal(const QString& folder);
    Q_INVOKABLE void setLanguage(const QString& code);
    // Where the profiling panel writes its Chrome trace (kind "trace") or JSON summary
    // ("summary"): the export folder (the user's Documents when stems go next to their source),
    // a name with the time, never an existing file.
    Q_INVOKABLE QString profileExportPath(const QString& kind) const;
    // Asks the window to open the finished job of `row` in the stem preview (previewRequested).
    Q_INVOKABLE void previewJob(int row);
    // The request a Ready job would be queued with now (tests, "Copy report").
    JobRequest requestFor(const QString& file) const;

Q_SIGNALS:
    void unsupportedFilesChanged();
    void canStartChanged();
    void themeChanged();
    void languageChanged();
    void aboutChanged();
    void demoChanged();
    // Asks the window to show the folder chooser (error action "Choose another folder").
    void chooseDestinationRequested();
    void revealRequested(const QString& folder);
    // A job finished (once per job; automatic) or the user picked a finished one: the window
    // loads its stems (stemFiles when known, else every audio file in outputFolder) into the
    // preview, unless automatic and the preview is playing. mixFolder: where "Export all but
    // muted" writes (next to the input when the stems go there, else the export folder).
    void previewRequested(const QString& outputFolder, const QStringList& stemFiles, const QString& inputFile,
                          const QString& mixFolder, bool automatic);

private:
    void onErrorAction(const QString& actionId, quint64 jobId);
    void probeDuration(quint64 localId, const QString& path);
    // previewRequested for a finished job; false when it has nothing to listen to.
    bool requestPreview(const JobSnapshot& job, bool automatic);
    // A staged file whose header cannot be read leaves the queue and joins the "not added" list.
    void refuseUnreadable(quint64 localId, const QString& path, ErrorCode code);
    static QString undecodableNameReason();
    void showModelLost(const QString& name);

    SettingsModel* m_settings;
    ModelCatalogue* m_models;
    JobListModel* m_jobs;
    ErrorBannerModel* m_errors;
    profiling::ProfileModel* m_profile;
    QSet<quint64> m_previewed; // finished jobs already sent to the preview
    JobBackend* m_backend = nullptr;
    FileIntake m_intake;
    DurationProbe m_probe;
    Translator m_translator;
    QStringList m_unsupported;
    QVariantMap m_unsupportedReasons;
    QString m_libtorchVersion;
    QString m_credits;
    QString m_backendStatus;
    QString m_demoFile;
    QString m_demoModel;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace stemdeck::ui
