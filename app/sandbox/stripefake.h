#pragma once

#include "app/sandbox/sandboxtypes.h"
#include "app/sandbox/stripecheckoutsession.h"
#include "app/sandbox/stripewebhooksender.h"

#include <QHash>
#include <QJsonObject>
#include <QUrl>

#include <optional>

namespace CalStudio {

class FaultPlan;

/**
 * Fake of the Stripe subset the companion server uses (EXTERNAL_APIS.md 2 and
 * 4.2), at the wire level. Never touches sockets: SandboxServer routes to
 * handle() and delivers the SandboxReply; webhooks go out through a
 * StripeWebhookSender.
 *
 * API (form-encoded bodies with bracket/array notation, JSON answers, a
 * `Request-Id: req_…` header on every answer, `Stripe-Version` honoured with
 * `2026-03-25.dahlia` as the account default):
 *
 * - `POST /v1/checkout/sessions` → the Session object (2.3), `status:"open"`,
 *   `url` = `<sandbox>/c/pay/<id>` (hosted) or `client_secret` (embedded);
 *   validation as in 2.2 (`ui_mode` values by version, `success_url` or
 *   `return_url`, `client_reference_id` ≤ 200, metadata limits, `expires_at`
 *   30 min–24 h, unknown parameters refused);
 * - `GET /v1/checkout/sessions` (`limit`, `payment_intent`),
 *   `GET /v1/checkout/sessions/{id}` (`expand[]` of `line_items`,
 *   `payment_intent`, `shipping_cost.shipping_rate`),
 *   `GET /v1/checkout/sessions/{id}/line_items` (`limit`);
 * - `POST /v1/checkout/sessions/{id}/expire` (400 unless open; fires
 *   `checkout.session.expired`);
 * - `POST /v1/refunds` (`payment_intent` or `charge`, optional `amount`,
 *   `reason`, `metadata`; fires `charge.refunded` then `refund.created`),
 *   `GET /v1/refunds/{id}`, `GET /v1/payment_intents/{id}`.
 *
 * Auth comes first: `Authorization: Bearer <key>` or Basic with the key as
 * user name (`curl -u sk_test_sandbox:`); a wrong key gets 401 with the key
 * masked. Idempotency as Stripe v1 (2.5): POSTs with `Idempotency-Key` (≤ 255
 * characters) save status and body per API key for 24 h once the endpoint
 * executed (2xx and 500s; not validation errors, 401, 429); a retry replays them
 * with `Idempotent-Replayed: true` and `Original-Request`; the same key on
 * another endpoint or with other parameters (compared decoded, so order and
 * encoding do not matter) → 400 `idempotency_error`; while the first request
 * is still in flight (held by a `slow` fault) → 409 `idempotency_key_in_use`.
 * Sessions past `expires_at` expire when next touched.
 *
 * Faults (FaultPlan api "stripe", taken by each `/v1/…` request): invalid-key
 * (401), rate-limit (429 `rate_limit` with `Retry-After: 1`),
 * rate-limit-no-hint (429 without it), lock-timeout (429 `lock_timeout`),
 * server-error (500 `api_error`, saved under the idempotency key like a real
 * 500), unavailable (503 `api_error`), html-502 (a proxy's HTML page), slow
 * (the request executes at once but the answer is held for the fault's delay:
 * the idempotency key stays in flight until it is sent) and drop (executes,
 * then the connection is closed without an answer).
 *
 * Hosted page (StripeCheckoutPage): `GET /c/pay/{id}`, `POST /c/pay/{id}`
 * (`action=pay` completes the session, fires `checkout.session.completed` and
 * answers 303 to success_url with `{CHECKOUT_SESSION_ID}` replaced;
 * `action=decline` shows "Your card was declined." and leaves it open) and
 * `GET /c/pay/{id}/3ds` (the 3-D Secure popup).
 *
 * Control API under `/_sandbox/stripe` (JSON bodies; answers JSON, errors
 * `{"error":"…"}` with 400/404):
 *
 * - `POST /webhook` `{"url","secret","api_version"?}` or
 *   `{"endpoints":[{"url","secret"}…],"api_version"?}` sets the webhook
 *   endpoints (replacing them; an empty url clears); `GET` shows them
 *   (secrets not echoed), `DELETE` clears. `api_version` pins the version
 *   events are rendered in (default: the account default).
 * - `POST /sessions/{id}/complete` `{"payment_status":"paid"|"unpaid",
 *   "shipping_option":N, "amount_total":N, "currency":"eur", "email","name",
 *   "phone", "address":{"line1","line2","city","state","postal_code",
 *   "country"}}` (all optional; `unpaid` = an async payment still pending;
 *   amount_total/currency override what the session reports, to simulate a
 *   mismatch) completes without the browser and fires
 *   `checkout.session.completed`.
 * - `POST /sessions/{id}/async_payment_succeeded` and
 *   `POST /sessions/{id}/async_payment_failed` settle a pending payment and fire
 *   `checkout.session.async_payment_succeeded`/`_failed`.
 * - `POST /sessions/{id}/expire` expires an open session now
 *   (`checkout.session.expired`); `GET /sessions` lists every session.
 * - `POST /delivery` `{"mode":"normal"|"duplicates"|"roll_secret"|
 *   "wrong_secret"|"stale"|"hold" (or several, comma-separated), "count":N
 *   (duplicates, default 2), "new_secret":"whsec_…" (roll_secret, default the
 *   endpoint's secret + "_rolled")}` sets how later events are delivered;
 *   `GET /delivery` shows it; `POST /release` sends held events newest first.
 * - `GET /events` lists every event with its exact body (`body` as a string);
 *   `POST /events/{id}/resend` delivers one again.
 * - `GET /deliveries` lists delivery attempts (`event_id`, `type`, `url`,
 *   `copy`, `attempt`, `status` the endpoint answered or 0, `error`,
 *   `signature`, `mode`, `at`).
 * - `POST /reset` forgets sessions, refunds, events, idempotency keys, recorded
 *   requests, deliveries and the delivery mode (keeps key and endpoints).
 */
class StripeFake {
public:
    static constexpr auto DefaultKey = "sk_test_sandbox";
    static constexpr auto DefaultVersion = "2026-03-25.dahlia";
    static constexpr auto ControlPrefix = "/_sandbox/stripe";

    /// What the control API's complete accepts.
    struct Completion {
        QString paymentStatus = QStringLiteral("paid"); ///< "paid" or "unpaid" (async pending)
        int shippingOption = -1; ///< -1 = keep the preselected one
        std::optional<qint64> amountTotal; ///< report this amount_total instead
        QString currency; ///< report this currency instead
        std::optional<StripeCheckoutSession::Contact> contact; ///< default: test data for the first allowed country
    };

    StripeFake(FaultPlan *faults, StripeWebhookSender *webhooks, QString secretKey = QString::fromLatin1(DefaultKey));

    /// Whether `path` belongs to this fake (API, hosted page or control routes).
    static bool handles(const QString &path);
    SandboxReply handle(const SandboxRequest &request);

    void setSecretKey(const QString &key) { m_secretKey = key; }
    [[nodiscard]] const QString &secretKey() const { return m_secretKey; }
    void setDefaultApiVersion(const QString &version) { m_defaultVersion = version; }
    /// The version events are rendered in; empty = the account default.
    void setWebhookApiVersion(const QString &version) { m_webhookVersion = version; }
    /// Origin of session URLs; empty (default) = the origin the create request came to (its Host header).
    void setPublicOrigin(const QUrl &origin) { m_publicOrigin = origin; }

    /// Every API and hosted-page request (control requests are not recorded).
    [[nodiscard]] const QList<SandboxRequest> &requests() const { return m_requests; }
    void clearRequests() { m_requests.clear(); }
    [[nodiscard]] int count(const QByteArray &method, const QString &pathPart) const;

    [[nodiscard]] const QList<StripeEvent> &events() const { return m_events; }
    [[nodiscard]] const StripeCheckoutSession *session(const QString &id) const;

    /// The control actions; each returns an error text, or nullopt when done.
    std::optional<QString> complete(const QString &sessionId, const Completion &completion);
    std::optional<QString> settleAsyncPayment(const QString &sessionId, bool succeeded);
    std::optional<QString> expireNow(const QString &sessionId);
    void reset();

    /// Key shown in a 401: prefix and last four characters, the rest as `*`.
    static QString maskKey(const QString &key);

private:
    struct Refund {
        QString id;
        QString sessionId;
        qint64 amount = 0;
        QString reason;
        QJsonObject metadata;
        qint64 created = 0;
    };
    struct SavedResult {
        QString endpoint; ///< "POST /v1/…"
        QByteArray params; ///< canonical JSON of the decoded parameters
        bool inFlight = false;
        int status = 0;
        QByteArray body;
        QByteArray requestId;
        qint64 created = 0;
    };
    struct Context {
        QByteArray requestId;
        QString version;
        QString idempotencyKey;
        QString origin;
    };

    SandboxReply api(const SandboxRequest &request, const QByteArray &requestId);
    SandboxReply execute(const SandboxRequest &request, const QJsonObject &params, const Context &context);
    SandboxReply page(const SandboxRequest &request);
    SandboxReply control(const SandboxRequest &request);

    SandboxReply createSession(const QJsonObject &params, const Context &context);
    SandboxReply listSessions(const QJsonObject &params, const Context &context);
    SandboxReply retrieveSession(const QString &id, const QJsonObject &params, const Context &context);
    SandboxReply lineItems(const QString &id, const QJsonObject &params, const Context &context);
    SandboxReply expireSession(const QString &id, const Context &context);
    SandboxReply createRefund(const QJsonObject &params, const Context &context);

    /// The session object for `version` with the `expand` list applied; an error for an unknown expansion.
    std::optional<StripeError> sessionWithExpansions(const StripeCheckoutSession &session, const QJsonObject &params,
        const QString &version, QJsonObject *out) const;
    StripeCheckoutSession *find(const QString &id);
    void expireIfDue(StripeCheckoutSession &session);
    void markComplete(StripeCheckoutSession &session, const StripeCheckoutSession::Contact &contact, int shipping,
        const QString &paymentStatus);
    void markExpired(StripeCheckoutSession &session, const QJsonValue &requestId, const QJsonValue &idempotencyKey);
    void emitEvent(const QString &type, const QJsonObject &object, const QJsonValue &requestId = QJsonValue::Null,
        const QJsonValue &idempotencyKey = QJsonValue::Null);
    [[nodiscard]] QString eventVersion() const;
    [[nodiscard]] qint64 refundedAmount(const QString &sessionId) const;
    [[nodiscard]] QJsonObject chargeJson(const StripeCheckoutSession &session) const;
    [[nodiscard]] QJsonObject refundJson(const Refund &refund) const;
    [[nodiscard]] StripeCheckoutSession::Contact prefillFor(const StripeCheckoutSession &session) const;
    void pruneSavedResults(qint64 now);

    FaultPlan *m_faults;
    StripeWebhookSender *m_webhooks;
    QString m_secretKey;
    QString m_defaultVersion = QString::fromLatin1(DefaultVersion);
    QString m_webhookVersion;
    QUrl m_publicOrigin;
    QList<SandboxRequest> m_requests;
    QHash<QString, StripeCheckoutSession> m_sessions;
    QStringList m_sessionOrder; ///< ids, oldest first
    QHash<QString, QString> m_sessionByIntent; ///< pi_… → cs_…
    QHash<QString, QString> m_sessionByCharge; ///< ch_… → cs_…
    QHash<QString, Refund> m_refunds;
    QStringList m_refundOrder;
    QList<StripeEvent> m_events;
    QHash<QString, QHash<QString, SavedResult>> m_saved; ///< API key → idempotency key → result
};

} // namespace CalStudio
