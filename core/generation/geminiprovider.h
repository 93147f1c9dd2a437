#pragma once

#include "core/generation/httpimageprovider.h"

namespace CalStudio {

/**
 * Google Gemini image models over `POST /v1beta/models/{model}:generateContent`
 * (EXTERNAL_APIS.md 3.a). The prompt and the reference photos (inline_data,
 * base64 JPEG) go in one user turn; `generationConfig.imageConfig` carries the
 * aspect ratio and the size tier (1K/2K/4K from GenerationRequest::size, not
 * sent to the 1K-only models). The answer's last non-thought inlineData part is
 * the image.
 *
 * Error mapping: 400 API_KEY_INVALID and 401 → InvalidKey; 403 and 400
 * FAILED_PRECONDITION → Permission; 429 with a per-day QuotaFailure (or a
 * limit of 0) → QuotaExhausted, other 429 → RateLimited after
 * RetryInfo.retryDelay; promptFeedback.blockReason and the IMAGE_SAFETY family of
 * finish reasons → SafetyRefusal; an answer without an image (NO_IMAGE, a
 * plain text reply) → BadRequest with "the model answered without an image";
 * other 4xx → BadRequest; 5xx → Transient.
 */
class GeminiProvider : public HttpImageProvider {
    Q_OBJECT
public:
    static constexpr auto DefaultBaseUrl = "https://generativelanguage.googleapis.com";
    static constexpr auto DefaultModel = "gemini-3-pro-image";

    explicit GeminiProvider(HttpProviderConfig config, QObject *parent = nullptr);

    [[nodiscard]] QString id() const override { return QStringLiteral("gemini"); }
    void generate(const GenerationRequest &request) override;

    /// The size tier for a wanted size: "1K", "2K" or "4K"; empty for models with a single size.
    static QString imageSizeFor(const QString &model, QSize wanted);
    /// Most reference images `model` accepts in one request.
    static int maxReferenceImages(const QString &model);
    /// The request body (public for tests and the CLI's --dry-run).
    static QByteArray requestBody(const GenerationRequest &request);
    /// Turns a complete HTTP answer into an outcome (thread-safe).
    static Outcome interpret(HttpAnswer &&answer, const QString &requestedModel);
};

} // namespace CalStudio
