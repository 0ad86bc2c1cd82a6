// Load: 1,000 short files through JobQueue. The faked engine does real file work (decode the
// input, write two stems that add back up to it through the atomic exporter), so every output
// can be checked. Measured, not asserted as time: resident memory every 100 jobs and the
// queue thread's event latency (how late a 5 ms timer fires while the jobs run), printed for
// bench/NOTES.md. Asserted: every job Done, every output correct, memory flat.
#include "audio/decode.h"
#include "audio/export.h"
#include "common/error.h"
#include "common/test_support.h"
#include "fake_engine.h"
#include "jobs/job_queue.h"

#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <filesystem>

using namespace stemdeck;
using stemdeck::jobs::JobQueue;
using stemdeck::jobs::JobState;
namespace fs = std::filesystem;

namespace {

// "Separates" by splitting the mix into 0.25 x mix and 0.75 x mix (exactly representable).
engine::JobResult splitInTwo(const engine::JobSpec& spec) {
    const audio::Decoded in = audio::decodeFile(spec.input);
    engine::JobResult r;
    r.input = spec.input;
    r.sampleRate = in.audio.sampleRate;
    r.frames = in.audio.frames;
    const std::string track = spec.input.stem().string();
    for (const auto& [stem, gain] : {std::pair{"a", 0.25f}, std::pair{"b", 0.75f}}) {
        audio::AudioBuffer part = in.audio;
        for (float& s : part.samples) s *= gain;
        audio::ExportOptions options;
        options.format = audio::OutputFormat::Wav32f;
        const auto out = audio::exportAudio(part, spec.outputDir / track / (std::string(stem) + ".wav"), options);
        r.files.push_back({stem, out.path, out.peak, out.limited, out.note});
    }
    return r;
}

} // namespace

class TestJobLoad : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void thousandFiles() {
        constexpr int kFiles = 1000;
        // Memory-backed where possible: this measures the queue, not the disk.
        QTemporaryDir dir(QDir("/dev/shm").exists() ? QStringLiteral("/dev/shm/stemdeck-load-XXXXXX")
                                                    : QDir::tempPath() + "/stemdeck-load-XXXXXX");
        QVERIFY(dir.isValid());
        const fs::path root = test::toPath(dir.path());
        fs::create_directories(root / "in");
        for (int i = 0; i < kFiles; ++i) {
            audio::AudioBuffer b = audio::AudioBuffer::zeros(2, 441, 44100);
            b.samples = test::noise(2, 441, 0.5f, uint32_t(i + 1));
            audio::ExportOptions o;
            o.format = audio::OutputFormat::Wav32f;
            audio::exportAudio(b, root / "in" / ("track" + std::to_string(i) + ".wav"), o);
        }

        test::StormEngine fake;
        fake.failPercent = 0;
        fake.maxSteps = 2;
        fake.work = splitInTwo;
        engine::JobSpec spec;
        spec.outputDir = root / "out";

        JobQueue queue(fake.function());
        queue.setMaxConcurrentJobs(2);
        int finished = 0;
        std::vector<int64_t> rss;
        const int64_t rssStart = test::residentBytes();
        connect(&queue, &JobQueue::jobFinished, this, [&](quint64, JobState) {
            if (++finished % 100 == 0) rss.push_back(test::residentBytes());
        });
        // Event latency of the queue's (the UI's) thread: lateness of a 5 ms timer.
        std::vector<double> lateMs;
        QElapsedTimer clock;
        QTimer tick;
        tick.setTimerType(Qt::PreciseTimer);
        tick.setInterval(5);
        qint64 last = 0;
        connect(&tick, &QTimer::timeout, this, [&] {
            const qint64 now = clock.nsecsElapsed();
            if (last) lateMs.push_back(std::max(0.0, double(now - last) / 1e6 - 5.0));
            last = now;
        });
        clock.start();
        tick.start();

        const QList<quint64> ids = queue.addFolder(QString::fromStdString((root / "in").string()), spec);
        QCOMPARE(ids.size(), kFiles);
        QVERIFY2(queue.waitForAll(150000), "1,000 jobs did not finish");
        tick.stop();
        const double seconds = double(clock.nsecsElapsed()) / 1e9;

        QCOMPARE(queue.count(JobState::Done), kFiles);
        int checked = 0;
        for (quint64 id : ids) {
            const auto info = queue.job(id);
            QCOMPARE(info.result.files.size(), size_t(2));
            const audio::Decoded mix = audio::decodeFile(info.result.input);
            const audio::Decoded a = audio::decodeFile(info.result.files[0].path);
            const audio::Decoded b = audio::decodeFile(info.result.files[1].path);
            QCOMPARE(a.audio.frames, mix.audio.frames);
            for (size_t i = 0; i < mix.audio.samples.size(); ++i)
                QVERIFY(std::abs(a.audio.samples[i] + b.audio.samples[i] - mix.audio.samples[i]) < 1e-6f);
            ++checked;
        }
        QCOMPARE(checked, kFiles);

        std::sort(lateMs.begin(), lateMs.end());
        const auto pct = [&](double p) { return lateMs.empty() ? 0.0 : lateMs[size_t(p * double(lateMs.size() - 1))]; };
        QString rssLine;
        for (int64_t r : rss) rssLine += QString::number(double(r) / (1 << 20), 'f', 1) + " ";
        qInfo("load: %d files in %.1f s (%.0f jobs/s); RSS start %.1f MiB, every 100 jobs [MiB]: %s", kFiles, seconds,
              kFiles / seconds, double(rssStart) / (1 << 20), qPrintable(rssLine));
        qInfo("load: event latency (5 ms timer lateness) over %zu ticks: p50 %.2f ms, p99 %.2f ms, max %.2f ms",
              lateMs.size(), pct(0.5), pct(0.99), lateMs.empty() ? 0.0 : lateMs.back());
        // Flat memory: from the 200th to the 1,000th job, resident memory stays within 32 MiB.
        QVERIFY(rss.size() == 10);
        QVERIFY2(rss.back() - rss[1] < (32 << 20),
                 qPrintable(QStringLiteral("RSS grew %1 MiB from job 200 to job 1000").arg((rss.back() - rss[1]) >> 20)));
    }
};

QTEST_GUILESS_MAIN(TestJobLoad)
#include "tst_job_load.moc"
