// ModelCatalogue: the model panel's view-model. One list of the models a user can choose:
// the bundled default (resources/models/<name>/), models the user imported (.ckpt or
// .safetensors with its .yaml, validated on import), and the well-known public MDX23C models of
// catalogue.json, which can be downloaded (resumable, SHA-256 checked) into the model folder.
// Validation runs on the thread pool through an injected function, so the model core's own
// messages reach the user and the GUI thread never reads a checkpoint.
#pragma once

#include <QAbstractListModel>
#include <QFileSystemWatcher>
#include <QPointer>
#include <QSettings>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace stemdeck::ui {

class ModelDownloader;

// What validating a config + checkpoint pair says.
struct ModelCheck {
    QString error;       // empty: the pair loads
    QStringList stems;   // the model's stems, in output order
    QString summary;     // e.g. "TFC-TDF v3, 4 stems, 44.1 kHz, 112 M parameters"
};

struct ModelEntry {
    enum class Kind { Bundled, Imported, Catalogue };
    Kind kind = Kind::Catalogue;
    QString name;
    QString description;
    QStringList stems;
    QString configPath;     // local files (bundled, imported, downloaded)
    QString checkpointPath;
    QUrl configUrl;         // catalogue only
    QUrl checkpointUrl;
    QString configSha256;
    QString checkpointSha256;
    qint64 checkpointSize = 0; // exact, checked after download; 0: not published
    int approxSizeMB = 0;      // for display when the exact size is not published
    QString licence;
    bool downloading = false;
    double progress = 0;
    QString error;

    bool installed() const { return !checkpointPath.isEmpty() && !configPath.isEmpty(); }
};

class ModelCatalogue : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by AppController")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(int currentIndex READ currentIndex WRITE setCurrentIndex NOTIFY currentChanged)
    Q_PROPERTY(QString currentName READ currentName NOTIFY currentChanged)
    Q_PROPERTY(QStringList currentStems READ currentStems NOTIFY currentChanged)
    Q_PROPERTY(bool importing READ importing NOTIFY importStateChanged)
    Q_PROPERTY(QString importError READ importError NOTIFY importStateChanged)
    Q_PROPERTY(QString modelsDir READ modelsDir CONSTANT)

public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        DescriptionRole,
        KindRole,        // "bundled", "imported", "catalogue"
        StemsRole,       // QStringList
        StemsTextRole,
        SizeTextRole,
        Sha256Role,
        InstalledRole,
        DownloadingRole,
        ProgressRole,
        ErrorRole,
        CheckpointPathRole,
        ConfigPathRole,
        LicenceRole,
        PartialRole,     // a catalogue model with a paused or failed download's partial file
    };
    Q_ENUM(Role)

    using Validator = std::function<ModelCheck(const QString& config, const QString& checkpoint)>;

    // settings: where imports and the current choice are remembered (not owned).
    ModelCatalogue(QSettings* settings, QString modelsDir, QObject* parent = nullptr);
    ~ModelCatalogue() override;

    // Until the model core's validator is wired: the files exist, are readable, non-empty, of
    // the right kinds, and the YAML lists its stems.
    static ModelCheck basicCheck(const QString& config, const QString& checkpoint);
    // "4 stems · 44100 Hz · 112 M parameters", translated.
    static QString summaryText(int stems, int sampleRate, qint64 parameters);
    void setValidator(Validator validator) { m_validator = std::move(validator); }
    void setNetwork(QNetworkAccessManager* network) { m_network = network; }

    // Scans <dir>/<name>/ for a .yaml plus a .ckpt/.safetensors and lists each as bundled.
    void addBundledDir(const QString& dir);
    // Reads the public catalogue (JSON) and marks entries already present in modelsDir.
    bool loadCatalogue(const QString& jsonPath);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    const ModelEntry* entry(int row) const;
    int rowOfName(const QString& name) const; // -1: no model of that name
    // Re-reads translated texts (the bundled model's description) after a language change.
    void retranslate();

    int currentIndex() const { return m_current; }
    void setCurrentIndex(int row);
    QString currentName() const;
    QStringList currentStems() const;
    QString modelsDir() const { return m_modelsDir; }

    bool importing() const { return m_importing; }
    QString importError() const { return m_importError; }

    // Validates the pair off the GUI thread; on success the model is added, remembered and
    // chosen; on failure importError says why in the model core's words.
    Q_INVOKABLE void importModel(const QUrl& checkpoint, const QUrl& config);
    // The Open dialog's selection: a checkpoint and its .yaml in any order; a lone checkpoint
    // takes the .yaml of the same name beside it, or the only .yaml in its folder.
    Q_INVOKABLE void importFiles(const QList<QUrl>& files);
    Q_INVOKABLE void download(int row);
    Q_INVOKABLE void cancelDownload(int row);
    // Stops the download if it runs and deletes its partial files (a paused download otherwise
    // keeps hundreds of MB in the models folder for a resume).
    Q_INVOKABLE void discardDownload(int row);
    // Looks at the installed models' files again: a downloaded model whose files were deleted
    // becomes downloadable again (and one whose files appeared, installed), an imported one whose
    // files are gone leaves the list, and a chosen model that went gives way to the default.
    // Runs by itself when the models folder or a model's folder changes; returns the names of the
    // models that went.
    Q_INVOKABLE QStringList recheckFiles();
    // The chosen model whose files went since the last call (currentModelLost said so), or "".
    QString takeLostCurrent();

Q_SIGNALS:
    void countChanged();
    void currentChanged();
    // The chosen model's files were deleted or moved (another model is chosen now, if any).
    void currentModelLost(const QString& name);
    void importStateChanged();
    void imported(int row);
    void downloadFinished(int row);
    void downloadFailed(int row, const QString& message);

private:
    // Where a catalogue entry's files go in the models folder: config, then checkpoint.
    QStringList downloadTargets(const ModelEntry& e) const;
    // The ".part" files a download of a catalogue entry writes (config, checkpoint).
    QStringList partialFiles(const ModelEntry& e) const;
    int append(ModelEntry e);
    void changedRow(int row);
    void rememberImports();
    void restoreImports();
    void restoreCurrent();
    void downloadNext(int row);

    QSettings* m_settings;
    QString m_modelsDir;
    QList<ModelEntry> m_entries;
    int m_current = -1;
    bool m_importing = false;
    QString m_importError;
    Validator m_validator;
    QNetworkAccessManager* m_network = nullptr;
    std::unique_ptr<QNetworkAccessManager> m_ownNetwork;
    QHash<QString, ModelDownloader*> m_downloads; // by entry name
    QFileSystemWatcher m_watcher; // the models folder and the installed models' folders
    QString m_lostCurrent;        // takeLostCurrent()
    void watchFiles();
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace stemdeck::ui
