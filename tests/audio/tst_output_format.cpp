// Output format and clip policy names as the CLI spells them, and the default output format that
// follows the input's bit depth.
#include "audio/output_format.h"

#include <QTest>

using namespace stemdeck::audio;

class TstOutputFormat : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesCliNames_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("ext");
        QTest::newRow("wav16") << "wav16" << int(OutputFormat::Wav16) << "wav";
        QTest::newRow("wav24") << "wav24" << int(OutputFormat::Wav24) << "wav";
        QTest::newRow("wav32f") << "wav32f" << int(OutputFormat::Wav32f) << "wav";
        QTest::newRow("flac16") << "flac16" << int(OutputFormat::Flac16) << "flac";
        QTest::newRow("flac24") << "flac24" << int(OutputFormat::Flac24) << "flac";
        QTest::newRow("mp3") << "mp3" << int(OutputFormat::Mp3V0) << "mp3";
        QTest::newRow("mp3-320") << "mp3-320" << int(OutputFormat::Mp3Cbr320) << "mp3";
        QTest::newRow("ogg") << "ogg" << int(OutputFormat::Ogg) << "ogg";
    }
    void parsesCliNames() {
        QFETCH(QString, name);
        QFETCH(int, format);
        QFETCH(QString, ext);
        const auto parsed = parseOutputFormat(name.toStdString());
        QVERIFY(parsed.has_value());
        QCOMPARE(int(*parsed), format);
        QCOMPARE(QString(formatName(*parsed)), name);
        QCOMPARE(QString(fileExtension(*parsed)), ext);
        QVERIFY(parseOutputFormat(name.toUpper().toStdString()).has_value());
        QVERIFY(QString::fromUtf8(allFormatNames().data(), int(allFormatNames().size()))
                    .split('|')
                    .contains(name));
    }

    void rejectsUnknownNames() {
        for (const char* bad : {"", "wav", "flac", "mp3-128", "wav 16", "aiff"})
            QVERIFY2(!parseOutputFormat(bad).has_value(), bad);
    }

    void defaultFollowsInput_data() {
        QTest::addColumn<QString>("container");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("expected");
        QTest::newRow("wav 16") << "WAV" << int(SampleKind::Pcm16) << int(OutputFormat::Wav16);
        QTest::newRow("wav 8") << "WAV" << int(SampleKind::Pcm8) << int(OutputFormat::Wav16);
        QTest::newRow("wav 24") << "WAV" << int(SampleKind::Pcm24) << int(OutputFormat::Wav24);
        QTest::newRow("wav 32") << "WAV" << int(SampleKind::Pcm32) << int(OutputFormat::Wav24);
        QTest::newRow("wav float") << "WAV" << int(SampleKind::Float) << int(OutputFormat::Wav24);
        QTest::newRow("aiff 16") << "AIFF" << int(SampleKind::Pcm16) << int(OutputFormat::Wav16);
        QTest::newRow("flac 16") << "FLAC" << int(SampleKind::Pcm16) << int(OutputFormat::Flac16);
        QTest::newRow("flac 24") << "FLAC" << int(SampleKind::Pcm24) << int(OutputFormat::Flac24);
        QTest::newRow("mp3") << "MP3" << int(SampleKind::Compressed) << int(OutputFormat::Wav16);
        QTest::newRow("opus") << "OGG" << int(SampleKind::Compressed) << int(OutputFormat::Wav16);
    }
    void defaultFollowsInput() {
        QFETCH(QString, container);
        QFETCH(int, kind);
        QFETCH(int, expected);
        SourceInfo info;
        info.format = container.toStdString();
        info.kind = SampleKind(kind);
        QCOMPARE(int(defaultOutputFormat(info)), expected);
    }

    void clipPolicies() {
        QCOMPARE(parseClipPolicy("rescale"), std::optional(ClipPolicy::Rescale));
        QCOMPARE(parseClipPolicy("clamp"), std::optional(ClipPolicy::Clamp));
        QCOMPARE(parseClipPolicy("none"), std::optional(ClipPolicy::None));
        QCOMPARE(parseClipPolicy("refuse"), std::optional(ClipPolicy::Refuse));
        QCOMPARE(parseClipPolicy("CLAMP"), std::optional(ClipPolicy::Clamp));
        QVERIFY(!parseClipPolicy("limit").has_value());
        QVERIFY(!parseClipPolicy("").has_value());
        for (ClipPolicy p :
             {ClipPolicy::Refuse, ClipPolicy::Rescale, ClipPolicy::Clamp, ClipPolicy::None})
            QCOMPARE(parseClipPolicy(clipPolicyName(p)), std::optional(p));
        QVERIFY(!formatCanClip(OutputFormat::Wav32f));
        QVERIFY(formatCanClip(OutputFormat::Wav16));
        QVERIFY(formatCanClip(OutputFormat::Mp3V0));
    }
};

QTEST_GUILESS_MAIN(TstOutputFormat)
#include "tst_output_format.moc"
