// common/heap.h: with the tuning, a large block comes from the heap instead of its own mmap (the
// page faults a separation paid on every chunk, bench/NOTES.md "The C heap"); STEMDECK_HEAP_TUNING
// =off leaves malloc as it was; releaseFreeHeap gives the freed block back; JobQueue releases
// after every job. glibc's counters (mallinfo2) tell where a block came from.
#include "common/heap.h"
#include "jobs/job_queue.h"

#include <QDir>
#include <QFile>
#include <QTemporaryFile>
#include <QTest>

#include <atomic>
#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#include <unistd.h>
#endif

using namespace stemdeck;

namespace {

constexpr size_t kBlock = size_t(96) << 20; // larger than a thread arena's 64 MiB heap

#if defined(__GLIBC__)
size_t mmappedBytes() { return mallinfo2().hblkhd; }
size_t heapBytes() { return mallinfo2().arena; }
// Resident memory (/proc/self/statm): malloc_trim gives a freed block's pages back wherever the
// block lies, while the heap's size (arena) shrinks only when nothing was allocated above it.
size_t residentBytes() {
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly)) return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? size_t(fields[1].toULongLong()) * size_t(sysconf(_SC_PAGESIZE)) : 0;
}

void* volatile g_seen = nullptr; // keeps the compiler from eliding a malloc/free pair

// A block allocated and touched, as a tensor is; freed by the caller.
void* touched(size_t bytes) {
    void* p = std::malloc(bytes);
    if (p) std::memset(p, 1, bytes);
    g_seen = p;
    return p;
}
#endif

} // namespace

class TestHeap : public QObject {
    Q_OBJECT

private Q_SLOTS:
#if defined(__GLIBC__)
    // Runs first: the untuned allocator (and the opt-out) maps a large block on its own.
    void optOutLeavesMallocAsItWas() {
        qputenv("STEMDECK_HEAP_TUNING", "off");
        QVERIFY(!tuneHeapForLargeBuffers());
        qunsetenv("STEMDECK_HEAP_TUNING");
        const size_t before = mmappedBytes();
        void* p = touched(kBlock);
        QVERIFY(p);
        QVERIFY(mmappedBytes() >= before + kBlock);
        std::free(p);
        QCOMPARE(mmappedBytes(), before);
    }

    void tunedLargeBlocksStayOnTheHeapUntilReleased() {
        QVERIFY(tuneHeapForLargeBuffers());
        const size_t mapped = mmappedBytes();
        void* p = touched(kBlock);
        QVERIFY(p);
        QCOMPARE(mmappedBytes(), mapped); // from the heap, not a mapping of its own
        QVERIFY(heapBytes() >= kBlock);
        std::free(p);
        const size_t held = heapBytes();
        QVERIFY(held >= kBlock); // freed, still the heap's: the next chunk reuses it
        void* again = touched(kBlock);
        QVERIFY(again);
        QCOMPARE(heapBytes(), held); // reused, the heap did not grow
        std::free(again);
        QVERIFY(releaseFreeHeap());
        QVERIFY(heapBytes() + kBlock / 2 < held); // given back
    }

    // A job's large buffers, allocated on the pool's worker thread, come from the heap too (a
    // thread's own arena would map a block this large whatever M_MMAP_MAX says: hence one
    // arena) and are given back when the job ends.
    void jobQueueReleasesAfterEveryJob() {
        QVERIFY(tuneHeapForLargeBuffers());
        QVERIFY(releaseFreeHeap());
        const size_t idle = heapBytes();
        std::atomic<size_t> during{0}, residentDuring{0};
        jobs::JobQueue queue([&during, &residentDuring](const engine::JobSpec& spec, const engine::JobCallbacks&,
                                                        const std::atomic<bool>&) {
            void* p = touched(kBlock);
            if (!p) throw std::bad_alloc();
            during = heapBytes();
            residentDuring = residentBytes();
            if (mmappedBytes() != 0) during = 0; // mapped on its own: the check below fails
            std::free(p);
            engine::JobResult r;
            r.input = spec.input;
            return r;
        });
        QTemporaryFile file(QDir::tempPath() + QStringLiteral("/tst_heap_XXXXXX.wav"));
        QVERIFY(file.open());
        QVERIFY(queue.addFile(file.fileName(), {}) != 0);
        QVERIFY(queue.waitForAll(20000));
        QVERIFY(during.load() >= idle + kBlock); // the block came from the heap...
        // ...and went back when the job ended. Measured as resident memory: the queue's own
        // allocations on other threads during the job may sit above the block in the heap (the
        // heap's size then stays, under load in CI), but its pages are returned all the same.
        QVERIFY(residentDuring.load() > kBlock);
        QVERIFY2(residentBytes() + kBlock / 2 < residentDuring.load(),
                 qPrintable(QStringLiteral("resident %1 MiB after the job, %2 MiB during it")
                                .arg(residentBytes() >> 20).arg(residentDuring.load() >> 20)));
    }
#else
    void tuningAppliesToGlibcOnly() {
        QVERIFY(!tuneHeapForLargeBuffers());
        QVERIFY(!releaseFreeHeap());
    }
#endif
};

QTEST_GUILESS_MAIN(TestHeap)
#include "tst_heap.moc"
