// Naming templates: expansion of every variable, file-name sanitizing, and each way a template is
// refused (unknown variables, escaping the destination, collisions between stems).
#include "audio/naming_template.h"
#include "common/error.h"

#include <QTest>

using namespace stemdeck;
using namespace stemdeck::audio;

namespace {

NamingContext context() {
    NamingContext c;
    c.track = "My Song";
    c.stem = "vocals";
    c.ext = "flac";
    c.model = "mdx23c-drums";
    c.date = "2026-11-26";
    c.index = 3;
    c.folder = "Album 1";
    return c;
}

} // namespace

class TstNaming : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void expands_data() {
        QTest::addColumn<QString>("tmpl");
        QTest::addColumn<QString>("track");
        QTest::addColumn<QString>("expected");
        QTest::newRow("default") << "{track}/{stem}.{ext}"
                                 << "My Song"
                                 << "My Song/vocals.flac";
        QTest::newRow("all variables") << "{model}/{date}/{index}-{track}-{stem}.{ext}"
                                       << "My Song"
                                       << "mdx23c-drums/2026-11-26/3-My Song-vocals.flac";
        QTest::newRow("folder") << "{folder}/{track}/{stem}.{ext}"
                                << "01"
                                << "Album 1/01/vocals.flac";
        QTest::newRow("flat") << "{track} - {stem}.{ext}"
                              << "My Song"
                              << "My Song - vocals.flac";
        QTest::newRow("literal folders") << "stems/out/{stem}.{ext}"
                                         << "x"
                                         << "stems/out/vocals.flac";
        QTest::newRow("backslash is a separator") << "{track}\\{stem}.{ext}"
                                                  << "A"
                                                  << "A/vocals.flac";
        QTest::newRow("slash in track") << "{track}/{stem}.{ext}"
                                        << "AC/DC"
                                        << "AC_DC/vocals.flac";
        QTest::newRow("reserved characters") << "{track}/{stem}.{ext}"
                                             << "a:b*c?d\"e<f>g|h\\i"
                                             << "a_b_c_d_e_f_g_h_i/vocals.flac";
        QTest::newRow("dot-dot track") << "{track}/{stem}.{ext}"
                                       << ".."
                                       << "_/vocals.flac";
        QTest::newRow("dot track") << "{track}/{stem}.{ext}"
                                   << "."
                                   << "_/vocals.flac";
        QTest::newRow("empty track") << "{track}/{stem}.{ext}"
                                     << ""
                                     << "_/vocals.flac";
        QTest::newRow("trailing dots and spaces") << "{track}/{stem}.{ext}"
                                                  << "Song. . "
                                                  << "Song/vocals.flac";
        QTest::newRow("control characters") << "{track}/{stem}.{ext}"
                                            << "a\tb\nc"
                                            << "a_b_c/vocals.flac";
        // Windows' device names are not files there: the same path on every system.
        QTest::newRow("device name track") << "{track}/{stem}.{ext}"
                                           << "con"
                                           << "con_/vocals.flac";
        QTest::newRow("device name with extension") << "{track}.{ext}"
                                                    << "Com1"
                                                    << "Com1_.flac";
        QTest::newRow("not a device name") << "{track}/{stem}.{ext}"
                                           << "console"
                                           << "console/vocals.flac";
        QTest::newRow("unicode kept") << "{track}/{stem}.{ext}"
                                      << "Café – Ñ"
                                      << "Café – Ñ/vocals.flac";
    }
    void expands() {
        QFETCH(QString, tmpl);
        QFETCH(QString, track);
        QFETCH(QString, expected);
        NamingContext c = context();
        c.track = track.toStdString();
        const auto t = NamingTemplate::parse(tmpl.toStdString());
        const auto p = t.expand(c);
        QCOMPARE(QString::fromStdString(p.generic_string()), expected);
        QVERIFY(p.is_relative());
    }

    void defaultTemplate() {
        const NamingTemplate t;
        QCOMPARE(QString::fromStdString(t.text()), QString("{track}/{stem}.{ext}"));
        QVERIFY(t.uses("stem"));
        QVERIFY(!t.uses("model"));
        QCOMPARE(QString::fromStdString(t.expand(context()).generic_string()),
                 QString("My Song/vocals.flac"));
    }

    void emptyDateIsToday() {
        NamingContext c = context();
        c.date.clear();
        const auto p = NamingTemplate::parse("{date}.{ext}").expand(c).string();
        QCOMPARE(p.size(), size_t(15)); // YYYY-MM-DD.flac
        QCOMPARE(p[4], '-');
        QCOMPARE(p[7], '-');
    }

    void rejects_data() {
        QTest::addColumn<QString>("tmpl");
        QTest::addColumn<QString>("reason");
        QTest::newRow("unknown variable") << "{track}/{artist}.{ext}"
                                          << "unknown variable {artist}";
        QTest::newRow("absolute") << "/tmp/{stem}.{ext}"
                                  << "absolute";
        QTest::newRow("absolute backslash") << "\\{stem}.{ext}"
                                            << "absolute";
        QTest::newRow("drive letter") << "C:/{stem}.{ext}"
                                      << "drive letter";
        QTest::newRow("home") << "~/{stem}.{ext}"
                              << "home";
        QTest::newRow("dot-dot start") << "../{stem}.{ext}"
                                       << "..";
        QTest::newRow("dot-dot middle") << "{track}/../../{stem}.{ext}"
                                        << "..";
        QTest::newRow("dot-dot backslash") << "{track}\\..\\{stem}.{ext}"
                                           << "..";
        QTest::newRow("dot segment") << "./{stem}.{ext}"
                                     << "\".\"";
        QTest::newRow("unclosed") << "{track/{stem}.{ext}"
                                  << "never closed";
        QTest::newRow("unclosed end") << "{stem}.{ext"
                                      << "never closed";
        QTest::newRow("stray close") << "{stem}}.{ext}"
                                     << "no matching";
        QTest::newRow("empty") << ""
                               << "empty";
        QTest::newRow("trailing separator") << "{track}/{stem}/"
                                            << "file name";
        QTest::newRow("double separator") << "{track}//{stem}.{ext}"
                                          << "empty folder";
        QTest::newRow("empty variable") << "{}.{ext}"
                                        << "unknown variable {}";
        // Literal characters that Windows refuses in a name: refused on every system, so a
        // template that works here works there (values from names are replaced instead).
        QTest::newRow("colon literal") << "{track}: {stem}.{ext}"
                                       << "':' at position 8 cannot be part of a file name on Windows";
        QTest::newRow("question mark literal") << "{track}/{stem}?.{ext}"
                                               << "'?' at position 15";
        QTest::newRow("pipe literal") << "{track}|{stem}.{ext}"
                                      << "'|' at position 8";
        QTest::newRow("quote literal") << "\"{track}\"/{stem}.{ext}"
                                       << "'\"' at position 1";
        QTest::newRow("angle literal") << "{track}/<{stem}>.{ext}" << "'<' at position 9";
        QTest::newRow("star literal") << "{track}/*.{stem}.{ext}" << "'*' at position 9";
        QTest::newRow("tab literal") << "{track}\t{stem}.{ext}" << "control character at position 8";
        QTest::newRow("position counts characters") << QStringLiteral("Ä:{stem}.{ext}") << "':' at position 2";
    }
    void rejects() {
        QFETCH(QString, tmpl);
        QFETCH(QString, reason);
        try {
            NamingTemplate::parse(tmpl.toStdString());
            QFAIL("template accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
            const std::string msg = e.what();
            QVERIFY2(msg.find(reason.toStdString()) != std::string::npos, e.what());
            QVERIFY2(msg.find(tmpl.toStdString()) != std::string::npos,
                     e.what()); // names the template
        }
    }

    void expandAllGivesOnePathPerStem() {
        const std::vector<std::string> stems{"vocals", "drums", "bass", "other"};
        const auto paths = expandAll(NamingTemplate(), context(), stems);
        QCOMPARE(paths.size(), size_t(4));
        QCOMPARE(QString::fromStdString(paths[1].generic_string()), QString("My Song/drums.flac"));
        const auto indexed =
            expandAll(NamingTemplate::parse("{track}/{index}.{ext}"), context(), stems);
        QCOMPARE(QString::fromStdString(indexed[3].generic_string()), QString("My Song/4.flac"));
    }

    void expandAllRejectsCollisions_data() {
        QTest::addColumn<QString>("tmpl");
        QTest::addColumn<QStringList>("stems");
        QTest::newRow("no stem variable") << "{track}.{ext}" << QStringList{"vocals", "drums"};
        QTest::newRow("case only") << "{track}/{stem}.{ext}" << QStringList{"Vocals", "vocals"};
        QTest::newRow("sanitized alike") << "{track}/{stem}.{ext}" << QStringList{"a/b", "a:b"};
    }
    void expandAllRejectsCollisions() {
        QFETCH(QString, tmpl);
        QFETCH(QStringList, stems);
        std::vector<std::string> list;
        for (const auto& s : stems)
            list.push_back(s.toStdString());
        try {
            expandAll(NamingTemplate::parse(tmpl.toStdString()), context(), list);
            QFAIL("collision accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
            const std::string msg = e.what();
            QVERIFY2(msg.find("same file") != std::string::npos, e.what());
            QVERIFY2(msg.find(list[0]) != std::string::npos &&
                         msg.find(list[1]) != std::string::npos,
                     e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TstNaming)
#include "tst_naming.moc"
