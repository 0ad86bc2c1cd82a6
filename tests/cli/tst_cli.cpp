// stemdeck-cli end to end through ctest: separate a generated file with a shared-vector model and
// check the stems (exist, length, rate, sum back to the mix with --residual), --json parses,
// bad input gives a non-zero exit code and a plain message, and the small commands work.
#include "audio/decode.h"
#include "audio/export.h"
#include "common/test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QDir>
#include <QDirIterator>
#include <QProcess>
#include <QTest>

#include <sys/resource.h>

#include <cmath>
#include <limits>
#include <cstdio>
#include <vector>

using namespace stemdeck;
namespace fs = std::filesystem;

namespace {

struct Run {
    int code = -1;
    QByteArray out, err;
};

Run cli(const QStringList& args, int timeoutMs = 120000) {
    QProcess p;
    p.start(QStringLiteral(STEMDECK_CLI_PATH), args);
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QString vec(const char* name, const char* file) {
    return QString::fromStdString((test::mdx23cVectorsDir() / name / file).string());
}

QString writeMix(const QString& dir, const QString& name, int rate, double seconds) {
    audio::AudioBuffer b;
    b.sampleRate = rate;
    b.channels = 2;
    b.frames = static_cast<int64_t>(seconds * rate);
    b.samples = test::tones(2, b.frames, rate, 0.5f);
    audio::ExportOptions o;
    o.format = audio::OutputFormat::Wav32f;
    return QString::fromStdString(audio::exportAudio(b, test::toPath(dir + QLatin1Char('/') + name), o).path.string());
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        if (test::mdx23cVectorsDir().empty()) QSKIP("shared MDX23C vectors not found (STEMDECK_TESTDATA_DIR)");
    }

    void separateWithJson() {
        QTemporaryDir tmp;
        const QString mix = writeMix(tmp.path(), QStringLiteral("demo mix.wav"), 44100, 1.0);
        const QString out = tmp.path() + QStringLiteral("/out");
        const Run r = cli({QStringLiteral("separate"), mix, QStringLiteral("-o"), out, QStringLiteral("--config"),
                           vec("variants_batchnorm_elu", "config.yaml"), QStringLiteral("--checkpoint"),
                           vec("variants_batchnorm_elu", "model.ckpt"), QStringLiteral("--device"), QStringLiteral("cpu"),
                           QStringLiteral("--batch"), QStringLiteral("2"), QStringLiteral("--overlap"), QStringLiteral("1"), QStringLiteral("--format"),
                           QStringLiteral("wav32f"), QStringLiteral("--residual"), QStringLiteral("--json"),
                           QStringLiteral("--profile"), tmp.path() + QStringLiteral("/trace.json")});
        QVERIFY2(r.code == 0, r.err.constData());
        QJsonParseError perr;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &perr);
        QVERIFY2(perr.error == QJsonParseError::NoError, qPrintable(perr.errorString() + QString::fromUtf8(r.out)));
        const QJsonArray jobs = doc.object().value(QStringLiteral("jobs")).toArray();
        QCOMPARE(jobs.size(), 1);
        const QJsonObject job = jobs.at(0).toObject();
        QCOMPARE(job.value(QStringLiteral("state")).toString(), QStringLiteral("done"));
        QCOMPARE(job.value(QStringLiteral("sample_rate")).toInt(), 44100);
        QVERIFY(job.value(QStringLiteral("chunk_seconds")).toDouble() > 0.0);
        QCOMPARE(job.value(QStringLiteral("soft_mask_power")).toDouble(), 0.0); // none in this config
        const QJsonArray files = job.value(QStringLiteral("files")).toArray();
        QStringList stems;
        const audio::Decoded in = audio::decodeFile(test::toPath(mix));
        std::vector<double> sum(in.audio.samples.size(), 0.0);
        for (const auto& f : files) {
            const QJsonObject o = f.toObject();
            stems << o.value(QStringLiteral("stem")).toString();
            const QString path = o.value(QStringLiteral("path")).toString();
            QVERIFY2(QFileInfo::exists(path), qPrintable(path));
            const audio::Decoded d = audio::decodeFile(test::toPath(path));
            QCOMPARE(d.audio.frames, in.audio.frames);
            QCOMPARE(d.audio.sampleRate, in.audio.sampleRate);
            for (size_t i = 0; i < sum.size(); ++i) sum[i] += d.audio.samples[i];
        }
        QCOMPARE(stems, QStringList({QStringLiteral("vocals"), QStringLiteral("instrumental")}));
        double worst = 0;
        for (size_t i = 0; i < sum.size(); ++i) worst = std::max(worst, std::abs(sum[i] - in.audio.samples[i]));
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
        // The trace parses as Chrome trace JSON.
        QFile trace(tmp.path() + QStringLiteral("/trace.json"));
        QVERIFY(trace.open(QIODevice::ReadOnly));
        const QJsonDocument t = QJsonDocument::fromJson(trace.readAll());
        QVERIFY(t.object().value(QStringLiteral("traceEvents")).toArray().size() > 3);

        // Second run without --overwrite: refused, exit code 5, existing files untouched.
        const Run again = cli({QStringLiteral("separate"), mix, QStringLiteral("-o"), out, QStringLiteral("--config"),
                               vec("variants_batchnorm_elu", "config.yaml"), QStringLiteral("--checkpoint"),
                               vec("variants_batchnorm_elu", "model.ckpt"), QStringLiteral("--device"), QStringLiteral("cpu"),
                               QStringLiteral("--overlap"), QStringLiteral("1"), QStringLiteral("--format"), QStringLiteral("wav32f")});
        QCOMPARE(again.code, 5);
        QVERIFY(again.err.contains("stemdeck-cli:"));

        // --tta: the augmented passes run (the JSON says so) and change the stems, which still
        // add up to the mix. Without it they do not run.
        QCOMPARE(job.value(QStringLiteral("test_time_augmentation")).toBool(true), false);
        const QString outTta = tmp.path() + QStringLiteral("/tta");
        const Run tta = cli({QStringLiteral("separate"), mix, QStringLiteral("-o"), outTta, QStringLiteral("--config"),
                             vec("variants_batchnorm_elu", "config.yaml"), QStringLiteral("--checkpoint"),
                             vec("variants_batchnorm_elu", "model.ckpt"), QStringLiteral("--device"), QStringLiteral("cpu"),
                             QStringLiteral("--overlap"), QStringLiteral("1"), QStringLiteral("--format"), QStringLiteral("wav32f"),
                             QStringLiteral("--residual"), QStringLiteral("--tta"), QStringLiteral("--json")});
        QVERIFY2(tta.code == 0, tta.err.constData());
        const QJsonObject ttaJob = QJsonDocument::fromJson(tta.out).object().value(QStringLiteral("jobs")).toArray().at(0).toObject();
        QCOMPARE(ttaJob.value(QStringLiteral("test_time_augmentation")).toBool(false), true);
        const auto stemOf = [](const QJsonObject& j, const QString& stem) {
            for (const auto& f : j.value(QStringLiteral("files")).toArray())
                if (f.toObject().value(QStringLiteral("stem")).toString() == stem)
                    return audio::decodeFile(test::toPath(f.toObject().value(QStringLiteral("path")).toString()));
            return audio::Decoded{};
        };
        const audio::Decoded plainVocals = stemOf(job, QStringLiteral("vocals"));
        const audio::Decoded ttaVocals = stemOf(ttaJob, QStringLiteral("vocals"));
        const audio::Decoded ttaRest = stemOf(ttaJob, QStringLiteral("instrumental"));
        QCOMPARE(ttaVocals.audio.samples.size(), plainVocals.audio.samples.size());
        double changed = 0, ttaWorst = 0;
        for (size_t i = 0; i < plainVocals.audio.samples.size(); ++i) {
            changed = std::max(changed, double(std::abs(ttaVocals.audio.samples[i] - plainVocals.audio.samples[i])));
            ttaWorst = std::max(ttaWorst, std::abs(double(ttaVocals.audio.samples[i]) + ttaRest.audio.samples[i] - in.audio.samples[i]));
        }
        QVERIFY2(changed > 1e-4, qPrintable(QString::number(changed)));
        QVERIFY2(ttaWorst < 1e-5, qPrintable(QString::number(ttaWorst)));
    }

    // A warning on stderr reads like the CLI's errors, not like Qt's log ("stemdeck.device: ...").
    // Requesting a CUDA device no machine has always warns (and falls back).
    void warningsReadLikeErrors() {
        QTemporaryDir tmp;
        const QString mix = writeMix(tmp.path(), QStringLiteral("short.wav"), 44100, 0.3);
        const Run r = cli({QStringLiteral("separate"), mix, QStringLiteral("-o"), tmp.path() + QStringLiteral("/out"),
                           QStringLiteral("--config"), vec("variants_batchnorm_elu", "config.yaml"), QStringLiteral("--checkpoint"),
                           vec("variants_batchnorm_elu", "model.ckpt"), QStringLiteral("--device"), QStringLiteral("cuda:63")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.err.contains("stemdeck-cli: warning: Requested cuda:63 is not available"), r.err.constData());
        QVERIFY2(!r.err.contains("stemdeck.device:"), r.err.constData());
    }

    void badInput_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        const QString cfg = vec("variants_batchnorm_elu", "config.yaml"), ck = vec("variants_batchnorm_elu", "model.ckpt");
        QTest::newRow("missing input") << QStringList{QStringLiteral("separate"), QStringLiteral("/nonexistent/x.wav"),
                                                      QStringLiteral("-o"), QStringLiteral("/tmp/o"),
                                                      QStringLiteral("--config"), cfg, QStringLiteral("--checkpoint"), ck}
                                       << 3 << QStringLiteral("/nonexistent/x.wav");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("separate"), QStringLiteral("--frobnicate")} << 2
                                        << QStringLiteral("frobnicate");
        QTest::newRow("bad device") << QStringList{QStringLiteral("separate"), cfg, QStringLiteral("-o"),
                                                   QStringLiteral("/tmp/o"), QStringLiteral("--config"), cfg,
                                                   QStringLiteral("--checkpoint"), ck, QStringLiteral("--device"),
                                                   QStringLiteral("tpu")}
                                    << 2 << QStringLiteral("tpu");
        QTest::newRow("bad batch") << QStringList{QStringLiteral("separate"), cfg, QStringLiteral("-o"),
                                                  QStringLiteral("/tmp/o"), QStringLiteral("--config"), cfg,
                                                  QStringLiteral("--checkpoint"), ck, QStringLiteral("--batch"),
                                                  QStringLiteral("zero")}
                                   << 2 << QStringLiteral("--batch");
        QTest::newRow("unknown model") << QStringList{QStringLiteral("separate"), cfg, QStringLiteral("-o"),
                                                      QStringLiteral("/tmp/o"), QStringLiteral("--model"),
                                                      QStringLiteral("no-such-model")}
                                       << 4 << QStringLiteral("no-such-model");
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << 2 << QStringLiteral("frobnicate");
        QTest::newRow("overlap too large") << QStringList{QStringLiteral("separate"), cfg, QStringLiteral("-o"), QStringLiteral("/tmp/o"),
                                                          QStringLiteral("--config"), cfg, QStringLiteral("--checkpoint"), ck,
                                                          QStringLiteral("--overlap"), QStringLiteral("99999")}
                                           << 2 << QStringLiteral("from 1 to 1024");
        // An existing profile trace is not replaced without --overwrite (checked before any work).
        QTest::newRow("profile trace exists") << QStringList{QStringLiteral("separate"), cfg, QStringLiteral("-o"), QStringLiteral("/tmp/o"),
                                                             QStringLiteral("--config"), cfg, QStringLiteral("--checkpoint"), ck,
                                                             QStringLiteral("--profile"), cfg}
                                              << 5 << QStringLiteral("already exists");
        QTest::newRow("one full stop") << QStringList{QStringLiteral("separate"), QStringLiteral("--bogus")} << 2
                                       << QStringLiteral("Unknown option 'bogus'. See");
        // A script's unset $OUT: refused, not stems written next to the input.
        QTest::newRow("empty destination") << QStringList{QStringLiteral("separate"), cfg, QStringLiteral("-o"), QString(),
                                                          QStringLiteral("--config"), cfg, QStringLiteral("--checkpoint"), ck}
                                           << 2 << QStringLiteral("Name the destination folder");
        for (const char* power : {"wiener", "9", "-1"})
            QTest::newRow(qPrintable(QStringLiteral("soft mask %1").arg(QLatin1String(power))))
                << QStringList{QStringLiteral("separate"), cfg, QStringLiteral("-o"), QStringLiteral("/tmp/o"),
                               QStringLiteral("--config"), cfg, QStringLiteral("--checkpoint"), ck,
                               QStringLiteral("--soft-mask"), QLatin1String(power)}
                << 2 << QStringLiteral("--soft-mask");
        QTest::newRow("wiener maybe") << QStringList{QStringLiteral("separate"), cfg, QStringLiteral("-o"), QStringLiteral("/tmp/o"),
                                                     QStringLiteral("--config"), cfg, QStringLiteral("--checkpoint"), ck,
                                                     QStringLiteral("--wiener"), QStringLiteral("maybe")}
                                      << 2 << QStringLiteral("--wiener takes on or off");
    }

    void badInput() {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        const Run r = cli(args);
        QCOMPARE(r.code, code);
        QVERIFY2(QString::fromUtf8(r.err).contains(mentions), r.err.constData());
        QVERIFY(r.err.startsWith("stemdeck-cli:"));
    }

    // album1/01.wav and album2/01.wav would write the same stems: refused before either is
    // separated (it once wrote the first and failed on the second, or with --overwrite replaced
    // it). {folder} tells them apart. A folder scan leaves out the destination inside it.
    void sameNamesInTwoFolders() {
        QTemporaryDir tmp;
        const QString in = tmp.path() + QStringLiteral("/in");
        QVERIFY(QDir().mkpath(in + QStringLiteral("/album1")) && QDir().mkpath(in + QStringLiteral("/album2")));
        writeMix(in + QStringLiteral("/album1"), QStringLiteral("01.wav"), 44100, 0.3);
        writeMix(in + QStringLiteral("/album2"), QStringLiteral("01.wav"), 44100, 0.3);
        const QStringList model{QStringLiteral("--config"), vec("variants_batchnorm_elu", "config.yaml"), QStringLiteral("--checkpoint"),
                                vec("variants_batchnorm_elu", "model.ckpt"), QStringLiteral("--device"), QStringLiteral("cpu")};
        const QString out = tmp.path() + QStringLiteral("/out");
        for (const QStringList& extra : {QStringList{}, QStringList{QStringLiteral("--overwrite")}}) {
            const Run r = cli(QStringList{QStringLiteral("separate"), in, QStringLiteral("-o"), out} + model + extra);
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains("album1/01.wav and ") && r.err.contains("album2/01.wav would write the same stem file"),
                     r.err.constData());
            QVERIFY2(r.err.contains("{folder}"), r.err.constData());
            QVERIFY(!QFileInfo::exists(out));
        }
        // Written inside the scanned folder, then the same run again: the stems of the first run
        // are not taken as new inputs.
        const QString inner = in + QStringLiteral("/stems");
        const QStringList byFolder{QStringLiteral("--template"), QStringLiteral("{folder}/{track}/{stem}.{ext}")};
        const Run first = cli(QStringList{QStringLiteral("separate"), in, QStringLiteral("-o"), inner} + model + byFolder);
        QCOMPARE(first.code, 0);
        const QString a = inner + QStringLiteral("/album1/01/vocals.wav"), b = inner + QStringLiteral("/album2/01/vocals.wav");
        QVERIFY(QFileInfo::exists(a) && QFileInfo::exists(b));
        const Run again = cli(QStringList{QStringLiteral("separate"), in, QStringLiteral("-o"), inner, QStringLiteral("--overwrite")} +
                              model + byFolder);
        QCOMPARE(again.code, 0);
        QCOMPARE(QString::fromUtf8(again.out).count(QStringLiteral(" stem, device ")), 2);
        // The same file named twice (and inside a named folder) is one job, not a collision.
        const QString one = in + QStringLiteral("/album1/01.wav");
        const Run twice = cli(QStringList{QStringLiteral("separate"), one, one, in + QStringLiteral("/album1"), QStringLiteral("-o"),
                                          tmp.path() + QStringLiteral("/twice")} + model);
        QCOMPARE(twice.code, 0);
        QCOMPARE(QString::fromUtf8(twice.out).count(QStringLiteral(" stem, device ")), 1);
        QVERIFY(!QFileInfo::exists(inner + QStringLiteral("/01")));
    }

    // Two inputs whose stems differ only in a non-ASCII letter's case would be one file on
    // Windows and macOS: refused everywhere, as "Music"/"music" already were.
    void unicodeCaseCollisionsAreRefused() {
        QTemporaryDir tmp;
        const QString in = tmp.path() + QStringLiteral("/in");
        QVERIFY(QDir().mkpath(in + QStringLiteral("/Älbum")) && QDir().mkpath(in + QStringLiteral("/älbum")));
        writeMix(in + QStringLiteral("/Älbum"), QStringLiteral("01.wav"), 44100, 0.3);
        writeMix(in + QStringLiteral("/älbum"), QStringLiteral("01.wav"), 44100, 0.3);
        const Run r = cli({QStringLiteral("separate"), in, QStringLiteral("-o"), tmp.path() + QStringLiteral("/out"),
                           QStringLiteral("--template"), QStringLiteral("{folder}/{track}/{stem}.{ext}"),
                           QStringLiteral("--config"), vec("variants_batchnorm_elu", "config.yaml"), QStringLiteral("--checkpoint"),
                           vec("variants_batchnorm_elu", "model.ckpt"), QStringLiteral("--device"), QStringLiteral("cpu")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("would write the same stem file"), r.err.constData());
    }

    // A file whose name is not valid UTF-8 (a Latin-1 "caf\xe9.wav") cannot be opened through
    // Qt's strings. It used to vanish from a folder scan (exit 0, nothing said), "not exist" when
    // named, and stop a manifest run with "Unexpected error". Now the track fails saying why and
    // how to rename it, and the rest of the run goes on.
    void undecodableNamesFailWithTheReason() {
#if !defined(Q_OS_LINUX)
        QSKIP("Linux file systems hold any bytes in a name; APFS refuses invalid UTF-8 and Windows names are UTF-16");
#endif
        QTemporaryDir tmp;
        const QString in = tmp.path() + QStringLiteral("/in");
        QVERIFY(QDir().mkpath(in));
        writeMix(in, QStringLiteral("ok.wav"), 44100, 0.3);
        const QString latin = writeMix(in, QStringLiteral("latin.wav"), 44100, 0.3);
        const QByteArray raw = QFile::encodeName(in) + "/caf\xe9.wav";
        QCOMPARE(std::rename(QFile::encodeName(latin).constData(), raw.constData()), 0);
        const QStringList model{QStringLiteral("--config"), vec("variants_batchnorm_elu", "config.yaml"), QStringLiteral("--checkpoint"),
                                vec("variants_batchnorm_elu", "model.ckpt"), QStringLiteral("--device"), QStringLiteral("cpu")};
        const QString out = tmp.path() + QStringLiteral("/out");
        const Run scan = cli(QStringList{QStringLiteral("separate"), in, QStringLiteral("-o"), out} + model);
        QCOMPARE(scan.code, 3);
        QVERIFY2(scan.err.contains("is not valid UTF-8") && scan.err.contains("convmv"), scan.err.constData());
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/ok/vocals.wav")));
        QCOMPARE(QDir(out).entryList(QDir::Dirs | QDir::NoDotAndDotDot), QStringList{QStringLiteral("ok")});

        const QString list = tmp.path() + QStringLiteral("/list.txt");
        QFile m(list);
        QVERIFY(m.open(QIODevice::WriteOnly));
        m.write("in/caf\xe9.wav\nin/ok.wav\n");
        m.close();
        const Run manifest = cli(QStringList{QStringLiteral("separate"), QStringLiteral("--manifest"), list, QStringLiteral("-o"),
                                             tmp.path() + QStringLiteral("/out2")} + model);
        QCOMPARE(manifest.code, 1);
        QVERIFY2(manifest.err.contains("is not valid UTF-8") && manifest.err.contains("(manifest line 1)"), manifest.err.constData());
        const QByteArray summary = manifest.out + manifest.err;
        QVERIFY2(summary.contains("1 separated") && summary.contains("1 failed"), summary.constData());
        // --json too: the line's bytes were refused by the JSON writer ("Unexpected error").
        const Run asJson = cli(QStringList{QStringLiteral("separate"), QStringLiteral("--manifest"), list, QStringLiteral("-o"),
                                           tmp.path() + QStringLiteral("/out2"), QStringLiteral("--json")} + model);
        QCOMPARE(asJson.code, 1);
        const QJsonDocument doc = QJsonDocument::fromJson(asJson.out);
        QVERIFY2(doc.isObject(), asJson.out.constData());
        const QJsonArray tracks = doc.object().value(QStringLiteral("manifest")).toObject().value(QStringLiteral("tracks")).toArray();
        QCOMPARE(tracks.size(), 2);
        QCOMPARE(tracks.at(0).toObject().value(QStringLiteral("entry")).toString(), QStringLiteral("in/caf\uFFFD.wav"));
        QCOMPARE(tracks.at(0).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QCOMPARE(tracks.at(1).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("complete"));
        QCOMPARE(std::remove(raw.constData()), 0); // Qt cannot list it, so QTemporaryDir cannot remove it
    }

    // No option makes a run write over its own files: a template that puts a stem on the input
    // (refused before the model runs), or a --profile trace naming a stem of the run. Both used to
    // succeed with --overwrite, the input then holding a stem, the stem holding JSON.
    void neverOverwritesItsOwnFiles() {
        QTemporaryDir tmp;
        const QString io = tmp.path() + QStringLiteral("/io");
        QVERIFY(QDir().mkpath(io));
        const QString song = writeMix(io, QStringLiteral("song.wav"), 44100, 0.3);
        QFile in(song);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray original = in.readAll();
        in.close();
        const QStringList model{QStringLiteral("--config"), vec("variants_batchnorm_elu", "config.yaml"), QStringLiteral("--checkpoint"),
                                vec("variants_batchnorm_elu", "model.ckpt"), QStringLiteral("--device"), QStringLiteral("cpu")};
        const Run onInput = cli(QStringList{QStringLiteral("separate"), song, QStringLiteral("-o"), io, QStringLiteral("--template"),
                                            QStringLiteral("{track}.{ext}"), QStringLiteral("--overwrite")} + model);
        QCOMPARE(onInput.code, 2);
        QVERIFY2(onInput.err.contains("would replace the input itself"), onInput.err.constData());
        QVERIFY(in.open(QIODevice::ReadOnly));
        QCOMPARE(in.readAll(), original);
        in.close();

        const QString out = tmp.path() + QStringLiteral("/out");
        QCOMPARE(cli(QStringList{QStringLiteral("separate"), song, QStringLiteral("-o"), out} + model).code, 0);
        const QString stem = out + QStringLiteral("/song/vocals.wav");
        QVERIFY(QFileInfo::exists(stem));
        const Run onStem = cli(QStringList{QStringLiteral("separate"), song, QStringLiteral("-o"), out, QStringLiteral("--overwrite"),
                                           QStringLiteral("--profile"), stem} + model);
        QCOMPARE(onStem.code, 5);
        QVERIFY2(onStem.err.contains("would replace") && onStem.err.contains("the trace was not written"), onStem.err.constData());
        QFile f(stem);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.read(4) == "RIFF"); // still the stem, not JSON
    }

    // Past a file-size limit (ulimit -f) the run says so and leaves nothing (the signal used to
    // kill it mid-file with a partial temporary left in the destination).
    void fileSizeLimitIsAPlainError() {
        QTemporaryDir tmp;
        const QString song = writeMix(tmp.path(), QStringLiteral("song.wav"), 44100, 1.0);
        const QString out = tmp.path() + QStringLiteral("/out");
        QProcess p;
        p.setChildProcessModifier([] {
            const rlimit limit{20000, 20000}; // bytes: the input reads, a 1 s stem does not fit
            ::setrlimit(RLIMIT_FSIZE, &limit);
        });
        p.start(QStringLiteral(STEMDECK_CLI_PATH),
                {QStringLiteral("separate"), song, QStringLiteral("-o"), out, QStringLiteral("--config"),
                 vec("variants_batchnorm_elu", "config.yaml"), QStringLiteral("--checkpoint"),
                 vec("variants_batchnorm_elu", "model.ckpt"), QStringLiteral("--device"), QStringLiteral("cpu")});
        QVERIFY(p.waitForFinished(120000));
        const QByteArray err = p.readAllStandardError();
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 5);
        QVERIFY2(err.contains("file size limit"), err.constData());
        QDirIterator it(out, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        QVERIFY2(!it.hasNext(), qPrintable(it.hasNext() ? it.next() : QString()));
    }

    // NaN samples: refused with the way out named; with --replace-invalid-samples, separated
    // with them as silence and a note saying how many.
    void invalidSamplesRefusedOrReplaced() {
        QTemporaryDir tmp;
        // A 32-bit float WAV written by hand: StemDeck's own exporter refuses NaN.
        const int frames = 13230, channels = 2, rate = 44100;
        std::vector<float> interleaved(size_t(frames) * channels);
        for (int i = 0; i < frames; ++i)
            for (int c = 0; c < channels; ++c) interleaved[size_t(i) * channels + c] = 0.3f * float(std::sin(0.05 * i + c));
        interleaved[size_t(5000) * channels] = std::numeric_limits<float>::quiet_NaN();
        QByteArray wav;
        const auto u32 = [&](quint32 v) { for (int k = 0; k < 4; ++k) wav.append(char((v >> (8 * k)) & 0xff)); };
        const auto u16 = [&](quint16 v) { wav.append(char(v & 0xff)); wav.append(char(v >> 8)); };
        const quint32 dataBytes = quint32(interleaved.size() * sizeof(float));
        wav.append("RIFF"); u32(36 + dataBytes); wav.append("WAVEfmt "); u32(16);
        u16(3); u16(channels); u32(rate); u32(rate * channels * 4); u16(channels * 4); u16(32);
        wav.append("data"); u32(dataBytes);
        wav.append(reinterpret_cast<const char*>(interleaved.data()), int(dataBytes));
        const QString file = tmp.path() + QStringLiteral("/nan.wav");
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(wav);
        }
        const QStringList model{QStringLiteral("--config"), vec("variants_batchnorm_elu", "config.yaml"), QStringLiteral("--checkpoint"),
                                vec("variants_batchnorm_elu", "model.ckpt"), QStringLiteral("--device"), QStringLiteral("cpu")};
        const Run refused = cli(QStringList{QStringLiteral("separate"), file, QStringLiteral("-o"), tmp.path() + QStringLiteral("/o")} + model);
        QCOMPARE(refused.code, 3);
        QVERIFY2(refused.err.contains("the first at frame 5000") && refused.err.contains("--replace-invalid-samples"),
                 refused.err.constData());
        const Run replaced = cli(QStringList{QStringLiteral("separate"), file, QStringLiteral("-o"), tmp.path() + QStringLiteral("/o"),
                                             QStringLiteral("--replace-invalid-samples")} + model);
        QCOMPARE(replaced.code, 0);
        QVERIFY2(replaced.out.contains("replaced 1 invalid samples"), replaced.out.constData());
    }

    void notAudioFails() {
        QTemporaryDir tmp;
        QFile f(tmp.path() + QStringLiteral("/fake.wav"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not audio at all");
        f.close();
        const Run r = cli({QStringLiteral("separate"), f.fileName(), QStringLiteral("-o"), tmp.path() + QStringLiteral("/o"),
                           QStringLiteral("--config"), vec("variants_batchnorm_elu", "config.yaml"), QStringLiteral("--checkpoint"),
                           vec("variants_batchnorm_elu", "model.ckpt"), QStringLiteral("--json")});
        QCOMPARE(r.code, 3);
        QVERIFY2(r.err.contains("fake.wav"), r.err.constData());
        const QJsonDocument doc = QJsonDocument::fromJson(r.out);
        QCOMPARE(doc.object().value(QStringLiteral("jobs")).toArray().at(0).toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("failed"));
        QVERIFY(!QFileInfo::exists(tmp.path() + QStringLiteral("/o/fake")));
    }

    void softMaskNeedsTwoStems() {
        // The vector model has one target stem (vocals): masks (or the multichannel Wiener
        // filter) would hand it the whole mix.
        QTemporaryDir tmp;
        const QString mix = writeMix(tmp.path(), QStringLiteral("one.wav"), 44100, 0.5);
        for (const QStringList& option : {QStringList{QStringLiteral("--soft-mask"), QStringLiteral("2")},
                                          QStringList{QStringLiteral("--wiener"), QStringLiteral("on")}}) {
            const Run r = cli(QStringList{QStringLiteral("separate"), mix, QStringLiteral("-o"), tmp.path() + QStringLiteral("/o"),
                                          QStringLiteral("--config"), vec("variants_batchnorm_elu", "config.yaml"),
                                          QStringLiteral("--checkpoint"), vec("variants_batchnorm_elu", "model.ckpt"),
                                          QStringLiteral("--device"), QStringLiteral("cpu")} +
                              option);
            qInfo("%s: exit %d: %s", qPrintable(option.join(' ')), r.code, r.err.constData());
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains("at least two stems"), r.err.constData());
            QVERIFY(!QFileInfo::exists(tmp.path() + QStringLiteral("/o")));
        }
    }

    void helpAndVersion() {
        const Run h = cli({QStringLiteral("--help")});
        QCOMPARE(h.code, 0);
        QVERIFY(h.out.contains("Exit codes"));
        QVERIFY(h.out.contains("130"));
        const Run v = cli({QStringLiteral("--version")});
        QCOMPARE(v.code, 0);
        QVERIFY(v.out.contains(STEMDECK_VERSION));
        QVERIFY(v.out.contains("Qt ") && v.out.contains("LibTorch "));
        QVERIFY(v.out.contains("Licence: GPL-3.0-or-later"));
        QVERIFY(v.out.contains("demo/README.md"));
        const Run s = cli({QStringLiteral("separate"), QStringLiteral("--help")});
        QCOMPARE(s.code, 0);
        for (const char* opt : {"--model", "--config", "--checkpoint", "--device", "--overlap", "--batch", "--precision",
                                "--stems", "--residual", "--format", "--template", "--overwrite", "--profile", "--json"})
            QVERIFY2(s.out.contains(opt), opt);
        // Each subcommand's help names it (Qt's first line held the program's path alone).
        QVERIFY2(s.out.startsWith("Usage: stemdeck-cli separate [options]"), s.out.left(80).constData());
        for (const char* command : {"info", "model-info", "eval", "convert", "demo", "bench"}) {
            const Run c = cli({QLatin1String(command), QStringLiteral("--help")});
            QCOMPARE(c.code, 0);
            QVERIFY2(c.out.startsWith("Usage: stemdeck-cli " + QByteArray(command) + " [options]"), c.out.left(80).constData());
        }
    }

    void infoModelInfoEvalConvert() {
        const Run info = cli({QStringLiteral("info"), QStringLiteral("--json")});
        QCOMPARE(info.code, 0);
        QVERIFY(QJsonDocument::fromJson(info.out).object().contains(QStringLiteral("devices")));

        const Run mi = cli({QStringLiteral("model-info"), vec("drumsep5_tiny", "config.yaml"), vec("drumsep5_tiny", "model.ckpt"),
                            QStringLiteral("--json")});
        QCOMPARE(mi.code, 0);
        const QJsonObject m = QJsonDocument::fromJson(mi.out).object();
        QCOMPARE(m.value(QStringLiteral("stems")).toArray().size(), 5);
        QVERIFY(m.value(QStringLiteral("weights_match")).toBool());
        QCOMPARE(m.value(QStringLiteral("soft_mask_power")).toDouble(), 0.0); // StemDeck's own keys: absent
        QCOMPARE(m.value(QStringLiteral("mixture_consistency")).toBool(), false);
        // A checkpoint for another config: reported, exit code 4.
        const Run mismatch = cli({QStringLiteral("model-info"), vec("drumsep5_tiny", "config.yaml"),
                                  vec("variants_batchnorm_elu", "model.ckpt")});
        QCOMPARE(mismatch.code, 4);

        // eval: reference against itself is near-perfect; against the mix it is finite.
        const QString demix = QString::fromStdString((test::mdx23cVectorsDir() / "drumsep5_tiny" / "demix").string());
        const Run self = cli({QStringLiteral("eval"), demix, demix, QStringLiteral("--json")});
        QCOMPARE(self.code, 0);
        const QJsonObject e = QJsonDocument::fromJson(self.out).object();
        QCOMPARE(e.value(QStringLiteral("sdr")).toObject().size(), 5);
        QVERIFY(e.value(QStringLiteral("mean")).toDouble() > 80.0);

        QTemporaryDir tmp;
        const Run conv = cli({QStringLiteral("convert"), vec("drumsep5_tiny", "mix.wav"), tmp.path() + QStringLiteral("/mix.flac")});
        QCOMPARE(conv.code, 0);
        const audio::Decoded flac = audio::decodeFile(test::toPath(tmp.path() + QStringLiteral("/mix.flac")));
        QCOMPARE(flac.info.format, std::string("FLAC"));
        const Run conv2 = cli({QStringLiteral("convert"), vec("drumsep5_tiny", "mix.wav"), tmp.path() + QStringLiteral("/mix.flac")});
        QCOMPARE(conv2.code, 5); // exists, no --overwrite
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
