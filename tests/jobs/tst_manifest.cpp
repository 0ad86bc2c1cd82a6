// Manifests and shards (jobs/manifest.h): the line rules (comments, blanks, spaces, CRLF, BOM,
// relative paths against the manifest's folder, repeats), errors that name the file and line,
// --shard parsing, and the share rule: SHA-256 of the normalised entry text mod N (checked against
// digests from sha256sum), every entry in exactly one shard, independent of line order.
#include "jobs/manifest.h"

#include "common/error.h"
#include "common/test_support.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <algorithm>
#include <map>
#include <set>

using namespace stemdeck;
using jobs::Manifest;
using jobs::ManifestEntry;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> keys(const std::vector<ManifestEntry>& entries) {
    std::vector<std::string> k;
    for (const ManifestEntry& e : entries) k.push_back(e.key);
    return k;
}

ErrorCode parseError(std::string_view text, std::string* message) {
    try {
        jobs::parseManifest(text, "/data", "list.txt");
    } catch (const Error& e) {
        *message = e.what();
        return e.code();
    }
    return ErrorCode::Internal;
}

} // namespace

class TestManifest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void lineRules() {
        const std::string text = "\xEF\xBB\xBF# my catalogue\r\n"
                                 "\r\n"
                                 "  albums/one.wav  \r\n"
                                 "./albums//two.flac\n"
                                 "\t# indented comment\n"
                                 "/abs/three.mp3\n"
                                 "albums/one.wav\n"         // repeat of line 3
                                 "albums/x/../one.wav\n"    // same after normalising
                                 "odd #name.wav\n"          // '#' inside a name is part of it
                                 "last-without-newline.ogg";
        const Manifest m = jobs::parseManifest(text, "/data/lists", "list.txt");
        QCOMPARE(keys(m.entries), (std::vector<std::string>{"albums/one.wav", "albums/two.flac", "/abs/three.mp3",
                                                            "odd #name.wav", "last-without-newline.ogg"}));
        QCOMPARE(m.entries[0].path, fs::path("/data/lists/albums/one.wav"));
        QCOMPARE(m.entries[1].path, fs::path("/data/lists/albums/two.flac"));
        QCOMPARE(m.entries[2].path, fs::path("/abs/three.mp3"));
        QCOMPARE(m.entries[0].line, 3);
        QCOMPARE(m.entries[1].line, 4);
        QCOMPARE(m.entries[2].line, 6);
        QCOMPARE(m.entries[3].line, 9);
        QCOMPARE(m.entries[4].line, 10);
        QCOMPARE(m.duplicates.size(), size_t(2));
        QVERIFY2(m.duplicates[0].find("line 7 repeats line 3") != std::string::npos, m.duplicates[0].c_str());
        QVERIFY2(m.duplicates[1].find("line 8 repeats line 3") != std::string::npos, m.duplicates[1].c_str());
    }

    // A Latin-1 line: the key keeps its bytes (its shard is the hash of what is written), the
    // path gets U+FFFD where they were, so the track fails with the reason instead of the run
    // stopping on a conversion error.
    void lineThatIsNotUtf8() {
        const Manifest m = jobs::parseManifest("caf\xe9.wav\nok.wav\n", "/data", "list.txt");
        QCOMPARE(m.entries.size(), size_t(2));
        QCOMPARE(m.entries[0].key, std::string("caf\xe9.wav"));
        QCOMPARE(m.entries[0].path, fs::path("/data/caf\xef\xbf\xbd.wav"));
        QCOMPARE(m.entries[1].path, fs::path("/data/ok.wav"));
    }

    void readsFromDiskRelativeToItsFolder() {
        QTemporaryDir tmp;
        QVERIFY(QDir(tmp.path()).mkpath(QStringLiteral("lists")));
        QFile f(tmp.path() + QStringLiteral("/lists/catalogue.txt"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("../music/a.wav\nb.wav\n");
        f.close();
        const Manifest m = jobs::readManifest(test::toPath(f.fileName()));
        QCOMPARE(m.entries.size(), size_t(2));
        const fs::path root = test::toPath(tmp.path());
        QCOMPARE(m.entries[0].path, (root / "music/a.wav").lexically_normal());
        QCOMPARE(m.entries[1].path, (root / "lists/b.wav").lexically_normal());
        QCOMPARE(m.entries[0].key, std::string("../music/a.wav"));
        QCOMPARE(m.file, (root / "lists/catalogue.txt").lexically_normal());
    }

    // An endless or binary file given by mistake is refused at its first block, not read until
    // memory runs out (/dev/zero used to grow to gigabytes).
    void endlessOrBinaryFileIsRefusedEarly() {
        try {
            jobs::readManifest("/dev/zero");
            QFAIL("/dev/zero read as a manifest");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
            QVERIFY2(std::string(e.what()).find("NUL byte") != std::string::npos, e.what());
        }
    }

    void errorsNameTheFileAndLine() {
        std::string msg;
        QCOMPARE(parseError(std::string_view("a.wav\n\0b.wav\n", 14), &msg), ErrorCode::InvalidArgument);
        QVERIFY2(msg.find("list.txt") != std::string::npos && msg.find("NUL") != std::string::npos, msg.c_str());

        const std::string longLine = "ok.wav\n" + std::string(5000, 'x') + "\n";
        QCOMPARE(parseError(longLine, &msg), ErrorCode::InvalidArgument);
        QVERIFY2(msg.find("Line 2") != std::string::npos && msg.find("list.txt") != std::string::npos, msg.c_str());

        QCOMPARE(parseError("# only a comment\n\n   \n", &msg), ErrorCode::EmptyInput);
        QVERIFY2(msg.find("list.txt") != std::string::npos, msg.c_str());

        QTemporaryDir tmp;
        try {
            jobs::readManifest(test::toPath(tmp.path() + QStringLiteral("/none.txt")));
            QFAIL("a missing manifest was read");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::FileNotFound);
            QVERIFY(std::string(e.what()).find("none.txt") != std::string::npos);
        }
        try {
            jobs::readManifest(test::toPath(tmp.path()));
            QFAIL("a folder was read as a manifest");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::UnreadableFile);
            QVERIFY(std::string(e.what()).find("folder") != std::string::npos);
        }
    }

    void parseShard_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("index"); // -1: refused
        QTest::addColumn<int>("count");
        QTest::newRow("first") << QStringLiteral("0/4") << 0 << 4;
        QTest::newRow("last") << QStringLiteral("3/4") << 3 << 4;
        QTest::newRow("single") << QStringLiteral("0/1") << 0 << 1;
        QTest::newRow("index = count") << QStringLiteral("4/4") << -1 << 0;
        QTest::newRow("negative") << QStringLiteral("-1/4") << -1 << 0;
        QTest::newRow("zero shards") << QStringLiteral("0/0") << -1 << 0;
        QTest::newRow("no slash") << QStringLiteral("2") << -1 << 0;
        QTest::newRow("words") << QStringLiteral("a/b") << -1 << 0;
        QTest::newRow("trailing junk") << QStringLiteral("1/4x") << -1 << 0;
        QTest::newRow("spaces") << QStringLiteral(" 1/4") << -1 << 0;
        QTest::newRow("too many") << QStringLiteral("0/100001") << -1 << 0;
    }

    void parseShard() {
        QFETCH(QString, text);
        QFETCH(int, index);
        QFETCH(int, count);
        const auto s = jobs::parseShard(text.toStdString());
        if (index < 0) {
            QVERIFY(!s);
        } else {
            QVERIFY(s);
            QCOMPARE(s->index, index);
            QCOMPARE(s->count, count);
        }
    }

    // The documented rule, against digests computed outside StemDeck:
    // printf %s KEY | sha256sum -> first 16 hex digits, as an unsigned number, mod N.
    void shardOfMatchesSha256sum_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("first8Hex");
        QTest::newRow("relative") << QStringLiteral("in/track1.wav") << QStringLiteral("8f2219559412bd28");
        QTest::newRow("plain") << QStringLiteral("a.wav") << QStringLiteral("bc30c538c410e224");
        QTest::newRow("absolute") << QStringLiteral("/music/Artist/Song.flac") << QStringLiteral("0f2c34ea009a5fda");
        QTest::newRow("short") << QStringLiteral("x") << QStringLiteral("2d711642b726b044");
    }

    void shardOfMatchesSha256sum() {
        QFETCH(QString, key);
        QFETCH(QString, first8Hex);
        bool ok = false;
        const quint64 v = first8Hex.toULongLong(&ok, 16);
        QVERIFY(ok);
        for (int n : {1, 2, 3, 7, 16, 1000})
            QCOMPARE(jobs::shardOf(key.toStdString(), n), static_cast<int>(v % static_cast<quint64>(n)));
    }

    void everyEntryInExactlyOneShardWhateverTheOrder() {
        std::string text, reversed;
        std::vector<std::string> lines;
        for (int i = 0; i < 3000; ++i) lines.push_back("artist" + std::to_string(i % 37) + "/track " + std::to_string(i) + ".flac");
        for (const auto& l : lines) text += l + "\n";
        for (auto it = lines.rbegin(); it != lines.rend(); ++it) reversed += *it + "\n";
        const Manifest m = jobs::parseManifest(text, "/data", "a.txt");
        const Manifest r = jobs::parseManifest(reversed, "/data", "b.txt");
        const int n = 7;
        std::map<std::string, int> owner;
        for (int s = 0; s < n; ++s) {
            const auto mine = jobs::entriesOf(m, {s, n});
            // Balanced in expectation: 3000 / 7 = 428.6 each; the hash keeps each within 15%.
            QVERIFY2(mine.size() > 364 && mine.size() < 493, qPrintable(QString::number(mine.size())));
            for (const ManifestEntry& e : mine) QVERIFY2(owner.emplace(e.key, s).second, e.key.c_str());
            // The reversed manifest gives the same share (order of lines does not matter).
            auto fromReversed = keys(jobs::entriesOf(r, {s, n}));
            auto fromForward = keys(mine);
            std::sort(fromReversed.begin(), fromReversed.end());
            std::sort(fromForward.begin(), fromForward.end());
            QCOMPARE(fromReversed, fromForward);
        }
        QCOMPARE(owner.size(), lines.size());
        // The same text written another way ("./", "//") lands on the same shard.
        QCOMPARE(jobs::shardOf(jobs::parseManifest("./artist1//track 1.flac\n", "/x", "c").entries[0].key, n),
                 owner.at("artist1/track 1.flac"));
    }
};

QTEST_GUILESS_MAIN(TestManifest)
#include "tst_manifest.moc"
