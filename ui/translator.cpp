#include "translator.h"

#include <QCoreApplication>
#include <QLocale>
#include <QQmlEngine>

namespace stemdeck::ui {

Translator::Translator(QObject* parent) : QObject(parent) {}

Translator::~Translator() {
    if (m_translator)
        QCoreApplication::removeTranslator(m_translator.get());
}

QVariantList Translator::languages() {
    return {
        QVariantMap{{"code", ""}, {"name", tr("System language")}},
        QVariantMap{{"code", "en"}, {"name", QStringLiteral("English")}},
        QVariantMap{{"code", "de"}, {"name", QStringLiteral("Deutsch")}},
        QVariantMap{{"code", "fr"}, {"name", QStringLiteral("Français")}},
        QVariantMap{{"code", "es"}, {"name", QStringLiteral("Español")}},
        QVariantMap{{"code", "ja"}, {"name", QStringLiteral("日本語")}},
    };
}

QString Translator::apply(const QString& code) {
    QString lang = code;
    if (lang.isEmpty()) {
        lang = QStringLiteral("en");
        for (const auto& ui : QLocale::system().uiLanguages()) {
            const QString base = ui.section('-', 0, 0).section('_', 0, 0).toLower();
            if (available().contains(base)) {
                lang = base;
                break;
            }
        }
    }
    if (!available().contains(lang))
        lang = QStringLiteral("en");
    if (lang == m_current)
        return m_current;
    if (m_translator) {
        QCoreApplication::removeTranslator(m_translator.get());
        m_translator.reset();
    }
    // English loads a translation too: its plural forms only ("1 file", "2 files"; lupdate
    // -pluralonly), every other English string is the source text.
    auto t = std::make_unique<QTranslator>();
    bool loaded = t->load(QStringLiteral(":/i18n/stemdeck_%1.qm").arg(lang));
    if (!loaded && lang != QLatin1String("en")) { // that language's file is missing: English it is
        lang = QStringLiteral("en");
        loaded = t->load(QStringLiteral(":/i18n/stemdeck_en.qm"));
    }
    if (loaded) {
        QCoreApplication::installTranslator(t.get());
        m_translator = std::move(t);
    }
    m_current = lang;
    QLocale::setDefault(QLocale(lang));
    if (m_engine)
        m_engine->retranslate();
    Q_EMIT languageChanged();
    return m_current;
}

} // namespace stemdeck::ui
