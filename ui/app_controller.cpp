#include "app_controller.h"

#include "audio/decode.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QGuiApplication>
#include <QPalette>
#include <QStandardPaths>
#include <QThreadPool>
#include <QtGlobal>

namespace stemdeck::ui {

AppController::AppController(std::unique_ptr<QSettings> settings, const QString& modelsDir,
                             QObject* parent)
    : QObject(parent) {
    QSettings* raw = settings.get();
    m_settings = new SettingsModel(std::move(settings), this);
    m_models = new ModelCatalogue(raw, modelsDir, this);
    m_jobs = new JobListModel(this);
    m_errors = new ErrorBannerModel(this);
    m_profile = new profiling::ProfileModel(this);
    m_errors->setSettingsSummary([this] {
        return m_settings->summary() + QStringLiteral("\nmodel: %1").arg(m_models->currentName());
    });

    // The chosen model decides which stems the settings panel offers.
    const auto syncStems = [this] { m_settings->setAvailableStems(m_models->currentStems()); };
    connect(m_models, &ModelCatalogue::currentChanged, this, syncStems);
    syncStems();
    connect(m_models, &ModelCatalogue::currentChanged, this, &AppController::canStartChanged);
    connect(m_models, &ModelCatalogue::currentModelLost, this, &AppController::showModelLost);
    connect(m_jobs, &JobListModel::summaryChanged, this, &AppController::canStartChanged);
    connect(m_settings, &SettingsModel::changed, this, &AppController::canStartChanged);
    connect(m_settings, &SettingsModel::changed, this, &AppController::themeChanged);
    connect(m_jobs, &JobListModel::revealRequested, this, &AppController::reveal);
    connect(m_errors, &ErrorBannerModel::actionRequested, this, &AppController::onErrorAction);
    // A job that has just finished opens in the stem preview (once per job).
    const auto previewFinished = [this](int first, int last) {
        for (int row = first; row <= last; ++row) {
            const JobSnapshot* job = m_jobs->job(row);
            if (!job || job->state != JobState::Done || m_previewed.contains(job->id))
                continue;
            if (requestPreview(*job, /*automatic=*/true))
                m_previewed.insert(job->id);
        }
    };
    connect(m_jobs, &QAbstractItemModel::dataChanged, this,
            [previewFinished](const QModelIndex& a, const QModelIndex& b) { previewFinished(a.row(), b.row()); });
    connect(m_jobs, &QAbstractItemModel::rowsInserted, this,
            [previewFinished](const QModelIndex&, int a, int b) { previewFinished(a, b); });

    // Durations come from the file header (libsndfile), read on the thread pool.
    m_probe = defaultDurationProbe();

    m_translator.apply(m_settings->language());
    connect(&m_translator, &Translator::languageChanged, this, [this] {
        m_settings->setDevices(m_settings->devices()); // "Automatic"/"CPU" labels
        m_settings->notifyLanguageChanged();
        m_errors->retranslate();
        m_jobs->retranslate();
        m_models->retranslate();
        Q_EMIT languageChanged();
    });
}

AppController::~AppController() { *m_alive = false; }

void AppController::setBackend(JobBackend* backend) {
    m_backend = backend;
    m_jobs->setBackend(backend);
    if (backend)
        connect(backend, &JobBackend::jobFailed, m_errors, &ErrorBannerModel::show);
    Q_EMIT canStartChanged();
}

void AppController::previewJob(int row) {
    const JobSnapshot* job = m_jobs->job(row);
    if (job && job->state == JobState::Done && requestPreview(*job, /*automatic=*/false))
        m_previewed.insert(job->id);
}

bool AppController::requestPreview(const JobSnapshot& job, bool automatic) {
    const QStringList files = !job.previewFiles.isEmpty() ? job.previewFiles : job.outputFiles;
    if (files.isEmpty() && job.outputFolder.isEmpty())
        return false;
    const QString mixFolder =
        m_settings->nextToSource() ? QFileInfo(job.file).absolutePath() : m_settings->destination();
    Q_EMIT previewRequested(job.outputFolder, files, job.file, mixFolder, automatic);
    return true;
}

void AppController::setQmlEngine(QQmlEngine* engine) { m_translator.setEngine(engine); }

void AppController::setLibtorchVersion(const QString& v) {
    m_libtorchVersion = v;
    Q_EMIT aboutChanged();
}

void AppController::setBackendStatus(const QString& s) {
    m_backendStatus = s;
    Q_EMIT aboutChanged();
}

void AppController::setCreditsFile(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return;
    const QString text = QString::fromUtf8(f.read(64 * 1024));
    // The About box shows the file's credits section (a "## ..." heading naming credits, up to
    // the next such heading) without its heading: the rest of the demo's README is for
    // maintainers (how the loop is rendered). A file without such a section is shown whole.
    static const QRegularExpression heading(QStringLiteral("^## [^\n]*credit[^\n]*\n"),
                                            QRegularExpression::MultilineOption |
                                                QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = heading.match(text);
    if (m.hasMatch()) {
        const int start = int(m.capturedEnd());
        const int next = text.indexOf(QRegularExpression(QStringLiteral("^## "), QRegularExpression::MultilineOption), start);
        m_credits = text.mid(start, next < 0 ? -1 : next - start).trimmed();
    } else {
        m_credits = text;
    }
    Q_EMIT aboutChanged();
}

void AppController::setDeviceSummary(std::function<QString()> p) { m_errors->setDeviceSummary(std::move(p)); }
void AppController::setProfileSummary(std::function<QString()> p) { m_errors->setProfileSummary(std::move(p)); }

void AppController::setDemo(const QString& file, const QString& modelName) {
    const bool usable = QFileInfo(file).isFile() && m_models->rowOfName(modelName) >= 0;
    m_demoFile = usable ? QFileInfo(file).absoluteFilePath() : QString();
    m_demoModel = usable ? modelName : QString();
    Q_EMIT demoChanged();
}

bool AppController::stageDemo(bool chooseModel) {
    if (m_demoFile.isEmpty())
        return false;
    if (chooseModel || m_models->currentIndex() < 0)
        m_models->setCurrentIndex(m_models->rowOfName(m_demoModel));
    m_jobs->flush();
    for (int row = 0; row < m_jobs->rowCount(); ++row) {
        const JobSnapshot* j = m_jobs->job(row);
        if (j && j->file == m_demoFile && j->state == JobState::Ready) {
            // Queued before the model was chosen: show the model it will run with.
            JobSnapshot s = *j;
            s.model = m_models->currentName();
            m_jobs->updateJob(s);
            return true;
        }
    }
    return addPaths({m_demoFile}) == 1;
}

void AppController::separateDemo() {
    if (stageDemo())
        start();
}

QString AppController::version() const { return QStringLiteral(STEMDECK_VERSION); }
QString AppController::qtVersion() const { return QString::fromLatin1(qVersion()); }

bool AppController::canStart() const {
    return m_backend && m_jobs->readyCount() > 0 && m_models->currentIndex() >= 0
        && m_settings->namingError().isEmpty();
}

bool AppController::dark() const {
    const QString theme = m_settings->theme();
    if (theme == QLatin1String("dark"))
        return true;
    if (theme == QLatin1String("light"))
        return false;
    // Qt 6.4 has no colour-scheme hint: a dark system palette has a dark window colour.
    return QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
}

int AppController::addUrls(const QList<QUrl>& urls) {
    const IntakeResult r = m_intake.collect(urls);
    QStringList paths = r.audioFiles;
    // Unsupported and missing files are listed once per drop, never silently skipped.
    QStringList skipped = r.unsupported;
    skipped += r.missing;
    skipped += r.undecodable;
    if (!skipped.isEmpty()) {
        m_unsupported = skipped;
        m_unsupportedReasons.clear();
        for (const QString& p : r.undecodable)
            m_unsupportedReasons.insert(p, undecodableNameReason());
        Q_EMIT unsupportedFilesChanged();
    }
    for (const auto& p : paths) {
        JobSnapshot s;
        s.file = p;
        s.model = m_models->currentName();
        const QString dev = m_settings->device();
        for (const auto& d : m_settings->devices())
            if (d.toMap().value("id").toString() == dev)
                s.device = d.toMap().value("name").toString();
        const quint64 id = m_jobs->stage(s);
        probeDuration(id, p);
    }
    return int(paths.size());
}

int AppController::addPaths(const QStringList& paths) {
    QList<QUrl> urls;
    for (const auto& p : paths)
        urls << QUrl::fromLocalFile(QFileInfo(p).absoluteFilePath());
    return addUrls(urls);
}

void AppController::clearUnsupported() {
    if (m_unsupported.isEmpty())
        return;
    m_unsupported.clear();
    m_unsupportedReasons.clear();
    Q_EMIT unsupportedFilesChanged();
}

AppController::DurationProbe AppController::defaultDurationProbe() {
    return [](const QString& path) {
        audio::AudioReader reader; // throws stemdeck::Error for a missing, damaged or empty file
        reader.open(std::filesystem::path(path.toStdU16String()));
        const auto& info = reader.info();
        return info.sampleRate > 0 ? double(info.frames) / info.sampleRate : 0.0;
    };
}

void AppController::probeDuration(quint64 localId, const QString& path) {
    if (!m_probe)
        return;
    auto alive = m_alive;
    auto probe = m_probe;
    QThreadPool::globalInstance()->start([this, alive, probe, localId, path] {
        double seconds = 0;
        ErrorCode failure = ErrorCode::Internal;
        bool failed = false;
        try {
            seconds = probe(path);
        } catch (const Error& e) {
            failed = true;
            failure = e.code();
        } catch (...) {
            failed = true;
            failure = ErrorCode::UnreadableFile;
        }
        // Back on the GUI thread through the application object: this controller may be gone
        // by now (alive says so there), and a queued call must not name a deleted receiver.
        if (failed) {
            QMetaObject::invokeMethod(QCoreApplication::instance(), [this, alive, localId, path, failure] {
                if (*alive)
                    refuseUnreadable(localId, path, failure);
            }, Qt::QueuedConnection);
            return;
        }
        QMetaObject::invokeMethod(QCoreApplication::instance(), [this, alive, localId, seconds] {
            if (!*alive)
                return;
            m_jobs->flush(); // the staged row may still be pending insertion
            if (const JobSnapshot* j = m_jobs->job(m_jobs->rowOf(localId))) {
                JobSnapshot s = *j;
                s.durationSeconds = seconds;
                m_jobs->updateJob(s);
            }
        }, Qt::QueuedConnection);
    });
}

void AppController::showModelLost(const QString& name) {
    m_errors->showMessage(tr("The model is no longer there"),
                          tr("The files of %1 were deleted or moved. Download or import it again, "
                             "or choose another model; the jobs wait.").arg(name));
}

QString AppController::undecodableNameReason() {
    return tr("Its name is not valid UTF-8 (it was probably named on a system with another "
              "character set), so it cannot be opened. Rename it and add it again.");
}

void AppController::refuseUnreadable(quint64 localId, const QString& path, ErrorCode code) {
    m_jobs->flush(); // the staged row may still be pending insertion
    const int row = m_jobs->rowOf(localId);
    const JobSnapshot* j = m_jobs->job(row);
    if (!j || j->state != JobState::Ready)
        return; // already started: the job itself fails with the full explanation
    m_jobs->remove(row);
    const QFileInfo info(path);
    const QString reason = code == ErrorCode::FileNotFound ? tr("It no longer exists: it was moved, renamed or deleted.")
                           : info.exists() && !info.isReadable()
                               ? tr("You do not have permission to read it.")
                           : code == ErrorCode::EmptyInput
                               ? tr("It holds no audio.")
                               : tr("It is damaged, cut short, or not audio that StemDeck reads "
                                    "(WAV, FLAC, Ogg, Opus, MP3, AIFF).");
    if (!m_unsupported.contains(path))
        m_unsupported << path;
    m_unsupportedReasons.insert(path, reason);
    Q_EMIT unsupportedFilesChanged();
}

JobRequest AppController::requestFor(const QString& file) const {
    JobRequest r;
    r.file = file;
    if (const ModelEntry* e = m_models->entry(m_models->currentIndex())) {
        r.modelName = e->name;
        r.modelConfig = e->configPath;
        r.modelCheckpoint = e->checkpointPath;
    }
    r.device = m_settings->device();
    r.overlap = m_settings->overlapAuto() ? 0 : m_settings->overlap();
    r.softMasks = m_settings->softMasks();
    r.stereoFilter = m_settings->stereoFilter();
    r.extraPasses = m_settings->extraPasses();
    r.batchSize = m_settings->batchAuto() ? 0 : m_settings->batchSize();
    r.precision = m_settings->precision();
    r.outputFormat = m_settings->outputFormat();
    r.namingTemplate = m_settings->namingTemplate();
    r.destination = m_settings->nextToSource() ? QString() : m_settings->destination();
    // All stems exported is said as "all", so a model with other stem names still exports.
    r.stems = m_settings->exportStems().size() == m_settings->availableStems().size()
                  ? QStringList() : m_settings->exportStems();
    r.residual = m_settings->residual();
    r.exportWhenDone = m_settings->exportWhenDone();
    return r;
}

void AppController::start() {
    if (!m_backend) {
        m_errors->showMessage(tr("Separation is not available"),
                              m_backendStatus.isEmpty()
                                  ? tr("This build of StemDeck has no separation engine.")
                                  : m_backendStatus);
        return;
    }
    if (!m_settings->namingError().isEmpty()) {
        m_errors->showMessage(tr("The file name pattern is not valid"), m_settings->namingError());
        return;
    }
    // A model deleted or moved since it was chosen (seen now or by the folder watcher): the
    // jobs wait, rather than failing or running with the model chosen in its place unasked.
    m_models->recheckFiles();
    if (const QString lost = m_models->takeLostCurrent(); !lost.isEmpty()) {
        showModelLost(lost);
        return;
    }
    if (m_models->currentIndex() < 0) {
        m_errors->showMessage(tr("No model is chosen"),
                              tr("Choose the bundled model, import one or download one from the catalogue."));
        return;
    }
    for (const JobSnapshot& j : m_jobs->takeReady()) {
        JobRequest r = requestFor(j.file);
        r.durationSeconds = j.durationSeconds;
        m_backend->enqueue(r);
    }
}

QString AppController::profileExportPath(const QString& kind) const {
    QString folder = m_settings->nextToSource() ? QString() : m_settings->destination();
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString stem = QStringLiteral("StemDeck profile %1")
                             .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH.mm.ss")));
    const QString ext = kind == QLatin1String("trace") ? QStringLiteral(".trace.json") : QStringLiteral(".summary.json");
    QString path = QDir(folder).filePath(stem + ext);
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = QDir(folder).filePath(QStringLiteral("%1 (%2)%3").arg(stem).arg(n).arg(ext));
    return path;
}

void AppController::cancelAll() { m_jobs->cancelAll(); }
void AppController::exportAll() { m_jobs->exportAll(); }

void AppController::reveal(const QString& folder) {
    Q_EMIT revealRequested(folder);
    if (!qEnvironmentVariableIsSet("STEMDECK_NO_REVEAL"))
        QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
}

void AppController::setLanguage(const QString& code) {
    m_settings->setLanguage(code);
    m_translator.apply(code);
}

void AppController::onErrorAction(const QString& actionId, quint64 jobId) {
    if (actionId == QLatin1String("choose-folder")) {
        Q_EMIT chooseDestinationRequested();
        return;
    }
    if (actionId == QLatin1String("open-folder")) {
        reveal(m_settings->destination());
        return;
    }
    if (actionId == QLatin1String("show-file")) {
        // The folder holding the job's input, so the user can fix or replace the file.
        if (const JobSnapshot* j = m_jobs->job(m_jobs->rowOf(jobId)))
            reveal(QFileInfo(j->file).absolutePath());
        return;
    }
    if (!m_backend || jobId == 0)
        return;
    if (actionId == QLatin1String("retry")) {
        m_backend->retry(jobId, false);
    } else if (actionId == QLatin1String("retry-cpu")) {
        m_backend->retry(jobId, true);
    } else if (actionId == QLatin1String("smaller-batch")) {
        // The job's own batch, not the settings: the backend knows what the job ran with.
        m_backend->retryWithSmallerBatch(jobId);
    }
}

} // namespace stemdeck::ui
