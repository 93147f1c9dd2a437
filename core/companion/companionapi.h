#pragma once

#include "core/companion/apitypes.h"
#include "core/companion/companionconfig.h"
#include "core/companion/filestore.h"
#include "core/companion/orderstore.h"
#include "core/companion/paymentconfirmer.h"
#include "core/companion/pricebook.h"
#include "core/companion/ratelimiter.h"
#include "core/companion/stripeform.h"

#include <QHash>
#include <QReadWriteLock>
#include <QStringList>

#include <functional>
#include <memory>

namespace CalStudio {

class JsonLog;

/**
 * The companion's HTTP API as plain functions: handle() takes an ApiRequest
 * and returns an ApiResponse, with no sockets involved, so every endpoint is
 * tested directly; CompanionServer only moves bytes.
 *
 * handle() may block (database, Stripe, decoding an upload): the server
 * calls it on its worker pool. Work that must not delay the answer — such
 * as processing a webhook event once it is recorded — goes to `defer`,
 * which the server points at the same pool (tests may run it inline).
 *
 * Endpoints (docs/ARCHITECTURE.md, "Companion server"):
 *
 *   GET  /v1/health                      database state, version, mode
 *   GET  /v1/catalog                     formats, positions, prices, shipping, countries
 *   POST /v1/orders                      → id + order token (201)
 *   GET  /v1/orders/{id}                 status, history, amounts (token)
 *   PUT  /v1/orders/{id}/files/{pos}     one print file (token; draft orders only)
 *   POST /v1/orders/{id}/checkout        Stripe Checkout Session, priced here (token)
 *   POST /v1/orders/{id}/confirm         ask Stripe now (token)
 *   POST /v1/orders/{id}/cancel          expire the unpaid session (token)
 *   POST /v1/webhooks/stripe             signed events
 *   GET  /checkout/return, /checkout/cancel   pages the checkout redirects to
 *   POST /v1/webhooks/printify           signed events: a hint to read the order from Printify
 *   GET  /v1/files/{sha256}.{ext}        a print file by signed, expiring link (Printify's URL uploads)
 *   GET  /v1/admin/orders[?status=&flagged=1&limit=], /v1/admin/orders/{id}   (admin token)
 *   POST /v1/admin/orders/{id}/retry, /v1/admin/orders/{id}/refund            (admin token)
 *
 * Order tokens: 256 random bits, returned once, stored as SHA-256. A missing
 * token is 401; a wrong token and an unknown order are the same 404, so a
 * caller cannot learn whether an order exists.
 */
class CompanionApi {
public:
    using Defer = std::function<void(std::function<void()>)>;
    using Clock = std::function<qint64()>; ///< seconds since the epoch

    CompanionApi(CompanionConfig config, std::shared_ptr<OrderStore> store, JsonLog *log, Defer defer,
        Clock clock = {});

    ApiResponse handle(const ApiRequest &request);

    /// Processes Stripe events that were recorded but not processed (after a restart). Returns how many.
    int processPendingEvents();

    /// SHA-256 of an order token, as stored.
    static QByteArray tokenHash(const QString &token);
    static constexpr qint64 MaxJsonBody = 64 * 1024;
    static constexpr qint64 MaxWebhookBody = 1024 * 1024;

    [[nodiscard]] const CompanionConfig &config() const { return m_config; }

    /// A sold format as the catalog has it: discovered from Printify when it was, else as configured;
    /// nullopt when unknown or unavailable (Printify no longer offers its variant).
    [[nodiscard]] std::optional<PrintFormat> soldFormat(const QString &id) const;
    /// Takes what catalog discovery stored (OrderStore::catalogEntries) into the live catalog.
    void reloadCatalog();
    /// Formats Printify no longer offers, with the reason for the owner.
    [[nodiscard]] QHash<QString, QString> unavailableFormats() const;

    /// Called (deferred) with our order id when a verified Printify event concerns it.
    void setPrintifyHintHandler(std::function<void(const QString &orderId)> handler) { m_printifyHint = std::move(handler); }
    /// The owner's fulfillment retry (FulfillmentWorker::retry).
    void setRetryHandler(std::function<Status(const QString &orderId)> handler) { m_retry = std::move(handler); }

private:
    ApiResponse health();
    ApiResponse catalog();
    ApiResponse createOrder(const ApiRequest &request);
    ApiResponse getOrder(const ApiRequest &request, const QString &orderId);
    ApiResponse putFile(const ApiRequest &request, const QString &orderId, const QString &position);
    ApiResponse checkout(const ApiRequest &request, const QString &orderId);
    ApiResponse confirm(const ApiRequest &request, const QString &orderId);
    ApiResponse cancel(const ApiRequest &request, const QString &orderId);
    ApiResponse stripeWebhook(const ApiRequest &request);
    ApiResponse checkoutPage(const ApiRequest &request, bool returned);
    ApiResponse adminOrders(const ApiRequest &request);
    ApiResponse adminOrder(const ApiRequest &request, const QString &orderId);
    ApiResponse adminAction(const ApiRequest &request, const QString &orderId, const QString &action);
    ApiResponse printifyWebhook(const ApiRequest &request);
    ApiResponse signedFile(const ApiRequest &request, const QString &name);

    /// The order if the request carries its token; otherwise the 401/404 response to send.
    Result<OrderRecord> authorizedOrder(const ApiRequest &request, const QString &orderId, ApiResponse *denied);
    std::optional<ApiResponse> checkAdmin(const ApiRequest &request) const;
    ApiResponse storeFailure(const Error &error, const ApiRequest &request);
    ApiResponse stripeFailure(const Error &error, const ApiRequest &request);
    QJsonObject orderJson(const OrderRecord &order, bool forAdmin);
    Result<PaymentConfirmer::Outcome> confirmWithStripe(const OrderRecord &order, const QString &source);
    void processEvent(const QString &eventId, const QString &type, const QByteArray &payload);
    StripeClient stripe() const;
    StripeForm checkoutForm(const OrderRecord &order, const PriceQuote &quote, qint64 expiresAt) const;
    qint64 now() const;

    CompanionConfig m_config;
    std::shared_ptr<OrderStore> m_store;
    JsonLog *m_log;
    Defer m_defer;
    Clock m_clock;
    FileStore m_files;
    PaymentConfirmer m_confirmer;
    RateLimiter m_orderLimiter;
    RateLimiter m_checkoutLimiter;
    mutable QReadWriteLock m_catalogLock;
    QHash<QString, PrintFormat> m_discovered;
    QHash<QString, QString> m_unavailable;
    std::function<void(const QString &)> m_printifyHint;
    std::function<Status(const QString &)> m_retry;
};

} // namespace CalStudio
