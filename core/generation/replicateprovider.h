#pragma once

#include "core/generation/httpimageprovider.h"

#include <QJsonObject>

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
 * The job steps (polling, the download without the token on other hosts,
 * the deadline and cancellation) are HttpImageProvider's queued-job helpers;
 * this class adds the request, the prediction JSON and the error mapping.
 */
class ReplicateProvider : public HttpImageProvider {
    Q_OBJECT
public:
    static constexpr auto DefaultBaseUrl = "https://api.replicate.com";
    static constexpr auto DefaultModel = "google/nano-banana-pro";
    static constexpr int MaxImages = 14;

    explicit ReplicateProvider(HttpProviderConfig config, QObject *parent = nullptr);

    [[nodiscard]] QString id() const override { return QStringLiteral("replicate"); }
    void generate(const GenerationRequest &request) override;

    /// "1K", "2K" or "4K" for the wanted size's long edge.
    static QString resolutionFor(QSize wanted) { return resolutionTier(wanted); }
    /// The `input` object for `request` (references as data: URIs).
    static QJsonObject inputFor(const GenerationRequest &request);
    /// Error for a non-2xx answer of any Replicate endpoint (thread-safe).
    static GenerationError errorFromStatus(const HttpAnswer &answer);
    /// Error for a prediction that ended `failed`, `canceled` or `aborted`.
    static GenerationError errorFromPrediction(const QJsonObject &prediction);

protected:
    [[nodiscard]] QByteArray authorization() const override;
    [[nodiscard]] GenerationError errorFromAnswer(const HttpAnswer &answer) const override
    {
        return errorFromStatus(answer);
    }
    void cancelRemote() override;
    [[nodiscard]] QString displayName() const override { return QStringLiteral("Replicate"); }

private:
    void handlePrediction(const QJsonObject &prediction);

    QString m_model;
    QString m_predictionId;
    QUrl m_getUrl;
    QUrl m_cancelUrl;
};

} // namespace CalStudio
