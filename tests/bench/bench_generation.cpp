// Image-generation responses (issue 5): how long a 4K answer keeps the UI
// thread busy, what storing it costs on that thread, and how much memory four
// 4K answers at once take.
//
//   bench_generation ui     BASE_URL [RUNS=5]
//       per provider (Gemini, OpenAI, Replicate, fal.ai): one warm-up call and
//       RUNS measured calls; then the Gemini image stored as the studio does
//       (ProjectStore::addCandidate, MasterBuilder::build, ProjectStore::addMaster)
//   bench_generation memory BASE_URL [PARALLEL=4] [PROVIDER=gemini] [POOL_THREADS=cores]
//       peak RSS with PARALLEL 4K answers in flight at once
//
// BASE_URL is a calstudio-sandbox running in another process (so its memory
// is not counted here), started with `--fault API:huge,count=-1` for each of
// gemini, openai, replicate and fal, so that every fake answers with a noisy,
// realistically large PNG (about 19 MB at 4096²; Gemini and OpenAI send it as
// base64 inside the JSON, Replicate and fal.ai as a file to download).
// tests/bench/run.sh starts it.
//
// The UI thread is measured as bench_import does: a precise 2 ms QTimer on
// the main thread records the gaps between its ticks while a call runs; the
// longest gap minus the period is the longest stretch the thread was kept
// busy. Each gap also records the CPU time the main thread used in it (see
// Heartbeat), which separates work done on the UI thread from waiting for a
// core. Providers are created per call with their own network manager, as
// GenerationQueue does. Prints one line per figure (copy them into
// docs/BENCHMARKS.md).

#include "core/generation/falprovider.h"
#include "core/generation/geminiprovider.h"
#include "core/generation/generationsession.h"
#include "core/generation/masterbuilder.h"
#include "core/generation/openaiprovider.h"
#include "core/generation/replicateprovider.h"
#include "core/project/project.h"
#include "core/project/projectstore.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <sys/resource.h>
#include <time.h>

using namespace CalStudio;

namespace {

constexpr int kPeriodMs = 2;

qint64 statusKiB(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray key(field);
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

/// Resets VmHWM to the current RSS (Linux ≥ 4.0); false when not allowed.
bool resetPeakRss()
{
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    return clear.open(QIODevice::WriteOnly) && clear.write("5") == 1;
}

double mb(qint64 bytes)
{
    return double(bytes) / (1024.0 * 1024.0);
}

qint64 threadCpuNs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

/// Times the calling thread was preempted (involuntary context switches) so far.
qint64 threadPreemptions()
{
    rusage usage {};
    getrusage(RUSAGE_THREAD, &usage);
    return usage.ru_nivcsw;
}

/**
 * Ticks every kPeriodMs on the main thread and keeps the gaps between ticks,
 * plus named events ("generate()", "reply finished", …) so that the longest
 * gap can be put down to what the thread was doing then.
 *
 * On a loaded machine a gap also grows when the thread is merely waiting for
 * a core (the sandbox, the parse threads and other processes share two), so
 * each gap also records the CPU time the main thread itself used in it: the
 * largest such figure is the work the thread did without returning to the
 * event loop, i.e. the stall on an otherwise idle machine.
 */
class Heartbeat {
public:
    Heartbeat()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(kPeriodMs);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { tick(); });
        m_clock.start();
    }

    void begin()
    {
        m_gaps.clear();
        m_events.clear();
        m_worst = {};
        m_worstCpu = 0;
        m_maxCpu = 0;
        m_maxCpuGap = {};
        m_last = m_clock.nsecsElapsed();
        m_lastCpu = threadCpuNs();
        m_lastPreempt = threadPreemptions();
        m_worstPreempt = 0;
        m_timer.start();
    }
    void end()
    {
        tick();
        m_timer.stop();
    }
    void mark(const QString &event) { m_events.append({ m_clock.nsecsElapsed(), event }); }

    [[nodiscard]] double maxGapMs() const
    {
        return m_worst.second - m_worst.first > 0 ? (m_worst.second - m_worst.first) / 1e6 : 0;
    }
    /// CPU time the main thread used during the longest gap.
    [[nodiscard]] double maxGapCpuMs() const { return m_worstCpu / 1e6; }
    /// Times the main thread was preempted during the longest gap.
    [[nodiscard]] qint64 maxGapPreemptions() const { return m_worstPreempt; }
    /// Most CPU time the main thread used between two ticks (its longest piece of work).
    [[nodiscard]] double maxCpuMs() const { return m_maxCpu / 1e6; }
    [[nodiscard]] double p99GapMs() const
    {
        if (m_gaps.isEmpty())
            return 0;
        QList<qint64> sorted = m_gaps;
        std::sort(sorted.begin(), sorted.end());
        return sorted.at(qMin(sorted.size() - 1, qsizetype(sorted.size() * 0.99))) / 1e6;
    }
    /// What happened during the longest gap (marked events inside it).
    [[nodiscard]] QString worstCause() const { return causeIn(m_worst); }
    /// What happened while the thread did its longest piece of work.
    [[nodiscard]] QString maxCpuCause() const { return causeIn(m_maxCpuGap); }

private:
    /// The marked events inside `gap` ("2× reply finished …"), or "network I/O" when nothing was marked.
    [[nodiscard]] QString causeIn(const QPair<qint64, qint64> &gap) const
    {
        QStringList names;
        QList<int> counts;
        for (const auto &[at, name] : m_events) {
            if (at < gap.first || at > gap.second)
                continue;
            if (const qsizetype i = names.indexOf(name); i >= 0) {
                ++counts[i];
            } else {
                names.append(name);
                counts.append(1);
            }
        }
        if (names.isEmpty())
            return QStringLiteral("event loop (network I/O)");
        QStringList parts;
        for (qsizetype i = 0; i < names.size(); ++i)
            parts.append(counts.at(i) > 1 ? QStringLiteral("%1× %2").arg(counts.at(i)).arg(names.at(i)) : names.at(i));
        return parts.join(QStringLiteral(" + "));
    }

    void tick()
    {
        const qint64 now = m_clock.nsecsElapsed();
        const qint64 cpu = threadCpuNs();
        const qint64 preempt = threadPreemptions();
        const qint64 gap = now - m_last;
        m_gaps.append(gap);
        if (gap > m_worst.second - m_worst.first) {
            m_worst = { m_last, now };
            m_worstCpu = cpu - m_lastCpu;
            m_worstPreempt = preempt - m_lastPreempt;
        }
        if (cpu - m_lastCpu > m_maxCpu) {
            m_maxCpu = cpu - m_lastCpu;
            m_maxCpuGap = { m_last, now };
        }
        m_last = now;
        m_lastCpu = cpu;
        m_lastPreempt = preempt;
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_lastCpu = 0;
    qint64 m_lastPreempt = 0;
    qint64 m_worstPreempt = 0;
    qint64 m_worstCpu = 0;
    qint64 m_maxCpu = 0;
    QList<qint64> m_gaps;
    QPair<qint64, qint64> m_worst;
    QPair<qint64, qint64> m_maxCpuGap;
    QList<QPair<qint64, QString>> m_events;
};

/// Reference photos as the studio sends them: one downscaled full selfie (1536 px) and two 1024² face crops.
QList<ReferenceImage> makeReferences()
{
    const QImage face(QStringLiteral(CALSTUDIO_TEST_DATA_DIR "/faces/astronaut.png"));
    QList<ReferenceImage> refs;
    const auto jpeg = [](const QImage &image) {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "JPEG", 90);
        return bytes;
    };
    ReferenceImage full;
    full.kind = ReferenceImage::Kind::FullImage;
    const QImage fullImage = face.scaled(1536, 1536, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    full.jpeg = jpeg(fullImage);
    full.size = fullImage.size();
    refs.append(full);
    for (int i = 0; i < 2; ++i) {
        ReferenceImage crop;
        crop.kind = ReferenceImage::Kind::FaceCrop;
        const QImage cropImage = face.copy(face.rect().adjusted(i * 20, i * 20, -i * 20, -i * 20))
                                     .scaled(1024, 1024, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        crop.jpeg = jpeg(cropImage);
        crop.size = cropImage.size();
        refs.append(crop);
    }
    return refs;
}

GenerationRequest requestFor(const QString &provider, const QString &model, QSize size, const QString &aspect)
{
    GenerationRequest request;
    request.month = 3;
    request.provider = provider;
    request.model = model;
    request.promptSent = QStringLiteral("Studio portrait of the person in the reference photos as a 1920s aviator, "
                                        "golden hour, film grain");
    request.aspectRatio = aspect;
    request.size = size;
    static const QList<ReferenceImage> references = makeReferences();
    request.references = references;
    return request;
}

struct Subject {
    QString name; ///< as printed
    std::function<std::unique_ptr<ImageProvider>()> make;
    GenerationRequest request;
};

HttpProviderConfig configFor(const QString &baseUrl, const QString &path = {})
{
    HttpProviderConfig config;
    config.baseUrl = QUrl(baseUrl + path);
    config.apiKey = QStringLiteral("sandbox-key");
    config.timeout = std::chrono::seconds(120);
    return config;
}

QList<Subject> subjects(const QString &baseUrl)
{
    QList<Subject> list;
    list.append({ QStringLiteral("gemini"), [baseUrl] { return std::make_unique<GeminiProvider>(configFor(baseUrl)); },
        requestFor(
            QStringLiteral("gemini"), QStringLiteral("gemini-3-pro-image"), { 4096, 4096 }, QStringLiteral("1:1")) });
    // The largest gpt-image-2 output the sandbox allows (3840×2160; 1:1 would give 2880²).
    list.append({ QStringLiteral("openai"), [baseUrl] { return std::make_unique<OpenAIProvider>(configFor(baseUrl)); },
        requestFor(QStringLiteral("openai"), QStringLiteral("gpt-image-2"), { 3840, 2160 }, QStringLiteral("16:9")) });
    list.append({ QStringLiteral("replicate"),
        [baseUrl] {
            auto p = std::make_unique<ReplicateProvider>(configFor(baseUrl));
            p->setPollInterval(std::chrono::milliseconds(50));
            return p;
        },
        requestFor(QStringLiteral("replicate"), QString(), { 4096, 4096 }, QStringLiteral("1:1")) });
    list.append({ QStringLiteral("fal"),
        [baseUrl] {
            auto p = std::make_unique<FalProvider>(configFor(baseUrl, QStringLiteral("/fal")));
            p->setPollInterval(std::chrono::milliseconds(50));
            return p;
        },
        requestFor(QStringLiteral("fal"), QString(), { 4096, 4096 }, QStringLiteral("1:1")) });
    return list;
}

/// One call with the heartbeat running; marks generate(), every reply's end and the answer.
struct CallResult {
    ImageProvider::Outcome outcome = GenerationError {};
    double wallMs = 0;
    double generateMs = 0; ///< inside generate() (building and posting the request)
    qint64 answerBytes = 0; ///< body of the last reply (the image answer or download)
};

CallResult runOne(const Subject &subject, Heartbeat &beat)
{
    CallResult result;
    auto provider = subject.make();
    QEventLoop loop;
    bool done = false;
    QObject::connect(provider.get(), &ImageProvider::finished, &loop, [&](const ImageProvider::Outcome &outcome) {
        beat.mark(QStringLiteral("finished() signal"));
        result.outcome = outcome;
        done = true;
        loop.quit();
    });
    QElapsedTimer wall;
    beat.begin();
    wall.start();
    provider->generate(subject.request);
    result.generateMs = wall.nsecsElapsed() / 1e6;
    beat.mark(QStringLiteral("generate()"));
    // Each provider makes its network manager on first use, as a child.
    if (auto *manager = provider->findChild<QNetworkAccessManager *>()) {
        QObject::connect(manager, &QNetworkAccessManager::finished, &loop, [&](QNetworkReply *reply) {
            // Emitted just before the provider's own finished() handler reads the body.
            result.answerBytes = reply->bytesAvailable();
            beat.mark(QStringLiteral("reply finished → provider reads the body"));
        });
    }
    if (!done)
        loop.exec();
    beat.end();
    result.wallMs = wall.nsecsElapsed() / 1e6;
    return result;
}

QString describe(const ImageProvider::Outcome &outcome)
{
    if (const auto *image = std::get_if<GeneratedImage>(&outcome))
        return QStringLiteral("%1×%2 %3 of %4 MB")
            .arg(image->nativeSize.width())
            .arg(image->nativeSize.height())
            .arg(image->mimeType)
            .arg(mb(image->bytes.size()), 0, 'f', 1);
    return QStringLiteral("ERROR: ") + std::get<GenerationError>(outcome).message;
}

/// A stored candidate must be a distinct blob (ProjectStore dedups by hash): bytes after IEND are ignored by decoders.
QByteArray variant(const QByteArray &png, int n)
{
    return png + QByteArray::number(n).rightJustified(8, '0');
}

int runUi(const QString &baseUrl, int runs)
{
    Heartbeat beat;
    QByteArray geminiPng;
    bool ok = true;
    for (const Subject &subject : subjects(baseUrl)) {
        // Warm-up (not counted): the sandbox encodes each image size once and caches it.
        runOne(subject, beat);
        double worst = 0; // longest busy stretch, wall time
        double worstCpu = 0; // CPU time the UI thread used in that stretch
        qint64 worstPreempt = 0; // and how often it was preempted in it
        double maxCpu = 0; // most CPU time the UI thread used between two ticks, any run
        double worstP99 = 0;
        double wallSum = 0;
        double generateMax = 0;
        QString cause;
        QString maxCpuCause;
        QStringList perRun;
        CallResult last;
        for (int i = 0; i < runs; ++i) {
            last = runOne(subject, beat);
            if (!std::holds_alternative<GeneratedImage>(last.outcome)) {
                std::printf("%-9s run %d: %s\n", qPrintable(subject.name), i + 1, qPrintable(describe(last.outcome)));
                ok = false;
                continue;
            }
            const double busy = qMax(0.0, beat.maxGapMs() - kPeriodMs);
            perRun.append(QString::number(busy, 'f', 0));
            if (busy >= worst) {
                worst = busy;
                worstCpu = beat.maxGapCpuMs();
                worstPreempt = beat.maxGapPreemptions();
                cause = beat.worstCause();
            }
            if (beat.maxCpuMs() > maxCpu) {
                maxCpu = beat.maxCpuMs();
                maxCpuCause = beat.maxCpuCause();
            }
            worstP99 = qMax(worstP99, beat.p99GapMs());
            wallSum += last.wallMs;
            generateMax = qMax(generateMax, last.generateMs);
        }
        if (subject.name == QLatin1String("gemini"))
            if (const auto *image = std::get_if<GeneratedImage>(&last.outcome))
                geminiPng = image->bytes;
        std::printf(
            "%-9s %s, last reply %.1f MB: UI thread longest busy stretch %.0f ms over %d runs (per run: %s ms; "
            "the UI thread itself ran %.1f ms of it, preempted %lld times; during: %s); longest piece of "
            "UI-thread work %.1f ms (during: %s); p99 timer gap %.1f ms; generate() up to %.1f ms; call %.0f ms "
            "on average\n",
            qPrintable(subject.name), qPrintable(describe(last.outcome)), mb(last.answerBytes), worst, runs,
            qPrintable(perRun.join(QLatin1Char('/'))), worstCpu, worstPreempt, qPrintable(cause), maxCpu,
            qPrintable(maxCpuCause), worstP99, generateMax, perRun.isEmpty() ? 0.0 : wallSum / perRun.size());
    }
    if (geminiPng.isEmpty())
        return 1;

    // What storing costs the thread that does it: ProjectStore::addCandidate (the PNG into SQLite: SHA-256
    // for dedup, WAL, synchronous=FULL), MasterBuilder::build, ProjectStore::addMaster of the 4096² master.
    // The studio runs all three on workers (GenerationSession; see `session` for the whole path); this
    // shows why they cannot run on the UI thread.
    QTemporaryDir dir(QDir::currentPath() + QStringLiteral("/bench-generation-XXXXXX"));
    auto store = ProjectStore::create(dir.filePath(QStringLiteral("bench.calstudio")), ProjectSettings::defaults());
    if (!store) {
        std::printf("cannot create a project: %s\n", qPrintable(store.error().userMessage));
        return 1;
    }
    const auto summary = [](QList<double> ms) {
        std::sort(ms.begin(), ms.end());
        QStringList text;
        for (double v : std::as_const(ms))
            text.append(QString::number(v, 'f', 0));
        return QStringLiteral("median %1 ms, worst %2 ms (%3 ms)")
            .arg(ms.at(ms.size() / 2), 0, 'f', 0)
            .arg(ms.last(), 0, 'f', 0)
            .arg(text.join(QLatin1Char('/')));
    };
    const int count = qMax(3, runs);
    QList<double> addMs;
    QList<double> addCpuMs; // CPU time of the calling thread: the rest is waiting (fsync, a core)
    QList<CandidateRecord> candidates;
    for (int i = 0; i < count; ++i) {
        CandidateRecord record;
        record.month = 1 + i % 12;
        record.provider = QStringLiteral("gemini");
        record.model = QStringLiteral("gemini-3-pro-image");
        record.promptSent = QStringLiteral("bench");
        record.width = 4096;
        record.height = 4096;
        record.status = QStringLiteral("done");
        const QByteArray bytes = variant(geminiPng, i);
        QElapsedTimer timer;
        timer.start();
        const qint64 cpu = threadCpuNs();
        const auto st = (*store)->addCandidate(record, bytes);
        addMs.append(timer.nsecsElapsed() / 1e6);
        addCpuMs.append((threadCpuNs() - cpu) / 1e6);
        if (!st) {
            std::printf("addCandidate failed: %s\n", qPrintable(st.error().userMessage));
            return 1;
        }
        candidates.append(record);
    }
    const qint64 hashCpu = threadCpuNs();
    const QByteArray sha = QCryptographicHash::hash(geminiPng, QCryptographicHash::Sha256);
    const double hashMs = (threadCpuNs() - hashCpu) / 1e6;
    std::printf(
        "addCandidate, %.1f MB PNG, on the calling thread: %s; CPU time %s; SHA-256 of the bytes alone %.0f ms CPU%s\n",
        mb(geminiPng.size()), qPrintable(summary(addMs)), qPrintable(summary(addCpuMs)), hashMs,
        sha.isEmpty() ? " (failed)" : "");

    QElapsedTimer buildTimer;
    buildTimer.start();
    const auto master = MasterBuilder::build(geminiPng);
    const double buildMs = buildTimer.nsecsElapsed() / 1e6;
    if (!master) {
        std::printf("MasterBuilder::build failed: %s\n", qPrintable(master.error().userMessage));
        return 1;
    }
    QList<double> masterMs;
    QList<double> masterCpuMs;
    for (int i = 0; i < count; ++i) {
        const CandidateRecord &c = candidates.at(i);
        QElapsedTimer timer;
        timer.start();
        const qint64 cpu = threadCpuNs();
        const auto id = (*store)->addMaster(
            c.month, MasterSource { c.id, 0 }, variant(master->png, i), master->size, master->nativeSize);
        masterMs.append(timer.nsecsElapsed() / 1e6);
        masterCpuMs.append((threadCpuNs() - cpu) / 1e6);
        if (!id) {
            std::printf("addMaster failed: %s\n", qPrintable(id.error().userMessage));
            return 1;
        }
    }
    std::printf(
        "MasterBuilder::build: %.0f ms; addMaster, %.1f MB master PNG, on the calling thread: %s; CPU time %s\n",
        buildMs, mb(master->png.size()), qPrintable(summary(masterMs)), qPrintable(summary(masterCpuMs)));
    return ok ? 0 : 1;
}

int runMemory(const QString &baseUrl, int parallel, const QString &providerName, int poolThreads)
{
    // The answers are parsed on the global thread pool (one thread per core): more threads = more parses at once.
    if (poolThreads > 0)
        QThreadPool::globalInstance()->setMaxThreadCount(poolThreads);
    const QList<Subject> all = subjects(baseUrl);
    const auto found = std::find_if(all.cbegin(), all.cend(), [&](const Subject &s) { return s.name == providerName; });
    if (found == all.cend()) {
        std::fprintf(stderr, "unknown provider %s\n", qPrintable(providerName));
        return 2;
    }
    const Subject &subject = *found;
    Heartbeat beat;
    // No warm-up call here (it would leave freed heap behind in the baseline); run.sh runs `ui` first,
    // which makes the sandbox encode and cache its 4K image.
    const qint64 baseline = statusKiB("VmRSS:");
    const bool reset = resetPeakRss();

    QList<std::shared_ptr<ImageProvider>> providers;
    QList<ImageProvider::Outcome> outcomes;
    QList<qint64> arrived;
    QList<QPair<qint64, qint64>> parseWindows; // reply finished → outcome, per call
    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    int pending = parallel;
    beat.begin();
    for (int i = 0; i < parallel; ++i) {
        auto provider = std::shared_ptr<ImageProvider>(subject.make());
        providers.append(provider);
        parseWindows.append({ -1, -1 });
        QObject::connect(
            provider.get(), &ImageProvider::finished, &loop, [&, i](const ImageProvider::Outcome &outcome) {
                parseWindows[i].second = clock.elapsed();
                beat.mark(QStringLiteral("finished() signal"));
                outcomes.append(outcome); // kept until all are in: the worst case for memory
                if (--pending == 0)
                    loop.quit();
            });
        provider->generate(subject.request);
        beat.mark(QStringLiteral("generate()"));
        if (auto *manager = provider->findChild<QNetworkAccessManager *>()) {
            QObject::connect(manager, &QNetworkAccessManager::finished, &loop, [&, i](QNetworkReply *) {
                parseWindows[i].first = clock.elapsed();
                beat.mark(QStringLiteral("reply finished → provider reads the body"));
            });
        }
    }
    if (pending > 0)
        loop.exec();
    beat.end();
    const qint64 peak = statusKiB("VmHWM:");
    const qint64 after = statusKiB("VmRSS:");

    // How much the answers overlapped: most parses (reply finished → outcome) running at one time.
    int overlap = 0;
    for (const auto &w : std::as_const(parseWindows)) {
        int n = 0;
        for (const auto &o : std::as_const(parseWindows))
            n += o.first <= w.first && w.first <= o.second;
        overlap = qMax(overlap, n);
    }
    int images = 0;
    qint64 pngBytes = 0;
    for (const auto &outcome : std::as_const(outcomes)) {
        if (const auto *image = std::get_if<GeneratedImage>(&outcome)) {
            ++images;
            pngBytes += image->bytes.size();
        }
    }
    std::printf("%d simultaneous %s 4K answers: %d images (%.0f MB of PNG kept) in %.1f s; baseline RSS %.0f MB, "
                "peak RSS %.0f MB (VmHWM%s), increase %.0f MB; RSS after %.0f MB; up to %d answers between reply and "
                "outcome at once; UI thread longest busy stretch %.0f ms (it ran %.1f ms of it, preempted %lld times; "
                "during: %s), longest piece of UI-thread work %.1f ms (during: %s); %d parse threads\n",
        parallel, qPrintable(subject.name), images, mb(pngBytes), clock.elapsed() / 1000.0, baseline / 1024.0,
        peak / 1024.0, reset ? "" : ", not reset: includes start-up", (peak - baseline) / 1024.0, after / 1024.0,
        overlap, qMax(0.0, beat.maxGapMs() - kPeriodMs), beat.maxGapCpuMs(), beat.maxGapPreemptions(),
        qPrintable(beat.worstCause()), beat.maxCpuMs(), qPrintable(beat.maxCpuCause()),
        QThreadPool::globalInstance()->maxThreadCount());
    return images == parallel ? 0 : 1;
}

/**
 * The whole path as the studio runs it: GenerationSession (the Generate
 * page's core) asks Gemini for `months` 4K pictures, two at a time; each
 * answer is parsed, written to the project by a worker, recorded as a
 * candidate, and its month's 4096² master is built and stored off the UI
 * thread. The heartbeat runs throughout.
 */
int runSession(const QString &baseUrl, int months)
{
    QTemporaryDir dir(QDir::currentPath() + QStringLiteral("/bench-session-XXXXXX"));
    auto project = Project::create(dir.filePath(QStringLiteral("bench.calstudio")), ProjectSettings::defaults());
    if (!project) {
        std::printf("cannot create a project: %s\n", qPrintable(project.error().userMessage));
        return 1;
    }
    for (int m = 1; m <= months; ++m) {
        MonthEntry entry = (*project)->month(m);
        entry.prompt = QStringLiteral("A portrait in a garden, month %1").arg(m);
        (void)(*project)->setMonth(entry);
    }
    GenerationSession session(**project, dir.filePath(QStringLiteral("refs")));
    session.setConfigLookup([baseUrl](const QString &) { return configFor(baseUrl); });
    GenerationSession::RunOptions options;
    for (int m = 1; m <= months; ++m)
        options.months.append(m);
    options.candidates = 1;
    options.provider = QStringLiteral("gemini");
    options.side = 4096;

    Heartbeat beat;
    QObject::connect(&session, &GenerationSession::candidateStored, [&beat] { beat.mark(QStringLiteral("candidate row")); });
    QObject::connect(&session, &GenerationSession::masterReady, [&beat] { beat.mark(QStringLiteral("master row")); });
    QEventLoop loop;
    int masters = 0;
    QObject::connect(&session, &GenerationSession::masterReady, &loop, [&] {
        if (++masters == months)
            loop.quit();
    });
    QElapsedTimer wall;
    wall.start();
    beat.begin();
    if (auto ids = session.generate(options); !ids) {
        std::printf("generate failed: %s\n", qPrintable(ids.error().userMessage));
        return 1;
    }
    QTimer::singleShot(600000, &loop, &QEventLoop::quit);
    loop.exec();
    beat.end();
    std::printf("session, %d × Gemini 4096² (2 at a time), stored and mastered: %d masters in %.1f s; UI thread "
                "longest busy stretch %.0f ms (the UI thread itself ran %.1f ms of it; during: %s); longest piece "
                "of UI-thread work %.1f ms (during: %s); p99 timer gap %.1f ms\n",
                months, masters, wall.elapsed() / 1000.0, qMax(0.0, beat.maxGapMs() - kPeriodMs), beat.maxGapCpuMs(),
                qPrintable(beat.worstCause()), beat.maxCpuMs(), qPrintable(beat.maxCpuCause()), beat.p99GapMs());
    return masters == months ? 0 : 1;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("calstudio.*.info=false"));
    const QStringList args = app.arguments();
    if (args.size() < 3
        || (args.at(1) != QLatin1String("ui") && args.at(1) != QLatin1String("memory")
            && args.at(1) != QLatin1String("session"))) {
        std::fprintf(stderr,
            "usage: bench_generation ui BASE_URL [RUNS] | memory BASE_URL [PARALLEL] [PROVIDER] [POOL_THREADS] | "
            "session BASE_URL [MONTHS]\n");
        return 2;
    }
    const QString baseUrl = args.at(2);
    if (args.at(1) == QLatin1String("session"))
        return runSession(baseUrl, args.size() > 3 ? args.at(3).toInt() : 4);
    if (args.at(1) == QLatin1String("ui"))
        return runUi(baseUrl, args.size() > 3 ? args.at(3).toInt() : 5);
    return runMemory(baseUrl, args.size() > 3 ? args.at(3).toInt() : 4,
        args.size() > 4 ? args.at(4) : QStringLiteral("gemini"), args.size() > 5 ? args.at(5).toInt() : 0);
}
