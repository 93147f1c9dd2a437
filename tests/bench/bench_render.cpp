// The previews-and-print-files workload of issue 6, through the app's own
// pipeline, on the masters of ../shared/bench (make_masters.py):
//
//   per master: read the PNG, decode it once (Renderer::load), detect faces
//   on a ≤1024 px copy (FaceDetector via MasterFaces), plan each crop with
//   SmartCrop (faces; libvips saliency when there is none), then render
//   3 previews (2:3 533×800, 3:2 800×533, 1:1 800×800, JPEG q85) and one
//   print image 2400×3600 saved as JPEG q95 4:4:4 and as PNG (sRGB profile,
//   300 DPI, lightly sharpened unless --no-sharpen), all from that one
//   decode. Masters are spread over THREADS workers (default 2) sharing one
//   face detector.
//
//   bench_render MASTERS_DIR OUT_DIR [--only all|previews|print] [--threads N]
//                [--no-sharpen] [--crop-edit]
//
// --crop-edit measures something else: 20 crop edits of the first master's
// studio preview through PreviewCache with the master kept open.
//
// Prints one line per master (faces, crops) and a summary with wall time,
// CPU time, stage times and peak RSS (with what the workers were doing at
// that moment). run.sh wraps it in GNU time as well.

#include "core/imaging/facedetector.h"
#include "core/imaging/masterfaces.h"
#include "core/imaging/previewcache.h"
#include "core/imaging/renderer.h"
#include "core/imaging/smartcrop.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QStringList>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>
#include <sys/resource.h>
#include <thread>
#include <vector>

using namespace CalStudio;

namespace {

struct Target {
    const char *name;
    const char *aspect;
    QSize size;
    bool print;
};

const Target kTargets[] = {
    { "portrait", "2:3", QSize(533, 800), false },
    { "landscape", "3:2", QSize(800, 533), false },
    { "square", "1:1", QSize(800, 800), false },
    { "print-portrait", "2:3", QSize(2400, 3600), true },
};

double threadCpuSeconds()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + ts.tv_nsec / 1e9;
}

struct Stages {
    double read = 0, decode = 0, copy = 0, detect = 0, plan = 0, previews = 0, print = 0;
};

/// What each worker is doing now, so the memory sampler can say what the peak coincided with.
enum Stage { Idle, Reading, Decoding, Copying, Detecting, Planning, Previews, Printing };
const char *const kStageNames[] = { "idle", "read", "decode", "1024 copy", "faces", "plan", "previews", "print" };
std::atomic<int> g_stage[16];

long rssKb()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLong() * 4 : 0;
}

struct Options {
    QString masters;
    QString out;
    bool previews = true;
    bool print = true;
    bool sharpen = true;
    bool cropEdit = false;
    int threads = 2;
};

/// One master start to end. Returns a line for the log, or an error text starting with "error".
QString runMaster(
    const QString &path, const Options &options, const FaceDetector &detector, Stages &stages, std::atomic<int> &stage)
{
    const QString stem = QFileInfo(path).completeBaseName();
    QElapsedTimer t;
    t.start();
    stage = Reading;
    QByteArray bytes;
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return QStringLiteral("error: cannot read ") + path;
        bytes = file.readAll();
    }
    stages.read += t.nsecsElapsed() / 1e9;

    t.restart();
    stage = Decoding;
    auto renderer = Renderer::load(bytes);
    bytes = QByteArray(); // the encoded master is not needed once decoded
    if (!renderer)
        return QStringLiteral("error: ") + renderer.error().toString();
    stages.decode += t.nsecsElapsed() / 1e9;

    t.restart();
    stage = Copying;
    const QImage copy = renderer->scaledCopy(FaceDetector::MaxDetectionEdge);
    stages.copy += t.nsecsElapsed() / 1e9;

    t.restart();
    stage = Detecting;
    const MasterFaces faces = MasterFaces::detect(copy, renderer->size(), detector);
    stages.detect += t.nsecsElapsed() / 1e9;

    t.restart();
    stage = Planning;
    std::optional<QRectF> saliency;
    if (faces.faces.isEmpty()) {
        // No face: SmartCrop centres on libvips' attention measure, computed on the copy.
        auto region = SmartCrop::saliency(copy);
        if (region) {
            const double s = double(renderer->size().width()) / copy.width();
            saliency = QRectF(region->x() * s, region->y() * s, region->width() * s, region->height() * s);
        }
    }
    QList<RenderOutput> previews;
    QList<RenderOutput> prints;
    QStringList crops;
    int cut = 0;
    for (const Target &target : kTargets) {
        if (target.print ? !options.print : !options.previews)
            continue;
        auto cropTarget = CropTarget::forAspect(QString::fromLatin1(target.aspect));
        if (!cropTarget)
            return QStringLiteral("error: ") + cropTarget.error().toString();
        cropTarget->outputPixels = target.size;
        CropRequest request;
        request.imageSize = renderer->size();
        request.faces = faces.cropFaces();
        request.saliency = saliency;
        request.target = *cropTarget;
        auto planned = SmartCrop::plan(request);
        if (!planned)
            return QStringLiteral("error: ") + planned.error().toString();
        cut += int(planned->cutFaces.size());
        const QRect crop = planned->crop;
        crops.append(QStringLiteral("%1 %2,%3 %4x%5")
                         .arg(QString::fromLatin1(target.name))
                         .arg(crop.x())
                         .arg(crop.y())
                         .arg(crop.width())
                         .arg(crop.height()));
        const QString base
            = options.out + QLatin1Char('/') + stem + QLatin1Char('_') + QString::fromLatin1(target.name);
        RenderOutput o;
        o.crop = crop;
        o.size = target.size;
        if (target.print) {
            o.sharpen = options.sharpen;
            o.kind = RenderKind::PrintJpeg;
            o.path = base + QStringLiteral(".jpg");
            prints.append(o);
            o.kind = RenderKind::PrintPng;
            o.path = base + QStringLiteral(".png");
            prints.append(o);
        } else {
            o.kind = RenderKind::ScreenPreview;
            o.path = base + QStringLiteral(".jpg");
            previews.append(o);
        }
    }
    stages.plan += t.nsecsElapsed() / 1e9;

    // Two calls only to time previews and print apart; both use the one decode.
    bool upscaled = false;
    for (const bool print : { false, true }) {
        const QList<RenderOutput> &outputs = print ? prints : previews;
        if (outputs.isEmpty())
            continue;
        t.restart();
        stage = print ? Printing : Previews;
        // The last call hands the master over, so its 48 MB go before the print files are encoded.
        const bool last = print || prints.isEmpty();
        auto rendered = last ? std::move(*renderer).render(outputs) : renderer->render(outputs);
        if (!rendered)
            return QStringLiteral("error: ") + rendered.error().toString();
        (print ? stages.print : stages.previews) += t.nsecsElapsed() / 1e9;
        for (const RenderedOutput &r : *rendered)
            upscaled = upscaled || r.upscaled;
    }
    stage = Idle;
    return QStringLiteral("%1: %2 face(s)%3, %4 cut; %5%6")
        .arg(stem)
        .arg(faces.faces.size())
        .arg(saliency ? QStringLiteral(" (saliency)") : QString())
        .arg(cut)
        .arg(crops.join(QStringLiteral("; ")))
        .arg(upscaled ? QStringLiteral(" UPSCALED") : QString());
}

/**
 * The crop editor's case: one master open, the crop dragged. Each step is a
 * PreviewCache miss (a new crop is a new key) rendered from the open master
 * at the studio's preview size (1600 px long edge) and stored. Prints the
 * median and worst time of `steps` edits.
 */
int cropEdits(const QString &masterPath, const QString &out, int steps)
{
    QFile file(masterPath);
    if (!file.open(QIODevice::ReadOnly))
        return 1;
    const QByteArray bytes = file.readAll();
    QElapsedTimer t;
    t.start();
    auto master = Renderer::load(bytes);
    if (!master)
        return 1;
    const double openMs = t.nsecsElapsed() / 1e6;
    PreviewCache cache(out + QStringLiteral("/preview-cache"));
    cache.cleanup(0);
    const QByteArray hash = PreviewCache::contentHash(bytes);
    QList<double> ms;
    for (int i = 0; i < steps; ++i) {
        PreviewRequest request;
        request.masterHash = hash;
        request.crop = QRect(400 + 11 * i, 0, 2731, 4096);
        request.size = QSize(1067, 1600);
        request.formatId = QStringLiteral("wall-portrait/1");
        t.restart();
        auto preview = cache.get(request, *master);
        if (!preview || preview->fromCache)
            return 1;
        ms.append(t.nsecsElapsed() / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    std::printf("crop edit: %d edits of a 1067x1600 preview from an open 4096² master (opened in %.0f ms): "
                "median %.1f ms, worst %.1f ms (render + JPEG + cache write)\n",
        steps, openMs, ms[ms.size() / 2], ms.last());
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("calstudio-bench"));
    QStringList args = app.arguments().mid(1);
    Options options;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == QLatin1String("--only") && i + 1 < args.size()) {
            const QString what = args[++i];
            options.previews = what != QLatin1String("print");
            options.print = what != QLatin1String("previews");
        } else if (a == QLatin1String("--threads") && i + 1 < args.size()) {
            options.threads = std::clamp(args[++i].toInt(), 1, 16);
        } else if (a == QLatin1String("--no-sharpen")) {
            options.sharpen = false;
        } else if (a == QLatin1String("--crop-edit")) {
            options.cropEdit = true;
        } else if (options.masters.isEmpty()) {
            options.masters = a;
        } else if (options.out.isEmpty()) {
            options.out = a;
        }
    }
    if (options.masters.isEmpty() || options.out.isEmpty()) {
        std::fprintf(stderr,
            "usage: bench_render MASTERS_DIR OUT_DIR [--only all|previews|print] [--threads N] "
            "[--no-sharpen] [--crop-edit]\n");
        return 2;
    }
    QStringList masters;
    for (const QString &name :
        QDir(options.masters).entryList({ QStringLiteral("master_*.png") }, QDir::Files, QDir::Name))
        masters.append(options.masters + QLatin1Char('/') + name);
    if (masters.isEmpty() || !QDir().mkpath(options.out)) {
        std::fprintf(stderr, "no masters in %s (run make_masters.py) or cannot create %s\n",
            qPrintable(options.masters), qPrintable(options.out));
        return 1;
    }

    if (options.cropEdit)
        return cropEdits(masters.first(), options.out, 20);

    // One detector for both workers: detect() is serialised inside it, and
    // YuNet's working memory on a 1024² input (about 75 MB for a moment) is
    // then needed once, not once per worker. OpenCV runs each detection on
    // both cores itself, and meanwhile the other worker decodes or encodes.
    QElapsedTimer wall;
    wall.start();
    auto detector = FaceDetector::create();
    if (!detector) {
        std::fprintf(stderr, "face detector: %s\n", qPrintable(detector.error().toString()));
        return 1;
    }
    std::atomic<int> next { 0 };
    std::atomic<bool> failed { false };
    QMutex logMutex;
    QStringList lines(masters.size());
    std::vector<Stages> stages(size_t(options.threads));
    std::vector<double> cpu(size_t(options.threads));
    std::vector<std::thread> workers;
    // Peak memory and what every worker was doing at that moment.
    std::atomic<bool> sampling { true };
    long peakKb = 0;
    QString peakStages;
    std::thread sampler([&] {
        while (sampling) {
            const long kb = rssKb();
            if (kb > peakKb) {
                peakKb = kb;
                QStringList what;
                for (int w = 0; w < options.threads; ++w)
                    what.append(QString::fromLatin1(kStageNames[g_stage[w].load()]));
                peakStages = what.join(QStringLiteral(" + "));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    });
    for (int w = 0; w < options.threads; ++w) {
        workers.emplace_back([&, w] {
            const double cpu0 = threadCpuSeconds();
            for (int i = next++; i < masters.size(); i = next++) {
                const QString line = runMaster(masters[i], options, *detector, stages[size_t(w)], g_stage[w]);
                failed = failed || line.startsWith(QLatin1String("error"));
                QMutexLocker lock(&logMutex);
                lines[i] = line;
            }
            cpu[size_t(w)] = threadCpuSeconds() - cpu0;
        });
    }
    for (auto &w : workers)
        w.join();
    const double seconds = wall.nsecsElapsed() / 1e9;
    sampling = false;
    sampler.join();

    for (const QString &line : std::as_const(lines))
        std::printf("%s\n", qPrintable(line));
    Stages total;
    double workerCpu = 0;
    for (size_t w = 0; w < stages.size(); ++w) {
        total.read += stages[w].read;
        total.decode += stages[w].decode;
        total.copy += stages[w].copy;
        total.detect += stages[w].detect;
        total.plan += stages[w].plan;
        total.previews += stages[w].previews;
        total.print += stages[w].print;
        workerCpu += cpu[w];
    }
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    const double processCpu
        = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
    const int n = int(masters.size());
    std::printf("bench_render %s%s: %d masters on %d threads in %.2f s wall (%.0f ms a master), "
                "process CPU %.2f s (worker threads %.2f s), peak RSS %.0f MB\n",
        options.previews && options.print ? "all" : (options.previews ? "previews" : "print"),
        options.sharpen || !options.print ? "" : " (no sharpening)", n, options.threads, seconds, 1000 * seconds / n,
        processCpu, workerCpu, usage.ru_maxrss / 1024.0);
    std::printf("stage sums over threads (s): read %.2f, decode %.2f, 1024 copy %.2f, faces %.2f, "
                "crop planning %.2f, previews %.2f, print files %.2f\n",
        total.read, total.decode, total.copy, total.detect, total.plan, total.previews, total.print);
    std::printf("sampled peak RSS %.0f MB while the workers were at: %s\n", peakKb / 1024.0, qPrintable(peakStages));
    return failed ? 1 : 0;
}
