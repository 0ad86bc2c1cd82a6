// `stemdeck-cli separate --manifest FILE --shard I/N` as a scheduler runs it: three shards as
// parallel processes over one manifest (nine short tracks, a repeated line, a missing and a broken
// entry) writing to one shared folder. Every track is done by exactly one shard (the one the
// documented SHA-256 rule names), failures stay per track (exit 1, the others finish); a rerun
// does nothing and touches no file; a deleted stem, then a truncated and a garbage one, are found
// by the completeness check and only those tracks are redone. Plus the refusals that keep shards from
// colliding. Uses the tiny shared model of tst_cli (variants_batchnorm_elu, with --residual so a
// track has two stems).
#include "audio/decode.h"
#include "audio/export.h"
#include "common/test_support.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <map>
#include <memory>
#include <set>

using namespace stemdeck;
namespace fs = std::filesystem;

namespace {

constexpr int kShards = 3;

QString vec(const char* file) {
    return QString::fromStdString((test::mdx23cVectorsDir() / "variants_batchnorm_elu" / file).string());
}

struct ShardResult {
    int code = -1;
    QByteArray err;
    QJsonObject manifest;
    QJsonArray jobs;
    // entry (manifest key) -> status, for this shard's tracks
    std::map<QString, QString> status;
    std::map<QString, QJsonObject> track;
};

// Starts all shards at once and waits for all of them.
std::vector<ShardResult> runShards(const QStringList& args) {
    std::vector<std::unique_ptr<QProcess>> procs;
    for (int i = 0; i < kShards; ++i) {
        auto p = std::make_unique<QProcess>();
        p->start(QStringLiteral(STEMDECK_CLI_PATH),
                 args + QStringList{QStringLiteral("--shard"), QStringLiteral("%1/%2").arg(i).arg(kShards),
                                    QStringLiteral("--json")});
        procs.push_back(std::move(p));
    }
    std::vector<ShardResult> out(kShards);
    for (int i = 0; i < kShards; ++i) {
        QProcess& p = *procs[size_t(i)];
        ShardResult& r = out[size_t(i)];
        if (!p.waitForFinished(180000)) {
            p.kill();
            p.waitForFinished();
            r.err = "timed out";
            continue;
        }
        r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.err = p.readAllStandardError();
        const QJsonObject doc = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        r.manifest = doc.value(QStringLiteral("manifest")).toObject();
        r.jobs = doc.value(QStringLiteral("jobs")).toArray();
        for (const auto& t : r.manifest.value(QStringLiteral("tracks")).toArray()) {
            const QJsonObject o = t.toObject();
            const QString entry = o.value(QStringLiteral("entry")).toString();
            r.status[entry] = o.value(QStringLiteral("status")).toString();
            r.track[entry] = o;
        }
    }
    return out;
}

// The rule docs/scale-out.md gives users, computed here independently of the CLI.
int documentedShard(const QString& key) {
    const QByteArray d = QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256);
    quint64 v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<quint8>(d[i]);
    return static_cast<int>(v % kShards);
}

fs::file_time_type mtime(const fs::path& p) { return fs::last_write_time(p); }

} // namespace

class TestCliShard : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QStringList m_good;   // manifest keys of the nine real tracks
    QStringList m_failing; // keys of the missing and the broken entry
    QString m_out;
    QStringList m_args;

    QString root() const { return m_tmp.path(); }
    // The two stems of a track (template {track}/{stem}.{ext}; 16-bit WAV in, WAV 16 out).
    std::vector<fs::path> stemsOf(const QString& key) const {
        const QString track = QFileInfo(key).completeBaseName();
        return {test::toPath(m_out + QLatin1Char('/') + track + QStringLiteral("/vocals.wav")),
                test::toPath(m_out + QLatin1Char('/') + track + QStringLiteral("/instrumental.wav"))};
    }
    int64_t framesOf(const QString& key) const {
        return audio::decodeFile(test::toPath(root() + QStringLiteral("/music/") + key)).audio.frames;
    }
    std::map<fs::path, fs::file_time_type> allTimes() const {
        std::map<fs::path, fs::file_time_type> t;
        for (const QString& k : m_good)
            for (const fs::path& s : stemsOf(k)) t[s] = mtime(s);
        return t;
    }
    // Which shard listed each entry; fails the test when an entry is listed twice.
    std::map<QString, int> owners(const std::vector<ShardResult>& runs) {
        std::map<QString, int> o;
        for (int i = 0; i < kShards; ++i)
            for (const auto& [entry, status] : runs[size_t(i)].status) {
                if (!o.emplace(entry, i).second) {
                    QTest::qFail(qPrintable(entry + QStringLiteral(" is owned by two shards")), __FILE__, __LINE__);
                    return {};
                }
            }
        return o;
    }

private Q_SLOTS:
    void initTestCase() {
        if (test::mdx23cVectorsDir().empty()) QSKIP("shared MDX23C vectors not found (STEMDECK_TESTDATA_DIR)");
        QVERIFY(m_tmp.isValid());
        // Nine 0.3 s tracks in two folders (names with spaces), a broken file, a missing one.
        QString manifest = QStringLiteral("# catalogue for tst_cli_shard\n\n");
        for (int i = 1; i <= 9; ++i) {
            const QString key = QStringLiteral("set %1/track %2.wav").arg(i % 2 ? QStringLiteral("A") : QStringLiteral("B")).arg(i);
            audio::AudioBuffer b;
            b.sampleRate = 44100;
            b.channels = 2;
            b.frames = 13000 + 100 * i; // under one model chunk: one model call per track
            b.samples = test::noise(2, b.frames, 0.3f, 1000u + i);
            audio::ExportOptions o;
            o.format = audio::OutputFormat::Wav16;
            audio::exportAudio(b, test::toPath(root() + QStringLiteral("/music/") + key), o);
            m_good << key;
            manifest += QStringLiteral("  %1\n").arg(key);
        }
        manifest += QStringLiteral("./set A//track 1.wav\n"); // the same track again, written differently
        QFile broken(root() + QStringLiteral("/music/broken.wav"));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("this is not audio");
        broken.close();
        manifest += QStringLiteral("broken.wav\nmissing.wav\n");
        m_failing << QStringLiteral("broken.wav") << QStringLiteral("missing.wav");
        QFile list(root() + QStringLiteral("/music/list.txt"));
        QVERIFY(list.open(QIODevice::WriteOnly));
        list.write(manifest.toUtf8());
        list.close();

        m_out = root() + QStringLiteral("/stems");
        m_args = QStringList{QStringLiteral("separate"), QStringLiteral("--manifest"), list.fileName(),
                             QStringLiteral("-o"), m_out, QStringLiteral("--config"), vec("config.yaml"),
                             QStringLiteral("--checkpoint"), vec("model.ckpt"), QStringLiteral("--device"),
                             QStringLiteral("cpu"), QStringLiteral("--overlap"), QStringLiteral("1"),
                             QStringLiteral("--residual")};
    }

    void everyTrackExactlyOnce() {
        const std::vector<ShardResult> runs = runShards(m_args);
        const std::map<QString, int> owner = owners(runs);
        QCOMPARE(int(owner.size()), 11); // nine tracks + broken + missing; the repeated line once
        std::set<QString> separated, failed;
        for (int i = 0; i < kShards; ++i) {
            const ShardResult& r = runs[size_t(i)];
            QCOMPARE(r.manifest.value(QStringLiteral("entries")).toInt(), 11);
            QCOMPARE(r.manifest.value(QStringLiteral("duplicates")).toArray().size(), 1);
            bool ownsFailing = false;
            for (const auto& [entry, status] : r.status) {
                QCOMPARE(documentedShard(entry), i);
                if (status == QLatin1String("separated")) QVERIFY(separated.insert(entry).second);
                if (status == QLatin1String("failed")) QVERIFY(failed.insert(entry).second);
                ownsFailing = ownsFailing || m_failing.contains(entry);
            }
            // A failed track does not stop its shard; the exit code says some failed.
            QVERIFY2(r.code == (ownsFailing ? 1 : 0), r.err.constData());
        }
        QCOMPARE(separated, std::set<QString>(m_good.begin(), m_good.end()));
        QCOMPARE(failed, std::set<QString>(m_failing.begin(), m_failing.end()));
        for (const QString& k : m_good)
            for (const fs::path& s : stemsOf(k)) QCOMPARE(audio::decodeFile(s).audio.frames, framesOf(k));
    }

    void rerunDoesNothing() {
        const auto before = allTimes();
        const std::vector<ShardResult> runs = runShards(m_args);
        const std::map<QString, int> owner = owners(runs);
        QCOMPARE(int(owner.size()), 11);
        for (const ShardResult& r : runs) {
            QCOMPARE(r.jobs.size(), 0); // no separation ran
            for (const auto& [entry, status] : r.status)
                QCOMPARE(status, m_failing.contains(entry) ? QStringLiteral("failed") : QStringLiteral("complete"));
        }
        QVERIFY(allTimes() == before);
    }

    void deletedStemRedoesOnlyThatTrack() {
        const QString track = m_good[2];
        fs::remove(stemsOf(track)[1]);
        expectRedone({{track, stemsOf(track)[1]}});
    }

    void corruptStemsAreRedone() {
        const QString truncated = m_good[5], garbage = m_good[7];
        // A copy cut short (the header announces more audio than is there), and junk bytes.
        fs::resize_file(stemsOf(truncated)[0], fs::file_size(stemsOf(truncated)[0]) / 3);
        {
            QFile f(QString::fromStdString(stemsOf(garbage)[1].string()));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(QByteArray(1000, '\x7f'));
        }
        expectRedone({{truncated, stemsOf(truncated)[0]}, {garbage, stemsOf(garbage)[1]}});
        // And the next rerun finds everything complete again.
        for (const ShardResult& r : runShards(m_args)) QCOMPARE(r.jobs.size(), 0);
    }

    void refusals_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("says");
        const QStringList model{QStringLiteral("--config"), vec("config.yaml"), QStringLiteral("--checkpoint"),
                                vec("model.ckpt")};
        const QString o = m_tmp.path() + QStringLiteral("/refused");
        // Two entries whose outputs would land on the same files (same file name in two folders).
        QFile clash(m_tmp.path() + QStringLiteral("/clash.txt"));
        if (clash.open(QIODevice::WriteOnly)) clash.write("music/set A/track 1.wav\nother/track 1.flac\n");
        clash.close();
        const QString list = m_tmp.path() + QStringLiteral("/music/list.txt");
        QTest::newRow("shard without manifest")
            << (QStringList{QStringLiteral("separate"), list, QStringLiteral("-o"), o, QStringLiteral("--shard"),
                            QStringLiteral("0/2")} + model)
            << 2 << QStringLiteral("--shard needs --manifest");
        QTest::newRow("shard out of range")
            << (QStringList{QStringLiteral("separate"), QStringLiteral("--manifest"), list, QStringLiteral("-o"), o,
                            QStringLiteral("--shard"), QStringLiteral("3/3")} + model)
            << 2 << QStringLiteral("3/3");
        QTest::newRow("manifest and inputs")
            << (QStringList{QStringLiteral("separate"), QStringLiteral("--manifest"), list, list, QStringLiteral("-o"), o} + model)
            << 2 << QStringLiteral("not both");
        QTest::newRow("colliding names")
            << (QStringList{QStringLiteral("separate"), QStringLiteral("--manifest"), clash.fileName(), QStringLiteral("-o"), o} + model)
            << 2 << QStringLiteral("lines 1 (music/set A/track 1.wav) and 2 (other/track 1.flac)");
        QTest::newRow("date in the template")
            << (QStringList{QStringLiteral("separate"), QStringLiteral("--manifest"), list, QStringLiteral("-o"), o,
                            QStringLiteral("--template"), QStringLiteral("{date}/{track}/{stem}.{ext}")} + model)
            << 2 << QStringLiteral("{date}");
        QTest::newRow("missing manifest")
            << (QStringList{QStringLiteral("separate"), QStringLiteral("--manifest"), o + QStringLiteral("/none.txt"),
                            QStringLiteral("-o"), o} + model)
            << 3 << QStringLiteral("none.txt");
    }

    void refusals() {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, says);
        QProcess p;
        p.start(QStringLiteral(STEMDECK_CLI_PATH), args);
        QVERIFY(p.waitForFinished(60000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitCode(), code);
        QVERIFY2(err.startsWith(QStringLiteral("stemdeck-cli:")) && err.contains(says), qPrintable(err));
        QVERIFY(!QFileInfo::exists(m_tmp.path() + QStringLiteral("/refused"))); // nothing was written
    }

private:
    // Reruns all shards after `damaged` (track -> its damaged stem) was broken: exactly those
    // tracks are redone, each saying which file was wrong; every other track's files are untouched.
    void expectRedone(const std::map<QString, fs::path>& damaged) {
        QStringList tracks;
        for (const auto& [track, file] : damaged) tracks << track;
        const auto before = allTimesExcept(tracks);
        const std::vector<ShardResult> runs = runShards(m_args);
        QCOMPARE(int(owners(runs).size()), 11);
        std::set<QString> redone;
        for (const ShardResult& r : runs)
            for (const auto& [entry, status] : r.status) {
                if (status != QLatin1String("separated")) {
                    QCOMPARE(status, m_failing.contains(entry) ? QStringLiteral("failed") : QStringLiteral("complete"));
                    continue;
                }
                redone.insert(entry);
                QVERIFY2(damaged.count(entry), qPrintable(entry + QStringLiteral(" was separated again")));
                const QJsonObject t = r.track.at(entry);
                QVERIFY(t.value(QStringLiteral("redone")).toBool());
                const QString reason = t.value(QStringLiteral("reason")).toString();
                QVERIFY2(reason.contains(QString::fromStdString(damaged.at(entry).string())), qPrintable(reason));
            }
        QCOMPARE(redone.size(), damaged.size());
        for (const QString& k : tracks)
            for (const fs::path& s : stemsOf(k)) QCOMPARE(audio::decodeFile(s).audio.frames, framesOf(k));
        QVERIFY(allTimesExcept(tracks) == before);
    }

    std::map<fs::path, fs::file_time_type> allTimesExcept(const QStringList& skip) const {
        std::map<fs::path, fs::file_time_type> t;
        for (const QString& k : m_good) {
            if (skip.contains(k)) continue;
            for (const fs::path& s : stemsOf(k)) t[s] = mtime(s);
        }
        return t;
    }
};

QTEST_GUILESS_MAIN(TestCliShard)
#include "tst_cli_shard.moc"
