#pragma once

#include "core/generation/httpimageprovider.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>

class QNetworkAccessManager;
class QNetworkReply;

namespace CalStudio {

/**
 * Replicate predictions API (EXTERNAL_APIS.md 3.b), three steps per call:
 *
 * 1. submit: `POST /v1/models/{owner}/{name}/predictions` (a model id with a
 *    `:version` goes to `POST /v1/predictions` with `"version"`), with
 *    `Authorization: Bearer <token>` and `Prefer: wait=N` (N ≤ 60 and within
 *    the call's deadline). The body is one-shot (HttpOneShotBody), so a dropped
 *    connection is reported as ResponseLost and never silently re-sent (billed twice);
 * 2. poll `urls.get` (or `/v1/predictions/{id}`) every pollInterval() while the
 *    status is `starting`/`processing`, until `succeeded`/`failed`/`canceled`/`aborted`;
 * 3. download `output` (a URL, or the first of a list). The token is sent with
 *    the download only when the URL has the API's origin (scheme, host, port).
 *
 * Default model: `google/nano-banana-pro` (the representative identity model:
 * `image_input` up to 14 references as `data:` URIs, `resolution` 1K/2K/4K,
 * 4K native, output a single URI string). Inputs sent: `prompt`,
 * `image_input`, `aspect_ratio`, `resolution`, `output_format=png`,
 * `safety_filter_level=block_only_high`.
 *
 * Error mapping: 401 → InvalidKey; 403 → Permission; 402 or an
 * "insufficient credit" detail → QuotaExhausted; 429 → RateLimited (Retry-After,
 * else "available in N seconds"); 400/404/422 → BadRequest; 5xx/408/network
 * before sending → Transient; submit sent but no answer → ResponseLost;
 * status `failed` with an NSFW/safety error → SafetyRefusal (providerReason =
 * the error text); other `failed`, `canceled`, `aborted` → Transient; polls
 * failing 3 times in a row or a failed download → ResponseLost (the prediction
 * ran and is billed); deadline → Transient (and a best-effort cancel);
 * cancel() → best-effort `POST …/cancel`, then Cancelled.
 *
 * Note: the steps after the submit are GETs, which HttpImageProvider does not
 * offer yet, so this class drives its own replies, deadline and busy state and
 * only shares the base's configuration and helpers. isBusy() hides the base's.
 */
class ReplicateProvider : public HttpImageProvider {
    Q_OBJECT
public:
    static constexpr auto DefaultBaseUrl = "https://api.replicate.com";
    static constexpr auto DefaultModel = "google/nano-banana-pro";
    static constexpr int MaxImages = 14;

    explicit ReplicateProvider(HttpProviderConfig config, QObject *parent = nullptr);
    ~ReplicateProvider() override;

    [[nodiscard]] QString id() const override { return QStringLiteral("replicate"); }
    void generate(const GenerationRequest &request) override;
    void cancel() override;

    /// Whether a call is running (generate() called and finished() not yet emitted).
    [[nodiscard]] bool isBusy() const { return m_active; }
    /// Pause between polls (default 1 s).
    void setPollInterval(std::chrono::milliseconds interval) { m_pollInterval = interval; }
    [[nodiscard]] std::chrono::milliseconds pollInterval() const { return m_pollInterval; }

    /// "1K", "2K" or "4K" for the wanted size's long edge.
    static QString resolutionFor(QSize wanted);
    /// The `input` object for `request` (references as data: URIs).
    static QJsonObject inputFor(const GenerationRequest &request);
    /// Error for a non-2xx answer of any Replicate endpoint (thread-safe).
    static GenerationError errorFromStatus(const HttpAnswer &answer);
    /// Error for a prediction that ended `failed`, `canceled` or `aborted`.
    static GenerationError errorFromPrediction(const QJsonObject &prediction);

private:
    enum class Step { Submit, Poll, Download };

    void issue(QNetworkReply *reply, Step step);
    void onReplyFinished();
    void handlePrediction(const QJsonObject &prediction);
    void poll();
    void download(const QUrl &url);
    void onDeadline();
    void cancelRemote();
    void finish(const Outcome &outcome);
    void answerSoon(const GenerationError &error);
    [[nodiscard]] bool sameOriginAsApi(const QUrl &url) const;
    QNetworkAccessManager *manager();

    QNetworkAccessManager *m_manager = nullptr;
    QPointer<QNetworkReply> m_reply;
    Step m_step = Step::Submit;
    QTimer m_deadline;
    QTimer m_pollTimer;
    QElapsedTimer m_elapsed;
    std::chrono::milliseconds m_pollInterval{1000};
    QString m_model;
    QString m_predictionId;
    QUrl m_getUrl;
    QUrl m_cancelUrl;
    quint64 m_call = 0;
    int m_pollFailures = 0;
    bool m_active = false;
    bool m_cancelled = false;
    bool m_timedOut = false;
    bool m_requestSent = false;
};

} // namespace CalStudio
