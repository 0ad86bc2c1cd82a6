// ErrorBannerModel: the inline error banner's view-model. Shows one translated error (title,
// explanation, action buttons, raw details behind a disclosure) and builds the "Copy report"
// text from the error plus device, settings and profile summaries supplied by the app.
#pragma once

#include <QObject>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <functional>

#include "job_backend.h"

namespace stemdeck::ui {

class ErrorBannerModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(bool visible READ isVisible NOTIFY changed)
    Q_PROPERTY(QString errorId READ errorId NOTIFY changed)
    Q_PROPERTY(QString title READ title NOTIFY changed)
    Q_PROPERTY(QString explanation READ explanation NOTIFY changed)
    Q_PROPERTY(QString details READ details NOTIFY changed)
    Q_PROPERTY(QVariantList actions READ actions NOTIFY changed)
    Q_PROPERTY(int moreCount READ moreCount NOTIFY changed)

public:
    using SummaryProvider = std::function<QString()>;

    explicit ErrorBannerModel(QObject* parent = nullptr);

    bool isVisible() const { return !m_queue.isEmpty(); }
    QString errorId() const { return current().id; }
    QString title() const { return current().title; }
    QString explanation() const { return current().explanation; }
    QString details() const { return current().details; }
    // [{ id, label }] with labels in the current language.
    QVariantList actions() const;
    int moreCount() const { return m_queue.isEmpty() ? 0 : int(m_queue.size()) - 1; }
    quint64 jobId() const { return current().jobId; }

    // Shows an error; a second error while one is shown waits behind it ("1 more").
    void show(const JobFailure& failure);
    Q_INVOKABLE void showMessage(const QString& title, const QString& explanation,
                                 const QString& details = {});
    Q_INVOKABLE void dismiss();
    // Runs an action button: emits actionRequested and closes the banner.
    Q_INVOKABLE void trigger(const QString& actionId);
    Q_INVOKABLE QString reportText() const;
    Q_INVOKABLE void copyReport() const;

    void setDeviceSummary(SummaryProvider p) { m_device = std::move(p); }
    void setSettingsSummary(SummaryProvider p) { m_settings = std::move(p); }
    void setProfileSummary(SummaryProvider p) { m_profile = std::move(p); }
    void retranslate() { Q_EMIT changed(); }

    static QString actionLabel(const QString& actionId);

Q_SIGNALS:
    void changed();
    void actionRequested(const QString& actionId, quint64 jobId);

private:
    const JobFailure& current() const;

    QList<JobFailure> m_queue;
    SummaryProvider m_device, m_settings, m_profile;
};

} // namespace stemdeck::ui
