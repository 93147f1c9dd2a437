#pragma once

#include "core/common/result.h"
#include "core/companion/stripeform.h"

#include <QJsonObject>
#include <QString>
#include <QUrl>

#include <chrono>
#include <functional>
#include <optional>

namespace CalStudio {

/**
 * The fields of a Stripe Checkout Session the companion uses
 * (EXTERNAL_APIS.md 2.3). Missing or null fields stay empty / 0.
 */
struct StripeSession {
    QString id; ///< "cs_…"
    QString status; ///< "open" | "complete" | "expired"
    QString paymentStatus; ///< "paid" | "unpaid" | "no_payment_required"
    QString currency; ///< lower-case ISO code, "usd"
    QString url; ///< the hosted checkout page; empty once complete or expired
    QString clientReferenceId;
    QString paymentIntent; ///< "pi_…" (also when expanded to an object); empty while open
    qint64 amountTotal = 0; ///< minor units
    qint64 amountSubtotal = 0;
    qint64 amountShipping = 0; ///< total_details.amount_shipping, else shipping_cost.amount_total
    qint64 created = 0; ///< unix seconds
    qint64 expiresAt = 0;
    QJsonObject metadata;
    QJsonObject customerDetails; ///< customer_details {email, name, phone, address{…}}
    /// collected_information.shipping_details (API ≥ 2025-03-31.basil), else the top-level shipping_details
    /// of older versions: {name, address{line1, line2, city, state, postal_code, country}}.
    QJsonObject shippingDetails;
    QJsonObject raw; ///< the whole object as received

    /// Reads a session object; error "stripe_bad_response" when `object` is not "checkout.session" or `id` is
    /// missing.
    static Result<StripeSession> fromJson(const QJsonObject &json);
};

/**
 * A synchronous client for the few Stripe endpoints the companion needs:
 * Checkout Sessions create / retrieve / expire and refunds
 * (EXTERNAL_APIS.md 2.1–2.7).
 *
 * Threading: every call BLOCKS its calling thread. It creates its own
 * QNetworkAccessManager on that thread and waits for the answer in a local
 * QEventLoop bounded by a timer, so it works on any thread that may block —
 * the server calls it from its QThreadPool workers. The instance keeps no
 * state between calls (only its Options), so one instance may be shared by
 * several threads. Do not call it on a thread whose other events must not
 * run in between (the local event loop delivers that thread's events while
 * waiting); in the server, never on the main thread.
 *
 * Wire: `Authorization: Bearer <secret key>`, `Stripe-Version` (when
 * configured), `User-Agent: calstudio-companion/<version>`, and on every POST
 * `Content-Type: application/x-www-form-urlencoded` and an
 * `Idempotency-Key` (the caller's; a random UUID when the caller passes
 * none). Redirects are never followed (the key would travel with them).
 * `apiBase` is the origin, `https://api.stripe.com` when empty; a base that
 * already ends in `/v1` is accepted too (it is not doubled). Session and
 * payment-intent ids must be Stripe ids (ASCII letters, digits, '_');
 * anything else is refused as "stripe_invalid_request" without a request,
 * so no id can change the URL path.
 *
 * Retries, up to `maxAttempts` tries in all, always with the SAME
 * idempotency key: transport failures (connection refused or dropped),
 * timeouts (`timeout` per try), 429, 5xx and 409 `idempotency_key_in_use`
 * — for GETs the same way. The pause before try n+1 is
 * `initialBackoff × 2^(n−1)`, capped at `maxBackoff`, times a random
 * jitter factor in [0.5, 1], and never shorter than the answer's
 * `Retry-After`. A `Retry-After` longer than `maxBackoff`, or
 * `Stripe-Should-Retry: false`, ends the retries at once. Other 4xx are
 * never retried. (Within one try QNetworkAccessManager may itself re-send a
 * request whose connection closed before any answer; harmless here, since
 * Stripe deduplicates by the idempotency key.) A call takes at most about
 * maxAttempts × timeout plus the pauses.
 *
 * Error codes: "stripe_unreachable" (no HTTP answer after the retries:
 * refused, dropped, timed out), "stripe_auth" (401/403, or no secret key
 * configured), "stripe_invalid_request" (400 and other 4xx; the detail
 * carries Stripe's type, code, param, message and the Request-Id),
 * "stripe_idempotency" (400 `idempotency_error`, or 409 after the retries),
 * "stripe_not_found" (404), "stripe_rate_limited" (429 after the retries),
 * "stripe_server_error" (5xx after the retries), "stripe_bad_response"
 * (a 2xx that is not the expected JSON object, or a redirect).
 *
 * Secrets: the secret key and the Authorization value never appear in an
 * Error or a log line; anything Stripe echoes back is passed through
 * redact() (Stripe masks the key in its 401 message; a fake may not).
 * Logs (category `calstudio.companion.stripe`) carry method, path, status,
 * attempt, delay and Request-Id only — no bodies, no headers.
 */
class StripeClient {
public:
    struct Options {
        QUrl apiBase; ///< empty = https://api.stripe.com
        QString secretKey; ///< sk_live_… / sk_test_… (or a restricted rk_…)
        QString apiVersion; ///< sent as Stripe-Version when not empty, e.g. "2026-03-25.dahlia"
        std::chrono::milliseconds timeout { 20000 }; ///< per try
        int maxAttempts = 3; ///< tries in all (≥ 1)
        std::chrono::milliseconds initialBackoff { 500 };
        /// Longest pause between tries; a Retry-After beyond it ends the retries.
        std::chrono::milliseconds maxBackoff { 30000 };
        /// The version in User-Agent; empty = QCoreApplication::applicationVersion(), else "0".
        QString version;
        /// How a pause between tries is waited; empty = a local event loop with a timer. Tests record the pauses.
        std::function<void(std::chrono::milliseconds)> sleep;
    };

    explicit StripeClient(Options options);

    /// POST /v1/checkout/sessions with `form` as the body.
    Result<StripeSession> createCheckoutSession(const StripeForm &form, const QString &idempotencyKey);
    /// GET /v1/checkout/sessions/{id}.
    Result<StripeSession> retrieveCheckoutSession(const QString &sessionId);
    /// POST /v1/checkout/sessions/{id}/expire (only an open session; Stripe answers 400 otherwise).
    Result<StripeSession> expireCheckoutSession(const QString &sessionId, const QString &idempotencyKey);
    /// POST /v1/refunds with payment_intent (and amount when given, minor units); returns the Refund object.
    Result<QJsonObject> createRefund(
        const QString &paymentIntent, const QString &idempotencyKey, std::optional<qint64> amount = {});

    /// A request to any path under the API base ("/v1/…"), with the retries and error mapping above. A POST
    /// sends `form` as its body and the idempotency key; other methods (GET, DELETE) send neither.
    Result<QJsonObject> request(
        const QByteArray &method, const QString &path, const StripeForm &form = {}, const QString &idempotencyKey = {});

    [[nodiscard]] const Options &options() const { return m_options; }
    /// The User-Agent sent: "calstudio-companion/<version>".
    [[nodiscard]] QByteArray userAgent() const;
    /// `text` with `secretKey` and anything shaped like a Stripe secret or restricted key (sk_/rk_ live/test)
    /// masked to its last four characters.
    static QString redact(const QString &text, const QString &secretKey);

private:
    [[nodiscard]] QUrl endpoint(const QString &path) const;

    Options m_options;
};

} // namespace CalStudio
