// Export: round trips for every output format and bit depth, clip policies, and the safety rules
// of the atomic write (no overwrite, rename, read-only and full destinations, a kill between
// write and rename, cleanup of stale temporaries).
#include "audio/buffer_ops.h"
#include "audio/decode.h"
#include "audio/export.h"
#include "common/error.h"
#include "common/test_support.h"

#include "audio_test_util.h"

#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <limits>

using namespace stemdeck;
using namespace stemdeck::audio;
namespace fs = std::filesystem;

namespace {

constexpr int kRate = 44100;

AudioBuffer tones(int64_t frames = kRate, float amplitude = 0.7f, int channels = 2,
                  int rate = kRate) {
    return test::makeBuffer(test::tones(channels, frames, rate, amplitude), channels, rate);
}

std::vector<std::string> entries(const fs::path& folder) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(folder, ec))
        out.push_back(fs::relative(e.path(), folder).generic_string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeText(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

ExportOptions options(OutputFormat f, ClipPolicy clip = ClipPolicy::Refuse) {
    ExportOptions o;
    o.format = f;
    o.clip = clip;
    return o;
}

// Catches the stemdeck::Error of f and returns it (fails the test when nothing is thrown).
template <typename F> std::optional<Error> errorOf(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    return std::nullopt;
}

// Sends all data writes to /dev/full, so the kernel itself answers ENOSPC.
class DevFullFileSystem : public ExportFileSystem {
public:
    explicit DevFullFileSystem(int devFull) : m_devFull(devFull) {}
    int write(int, const void* data, size_t size, size_t& written) override {
        return ExportFileSystem::write(m_devFull, data, size, written);
    }

private:
    int m_devFull;
};

// Signals the parent through a pipe when the export is about to rename, then waits to be killed.
class StallBeforePublish : public ExportFileSystem {
public:
    explicit StallBeforePublish(int pipeFd) : m_pipe(pipeFd) {}
    int publish(const fs::path&, const fs::path&, bool) override {
        const char c = 'x';
        (void)::write(m_pipe, &c, 1);
        for (;;)
            ::pause();
    }

private:
    int m_pipe;
};

} // namespace

class TstExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("channels");
        QTest::addColumn<QString>("container");
        QTest::addColumn<QString>("subtype");
        QTest::addColumn<double>("bound");  // max abs error for lossless formats (-1: lossy)
        QTest::addColumn<double>("minSnr"); // lossy formats: SNR in dB after alignment
        // libsndfile writes round(x * (2^(b-1) - 1)) and reads n / 2^(b-1): at most 1.5 steps off.
        const double lsb16 = 1.0 / 32768, lsb24 = 1.0 / 8388608;
        QTest::newRow("wav16") << int(OutputFormat::Wav16) << 2 << "WAV"
                               << "PCM_16" << 1.5 * lsb16 << 0.0;
        QTest::newRow("wav16 mono") << int(OutputFormat::Wav16) << 1 << "WAV"
                                    << "PCM_16" << 1.5 * lsb16 << 0.0;
        QTest::newRow("wav24") << int(OutputFormat::Wav24) << 2 << "WAV"
                               << "PCM_24" << 1.5 * lsb24 << 0.0;
        QTest::newRow("wav32f") << int(OutputFormat::Wav32f) << 2 << "WAV"
                                << "FLOAT" << 0.0 << 0.0;
        QTest::newRow("flac16") << int(OutputFormat::Flac16) << 2 << "FLAC"
                                << "PCM_16" << 1.5 * lsb16 << 0.0;
        QTest::newRow("flac24") << int(OutputFormat::Flac24) << 2 << "FLAC"
                                << "PCM_24" << 1.5 * lsb24 << 0.0;
        QTest::newRow("mp3 V0") << int(OutputFormat::Mp3V0) << 2 << "MP3"
                                << "MPEG_LAYER_III" << -1.0 << 30.0;
        QTest::newRow("mp3 320") << int(OutputFormat::Mp3Cbr320) << 2 << "MP3"
                                 << "MPEG_LAYER_III" << -1.0 << 30.0;
        QTest::newRow("mp3 mono") << int(OutputFormat::Mp3V0) << 1 << "MP3"
                                  << "MPEG_LAYER_III" << -1.0 << 30.0;
        QTest::newRow("ogg") << int(OutputFormat::Ogg) << 2 << "OGG"
                             << "VORBIS" << -1.0 << 30.0;
    }
    void roundTrip() {
        QFETCH(int, format);
        QFETCH(int, channels);
        QFETCH(QString, container);
        QFETCH(QString, subtype);
        QFETCH(double, bound);
        QFETCH(double, minSnr);
        QTemporaryDir dir;
        const OutputFormat f = OutputFormat(format);
        const fs::path target = test::toPath(dir.path()) / (std::string("out.") + fileExtension(f));
        // Noise covers every sample value for the lossless checks; tones suit the perceptual
        // codecs.
        const AudioBuffer in =
            bound >= 0 ? test::makeBuffer(test::noise(channels, 30000, 0.99f, 21u), channels, kRate)
                       : tones(kRate, 0.7f, channels);
        const ExportResult r = exportAudio(in, target, options(f));
        QCOMPARE(r.path, target);
        QCOMPARE(r.frames, in.frames);
        QVERIFY(!r.limited);
        QCOMPARE(r.peak, peakAbs(in));
        QVERIFY2(r.note.find("dBFS") != std::string::npos, r.note.c_str());
        QCOMPARE(entries(test::toPath(dir.path())),
                 std::vector<std::string>{target.filename().string()});

        const Decoded d = decodeFile(target);
        QCOMPARE(QString::fromStdString(d.info.format), container);
        QCOMPARE(QString::fromStdString(d.info.subtype), subtype);
        QCOMPARE(d.audio.channels, channels);
        QCOMPARE(d.audio.sampleRate, kRate);
        if (bound >= 0) {
            QCOMPARE(d.audio.frames, in.frames);
            const double err = test::maxAbsDiff(in, d.audio);
            QVERIFY2(err <= bound, qPrintable(QString("max error %1 > %2").arg(err).arg(bound)));
            if (bound == 0)
                QVERIFY(d.audio.samples == in.samples);
        } else {
            QVERIFY2(std::llabs(d.audio.frames - in.frames) < 4096,
                     qPrintable(QString::number(d.audio.frames)));
            const int64_t lag = test::bestLag(in, d.audio, 1500, 5000, in.frames - 5000);
            const double snr = test::snrDb(in, d.audio, lag, 5000, in.frames - 5000);
            qInfo("%s: alignment lag %lld frames, SNR %.1f dB", formatDescription(f),
                  static_cast<long long>(lag), snr);
            QVERIFY2(snr >= minSnr, qPrintable(QString("SNR %1 dB < %2").arg(snr).arg(minSnr)));
        }
    }

    void clipPolicies_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("policy");
        for (auto f : {OutputFormat::Wav16, OutputFormat::Wav24, OutputFormat::Flac16}) {
            for (auto p :
                 {ClipPolicy::Refuse, ClipPolicy::Rescale, ClipPolicy::Clamp, ClipPolicy::None})
                QTest::newRow(qPrintable(QString("%1 %2").arg(formatName(f), clipPolicyName(p))))
                    << int(f) << int(p);
        }
    }
    void clipPolicies() {
        QFETCH(int, format);
        QFETCH(int, policy);
        const OutputFormat f = OutputFormat(format);
        const ClipPolicy p = ClipPolicy(policy);
        QTemporaryDir dir;
        const fs::path target =
            test::toPath(dir.path()) / (std::string("loud.") + fileExtension(f));
        AudioBuffer in = test::makeBuffer(test::noise(2, 4000, 0.5f, 8u), 2, kRate);
        in.channel(1)[100] = 1.5f; // +3.52 dBFS
        in.channel(0)[200] = -1.2f;

        if (p == ClipPolicy::Refuse) {
            const auto e = errorOf([&] { exportAudio(in, target, options(f, p)); });
            QVERIFY(e.has_value());
            QCOMPARE(e->code(), ErrorCode::Clipping);
            QVERIFY2(std::string(e->what()).find("+3.52 dBFS") != std::string::npos, e->what());
            QVERIFY2(std::string(e->what()).find("loud.") != std::string::npos, e->what());
            QVERIFY(entries(test::toPath(dir.path())).empty());
            return;
        }
        const ExportResult r = exportAudio(in, target, options(f, p));
        QCOMPARE(r.peak, 1.5f);
        QVERIFY2(r.note.find("+3.52 dBFS") != std::string::npos, r.note.c_str());
        const AudioBuffer out = decodeFile(target).audio;
        const double lsb = (f == OutputFormat::Wav24) ? 1.0 / 8388608 : 1.0 / 32768;
        if (p == ClipPolicy::Rescale) {
            QVERIFY(r.limited);
            QVERIFY2(std::fabs(out.channel(1)[100] - 1.0f) <= 2 * lsb,
                     qPrintable(QString::number(out.channel(1)[100])));
            QVERIFY(std::fabs(out.channel(0)[200] - (-1.2f / 1.5f)) <= 2 * lsb);
            QVERIFY(std::fabs(out.channel(0)[300] - in.channel(0)[300] / 1.5f) <= 2 * lsb);
        } else if (p == ClipPolicy::Clamp) {
            QVERIFY(r.limited);
            QVERIFY(std::fabs(out.channel(1)[100] - 1.0f) <= 2 * lsb);
            QVERIFY(std::fabs(out.channel(0)[200] + 1.0f) <= 2 * lsb);
            QVERIFY(std::fabs(out.channel(0)[300] - in.channel(0)[300]) <=
                    2 * lsb); // the rest untouched
            QVERIFY2(r.note.find("2 samples clamped") != std::string::npos, r.note.c_str());
        } else {
            // None: no limiting by StemDeck; the integer format saturates, it never wraps around.
            QVERIFY(!r.limited);
            QVERIFY2(out.channel(1)[100] > 0.999f,
                     qPrintable(QString::number(out.channel(1)[100])));
            QVERIFY(out.channel(0)[200] < -0.999f);
            QVERIFY2(r.note.find("without limiting") != std::string::npos, r.note.c_str());
        }
    }

    void floatKeepsPeaksAboveFullScale() {
        QTemporaryDir dir;
        const fs::path target = test::toPath(dir.path()) / "f.wav";
        AudioBuffer in = tones(1000);
        in.channel(0)[10] = 2.5f;
        const ExportResult r =
            exportAudio(in, target, options(OutputFormat::Wav32f, ClipPolicy::Refuse));
        QVERIFY(!r.limited);
        QCOMPARE(decodeFile(target).audio.channel(0)[10], 2.5f);
    }

    void refusesToOverwrite() {
        QTemporaryDir dir;
        const fs::path target = test::toPath(dir.path()) / "song.wav";
        writeText(target, "precious");
        const auto e =
            errorOf([&] { exportAudio(tones(1000), target, options(OutputFormat::Wav16)); });
        QVERIFY(e.has_value());
        QCOMPARE(e->code(), ErrorCode::DestinationExists);
        QVERIFY2(std::string(e->what()).find(target.string()) != std::string::npos, e->what());
        QCOMPARE(readAll(target), std::string("precious"));
        QCOMPARE(entries(test::toPath(dir.path())), std::vector<std::string>{"song.wav"});
    }

    void renamesOnCollision() {
        QTemporaryDir dir;
        const fs::path folder = test::toPath(dir.path());
        const fs::path target = folder / "song.wav";
        writeText(target, "precious");
        ExportOptions o = options(OutputFormat::Wav16);
        o.collision = CollisionPolicy::Rename;
        const ExportResult r2 = exportAudio(tones(1000), target, o);
        QCOMPARE(r2.path, folder / "song (2).wav");
        QVERIFY2(r2.note.find("song (2).wav") != std::string::npos, r2.note.c_str());
        const ExportResult r3 = exportAudio(tones(1000), target, o);
        QCOMPARE(r3.path, folder / "song (3).wav");
        QCOMPARE(readAll(target), std::string("precious"));
        QCOMPARE(decodeFile(r3.path).audio.frames, int64_t(1000));
        QCOMPARE(entries(folder),
                 (std::vector<std::string>{"song (2).wav", "song (3).wav", "song.wav"}));
    }

    void overwritesWhenAsked() {
        QTemporaryDir dir;
        const fs::path target = test::toPath(dir.path()) / "song.wav";
        writeText(target, "old");
        ExportOptions o = options(OutputFormat::Wav16);
        o.overwrite = true;
        const ExportResult r = exportAudio(tones(1234), target, o);
        QCOMPARE(r.path, target);
        QCOMPARE(decodeFile(target).audio.frames, int64_t(1234));
        QCOMPARE(entries(test::toPath(dir.path())), std::vector<std::string>{"song.wav"});
    }

    void fileAppearingDuringExportIsNeverReplaced() {
        QTemporaryDir dir;
        const fs::path folder = test::toPath(dir.path());
        const fs::path target = folder / "race.wav";
        StreamingExporter ex;
        ex.begin(target, 2, kRate, options(OutputFormat::Wav16));
        ex.write(tones(500));
        writeText(target, "someone else's"); // appears between begin and the rename
        const auto e = errorOf([&] { ex.finish(); });
        QVERIFY(e.has_value());
        QCOMPARE(e->code(), ErrorCode::DestinationExists);
        QCOMPARE(readAll(target), std::string("someone else's"));
        QCOMPARE(entries(folder), std::vector<std::string>{"race.wav"}); // no temporary left

        ExportOptions o = options(OutputFormat::Wav16);
        o.collision = CollisionPolicy::Rename;
        StreamingExporter ex2;
        ex2.begin(folder / "race2.wav", 2, kRate, o);
        ex2.write(tones(500));
        writeText(folder / "race2.wav", "late");
        QCOMPARE(ex2.finish().path, folder / "race2 (2).wav");
        QCOMPARE(readAll(folder / "race2.wav"), std::string("late"));
    }

    void createsMissingFolders() {
        QTemporaryDir dir;
        const fs::path target = test::toPath(dir.path()) / "My Song" / "stems" / "vocals.flac";
        exportAudio(tones(1000), target, options(OutputFormat::Flac24));
        QVERIFY(fs::is_regular_file(target));
        QCOMPARE(decodeFile(target).audio.frames, int64_t(1000));
    }

    void readOnlyDestination_data() {
        QTest::addColumn<int>("stage");
        QTest::addColumn<int>("error");
        QTest::newRow("EROFS creating the temporary") << int(ExportStage::CreateTemporary) << EROFS;
        QTest::newRow("EACCES creating the temporary")
            << int(ExportStage::CreateTemporary) << EACCES;
        QTest::newRow("EACCES creating the folder") << int(ExportStage::CreateFolder) << EACCES;
        QTest::newRow("EROFS at rename") << int(ExportStage::Publish) << EROFS;
    }
    void readOnlyDestination() {
        QFETCH(int, stage);
        QFETCH(int, error);
        QTemporaryDir dir;
        const fs::path folder = test::toPath(dir.path()) / "out";
        const fs::path target = folder / "vocals.wav";
        auto injector = std::make_shared<WriteFaultInjector>(ExportStage(stage), error);
        ExportOptions o = options(OutputFormat::Wav16);
        o.fileSystem = injector;
        const auto e = errorOf([&] { exportAudio(tones(2000), target, o); });
        QVERIFY(injector->triggered());
        QVERIFY(e.has_value());
        QCOMPARE(e->code(), ErrorCode::DestinationReadOnly);
        QVERIFY2(std::string(e->what()).find(folder.string()) != std::string::npos, e->what());
        QVERIFY2(std::string(e->what()).find("read-only") != std::string::npos, e->what());
        const auto left = entries(test::toPath(dir.path()));
        QVERIFY(left.empty() || left == std::vector<std::string>{"out"});
        qInfo("read-only destination exercised through the injected %s at stage \"%s\"",
              error == EROFS ? "EROFS" : "EACCES", exportStageName(ExportStage(stage)));
    }

    void readOnlyFolderForReal() {
        QTemporaryDir dir;
        const fs::path folder = test::toPath(dir.path()) / "locked";
        fs::create_directory(folder);
        ::chmod(folder.c_str(), 0555);
        // Root ignores permission bits; probe instead of assuming, then say which path ran.
        const fs::path probe = folder / "probe";
        const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd >= 0) {
            ::close(fd);
            ::unlink(probe.c_str());
            ::chmod(folder.c_str(), 0755);
            qInfo("real read-only folder NOT exercised: running as uid %d, which ignores "
                  "permission bits; "
                  "readOnlyDestination covers it through injected EACCES/EROFS",
                  int(::getuid()));
            QVERIFY(::getuid() == 0); // only root may write there
            return;
        }
        const auto e = errorOf(
            [&] { exportAudio(tones(2000), folder / "vocals.wav", options(OutputFormat::Wav16)); });
        ::chmod(folder.c_str(), 0755);
        QVERIFY(e.has_value());
        QCOMPARE(e->code(), ErrorCode::DestinationReadOnly);
        QVERIFY2(std::string(e->what()).find(folder.string()) != std::string::npos, e->what());
        QVERIFY(entries(folder).empty());
        qInfo("real read-only folder exercised (chmod 0555)");
    }

    void fullDestination_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("stage");
        QTest::addColumn<qlonglong>("afterBytes");
        QTest::addColumn<int>("error");
        QTest::newRow("wav16 at once")
            << int(OutputFormat::Wav16) << int(ExportStage::Write) << 0LL << ENOSPC;
        QTest::newRow("wav16 halfway")
            << int(OutputFormat::Wav16) << int(ExportStage::Write) << 100000LL << ENOSPC;
        QTest::newRow("wav24 header rewrite at close")
            << int(OutputFormat::Wav24) << int(ExportStage::Write) << -1LL << ENOSPC;
        QTest::newRow("flac halfway")
            << int(OutputFormat::Flac16) << int(ExportStage::Write) << 20000LL << ENOSPC;
        QTest::newRow("mp3 halfway")
            << int(OutputFormat::Mp3V0) << int(ExportStage::Write) << 5000LL << ENOSPC;
        QTest::newRow("ogg halfway")
            << int(OutputFormat::Ogg) << int(ExportStage::Write) << 5000LL << ENOSPC;
        QTest::newRow("quota") << int(OutputFormat::Wav16) << int(ExportStage::Write) << 1000LL
                               << EDQUOT;
        QTest::newRow("at fsync") << int(OutputFormat::Wav16) << int(ExportStage::Sync) << 0LL
                                  << ENOSPC;
    }
    void fullDestination() {
        QFETCH(int, format);
        QFETCH(int, stage);
        QFETCH(qlonglong, afterBytes);
        QFETCH(int, error);
        QTemporaryDir dir;
        const fs::path folder = test::toPath(dir.path());
        const fs::path target =
            folder / (std::string("stem.") + fileExtension(OutputFormat(format)));
        const AudioBuffer audio = tones(66150); // 1.5 s of stereo
        if (afterBytes < 0) {
            // All the audio fits; only the header, rewritten with the final sizes at close, does
            // not.
            QTemporaryDir other;
            const fs::path probe = test::toPath(other.path()) / target.filename();
            exportAudio(audio, probe, options(OutputFormat(format)));
            afterBytes = qlonglong(fs::file_size(probe));
        }
        auto injector = std::make_shared<WriteFaultInjector>(ExportStage(stage), error, afterBytes);
        ExportOptions o = options(OutputFormat(format));
        o.fileSystem = injector;
        const auto e = errorOf([&] { exportAudio(audio, target, o); });
        QVERIFY(injector->triggered());
        QVERIFY(e.has_value());
        QCOMPARE(e->code(), ErrorCode::DestinationFull);
        QVERIFY2(std::string(e->what()).find(folder.string()) != std::string::npos, e->what());
        QVERIFY2(std::string(e->what()).find("full") != std::string::npos, e->what());
        QVERIFY(entries(folder).empty()); // no partial file, no temporary
    }

    void devFull() {
        const int devFull = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
        if (devFull < 0)
            QSKIP("/dev/full is not available on this system; fullDestination covers ENOSPC by "
                  "injection");
        QTemporaryDir dir;
        const fs::path folder = test::toPath(dir.path());
        ExportOptions o = options(OutputFormat::Wav16);
        o.fileSystem = std::make_shared<DevFullFileSystem>(devFull);
        const auto e = errorOf([&] { exportAudio(tones(1000), folder / "a.wav", o); });
        ::close(devFull);
        QVERIFY(e.has_value());
        QCOMPARE(e->code(), ErrorCode::DestinationFull);
        QVERIFY2(e->detail().find(std::strerror(ENOSPC)) != std::string::npos, e->detail().c_str());
        QVERIFY(entries(folder).empty());
        qInfo("/dev/full exercised: %s", e->what());
    }

    void staleTemporariesAreCleaned() {
        QTemporaryDir dir;
        const fs::path folder = test::toPath(dir.path());
        fs::create_directory(folder / "sub");
        // What a kill between write and rename leaves: a temporary of a process that is gone.
        writeText(folder / ".stemdeck-tmp-999999999-0123456789abcdef-vocals.wav", "partial");
        writeText(folder / ".stemdeck-tmp-garbage", "partial");
        writeText(folder / "sub" / ".stemdeck-tmp-999999998-00-drums.wav", "partial");
        // A temporary of a live process (our parent) is an export in progress elsewhere: kept.
        const std::string live = ".stemdeck-tmp-" + std::to_string(::getppid()) + "-00-bass.wav";
        writeText(folder / live, "in progress");
        writeText(folder / "keep.wav", "mine");

        // With a minimum age (what runJob passes), a temporary written just now stays: it may be
        // an export of another machine on a shared folder; once it is older, it goes.
        const fs::path old = folder / ".stemdeck-tmp-999999997-00-old.wav";
        writeText(old, "partial");
        QCOMPARE(cleanupStaleTemporaries(folder, false, std::chrono::hours(1)), size_t(0));
        fs::last_write_time(old, fs::file_time_type::clock::now() - std::chrono::hours(2));
        QCOMPARE(cleanupStaleTemporaries(folder, false, std::chrono::hours(1)), size_t(1));
        QVERIFY(!fs::exists(old));

        QCOMPARE(cleanupStaleTemporaries(folder, false), size_t(2));
        QCOMPARE(entries(folder),
                 (std::vector<std::string>{live, "keep.wav", "sub",
                                           "sub/.stemdeck-tmp-999999998-00-drums.wav"}));
        QCOMPARE(cleanupStaleTemporaries(folder, true), size_t(1));
        QCOMPARE(entries(folder), (std::vector<std::string>{live, "keep.wav", "sub"}));
        QCOMPARE(cleanupStaleTemporaries(folder / "missing", true), size_t(0));

        // An export running in this process keeps its temporary too.
        StreamingExporter ex;
        ex.begin(folder / "running.wav", 2, kRate, options(OutputFormat::Wav16));
        QVERIFY(fs::exists(ex.temporaryPath()));
        QCOMPARE(cleanupStaleTemporaries(folder, true), size_t(0));
        QCOMPARE(cleanupStaleTemporaries(folder / "sub" / "..", false),
                 size_t(0)); // other spelling
        QVERIFY(fs::exists(ex.temporaryPath()));
        ex.write(tones(100));
        ex.finish();
        QVERIFY(fs::exists(folder / "running.wav"));
    }

    void killBetweenWriteAndRename() {
        QTemporaryDir dir;
        const fs::path folder = test::toPath(dir.path());
        const AudioBuffer audio = tones(20000);
        int fds[2];
        QCOMPARE(::pipe(fds), 0);
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            ::close(fds[0]);
            try {
                ExportOptions o = options(OutputFormat::Wav24);
                o.fileSystem = std::make_shared<StallBeforePublish>(fds[1]);
                exportAudio(audio, folder / "vocals.wav", o);
            } catch (...) {
            }
            ::_exit(3); // never reached when the parent kills us as planned
        }
        ::close(fds[1]);
        char c = 0;
        const ssize_t got = ::read(fds[0], &c, 1);
        ::close(fds[0]);
        ::kill(child, SIGKILL);
        int status = 0;
        ::waitpid(child, &status, 0);
        QCOMPARE(got, ssize_t(1));
        QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

        const auto left = entries(folder);
        QCOMPARE(left.size(), size_t(1));
        QVERIFY2(left[0].rfind(".stemdeck-tmp-", 0) == 0, left[0].c_str());
        QVERIFY(!fs::exists(folder / "vocals.wav"));
        QVERIFY(fs::file_size(folder / left[0]) > 20000 * 2 * 3); // written and synced, not renamed

        QCOMPARE(cleanupStaleTemporaries(folder, false), size_t(1));
        QVERIFY(entries(folder).empty());
    }

    void streamingMatchesWholeExport() {
        QTemporaryDir dir;
        const fs::path folder = test::toPath(dir.path());
        const AudioBuffer audio = test::makeBuffer(test::noise(2, 50000, 0.9f, 77u), 2, kRate);
        StreamingExporter ex;
        ex.begin(folder / "stream.wav", 2, kRate, options(OutputFormat::Wav24));
        QVERIFY(ex.active());
        for (int64_t pos = 0; pos < audio.frames; pos += 7777) {
            const int64_t n = std::min<int64_t>(7777, audio.frames - pos);
            AudioBuffer block = AudioBuffer::zeros(2, n, kRate);
            for (int c = 0; c < 2; ++c)
                std::copy_n(audio.channel(c).data() + pos, n, block.channel(c).data());
            ex.write(block);
        }
        const ExportResult r = ex.finish();
        QVERIFY(!ex.active());
        QCOMPARE(r.frames, audio.frames);
        exportAudio(audio, folder / "whole.wav", options(OutputFormat::Wav24));
        QVERIFY(readAll(folder / "stream.wav") == readAll(folder / "whole.wav"));
    }

    void streamingRefusals() {
        QTemporaryDir dir;
        const fs::path folder = test::toPath(dir.path());
        {
            StreamingExporter ex;
            const auto e = errorOf([&] {
                ex.begin(folder / "a.wav", 2, kRate,
                         options(OutputFormat::Wav16, ClipPolicy::Rescale));
            });
            QVERIFY(e.has_value());
            QCOMPARE(e->code(), ErrorCode::InvalidArgument);
            QVERIFY(std::string(e->what()).find("peak") != std::string::npos);
        }
        {
            StreamingExporter ex;
            ex.begin(folder / "b.wav", 2, kRate, options(OutputFormat::Wav16));
            ex.write(tones(1000));
            AudioBuffer loud = tones(1000);
            loud.channel(0)[5] = 1.01f;
            const auto e = errorOf([&] { ex.write(loud); });
            QVERIFY(e.has_value());
            QCOMPARE(e->code(), ErrorCode::Clipping);
            QVERIFY(!ex.active());
        }
        {
            StreamingExporter ex;
            ex.begin(folder / "c.wav", 2, kRate, options(OutputFormat::Wav16));
            ex.write(tones(1000));
            QVERIFY(fs::exists(ex.temporaryPath()));
        } // destroyed unfinished: aborted
        QVERIFY(entries(folder).empty());
    }

    void wavOver4GiBBecomesRf64() {
        // 2^32 bytes is the RIFF limit: 16-bit stereo reaches it after about 1.07e9 frames.
        QVERIFY(!wavNeedsRf64(OutputFormat::Wav16, 2, 1'000'000'000));
        QVERIFY(wavNeedsRf64(OutputFormat::Wav16, 2, 1'100'000'000));
        QVERIFY(wavNeedsRf64(OutputFormat::Wav32f, 2, 600'000'000));
        QVERIFY(!wavNeedsRf64(OutputFormat::Wav32f, 1, 600'000'000));
        QVERIFY(wavNeedsRf64(OutputFormat::Wav24, 6, 300'000'000));
        QVERIFY(!wavNeedsRf64(OutputFormat::Flac24, 2, 2'000'000'000));
        QVERIFY(!wavNeedsRf64(OutputFormat::Wav16, 2, 0)); // unknown length: plain WAV
    }

    void badInputs() {
        QTemporaryDir dir;
        const fs::path folder = test::toPath(dir.path());
        AudioBuffer nan = tones(1000);
        nan.channel(1)[3] = std::numeric_limits<float>::quiet_NaN();
        auto e =
            errorOf([&] { exportAudio(nan, folder / "nan.wav", options(OutputFormat::Wav32f)); });
        QVERIFY(e && e->code() == ErrorCode::NonFiniteAudio);

        e = errorOf([&] {
            exportAudio(AudioBuffer::zeros(2, 0, kRate), folder / "empty.wav",
                        options(OutputFormat::Wav16));
        });
        QVERIFY(e && e->code() == ErrorCode::EmptyInput);

        e = errorOf([&] {
            exportAudio(tones(1000, 0.5f, 2, 96000), folder / "hi.mp3",
                        options(OutputFormat::Mp3V0));
        });
        QVERIFY(e && e->code() == ErrorCode::UnsupportedFormat);
        QVERIFY2(std::string(e->what()).find("96000") != std::string::npos, e->what());

        e = errorOf([&] {
            exportAudio(tones(1000, 0.5f, 3), folder / "three.mp3", options(OutputFormat::Mp3V0));
        });
        QVERIFY(e && e->code() == ErrorCode::UnsupportedFormat);
        QVERIFY(entries(folder).empty());
    }
};

QTEST_GUILESS_MAIN(TstExport)
#include "tst_export.moc"
