#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace CalStudio {

/**
 * Stripe webhook signatures (`Stripe-Signature`), exactly as
 * EXTERNAL_APIS.md 2.8 and Stripe's own SDKs check them.
 *
 * The header is `t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=<hex>]`. It is
 * split on ',' and each item on its first '='; `t` and every `v1` are kept,
 * `v0` and unknown schemes are ignored. The signed payload is
 * `t + "." + rawBody` — the exact bytes received, before any JSON parsing —
 * and a `v1` is lower-case hex HMAC-SHA256 of it, keyed with the whole
 * endpoint secret string including its `whsec_` prefix. The header is valid
 * when any `v1` equals the signature under any configured secret (several
 * during a secret roll) and `|now − t| ≤ tolerance` (future timestamps count
 * too). Signatures are compared in constant time: lengths first, then every
 * byte without an early exit.
 *
 * Order of the checks, so the first failing one is reported: no secret →
 * NoSecretConfigured; empty header → MissingHeader; an item without '=',
 * no `t`, two `t`, or a `t` that is not a plain decimal number →
 * MalformedHeader; no `v1` → NoV1Signature; no `v1` matches → Mismatch;
 * then the timestamp → TimestampOutsideTolerance (as Stripe's SDKs do:
 * a stale but genuine event is told apart from a forged one).
 *
 * Stateless and thread-safe.
 */
class StripeSignature {
public:
    enum class Verdict {
        Valid,
        MissingHeader, ///< no or empty `Stripe-Signature`
        MalformedHeader, ///< no `t`, several `t`, non-numeric `t`, or an item without '='
        NoV1Signature, ///< no `v1` item (only `v0` or unknown schemes)
        TimestampOutsideTolerance, ///< a matching signature, but `t` is more than the tolerance away from now
        Mismatch, ///< no `v1` matches any configured secret (tampered body, wrong secret)
        NoSecretConfigured, ///< `secrets` is empty (or holds only empty strings): nothing can be verified
    };

    /// Stripe SDKs' default tolerance between `t` and now.
    static constexpr int DefaultToleranceSeconds = 300;

    /// Checks `header` (the `Stripe-Signature` value) over `rawBody` against every non-empty secret.
    static Verdict verify(const QByteArray &header, const QByteArray &rawBody, const QList<QByteArray> &secrets,
        qint64 nowSeconds, int toleranceSeconds = DefaultToleranceSeconds);
    /// The `v1` signature: lower-case hex HMAC-SHA256(secret, "<timestamp>." + rawBody).
    static QByteArray signature(const QByteArray &rawBody, const QByteArray &secret, qint64 timestamp);
    /// A whole header "t=…,v1=…[,v1=…]" with one `v1` per secret, in order (for tools, tests and the sandbox).
    static QByteArray header(const QByteArray &rawBody, const QList<QByteArray> &secrets, qint64 timestamp);
    /// A short English description of a verdict for logs ("signature mismatch"); never contains secrets.
    static QString describe(Verdict verdict);
    /// Constant-time equality of two byte strings (lengths compared first; no early exit on content).
    static bool constantTimeEquals(const QByteArray &a, const QByteArray &b);
};

} // namespace CalStudio
