// Destination faults through core/audio's injectable ExportFileSystem: read-only drive, permission
// denied, a disk that fills up at each stage (ENOSPC injected, and real writes to /dev/full), I/O
// errors, a file appearing at the destination while exporting, and kill -9 in the middle of an
// export followed by the start-up cleanup. After every fault: a plain error naming the file, no
// partial file, no temporary left, an existing file untouched, earlier stems intact.
#include "audio/decode.h"
#include "audio/export.h"
#include "common/error.h"
#include "common/test_support.h"

#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace stemdeck;
using namespace stemdeck::audio;
namespace fs = std::filesystem;

Q_DECLARE_METATYPE(stemdeck::audio::ExportStage)

namespace {

AudioBuffer tone(int64_t frames, int rate = 44100) {
    AudioBuffer b = AudioBuffer::zeros(2, frames, rate);
    b.samples = test::tones(2, frames, rate, 0.4f);
    return b;
}

std::vector<std::string> listing(const fs::path& folder) {
    std::vector<std::string> names;
    for (const auto& e : fs::recursive_directory_iterator(folder)) names.push_back(e.path().lexically_relative(folder));
    std::sort(names.begin(), names.end());
    return names;
}

std::string readText(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// Writes go to /dev/full (the kernel answers ENOSPC), everything else to the real folder, so the
// export's own temporary file exists and must be cleaned up by the error path.
class DevFullFileSystem : public ExportFileSystem {
public:
    int write(int, const void* data, size_t size, size_t& written) override {
        written = 0;
        const int full = ::open("/dev/full", O_WRONLY);
        if (full < 0) return errno;
        const ssize_t n = ::write(full, data, size);
        const int err = n < 0 ? errno : 0;
        ::close(full);
        return n < 0 ? err : EIO;
    }
};

// Another program creates the target while our export runs (just before the first publish).
class RacingFileSystem : public ExportFileSystem {
public:
    int publish(const fs::path& temporary, const fs::path& target, bool replace) override {
        if (!m_raced) std::ofstream(target, std::ios::binary) << "someone else's file";
        m_raced = true;
        return ExportFileSystem::publish(temporary, target, replace);
    }

private:
    bool m_raced = false;
};

} // namespace

class TestFaults : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void injected_data() {
        QTest::addColumn<ExportStage>("stage");
        QTest::addColumn<int>("error");
        QTest::addColumn<qint64>("afterBytes");
        QTest::addColumn<bool>("existing"); // a file is already at the target (overwrite asked)
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("words");
        const int RO = static_cast<int>(stemdeck::ErrorCode::DestinationReadOnly);
        const int FULL = static_cast<int>(stemdeck::ErrorCode::DestinationFull);
        const int W = static_cast<int>(stemdeck::ErrorCode::WriteFailed);
        QTest::newRow("read-only drive: folder") << ExportStage::CreateFolder << EROFS << 0ll << false << RO << QStringLiteral("read-only");
        QTest::newRow("read-only drive: temporary") << ExportStage::CreateTemporary << EROFS << 0ll << false << RO << QStringLiteral("read-only");
        QTest::newRow("permission denied") << ExportStage::CreateTemporary << EACCES << 0ll << false << RO << QStringLiteral("permission");
        QTest::newRow("disk full at the first byte") << ExportStage::Write << ENOSPC << 0ll << false << FULL << QStringLiteral("full");
        QTest::newRow("disk full halfway") << ExportStage::Write << ENOSPC << 100000ll << false << FULL << QStringLiteral("full");
        QTest::newRow("quota halfway") << ExportStage::Write << EDQUOT << 50000ll << false << FULL << QStringLiteral("full");
        QTest::newRow("disk full at fsync") << ExportStage::Sync << ENOSPC << 0ll << false << FULL << QStringLiteral("full");
        QTest::newRow("I/O error halfway") << ExportStage::Write << EIO << 70000ll << false << W << QStringLiteral("");
        QTest::newRow("I/O error at rename") << ExportStage::Publish << EIO << 0ll << false << W << QStringLiteral("");
        QTest::newRow("disk full halfway, replacing") << ExportStage::Write << ENOSPC << 100000ll << true << FULL << QStringLiteral("full");
        QTest::newRow("read-only at rename, replacing") << ExportStage::Publish << EROFS << 0ll << true << RO << QStringLiteral("read-only");
    }

    void injected() {
        QFETCH(ExportStage, stage);
        QFETCH(int, error);
        QFETCH(qint64, afterBytes);
        QFETCH(bool, existing);
        QFETCH(int, code);
        QFETCH(QString, words);
        QTemporaryDir dir;
        const fs::path root = test::toPath(dir.path());
        const fs::path target = root / "Song" / "vocals.wav";
        if (existing) {
            fs::create_directories(target.parent_path());
            std::ofstream(target, std::ios::binary) << "the stem from yesterday";
        }
        auto injector = std::make_shared<WriteFaultInjector>(stage, error, afterBytes);
        ExportOptions options;
        options.format = OutputFormat::Wav24;
        options.overwrite = existing;
        options.fileSystem = injector;
        try {
            exportAudio(tone(44100), target, options);
            QFAIL("the export succeeded despite the fault");
        } catch (const Error& e) {
            QVERIFY(injector->triggered());
            QCOMPARE(errorCodeName(e.code()), errorCodeName(ErrorCode(code)));
            QVERIFY2(QString(e.what()).contains("vocals.wav"), e.what());
            QVERIFY2(QString(e.what()).contains(words, Qt::CaseInsensitive), e.what());
        }
        // Nothing new (folders the export created may stay), nothing partial, the old file intact.
        for (const auto& name : listing(root)) {
            QVERIFY2(name.find(kTemporaryPrefix) == std::string::npos, name.c_str());
            if (!existing) QVERIFY2(name != "Song/vocals.wav", "a partial file was published");
        }
        if (existing) QCOMPARE(readText(target), std::string("the stem from yesterday"));
        else QCOMPARE(fs::exists(target), false);
    }

    void devFull() {
        QTemporaryDir dir;
        const fs::path target = test::toPath(dir.path()) / "drums.flac";
        ExportOptions options;
        options.format = OutputFormat::Flac24;
        options.fileSystem = std::make_shared<DevFullFileSystem>();
        try {
            exportAudio(tone(44100), target, options);
            QFAIL("the export succeeded although every write went to /dev/full");
        } catch (const Error& e) {
            QCOMPARE(errorCodeName(e.code()), errorCodeName(ErrorCode::DestinationFull));
            QVERIFY2(QString(e.what()).contains("drums.flac"), e.what());
        }
        QVERIFY(fs::is_empty(test::toPath(dir.path())));
    }

    void fileAppearsDuringExport_data() {
        QTest::addColumn<bool>("rename");
        QTest::newRow("refuse") << false;
        QTest::newRow("rename") << true;
    }

    void fileAppearsDuringExport() {
        QFETCH(bool, rename);
        QTemporaryDir dir;
        const fs::path target = test::toPath(dir.path()) / "bass.wav";
        ExportOptions options;
        options.fileSystem = std::make_shared<RacingFileSystem>();
        options.collision = rename ? CollisionPolicy::Rename : CollisionPolicy::Refuse;
        try {
            const ExportResult r = exportAudio(tone(22050), target, options);
            QVERIFY2(rename, "the export replaced a file that appeared while it ran");
            QVERIFY(r.path != target); // "bass (2).wav"
            QCOMPARE(decodeFile(r.path).audio.frames, int64_t(22050));
        } catch (const Error& e) {
            QVERIFY2(!rename, e.what());
            QCOMPARE(errorCodeName(e.code()), errorCodeName(ErrorCode::DestinationExists));
            QVERIFY2(QString(e.what()).contains("bass.wav"), e.what());
        }
        QCOMPARE(readText(target), std::string("someone else's file")); // never overwritten
        for (const auto& name : listing(test::toPath(dir.path())))
            QVERIFY2(name.find(kTemporaryPrefix) == std::string::npos, name.c_str());
    }

    // kill -9 while a long stem is being written: the finished stem next to it stays intact, the
    // killed one never appears, and the next start's cleanup removes the temporary.
    void killDuringExport() {
        QTemporaryDir dir;
        const fs::path folder = test::toPath(dir.path()) / "Song";
        const AudioBuffer drums = tone(44100);
        exportAudio(drums, folder / "drums.wav", {});
        const std::string drumsBytes = readText(folder / "drums.wav");

        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            try {
                StreamingExporter exporter;
                ExportOptions options;
                options.format = OutputFormat::Wav16;
                options.clip = ClipPolicy::Clamp;
                exporter.begin(folder / "vocals.wav", 2, 44100, options);
                const AudioBuffer block = tone(4410);
                for (;;) { // an endless stem: only SIGKILL stops it
                    exporter.write(block);
                    ::usleep(1000);
                }
            } catch (...) {
            }
            ::_exit(3);
        }
        // Wait until the child's temporary file holds audio, then kill it mid-write.
        fs::path temporary;
        for (int i = 0; i < 1000 && temporary.empty(); ++i) {
            for (const auto& e : fs::directory_iterator(folder))
                if (e.path().filename().string().rfind(kTemporaryPrefix, 0) == 0 && fs::file_size(e.path()) > 100000)
                    temporary = e.path();
            if (temporary.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        ::kill(child, SIGKILL);
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        QVERIFY2(!temporary.empty(), "the child never wrote its temporary file");
        QVERIFY(fs::exists(temporary));               // what the crash left behind
        QVERIFY(!fs::exists(folder / "vocals.wav")); // never published half-written

        QCOMPARE(cleanupStaleTemporaries(test::toPath(dir.path()), /*recursive=*/true), size_t(1));
        QVERIFY(!fs::exists(temporary));
        QCOMPARE(listing(folder), std::vector<std::string>{"drums.wav"});
        QCOMPARE(readText(folder / "drums.wav"), drumsBytes);
        QCOMPARE(decodeFile(folder / "drums.wav").audio.frames, drums.frames);
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
