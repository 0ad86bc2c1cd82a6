// Decoding: every container/encoding StemDeck promises to read, streaming reads and seeks, and
// the clear errors for missing, corrupt, truncated, empty and NaN-carrying files.
#include "audio/buffer_ops.h"
#include "audio/decode.h"
#include "common/error.h"
#include "common/test_support.h"

#include "audio_test_util.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <limits>

using namespace stemdeck;
using namespace stemdeck::audio;

namespace {

constexpr int kRate = 44100;
constexpr int64_t kFrames = 20000;

AudioBuffer reference(int channels = 2) {
    return test::makeBuffer(test::noise(channels, kFrames, 0.8f, 1234u), channels, kRate);
}

std::filesystem::path in(const QTemporaryDir& dir, const char* name) {
    return test::toPath(dir.path()) / name;
}

template <typename F> ErrorCode codeOf(F&& f, std::string* message = nullptr) {
    try {
        f();
    } catch (const Error& e) {
        if (message)
            *message = e.what();
        return e.code();
    }
    QTest::qFail("expected a stemdeck::Error", __FILE__, __LINE__);
    return ErrorCode::Internal;
}

} // namespace

class TstDecode : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void decodesLosslessFormats_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("container");
        QTest::addColumn<QString>("subtype");
        QTest::addColumn<int>("kind");
        QTest::addColumn<double>("bound");
        // libsndfile writes round(x * (2^(b-1) - 1)) and reads n / 2^(b-1): at most |x| + 0.5 steps
        // off, so 1.5 steps bounds any sample in [-1, 1].
        QTest::newRow("wav-u8") << (SF_FORMAT_WAV | SF_FORMAT_PCM_U8) << "a.wav"
                                << "WAV"
                                << "PCM_U8" << int(SampleKind::Pcm8) << 1.5 / 128;
        QTest::newRow("wav-16") << (SF_FORMAT_WAV | SF_FORMAT_PCM_16) << "a.wav"
                                << "WAV"
                                << "PCM_16" << int(SampleKind::Pcm16) << 1.5 / 32768;
        QTest::newRow("wav-24") << (SF_FORMAT_WAV | SF_FORMAT_PCM_24) << "a.wav"
                                << "WAV"
                                << "PCM_24" << int(SampleKind::Pcm24) << 1.5 / 8388608;
        QTest::newRow("wav-32") << (SF_FORMAT_WAV | SF_FORMAT_PCM_32) << "a.wav"
                                << "WAV"
                                << "PCM_32" << int(SampleKind::Pcm32) << 1e-7;
        QTest::newRow("wav-float") << (SF_FORMAT_WAV | SF_FORMAT_FLOAT) << "a.wav"
                                   << "WAV"
                                   << "FLOAT" << int(SampleKind::Float) << 0.0;
        QTest::newRow("aiff-16") << (SF_FORMAT_AIFF | SF_FORMAT_PCM_16) << "a.aiff"
                                 << "AIFF"
                                 << "PCM_16" << int(SampleKind::Pcm16) << 1.5 / 32768;
        QTest::newRow("aiff-24") << (SF_FORMAT_AIFF | SF_FORMAT_PCM_24) << "a.aiff"
                                 << "AIFF"
                                 << "PCM_24" << int(SampleKind::Pcm24) << 1.5 / 8388608;
        QTest::newRow("w64-float") << (SF_FORMAT_W64 | SF_FORMAT_FLOAT) << "a.w64"
                                   << "W64"
                                   << "FLOAT" << int(SampleKind::Float) << 0.0;
        QTest::newRow("rf64-24") << (SF_FORMAT_RF64 | SF_FORMAT_PCM_24) << "a.rf64"
                                 << "RF64"
                                 << "PCM_24" << int(SampleKind::Pcm24) << 1.5 / 8388608;
        QTest::newRow("flac-16") << (SF_FORMAT_FLAC | SF_FORMAT_PCM_16) << "a.flac"
                                 << "FLAC"
                                 << "PCM_16" << int(SampleKind::Pcm16) << 1.5 / 32768;
        QTest::newRow("flac-24") << (SF_FORMAT_FLAC | SF_FORMAT_PCM_24) << "a.flac"
                                 << "FLAC"
                                 << "PCM_24" << int(SampleKind::Pcm24) << 1.5 / 8388608;
    }
    void decodesLosslessFormats() {
        QFETCH(int, format);
        QFETCH(QString, name);
        QFETCH(QString, container);
        QFETCH(QString, subtype);
        QFETCH(int, kind);
        QFETCH(double, bound);
        QTemporaryDir dir;
        const auto path = test::toPath(dir.path()) / name.toStdString();
        const AudioBuffer ref = reference();
        QVERIFY(test::writeWithSndfile(path, format, ref));

        const Decoded d = decodeFile(path);
        QCOMPARE(QString::fromStdString(d.info.format), container);
        QCOMPARE(QString::fromStdString(d.info.subtype), subtype);
        QCOMPARE(int(d.info.kind), kind);
        QCOMPARE(d.info.sampleRate, kRate);
        QCOMPARE(d.info.channels, 2);
        QCOMPARE(d.info.frames, kFrames);
        QCOMPARE(d.audio.frames, kFrames);
        QCOMPARE(d.audio.channels, 2);
        QCOMPARE(d.audio.sampleRate, kRate);
        QVERIFY(d.notes.empty());
        const double err = test::maxAbsDiff(ref, d.audio);
        QVERIFY2(err <= bound, qPrintable(QString("max error %1 > %2").arg(err).arg(bound)));
    }

    void decodesLossyFormats_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("rate");
        QTest::addColumn<QString>("subtype");
        QTest::newRow("opus") << (SF_FORMAT_OGG | SF_FORMAT_OPUS) << 48000 << "OPUS";
        QTest::newRow("vorbis") << (SF_FORMAT_OGG | SF_FORMAT_VORBIS) << 44100 << "VORBIS";
        QTest::newRow("mp3") << (SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III) << 44100
                             << "MPEG_LAYER_III";
    }
    void decodesLossyFormats() {
        QFETCH(int, format);
        QFETCH(int, rate);
        QFETCH(QString, subtype);
        QTemporaryDir dir;
        const auto path = in(dir, "lossy.bin");
        const int64_t frames = rate; // one second of tones
        const AudioBuffer ref = test::makeBuffer(test::tones(2, frames, rate, 0.5f), 2, rate);
        QVERIFY(test::writeWithSndfile(path, format, ref));
        const Decoded d = decodeFile(path);
        QCOMPARE(int(d.info.kind), int(SampleKind::Compressed));
        QCOMPARE(QString::fromStdString(d.info.subtype), subtype);
        QCOMPARE(d.audio.channels, 2);
        QCOMPARE(d.audio.sampleRate, rate);
        // Lossy codecs pad; the decoded length is within a few codec frames of the original.
        QVERIFY2(std::llabs(d.audio.frames - frames) < 4096,
                 qPrintable(QString::number(d.audio.frames)));
        const int64_t lag = test::bestLag(ref, d.audio, 1500, 4000, frames - 4000);
        const double snr = test::snrDb(ref, d.audio, lag, 4000, frames - 4000);
        qInfo("%s: lag %lld, SNR %.1f dB", qPrintable(subtype), static_cast<long long>(lag), snr);
        QVERIFY2(snr > 15.0, qPrintable(QString("SNR %1 dB").arg(snr)));
    }

    void streamingReadMatchesWholeFile() {
        QTemporaryDir dir;
        const auto path = in(dir, "s.wav");
        const AudioBuffer ref = reference(3);
        QVERIFY(test::writeWithSndfile(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, ref));
        AudioReader reader;
        reader.open(path);
        QCOMPARE(reader.info().channels, 3);
        AudioBuffer block;
        int64_t total = 0;
        int64_t n;
        while ((n = reader.read(block, 3001)) > 0) {
            QCOMPARE(block.channels, 3);
            QCOMPARE(block.frames, n);
            for (int c = 0; c < 3; ++c)
                for (int64_t i = 0; i < n; ++i)
                    QCOMPARE(block.channel(c)[size_t(i)], ref.channel(c)[size_t(total + i)]);
            total += n;
        }
        QCOMPARE(total, kFrames);
        QCOMPARE(reader.position(), kFrames);
        QCOMPARE(reader.read(block, 100), int64_t(0));

        reader.seek(12345);
        QCOMPARE(reader.read(block, 10), int64_t(10));
        for (int c = 0; c < 3; ++c)
            QCOMPARE(block.channel(c)[0], ref.channel(c)[12345]);
        QCOMPARE(codeOf([&] { reader.seek(kFrames + 1); }), ErrorCode::InvalidArgument);
        QCOMPARE(codeOf([&] { reader.seek(-1); }), ErrorCode::InvalidArgument);
    }

    void missingFile() {
        std::string msg;
        QCOMPARE(codeOf([] { decodeFile("/nonexistent/folder/song.flac"); }, &msg),
                 ErrorCode::FileNotFound);
        QVERIFY(msg.find("/nonexistent/folder/song.flac") != std::string::npos);
    }

    void folderIsNotAFile() {
        QTemporaryDir dir;
        std::string msg;
        QCOMPARE(codeOf([&] { decodeFile(test::toPath(dir.path())); }, &msg),
                 ErrorCode::UnreadableFile);
        QVERIFY(msg.find("folder") != std::string::npos);
    }

    void corruptFile() {
        QTemporaryDir dir;
        const auto path = in(dir, "corrupt.wav");
        {
            std::ofstream out(path, std::ios::binary);
            const auto junk = test::noise(1, 4096, 1.0f, 7u);
            out.write(reinterpret_cast<const char*>(junk.data()),
                      std::streamsize(junk.size() * sizeof(float)));
        }
        std::string msg;
        try {
            decodeFile(path);
            QFAIL("a corrupt file decoded");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::UnreadableFile);
            msg = e.what();
            QVERIFY(!e.detail().empty()); // libsndfile's own words
            QVERIFY2(msg.find(e.detail()) != std::string::npos, e.what());
        }
        QVERIFY2(msg.find(path.string()) != std::string::npos, msg.c_str());
    }

    void truncatedFiles_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("name");
        QTest::addColumn<double>("keep"); // fraction of the file kept
        QTest::newRow("wav-half") << (SF_FORMAT_WAV | SF_FORMAT_PCM_16) << "t.wav" << 0.5;
        QTest::newRow("wav-header-only") << (SF_FORMAT_WAV | SF_FORMAT_PCM_16) << "t.wav" << 0.0005;
        QTest::newRow("aiff-half") << (SF_FORMAT_AIFF | SF_FORMAT_PCM_24) << "t.aiff" << 0.5;
        QTest::newRow("flac-half") << (SF_FORMAT_FLAC | SF_FORMAT_PCM_16) << "t.flac" << 0.5;
    }
    void truncatedFiles() {
        QFETCH(int, format);
        QFETCH(QString, name);
        QFETCH(double, keep);
        QTemporaryDir dir;
        const auto path = test::toPath(dir.path()) / name.toStdString();
        QVERIFY(test::writeWithSndfile(path, format, reference()));
        const auto size = std::filesystem::file_size(path);
        std::filesystem::resize_file(path, std::max<uintmax_t>(8, uintmax_t(double(size) * keep)));
        std::string msg;
        const ErrorCode code = codeOf([&] { decodeFile(path); }, &msg);
        QVERIFY2(code == ErrorCode::UnreadableFile, errorCodeName(code));
        QVERIFY2(msg.find(path.string()) != std::string::npos, msg.c_str());
        qInfo("%s", msg.c_str());
    }

    void unfinishedWavIsReadToTheEnd() {
        // A recorder that never finalised its file leaves 0xFFFFFFFF as the data size: that is
        // not a truncation; the audio runs to the end of the file.
        QTemporaryDir dir;
        const auto path = in(dir, "unfinished.wav");
        const AudioBuffer ref = reference();
        QVERIFY(test::writeWithSndfile(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, ref));
        {
            std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
            const unsigned char ff[4] = {0xff, 0xff, 0xff, 0xff};
            f.seekp(40); // canonical 44-byte header: the data chunk size
            f.write(reinterpret_cast<const char*>(ff), 4);
        }
        const Decoded d = decodeFile(path);
        QCOMPARE(d.audio.frames, kFrames);
        QVERIFY(test::maxAbsDiff(ref, d.audio) <= 1.5 / 32768);
        QCOMPARE(d.notes.size(), size_t(1));
        QVERIFY2(d.notes[0].find("no final length") != std::string::npos, d.notes[0].c_str());
    }

    void zeroLengthFile() {
        QTemporaryDir dir;
        const auto path = in(dir, "empty.wav");
        std::ofstream(path).close();
        std::string msg;
        QCOMPARE(codeOf([&] { decodeFile(path); }, &msg), ErrorCode::EmptyInput);
        QVERIFY(msg.find("empty.wav") != std::string::npos);
    }

    void zeroFrames() {
        QTemporaryDir dir;
        const auto path = in(dir, "noframes.wav");
        QVERIFY(test::writeWithSndfile(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16,
                                       AudioBuffer::zeros(2, 0, kRate)));
        QVERIFY(std::filesystem::file_size(path) > 0);
        std::string msg;
        QCOMPARE(codeOf([&] { decodeFile(path); }, &msg), ErrorCode::EmptyInput);
        QVERIFY(msg.find("noframes.wav") != std::string::npos);
    }

    void nonFiniteSamples_data() {
        QTest::addColumn<float>("bad");
        QTest::newRow("nan") << std::numeric_limits<float>::quiet_NaN();
        QTest::newRow("+inf") << std::numeric_limits<float>::infinity();
        QTest::newRow("-inf") << -std::numeric_limits<float>::infinity();
    }
    void nonFiniteSamples() {
        QFETCH(float, bad);
        QTemporaryDir dir;
        const auto path = in(dir, "nan.wav");
        AudioBuffer ref = reference();
        ref.channel(1)[777] = bad;
        ref.channel(0)[kFrames - 1] = bad;
        QVERIFY(test::writeWithSndfile(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, ref));

        std::string msg;
        QCOMPARE(codeOf([&] { decodeFile(path); }, &msg), ErrorCode::NonFiniteAudio);
        QVERIFY(msg.find("nan.wav") != std::string::npos);

        const Decoded d = decodeFile(path, DecodeOptions{.sanitizeNonFinite = true});
        QVERIFY(allFinite(d.audio));
        QCOMPARE(d.audio.channel(1)[777], 0.0f);
        QCOMPARE(d.audio.channel(0)[size_t(kFrames - 1)], 0.0f);
        QCOMPARE(d.audio.channel(0)[777], ref.channel(0)[777]);
        QCOMPARE(d.notes.size(), size_t(1));
        QVERIFY2(d.notes[0].find("2 invalid samples") != std::string::npos, d.notes[0].c_str());
    }
};

QTEST_GUILESS_MAIN(TstDecode)
#include "tst_decode.moc"
