#pragma once

#include <QByteArray>

namespace CalStudio {

/**
 * Printify webhook signatures (`X-Pfy-Signature`), as EXTERNAL_APIS.md 1.10
 * describes them.
 *
 * The signature is the hex HMAC-SHA256 of the raw request body — the exact
 * bytes received, before any JSON parsing — keyed with the webhook secret's
 * UTF-8 bytes (the secret given to Printify when the webhook was created).
 * The header is `sha256=<64 hex digits>`; the `sha256=` prefix is optional
 * (case-insensitive), whitespace around the value is ignored, and the hex
 * may be upper- or lower-case (it names the same bytes). Anything else —
 * another length, a non-hex digit, another prefix — does not verify.
 *
 * The comparison is constant-time (StripeSignature::constantTimeEquals).
 * There is no timestamp in the scheme, so there is no replay window: the
 * caller deduplicates on the event's `id`.
 *
 * Stateless and thread-safe.
 */
class PrintifySignature {
public:
    /// Whether `headerValue` (the `X-Pfy-Signature` value) signs `rawBody` under `secret`. False for an empty
    /// secret (nothing can be verified), an empty or malformed header, a tampered body or another secret.
    static bool verify(const QByteArray &headerValue, const QByteArray &rawBody, const QByteArray &secret);
    /// Lower-case hex HMAC-SHA256(secret, rawBody): 64 characters.
    static QByteArray signature(const QByteArray &rawBody, const QByteArray &secret);
    /// The whole header value "sha256=<lower-case hex>" (for the sandbox and tests).
    static QByteArray header(const QByteArray &rawBody, const QByteArray &secret);
};

} // namespace CalStudio
