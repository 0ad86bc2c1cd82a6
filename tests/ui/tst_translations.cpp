// The translation sources (translations/stemdeck_*.ts, kept up to date by lupdate over ui/,
// the preview and the profiling modules included): every locale has the same messages, none is
// left unfinished or empty, and each translation keeps its source's %1..%9 placeholders, so a
// translated window never shows an English string or drops a file name.
#include <QDir>
#include <QFile>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

namespace {

struct Message {
    QString source;
    QStringList translations; // one, or one per plural form
    bool unfinished = false;
};
using Messages = QMap<QString, Message>; // "context|source" -> message

Messages readTs(const QString& path, QString* error) {
    Messages out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": cannot be read");
        return out;
    }
    QXmlStreamReader xml(&f);
    QString context;
    Message m;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == QLatin1String("name")) {
                context = xml.readElementText();
            } else if (xml.name() == QLatin1String("message")) {
                m = Message{};
            } else if (xml.name() == QLatin1String("source")) {
                m.source = xml.readElementText();
            } else if (xml.name() == QLatin1String("translation")) {
                const auto type = xml.attributes().value(QLatin1String("type"));
                m.unfinished = type == QLatin1String("unfinished") ||
                               type == QLatin1String("vanished") ||
                               type == QLatin1String("obsolete");
                m.translations.clear();
                QString plain; // the text, or one <numerusform> per plural form
                while (!xml.atEnd() &&
                       !(xml.isEndElement() && xml.name() == QLatin1String("translation"))) {
                    xml.readNext();
                    if (xml.isStartElement() && xml.name() == QLatin1String("numerusform"))
                        m.translations << xml.readElementText();
                    else if (xml.isCharacters())
                        plain += xml.text();
                }
                if (m.translations.isEmpty())
                    m.translations << plain.trimmed();
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            out.insert(context + '|' + m.source, m);
        }
    }
    if (xml.hasError())
        *error = path + QStringLiteral(": ") + xml.errorString();
    return out;
}

QSet<QString> placeholders(const QString& s) {
    static const QRegularExpression re(QStringLiteral("%[1-9]"));
    QSet<QString> out;
    for (auto it = re.globalMatch(s); it.hasNext();)
        out.insert(it.next().captured());
    return out;
}

QString tsDir() {
    return qEnvironmentVariable("STEMDECK_SOURCE_DIR") + QStringLiteral("/translations");
}

} // namespace

class TestTranslations : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void complete_data() {
        QTest::addColumn<QString>("language");
        for (const char* l : {"de", "fr", "es", "ja"})
            QTest::newRow(l) << QString::fromLatin1(l);
    }
    void complete() {
        QFETCH(QString, language);
        QString error;
        const Messages reference = readTs(tsDir() + QStringLiteral("/stemdeck_de.ts"), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QString path = tsDir() + QStringLiteral("/stemdeck_%1.ts").arg(language);
        const Messages messages = readTs(path, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(messages.size() > 100);
        // The preview and profiling panels are part of the window: their strings are here too.
        for (const char* context :
             {"StemPreviewPanel|Play", "ProfilingPanel|Time per stage",
              "ProfilingPanel|Overlap-add", "JobListPanel|Separate the demo loop",
              "stemdeck::preview::StemPreview|No stems are loaded."})
            QVERIFY2(messages.contains(QString::fromUtf8(context)), context);
        QStringList problems;
        for (auto it = messages.cbegin(); it != messages.cend(); ++it) {
            const Message& m = *it;
            if (!reference.contains(it.key()))
                problems << QStringLiteral("only in %1: %2").arg(language, it.key());
            if (m.unfinished)
                problems << QStringLiteral("unfinished: %1").arg(it.key());
            if (m.translations.isEmpty() || m.translations.contains(QString()))
                problems << QStringLiteral("empty: %1").arg(it.key());
            for (const auto& t : m.translations) {
                // A translation far longer than its source is not one (a generator's bug once
                // wrote all four languages' texts, as one dictionary, into each file).
                if (t.size() > 2 * m.source.size() + 20)
                    problems << QStringLiteral("runaway length: %1 -> %2").arg(it.key(), t);
                // Plural forms may say %n instead of a number; %1.. must all survive.
                if (!placeholders(m.source).subtract(placeholders(t)).isEmpty())
                    problems << QStringLiteral("placeholder lost: %1 -> %2").arg(it.key(), t);
            }
        }
        for (auto it = reference.cbegin(); it != reference.cend(); ++it)
            if (!messages.contains(it.key()))
                problems << QStringLiteral("missing in %1: %2").arg(language, it.key());
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    }

    // English carries only the plural forms (lupdate -pluralonly): every message with a %n in
    // the other languages, two forms each, finished, none left saying "(s)".
    void englishPlurals() {
        QString error;
        const Messages reference = readTs(tsDir() + QStringLiteral("/stemdeck_de.ts"), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const Messages english = readTs(tsDir() + QStringLiteral("/stemdeck_en.ts"), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QSet<QString> plural;
        for (auto it = reference.cbegin(); it != reference.cend(); ++it)
            if (it->translations.size() > 1) plural.insert(it.key());
        QVERIFY(plural.size() >= 4);
        QCOMPARE(QSet<QString>(english.keyBegin(), english.keyEnd()), plural);
        for (auto it = english.cbegin(); it != english.cend(); ++it) {
            QVERIFY2(!it->unfinished, qPrintable(it.key()));
            QCOMPARE(it->translations.size(), 2);
            for (const QString& form : it->translations) {
                QVERIFY2(!form.isEmpty() && !form.contains(QStringLiteral("(s)")), qPrintable(it.key()));
                QVERIFY2(placeholders(it->source).subtract(placeholders(form)).isEmpty(), qPrintable(form));
            }
        }
    }

    // The checker itself: an unfinished message and a dropped placeholder are caught.
    void detectsProblems() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("x.ts"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE TS>\n<TS version=\"2.1\" "
                "language=\"de_DE\">\n"
                "<context><name>A</name>\n"
                "<message><source>Open %1</source><translation>Öffnen</translation></message>\n"
                "<message><source>Close</source><translation "
                "type=\"unfinished\"></translation></message>\n"
                "</context></TS>\n");
        f.close();
        QString error;
        const Messages m = readTs(path, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(m.size(), 2);
        QCOMPARE(m.value(QStringLiteral("A|Open %1")).translations,
                 QStringList{QStringLiteral("Öffnen")});
        QVERIFY(!placeholders(QStringLiteral("Open %1"))
                     .subtract(placeholders(QStringLiteral("Öffnen")))
                     .isEmpty());
        QVERIFY(m.value(QStringLiteral("A|Close")).unfinished);
        QCOMPARE(m.value(QStringLiteral("A|Close")).translations, QStringList{QString()});
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
