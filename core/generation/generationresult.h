#pragma once

#include <QByteArray>
#include <QSize>
#include <QString>

#include <chrono>

namespace CalStudio {

/// What went wrong with a generation call, typed so the queue knows what to do next.
struct GenerationError {
    enum class Kind {
        InvalidKey, ///< the key is wrong: ask for a new key, do not retry
        Permission, ///< the key may not use this model/API
        QuotaExhausted, ///< billing/quota used up: do not retry
        RateLimited, ///< retry after `retryAfter`
        SafetyRefusal, ///< the provider refused (reason in `providerReason`): do not retry automatically, suggest rewording
        BadRequest, ///< our request was wrong (unsupported size, bad field)
        Transient, ///< 5xx, network error, timeout: retry with backoff
        Cancelled,
        ResponseLost, ///< the request may have run (and been billed) but the answer never arrived
    };
    Kind kind = Kind::Transient;
    QString message; ///< for the user
    QString providerReason; ///< provider's code/reason text (e.g. "IMAGE_SAFETY"), never secrets
    std::chrono::milliseconds retryAfter{0};
    int httpStatus = 0;

    /// Whether the queue may try again by itself.
    [[nodiscard]] bool retryable() const
    {
        return kind == Kind::RateLimited || kind == Kind::Transient;
    }
};

/// A generated image as the provider returned it.
struct GeneratedImage {
    QByteArray bytes; ///< PNG or JPEG as received
    QString mimeType;
    QSize nativeSize;
    QString model; ///< what the provider says it used
    QString note; ///< e.g. the model's text part, or "Offline draft — not AI"
    double costUsd = 0; ///< estimate from the price table
};

} // namespace CalStudio
