#include "settings_model.h"

#include "audio/naming_template.h"
#include "audio/output_format.h"
#include "common/error.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QUrl>

#include <algorithm>

namespace stemdeck::ui {

namespace {
const QString kDefaultTemplate = QString::fromLatin1(audio::NamingTemplate::kDefault.data(),
                                                    qsizetype(audio::NamingTemplate::kDefault.size()));
const std::vector<audio::OutputFormat> kAllFormats = {
    audio::OutputFormat::Wav16,  audio::OutputFormat::Wav24, audio::OutputFormat::Wav32f,
    audio::OutputFormat::Flac16, audio::OutputFormat::Flac24, audio::OutputFormat::Mp3V0,
    audio::OutputFormat::Mp3Cbr320, audio::OutputFormat::Ogg};
bool knownFormat(const QString& f) { return audio::parseOutputFormat(f.toStdString()).has_value(); }
} // namespace

SettingsModel::SettingsModel(QObject* parent)
    : SettingsModel(std::make_unique<QSettings>(), parent) {}

SettingsModel::SettingsModel(std::unique_ptr<QSettings> settings, QObject* parent)
    : QObject(parent), m_settings(std::move(settings)) {
    setDevices({});
    validateTemplate();
}

SettingsModel::~SettingsModel() = default;

void SettingsModel::setTemplateValidator(TemplateValidator validator, TemplateExpander expander) {
    m_validator = std::move(validator);
    m_expander = std::move(expander);
    validateTemplate();
    Q_EMIT changed();
}

QString SettingsModel::defaultTemplateError(const QString& tmpl) {
    try {
        const auto t = audio::NamingTemplate::parse(tmpl.toStdString());
        if (!t.uses("stem"))
            return tr("The pattern needs {stem}, or every stem would get the same name.");
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

QString SettingsModel::defaultTemplateExpand(const QString& tmpl, const QString& input,
                                             const QString& stem) {
    try {
        audio::NamingContext c;
        c.track = QFileInfo(input).completeBaseName().toStdString();
        c.stem = stem.toStdString();
        c.ext = "wav";
        c.model = "MDX23C";
        c.index = 1;
        c.folder = QFileInfo(input).absoluteDir().dirName().toStdString();
        const auto path = audio::NamingTemplate::parse(tmpl.toStdString()).expand(c);
        return QString::fromStdU16String(path.generic_u16string());
    } catch (const Error&) {
        return {};
    }
}

QVariant SettingsModel::value(const char* key, const QVariant& fallback) const {
    return m_settings->value(QLatin1String(key), fallback);
}

void SettingsModel::store(const char* key, const QVariant& v) {
    if (m_settings->value(QLatin1String(key)) == v)
        return;
    m_settings->setValue(QLatin1String(key), v);
    Q_EMIT changed();
}

QString SettingsModel::device() const {
    const QString id = value("device/id", "auto").toString();
    for (const auto& d : m_devices)
        if (d.toMap().value("id").toString() == id)
            return id;
    return QStringLiteral("auto"); // the remembered device is not on this machine now
}

void SettingsModel::setDevice(const QString& id) { store("device/id", id); }

void SettingsModel::setDevices(const QVariantList& devices) {
    QVariantList list;
    list << QVariantMap{{"id", "auto"}, {"name", tr("Automatic")}, {"memory", 0}};
    bool hasCpu = false;
    for (const auto& d : devices) {
        const auto m = d.toMap();
        if (m.value("id").toString() == QLatin1String("auto"))
            continue;
        hasCpu |= m.value("id").toString() == QLatin1String("cpu");
        list << m;
    }
    if (!hasCpu)
        list << QVariantMap{{"id", "cpu"}, {"name", tr("CPU")}, {"memory", 0}};
    m_devices = list;
    Q_EMIT devicesChanged();
    Q_EMIT changed();
}

int SettingsModel::overlap() const { return std::clamp(value("separation/overlap", 4).toInt(), 1, 16); }
void SettingsModel::setOverlap(int overlap) { store("separation/overlap", std::clamp(overlap, 1, 16)); }
// Default: on, unless an overlap was stored before this setting existed (the user chose one).
bool SettingsModel::overlapAuto() const {
    return value("separation/overlapAuto", !m_settings->contains(QStringLiteral("separation/overlap"))).toBool();
}
void SettingsModel::setOverlapAuto(bool on) { store("separation/overlapAuto", on); }
bool SettingsModel::softMasks() const { return value("separation/softMasks", true).toBool(); }
void SettingsModel::setSoftMasks(bool on) { store("separation/softMasks", on); }
bool SettingsModel::stereoFilter() const { return value("separation/stereoFilter", true).toBool(); }
void SettingsModel::setStereoFilter(bool on) { store("separation/stereoFilter", on); }
bool SettingsModel::extraPasses() const { return value("separation/extraPasses", false).toBool(); }
void SettingsModel::setExtraPasses(bool on) { store("separation/extraPasses", on); }
bool SettingsModel::batchAuto() const { return value("separation/batchAuto", true).toBool(); }
void SettingsModel::setBatchAuto(bool on) { store("separation/batchAuto", on); }
int SettingsModel::batchSize() const { return std::clamp(value("separation/batch", 1).toInt(), 1, 64); }
void SettingsModel::setBatchSize(int size) { store("separation/batch", std::clamp(size, 1, 64)); }

QString SettingsModel::precision() const {
    const QString p = value("separation/precision", "fp32").toString();
    return precisions().contains(p) ? p : QStringLiteral("fp32");
}
void SettingsModel::setPrecision(const QString& p) {
    if (precisions().contains(p))
        store("separation/precision", p);
}

QString SettingsModel::outputFormat() const {
    const QString f = value("export/format", "wav24").toString();
    return knownFormat(f) ? f : QStringLiteral("wav24");
}
void SettingsModel::setOutputFormat(const QString& f) {
    if (knownFormat(f))
        store("export/format", f);
}

QVariantList SettingsModel::outputFormats() const {
    QVariantList out;
    for (auto f : kAllFormats)
        out << QVariantMap{{"id", QString::fromLatin1(audio::formatName(f))}, {"name", formatLabel(int(f))}};
    return out;
}

QString SettingsModel::formatLabel(int format) {
    switch (audio::OutputFormat(format)) {
    case audio::OutputFormat::Wav16: return tr("WAV, 16-bit");
    case audio::OutputFormat::Wav24: return tr("WAV, 24-bit");
    case audio::OutputFormat::Wav32f: return tr("WAV, 32-bit float");
    case audio::OutputFormat::Flac16: return tr("FLAC, 16-bit");
    case audio::OutputFormat::Flac24: return tr("FLAC, 24-bit");
    case audio::OutputFormat::Mp3V0: return tr("MP3, variable bit rate (V0)");
    case audio::OutputFormat::Mp3Cbr320: return tr("MP3, 320 kbit/s");
    case audio::OutputFormat::Ogg: return tr("Ogg Vorbis");
    }
    return {};
}

QString SettingsModel::namingTemplate() const {
    return value("export/template", kDefaultTemplate).toString();
}

void SettingsModel::setNamingTemplate(const QString& t) {
    // Stored even when invalid, so typing is never fought; jobs are refused while it is invalid.
    m_settings->setValue(QStringLiteral("export/template"), t);
    validateTemplate();
    Q_EMIT changed();
}

void SettingsModel::validateTemplate() {
    const QString t = namingTemplate();
    m_namingError = m_validator ? m_validator(t) : defaultTemplateError(t);
}

QString SettingsModel::namingExample() const {
    if (!m_namingError.isEmpty())
        return {};
    const QString stem = m_availableStems.isEmpty() ? QStringLiteral("vocals") : m_availableStems.first();
    const QString input = QStringLiteral("My Song.flac");
    return m_expander ? m_expander(namingTemplate(), input, stem)
                      : defaultTemplateExpand(namingTemplate(), input, stem);
}

bool SettingsModel::nextToSource() const { return value("export/nextToSource", false).toBool(); }
void SettingsModel::setNextToSource(bool on) { store("export/nextToSource", on); }

QString SettingsModel::destination() const {
    const QString fallback = QDir(QStandardPaths::writableLocation(QStandardPaths::MusicLocation))
                                 .filePath(QStringLiteral("StemDeck"));
    return value("export/destination", fallback).toString();
}
void SettingsModel::setDestination(const QString& folder) { store("export/destination", folder); }
void SettingsModel::setDestinationUrl(const QUrl& url) {
    if (url.isLocalFile())
        setDestination(QDir::toNativeSeparators(url.toLocalFile()));
}

void SettingsModel::setAvailableStems(const QStringList& stems) {
    if (m_availableStems == stems)
        return;
    m_availableStems = stems;
    Q_EMIT stemsChanged();
    Q_EMIT changed();
}

QStringList SettingsModel::exportStems() const {
    // Stored as the stems NOT exported, so a new model's stems are exported by default.
    const QStringList skipped = value("export/skippedStems", QStringList()).toStringList();
    QStringList out;
    for (const auto& s : m_availableStems)
        if (!skipped.contains(s))
            out << s;
    return out;
}

void SettingsModel::setExportStems(const QStringList& stems) {
    QStringList skipped = value("export/skippedStems", QStringList()).toStringList();
    for (const auto& s : m_availableStems) {
        skipped.removeAll(s);
        if (!stems.contains(s))
            skipped << s;
    }
    m_settings->setValue(QStringLiteral("export/skippedStems"), skipped);
    Q_EMIT stemsChanged();
    Q_EMIT changed();
}

void SettingsModel::setStemExported(const QString& stem, bool on) {
    QStringList s = exportStems();
    s.removeAll(stem);
    if (on)
        s << stem;
    setExportStems(s);
}

bool SettingsModel::isStemExported(const QString& stem) const { return exportStems().contains(stem); }

bool SettingsModel::residual() const { return value("export/residual", false).toBool(); }
void SettingsModel::setResidual(bool on) { store("export/residual", on); }
bool SettingsModel::exportWhenDone() const { return value("export/whenDone", true).toBool(); }
void SettingsModel::setExportWhenDone(bool on) { store("export/whenDone", on); }

QString SettingsModel::language() const { return value("ui/language", QString()).toString(); }
void SettingsModel::setLanguage(const QString& code) { store("ui/language", code); }

QString SettingsModel::theme() const {
    const QString t = value("ui/theme", "system").toString();
    return QStringList{"system", "light", "dark"}.contains(t) ? t : QStringLiteral("system");
}
void SettingsModel::setTheme(const QString& theme) {
    if (QStringList{"system", "light", "dark"}.contains(theme))
        store("ui/theme", theme);
}

QString SettingsModel::formatBytes(qint64 bytes) {
    if (bytes <= 0)
        return {};
    const double gb = double(bytes) / (1024.0 * 1024.0 * 1024.0);
    if (gb >= 1.0)
        return QStringLiteral("%1 GiB").arg(gb, 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 0);
}

QString SettingsModel::summary() const {
    QStringList lines;
    lines << QStringLiteral("device: %1").arg(device())
          << QStringLiteral("overlap: %1").arg(overlapAuto() ? QStringLiteral("model's") : QString::number(overlap()))
          << QStringLiteral("soft masks: %1").arg(softMasks() ? QStringLiteral("model's") : QStringLiteral("off"))
          << QStringLiteral("stereo filter: %1").arg(stereoFilter() ? QStringLiteral("model's") : QStringLiteral("off"))
          << QStringLiteral("extra passes: %1").arg(extraPasses() ? QStringLiteral("on") : QStringLiteral("off"))
          << QStringLiteral("batch: %1").arg(batchAuto() ? QStringLiteral("auto") : QString::number(batchSize()))
          << QStringLiteral("precision: %1").arg(precision())
          << QStringLiteral("format: %1").arg(outputFormat())
          << QStringLiteral("template: %1").arg(namingTemplate())
          << QStringLiteral("destination: %1").arg(nextToSource() ? QStringLiteral("next to source") : destination())
          << QStringLiteral("stems: %1").arg(exportStems().join(QStringLiteral(", ")))
          << QStringLiteral("residual: %1").arg(residual() ? "yes" : "no");
    return lines.join('\n');
}

} // namespace stemdeck::ui
