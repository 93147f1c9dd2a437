#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QUrl>

#include <chrono>
#include <functional>
#include <optional>

namespace CalStudio {

/// One image in Printify's media library (EXTERNAL_APIS.md 1.7). Missing fields stay empty / 0.
struct PrintifyUpload {
    QString id; ///< 24 hex digits; the same for the same bytes (uploads are content-addressed)
    QString fileName;
    int width = 0;
    int height = 0;
    qint64 size = 0; ///< bytes
    QString mimeType;

    /// Reads Printify's upload object; error "printify_bad_response" without an `id`.
    static Result<PrintifyUpload> fromJson(const QJsonObject &json);
};

/**
 * A synchronous client for the Printify REST API v1 endpoints the companion
 * needs: shops, catalog variants and shipping, uploads, products, orders and
 * webhooks (EXTERNAL_APIS.md 1.1–1.10).
 *
 * Threading: like StripeClient, every call BLOCKS its calling thread: each
 * try creates its own QNetworkAccessManager on that thread and waits in a
 * local QEventLoop bounded by `timeout`. The instance keeps no state between
 * calls, so one instance may be shared by several threads. Never call it on
 * a thread whose other events must not run in between (in the server: only
 * on worker threads).
 *
 * Wire: `Authorization: Bearer <token>`, `User-Agent:
 * calstudio-companion/<version>`, `Accept: application/json`, and on POST
 * and PUT `Content-Type: application/json` with a compact JSON body (the
 * action endpoints send_to_production and cancel send an empty one). Paths
 * are `/v1/….json`, shop endpoints under `/v1/shops/<shopId>/`. `apiBase` is
 * the origin (`https://api.printify.com` when empty; a base ending in `/v1`
 * is not doubled). HTTP/2 is not used and redirects are never followed (the
 * token would travel with them). Order, product and webhook ids must be
 * ASCII letters, digits, '_' or '-' and the shop id digits; anything else is
 * refused without a request ("printify_not_found" for an id,
 * "printify_not_configured" for the shop), so no id can change the path.
 *
 * RETRIES. Printify has no idempotency keys, so a repeated create is a
 * duplicate order. Two kinds of call:
 *
 *  - safe (GETs, uploads — content-addressed, the same bytes give the same
 *    id —, the shipping quote, listing and deleting webhooks): retried on
 *    transport failures (refused, dropped, timed out), 429 and 5xx;
 *  - non-idempotent (createProduct, createOrder, sendToProduction,
 *    cancelOrder, createWebhook): retried ONLY when Printify certainly did
 *    nothing — on 429 (refused before any work) and when the connection
 *    could not be opened at all (refused, host not found). Never after a
 *    timeout, a dropped connection or a 5xx: the outcome is unknown, the
 *    error says so (outcomeUnknown()), and the caller must look the order up
 *    (findOrderByExternalId()) before trying again. QNetworkAccessManager's
 *    own silent re-send of a request whose connection closed unanswered is
 *    disabled for these calls (the body can be read only once), so exactly
 *    one request reaches Printify per try.
 *
 * Up to `maxAttempts` tries in all; the pause before try n+1 is
 * `initialBackoff × 2^(n−1)` capped at `maxBackoff`, times a random jitter
 * factor in [0.5, 1], and never shorter than the answer's `Retry-After`
 * (seconds or an HTTP date). A `Retry-After` longer than `maxBackoff` ends
 * the retries at once. 4xx other than 429 are never retried — 400 code 8502
 * ("Operation failed.", transient) included: it is reported as
 * "printify_busy" and the caller decides when to try again.
 *
 * Error codes (Error::code; the detail carries method, path, HTTP status,
 * Printify's `code` and `errors.reason` / `message`, never the token):
 *
 *  - "printify_not_configured": no token, or no shop id for a shop call (no request made);
 *  - "printify_unreachable": no HTTP answer (refused, dropped, timed out) after the retries;
 *  - "printify_auth": 401 / 403 (a bad or expired token, or a shop the token cannot use);
 *  - "printify_not_found": 404, or an id that cannot be a Printify id;
 *  - "printify_validation": 400 / 422 and other 4xx (code 8150, 8251, …); the userMessage quotes
 *    `errors.reason` when present, else `message`;
 *  - "printify_busy": 400 with code 8502 — transient, try again in a few seconds;
 *  - "printify_rate_limited": 429 after the retries;
 *  - "printify_server_error": 5xx after the retries;
 *  - "printify_bad_response": a 2xx that is not the expected JSON, or a redirect.
 *
 * Secrets: the token and the Authorization value never appear in an Error
 * or a log line; anything Printify echoes back goes through redact(). Logs
 * (category `calstudio.companion.printify`) carry method, path, status,
 * attempt and pauses only — no bodies, no headers.
 */
class PrintifyClient {
public:
    struct Options {
        QUrl apiBase; ///< empty = https://api.printify.com
        QString token; ///< personal access token (a JWT) — a secret
        QString shopId; ///< digits, from GET /v1/shops.json
        std::chrono::milliseconds timeout { 30000 }; ///< per try
        int maxAttempts = 4; ///< tries in all (≥ 1)
        std::chrono::milliseconds initialBackoff { 1000 };
        /// Longest pause between tries; a Retry-After beyond it ends the retries.
        std::chrono::milliseconds maxBackoff { 60000 };
        /// The version in User-Agent; empty = QCoreApplication::applicationVersion(), else "0".
        QString version;
        /// How a pause between tries is waited; empty = a local event loop with a timer. Tests record the pauses.
        std::function<void(std::chrono::milliseconds)> sleep;
    };

    /// How a request may be retried (see the class comment).
    enum class Retry {
        Safe, ///< idempotent: transport failures, 429 and 5xx are retried
        OnlyIfNotDone, ///< non-idempotent: only 429 and connections that never opened are retried
    };

    /// Orders per page for findOrderByExternalId() and orders().
    static constexpr int OrdersPageSize = 50;

    explicit PrintifyClient(Options options);

    /// GET /v1/shops.json: [{id, title, sales_channel}].
    Result<QJsonArray> shops();
    /// GET /v1/catalog/blueprints/{bp}/print_providers/{pp}/variants.json: the raw object {id, title, variants:[…]}.
    Result<QJsonObject> variants(int blueprintId, int printProviderId);
    /// GET /v1/catalog/blueprints/{bp}/print_providers/{pp}/shipping.json (v1): {handling_time, profiles:[…]}.
    Result<QJsonObject> shippingProfiles(int blueprintId, int printProviderId);
    /// POST /v1/uploads/images.json with {file_name, contents: base64 of `bytes`} (Printify suggests ≤ 5 MB).
    Result<PrintifyUpload> uploadImage(const QString &fileName, const QByteArray &bytes);
    /// POST /v1/uploads/images.json with {file_name, url}; Printify fetches the (public) URL.
    Result<PrintifyUpload> uploadImageFromUrl(const QString &fileName, const QUrl &url);
    /// POST /v1/shops/{shop}/products.json; returns the new product's id. Non-idempotent.
    Result<QString> createProduct(const QJsonObject &product);
    /// POST /v1/shops/{shop}/orders.json; returns the new order's id. Non-idempotent: on outcomeUnknown() look the
    /// order up with findOrderByExternalId() before creating it again.
    Result<QString> createOrder(const QJsonObject &order);
    /// GET /v1/shops/{shop}/orders/{id}.json.
    Result<QJsonObject> order(const QString &orderId);
    /// GET /v1/shops/{shop}/orders.json?page=…&limit=…: the paginator {current_page, last_page, data:[…], …}.
    Result<QJsonObject> orders(int page, int limit = OrdersPageSize);
    /// Newest orders first, up to maxPages pages of 50; the order whose external_id or metadata.shop_order_id is
    /// externalId (nullopt when none is; an empty externalId matches nothing and sends no request). Stops early at
    /// the last page. A page that cannot be read is an error, never "not found".
    Result<std::optional<QJsonObject>> findOrderByExternalId(const QString &externalId, int maxPages = 10);
    /// POST /v1/shops/{shop}/orders/{id}/send_to_production.json; returns the order. "printify_busy" (8502) while
    /// the order is still being prepared. Non-idempotent.
    Result<QJsonObject> sendToProduction(const QString &orderId);
    /// POST /v1/shops/{shop}/orders/{id}/cancel.json (only on-hold / payment-not-received); returns the order.
    /// Non-idempotent.
    Result<QJsonObject> cancelOrder(const QString &orderId);
    /// POST /v1/shops/{shop}/orders/shipping.json with {line_items, address_to}: {standard, express, …} in cents.
    /// A calculation, so retried like a GET.
    Result<QJsonObject> shippingQuote(const QJsonObject &request);
    /// GET /v1/shops/{shop}/webhooks.json: [{id, topic, url, shop_id}].
    Result<QJsonArray> webhooks();
    /// POST /v1/shops/{shop}/webhooks.json with {topic, url[, secret]} (secret omitted when empty); returns the
    /// webhook. Non-idempotent.
    Result<QJsonObject> createWebhook(const QString &topic, const QUrl &url, const QByteArray &secret);
    /// DELETE /v1/shops/{shop}/webhooks/{id}.json. Retried like a GET, so a retry after a lost answer may report
    /// "printify_not_found" for a webhook that the first try deleted.
    Status deleteWebhook(const QString &webhookId);

    /// A request to any path under the API base ("/v1/…"), with the retries and error mapping above. `body` is
    /// sent as compact JSON when given (POST and PUT always carry Content-Type: application/json). A 2xx must be
    /// JSON (an object or an array; an empty body gives a null document).
    Result<QJsonDocument> request(const QByteArray &method, const QString &path,
        const std::optional<QJsonObject> &body = std::nullopt, Retry retry = Retry::Safe);

    /// Whether a failed NON-IDEMPOTENT call may nevertheless have been carried out by Printify: no answer after
    /// the request went out (timeout, dropped connection), a 5xx, or a 2xx that could not be read. The caller
    /// must look the result up (findOrderByExternalId()) before trying again. False for every other error,
    /// and for any error of a safe call.
    static bool outcomeUnknown(const Error &error);

    [[nodiscard]] const Options &options() const { return m_options; }
    /// The User-Agent sent: "calstudio-companion/<version>".
    [[nodiscard]] QByteArray userAgent() const;
    /// `text` with `token` and anything shaped like a JWT or a Bearer credential masked.
    static QString redact(const QString &text, const QString &token);

private:
    [[nodiscard]] QUrl endpoint(const QString &path) const;
    /// "/v1/shops/<shop>/" + rest, or an error when no valid shop id is configured.
    [[nodiscard]] Result<QString> shopPath(const QString &rest) const;
    Result<QJsonObject> requestObject(
        const QByteArray &method, const QString &path, const std::optional<QJsonObject> &body, Retry retry);

    Options m_options;
};

} // namespace CalStudio
