#pragma once

#include "core/common/result.h"
#include "core/generation/imageprovider.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace CalStudio {

class JobStore;
class ProjectStore;

/// A job as the UI shows it.
struct QueueJobInfo {
    qint64 id = 0;
    int month = 0;
    QString provider;
    QString state; ///< queued, running, done, failed, refused, cancelled, lost
    int attempts = 0;
    QString lastError;
    QString providerReason; ///< e.g. a safety block's reason, for the "reword" hint
    qint64 runningMs = 0; ///< elapsed while running
    std::optional<GenerationError::Kind> errorKind; ///< of the last failure (known for this session's attempts)
    qint64 seed = 0;
    QDateTime nextAttemptAt; ///< of a queued retry; invalid when it may run at once
};

/**
 * Runs generation requests with per-provider concurrency, retries and
 * persistence.
 *
 * Every job lives in the project's `job` table from the moment it is
 * enqueued, so quitting or a crash loses nothing: on the next start queued
 * jobs resume; a job that was running when the app died is requeued for the
 * offline provider (nothing was billed) and marked "lost" for the paid ones,
 * because the provider may have produced — and billed — an answer nobody
 * received. Finished jobs never run again.
 *
 * Retries: only rate limits and transient errors, with exponential backoff
 * and jitter, never sooner than the provider's Retry-After/retryDelay, up to
 * maxAttempts. Safety refusals, invalid keys, exhausted quotas and bad
 * requests stop at once with the provider's reason.
 *
 * The spend cap pauses the queue when what was spent reaches it.
 * Everything runs on the thread that owns the queue (providers do their own
 * work off it).
 */
class GenerationQueue : public QObject {
    Q_OBJECT
public:
    using ProviderFactory = std::function<std::unique_ptr<ImageProvider>(const QString &provider)>;
    /// Stores a finished image (as a candidate). A failure (disk full) keeps the job for a retry.
    using ResultSink = std::function<Status(const GenerationRequest &request, const GeneratedImage &image)>;
    /**
     * Stores a finished image without blocking: calls `done` (on the queue's
     * thread) once stored. Until then the job stays "running". Replaces the
     * ResultSink when set.
     */
    using AsyncResultSink = std::function<void(const GenerationRequest &request, const GeneratedImage &image,
                                               std::function<void(const Status &)> done)>;
    /// Fills in what is not persisted (the reference images) right before a request is sent.
    using RequestPreparer = std::function<void(GenerationRequest &request)>;

    GenerationQueue(ProjectStore &store, ProviderFactory factory, ResultSink sink, QObject *parent = nullptr);
    ~GenerationQueue() override;

    void setPreparer(RequestPreparer preparer) { m_preparer = std::move(preparer); }
    void setAsyncSink(AsyncResultSink sink) { m_asyncSink = std::move(sink); }
    /// Requests of one provider running at the same time (default 2).
    void setConcurrency(const QString &provider, int slots);
    void setMaxAttempts(int attempts) { m_maxAttempts = qMax(1, attempts); }
    void setBackoff(std::chrono::milliseconds base, std::chrono::milliseconds max);
    /// Stops dispatching once `spent()` reaches this many US dollars (0: no cap).
    void setSpendCap(double usd);
    /// What was already spent (e.g. from the project's candidates) before this queue ran.
    void setSpent(double usd) { m_spent = usd; }
    [[nodiscard]] double spent() const { return m_spent; }

    /// Persists the request (without references) and schedules it. Returns the job id.
    Result<qint64> enqueue(const GenerationRequest &request);
    /// Loads persisted jobs (handling ones interrupted by a crash) and starts dispatching.
    Status start();
    void pause();
    void resume();
    [[nodiscard]] bool isPaused() const { return m_paused; }
    void cancel(qint64 jobId);
    void cancelAll();

    [[nodiscard]] QList<QueueJobInfo> jobs() const;
    [[nodiscard]] int runningCount(const QString &provider = {}) const;
    /// Remaining time from the durations observed so far; empty before anything finished.
    [[nodiscard]] std::optional<std::chrono::seconds> eta() const;

    /// The JSON kept in the job table for a request (references are not persisted).
    static QByteArray requestToJson(const GenerationRequest &request);
    static std::optional<GenerationRequest> requestFromJson(const QByteArray &json);

Q_SIGNALS:
    void jobChanged(qint64 jobId);
    /// Nothing queued or running any more.
    void idle();
    void pausedBySpendCap(double spent, double cap);

private:
    struct Job;
    void dispatch();
    void scheduleNext();
    void onFinished(qint64 jobId, const ImageProvider::Outcome &outcome);
    void onStored(qint64 jobId, const Status &stored, double costUsd, qint64 elapsedMs);
    /// Writes the job's record; false (and written later) while a worker holds the file's write gate.
    bool persist(Job &job);
    /// Writes what persist() postponed; with `wait`, blocks for the gate (shutdown).
    void persistUnsaved(bool wait);
    [[nodiscard]] std::chrono::milliseconds backoffFor(int attempts, std::chrono::milliseconds hint) const;

    std::unique_ptr<JobStore> m_jobs;
    ProviderFactory m_factory;
    ResultSink m_sink;
    AsyncResultSink m_asyncSink;
    RequestPreparer m_preparer;
    QHash<qint64, std::shared_ptr<Job>> m_all;
    QHash<QString, int> m_slots;
    int m_maxAttempts = 5;
    std::chrono::milliseconds m_backoffBase{2000};
    std::chrono::milliseconds m_backoffMax{300000};
    double m_spendCap = 0;
    double m_spent = 0;
    bool m_paused = false;
    bool m_started = false;
    QTimer m_timer;
    QString m_storePath;
    QSet<qint64> m_unsaved; ///< jobs whose latest state is not written yet (the gate was taken)
    QTimer m_gateTimer;
    qint64 m_finishedCount = 0;
    qint64 m_finishedMs = 0;
};

} // namespace CalStudio
