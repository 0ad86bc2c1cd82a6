#include "error_banner_model.h"

#include <QClipboard>
#include <QGuiApplication>

namespace stemdeck::ui {

ErrorBannerModel::ErrorBannerModel(QObject* parent) : QObject(parent) {}

const JobFailure& ErrorBannerModel::current() const {
    static const JobFailure none;
    return m_queue.isEmpty() ? none : m_queue.first();
}

QString ErrorBannerModel::actionLabel(const QString& id) {
    if (id == QLatin1String("retry")) return tr("Retry");
    if (id == QLatin1String("retry-cpu")) return tr("Retry on CPU");
    if (id == QLatin1String("smaller-batch")) return tr("Use a smaller batch");
    if (id == QLatin1String("choose-folder")) return tr("Choose another folder");
    if (id == QLatin1String("open-folder")) return tr("Open folder");
    if (id == QLatin1String("choose-model")) return tr("Choose another model");
    if (id == QLatin1String("show-file")) return tr("Show the file");
    if (id == QLatin1String("report")) return tr("Copy report");
    return id;
}

QVariantList ErrorBannerModel::actions() const {
    QVariantList out;
    for (const auto& id : current().actions)
        out << QVariantMap{{"id", id}, {"label", actionLabel(id)}};
    return out;
}

void ErrorBannerModel::show(const JobFailure& failure) {
    // The same error for the same job twice (a retry that failed alike) replaces, not stacks.
    for (auto& f : m_queue)
        if (f.jobId == failure.jobId && f.id == failure.id && failure.jobId != 0) {
            f = failure;
            Q_EMIT changed();
            return;
        }
    m_queue.append(failure);
    Q_EMIT changed();
}

void ErrorBannerModel::showMessage(const QString& title, const QString& explanation,
                                   const QString& details) {
    JobFailure f;
    f.id = QStringLiteral("message");
    f.title = title;
    f.explanation = explanation;
    f.details = details;
    show(f);
}

void ErrorBannerModel::dismiss() {
    if (m_queue.isEmpty())
        return;
    m_queue.removeFirst();
    Q_EMIT changed();
}

void ErrorBannerModel::trigger(const QString& actionId) {
    if (m_queue.isEmpty() || !m_queue.first().actions.contains(actionId))
        return;
    const quint64 job = m_queue.first().jobId;
    if (actionId == QLatin1String("report")) {
        copyReport(); // stays open: the user may still want to retry
        return;
    }
    dismiss();
    Q_EMIT actionRequested(actionId, job);
}

QString ErrorBannerModel::reportText() const {
    const auto& f = current();
    QStringList out;
    out << QStringLiteral("StemDeck %1 error report").arg(QStringLiteral(STEMDECK_VERSION))
        << QString()
        << QStringLiteral("error: %1 (%2)").arg(f.title, f.id);
    if (!f.explanation.isEmpty())
        out << f.explanation;
    if (!f.details.isEmpty())
        out << QString() << QStringLiteral("details:") << f.details;
    const auto section = [&out](const char* name, const SummaryProvider& p) {
        if (!p)
            return;
        const QString text = p();
        if (!text.isEmpty())
            out << QString() << QStringLiteral("%1:").arg(QLatin1String(name)) << text;
    };
    section("device", m_device);
    section("settings", m_settings);
    section("profile", m_profile);
    return out.join('\n');
}

void ErrorBannerModel::copyReport() const {
    if (auto* cb = QGuiApplication::clipboard())
        cb->setText(reportText());
}

} // namespace stemdeck::ui
