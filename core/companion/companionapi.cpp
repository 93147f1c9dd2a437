#include "core/companion/companionapi.h"

#include "core/companion/fileurls.h"
#include "core/companion/jsonlog.h"
#include "core/companion/printifysignature.h"
#include "core/companion/pricebook.h"
#include "core/companion/stripeform.h"
#include "core/companion/stripesignature.h"
#include "core/companion/uploadvalidator.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QUrl>

namespace CalStudio {

namespace {

constexpr int MaxTitleLength = 120;
constexpr int MaxClientReferenceLength = 200;

QString randomToken(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(raw.data()),
        reinterpret_cast<quint32 *>(raw.data() + (bytes / 4) * 4));
    return QString::fromLatin1(raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

/// "ord_" + 24 characters of [a-z2-7]: 120 random bits, readable and safe in paths and logs.
QString newOrderId()
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    QString id = QStringLiteral("ord_");
    for (int i = 0; i < 24; ++i)
        id.append(QLatin1Char(alphabet[QRandomGenerator::system()->bounded(32)]));
    return id;
}

QString isoTime(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs) : QString();
}

QJsonArray shippingJson(const QList<ShippingOption> &options)
{
    QJsonArray out;
    for (const ShippingOption &o : options) {
        out.append(QJsonObject {
            { QStringLiteral("id"), o.id },
            { QStringLiteral("display_name"), o.displayName },
            { QStringLiteral("amount"), o.amount },
            { QStringLiteral("min_days"), o.minDays },
            { QStringLiteral("max_days"), o.maxDays },
        });
    }
    return out;
}

/// Splits "/v1/orders/x/files/y" into {"v1","orders","x","files","y"}; percent-decoded segments.
QStringList pathSegments(const QString &path)
{
    QStringList out;
    for (const QString &s : path.split(QLatin1Char('/'), Qt::SkipEmptyParts))
        out.append(QUrl::fromPercentEncoding(s.toUtf8()));
    return out;
}

ApiResponse methodNotAllowed(const QByteArrayList &allowed)
{
    ApiResponse r = ApiResponse::error(405, QStringLiteral("method_not_allowed"),
        QStringLiteral("This address accepts %1 only.").arg(QString::fromLatin1(allowed.join(", "))));
    r.headers.append({ QByteArray("Allow"), allowed.join(", ") });
    return r;
}

ApiResponse tooManyRequests(int retryAfter)
{
    ApiResponse r = ApiResponse::error(429, QStringLiteral("rate_limited"),
        QStringLiteral("Too many requests from this address; try again in %1 s.").arg(retryAfter));
    r.headers.append({ QByteArray("Retry-After"), QByteArray::number(retryAfter) });
    return r;
}

QByteArray pageHtml(const QString &title, const QString &message)
{
    return QStringLiteral("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                          "<title>%1</title><style>body{font-family:system-ui,sans-serif;margin:0;display:flex;"
                          "min-height:100vh;align-items:center;justify-content:center;background:#f6f7f9;color:#1d2330}"
                          "main{background:#fff;padding:2.5em 3em;border-radius:12px;box-shadow:0 2px 12px #0002;"
                          "max-width:28em;text-align:center}h1{font-size:1.4em;margin:0 0 .6em}p{margin:0;"
                          "line-height:1.5}</style></head><body><main><h1 id=\"title\">%1</h1><p id=\"message\">%2</p>"
                          "</main></body></html>")
        .arg(title.toHtmlEscaped(), message.toHtmlEscaped())
        .toUtf8();
}

} // namespace

CompanionApi::CompanionApi(CompanionConfig config, std::shared_ptr<OrderStore> store, JsonLog *log, Defer defer,
    Clock clock)
    : m_config(std::move(config))
    , m_store(std::move(store))
    , m_log(log)
    , m_defer(std::move(defer))
    , m_clock(std::move(clock))
    , m_files(m_config.dataDir + QStringLiteral("/files"))
    , m_confirmer(m_store, log)
    , m_orderLimiter(m_config.ordersPerMinutePerIp)
    , m_checkoutLimiter(m_config.checkoutsPerMinutePerIp)
{
    if (!m_defer)
        m_defer = [](std::function<void()> work) { work(); };
}

qint64 CompanionApi::now() const
{
    return m_clock ? m_clock() : QDateTime::currentSecsSinceEpoch();
}

QByteArray CompanionApi::tokenHash(const QString &token)
{
    return QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex();
}

StripeClient CompanionApi::stripe() const
{
    StripeClient::Options options;
    options.apiBase = m_config.stripeApiBase;
    options.secretKey = m_config.stripeSecretKey;
    options.apiVersion = m_config.stripeApiVersion;
    return StripeClient(options);
}

ApiResponse CompanionApi::handle(const ApiRequest &request)
{
    const QStringList seg = pathSegments(request.path);
    const QByteArray method = request.method.toUpper();
    const bool get = method == "GET" || method == "HEAD";
    const bool post = method == "POST";

    if (seg.size() == 2 && seg[0] == QLatin1String("checkout")
        && (seg[1] == QLatin1String("return") || seg[1] == QLatin1String("cancel"))) {
        return get ? checkoutPage(request, seg[1] == QLatin1String("return")) : methodNotAllowed({ "GET" });
    }
    if (seg.size() < 2 || seg[0] != QLatin1String("v1"))
        return ApiResponse::error(404, QStringLiteral("not_found"), QStringLiteral("There is nothing at this address."));

    const QString &area = seg[1];
    if (seg.size() == 2 && area == QLatin1String("health"))
        return get ? health() : methodNotAllowed({ "GET" });
    if (seg.size() == 2 && area == QLatin1String("catalog"))
        return get ? catalog() : methodNotAllowed({ "GET" });
    if (area == QLatin1String("orders")) {
        if (seg.size() == 2)
            return post ? createOrder(request) : methodNotAllowed({ "POST" });
        const QString &id = seg[2];
        if (seg.size() == 3)
            return get ? getOrder(request, id) : methodNotAllowed({ "GET" });
        if (seg.size() == 5 && seg[3] == QLatin1String("files"))
            return method == "PUT" ? putFile(request, id, seg[4]) : methodNotAllowed({ "PUT" });
        if (seg.size() == 4) {
            if (seg[3] == QLatin1String("checkout"))
                return post ? checkout(request, id) : methodNotAllowed({ "POST" });
            if (seg[3] == QLatin1String("confirm"))
                return post ? confirm(request, id) : methodNotAllowed({ "POST" });
            if (seg[3] == QLatin1String("cancel"))
                return post ? cancel(request, id) : methodNotAllowed({ "POST" });
        }
    }
    if (seg.size() == 3 && area == QLatin1String("webhooks") && seg[2] == QLatin1String("stripe"))
        return post ? stripeWebhook(request) : methodNotAllowed({ "POST" });
    if (seg.size() == 3 && area == QLatin1String("webhooks") && seg[2] == QLatin1String("printify"))
        return post ? printifyWebhook(request) : methodNotAllowed({ "POST" });
    if (seg.size() == 3 && area == QLatin1String("files"))
        return get ? signedFile(request, seg[2]) : methodNotAllowed({ "GET" });
    if (area == QLatin1String("admin") && seg.size() >= 3 && seg[2] == QLatin1String("orders")) {
        if (auto denied = checkAdmin(request))
            return *denied;
        if (seg.size() == 3)
            return get ? adminOrders(request) : methodNotAllowed({ "GET" });
        if (seg.size() == 4)
            return get ? adminOrder(request, seg[3]) : methodNotAllowed({ "GET" });
        if (seg.size() == 5 && (seg[4] == QLatin1String("retry") || seg[4] == QLatin1String("refund")))
            return post ? adminAction(request, seg[3], seg[4]) : methodNotAllowed({ "POST" });
    }
    return ApiResponse::error(404, QStringLiteral("not_found"), QStringLiteral("There is nothing at this address."));
}

// --- errors ---------------------------------------------------------------------------------------

ApiResponse CompanionApi::storeFailure(const Error &error, const ApiRequest &request)
{
    if (m_log) {
        m_log->error(QStringLiteral("database_failure"),
            { { QStringLiteral("request_id"), request.requestId }, { QStringLiteral("code"), error.code },
                { QStringLiteral("detail"), error.detail } });
    }
    if (error.code == QLatin1String("order_not_found"))
        return ApiResponse::error(404, QStringLiteral("order_not_found"), QStringLiteral("No order with this id and token."));
    return ApiResponse::error(503, QStringLiteral("database_unavailable"),
        QStringLiteral("The shop's server cannot reach its order database right now; nothing was changed. Try again "
                       "in a minute."));
}

ApiResponse CompanionApi::stripeFailure(const Error &error, const ApiRequest &request)
{
    if (m_log) {
        m_log->error(QStringLiteral("stripe_failure"),
            { { QStringLiteral("request_id"), request.requestId }, { QStringLiteral("code"), error.code },
                { QStringLiteral("detail"), error.detail } });
    }
    // The customer cannot fix the shop's Stripe set-up; say so without the internals.
    const bool unavailable = error.code == QLatin1String("stripe_unreachable")
        || error.code == QLatin1String("stripe_server_error") || error.code == QLatin1String("stripe_rate_limited");
    return ApiResponse::error(unavailable ? 503 : 502, QStringLiteral("payment_provider_error"),
        unavailable ? QStringLiteral("The payment service is not answering right now; nothing was charged. Try again "
                                     "in a minute.")
                    : QStringLiteral("The shop's payment set-up refused the request; nothing was charged. Please tell "
                                     "the shop."));
}

// --- public endpoints -----------------------------------------------------------------------------

ApiResponse CompanionApi::health()
{
    const Status db = m_store->ping();
    QJsonObject body {
        { QStringLiteral("status"), db ? QStringLiteral("ok") : QStringLiteral("degraded") },
        { QStringLiteral("version"), QCoreApplication::applicationVersion() },
        { QStringLiteral("mode"), m_config.mode() },
        { QStringLiteral("database"), QJsonObject {
              { QStringLiteral("driver"), m_store->driver() == QLatin1String("QPSQL") ? QStringLiteral("postgresql") : QStringLiteral("sqlite") },
              { QStringLiteral("reachable"), bool(db) } } },
    };
    return ApiResponse::json(db ? 200 : 503, body);
}

ApiResponse CompanionApi::catalog()
{
    QJsonArray formats;
    for (const PriceEntry &price : m_config.priceBook.entries()) {
        const auto format = soldFormat(price.formatId);
        if (!format)
            continue;
        QJsonObject f = format->toJson();
        bool cover = false;
        for (const ImagePosition &p : format->positions)
            cover = cover || p.page == 0;
        f.insert(QStringLiteral("product_name"), price.productName);
        f.insert(QStringLiteral("cover"), cover);
        f.insert(QStringLiteral("price"), QJsonObject { { QStringLiteral("amount"), price.unitAmount }, { QStringLiteral("currency"), price.currency } });
        f.insert(QStringLiteral("max_quantity"), price.maxQuantity);
        f.insert(QStringLiteral("shipping"), shippingJson(price.shipping));
        f.insert(QStringLiteral("countries"), QJsonArray::fromStringList(price.allowedCountries));
        formats.append(f);
    }
    ApiResponse r = ApiResponse::json(200, { { QStringLiteral("mode"), m_config.mode() }, { QStringLiteral("formats"), formats } });
    r.headers.append({ QByteArray("Cache-Control"), "public, max-age=60" });
    return r;
}

ApiResponse CompanionApi::createOrder(const ApiRequest &request)
{
    if (const auto d = m_orderLimiter.take(request.remoteAddress); !d.allowed)
        return tooManyRequests(d.retryAfterSeconds);
    if (request.body.size() > MaxJsonBody)
        return ApiResponse::error(413, QStringLiteral("body_too_large"), QStringLiteral("The order description is too large."));
    if (request.mediaType() != "application/json")
        return ApiResponse::error(415, QStringLiteral("unsupported_media_type"), QStringLiteral("Send the order as application/json."));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        return ApiResponse::error(400, QStringLiteral("invalid_json"),
            QStringLiteral("The order is not a JSON object (%1 at offset %2).").arg(parseError.errorString()).arg(parseError.offset));
    }
    const QJsonObject in = doc.object();
    const QString formatId = in.value(QStringLiteral("format")).toString();
    const PriceEntry *price = m_config.priceBook.entry(formatId);
    if (!price || !soldFormat(formatId)) {
        return ApiResponse::error(422, QStringLiteral("unknown_format"),
            QStringLiteral("This shop does not sell the format \"%1\"; see /v1/catalog.").arg(formatId.left(64)));
    }
    const QJsonValue quantityValue = in.value(QStringLiteral("quantity"));
    const double quantityNumber = quantityValue.isUndefined() ? 1 : quantityValue.toDouble(-1);
    const int quantity = int(quantityNumber);
    if (!quantityValue.isUndefined() && !quantityValue.isDouble())
        return ApiResponse::error(422, QStringLiteral("invalid_quantity"), QStringLiteral("The quantity must be a whole number."));
    if (quantityNumber != quantity || quantity < 1 || quantity > price->maxQuantity) {
        return ApiResponse::error(422, QStringLiteral("invalid_quantity"),
            QStringLiteral("The quantity must be a whole number from 1 to %1.").arg(price->maxQuantity));
    }
    const QString title = in.value(QStringLiteral("title")).toString().trimmed();
    if (title.isEmpty() || title.size() > MaxTitleLength) {
        return ApiResponse::error(422, QStringLiteral("invalid_title"),
            QStringLiteral("The title must have 1 to %1 characters.").arg(MaxTitleLength));
    }
    const QString clientReference = in.value(QStringLiteral("client_reference")).toString();
    if (clientReference.size() > MaxClientReferenceLength) {
        return ApiResponse::error(422, QStringLiteral("invalid_client_reference"),
            QStringLiteral("The client reference may have at most %1 characters.").arg(MaxClientReferenceLength));
    }

    OrderRecord order;
    order.id = newOrderId();
    const QString token = QStringLiteral("otk_") + randomToken(32);
    order.tokenHash = tokenHash(token);
    order.status = OrderStatus::Draft;
    order.formatId = formatId;
    order.quantity = quantity;
    order.title = title;
    order.clientReference = clientReference;
    order.createdAt = order.updatedAt = QDateTime::currentMSecsSinceEpoch();
    if (Status s = m_store->createOrder(order, QStringLiteral("api")); !s)
        return storeFailure(s.error(), request);
    if (m_log) {
        m_log->info(QStringLiteral("order_created"), { { QStringLiteral("request_id"), request.requestId },
                                                         { QStringLiteral("order_id"), order.id },
                                                         { QStringLiteral("format"), formatId } });
    }
    QJsonObject body = orderJson(order, false);
    body.insert(QStringLiteral("token"), token);
    ApiResponse r = ApiResponse::json(201, body);
    r.headers.append({ QByteArray("Location"), "/v1/orders/" + order.id.toLatin1() });
    return r;
}

Result<OrderRecord> CompanionApi::authorizedOrder(const ApiRequest &request, const QString &orderId, ApiResponse *denied)
{
    const QString token = request.bearerToken();
    if (token.isEmpty()) {
        *denied = ApiResponse::error(401, QStringLiteral("missing_token"),
            QStringLiteral("This call needs the order's token as \"Authorization: Bearer <token>\"."));
        denied->headers.append({ QByteArray("WWW-Authenticate"), "Bearer" });
        return Error(QStringLiteral("missing_token"), QString());
    }
    const QByteArray presented = tokenHash(token);
    auto found = m_store->find(orderId);
    if (!found) {
        *denied = storeFailure(found.error(), request);
        return found.error();
    }
    // An unknown order and a wrong token answer alike.
    if (!found->has_value() || !StripeSignature::constantTimeEquals(presented, (*found)->tokenHash)) {
        *denied = ApiResponse::error(404, QStringLiteral("order_not_found"), QStringLiteral("No order with this id and token."));
        return Error(QStringLiteral("order_not_found"), QString());
    }
    return **found;
}

QJsonObject CompanionApi::orderJson(const OrderRecord &order, bool forAdmin)
{
    QJsonObject o {
        { QStringLiteral("id"), order.id },
        { QStringLiteral("status"), orderStatusId(order.status) },
        { QStringLiteral("format"), order.formatId },
        { QStringLiteral("quantity"), order.quantity },
        { QStringLiteral("title"), order.title },
        { QStringLiteral("client_reference"), order.clientReference },
        { QStringLiteral("created_at"), isoTime(order.createdAt) },
        { QStringLiteral("updated_at"), isoTime(order.updatedAt) },
        { QStringLiteral("needs_review"), !order.flag.isEmpty() },
    };
    QJsonArray shipments;
    if (auto list = m_store->shipments(order.id)) {
        for (const Shipment &sh : *list) {
            shipments.append(QJsonObject { { QStringLiteral("carrier"), sh.carrier },
                { QStringLiteral("tracking_number"), sh.trackingNumber }, { QStringLiteral("tracking_url"), sh.trackingUrl },
                { QStringLiteral("shipped_at"), sh.shippedAt }, { QStringLiteral("delivered_at"), sh.deliveredAt } });
        }
    }
    o.insert(QStringLiteral("shipments"), shipments);

    // Positions with their upload state (a new order has none uploaded).
    QHash<QString, OrderFile> uploaded;
    if (auto files = m_store->files(order.id)) {
        for (const OrderFile &f : *files)
            uploaded.insert(f.position, f);
    }
    QJsonArray positions;
    QJsonArray missing;
    if (const auto format = soldFormat(order.formatId)) {
        for (const ImagePosition &p : format->positions) {
            QJsonObject pos { { QStringLiteral("id"), p.id }, { QStringLiteral("page"), p.page },
                { QStringLiteral("width"), p.pixels.width() }, { QStringLiteral("height"), p.pixels.height() } };
            if (const auto it = uploaded.constFind(p.id); it != uploaded.constEnd()) {
                pos.insert(QStringLiteral("sha256"), it->sha256);
                pos.insert(QStringLiteral("size"), it->size);
            } else {
                missing.append(p.id);
            }
            positions.append(pos);
        }
    }
    o.insert(QStringLiteral("positions"), positions);
    o.insert(QStringLiteral("missing_positions"), missing);

    if (auto quote = PriceQuote::fromJson(order.quote)) {
        o.insert(QStringLiteral("amount"), QJsonObject {
            { QStringLiteral("unit_amount"), quote->unitAmount },
            { QStringLiteral("subtotal"), quote->subtotal },
            { QStringLiteral("currency"), quote->currency },
            { QStringLiteral("shipping_options"), shippingJson(quote->shipping) },
        });
    }
    if (order.amountPaid > 0)
        o.insert(QStringLiteral("paid"), QJsonObject { { QStringLiteral("amount_total"), order.amountPaid }, { QStringLiteral("currency"), order.currency } });
    if (order.status == OrderStatus::AwaitingPayment && !order.checkoutUrl.isEmpty()) {
        o.insert(QStringLiteral("checkout"), QJsonObject { { QStringLiteral("url"), order.checkoutUrl },
                                                 { QStringLiteral("expires_at"), isoTime(order.sessionExpiresAt * 1000) } });
    }
    QJsonArray history;
    if (auto entries = m_store->history(order.id)) {
        for (const OrderHistoryEntry &h : *entries) {
            history.append(QJsonObject { { QStringLiteral("at"), isoTime(h.at) }, { QStringLiteral("from"), h.from },
                { QStringLiteral("to"), h.to }, { QStringLiteral("source"), h.source }, { QStringLiteral("note"), h.note } });
        }
    }
    o.insert(QStringLiteral("history"), history);
    if (forAdmin) {
        if (auto job = m_store->fulfillmentJob(order.id); job && job->has_value()) {
            const FulfillmentJob &j = **job;
            o.insert(QStringLiteral("fulfillment"), QJsonObject {
                { QStringLiteral("step"), j.step },
                { QStringLiteral("attempts"), j.attempts },
                { QStringLiteral("next_attempt_at"), isoTime(j.nextAttemptAt) },
                { QStringLiteral("printify_product_id"), j.productId },
                { QStringLiteral("printify_order_id"), j.printifyOrderId },
                { QStringLiteral("last_error"), j.lastError },
            });
        }
        o.insert(QStringLiteral("shipping_option"), order.shippingOption);
        o.insert(QStringLiteral("flag"), order.flag);
        o.insert(QStringLiteral("stripe_session_id"), order.sessionId);
        o.insert(QStringLiteral("payment_intent"), order.paymentIntent);
        o.insert(QStringLiteral("checkout_attempt"), order.checkoutAttempt);
        o.insert(QStringLiteral("shipping"), order.shipping);
        o.insert(QStringLiteral("contact"), order.contact);
    }
    return o;
}

ApiResponse CompanionApi::getOrder(const ApiRequest &request, const QString &orderId)
{
    ApiResponse denied;
    auto order = authorizedOrder(request, orderId, &denied);
    if (!order)
        return denied;
    return ApiResponse::json(200, orderJson(*order, false));
}

ApiResponse CompanionApi::putFile(const ApiRequest &request, const QString &orderId, const QString &position)
{
    ApiResponse denied;
    auto order = authorizedOrder(request, orderId, &denied);
    if (!order)
        return denied;
    if (order->status != OrderStatus::Draft) {
        return ApiResponse::error(409, QStringLiteral("files_locked"),
            QStringLiteral("The print files of this order can no longer change: checkout has started."));
    }
    const auto format = soldFormat(order->formatId);
    if (!format)
        return ApiResponse::error(409, QStringLiteral("format_unavailable"), QStringLiteral("This order's format is no longer sold."));
    const ImagePosition *target = nullptr;
    QStringList known;
    for (const ImagePosition &p : format->positions) {
        known << p.id;
        if (p.id == position)
            target = &p;
    }
    if (!target) {
        return ApiResponse::error(404, QStringLiteral("unknown_position"),
            QStringLiteral("The format %1 has no position \"%2\"; its positions are %3.")
                .arg(format->id, position.left(64), known.join(QStringLiteral(", "))));
    }
    auto valid = UploadValidator::validate(request.body, request.header("Content-Type"), target->pixels, m_config.maxUploadBytes);
    if (!valid) {
        const QString &code = valid.error().code;
        const int status = code == QLatin1String("upload_too_large") ? 413
            : code == QLatin1String("unsupported_media_type")        ? 415
                                                                      : 422;
        return ApiResponse::error(status, code, valid.error().userMessage);
    }
    auto stored = m_files.put(request.body, valid->extension);
    if (!stored) {
        if (m_log) {
            m_log->error(QStringLiteral("file_store_failure"), { { QStringLiteral("request_id"), request.requestId },
                                                                  { QStringLiteral("code"), stored.error().code },
                                                                  { QStringLiteral("detail"), stored.error().detail } });
        }
        return ApiResponse::error(stored.error().code == QLatin1String("storage_full") ? 507 : 503, stored.error().code,
            QStringLiteral("The shop's server could not store the file right now; try again later."));
    }
    const OrderFile file { position, stored->sha256, valid->extension, stored->size, valid->size, 0 };
    auto put = m_store->putFile(order->id, file);
    if (!put)
        return storeFailure(put.error(), request);
    if (!*put) {
        return ApiResponse::error(409, QStringLiteral("files_locked"),
            QStringLiteral("The print files of this order can no longer change: checkout has started."));
    }
    auto files = m_store->files(order->id);
    QJsonArray missing;
    if (files) {
        QSet<QString> have;
        for (const OrderFile &f : *files)
            have.insert(f.position);
        for (const QString &p : std::as_const(known)) {
            if (!have.contains(p))
                missing.append(p);
        }
    }
    return ApiResponse::json(201, {
        { QStringLiteral("position"), position },
        { QStringLiteral("sha256"), stored->sha256 },
        { QStringLiteral("size"), stored->size },
        { QStringLiteral("width"), valid->size.width() },
        { QStringLiteral("height"), valid->size.height() },
        { QStringLiteral("missing_positions"), missing },
    });
}

StripeForm CompanionApi::checkoutForm(const OrderRecord &order, const PriceQuote &quote, qint64 expiresAt) const
{
    const QString base = m_config.publicUrl.toString(QUrl::StripTrailingSlash);
    const PriceEntry *price = m_config.priceBook.entry(order.formatId);
    StripeForm form;
    form.add(QStringLiteral("mode"), QStringLiteral("payment"))
        .add(QStringLiteral("line_items[0][price_data][currency]"), quote.currency)
        .add(QStringLiteral("line_items[0][price_data][unit_amount]"), quote.unitAmount)
        .add(QStringLiteral("line_items[0][price_data][product_data][name]"),
            QStringLiteral("%1 — %2").arg(quote.productName, order.title))
        .add(QStringLiteral("line_items[0][quantity]"), qint64(quote.quantity))
        .add(QStringLiteral("success_url"),
            base + QStringLiteral("/checkout/return?order=%1&session_id={CHECKOUT_SESSION_ID}").arg(order.id))
        .add(QStringLiteral("cancel_url"), base + QStringLiteral("/checkout/cancel?order=%1").arg(order.id))
        .add(QStringLiteral("client_reference_id"), order.id)
        .add(QStringLiteral("metadata[order_id]"), order.id)
        .add(QStringLiteral("metadata[format]"), order.formatId)
        .add(QStringLiteral("payment_intent_data[metadata][order_id]"), order.id)
        .add(QStringLiteral("expires_at"), expiresAt);
    const QStringList countries = price ? price->allowedCountries : QStringList();
    for (int i = 0; i < countries.size(); ++i)
        form.add(QStringLiteral("shipping_address_collection[allowed_countries][%1]").arg(i), countries[i]);
    for (int i = 0; i < quote.shipping.size(); ++i) {
        const ShippingOption &o = quote.shipping[i];
        const QString p = QStringLiteral("shipping_options[%1][shipping_rate_data]").arg(i);
        form.add(p + QStringLiteral("[type]"), QStringLiteral("fixed_amount"))
            .add(p + QStringLiteral("[display_name]"), o.displayName)
            .add(p + QStringLiteral("[fixed_amount][amount]"), o.amount)
            .add(p + QStringLiteral("[fixed_amount][currency]"), quote.currency)
            .add(p + QStringLiteral("[metadata][shipping_id]"), o.id);
        if (o.minDays > 0 && o.maxDays >= o.minDays) {
            form.add(p + QStringLiteral("[delivery_estimate][minimum][unit]"), QStringLiteral("business_day"))
                .add(p + QStringLiteral("[delivery_estimate][minimum][value]"), qint64(o.minDays))
                .add(p + QStringLiteral("[delivery_estimate][maximum][unit]"), QStringLiteral("business_day"))
                .add(p + QStringLiteral("[delivery_estimate][maximum][value]"), qint64(o.maxDays));
        }
    }
    return form;
}

ApiResponse CompanionApi::checkout(const ApiRequest &request, const QString &orderId)
{
    if (const auto d = m_checkoutLimiter.take(request.remoteAddress); !d.allowed)
        return tooManyRequests(d.retryAfterSeconds);
    ApiResponse denied;
    auto found = authorizedOrder(request, orderId, &denied);
    if (!found)
        return denied;
    OrderRecord order = *found;

    auto answer = [this](const OrderRecord &o, qint64 amountTotal) {
        QJsonObject body = orderJson(o, false);
        body.insert(QStringLiteral("checkout_url"), o.checkoutUrl);
        body.insert(QStringLiteral("amount_total"), amountTotal);
        return ApiResponse::json(200, body);
    };

    switch (order.status) {
    case OrderStatus::Draft:
    case OrderStatus::AwaitingPayment:
    case OrderStatus::Expired:
    case OrderStatus::PaymentFailed:
        break;
    default:
        return ApiResponse::error(409, QStringLiteral("checkout_not_possible"),
            QStringLiteral("This order is %1; there is nothing to pay.").arg(orderStatusId(order.status)));
    }
    const auto format = soldFormat(order.formatId);
    if (!format)
        return ApiResponse::error(409, QStringLiteral("format_unavailable"), QStringLiteral("This order's format is no longer sold."));
    auto files = m_store->files(order.id);
    if (!files)
        return storeFailure(files.error(), request);
    QStringList missing;
    for (const ImagePosition &p : format->positions) {
        if (std::none_of(files->begin(), files->end(), [&](const OrderFile &f) { return f.position == p.id; }))
            missing << p.id;
    }
    if (!missing.isEmpty()) {
        return ApiResponse::error(409, QStringLiteral("files_missing"),
            QStringLiteral("Upload every print file first; missing: %1.").arg(missing.join(QStringLiteral(", "))));
    }

    StripeClient client = stripe();
    // An open session is reused: calling checkout again never creates a second one.
    if (order.status == OrderStatus::AwaitingPayment && !order.sessionId.isEmpty()) {
        auto session = client.retrieveCheckoutSession(order.sessionId);
        if (!session)
            return stripeFailure(session.error(), request);
        if (session->status == QLatin1String("open") && session->expiresAt > now() + 60)
            return answer(order, session->amountTotal);
        if (session->status == QLatin1String("open")) {
            // About to expire: the customer could not finish in time; expire it and start anew.
            auto expired = client.expireCheckoutSession(order.sessionId,
                QStringLiteral("expire:%1:%2").arg(order.id).arg(order.checkoutAttempt));
            if (expired)
                session = std::move(expired);
            else
                session = client.retrieveCheckoutSession(order.sessionId);
            if (!session)
                return stripeFailure(session.error(), request);
        }
        // Paid or expired meanwhile: record what Stripe says, then carry on from the new state.
        auto applied = m_confirmer.applySession(*session, QStringLiteral("stripe_confirm"));
        if (!applied)
            return storeFailure(applied.error(), request);
        auto reread = m_store->find(order.id);
        if (!reread || !reread->has_value())
            return storeFailure(reread ? Error(QStringLiteral("order_not_found"), QString()) : reread.error(), request);
        order = **reread;
        if (order.status != OrderStatus::Expired && order.status != OrderStatus::PaymentFailed) {
            return ApiResponse::error(409, QStringLiteral("checkout_not_possible"),
                QStringLiteral("This order is %1; there is nothing to pay.").arg(orderStatusId(order.status)));
        }
    }

    auto quote = m_config.priceBook.quote(order.formatId, order.quantity);
    if (!quote)
        return ApiResponse::error(409, QStringLiteral("format_unavailable"), quote.error().userMessage);

    // The attempt number makes the Idempotency-Key, and everything sent for an attempt is
    // fixed by what is stored (price book, order, the attempt's expires_at), so a retry of an
    // attempt whose answer was lost — or a concurrent call — gets Stripe's stored session back.
    // A new attempt starts when the previous session expired or failed, when a prepared
    // attempt's expiry is too near for Stripe (30 minutes at least), or when Stripe saved an
    // error under the key.
    const qint64 minimumExpiry = now() + 31 * 60;
    OrderStore::CheckoutAttempt attempt { order.checkoutAttempt, order.sessionExpiresAt };
    auto advance = [&]() -> std::optional<Error> {
        auto advanced = m_store->advanceCheckoutAttempt(order.id, attempt.number,
            now() + qint64(m_config.checkoutExpiryMinutes) * 60);
        if (!advanced)
            return advanced.error();
        attempt = *advanced;
        return std::nullopt;
    };
    if (attempt.number == 0 || order.status != OrderStatus::Draft || attempt.expiresAt < minimumExpiry) {
        if (auto failed = advance())
            return storeFailure(*failed, request);
    }

    Result<StripeSession> session = Error();
    for (int tries = 0; tries < 2; ++tries) {
        session = client.createCheckoutSession(checkoutForm(order, *quote, attempt.expiresAt),
            QStringLiteral("checkout:%1:%2").arg(order.id).arg(attempt.number));
        if (session)
            break;
        // Stripe keeps a 500 under its key and refuses the key with other parameters (the owner
        // changed a price): that key is spent, the next try needs a new attempt.
        const QString &code = session.error().code;
        if (code != QLatin1String("stripe_server_error") && code != QLatin1String("stripe_idempotency"))
            break;
        if (auto failed = advance())
            return storeFailure(*failed, request);
        if (code == QLatin1String("stripe_server_error"))
            break;
    }
    if (!session)
        return stripeFailure(session.error(), request);

    auto changed = m_store->applyTransition(order.id,
        { OrderStatus::AwaitingPayment, { OrderStatus::Draft, OrderStatus::Expired, OrderStatus::PaymentFailed }, {},
            QStringLiteral("api"), QStringLiteral("checkout session %1 (attempt %2)").arg(session->id).arg(attempt.number),
            {
                { QStringLiteral("stripe_session_id"), session->id },
                { QStringLiteral("checkout_url"), session->url },
                { QStringLiteral("session_expires_at"), session->expiresAt },
                { QStringLiteral("quote_json"), QVariant::fromValue(quote->toJson()) },
            } });
    if (!changed)
        return storeFailure(changed.error(), request);
    auto reread = m_store->find(order.id);
    if (!reread || !reread->has_value())
        return storeFailure(reread ? Error(QStringLiteral("order_not_found"), QString()) : reread.error(), request);
    if ((*reread)->sessionId != session->id) {
        // A concurrent call stored its session first (the same one, by the idempotency key,
        // unless the attempts differ); answer with what the order now has.
        return answer(**reread, session->amountTotal);
    }
    if (m_log) {
        m_log->info(QStringLiteral("checkout_created"), { { QStringLiteral("request_id"), request.requestId },
                                                             { QStringLiteral("order_id"), order.id },
                                                             { QStringLiteral("attempt"), attempt.number } });
    }
    return answer(**reread, session->amountTotal);
}

Result<PaymentConfirmer::Outcome> CompanionApi::confirmWithStripe(const OrderRecord &order, const QString &source)
{
    auto session = stripe().retrieveCheckoutSession(order.sessionId);
    if (!session)
        return session.error();
    return m_confirmer.applySession(*session, source);
}

ApiResponse CompanionApi::confirm(const ApiRequest &request, const QString &orderId)
{
    ApiResponse denied;
    auto order = authorizedOrder(request, orderId, &denied);
    if (!order)
        return denied;
    if (order->sessionId.isEmpty()) {
        return ApiResponse::error(409, QStringLiteral("no_checkout"),
            QStringLiteral("This order has no checkout yet; start one with /checkout."));
    }
    auto outcome = confirmWithStripe(*order, QStringLiteral("stripe_confirm"));
    if (!outcome) {
        if (outcome.error().code.startsWith(QLatin1String("stripe_")))
            return stripeFailure(outcome.error(), request);
        return storeFailure(outcome.error(), request);
    }
    auto reread = m_store->find(order->id);
    if (!reread || !reread->has_value())
        return storeFailure(reread ? Error(QStringLiteral("order_not_found"), QString()) : reread.error(), request);
    QJsonObject body = orderJson(**reread, false);
    body.insert(QStringLiteral("outcome"), PaymentConfirmer::outcomeId(*outcome));
    return ApiResponse::json(200, body);
}

ApiResponse CompanionApi::cancel(const ApiRequest &request, const QString &orderId)
{
    ApiResponse denied;
    auto found = authorizedOrder(request, orderId, &denied);
    if (!found)
        return denied;
    OrderRecord order = *found;
    if (order.status == OrderStatus::AwaitingPayment && !order.sessionId.isEmpty()) {
        auto expired = stripe().expireCheckoutSession(order.sessionId,
            QStringLiteral("expire:%1:%2").arg(order.id).arg(order.checkoutAttempt));
        if (!expired) {
            if (expired.error().code != QLatin1String("stripe_invalid_request"))
                return stripeFailure(expired.error(), request);
            // Stripe refuses to expire a session that is no longer open: the customer paid
            // (or it expired) meanwhile. Take Stripe's word for it.
            auto outcome = confirmWithStripe(order, QStringLiteral("stripe_confirm"));
            if (!outcome)
                return outcome.error().code.startsWith(QLatin1String("stripe_")) ? stripeFailure(outcome.error(), request)
                                                                                  : storeFailure(outcome.error(), request);
        } else {
            auto applied = m_confirmer.applySession(*expired, QStringLiteral("stripe_confirm"));
            if (!applied)
                return storeFailure(applied.error(), request);
        }
        auto reread = m_store->find(order.id);
        if (!reread || !reread->has_value())
            return storeFailure(reread ? Error(QStringLiteral("order_not_found"), QString()) : reread.error(), request);
        order = **reread;
    }
    auto changed = m_store->applyTransition(order.id,
        { OrderStatus::Canceled, { OrderStatus::Draft, OrderStatus::Expired, OrderStatus::PaymentFailed }, {},
            QStringLiteral("api"), QStringLiteral("canceled by the customer"), {} });
    if (!changed)
        return storeFailure(changed.error(), request);
    auto reread = m_store->find(order.id);
    if (!reread || !reread->has_value())
        return storeFailure(reread ? Error(QStringLiteral("order_not_found"), QString()) : reread.error(), request);
    if ((*reread)->status != OrderStatus::Canceled) {
        return ApiResponse::error(409, QStringLiteral("cancel_not_possible"),
            QStringLiteral("This order is %1 and can no longer be canceled here.").arg(orderStatusId((*reread)->status)));
    }
    return ApiResponse::json(200, orderJson(**reread, false));
}

// --- Stripe webhooks ------------------------------------------------------------------------------

ApiResponse CompanionApi::stripeWebhook(const ApiRequest &request)
{
    if (request.body.size() > MaxWebhookBody)
        return ApiResponse::error(413, QStringLiteral("body_too_large"), QStringLiteral("The event is too large."));
    const auto verdict = StripeSignature::verify(request.header("Stripe-Signature"), request.body,
        m_config.stripeWebhookSecrets, now());
    if (verdict != StripeSignature::Verdict::Valid) {
        if (m_log) {
            m_log->warning(QStringLiteral("stripe_webhook_rejected"), { { QStringLiteral("request_id"), request.requestId },
                                                                         { QStringLiteral("reason"), StripeSignature::describe(verdict) },
                                                                         { QStringLiteral("remote"), request.remoteAddress } });
        }
        return ApiResponse::error(400, QStringLiteral("invalid_signature"),
            QStringLiteral("The Stripe-Signature header does not verify: %1.").arg(StripeSignature::describe(verdict)));
    }
    const QJsonObject event = QJsonDocument::fromJson(request.body).object();
    const QString id = event.value(QStringLiteral("id")).toString();
    const QString type = event.value(QStringLiteral("type")).toString();
    if (id.isEmpty() || type.isEmpty() || event.value(QStringLiteral("object")).toString() != QLatin1String("event")) {
        return ApiResponse::error(400, QStringLiteral("invalid_event"), QStringLiteral("The body is not a Stripe event."));
    }
    auto recorded = m_store->recordStripeEvent(id, type, request.body);
    if (!recorded)
        return storeFailure(recorded.error(), request); // 503: Stripe delivers it again later
    if (m_log) {
        m_log->info(QStringLiteral("stripe_event_received"), { { QStringLiteral("request_id"), request.requestId },
                                                                 { QStringLiteral("event_id"), id },
                                                                 { QStringLiteral("type"), type },
                                                                 { QStringLiteral("duplicate"), !*recorded } });
    }
    if (*recorded) {
        const QByteArray payload = request.body;
        m_defer([this, id, type, payload] { processEvent(id, type, payload); });
    }
    return ApiResponse::json(200, { { QStringLiteral("received"), true }, { QStringLiteral("duplicate"), !*recorded } });
}

void CompanionApi::processEvent(const QString &eventId, const QString &type, const QByteArray &payload)
{
    const QJsonObject object = QJsonDocument::fromJson(payload).object()
                                   .value(QStringLiteral("data")).toObject()
                                   .value(QStringLiteral("object")).toObject();
    Result<PaymentConfirmer::Outcome> outcome = PaymentConfirmer::Outcome::Ignored;
    if (type.startsWith(QLatin1String("checkout.session."))) {
        auto session = StripeSession::fromJson(object);
        if (!session) {
            outcome = session.error();
        } else {
            outcome = m_confirmer.applySession(*session, QStringLiteral("stripe_webhook"), type);
        }
    } else if (type == QLatin1String("charge.refunded")) {
        outcome = m_confirmer.applyRefund(object, QStringLiteral("stripe_webhook"));
    }
    if (!outcome) {
        // Left unprocessed: retried by processPendingEvents() (on the next start or timer).
        if (m_log) {
            m_log->error(QStringLiteral("stripe_event_failed"), { { QStringLiteral("event_id"), eventId },
                                                                   { QStringLiteral("type"), type },
                                                                   { QStringLiteral("code"), outcome.error().code },
                                                                   { QStringLiteral("detail"), outcome.error().detail } });
        }
        if (outcome.error().code != QLatin1String("stripe_bad_response"))
            return;
    }
    const QString result = outcome ? PaymentConfirmer::outcomeId(*outcome) : QStringLiteral("malformed");
    if (m_log) {
        m_log->info(QStringLiteral("stripe_event_processed"),
            { { QStringLiteral("event_id"), eventId }, { QStringLiteral("type"), type }, { QStringLiteral("outcome"), result } });
    }
    (void)m_store->markStripeEventProcessed(eventId, result);
}

int CompanionApi::processPendingEvents()
{
    auto pending = m_store->unprocessedStripeEvents();
    if (!pending)
        return 0;
    for (const StoredEvent &e : *pending)
        processEvent(e.id, e.type, e.payload);
    return int(pending->size());
}

// --- pages ------------------------------------------------------------------------------------------

ApiResponse CompanionApi::checkoutPage(const ApiRequest &request, bool returned)
{
    if (!returned) {
        return ApiResponse::html(200, pageHtml(QStringLiteral("Payment canceled"),
                                          QStringLiteral("Nothing was charged. You can return to Calendar Studio.")));
    }
    // The browser came back from Stripe: ask Stripe now rather than wait for the webhook. Only
    // Stripe's answer counts, so an invented session id changes nothing.
    const QString sessionId = request.query.queryItemValue(QStringLiteral("session_id"));
    if (!sessionId.isEmpty() && sessionId.size() <= 255) {
        m_defer([this, sessionId] {
            auto order = m_store->findBySession(sessionId);
            if (order && order->has_value() && (*order)->status == OrderStatus::AwaitingPayment)
                (void)confirmWithStripe(**order, QStringLiteral("stripe_confirm"));
        });
    }
    return ApiResponse::html(200, pageHtml(QStringLiteral("Payment received"),
                                      QStringLiteral("Thank you — you can return to Calendar Studio, which shows your "
                                                     "order's progress.")));
}

// --- admin -----------------------------------------------------------------------------------------

std::optional<ApiResponse> CompanionApi::checkAdmin(const ApiRequest &request) const
{
    const QString token = request.bearerToken();
    if (token.isEmpty()) {
        ApiResponse r = ApiResponse::error(401, QStringLiteral("missing_token"), QStringLiteral("Admin calls need the admin token."));
        r.headers.append({ QByteArray("WWW-Authenticate"), "Bearer" });
        return r;
    }
    if (m_config.adminToken.isEmpty() || !StripeSignature::constantTimeEquals(tokenHash(token), tokenHash(m_config.adminToken)))
        return ApiResponse::error(403, QStringLiteral("forbidden"), QStringLiteral("The admin token is wrong."));
    return std::nullopt;
}

ApiResponse CompanionApi::adminOrders(const ApiRequest &request)
{
    std::optional<OrderStatus> status;
    const QString statusText = request.query.queryItemValue(QStringLiteral("status"));
    if (!statusText.isEmpty()) {
        status = orderStatusFromId(statusText);
        if (!status)
            return ApiResponse::error(400, QStringLiteral("invalid_status"), QStringLiteral("Unknown status \"%1\".").arg(statusText.left(40)));
    }
    const bool flagged = request.query.queryItemValue(QStringLiteral("flagged")) == QLatin1String("1");
    const int limit = request.query.hasQueryItem(QStringLiteral("limit"))
        ? request.query.queryItemValue(QStringLiteral("limit")).toInt()
        : 100;
    auto orders = m_store->list(status, flagged, limit);
    if (!orders)
        return storeFailure(orders.error(), request);
    QJsonArray list;
    for (const OrderRecord &o : *orders) {
        list.append(QJsonObject {
            { QStringLiteral("id"), o.id },
            { QStringLiteral("status"), orderStatusId(o.status) },
            { QStringLiteral("format"), o.formatId },
            { QStringLiteral("quantity"), o.quantity },
            { QStringLiteral("title"), o.title },
            { QStringLiteral("amount_paid"), o.amountPaid },
            { QStringLiteral("currency"), o.currency },
            { QStringLiteral("flag"), o.flag },
            { QStringLiteral("created_at"), isoTime(o.createdAt) },
            { QStringLiteral("updated_at"), isoTime(o.updatedAt) },
        });
    }
    return ApiResponse::json(200, { { QStringLiteral("orders"), list } });
}

ApiResponse CompanionApi::adminOrder(const ApiRequest &request, const QString &orderId)
{
    auto found = m_store->find(orderId);
    if (!found)
        return storeFailure(found.error(), request);
    if (!found->has_value())
        return ApiResponse::error(404, QStringLiteral("order_not_found"), QStringLiteral("There is no order %1.").arg(orderId.left(64)));
    return ApiResponse::json(200, orderJson(**found, true));
}

// --- catalog from Printify ------------------------------------------------------------------------

std::optional<PrintFormat> CompanionApi::soldFormat(const QString &id) const
{
    QReadLocker lock(&m_catalogLock);
    if (m_unavailable.contains(id))
        return std::nullopt;
    if (const auto it = m_discovered.constFind(id); it != m_discovered.constEnd())
        return *it;
    // With Printify fulfilling orders, a format is sold only once its positions came from
    // Printify's catalog (the configured ones would not match Printify's placeholders).
    if (!m_config.printifyApiToken.isEmpty() && m_config.printifyMapping.contains(id))
        return std::nullopt;
    return m_config.format(id);
}

void CompanionApi::reloadCatalog()
{
    auto entries = m_store->catalogEntries();
    if (!entries)
        return;
    QHash<QString, PrintFormat> discovered;
    QHash<QString, QString> unavailable;
    for (const auto &e : *entries) {
        if (!m_config.format(e.formatId))
            continue; // no longer configured
        if (!e.problem.isEmpty()) {
            unavailable.insert(e.formatId, e.problem);
        } else if (auto f = PrintFormat::fromJson(e.format)) {
            discovered.insert(e.formatId, *f);
        }
    }
    QWriteLocker lock(&m_catalogLock);
    m_discovered = discovered;
    m_unavailable = unavailable;
}

QHash<QString, QString> CompanionApi::unavailableFormats() const
{
    QReadLocker lock(&m_catalogLock);
    return m_unavailable;
}

// --- Printify webhooks and file links ---------------------------------------------------------------

ApiResponse CompanionApi::printifyWebhook(const ApiRequest &request)
{
    if (request.body.size() > MaxWebhookBody)
        return ApiResponse::error(413, QStringLiteral("body_too_large"), QStringLiteral("The event is too large."));
    if (m_config.printifyWebhookSecret.isEmpty()) {
        return ApiResponse::error(503, QStringLiteral("not_configured"),
            QStringLiteral("This server has no Printify webhook secret configured."));
    }
    if (!PrintifySignature::verify(request.header("X-Pfy-Signature"), request.body, m_config.printifyWebhookSecret.toUtf8())) {
        if (m_log) {
            m_log->warning(QStringLiteral("printify_webhook_rejected"), { { QStringLiteral("request_id"), request.requestId },
                                                                           { QStringLiteral("remote"), request.remoteAddress } });
        }
        return ApiResponse::error(400, QStringLiteral("invalid_signature"),
            QStringLiteral("The X-Pfy-Signature header does not verify."));
    }
    const QJsonObject event = QJsonDocument::fromJson(request.body).object();
    const QString id = event.value(QStringLiteral("id")).toString();
    const QString topic = event.value(QStringLiteral("type")).toString();
    const QString printifyOrder = event.value(QStringLiteral("resource")).toObject().value(QStringLiteral("id")).toString();
    if (id.isEmpty() || topic.isEmpty())
        return ApiResponse::error(400, QStringLiteral("invalid_event"), QStringLiteral("The body is not a Printify event."));
    auto recorded = m_store->recordPrintifyEvent(id, topic, printifyOrder, request.body);
    if (!recorded)
        return storeFailure(recorded.error(), request);
    if (m_log) {
        m_log->info(QStringLiteral("printify_event_received"), { { QStringLiteral("request_id"), request.requestId },
                                                                   { QStringLiteral("event_id"), id },
                                                                   { QStringLiteral("type"), topic },
                                                                   { QStringLiteral("duplicate"), !*recorded } });
    }
    // The payload is only a hint: the order is read from Printify for the truth (and in any order).
    if (*recorded && !printifyOrder.isEmpty() && m_printifyHint) {
        auto orderId = m_store->orderIdForPrintifyOrder(printifyOrder);
        if (orderId && !orderId->isEmpty()) {
            const QString ours = *orderId;
            m_defer([this, ours] { m_printifyHint(ours); });
        }
    }
    return ApiResponse::json(200, { { QStringLiteral("received"), true }, { QStringLiteral("duplicate"), !*recorded } });
}

ApiResponse CompanionApi::signedFile(const ApiRequest &request, const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("^([0-9a-f]{64})\\.(jpg|png)$"));
    const auto match = valid.match(name);
    const FileUrls links(m_config.adminToken, m_config.publicUrl);
    const qint64 expires = request.query.queryItemValue(QStringLiteral("expires")).toLongLong();
    const QByteArray sig = request.query.queryItemValue(QStringLiteral("sig")).toLatin1();
    if (!match.hasMatch() || !links.verify(name, expires, sig, now()))
        return ApiResponse::error(403, QStringLiteral("forbidden"), QStringLiteral("This link is not valid or has expired."));
    QFile file(m_files.pathFor(match.captured(1), match.captured(2)));
    if (!file.open(QIODevice::ReadOnly))
        return ApiResponse::error(404, QStringLiteral("not_found"), QStringLiteral("The file is no longer kept."));
    ApiResponse r;
    r.contentType = match.captured(2) == QLatin1String("png") ? "image/png" : "image/jpeg";
    r.body = file.readAll();
    return r;
}

ApiResponse CompanionApi::adminAction(const ApiRequest &request, const QString &orderId, const QString &action)
{
    auto found = m_store->find(orderId);
    if (!found)
        return storeFailure(found.error(), request);
    if (!found->has_value())
        return ApiResponse::error(404, QStringLiteral("order_not_found"), QStringLiteral("There is no order %1.").arg(orderId.left(64)));
    const OrderRecord order = **found;
    if (action == QLatin1String("retry")) {
        if (!m_retry)
            return ApiResponse::error(503, QStringLiteral("not_configured"), QStringLiteral("Fulfillment is not running on this server."));
        if (Status s = m_retry(order.id); !s) {
            return s.error().code == QLatin1String("not_retryable") ? ApiResponse::error(409, s.error().code, s.error().userMessage)
                                                                    : storeFailure(s.error(), request);
        }
    } else {
        if (order.paymentIntent.isEmpty() || !canTransition(order.status, OrderStatus::Refunded)) {
            return ApiResponse::error(409, QStringLiteral("not_refundable"),
                QStringLiteral("This order is %1 and has no payment to refund.").arg(orderStatusId(order.status)));
        }
        auto refund = stripe().createRefund(order.paymentIntent, QStringLiteral("refund:%1").arg(order.id));
        if (!refund)
            return stripeFailure(refund.error(), request);
        auto changed = m_store->applyTransition(order.id,
            { OrderStatus::Refunded, {}, {}, QStringLiteral("admin"),
                QStringLiteral("refunded by the owner (%1)").arg(refund->value(QStringLiteral("id")).toString()), {} });
        if (!changed)
            return storeFailure(changed.error(), request);
        if (m_log)
            m_log->info(QStringLiteral("order_refunded"), { { QStringLiteral("order_id"), order.id } });
    }
    auto reread = m_store->find(order.id);
    if (!reread || !reread->has_value())
        return storeFailure(reread ? Error(QStringLiteral("order_not_found"), QString()) : reread.error(), request);
    return ApiResponse::json(200, orderJson(**reread, true));
}

} // namespace CalStudio
