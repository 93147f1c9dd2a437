#include "core/generation/generationqueue.h"

#include "core/generation/generationlogging.h"
#include "core/project/jobstore.h"
#include "core/project/projectstore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QPointer>
#include <QRandomGenerator>

namespace CalStudio {

using namespace std::chrono_literals;

struct GenerationQueue::Job {
    JobRecord record;
    GenerationRequest request;
    std::unique_ptr<ImageProvider> provider; ///< while running
    QElapsedTimer running;
    QString providerReason;
    std::optional<GenerationError::Kind> errorKind; ///< of the last failure, this session only
    bool storing = false; ///< the answer arrived and is being stored
};

namespace {
const QString Queued = QStringLiteral("queued");
const QString Running = QStringLiteral("running");
const QString Done = QStringLiteral("done");
const QString Failed = QStringLiteral("failed");
const QString Refused = QStringLiteral("refused");
const QString Cancelled = QStringLiteral("cancelled");
const QString Lost = QStringLiteral("lost");
constexpr int DefaultSlots = 2;
// How soon a job update postponed by a worker's write (ProjectStore::writeGate) is tried again.
constexpr int GateRetryMs = 30;
} // namespace

GenerationQueue::GenerationQueue(ProjectStore &store, ProviderFactory factory, ResultSink sink, QObject *parent)
    : QObject(parent)
    , m_jobs(std::make_unique<JobStore>(store))
    , m_factory(std::move(factory))
    , m_sink(std::move(sink))
    , m_storePath(store.path())
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &GenerationQueue::dispatch);
    m_gateTimer.setSingleShot(true);
    m_gateTimer.setInterval(GateRetryMs);
    connect(&m_gateTimer, &QTimer::timeout, this, [this] {
        persistUnsaved(false);
        dispatch();
    });
}

GenerationQueue::~GenerationQueue()
{
    persistUnsaved(true);
    // Providers answer through signals; drop them before the jobs they report on.
    for (const auto &job : std::as_const(m_all)) {
        if (job->provider) {
            job->provider->disconnect(this);
            job->provider->cancel();
        }
    }
}

QByteArray GenerationQueue::requestToJson(const GenerationRequest &r)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("month"), r.month},
                                     {QStringLiteral("provider"), r.provider},
                                     {QStringLiteral("model"), r.model},
                                     {QStringLiteral("prompt"), r.promptSent},
                                     {QStringLiteral("style"), r.style},
                                     {QStringLiteral("aspect"), r.aspectRatio},
                                     {QStringLiteral("width"), r.size.width()},
                                     {QStringLiteral("height"), r.size.height()},
                                     {QStringLiteral("seed"), QString::number(r.seed)}})
        .toJson(QJsonDocument::Compact);
}

std::optional<GenerationRequest> GenerationQueue::requestFromJson(const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    if (o.isEmpty() || !o.contains(QStringLiteral("provider")))
        return std::nullopt;
    GenerationRequest r;
    r.month = o.value(QStringLiteral("month")).toInt();
    r.provider = o.value(QStringLiteral("provider")).toString();
    r.model = o.value(QStringLiteral("model")).toString();
    r.promptSent = o.value(QStringLiteral("prompt")).toString();
    r.style = o.value(QStringLiteral("style")).toString();
    r.aspectRatio = o.value(QStringLiteral("aspect")).toString(QStringLiteral("1:1"));
    r.size = QSize(o.value(QStringLiteral("width")).toInt(), o.value(QStringLiteral("height")).toInt());
    r.seed = o.value(QStringLiteral("seed")).toString().toLongLong();
    return r;
}

void GenerationQueue::setConcurrency(const QString &provider, int slots)
{
    m_slots.insert(provider, qMax(1, slots));
    if (m_started)
        dispatch();
}

void GenerationQueue::setBackoff(std::chrono::milliseconds base, std::chrono::milliseconds max)
{
    m_backoffBase = base;
    m_backoffMax = max;
}

void GenerationQueue::setSpendCap(double usd)
{
    m_spendCap = qMax(0.0, usd);
}

Result<qint64> GenerationQueue::enqueue(const GenerationRequest &request)
{
    auto job = std::make_shared<Job>();
    job->request = request;
    job->request.references.clear(); // rebuilt at dispatch; never stored twice
    job->record.kind = QStringLiteral("generate");
    job->record.month = request.month;
    job->record.requestJson = requestToJson(request);
    job->record.state = Queued;
    if (auto st = m_jobs->add(job->record); !st)
        return st.error();
    m_all.insert(job->record.id, job);
    Q_EMIT jobChanged(job->record.id);
    if (m_started)
        dispatch();
    return job->record.id;
}

Status GenerationQueue::start()
{
    auto stored = m_jobs->load({Queued, Running});
    if (!stored)
        return stored.error();
    for (const JobRecord &record : std::as_const(*stored)) {
        if (m_all.contains(record.id))
            continue;
        auto job = std::make_shared<Job>();
        job->record = record;
        const auto request = requestFromJson(record.requestJson);
        if (!request) {
            job->record.state = Failed;
            job->record.lastError = tr("This job could not be read back. Queue the month again.");
            persist(*job);
            continue;
        }
        job->request = *request;
        if (record.state == Running) {
            // The app stopped while this ran. Offline work costs nothing: run it again.
            // A paid provider may have billed an answer that never arrived: say so, don't repeat it.
            if (job->request.provider == QLatin1String("offline")) {
                job->record.state = Queued;
            } else {
                job->record.state = Lost;
                job->record.lastError = tr("Calendar Studio closed while this picture was being made. The "
                                           "provider may have charged for it. Generate the month again if you "
                                           "want it.");
            }
            persist(*job);
        }
        m_all.insert(record.id, job);
        Q_EMIT jobChanged(record.id);
    }
    m_started = true;
    dispatch();
    return Status::success();
}

void GenerationQueue::pause()
{
    m_paused = true;
    m_timer.stop();
}

void GenerationQueue::resume()
{
    m_paused = false;
    dispatch();
}

void GenerationQueue::cancel(qint64 jobId)
{
    const auto job = m_all.value(jobId);
    if (!job)
        return;
    if (job->record.state == Running && job->provider) {
        job->provider->cancel(); // answers with Cancelled through onFinished
        return;
    }
    if (job->record.state == Queued) {
        job->record.state = Cancelled;
        persist(*job);
        Q_EMIT jobChanged(jobId);
        scheduleNext();
    }
}

void GenerationQueue::cancelAll()
{
    const QList<qint64> ids = m_all.keys();
    for (qint64 id : ids)
        cancel(id);
}

int GenerationQueue::runningCount(const QString &provider) const
{
    int n = 0;
    for (const auto &job : m_all) {
        if (job->record.state == Running && (provider.isEmpty() || job->request.provider == provider))
            ++n;
    }
    return n;
}

void GenerationQueue::dispatch()
{
    if (!m_started || m_paused)
        return;
    if (m_spendCap > 0 && m_spent >= m_spendCap) {
        m_paused = true;
        qCInfo(lcGeneration) << "spend cap reached:" << m_spent << "of" << m_spendCap << "USD; queue paused";
        Q_EMIT pausedBySpendCap(m_spent, m_spendCap);
        return;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<std::shared_ptr<Job>> ready;
    for (const auto &job : std::as_const(m_all)) {
        if (job->record.state == Queued && (!job->record.nextAttemptAt.isValid() || job->record.nextAttemptAt <= now))
            ready.append(job);
    }
    std::sort(ready.begin(), ready.end(), [](const auto &a, const auto &b) { return a->record.id < b->record.id; });
    for (const auto &job : std::as_const(ready)) {
        // A provider that answers at once re-enters dispatch(); skip what that already started.
        if (job->record.state != Queued)
            continue;
        const QString provider = job->request.provider;
        if (runningCount(provider) >= m_slots.value(provider, DefaultSlots))
            continue;
        job->provider = m_factory(provider);
        if (!job->provider) {
            job->record.state = Failed;
            job->record.lastError = tr("“%1” is not available. Choose another image service.").arg(provider);
            persist(*job);
            Q_EMIT jobChanged(job->record.id);
            continue;
        }
        GenerationRequest request = job->request;
        if (m_preparer)
            m_preparer(request);
        job->record.state = Running;
        ++job->record.attempts;
        const QDateTime nextAttemptAt = std::exchange(job->record.nextAttemptAt, QDateTime());
        // Recorded before the request leaves: a crash from here on is a "running" job on restart.
        if (!persist(*job)) {
            // The file is busy with a picture being stored: send this one when the record is written.
            job->record.state = Queued;
            --job->record.attempts;
            job->record.nextAttemptAt = nextAttemptAt;
            m_unsaved.remove(job->record.id);
            job->provider.reset();
            break;
        }
        job->running.start();
        const qint64 id = job->record.id;
        connect(job->provider.get(), &ImageProvider::finished, this,
                [this, id](const ImageProvider::Outcome &outcome) { onFinished(id, outcome); });
        Q_EMIT jobChanged(id);
        job->provider->generate(request);
    }
    scheduleNext();
}

void GenerationQueue::scheduleNext()
{
    QDateTime earliest;
    bool active = false;
    for (const auto &job : std::as_const(m_all)) {
        if (job->record.state == Running)
            active = true;
        if (job->record.state != Queued)
            continue;
        active = true;
        const QDateTime at = job->record.nextAttemptAt;
        if (at.isValid() && (!earliest.isValid() || at < earliest))
            earliest = at;
    }
    if (!active) {
        Q_EMIT idle();
        return;
    }
    if (earliest.isValid() && !m_paused) {
        const qint64 ms = qMax<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(earliest));
        m_timer.start(int(qMin<qint64>(ms, std::numeric_limits<int>::max())));
    }
}

std::chrono::milliseconds GenerationQueue::backoffFor(int attempts, std::chrono::milliseconds hint) const
{
    // Exponential with full jitter on top half, never sooner than the provider asked.
    const qint64 exp = m_backoffBase.count() << qMin(attempts - 1, 16);
    const qint64 capped = qMin<qint64>(exp, m_backoffMax.count());
    const qint64 jittered = capped / 2 + qint64(QRandomGenerator::global()->bounded(double(capped / 2 + 1)));
    return std::chrono::milliseconds(qMax<qint64>(jittered, hint.count()));
}

void GenerationQueue::onFinished(qint64 jobId, const ImageProvider::Outcome &outcome)
{
    const auto job = m_all.value(jobId);
    if (!job || job->record.state != Running)
        return;
    const qint64 elapsed = job->running.elapsed();
    std::unique_ptr<ImageProvider> provider = std::move(job->provider);
    provider->disconnect(this);
    provider.release()->deleteLater(); // it is still inside its own signal

    if (const auto *image = std::get_if<GeneratedImage>(&outcome)) {
        if (m_asyncSink) {
            // Stays "running" while the picture is stored off this thread; a crash meanwhile makes it "lost".
            job->storing = true;
            const double cost = image->costUsd;
            QPointer<GenerationQueue> self(this);
            m_asyncSink(job->request, *image, [self, jobId, cost, elapsed](const Status &st) {
                if (self)
                    self->onStored(jobId, st, cost, elapsed);
            });
            return;
        }
        onStored(jobId, m_sink(job->request, *image), image->costUsd, elapsed);
        return;
    } else {
        const auto &error = std::get<GenerationError>(outcome);
        job->record.lastError = error.message;
        job->providerReason = error.providerReason;
        job->errorKind = error.kind;
        if (error.retryable() && job->record.attempts < m_maxAttempts) {
            job->record.state = Queued;
            job->record.nextAttemptAt =
                QDateTime::currentDateTimeUtc().addMSecs(backoffFor(job->record.attempts, error.retryAfter).count());
        } else {
            switch (error.kind) {
            case GenerationError::Kind::SafetyRefusal:
                job->record.state = Refused;
                break;
            case GenerationError::Kind::Cancelled:
                job->record.state = Cancelled;
                break;
            case GenerationError::Kind::ResponseLost:
                job->record.state = Lost;
                break;
            default:
                job->record.state = Failed;
                break;
            }
        }
        qCInfo(lcGeneration) << "job" << jobId << "month" << job->request.month << "ended:" << job->record.state
                             << error.providerReason;
    }
    persist(*job);
    Q_EMIT jobChanged(jobId);
    dispatch();
}

void GenerationQueue::onStored(qint64 jobId, const Status &stored, double costUsd, qint64 elapsedMs)
{
    const auto job = m_all.value(jobId);
    if (!job || job->record.state != Running)
        return;
    job->storing = false;
    if (!stored) {
        // Could not store (disk full…): keep the job and try again later; the image is regenerated.
        job->record.state = Queued;
        job->record.lastError = stored.error().userMessage;
        job->record.nextAttemptAt = QDateTime::currentDateTimeUtc().addMSecs(backoffFor(job->record.attempts, 0ms).count());
    } else {
        job->record.state = Done;
        job->record.lastError.clear();
        m_spent += costUsd;
        ++m_finishedCount;
        m_finishedMs += elapsedMs;
    }
    persist(*job);
    Q_EMIT jobChanged(jobId);
    dispatch();
}

bool GenerationQueue::persist(Job &job)
{
    // A worker storing a picture holds the file's write lock for a few hundred ms: rather than wait for it
    // on this (the UI) thread, remember the job and write it as soon as the gate is free.
    QMutex &gate = ProjectStore::writeGate(m_storePath);
    if (!gate.tryLock()) {
        m_unsaved.insert(job.record.id);
        m_gateTimer.start();
        return false;
    }
    m_unsaved.remove(job.record.id);
    const Status st = m_jobs->update(job.record);
    gate.unlock();
    if (!st)
        qCWarning(lcGeneration) << "could not save job" << job.record.id << st.error();
    return true;
}

void GenerationQueue::persistUnsaved(bool wait)
{
    const QList<qint64> ids(m_unsaved.begin(), m_unsaved.end());
    for (qint64 id : ids) {
        const auto job = m_all.value(id);
        if (!job) {
            m_unsaved.remove(id);
            continue;
        }
        if (wait) {
            const QMutexLocker gate(&ProjectStore::writeGate(m_storePath));
            if (auto st = m_jobs->update(job->record); !st)
                qCWarning(lcGeneration) << "could not save job" << id << st.error();
            m_unsaved.remove(id);
        } else if (!persist(*job)) {
            return;
        }
    }
}

QList<QueueJobInfo> GenerationQueue::jobs() const
{
    QList<QueueJobInfo> list;
    for (const auto &job : m_all) {
        list.append(QueueJobInfo{job->record.id, job->request.month, job->request.provider, job->record.state,
                                 job->record.attempts, job->record.lastError, job->providerReason,
                                 job->record.state == Running ? job->running.elapsed() : 0, job->errorKind,
                                 job->request.seed, job->record.nextAttemptAt});
    }
    std::sort(list.begin(), list.end(), [](const QueueJobInfo &a, const QueueJobInfo &b) { return a.id < b.id; });
    return list;
}

std::optional<std::chrono::seconds> GenerationQueue::eta() const
{
    if (m_finishedCount == 0)
        return std::nullopt;
    const double average = double(m_finishedMs) / double(m_finishedCount);
    int remaining = 0;
    for (const auto &job : m_all)
        remaining += (job->record.state == Queued || job->record.state == Running) ? 1 : 0;
    int slots = 0;
    for (int s : m_slots)
        slots = qMax(slots, s);
    slots = qMax(slots, DefaultSlots);
    return std::chrono::seconds(qint64(average * remaining / slots / 1000.0 + 0.5));
}

} // namespace CalStudio
