#pragma once

#include "core/generation/httpimageprovider.h"

#include <QJsonObject>

namespace CalStudio {

/**
 * fal.ai queue API (EXTERNAL_APIS.md 3.c), four steps per call:
 *
 * 1. submit: `POST {base}/{model_id}` (base `https://queue.fal.run`) with
 *    `Authorization: Key <key>` and the model input as the body, one-shot
 *    (HttpOneShotBody: a dropped connection is ResponseLost, never re-sent);
 *    the answer carries `request_id`, `status_url`, `response_url`, `cancel_url`;
 * 2. poll `status_url` every pollInterval() while `IN_QUEUE`/`IN_PROGRESS`;
 * 3. on `COMPLETED` (or `FAILED`/`CANCELED`), GET `response_url`: the model output;
 * 4. download `images[0].url`. The key is sent only to the API's origin.
 *
 * The returned URLs are used (the subpath rule: status/result/cancel drop
 * the model's subpath). When one points to another origin, it is rebuilt by
 * the rule (`{owner}/{app}/requests/{id}[/status|/cancel]`) so the key never
 * leaves the API host.
 *
 * Default model: `fal-ai/nano-banana-pro/edit` (references as `data:` URIs in
 * `image_urls`, `resolution` 1K/2K/4K, 4K native). Inputs sent: `prompt`,
 * `image_urls`, `aspect_ratio`, `resolution`, `num_images=1`, `output_format=png`.
 *
 * Error mapping: 401 → InvalidKey; 403 → Permission; 402 or an "exhausted
 * balance"/"locked" detail → QuotaExhausted; 429 → RateLimited (Retry-After);
 * a content-policy/NSFW detail, or `has_nsfw_concepts:[true]` → SafetyRefusal;
 * other 4xx (FastAPI `detail[]`) → BadRequest; 5xx/408/network before sending →
 * Transient; submit sent but no answer → ResponseLost; polls failing 3 times
 * in a row or a failed download → ResponseLost; deadline → Transient (and a
 * best-effort cancel); cancel() → best-effort `PUT …/cancel`, then Cancelled.
 *
 * The job steps (polling, result fetch, the download without the key on other
 * hosts, the deadline and cancellation) are HttpImageProvider's queued-job
 * helpers; this class adds the request, the queue JSON and the error mapping.
 */
class FalProvider : public HttpImageProvider {
    Q_OBJECT
public:
    static constexpr auto DefaultBaseUrl = "https://queue.fal.run";
    static constexpr auto DefaultModel = "fal-ai/nano-banana-pro/edit";
    static constexpr int MaxImages = 14;

    explicit FalProvider(HttpProviderConfig config, QObject *parent = nullptr);

    [[nodiscard]] QString id() const override { return QStringLiteral("fal"); }
    void generate(const GenerationRequest &request) override;

    /// The model input for `request` (references as data: URIs).
    static QJsonObject inputFor(const GenerationRequest &request);
    /// `owner/app` of a model id: the path status/result/cancel use (subpath dropped).
    static QString appIdOf(const QString &model);
    /// Error for a non-2xx answer of any fal endpoint.
    static GenerationError errorFromStatus(const HttpAnswer &answer);

protected:
    [[nodiscard]] QByteArray authorization() const override;
    [[nodiscard]] GenerationError errorFromAnswer(const HttpAnswer &answer) const override
    {
        return errorFromStatus(answer);
    }
    void cancelRemote() override;
    [[nodiscard]] QString displayName() const override { return QStringLiteral("fal.ai"); }

private:
    void handleSubmitted(const QJsonObject &answer);
    void handleStatus(const QJsonObject &status);
    void handleResult(const QJsonObject &result);

    QString m_model;
    QString m_requestId;
    QUrl m_statusUrl;
    QUrl m_responseUrl;
    QUrl m_cancelUrl;
};

} // namespace CalStudio
