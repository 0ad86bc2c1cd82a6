// SettingsModel: the settings panel's view-model. Every choice persists in QSettings as soon as
// it changes; the naming template is validated live (by an injected validator, so the audio
// layer's NamingTemplate rules are the ones applied).
#pragma once

#include <QObject>
#include <QSettings>
#include <QStringList>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <functional>
#include <memory>

namespace stemdeck::ui {

class SettingsModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString device READ device WRITE setDevice NOTIFY changed)
    Q_PROPERTY(QVariantList devices READ devices NOTIFY devicesChanged)
    Q_PROPERTY(int overlap READ overlap WRITE setOverlap NOTIFY changed)
    Q_PROPERTY(bool overlapAuto READ overlapAuto WRITE setOverlapAuto NOTIFY changed)
    Q_PROPERTY(bool softMasks READ softMasks WRITE setSoftMasks NOTIFY changed)
    Q_PROPERTY(bool stereoFilter READ stereoFilter WRITE setStereoFilter NOTIFY changed)
    Q_PROPERTY(bool extraPasses READ extraPasses WRITE setExtraPasses NOTIFY changed)
    Q_PROPERTY(bool batchAuto READ batchAuto WRITE setBatchAuto NOTIFY changed)
    Q_PROPERTY(int batchSize READ batchSize WRITE setBatchSize NOTIFY changed)
    Q_PROPERTY(QString precision READ precision WRITE setPrecision NOTIFY changed)
    Q_PROPERTY(QStringList precisions READ precisions CONSTANT)
    Q_PROPERTY(QString outputFormat READ outputFormat WRITE setOutputFormat NOTIFY changed)
    Q_PROPERTY(QVariantList outputFormats READ outputFormats NOTIFY languageChanged)
    Q_PROPERTY(QString namingTemplate READ namingTemplate WRITE setNamingTemplate NOTIFY changed)
    Q_PROPERTY(QString namingError READ namingError NOTIFY changed)
    Q_PROPERTY(QString namingExample READ namingExample NOTIFY changed)
    Q_PROPERTY(bool nextToSource READ nextToSource WRITE setNextToSource NOTIFY changed)
    Q_PROPERTY(QString destination READ destination WRITE setDestination NOTIFY changed)
    Q_PROPERTY(QStringList availableStems READ availableStems WRITE setAvailableStems NOTIFY stemsChanged)
    Q_PROPERTY(QStringList exportStems READ exportStems WRITE setExportStems NOTIFY stemsChanged)
    Q_PROPERTY(bool residual READ residual WRITE setResidual NOTIFY changed)
    Q_PROPERTY(bool exportWhenDone READ exportWhenDone WRITE setExportWhenDone NOTIFY changed)
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY changed)
    Q_PROPERTY(QString theme READ theme WRITE setTheme NOTIFY changed)

public:
    // Returns an empty string when the template is valid, else a message for the user.
    using TemplateValidator = std::function<QString(const QString&)>;
    // Expands a template for an example input and stem, for the live preview.
    using TemplateExpander = std::function<QString(const QString& tmpl, const QString& input,
                                                   const QString& stem)>;

    // Uses the application's QSettings (organisation/application names set by main()).
    explicit SettingsModel(QObject* parent = nullptr);
    // Uses the given settings object (tests: an ini file in a temporary folder).
    SettingsModel(std::unique_ptr<QSettings> settings, QObject* parent = nullptr);
    ~SettingsModel() override;

    void setTemplateValidator(TemplateValidator validator, TemplateExpander expander = {});
    // The audio layer's NamingTemplate rules (its messages), plus: {stem} must be used.
    static QString defaultTemplateError(const QString& tmpl);
    static QString defaultTemplateExpand(const QString& tmpl, const QString& input,
                                         const QString& stem);

    QString device() const;
    void setDevice(const QString& id);
    QVariantList devices() const { return m_devices; }
    // Each entry: { id, name, memory (bytes, 0 unknown) }; "auto" and "cpu" are always there.
    void setDevices(const QVariantList& devices);
    int overlap() const;
    void setOverlap(int overlap);
    // The model's own overlap (its config's inference.num_overlap, what it was measured at: the
    // bundled model's 2), instead of overlap(). Default on, unless an overlap was stored before
    // this setting existed.
    bool overlapAuto() const;
    void setOverlapAuto(bool on);
    // The model's soft masks after the network (its config's inference.soft_mask_power: the
    // bundled model's 1.5; none for a model without the key), or off: the network's stems as
    // they are. Default on.
    bool softMasks() const;
    void setSoftMasks(bool on);
    // The model's multichannel Wiener filter after the soft masks, which tells stems apart by
    // where they sit in the stereo image (its config's inference.multichannel_wiener: on for the
    // bundled model, absent for others), or off. Default on.
    bool stereoFilter() const;
    void setStereoFilter(bool on);
    // Test-time augmentation: the model also hears the audio with its channels swapped and its
    // polarity inverted, and the estimates are averaged (the network runs three times per chunk). Default off.
    bool extraPasses() const;
    void setExtraPasses(bool on);
    bool batchAuto() const;
    void setBatchAuto(bool on);
    int batchSize() const;
    void setBatchSize(int size);
    QString precision() const;
    void setPrecision(const QString& p);
    QStringList precisions() const { return {"fp32", "fp16", "bf16"}; }
    QString outputFormat() const;
    void setOutputFormat(const QString& f);
    QVariantList outputFormats() const;
    static QString formatLabel(int format); // audio::OutputFormat as int, translated
    QString namingTemplate() const;
    void setNamingTemplate(const QString& t);
    QString namingError() const { return m_namingError; }
    QString namingExample() const;
    bool nextToSource() const;
    void setNextToSource(bool on);
    QString destination() const;
    void setDestination(const QString& folder);
    QStringList availableStems() const { return m_availableStems; }
    void setAvailableStems(const QStringList& stems);
    QStringList exportStems() const;
    void setExportStems(const QStringList& stems);
    bool residual() const;
    void setResidual(bool on);
    bool exportWhenDone() const;
    void setExportWhenDone(bool on);
    QString language() const;
    void setLanguage(const QString& code);
    QString theme() const;
    void setTheme(const QString& theme);

    Q_INVOKABLE void setStemExported(const QString& stem, bool on);
    Q_INVOKABLE bool isStemExported(const QString& stem) const;
    Q_INVOKABLE void setDestinationUrl(const QUrl& url);
    // Human-readable memory size, e.g. "8.0 GB".
    Q_INVOKABLE static QString formatBytes(qint64 bytes);
    // A plain-text summary for bug reports ("Copy report").
    QString summary() const;
    void notifyLanguageChanged() { Q_EMIT languageChanged(); }

Q_SIGNALS:
    void changed();
    void devicesChanged();
    void stemsChanged();
    void languageChanged();

private:
    QVariant value(const char* key, const QVariant& fallback) const;
    void store(const char* key, const QVariant& v);
    void validateTemplate();

    std::unique_ptr<QSettings> m_settings;
    QVariantList m_devices;
    QStringList m_availableStems;
    QString m_namingError;
    TemplateValidator m_validator;
    TemplateExpander m_expander;
};

} // namespace stemdeck::ui
