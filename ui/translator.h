// Translator: loads the interface language (the system's, or the user's override) from the
// embedded .qm files and asks the QML engine to re-evaluate every qsTr at once.
#pragma once

#include <QObject>
#include <QPointer>
#include <QTranslator>
#include <QVariantList>

#include <memory>

#include <QQmlEngine>

namespace stemdeck::ui {

class Translator : public QObject {
    Q_OBJECT
public:
    explicit Translator(QObject* parent = nullptr);
    ~Translator() override;

    void setEngine(QQmlEngine* engine) { m_engine = engine; }
    // code: "" follows the system; "en", "de", "fr", "es", "ja". Returns the language in use.
    QString apply(const QString& code);
    QString current() const { return m_current; }
    // [{ code, name }] with each language's own name, the system entry first.
    static QVariantList languages();
    static QStringList available() { return {"en", "de", "fr", "es", "ja"}; }

Q_SIGNALS:
    void languageChanged();

private:
    std::unique_ptr<QTranslator> m_translator;
    QPointer<QQmlEngine> m_engine;
    QString m_current;
};

} // namespace stemdeck::ui
