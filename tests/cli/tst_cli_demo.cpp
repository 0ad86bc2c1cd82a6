// `stemdeck-cli demo`: --render writes the loop and its five stems, the same bytes every time,
// the stems summing to the mix, and never over an existing file; without --render it separates
// the installed loop with the default model and scores each stem against rendered ground truth.
// The default model here is a stand-in (the shared tiny DrumSep layout, random weights) placed
// in a temporary model folder: the test checks the command's plumbing, not the model's quality.
#include "audio/decode.h"
#include "common/test_support.h"

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace stemdeck;
namespace fs = std::filesystem;

namespace {

const QStringList kStems{QStringLiteral("kick"), QStringLiteral("snare"), QStringLiteral("toms"), QStringLiteral("hh"),
                         QStringLiteral("cymbals")};

struct Run {
    int code = -1;
    QByteArray out, err;
};

Run cli(const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(STEMDECK_CLI_PATH), args);
    Run r;
    if (!p.waitForFinished(180000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QByteArray bytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestCliDemo : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;

private Q_SLOTS:
    void renderIsDeterministicAndSumsToTheMix() {
        const QString a = m_tmp.path() + QStringLiteral("/a"), b = m_tmp.path() + QStringLiteral("/b");
        // 4 s instead of the shipped 16 s: the same code, a quarter of the work.
        const QStringList shortLoop{QStringLiteral("--seconds"), QStringLiteral("4")};
        const Run ra = cli(QStringList{QStringLiteral("demo"), QStringLiteral("--render"), a} + shortLoop);
        QVERIFY2(ra.code == 0, ra.err.constData());
        const Run rb = cli(QStringList{QStringLiteral("demo"), QStringLiteral("--render"), b} + shortLoop);
        QVERIFY2(rb.code == 0, rb.err.constData());

        const audio::Decoded mix = audio::decodeFile(test::toPath(a + QStringLiteral("/demo-loop.flac")));
        QCOMPARE(mix.audio.sampleRate, 44100);
        QCOMPARE(mix.audio.channels, 2);
        QCOMPARE(mix.audio.frames, int64_t(4 * 44100));
        QCOMPARE(bytes(a + QStringLiteral("/demo-loop.flac")), bytes(b + QStringLiteral("/demo-loop.flac")));
        QVERIFY(bytes(a + QStringLiteral("/demo-loop.json")).contains("\"seconds\": 4"));
        std::vector<double> sum(mix.audio.samples.size(), 0.0);
        for (const QString& s : kStems) {
            const QString path = QStringLiteral("/stems/%1.wav").arg(s);
            const audio::Decoded stem = audio::decodeFile(test::toPath(a + path));
            // Sample for sample the same (the WAV header's PEAK chunk carries a timestamp).
            QVERIFY(stem.audio.samples == audio::decodeFile(test::toPath(b + path)).audio.samples);
            QCOMPARE(stem.audio.frames, mix.audio.frames);
            double energy = 0.0;
            for (size_t i = 0; i < sum.size(); ++i) {
                sum[i] += stem.audio.samples[i];
                energy += double(stem.audio.samples[i]) * stem.audio.samples[i];
            }
            QVERIFY2(energy > 1.0, qPrintable(s + QStringLiteral(" is silent"))); // all five stems play
        }
        // The mix is the stems' exact sum, up to the 24-bit FLAC quantisation.
        double worst = 0.0, peak = 0.0;
        for (size_t i = 0; i < sum.size(); ++i) {
            worst = std::max(worst, std::abs(sum[i] - mix.audio.samples[i]));
            peak = std::max(peak, std::abs(double(mix.audio.samples[i])));
        }
        QVERIFY2(worst < 1e-6, qPrintable(QString::number(worst)));
        QVERIFY(peak > 0.3 && peak < 1.0);

        // An existing render is never overwritten without --overwrite.
        const QByteArray before = bytes(a + QStringLiteral("/demo-loop.flac"));
        const Run again = cli({QStringLiteral("demo"), QStringLiteral("--render"), a, QStringLiteral("--seed"), QStringLiteral("7")});
        QCOMPARE(again.code, 5);
        QCOMPARE(bytes(a + QStringLiteral("/demo-loop.flac")), before);
        QVERIFY(again.err.contains("already exists"));
        // All or nothing: with the loop gone but its stems there, nothing new is written.
        QVERIFY(QFile::remove(b + QStringLiteral("/demo-loop.flac")));
        const Run partial = cli({QStringLiteral("demo"), QStringLiteral("--render"), b});
        QCOMPARE(partial.code, 5);
        QVERIFY(!QFile::exists(b + QStringLiteral("/demo-loop.flac")));
    }

    void separatesTheInstalledLoopAndScoresIt() {
        if (test::mdx23cVectorsDir().empty()) QFAIL("shared MDX23C vectors not found (STEMDECK_TESTDATA_DIR)");
        // Resources: demo/demo-loop.flac from the render above; models/drumsep-compact = stand-in.
        const QString res = m_tmp.path() + QStringLiteral("/resources");
        QVERIFY(QDir().mkpath(res + QStringLiteral("/demo")));
        QVERIFY(QDir().mkpath(res + QStringLiteral("/models/drumsep-compact")));
        for (const char* f : {"/demo-loop.flac", "/demo-loop.json"})
            QVERIFY(QFile::copy(m_tmp.path() + QStringLiteral("/a") + QLatin1String(f), res + QStringLiteral("/demo") + QLatin1String(f)));
        const fs::path tiny = test::mdx23cVectorsDir() / "drumsep5_tiny";
        QVERIFY(QFile::copy(QString::fromStdString((tiny / "config.yaml").string()),
                            res + QStringLiteral("/models/drumsep-compact/config.yaml")));
        QVERIFY(QFile::copy(QString::fromStdString((tiny / "model.safetensors").string()),
                            res + QStringLiteral("/models/drumsep-compact/model.safetensors")));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("STEMDECK_RESOURCES_DIR"), res);
        env.insert(QStringLiteral("STEMDECK_MODELS_DIR"), res + QStringLiteral("/models"));

        const QString out = m_tmp.path() + QStringLiteral("/separated");
        const Run r = cli({QStringLiteral("demo"), QStringLiteral("-o"), out, QStringLiteral("--device"), QStringLiteral("cpu")}, env);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        QVERIFY2(r.out.contains("SDR against the ground truth"), r.out.constData());
        for (const QString& s : kStems) {
            QVERIFY2(r.out.contains(s.toUtf8()), qPrintable(s));
            const audio::Decoded est = audio::decodeFile(test::toPath(out + QStringLiteral("/%1.wav").arg(s)));
            QCOMPARE(est.audio.frames, int64_t(4 * 44100));
        }
        QVERIFY(r.out.contains("mean"));

        // A second run without --overwrite keeps the first run's stems and says why.
        const QByteArray kick = bytes(out + QStringLiteral("/kick.wav"));
        const Run again = cli({QStringLiteral("demo"), QStringLiteral("-o"), out, QStringLiteral("--device"), QStringLiteral("cpu")}, env);
        QCOMPARE(again.code, 5);
        QCOMPARE(bytes(out + QStringLiteral("/kick.wav")), kick);
    }
};

QTEST_GUILESS_MAIN(TestCliDemo)
#include "tst_cli_demo.moc"
