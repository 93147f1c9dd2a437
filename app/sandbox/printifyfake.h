#pragma once

#include "app/sandbox/printifyfakecatalog.h"
#include "app/sandbox/printifywebhooksender.h"
#include "app/sandbox/sandboxtypes.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>

#include <functional>
#include <optional>

namespace CalStudio {

class FaultPlan;

/**
 * Fake of the Printify REST API v1 subset the companion server uses
 * (EXTERNAL_APIS.md 1 and 4.1), at the wire level: JSON bodies, every path
 * ending in `.json`, create calls answering 200, errors in Printify's shapes,
 * and NO idempotency anywhere — the same POST twice creates two orders or
 * products, so client bugs show up as duplicates. Never touches sockets:
 * SandboxServer routes to handle() and delivers the SandboxReply (an upload by
 * URL answers through SandboxReply::deferred once its fetch ends); webhooks go
 * out through a PrintifyWebhookSender.
 *
 * Every API request is checked in this order: `Authorization: Bearer <token>`
 * (default `printify-sandbox-token`; else 401
 * `{"status":"error","code":401,"message":"Unauthenticated."}`), a
 * non-empty `User-Agent` (else 400), the rate limits, then the route. Unknown
 * paths answer 404, a known path with another method 405, an unknown shop,
 * product, order, upload or webhook 404 — all `{"status":"error","code":<http
 * status>,"message":…}`. Validation errors are 400
 * `{"status":"error","code":8150,"message":"Validation failed.","errors":
 * {"reason":"<field>: …","code":8150}}`; variants that do not match the
 * blueprint and provider (unknown or retired) give the same shape with 8251.
 *
 * API (shop id default 12345; `{shop}` must be it):
 *
 * - `GET /v1/shops.json` → `[{"id":12345,"title":"Sandbox shop","sales_channel":"disconnected"}]`.
 * - Catalog (PrintifyFakeCatalog: blueprints 1253 and 965): `GET /v1/catalog/blueprints.json`,
 *   `…/blueprints/{bp}.json`, `…/blueprints/{bp}/print_providers.json`,
 *   `…/blueprints/{bp}/print_providers/{pp}/variants.json`,
 *   `…/blueprints/{bp}/print_providers/{pp}/shipping.json` (v1 profiles),
 *   `GET /v2/catalog/blueprints/{bp}/print_providers/{pp}/shipping.json` (methods),
 *   `GET /v1/catalog/print_providers.json`, `…/print_providers/{pp}.json`.
 * - `POST /v1/uploads/images.json` `{"file_name", "contents":<base64>}` or
 *   `{"file_name","url"}`: the fake fetches the URL asynchronously (redirects
 *   followed, 30 s, ≤ 100 MB; a failed fetch or a body that is not a PNG or
 *   JPEG → 8150 naming `url`). Returns `{"id","file_name","height","width",
 *   "size","mime_type","preview_url","upload_time":"YYYY-MM-DD HH:MM:SS"}`
 *   with the real pixel size; the id is content-addressed (the first 24 hex
 *   digits of the bytes' SHA-256), so identical bytes give the same id and
 *   the first upload's object whatever the file name. `GET /v1/uploads.json`
 *   (paginator, newest first, limit ≤ 100), `GET /v1/uploads/{id}.json`,
 *   `POST /v1/uploads/{id}/archive.json` → `{}` (hidden from the list).
 * - Products: `POST /v1/shops/{shop}/products.json` requires `title`,
 *   `blueprint_id` and `print_provider_id` of the catalog (8150), `variants`
 *   `[{id, price, is_enabled?}]` offered by them (unknown → 8251; price
 *   required), `print_areas` (missing → 8150 `print_areas: The print areas
 *   field is required.`) whose `variant_ids` are offered (8251), positions
 *   exist for those variants and image ids are known uploads (8150), each
 *   image with numeric `x`, `y`, `scale`, `angle`. Answers 200 with the full
 *   product as Printify rewrites it: every offered variant (unrequested ones
 *   `is_enabled:false`), `print_areas[].variant_ids` covering all of them,
 *   every position (unused ones with `images:[]`), images gaining `name`,
 *   `type`, `width`, `height`, `src`, blueprint tags added.
 *   `GET/PUT/DELETE /v1/shops/{shop}/products/{id}.json` (PUT merges
 *   `variants` by id, each needing `price`; `print_areas` must then cover
 *   every product variant, else 8251; `blueprint_id`/`print_provider_id`
 *   silently ignored; DELETE → `{}` and `product:deleted`),
 *   `GET …/products.json` (paginator, newest first, limit ≤ 50, filters ignored).
 * - Orders: `POST /v1/shops/{shop}/orders.json` with `line_items` by
 *   `product_id`+`variant_id`+`quantity` (an enabled variant of a product of
 *   this shop), by `sku`, or inline `blueprint_id`, `print_provider_id`,
 *   `variant_id`, `quantity`, `print_areas:{position: url | [{src,x,y,scale,
 *   angle}]}`; `address_to` with `first_name`, `address1`, `city` and an
 *   ISO-2 `country` (8150); unknown or retired variant → 8251;
 *   `shipping_method` 1–4 (`is_printify_express` = 3, `is_economy_shipping`
 *   = 4) available for the address. → 200 `{"id":<24 hex>}`. `external_id`
 *   is kept and copied to `metadata.shop_order_id`, `label` to
 *   `metadata.shop_order_label`. The order starts `pending` and becomes
 *   `on-hold` after Settings::pendingMs (and, for inline orders, once the fake
 *   fetched every `src`: a failed fetch makes the order `had-issues`), or
 *   after Settings::pendingGets GETs of it.
 *   `GET …/orders/{id}.json` (the shape of 1.9: line_items with cost,
 *   shipping_cost, status, metadata; shipments `[{carrier, number, url,
 *   delivered_at}]`; timestamps "YYYY-MM-DD HH:MM:SS+00:00"),
 *   `GET …/orders.json?page=&limit=&status=` (paginator, newest first,
 *   limit ≤ 50, `status` filters). `POST …/orders/{id}/send_to_production.json`:
 *   while `pending` → 400 `{"code":8502,"message":"Operation failed."}`;
 *   from `on-hold` → `sending-to-production` (answered with the order), then
 *   `in-production` after Settings::productionMs; from any other status →
 *   8150 naming the status. `POST …/orders/{id}/cancel.json` only from
 *   `on-hold` or `payment-not-received` (else 8150) → the order, `canceled`.
 *   `POST …/orders/shipping.json` `{line_items, address_to}` →
 *   `{"standard","express","priority","printify_express","economy"}` in
 *   cents, keys absent where a method is unavailable.
 * - Webhooks: `GET/POST /v1/shops/{shop}/webhooks.json` (`{topic, url,
 *   secret?}` → `{id, topic, url, shop_id}`, secrets never echoed),
 *   `PUT …/webhooks/{id}.json` (`{url?, secret?}`), `DELETE …` → `{"id"}`.
 *   Events go to every webhook of their topic, envelope `{"id":<uuid>,
 *   "type":topic,"created_at":…,"resource":{"id","type":"order",
 *   "data":{"shop_id",…}}}`, signed `X-Pfy-Signature: sha256=<hex>` when the
 *   webhook has a secret. Topics fired: `order:created` (data.status),
 *   `order:updated` (data.status, on every status change),
 *   `order:sent-to-production`, `order:shipment:created` (`carrier{code,
 *   tracking_number, tracking_url}`, `shipped_at`, `skus`),
 *   `order:shipment:delivered` (`delivered_at`, `carrier`, `skus`),
 *   `product:deleted`.
 *
 * Rate limits: per-window counters (Settings: 600 global, 100 more for
 * `/v1/catalog` and `/v2/catalog`, window 60 s). Every answer that passed
 * them carries `X-RateLimit-Limit` (100 on catalog routes, else 600) and
 * `X-RateLimit-Remaining`; beyond them → 429 `{"status":"error","code":429,
 * "message":"Too Many Attempts."}` with `X-RateLimit-Limit`,
 * `X-RateLimit-Remaining: 0` and `Retry-After` (seconds until a slot frees).
 * Refused requests do not count.
 *
 * Faults (FaultPlan api "printify", taken by the next `/v1`/`/v2` request
 * they apply to, optionally only one whose "METHOD /path" contains the
 * fault's `match`): invalid-key (401), rate-limit (429 with
 * `X-RateLimit-Limit` and `Retry-After: 1`), server-error (500
 * `{"status":"error","code":500,"message":"Server Error"}`, not executed),
 * unavailable (503, not executed), html-502 (a proxy's HTML page, not
 * executed), slow (executed, the answer held for the fault's delay), drop
 * (the connection closed without an answer, NOT executed),
 * timeout-after-create (an orders.json or products.json POST is executed —
 * the order exists — and the answer held for the delay, 10 s by default),
 * drop-after-create (executed, then the connection closed without an answer)
 * and validation (the next POST refused with 8150, not executed).
 *
 * Control API under `/_sandbox/printify` (JSON; no token needed; errors
 * `{"error":"…"}` with 400/404):
 *
 * - `GET /orders[?external_id=X]` → `{"orders":[{id, external_id, label,
 *   status, created_at, shipping_method, country, gets, issue, line_items:
 *   [{product_id, blueprint_id, print_provider_id, variant_id, quantity,
 *   files:{position:[upload id or src…]}}], shipments, fetches}]}`, oldest
 *   first: tests count orders per external_id to find duplicates.
 *   `GET /orders/{id}` → one of those.
 * - `POST /orders/{id}/ship` `{"carrier":"usps","tracking_number","tracking_url"?}`
 *   (from in-production, partially-fulfilled or fulfilled): adds a shipment,
 *   status `fulfilled`, fires `order:shipment:created` then `order:updated`.
 * - `POST /orders/{id}/deliver` `{"tracking_number"?}`: sets the shipment's
 *   (default: the latest undelivered) `delivered_at`, fires
 *   `order:shipment:delivered`.
 * - `POST /orders/{id}/status` `{"status"}` (any Printify status, e.g.
 *   `on-hold`, `had-issues`, `canceled`, `payment-not-received`): sets it
 *   and fires `order:updated`. ship, deliver and status answer the order in
 *   the API's shape.
 * - `POST /variants/{id}/retire`, `POST /variants/{id}/restore`: the variant
 *   disappears from (returns to) `variants.json`; `GET /variants` lists the
 *   retired ids.
 * - `POST /delivery` `{"mode":"normal"|"duplicates"|"wrong_secret"|
 *   "no_signature"|"hold" (or several, comma-separated), "count":N
 *   (duplicates, default 2)}` sets how later events are delivered; `GET`
 *   shows it; `POST /release` sends held events newest first.
 * - `GET /events` (every event with its exact `body` as a string),
 *   `POST /events/{id}/resend`; `GET /deliveries` (`event_id`, `type`,
 *   `webhook_id`, `url`, `copy`, `attempt`, `status` or 0, `error`,
 *   `signature`, `mode`, `at`) and `pending`.
 * - `GET /uploads` (each with `sha256`, `source`, `url`), `GET /webhooks`.
 * - `GET /settings`, `POST /settings` `{"pending_ms", "pending_gets",
 *   "production_ms", "rate_limit_per_minute",
 *   "catalog_rate_limit_per_minute", "rate_limit_window_ms"}` (any subset;
 *   -1 for pending_ms / production_ms = never by time; timings apply to
 *   orders created or sent afterwards; changing a limit empties the windows).
 * - `POST /reset` forgets uploads, products, orders, webhooks, events,
 *   deliveries, recorded requests, rate windows, retired variants and the
 *   delivery mode, and restores the start-up settings (keeps token and shop).
 */
class PrintifyFake {
public:
    static constexpr auto DefaultToken = "printify-sandbox-token";
    static constexpr qint64 DefaultShopId = 12345;
    static constexpr auto ControlPrefix = "/_sandbox/printify";

    struct Settings {
        int pendingMs = 1500; ///< pending → on-hold after this long; -1 = never by time
        int pendingGets = 0; ///< … or after this many GETs of the order; 0 = never by GETs
        int productionMs = 500; ///< sending-to-production → in-production; -1 = never by time
        int rateLimitPerMinute = 600; ///< every API request, per window
        int catalogRateLimitPerMinute = 100; ///< catalog requests, per window, on top
        int rateLimitWindowMs = 60000;

        [[nodiscard]] QJsonObject toJson() const;
        /// Applies the keys present in `object`; an error text for a bad value.
        std::optional<QString> apply(const QJsonObject &object);
    };

    struct Upload {
        QString id;
        QString fileName;
        int width = 0;
        int height = 0;
        qint64 size = 0;
        QString mimeType;
        QString previewUrl;
        QDateTime uploaded;
        QByteArray sha256; ///< hex
        QString source; ///< "contents" or "url"
        QString url;
        bool archived = false;
    };

    struct ProductVariant {
        int id = 0;
        qint64 price = 0;
        bool enabled = false;
        QString sku;
    };

    struct Product {
        QString id;
        int blueprintId = 0;
        int providerId = 0;
        QString title;
        QString description;
        QJsonArray tags;
        bool visible = true;
        QList<ProductVariant> variants; ///< every variant offered at creation
        QJsonArray printAreas; ///< as rewritten
        QDateTime created;
        QDateTime updated;
    };

    struct LineItem {
        QString productId;
        int blueprintId = 0;
        int providerId = 0;
        int variantId = 0;
        int quantity = 1;
        QString sku;
        QString title;
        QString variantLabel;
        qint64 cost = 0;
        qint64 price = 0;
        qint64 shippingCost = 0;
        QString status;
        QDateTime sentToProductionAt;
        QDateTime fulfilledAt;
        QJsonObject files; ///< position → [upload ids (by product) or src URLs (inline)]
    };

    struct Shipment {
        QString carrier;
        QString number;
        QString url;
        QDateTime shippedAt;
        QDateTime deliveredAt;
    };

    struct Order {
        QString id;
        QString externalId;
        QString label;
        QString status = QStringLiteral("pending");
        QJsonObject addressTo;
        QList<LineItem> lineItems;
        int shippingMethod = 1;
        bool sendShippingNotification = false;
        qint64 totalPrice = 0;
        qint64 totalShipping = 0;
        qint64 totalTax = 0;
        QList<Shipment> shipments;
        QDateTime created;
        QDateTime sentToProductionAt;
        QDateTime fulfilledAt;
        QString connectId;
        // Sandbox bookkeeping.
        int gets = 0;
        bool pendingElapsed = false;
        int fetchesOutstanding = 0;
        QString issue; ///< why the order had issues (a failed src fetch)
        QJsonArray fetches; ///< inline src fetches: {url, ok, status, width, height, sha256, error}
    };

    struct Webhook {
        QString id;
        QString topic;
        QUrl url;
        QByteArray secret;
    };

    /// One recorded API request; bodies over 64 KiB are cut (bodyBytes keeps the real size).
    struct Recorded {
        SandboxRequest request;
        qint64 bodyBytes = 0;
    };

    PrintifyFake(FaultPlan *faults, PrintifyWebhookSender *webhooks, QString token = QString::fromLatin1(DefaultToken),
        qint64 shopId = DefaultShopId);

    /// Whether `path` belongs to this fake (API or control routes).
    static bool handles(const QString &path);
    SandboxReply handle(const SandboxRequest &request);

    void setToken(const QString &token) { m_token = token; }
    [[nodiscard]] const QString &token() const { return m_token; }
    void setShopId(qint64 shopId) { m_shopId = shopId; }
    [[nodiscard]] qint64 shopId() const { return m_shopId; }
    /// The settings now and, with `startup`, also the ones reset() restores.
    void setSettings(const Settings &settings, bool startup = false);
    [[nodiscard]] const Settings &settings() const { return m_settings; }

    PrintifyFakeCatalog &catalog() { return m_catalog; }
    [[nodiscard]] const QList<Recorded> &requests() const { return m_requests; }
    [[nodiscard]] int count(const QByteArray &method, const QString &pathPart) const;
    /// Orders, oldest first.
    [[nodiscard]] QList<const Order *> orders() const;
    [[nodiscard]] const Order *order(const QString &id) const;
    [[nodiscard]] const Upload *upload(const QString &id) const;
    [[nodiscard]] const QList<PrintifyEvent> &events() const { return m_events; }

    /// The control actions; each returns an error text, or nullopt when done.
    std::optional<QString> ship(
        const QString &orderId, const QString &carrier, const QString &trackingNumber, const QString &trackingUrl);
    std::optional<QString> deliver(const QString &orderId, const QString &trackingNumber = {});
    std::optional<QString> setStatus(const QString &orderId, const QString &status);
    void reset();

    /// "YYYY-MM-DD HH:MM:SS+00:00", Printify's timestamp form.
    static QString timestamp(const QDateTime &time);
    /// Every order status the fake knows (EXTERNAL_APIS.md 1.9).
    static const QStringList &statuses();
    static const QStringList &topics();

private:
    struct FetchResult {
        bool ok = false;
        int status = 0;
        QByteArray bytes;
        QString error;
    };
    struct RateWindow {
        QList<qint64> stamps; ///< ms since m_clock started, oldest first
    };
    struct Quote {
        QHash<QString, qint64> totals; ///< method key → cents; a key only when every line offers it
        QList<QHash<QString, qint64>> perLine;
    };

    SandboxReply api(const SandboxRequest &request, const QString &scenario);
    SandboxReply route(const SandboxRequest &request);
    SandboxReply shopRoute(const SandboxRequest &request, const QString &sub);
    SandboxReply control(const SandboxRequest &request);

    SandboxReply createUpload(const SandboxRequest &request);
    SandboxReply storeUpload(const QString &fileName, const QByteArray &bytes, const QString &source, const QUrl &url);
    SandboxReply listUploads(const SandboxRequest &request);

    SandboxReply createProduct(const SandboxRequest &request);
    SandboxReply updateProduct(Product &product, const SandboxRequest &request);
    SandboxReply listProducts(const SandboxRequest &request);
    /// Validates and rewrites `print_areas` for `product`; an error reply, or nullopt with `out` set.
    std::optional<SandboxReply> rewritePrintAreas(
        const QJsonValue &areas, const Product &product, bool mustCoverAll, QJsonArray *out) const;
    [[nodiscard]] QJsonObject productJson(const Product &product) const;

    SandboxReply createOrder(const SandboxRequest &request);
    SandboxReply listOrders(const SandboxRequest &request);
    SandboxReply shippingQuote(const SandboxRequest &request);
    SandboxReply sendToProduction(Order &order);
    SandboxReply cancel(Order &order);
    /// Parses `line_items` (orders need print_areas on inline items; the quote does not).
    std::optional<SandboxReply> parseLineItems(
        const QJsonValue &value, bool forOrder, QList<LineItem> *out, QList<QJsonObject> *inlineAreas) const;
    [[nodiscard]] Quote quote(const QList<LineItem> &items, const QString &country) const;
    [[nodiscard]] QJsonObject orderJson(const Order &order) const;
    [[nodiscard]] QJsonObject orderSummary(const Order &order) const;

    SandboxReply createWebhook(const SandboxRequest &request);
    [[nodiscard]] QJsonObject webhookJson(const Webhook &webhook) const;

    Order *findOrder(const QString &id);
    void changeStatus(Order &order, const QString &status);
    void maybeHold(Order &order);
    void after(int ms, const QString &orderId, void (PrintifyFake::*step)(const QString &));
    void pendingElapsed(const QString &orderId);
    void productionStarted(const QString &orderId);
    void fetchInlineFiles(const QString &orderId, const QStringList &urls);
    void emitEvent(const QString &topic, const QString &resourceId, const QString &resourceType, QJsonObject data);
    void emitOrderEvent(const QString &topic, const Order &order, const QJsonObject &data = {});
    [[nodiscard]] QList<PrintifyWebhookSender::Target> targetsFor(const QString &topic) const;
    void fetch(const QUrl &url, std::function<void(const FetchResult &)> done);

    /// Admits one request into the rate windows, or returns the seconds until one would be admitted.
    std::optional<int> admit(bool catalog, int *remaining);
    void record(const SandboxRequest &request);

    FaultPlan *m_faults;
    PrintifyWebhookSender *m_webhooks;
    QString m_token;
    qint64 m_shopId;
    Settings m_settings;
    Settings m_startupSettings;
    PrintifyFakeCatalog m_catalog;
    QList<Recorded> m_requests;
    QHash<QString, Upload> m_uploads;
    QStringList m_uploadOrder;
    QHash<QString, Product> m_products;
    QStringList m_productOrder;
    QHash<QString, Order> m_orders;
    QStringList m_orderOrder;
    QList<Webhook> m_registered;
    QList<PrintifyEvent> m_events;
    qint64 m_nextSku = 31000001;
    QElapsedTimer m_clock;
    RateWindow m_global;
    RateWindow m_catalogWindow;
    quint64 m_generation = 0; ///< bumped by reset(): timers and fetches of older orders do nothing
    QNetworkAccessManager m_network; ///< fetches upload URLs and inline `src`s
    QObject m_context; ///< receiver of timers and fetch callbacks; destroyed first, so none outlives the fake
};

} // namespace CalStudio
