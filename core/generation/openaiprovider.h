#pragma once

#include "core/generation/httpimageprovider.h"

namespace CalStudio {

/**
 * OpenAI GPT image models over `POST /v1/images/edits` (EXTERNAL_APIS.md 3.d):
 * multipart/form-data with one `image[]` part per reference photo, `prompt`,
 * `model`, `size`, `quality=high`, `output_format=png`, and
 * `Authorization: Bearer <key>`. OpenAI has no 4K: the largest size of the
 * model for the wanted aspect is requested and the native size reported
 * (the queue upscales).
 *
 * Error mapping: 401 → InvalidKey; 403 → Permission; 429 insufficient_quota →
 * QuotaExhausted, other 429 → RateLimited after Retry-After (or
 * retry-after-ms, or x-ratelimit-reset-requests); 400 moderation_blocked /
 * content policy → SafetyRefusal; other 4xx → BadRequest; 5xx → Transient.
 */
class OpenAIProvider : public HttpImageProvider {
    Q_OBJECT
public:
    static constexpr auto DefaultBaseUrl = "https://api.openai.com";
    static constexpr auto DefaultModel = "gpt-image-1";

    explicit OpenAIProvider(HttpProviderConfig config, QObject *parent = nullptr);

    [[nodiscard]] QString id() const override { return QStringLiteral("openai"); }
    void generate(const GenerationRequest &request) override;

    /// The `size` field for `model`, aspect "W:H" and wanted size, e.g. "1024x1024" or "2880x2880".
    static QString sizeFor(const QString &model, const QString &aspectRatio, QSize wanted);
    /// Turns a complete HTTP answer into an outcome (thread-safe).
    static Outcome interpret(HttpAnswer &&answer, const QString &model);

private:
    static constexpr int MaxImages = 16;
};

} // namespace CalStudio
