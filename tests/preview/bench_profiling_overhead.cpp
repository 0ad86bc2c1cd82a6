// Overhead of the live profiling panel on a job: the same job (a stand-in engine that does fixed
// CPU work per batch and emits the recorded event stream, plus a memory sample every 2 ms of
// work) run through JobQueue with and without a ProfileModel + ProfilingPanel window attached.
// Prints median wall times; bench/NOTES.md records a run. Not a test: speed is never asserted.
#include "profile_model.h"
#include "recorded_stream.h"

#include "jobs/job_queue.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <QGuiApplication>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

Q_IMPORT_QML_PLUGIN(StemDeck_ProfilingPlugin)

using namespace stemdeck;

namespace {

volatile double g_sink = 0;

void work(double ms) { // a fixed amount of arithmetic, calibrated below
    static double perMs = 0;
    if (perMs == 0) {
        QElapsedTimer t;
        t.start();
        double x = 0;
        long n = 0;
        while (t.nsecsElapsed() < 50'000'000) {
            for (int i = 0; i < 1000; ++i) x += std::sqrt(double(i + n));
            n += 1000;
        }
        g_sink = x;
        perMs = double(n) / 50.0;
    }
    double x = 0;
    const long n = long(perMs * ms);
    for (long i = 0; i < n; ++i) x += std::sqrt(double(i));
    g_sink = x;
}

// mode 0: nothing attached; 1: a ProfileModel only; 2: the model drawn by a ProfilingPanel window.
double runJob(int mode, QQmlEngine& engine, int batches) {
    const auto stream = test::recordedStream(batches);
    engine::EngineFunction fake = [&stream](const engine::JobSpec&, const engine::JobCallbacks& cb, const std::atomic<bool>&) {
        for (const ProfileEvent& e : stream) {
            if (e.kind == ProfileEvent::Kind::Batch) {
                for (int i = 0; i < 5; ++i) { // 10 ms per batch, a memory sample every 2 ms
                    work(2.0);
                    ProfileEvent m;
                    m.kind = ProfileEvent::Kind::MemorySample;
                    m.time = e.time;
                    m.processRss = 700 << 20;
                    cb.profile(m);
                }
            }
            cb.profile(e);
        }
        return engine::JobResult{};
    };
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("in.wav")));
    f.open(QIODevice::WriteOnly);
    f.close();
    jobs::JobQueue queue(fake);
    std::unique_ptr<QQuickWindow> window;
    QObject* panel = nullptr;
    std::unique_ptr<profiling::ProfileModel> bare;
    if (mode == 1) {
        bare = std::make_unique<profiling::ProfileModel>();
        bare->follow(&queue, 0);
    }
    if (mode == 2) {
        window = std::make_unique<QQuickWindow>();
        QQmlComponent c(&engine);
        c.setData("import StemDeck.Profiling\nProfilingPanel { width: 1000; height: 800 }", QUrl(QStringLiteral("qrc:/b.qml")));
        panel = c.create();
        qobject_cast<QQuickItem*>(panel)->setParentItem(window->contentItem());
        window->resize(1000, 800);
        window->show();
        auto* model = panel->property("model").value<profiling::ProfileModel*>();
        model->follow(&queue, 0);
        // The first frame (window creation, QML instantiation) is not part of the job's cost:
        // in the application the window is already on screen.
        QEventLoop loop;
        QObject::connect(window.get(), &QQuickWindow::frameSwapped, &loop, &QEventLoop::quit);
        QTimer::singleShot(2000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    QElapsedTimer t;
    t.start();
    queue.addFile(f.fileName(), {});
    queue.waitForAll(600000);
    const double s = t.nsecsElapsed() / 1e9;
    delete panel;
    return s;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    QQmlEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    const int batches = argc > 1 ? std::atoi(argv[1]) : 100;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 7;
    runJob(0, engine, 4); // warm caches, calibrate work()
    std::vector<double> without, modelOnly, with;
    for (int i = 0; i < runs; ++i) { // interleaved so drift in machine load hits all alike
        without.push_back(runJob(0, engine, batches));
        modelOnly.push_back(runJob(1, engine, batches));
        with.push_back(runJob(2, engine, batches));
    }
    const double a = median(without), m = median(modelOnly), b = median(with);
    const size_t events = test::recordedStream(batches).size() + size_t(5 * batches);
    std::printf("batches %d, runs %d, events per job %zu\n", batches, runs, events);
    std::printf("without panel: median %.3f s (min %.3f)\n", a, *std::min_element(without.begin(), without.end()));
    std::printf("model only:    median %.3f s (min %.3f), %+.2f %%\n", m, *std::min_element(modelOnly.begin(), modelOnly.end()),
                (m - a) / a * 100.0);
    std::printf("with panel:    median %.3f s (min %.3f), %+.2f %%\n", b, *std::min_element(with.begin(), with.end()),
                (b - a) / a * 100.0);
    return 0;
}
