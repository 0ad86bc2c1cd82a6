// "Is this track's output complete" (jobs/track_outputs.h): the expected files, rate, channels,
// length and format follow the input and the options the way the engine writes them (same rate,
// back to the source rate or not, mono in, format forced or following the input, lossy input
// counted by decoding); and the check accepts exactly the complete set: a missing, truncated,
// garbage, too short, wrong-rate or wrong-format stem, or a folder in its place, is reported
// by name.
#include "engine/output_paths.h"
#include "jobs/track_outputs.h"

#include "audio/decode.h"
#include "audio/export.h"
#include "audio/resample.h"
#include "common/error.h"
#include "common/test_support.h"

#include <QFile>
#include <QTest>

#include <algorithm>

using namespace stemdeck;
namespace fs = std::filesystem;

namespace {

audio::AudioBuffer tone(int channels, int64_t frames, int rate) {
    audio::AudioBuffer b;
    b.sampleRate = rate;
    b.channels = channels;
    b.frames = frames;
    b.samples = test::tones(channels, frames, rate, 0.4f);
    return b;
}

fs::path write(const audio::AudioBuffer& b, const fs::path& path, audio::OutputFormat f) {
    audio::ExportOptions o;
    o.format = f;
    o.overwrite = true;
    return audio::exportAudio(b, path, o).path;
}

bool mentions(const std::vector<std::string>& problems, const std::string& what, const std::string& alsoWhat = {}) {
    return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) {
        return p.find(what) != std::string::npos && p.find(alsoWhat) != std::string::npos;
    });
}

std::string all(const std::vector<std::string>& problems) {
    std::string s;
    for (const auto& p : problems) s += p + "\n";
    return s;
}

jobs::OutputModel drums() {
    jobs::OutputModel m;
    m.names = {"kick", "snare", "no_kick_snare"};
    m.sampleRate = 44100;
    m.channels = 2;
    return m;
}

} // namespace

class TestTrackOutputs : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    fs::path root() const { return test::toPath(m_tmp.path()); }

private Q_SLOTS:
    void outputPathsFollowTheTemplate() {
        engine::JobSpec spec;
        spec.input = "/music/My Song.flac";
        spec.outputDir = "/out";
        spec.modelName = "drumsep";
        QCOMPARE(engine::outputPaths(spec, {"kick", "snare"}, "wav"),
                 (std::vector<fs::path>{"/out/My Song/kick.wav", "/out/My Song/snare.wav"}));
        spec.namingTemplate = "{model}/{track} - {index} {stem}.{ext}";
        QCOMPARE(engine::outputPaths(spec, {"kick"}, "flac"), (std::vector<fs::path>{"/out/drumsep/My Song - 1 kick.flac"}));
        // {folder}: the name of the folder holding the input, so album1/01 and album2/01 differ.
        spec.namingTemplate = "{folder}/{track}/{stem}.{ext}";
        QCOMPARE(engine::outputPaths(spec, {"kick"}, "wav"), (std::vector<fs::path>{"/out/music/My Song/kick.wav"}));
        spec.outputDir.clear(); // next to the input, as the engine does
        spec.namingTemplate.clear();
        QCOMPARE(engine::outputPaths(spec, {"kick"}, "wav"), (std::vector<fs::path>{"/music/My Song/kick.wav"}));
        spec.namingTemplate = "{stem}.{ext}/../../x";
        QVERIFY_THROWS_EXCEPTION(Error, engine::outputPaths(spec, {"kick"}, "wav"));
    }

    void expectedFollowsInputAndOptions() {
        const fs::path in44 = write(tone(2, 22050, 44100), root() / "in44.wav", audio::OutputFormat::Wav16);
        const fs::path in48 = write(tone(2, 24000, 48000), root() / "in48.flac", audio::OutputFormat::Flac24);
        const fs::path mono = write(tone(1, 10000, 44100), root() / "mono.wav", audio::OutputFormat::Wav32f);
        engine::JobSpec spec;
        spec.outputDir = root() / "out";

        spec.input = in44;
        jobs::ExpectedOutputs e = jobs::expectedOutputs(spec, drums());
        QCOMPARE(e.format, audio::OutputFormat::Wav16); // follows the input's bit depth
        QCOMPARE(e.sampleRate, 44100);
        QCOMPARE(e.channels, 2);
        QCOMPARE(e.frames, int64_t(22050));
        QCOMPARE(e.files.size(), size_t(3));
        QCOMPARE(e.files[2], root() / "out/in44/no_kick_snare.wav");

        spec.input = in48; // back to 48 kHz by default, same length
        e = jobs::expectedOutputs(spec, drums());
        QCOMPARE(e.format, audio::OutputFormat::Flac24);
        QCOMPARE(e.sampleRate, 48000);
        QCOMPARE(e.frames, int64_t(24000));
        QCOMPARE(e.files[0].extension(), fs::path(".flac"));
        spec.resampleBack = false; // --model-rate
        e = jobs::expectedOutputs(spec, drums());
        QCOMPARE(e.sampleRate, 44100);
        QCOMPARE(e.frames, audio::resampledLength(24000, 48000, 44100));
        spec.resampleBack = true;

        spec.input = mono;
        spec.format = "mp3";
        e = jobs::expectedOutputs(spec, drums());
        QCOMPARE(e.channels, 1); // mono in, mono stems out
        QCOMPARE(e.format, audio::OutputFormat::Mp3V0);
        QCOMPARE(e.files[0].extension(), fs::path(".mp3"));

        spec.format = "wav99";
        QVERIFY_THROWS_EXCEPTION(Error, jobs::expectedOutputs(spec, drums()));
        spec.format.clear();
        spec.input = root() / "nothing-here.wav";
        try {
            jobs::expectedOutputs(spec, drums());
            QFAIL("a missing input gave expectations");
        } catch (const Error& err) {
            QCOMPARE(err.code(), ErrorCode::FileNotFound);
        }
    }

    // An MP3's header only estimates its length; the separation uses what decoding gives.
    void lossyInputIsCountedByDecoding() {
        const fs::path mp3 = write(tone(2, 30000, 44100), root() / "lossy.mp3", audio::OutputFormat::Mp3V0);
        engine::JobSpec spec;
        spec.input = mp3;
        spec.outputDir = root() / "out";
        const jobs::ExpectedOutputs e = jobs::expectedOutputs(spec, drums());
        QCOMPARE(e.frames, audio::decodeFile(mp3).audio.frames);
        QCOMPARE(e.format, audio::OutputFormat::Wav16);
    }

    void checkAcceptsOnlyTheCompleteSet() {
        const fs::path in = write(tone(2, 20000, 44100), root() / "song.wav", audio::OutputFormat::Wav24);
        engine::JobSpec spec;
        spec.input = in;
        spec.outputDir = root() / "check";
        const jobs::ExpectedOutputs e = jobs::expectedOutputs(spec, drums());

        jobs::OutputCheck c = jobs::checkOutputs(e);
        QVERIFY(!c.complete);
        QVERIFY(!c.anyPresent);
        QCOMPARE(c.problems.size(), size_t(3));
        QVERIFY2(mentions(c.problems, "kick.wav", "missing"), all(c.problems).c_str());

        const audio::AudioBuffer stem = tone(2, 20000, 44100);
        for (const fs::path& f : e.files) write(stem, f, audio::OutputFormat::Wav24);
        c = jobs::checkOutputs(e);
        QVERIFY2(c.complete, all(c.problems).c_str());
        QVERIFY(c.anyPresent);

        // One stem deleted by hand.
        fs::remove(e.files[1]);
        c = jobs::checkOutputs(e);
        QVERIFY(!c.complete);
        QVERIFY(c.anyPresent);
        QCOMPARE(c.problems.size(), size_t(1));
        QVERIFY2(mentions(c.problems, e.files[1].string(), "missing"), all(c.problems).c_str());

        // Truncated (a copy cut short): the header announces more audio than there is.
        write(stem, e.files[1], audio::OutputFormat::Wav24);
        fs::resize_file(e.files[0], fs::file_size(e.files[0]) / 2);
        c = jobs::checkOutputs(e);
        QVERIFY(!c.complete);
        QVERIFY2(mentions(c.problems, e.files[0].string(), "does not decode"), all(c.problems).c_str());

        // Garbage where a stem should be.
        write(stem, e.files[0], audio::OutputFormat::Wav24);
        {
            QFile f(QString::fromStdString(e.files[2].string()));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(QByteArray(4096, 'z'));
        }
        c = jobs::checkOutputs(e);
        QVERIFY2(c.problems.size() == 1 && mentions(c.problems, e.files[2].string(), "does not decode"),
                 all(c.problems).c_str());
        write(stem, e.files[2], audio::OutputFormat::Wav24);
        QVERIFY(jobs::checkOutputs(e).complete);
    }

    void checkReportsWrongShapes_data() {
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("frames");
        QTest::addColumn<int>("rate");
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("says");
        const int wav24 = int(audio::OutputFormat::Wav24);
        QTest::newRow("short (a valid file, but cut)") << 2 << 19999 << 44100 << wav24 << QStringLiteral("19999 frames");
        QTest::newRow("long") << 2 << 20500 << 44100 << wav24 << QStringLiteral("20500 frames");
        QTest::newRow("other rate") << 2 << 20000 << 48000 << wav24 << QStringLiteral("48000 Hz");
        QTest::newRow("mono") << 1 << 20000 << 44100 << wav24 << QStringLiteral("1 channel");
        QTest::newRow("16-bit instead of 24") << 2 << 20000 << 44100 << int(audio::OutputFormat::Wav16)
                                              << QStringLiteral("expected WAV or RF64");
        QTest::newRow("flac in a .wav name") << 2 << 20000 << 44100 << int(audio::OutputFormat::Flac24)
                                             << QStringLiteral("is FLAC");
    }

    void checkReportsWrongShapes() {
        QFETCH(int, channels);
        QFETCH(int, frames);
        QFETCH(int, rate);
        QFETCH(int, format);
        QFETCH(QString, says);
        const fs::path in = write(tone(2, 20000, 44100), root() / "shape.wav", audio::OutputFormat::Wav24);
        engine::JobSpec spec;
        spec.input = in;
        spec.outputDir = root() / QTest::currentDataTag();
        const jobs::ExpectedOutputs e = jobs::expectedOutputs(spec, drums());
        for (const fs::path& f : e.files) write(tone(2, 20000, 44100), f, audio::OutputFormat::Wav24);
        QVERIFY(jobs::checkOutputs(e).complete);
        // The exporter names files by its own rules; put the odd file exactly where the stem goes.
        const fs::path odd = write(tone(channels, frames, rate), root() / "odd.tmp", audio::OutputFormat(format));
        fs::rename(odd, e.files[1]);
        const jobs::OutputCheck c = jobs::checkOutputs(e);
        QVERIFY(!c.complete);
        QCOMPARE(c.problems.size(), size_t(1));
        QVERIFY2(mentions(c.problems, e.files[1].string(), says.toStdString()), all(c.problems).c_str());
    }

    void folderInPlaceOfAStem() {
        const fs::path in = write(tone(2, 5000, 44100), root() / "dir.wav", audio::OutputFormat::Wav24);
        engine::JobSpec spec;
        spec.input = in;
        spec.outputDir = root() / "dirs";
        const jobs::ExpectedOutputs e = jobs::expectedOutputs(spec, drums());
        for (const fs::path& f : e.files) write(tone(2, 5000, 44100), f, audio::OutputFormat::Wav24);
        fs::remove(e.files[0]);
        fs::create_directories(e.files[0]);
        const jobs::OutputCheck c = jobs::checkOutputs(e);
        QVERIFY(!c.complete);
        QVERIFY2(mentions(c.problems, e.files[0].string(), "not a regular file"), all(c.problems).c_str());
    }
};

QTEST_GUILESS_MAIN(TestTrackOutputs)
#include "tst_track_outputs.moc"
