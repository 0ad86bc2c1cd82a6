#include "model_catalogue.h"

#include "model_downloader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QThreadPool>

#include <utility>

namespace stemdeck::ui {

namespace {

QString kindName(ModelEntry::Kind k) {
    switch (k) {
    case ModelEntry::Kind::Bundled: return QStringLiteral("bundled");
    case ModelEntry::Kind::Imported: return QStringLiteral("imported");
    case ModelEntry::Kind::Catalogue: return QStringLiteral("catalogue");
    }
    return {};
}

bool isCheckpoint(const QString& path) {
    const QString s = QFileInfo(path).suffix().toLower();
    return s == QLatin1String("ckpt") || s == QLatin1String("safetensors") || s == QLatin1String("pth")
        || s == QLatin1String("pt");
}

bool isYaml(const QString& path) {
    const QString s = QFileInfo(path).suffix().toLower();
    return s == QLatin1String("yaml") || s == QLatin1String("yml");
}

// Stems of an MSST config without a YAML library: `target_instrument` or the `instruments`
// list (block or flow style). Only for the basic check; the model core reads configs properly.
QStringList yamlStems(const QByteArray& text) {
    QStringList instruments;
    QString target;
    const QStringList lines = QString::fromUtf8(text).split('\n');
    static const QRegularExpression key(QStringLiteral("^(\\s*)(instruments|target_instrument)\\s*:\\s*(.*)$"));
    for (int i = 0; i < lines.size(); ++i) {
        const auto m = key.match(lines[i]);
        if (!m.hasMatch())
            continue;
        QString rest = m.captured(3).trimmed();
        if (const int hash = rest.indexOf(QStringLiteral(" #")); hash >= 0)
            rest = rest.left(hash).trimmed();
        const auto unquote = [](QString s) {
            s = s.trimmed();
            if (s.size() >= 2 && (s.startsWith('"') || s.startsWith('\'')))
                s = s.mid(1, s.size() - 2);
            return s;
        };
        if (m.captured(2) == QLatin1String("target_instrument")) {
            if (rest != QLatin1String("null") && rest != QLatin1String("~"))
                target = unquote(rest);
            continue;
        }
        if (rest.startsWith('[')) {
            rest = rest.mid(1, rest.indexOf(']') - 1);
            for (const auto& s : rest.split(',', Qt::SkipEmptyParts))
                instruments << unquote(s);
            continue;
        }
        for (int j = i + 1; j < lines.size(); ++j) {
            const QString l = lines[j].trimmed();
            if (l.isEmpty() || l.startsWith('#'))
                continue;
            if (!l.startsWith(QStringLiteral("- ")))
                break;
            instruments << unquote(l.mid(2));
        }
    }
    return target.isEmpty() ? instruments : QStringList{target};
}

QString safeFolderName(const QString& name) {
    QString s = name;
    s.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("-"));
    return s;
}

} // namespace

ModelCatalogue::ModelCatalogue(QSettings* settings, QString modelsDir, QObject* parent)
    : QAbstractListModel(parent), m_settings(settings), m_modelsDir(std::move(modelsDir)),
      m_validator(&ModelCatalogue::basicCheck) {
    restoreImports();
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] { recheckFiles(); });
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, [this] { recheckFiles(); });
    watchFiles();
}

void ModelCatalogue::watchFiles() {
    QStringList paths;
    if (QFileInfo(m_modelsDir).isDir())
        paths << m_modelsDir;
#if !defined(Q_OS_WIN)
    // Not on Windows: a watched folder's open handle can keep the user from moving or deleting
    // it (QTBUG-52470), the very change watched for; there Start's recheck is what sees it.
    for (const ModelEntry& e : std::as_const(m_entries))
        if (e.installed() && e.kind != ModelEntry::Kind::Bundled)
            paths << QFileInfo(e.checkpointPath).absolutePath() << QFileInfo(e.configPath).absolutePath();
#endif
    paths.removeDuplicates();
    const QStringList watched = m_watcher.directories();
    for (const QString& p : paths)
        if (!watched.contains(p))
            m_watcher.addPath(p);
}

QStringList ModelCatalogue::recheckFiles() {
    QStringList gone;
    const QString current = currentName();
    const int currentRow = m_current;
    for (int row = int(m_entries.size()) - 1; row >= 0; --row) {
        ModelEntry& e = m_entries[row];
        const bool present = QFileInfo::exists(e.configPath) && QFileInfo::exists(e.checkpointPath);
        if (e.kind == ModelEntry::Kind::Catalogue) {
            const QStringList files = downloadTargets(e);
            const QString &cfg = files[0], &ck = files[1];
            if (e.installed() && !present) {
                e.configPath.clear();
                e.checkpointPath.clear();
                e.progress = 0.0;
                gone << e.name;
                Q_EMIT dataChanged(index(row), index(row));
            } else if (!e.installed() && !e.downloading && QFileInfo::exists(cfg) && QFileInfo::exists(ck)) {
                e.configPath = cfg;
                e.checkpointPath = ck;
                Q_EMIT dataChanged(index(row), index(row));
            }
        } else if (e.kind == ModelEntry::Kind::Imported && !present) {
            gone << e.name;
            beginRemoveRows({}, row, row);
            m_entries.removeAt(row);
            endRemoveRows();
            if (m_current == row)
                m_current = -1;
            else if (m_current > row)
                --m_current;
            rememberImports();
            Q_EMIT countChanged();
        }
    }
    // currentChanged once, after the list is settled.
    if (const ModelEntry* e = entry(m_current); !e || !e->installed()) {
        m_current = -1;
        restoreCurrent(); // says currentChanged when it finds another
        if (m_current < 0 && currentRow >= 0)
            Q_EMIT currentChanged(); // the chosen one went, and nothing took its place
    } else if (m_current != currentRow) {
        Q_EMIT currentChanged(); // the same model at another row
    }
    if (!current.isEmpty() && gone.contains(current)) {
        m_lostCurrent = current;
        Q_EMIT currentModelLost(current);
    }
    watchFiles();
    return gone;
}

QString ModelCatalogue::takeLostCurrent() {
    return std::exchange(m_lostCurrent, QString());
}

ModelCatalogue::~ModelCatalogue() {
    *m_alive = false;
    for (auto* d : std::as_const(m_downloads))
        d->pause(); // keep partial files: the next start resumes them
}

ModelCheck ModelCatalogue::basicCheck(const QString& config, const QString& checkpoint) {
    ModelCheck out;
    const QFileInfo ci(config), ki(checkpoint);
    if (!ki.exists()) {
        out.error = tr("%1: the file does not exist.").arg(checkpoint);
    } else if (!isCheckpoint(checkpoint)) {
        out.error = tr("%1: not a checkpoint (.ckpt or .safetensors).").arg(ki.fileName());
    } else if (ki.size() == 0) {
        out.error = tr("%1: the file is empty.").arg(ki.fileName());
    } else if (!ci.exists()) {
        out.error = tr("%1: the file does not exist.").arg(config);
    } else if (!isYaml(config)) {
        out.error = tr("%1: not a model configuration (.yaml).").arg(ci.fileName());
    } else {
        QFile f(config);
        if (!f.open(QIODevice::ReadOnly)) {
            out.error = tr("%1: cannot be read (%2).").arg(ci.fileName(), f.errorString());
        } else {
            out.stems = yamlStems(f.read(1 << 20));
            if (out.stems.isEmpty())
                out.error = tr("%1: the configuration names no stems (training.instruments).")
                                .arg(ci.fileName());
            else
                out.summary = tr("%n stem(s)", nullptr, int(out.stems.size()));
        }
    }
    return out;
}

QString ModelCatalogue::summaryText(int stems, int sampleRate, qint64 parameters) {
    return tr("%n stem(s)", nullptr, stems) + QStringLiteral(" · ")
         + tr("%1 Hz").arg(sampleRate) + QStringLiteral(" · ")
         + tr("%1 M parameters").arg(double(parameters) / 1e6, 0, 'f', 0);
}

int ModelCatalogue::append(ModelEntry e) {
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries.append(std::move(e));
    endInsertRows();
    Q_EMIT countChanged();
    watchFiles();
    return row;
}

void ModelCatalogue::changedRow(int row) {
    Q_EMIT dataChanged(index(row), index(row));
    if (row == m_current)
        Q_EMIT currentChanged();
}

int ModelCatalogue::rowOfName(const QString& name) const {
    for (int r = 0; r < m_entries.size(); ++r)
        if (m_entries[r].name == name)
            return r;
    return -1;
}

void ModelCatalogue::addBundledDir(const QString& dir) {
    const QDir root(dir);
    for (const auto& sub : root.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QDir d(sub.absoluteFilePath());
        const auto yaml = d.entryInfoList({"*.yaml", "*.yml"}, QDir::Files, QDir::Name);
        const auto ckpt = d.entryInfoList({"*.ckpt", "*.safetensors"}, QDir::Files, QDir::Name);
        if (yaml.isEmpty() || ckpt.isEmpty() || rowOfName(sub.fileName()) >= 0)
            continue;
        ModelEntry e;
        e.kind = ModelEntry::Kind::Bundled;
        e.name = sub.fileName();
        e.description = tr("Bundled with StemDeck");
        e.configPath = yaml.first().absoluteFilePath();
        e.checkpointPath = ckpt.first().absoluteFilePath();
        QFile f(e.configPath);
        if (f.open(QIODevice::ReadOnly))
            e.stems = yamlStems(f.read(1 << 20));
        if (QFile readme(d.filePath(QStringLiteral("README.md"))); readme.open(QIODevice::ReadOnly))
            e.licence = QString::fromUtf8(readme.readLine()).trimmed();
        append(std::move(e));
    }
    restoreCurrent();
}

bool ModelCatalogue::loadCatalogue(const QString& jsonPath) {
    QFile f(jsonPath);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    QJsonParseError err;
    const auto doc = QJsonDocument::fromJson(f.readAll(), &err);
    if (err.error != QJsonParseError::NoError)
        return false;
    for (const auto& v : doc.object().value(QStringLiteral("models")).toArray()) {
        const auto o = v.toObject();
        ModelEntry e;
        e.kind = ModelEntry::Kind::Catalogue;
        e.name = o.value(QStringLiteral("name")).toString();
        if (e.name.isEmpty() || rowOfName(e.name) >= 0)
            continue;
        e.description = o.value(QStringLiteral("description")).toString();
        e.licence = o.value(QStringLiteral("licence")).toString();
        for (const auto& s : o.value(QStringLiteral("stems")).toArray())
            e.stems << s.toString();
        const auto cfg = o.value(QStringLiteral("config")).toObject();
        const auto ck = o.value(QStringLiteral("checkpoint")).toObject();
        e.configUrl = QUrl(cfg.value(QStringLiteral("url")).toString());
        e.configSha256 = cfg.value(QStringLiteral("sha256")).toString();
        e.checkpointUrl = QUrl(ck.value(QStringLiteral("url")).toString());
        e.checkpointSha256 = ck.value(QStringLiteral("sha256")).toString();
        e.checkpointSize = qint64(ck.value(QStringLiteral("size")).toDouble());
        e.approxSizeMB = ck.value(QStringLiteral("approxSizeMB")).toInt();
        if (e.checkpointSha256.isEmpty()) // not published: the hash seen on first download
            e.checkpointSha256 = m_settings->value(QStringLiteral("model/hashes/") + e.name).toString();
        const QStringList files = downloadTargets(e);
        if (QFileInfo::exists(files[0]) && QFileInfo::exists(files[1])) {
            e.configPath = files[0];
            e.checkpointPath = files[1];
        }
        append(std::move(e));
    }
    restoreCurrent();
    return true;
}

void ModelCatalogue::retranslate() {
    for (auto& e : m_entries)
        if (e.kind == ModelEntry::Kind::Bundled)
            e.description = tr("Bundled with StemDeck");
    if (!m_entries.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_entries.size()) - 1));
}

int ModelCatalogue::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_entries.size());
}

const ModelEntry* ModelCatalogue::entry(int row) const {
    return row >= 0 && row < m_entries.size() ? &m_entries[row] : nullptr;
}

QVariant ModelCatalogue::data(const QModelIndex& index, int role) const {
    const ModelEntry* e = entry(index.row());
    if (!e)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return e->name;
    case DescriptionRole: return e->description;
    case KindRole: return kindName(e->kind);
    case StemsRole: return e->stems;
    case StemsTextRole: return e->stems.join(QStringLiteral(", "));
    case SizeTextRole:
        return e->checkpointSize > 0
                   ? QStringLiteral("%1 MB").arg(double(e->checkpointSize) / 1e6, 0, 'f', 0)
               : e->approxSizeMB > 0 ? QStringLiteral("~%1 MB").arg(e->approxSizeMB)
                                     : QString();
    case Sha256Role: return e->checkpointSha256;
    case InstalledRole: return e->installed();
    case DownloadingRole: return e->downloading;
    case ProgressRole: return e->progress;
    case ErrorRole: return e->error;
    case CheckpointPathRole: return e->checkpointPath;
    case ConfigPathRole: return e->configPath;
    case LicenceRole: return e->licence;
    case PartialRole:
        if (e->kind != ModelEntry::Kind::Catalogue || e->installed() || e->downloading)
            return false;
        for (const QString& f : partialFiles(*e))
            if (QFileInfo::exists(f))
                return true;
        return false;
    default: return {};
    }
}

QHash<int, QByteArray> ModelCatalogue::roleNames() const {
    return {{NameRole, "name"},           {DescriptionRole, "description"},
            {KindRole, "kind"},           {StemsRole, "stems"},
            {StemsTextRole, "stemsText"}, {SizeTextRole, "sizeText"},
            {Sha256Role, "sha256"},       {InstalledRole, "installed"},
            {DownloadingRole, "downloading"}, {ProgressRole, "progress"},
            {ErrorRole, "error"},         {CheckpointPathRole, "checkpointPath"},
            {ConfigPathRole, "configPath"}, {LicenceRole, "licence"},
            {PartialRole, "hasPartial"}};
}

void ModelCatalogue::setCurrentIndex(int row) {
    const ModelEntry* e = entry(row);
    if (row == m_current || !e || !e->installed())
        return;
    m_current = row;
    m_settings->setValue(QStringLiteral("model/current"), e->name);
    Q_EMIT currentChanged();
}

QString ModelCatalogue::currentName() const {
    const auto* e = entry(m_current);
    return e ? e->name : QString();
}

QStringList ModelCatalogue::currentStems() const {
    const auto* e = entry(m_current);
    return e ? e->stems : QStringList();
}

void ModelCatalogue::restoreCurrent() {
    const QString remembered = m_settings->value(QStringLiteral("model/current")).toString();
    const int r = rowOfName(remembered);
    if (r >= 0 && m_entries[r].installed()) {
        if (r != m_current) {
            m_current = r;
            Q_EMIT currentChanged();
        }
        return;
    }
    if (m_current >= 0)
        return;
    // Nothing remembered: the bundled default first, else any installed model.
    for (auto kind : {ModelEntry::Kind::Bundled, ModelEntry::Kind::Imported, ModelEntry::Kind::Catalogue})
        for (int i = 0; i < m_entries.size(); ++i)
            if (m_entries[i].kind == kind && m_entries[i].installed()) {
                m_current = i;
                Q_EMIT currentChanged();
                return;
            }
}

void ModelCatalogue::rememberImports() {
    QVariantList list;
    for (const auto& e : std::as_const(m_entries))
        if (e.kind == ModelEntry::Kind::Imported)
            list << QVariantMap{{"name", e.name}, {"config", e.configPath},
                                {"checkpoint", e.checkpointPath}, {"stems", e.stems},
                                {"summary", e.description}};
    m_settings->setValue(QStringLiteral("model/imported"), list);
}

void ModelCatalogue::restoreImports() {
    for (const auto& v : m_settings->value(QStringLiteral("model/imported")).toList()) {
        const auto m = v.toMap();
        ModelEntry e;
        e.kind = ModelEntry::Kind::Imported;
        e.name = m.value("name").toString();
        e.configPath = m.value("config").toString();
        e.checkpointPath = m.value("checkpoint").toString();
        e.stems = m.value("stems").toStringList();
        e.description = m.value("summary").toString();
        // A moved or deleted file drops the entry rather than failing a job later.
        if (e.name.isEmpty() || !QFileInfo::exists(e.checkpointPath) || !QFileInfo::exists(e.configPath))
            continue;
        append(std::move(e));
    }
    restoreCurrent();
}

void ModelCatalogue::importModel(const QUrl& checkpointUrl, const QUrl& configUrl) {
    if (m_importing)
        return;
    const QString checkpoint = checkpointUrl.isLocalFile() ? checkpointUrl.toLocalFile() : checkpointUrl.toString();
    const QString config = configUrl.isLocalFile() ? configUrl.toLocalFile() : configUrl.toString();
    m_importing = true;
    m_importError.clear();
    Q_EMIT importStateChanged();
    // Loading a checkpoint takes seconds: validate on the pool, finish on the GUI thread.
    auto alive = m_alive;
    Validator validator = m_validator;
    QThreadPool::globalInstance()->start([this, alive, validator, checkpoint, config] {
        ModelCheck check;
        try {
            check = validator(config, checkpoint);
        } catch (const std::exception& e) {
            check.error = QString::fromUtf8(e.what());
        }
        // Back through the application object: the catalogue may be gone by now (the window
        // closed during a long validation), and a queued call must not name a deleted receiver.
        QMetaObject::invokeMethod(QCoreApplication::instance(), [this, alive, check, checkpoint, config] {
            if (!*alive)
                return;
            m_importing = false;
            if (!check.error.isEmpty()) {
                m_importError = check.error;
                Q_EMIT importStateChanged();
                return;
            }
            ModelEntry e;
            e.kind = ModelEntry::Kind::Imported;
            QString name = QFileInfo(checkpoint).completeBaseName();
            for (int n = 2; rowOfName(name) >= 0; ++n)
                name = QStringLiteral("%1 (%2)").arg(QFileInfo(checkpoint).completeBaseName()).arg(n);
            e.name = name;
            e.description = check.summary;
            e.stems = check.stems;
            e.configPath = QFileInfo(config).absoluteFilePath();
            e.checkpointPath = QFileInfo(checkpoint).absoluteFilePath();
            const int row = append(std::move(e));
            rememberImports();
            Q_EMIT importStateChanged();
            setCurrentIndex(row);
            Q_EMIT imported(row);
        }, Qt::QueuedConnection);
    });
}

void ModelCatalogue::importFiles(const QList<QUrl>& files) {
    QString checkpoint, config;
    for (const auto& u : files) {
        const QString p = u.isLocalFile() ? u.toLocalFile() : u.toString();
        if (isCheckpoint(p))
            checkpoint = p;
        else if (isYaml(p))
            config = p;
    }
    if (!checkpoint.isEmpty() && config.isEmpty()) {
        const QFileInfo ck(checkpoint);
        const QDir dir = ck.absoluteDir();
        for (const auto& ext : {QStringLiteral("yaml"), QStringLiteral("yml")})
            if (QFileInfo::exists(dir.filePath(ck.completeBaseName() + '.' + ext)))
                config = dir.filePath(ck.completeBaseName() + '.' + ext);
        if (config.isEmpty()) {
            const auto yamls = dir.entryList({"*.yaml", "*.yml"}, QDir::Files);
            if (yamls.size() == 1)
                config = dir.filePath(yamls.first());
        }
    }
    if (checkpoint.isEmpty() || config.isEmpty()) {
        m_importError = checkpoint.isEmpty()
            ? tr("Choose a checkpoint (.ckpt or .safetensors) together with its .yaml.")
            : tr("%1 needs its configuration: select the .yaml file too.").arg(QFileInfo(checkpoint).fileName());
        Q_EMIT importStateChanged();
        return;
    }
    importModel(QUrl::fromLocalFile(checkpoint), QUrl::fromLocalFile(config));
}

void ModelCatalogue::download(int row) {
    ModelEntry* e = row >= 0 && row < m_entries.size() ? &m_entries[row] : nullptr;
    if (!e || e->kind != ModelEntry::Kind::Catalogue || e->downloading || e->installed())
        return;
    if (!m_network) {
        m_ownNetwork = std::make_unique<QNetworkAccessManager>();
        m_network = m_ownNetwork.get();
    }
    e->downloading = true;
    e->error.clear();
    e->progress = 0;
    changedRow(row);
    downloadNext(row);
}

void ModelCatalogue::downloadNext(int row) {
    ModelEntry& e = m_entries[row];
    const QStringList files = downloadTargets(e);
    const QString cfgPath = files[0], ckPath = files[1];
    const bool configDone = QFileInfo::exists(cfgPath);
    const QString name = e.name;

    auto* d = m_downloads.value(name);
    if (!d) {
        d = new ModelDownloader(m_network, this);
        m_downloads.insert(name, d);
    }
    disconnect(d, nullptr, this, nullptr);
    connect(d, &ModelDownloader::progress, this, [this, name, configDone](qint64 got, qint64 total) {
        const int r = rowOfName(name);
        if (r < 0 || !configDone || total <= 0)
            return;
        m_entries[r].progress = double(got) / double(total);
        changedRow(r);
    });
    connect(d, &ModelDownloader::failed, this, [this, name](const QString& message) {
        const int r = rowOfName(name);
        if (r < 0)
            return;
        m_entries[r].downloading = false;
        m_entries[r].error = message;
        changedRow(r);
        Q_EMIT downloadFailed(r, message);
    });
    connect(d, &ModelDownloader::finished, this, [this, d, name, configDone, cfgPath, ckPath] {
        const int r = rowOfName(name);
        if (r < 0)
            return;
        if (!configDone) {
            downloadNext(r); // the config is in place; now the checkpoint
            return;
        }
        const QString hash = d->sizeVerified() ? d->actualSha256() : QString();
        // The pair is loaded once, off the GUI thread, before it counts as installed, as an
        // import is: a config that does not fit its checkpoint (the catalogue's config files
        // follow a branch, the checkpoints a release) is said now, not at the first separation.
        auto alive = m_alive;
        Validator validator = m_validator;
        QThreadPool::globalInstance()->start([this, alive, validator, name, cfgPath, ckPath, hash] {
            ModelCheck check;
            try {
                if (validator) check = validator(cfgPath, ckPath);
            } catch (const std::exception& ex) {
                check.error = QString::fromUtf8(ex.what());
            }
            QMetaObject::invokeMethod(QCoreApplication::instance(), [this, alive, check, name, cfgPath, ckPath, hash] {
                if (!*alive)
                    return;
                const int r = rowOfName(name);
                if (r < 0)
                    return;
                ModelEntry& e = m_entries[r];
                e.downloading = false;
                if (!check.error.isEmpty()) {
                    // Nothing unusable stays where a model is looked for.
                    QFile::remove(ckPath);
                    QFile::remove(cfgPath);
                    e.progress = 0.0;
                    e.error = tr("The downloaded model cannot be used, so it was deleted: %1").arg(check.error);
                    changedRow(r);
                    Q_EMIT downloadFailed(r, e.error);
                    return;
                }
                // Remembered only for a file whose length was checked: a download cut short
                // without the server saying its length would lock every later, complete one out.
                if (e.checkpointSha256.isEmpty() && !hash.isEmpty()) {
                    e.checkpointSha256 = hash;
                    m_settings->setValue(QStringLiteral("model/hashes/") + e.name, hash);
                }
                e.progress = 1.0;
                e.configPath = cfgPath;
                e.checkpointPath = ckPath;
                changedRow(r);
                watchFiles();
                if (m_current < 0)
                    setCurrentIndex(r);
                Q_EMIT downloadFinished(r);
            }, Qt::QueuedConnection);
        });
    });
    if (!configDone)
        d->start(e.configUrl, cfgPath, e.configSha256);
    else
        d->start(e.checkpointUrl, ckPath, e.checkpointSha256, e.checkpointSize);
}

void ModelCatalogue::cancelDownload(int row) {
    const ModelEntry* e = entry(row);
    if (!e || !e->downloading)
        return;
    if (auto* d = m_downloads.value(e->name))
        d->pause(); // the partial file stays, so "Download" again resumes
    m_entries[row].downloading = false;
    changedRow(row);
}

QStringList ModelCatalogue::downloadTargets(const ModelEntry& e) const {
    const QDir target(QDir(m_modelsDir).filePath(safeFolderName(e.name)));
    return {target.filePath(e.configUrl.fileName()), target.filePath(e.checkpointUrl.fileName())};
}

QStringList ModelCatalogue::partialFiles(const ModelEntry& e) const {
    QStringList parts;
    for (const QString& f : downloadTargets(e))
        parts << ModelDownloader::partPath(f);
    return parts;
}

void ModelCatalogue::discardDownload(int row) {
    const ModelEntry* e = entry(row);
    if (!e || e->kind != ModelEntry::Kind::Catalogue || e->installed())
        return;
    if (auto* d = m_downloads.value(e->name))
        d->pause();
    for (const QString& target : downloadTargets(*e)) {
        if (ModelDownloader::isLockedElsewhere(target)) {
            m_entries[row].error = tr("Another StemDeck window is downloading this model; discard it there.");
            changedRow(row);
            return;
        }
    }
    for (const QString& f : partialFiles(*e))
        QFile::remove(f);
    m_entries[row].downloading = false;
    m_entries[row].progress = 0.0;
    m_entries[row].error.clear();
    changedRow(row);
}

} // namespace stemdeck::ui
