#include "app/sandbox/printifyfake.h"

#include "app/sandbox/faultplan.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QImageReader>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <cmath>

namespace CalStudio {

namespace {

constexpr qint64 RecordedBodyLimit = 64 * 1024;
constexpr qint64 MaxFetchBytes = 100 * 1024 * 1024;
constexpr int FetchTimeoutMs = 30000;
constexpr int UploadsMaxLimit = 100;
constexpr int ProductsMaxLimit = 50;
constexpr int OrdersMaxLimit = 50;

SandboxReply jsonReply(int status, const QJsonValue &value)
{
    SandboxReply reply;
    reply.status = status;
    reply.body = value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                 : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    return reply;
}

/// `{"status":"error","code":<http status>,"message":…}`: 401, 404, 405, 429, 5xx.
SandboxReply plainError(int status, const QString &message)
{
    return jsonReply(status,
        QJsonObject { { QStringLiteral("status"), QStringLiteral("error") }, { QStringLiteral("code"), status },
            { QStringLiteral("message"), message } });
}

/// Printify's validation shape (EXTERNAL_APIS.md 1.3): 8150, or 8251 for variants.
SandboxReply validationError(const QString &reason, int code = 8150)
{
    return jsonReply(400,
        QJsonObject { { QStringLiteral("status"), QStringLiteral("error") }, { QStringLiteral("code"), code },
            { QStringLiteral("message"), QStringLiteral("Validation failed.") },
            { QStringLiteral("errors"),
                QJsonObject { { QStringLiteral("reason"), reason }, { QStringLiteral("code"), code } } } });
}

SandboxReply operationFailed()
{
    return jsonReply(400,
        QJsonObject {
            { QStringLiteral("code"), 8502 }, { QStringLiteral("message"), QStringLiteral("Operation failed.") } });
}

SandboxReply notFound()
{
    return plainError(404, QStringLiteral("Not found."));
}

SandboxReply controlError(int status, const QString &message)
{
    return jsonReply(status, QJsonObject { { QStringLiteral("error"), message } });
}

/// Adds headers to a reply, or to the reply a deferred one resolves to.
void addHeaders(SandboxReply &reply, const SandboxHeaders &headers)
{
    if (reply.deferred) {
        reply.deferred = [inner = std::move(reply.deferred), headers](std::function<void(SandboxReply)> respond) {
            inner([respond = std::move(respond), headers](SandboxReply r) {
                r.headers.append(headers);
                respond(std::move(r));
            });
        };
        return;
    }
    reply.headers.append(headers);
}

/// A Mongo-style object id: 4 bytes of seconds since the epoch, then 8 random bytes, as 24 hex digits.
QString newObjectId()
{
    const quint32 seconds = quint32(QDateTime::currentSecsSinceEpoch());
    const quint64 random = QRandomGenerator::global()->generate64();
    return QStringLiteral("%1%2").arg(seconds, 8, 16, QLatin1Char('0')).arg(random, 16, 16, QLatin1Char('0'));
}

QString uploadTime(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QJsonValue timeOrNull(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(PrintifyFake::timestamp(time)) : QJsonValue(QJsonValue::Null);
}

/// An integer given as a JSON number or a string of digits (Laravel accepts both).
std::optional<qint64> integer(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double d = value.toDouble();
        if (std::floor(d) == d && std::abs(d) < 9e15)
            return qint64(d);
        return std::nullopt;
    }
    if (value.isString()) {
        static const QRegularExpression digits(QStringLiteral("^-?\\d{1,15}$"));
        if (digits.match(value.toString()).hasMatch())
            return value.toString().toLongLong();
    }
    return std::nullopt;
}

std::optional<QJsonObject> bodyObject(const SandboxRequest &request)
{
    if (request.body.trimmed().isEmpty())
        return QJsonObject();
    const QJsonDocument doc = QJsonDocument::fromJson(request.body);
    if (!doc.isObject())
        return std::nullopt;
    return doc.object();
}

bool isHttpUrl(const QString &text, QUrl *out = nullptr)
{
    const QUrl url(text, QUrl::StrictMode);
    const bool ok = url.isValid() && !url.host().isEmpty()
        && (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"));
    if (ok && out)
        *out = url;
    return ok;
}

/// PNG or JPEG header: the format's MIME type and size, or nullopt.
std::optional<std::pair<QString, QSize>> inspectImage(const QByteArray &bytes)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    const QByteArray format = reader.format().toLower();
    if (format != "png" && format != "jpeg" && format != "jpg")
        return std::nullopt;
    const QSize size = reader.size();
    if (!size.isValid() || size.isEmpty())
        return std::nullopt;
    return std::make_pair(format == "png" ? QStringLiteral("image/png") : QStringLiteral("image/jpeg"), size);
}

/// page and limit of a paginated GET; an 8150 for bad values.
std::optional<SandboxReply> pageAndLimit(const SandboxRequest &request, int maxLimit, int *page, int *limit)
{
    *page = 1;
    *limit = 10;
    if (request.query.hasQueryItem(QStringLiteral("page"))) {
        const auto value = integer(request.query.queryItemValue(QStringLiteral("page")));
        if (!value || *value < 1)
            return validationError(QStringLiteral("page: The page must be at least 1."));
        *page = int(std::min<qint64>(*value, 1000000));
    }
    if (request.query.hasQueryItem(QStringLiteral("limit"))) {
        const auto value = integer(request.query.queryItemValue(QStringLiteral("limit")));
        if (!value || *value < 1)
            return validationError(QStringLiteral("limit: The limit must be at least 1."));
        if (*value > maxLimit)
            return validationError(QStringLiteral("limit: The limit must not be greater than %1.").arg(maxLimit));
        *limit = int(*value);
    }
    return std::nullopt;
}

/// A Laravel-style paginator over `all` (EXTERNAL_APIS.md 1.7).
QJsonObject paginator(const QJsonArray &all, int page, int limit)
{
    const qsizetype total = all.size();
    const int lastPage = std::max(1, int((total + limit - 1) / limit));
    const qsizetype first = qsizetype(page - 1) * limit;
    QJsonArray data;
    for (qsizetype i = first; i < total && i < first + limit; ++i)
        data.append(all.at(i));
    const auto pageUrl = [](int n) { return QJsonValue(QStringLiteral("/?page=%1").arg(n)); };
    return QJsonObject { { QStringLiteral("current_page"), page }, { QStringLiteral("data"), data },
        { QStringLiteral("first_page_url"), pageUrl(1) },
        { QStringLiteral("from"), data.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(qint64(first + 1)) },
        { QStringLiteral("last_page"), lastPage }, { QStringLiteral("last_page_url"), pageUrl(lastPage) },
        { QStringLiteral("next_page_url"), page < lastPage ? pageUrl(page + 1) : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("path"), QStringLiteral("/") }, { QStringLiteral("per_page"), limit },
        { QStringLiteral("prev_page_url"), page > 1 ? pageUrl(page - 1) : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("to"),
            data.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(qint64(first + data.size())) },
        { QStringLiteral("total"), qint64(total) } };
}

QString methodKey(int shippingMethod)
{
    switch (shippingMethod) {
    case 1:
        return QStringLiteral("standard");
    case 2:
        return QStringLiteral("priority");
    case 3:
        return QStringLiteral("printify_express");
    case 4:
        return QStringLiteral("economy");
    default:
        return {};
    }
}

QString trackingUrlFor(const QString &carrier, const QString &number)
{
    if (carrier.compare(QLatin1String("usps"), Qt::CaseInsensitive) == 0)
        return QStringLiteral("https://tools.usps.com/go/TrackConfirmAction?tLabels=") + number;
    if (carrier.compare(QLatin1String("ups"), Qt::CaseInsensitive) == 0)
        return QStringLiteral("https://www.ups.com/track?tracknum=") + number;
    return QStringLiteral("https://track.sandbox.printify.test/%1/%2").arg(carrier.toLower(), number);
}

const QRegularExpression &shopPattern()
{
    static const QRegularExpression pattern(QStringLiteral("^/v1/shops/([^/]+)/(.+)$"));
    return pattern;
}

bool isCreate(const SandboxRequest &request)
{
    static const QRegularExpression pattern(QStringLiteral("^/v1/shops/[^/]+/(orders|products)\\.json$"));
    return request.method == "POST" && pattern.match(request.path).hasMatch();
}

} // namespace

// ---- Settings ----------------------------------------------------------------------------------

QJsonObject PrintifyFake::Settings::toJson() const
{
    return QJsonObject { { QStringLiteral("pending_ms"), pendingMs }, { QStringLiteral("pending_gets"), pendingGets },
        { QStringLiteral("production_ms"), productionMs },
        { QStringLiteral("rate_limit_per_minute"), rateLimitPerMinute },
        { QStringLiteral("catalog_rate_limit_per_minute"), catalogRateLimitPerMinute },
        { QStringLiteral("rate_limit_window_ms"), rateLimitWindowMs } };
}

std::optional<QString> PrintifyFake::Settings::apply(const QJsonObject &object)
{
    Settings next = *this;
    struct Field {
        const char *key;
        int *target;
        int minimum;
    };
    const Field fields[] = {
        { "pending_ms", &next.pendingMs, -1 },
        { "pending_gets", &next.pendingGets, 0 },
        { "production_ms", &next.productionMs, -1 },
        { "rate_limit_per_minute", &next.rateLimitPerMinute, 1 },
        { "catalog_rate_limit_per_minute", &next.catalogRateLimitPerMinute, 1 },
        { "rate_limit_window_ms", &next.rateLimitWindowMs, 100 },
    };
    for (auto it = object.begin(); it != object.end(); ++it) {
        const auto field = std::find_if(
            std::begin(fields), std::end(fields), [&](const Field &f) { return it.key() == QLatin1String(f.key); });
        if (field == std::end(fields))
            return QStringLiteral("unknown setting \"%1\"").arg(it.key());
        const auto value = integer(it.value());
        if (!value || *value < field->minimum || *value > 86400000)
            return QStringLiteral("%1 must be an integer ≥ %2").arg(it.key()).arg(field->minimum);
        *field->target = int(*value);
    }
    *this = next;
    return std::nullopt;
}

// ---- Basics ------------------------------------------------------------------------------------

PrintifyFake::PrintifyFake(FaultPlan *faults, PrintifyWebhookSender *webhooks, QString token, qint64 shopId)
    : m_faults(faults)
    , m_webhooks(webhooks)
    , m_token(std::move(token))
    , m_shopId(shopId)
{
    m_clock.start();
}

bool PrintifyFake::handles(const QString &path)
{
    return path == QLatin1String("/v1/shops.json") || path.startsWith(QLatin1String("/v1/shops/"))
        || path.startsWith(QLatin1String("/v1/catalog/")) || path.startsWith(QLatin1String("/v2/catalog/"))
        || path == QLatin1String("/v1/uploads.json") || path.startsWith(QLatin1String("/v1/uploads/"))
        || path == QLatin1String(ControlPrefix) || path.startsWith(QLatin1String(ControlPrefix) + QLatin1Char('/'));
}

QString PrintifyFake::timestamp(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QStringLiteral("+00:00");
}

const QStringList &PrintifyFake::statuses()
{
    static const QStringList list { QStringLiteral("pending"), QStringLiteral("on-hold"),
        QStringLiteral("payment-not-received"), QStringLiteral("callback-received"),
        QStringLiteral("checking-sending-to-production"), QStringLiteral("sending-to-production"),
        QStringLiteral("in-production"), QStringLiteral("partially-fulfilled"), QStringLiteral("fulfilled"),
        QStringLiteral("canceled"), QStringLiteral("had-issues") };
    return list;
}

const QStringList &PrintifyFake::topics()
{
    static const QStringList list { QStringLiteral("order:created"), QStringLiteral("order:updated"),
        QStringLiteral("order:sent-to-production"), QStringLiteral("order:shipment:created"),
        QStringLiteral("order:shipment:delivered"), QStringLiteral("product:publish:started"),
        QStringLiteral("product:deleted"), QStringLiteral("shop:disconnected") };
    return list;
}

void PrintifyFake::setSettings(const Settings &settings, bool startup)
{
    const bool limitsChanged = settings.rateLimitPerMinute != m_settings.rateLimitPerMinute
        || settings.catalogRateLimitPerMinute != m_settings.catalogRateLimitPerMinute
        || settings.rateLimitWindowMs != m_settings.rateLimitWindowMs;
    m_settings = settings;
    if (startup)
        m_startupSettings = settings;
    if (limitsChanged) {
        m_global = {};
        m_catalogWindow = {};
    }
}

int PrintifyFake::count(const QByteArray &method, const QString &pathPart) const
{
    return int(std::count_if(m_requests.cbegin(), m_requests.cend(),
        [&](const Recorded &r) { return r.request.method == method && r.request.path.contains(pathPart); }));
}

QList<const PrintifyFake::Order *> PrintifyFake::orders() const
{
    QList<const Order *> list;
    for (const QString &id : m_orderOrder) {
        const auto it = m_orders.constFind(id);
        if (it != m_orders.cend())
            list.append(&it.value());
    }
    return list;
}

const PrintifyFake::Order *PrintifyFake::order(const QString &id) const
{
    const auto it = m_orders.constFind(id);
    return it == m_orders.cend() ? nullptr : &it.value();
}

PrintifyFake::Order *PrintifyFake::findOrder(const QString &id)
{
    const auto it = m_orders.find(id);
    return it == m_orders.end() ? nullptr : &it.value();
}

const PrintifyFake::Upload *PrintifyFake::upload(const QString &id) const
{
    const auto it = m_uploads.constFind(id);
    return it == m_uploads.cend() ? nullptr : &it.value();
}

void PrintifyFake::reset()
{
    ++m_generation;
    m_requests.clear();
    m_uploads.clear();
    m_uploadOrder.clear();
    m_products.clear();
    m_productOrder.clear();
    m_orders.clear();
    m_orderOrder.clear();
    m_registered.clear();
    m_events.clear();
    m_catalog.restoreAll();
    m_settings = m_startupSettings;
    m_global = {};
    m_catalogWindow = {};
    if (m_webhooks)
        m_webhooks->reset();
}

void PrintifyFake::record(const SandboxRequest &request)
{
    Recorded recorded { request, request.body.size() };
    if (recorded.request.body.size() > RecordedBodyLimit)
        recorded.request.body.truncate(RecordedBodyLimit);
    m_requests.append(recorded);
}

std::optional<int> PrintifyFake::admit(bool catalog, int *remaining)
{
    const qint64 now = m_clock.elapsed();
    const qint64 window = m_settings.rateLimitWindowMs;
    const auto purge = [&](RateWindow &w) {
        while (!w.stamps.isEmpty() && now - w.stamps.first() >= window)
            w.stamps.removeFirst();
    };
    purge(m_global);
    purge(m_catalogWindow);
    const auto retryAfter
        = [&](const RateWindow &w) { return int(std::max<qint64>(1, (w.stamps.first() + window - now + 999) / 1000)); };
    if (m_global.stamps.size() >= m_settings.rateLimitPerMinute) {
        *remaining = 0;
        return retryAfter(m_global);
    }
    if (catalog && m_catalogWindow.stamps.size() >= m_settings.catalogRateLimitPerMinute) {
        *remaining = 0;
        return retryAfter(m_catalogWindow);
    }
    m_global.stamps.append(now);
    if (catalog) {
        m_catalogWindow.stamps.append(now);
        *remaining = int(m_settings.catalogRateLimitPerMinute - m_catalogWindow.stamps.size());
    } else {
        *remaining = int(m_settings.rateLimitPerMinute - m_global.stamps.size());
    }
    return std::nullopt;
}

// ---- Dispatch ----------------------------------------------------------------------------------

SandboxReply PrintifyFake::handle(const SandboxRequest &request)
{
    if (request.path == QLatin1String(ControlPrefix)
        || request.path.startsWith(QLatin1String(ControlPrefix) + QLatin1Char('/')))
        return control(request);
    record(request);

    const QString line = QString::fromLatin1(request.method) + QLatin1Char(' ') + request.path;
    const bool post = request.method == "POST";
    const bool create = isCreate(request);
    std::optional<Fault> fault;
    if (m_faults) {
        fault = m_faults->take(QStringLiteral("printify"), line, [post, create](const QString &scenario) {
            if (scenario == QLatin1String("timeout-after-create") || scenario == QLatin1String("drop-after-create"))
                return create;
            if (scenario == QLatin1String("validation"))
                return post;
            return true;
        });
    }
    const QString scenario = fault ? fault->scenario : QString();
    SandboxReply reply = api(request, scenario);
    if (fault) {
        const auto delay = fault->delay;
        const bool drop = scenario == QLatin1String("drop") || scenario == QLatin1String("drop-after-create");
        if (reply.deferred) {
            reply.deferred
                = [inner = std::move(reply.deferred), delay, drop](std::function<void(SandboxReply)> respond) {
                      inner([respond = std::move(respond), delay, drop](SandboxReply r) {
                          r.delay = delay;
                          r.drop = drop;
                          respond(std::move(r));
                      });
                  };
        } else {
            reply.delay = delay;
            reply.drop = drop;
        }
    }
    return reply;
}

SandboxReply PrintifyFake::api(const SandboxRequest &request, const QString &scenario)
{
    const QByteArray auth = request.header("authorization").trimmed();
    const bool bearer = auth.size() > 7 && auth.left(7).compare("Bearer ", Qt::CaseInsensitive) == 0;
    const QString token = bearer ? QString::fromUtf8(auth.mid(7).trimmed()) : QString();
    if (token.isEmpty() || token != m_token || scenario == QLatin1String("invalid-key")) {
        SandboxReply reply = plainError(401, QStringLiteral("Unauthenticated."));
        reply.headers.append({ QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer") });
        return reply;
    }
    if (request.header("user-agent").trimmed().isEmpty())
        return plainError(400, QStringLiteral("A User-Agent header is required."));

    const bool catalog = request.path.startsWith(QLatin1String("/v1/catalog/"))
        || request.path.startsWith(QLatin1String("/v2/catalog/"));
    const int limit = catalog ? m_settings.catalogRateLimitPerMinute : m_settings.rateLimitPerMinute;
    const auto tooMany = [limit](int retryAfter) {
        SandboxReply reply = plainError(429, QStringLiteral("Too Many Attempts."));
        reply.headers = { { "X-RateLimit-Limit", QByteArray::number(limit) }, { "X-RateLimit-Remaining", "0" },
            { "Retry-After", QByteArray::number(retryAfter) } };
        return reply;
    };
    if (scenario == QLatin1String("rate-limit"))
        return tooMany(1);
    int remaining = 0;
    if (const auto retryAfter = admit(catalog, &remaining))
        return tooMany(*retryAfter);
    const SandboxHeaders rateHeaders { { "X-RateLimit-Limit", QByteArray::number(limit) },
        { "X-RateLimit-Remaining", QByteArray::number(remaining) } };

    // Faults that stand for failures in front of the API: nothing is executed.
    if (scenario == QLatin1String("server-error"))
        return plainError(500, QStringLiteral("Server Error"));
    if (scenario == QLatin1String("unavailable"))
        return plainError(503, QStringLiteral("Service Unavailable"));
    if (scenario == QLatin1String("html-502")) {
        SandboxReply reply;
        reply.status = 502;
        reply.contentType = "text/html; charset=UTF-8";
        reply.body = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
                     "Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n";
        return reply;
    }
    if (scenario == QLatin1String("drop")) {
        SandboxReply reply;
        reply.drop = true;
        return reply;
    }
    if (scenario == QLatin1String("validation")) {
        QString reason = QStringLiteral("request: The request is invalid.");
        if (request.path.endsWith(QLatin1String("/orders.json")))
            reason = QStringLiteral("address_to.zip: The address to.zip format is invalid.");
        else if (request.path.endsWith(QLatin1String("/products.json")))
            reason = QStringLiteral("print_areas: The print areas are invalid.");
        else if (request.path.startsWith(QLatin1String("/v1/uploads/")))
            reason = QStringLiteral("file_name: The file name format is invalid.");
        SandboxReply reply = validationError(reason);
        reply.headers.append(rateHeaders);
        return reply;
    }

    SandboxReply reply = route(request);
    addHeaders(reply, rateHeaders);
    return reply;
}

SandboxReply PrintifyFake::route(const SandboxRequest &request)
{
    static const QRegularExpression blueprintPath(QStringLiteral("^/v1/catalog/blueprints/(\\d+)\\.json$"));
    static const QRegularExpression providersPath(
        QStringLiteral("^/v1/catalog/blueprints/(\\d+)/print_providers\\.json$"));
    static const QRegularExpression providerSubPath(
        QStringLiteral("^/v(1|2)/catalog/blueprints/(\\d+)/print_providers/(\\d+)/(variants|shipping)\\.json$"));
    static const QRegularExpression providerPath(QStringLiteral("^/v1/catalog/print_providers/(\\d+)\\.json$"));
    static const QRegularExpression uploadPath(QStringLiteral("^/v1/uploads/([^/]+)\\.json$"));
    static const QRegularExpression archivePath(QStringLiteral("^/v1/uploads/([^/]+)/archive\\.json$"));

    const bool get = request.method == "GET";
    const bool post = request.method == "POST";
    const QString &path = request.path;
    const auto wrongMethod = [&request] {
        return plainError(405,
            QStringLiteral("The %1 method is not supported for this route.").arg(QString::fromLatin1(request.method)));
    };

    if (path == QLatin1String("/v1/shops.json")) {
        if (!get)
            return wrongMethod();
        return jsonReply(200,
            QJsonArray { QJsonObject { { QStringLiteral("id"), m_shopId },
                { QStringLiteral("title"), QStringLiteral("Sandbox shop") },
                { QStringLiteral("sales_channel"), QStringLiteral("disconnected") } } });
    }

    // Catalog.
    if (path == QLatin1String("/v1/catalog/blueprints.json")) {
        if (!get)
            return wrongMethod();
        QJsonArray list;
        for (const PrintifyBlueprint &b : m_catalog.blueprints())
            list.append(PrintifyFakeCatalog::blueprintJson(b));
        return jsonReply(200, list);
    }
    if (const auto match = blueprintPath.match(path); match.hasMatch()) {
        if (!get)
            return wrongMethod();
        const PrintifyBlueprint *b = m_catalog.blueprint(match.captured(1).toInt());
        return b ? jsonReply(200, PrintifyFakeCatalog::blueprintJson(*b)) : notFound();
    }
    if (const auto match = providersPath.match(path); match.hasMatch()) {
        if (!get)
            return wrongMethod();
        const PrintifyBlueprint *b = m_catalog.blueprint(match.captured(1).toInt());
        if (!b)
            return notFound();
        QJsonArray list;
        for (const PrintifyProvider &p : b->providers)
            list.append(PrintifyFakeCatalog::providerJson(p, false));
        return jsonReply(200, list);
    }
    if (const auto match = providerSubPath.match(path); match.hasMatch()) {
        if (!get)
            return wrongMethod();
        const PrintifyBlueprint *b = m_catalog.blueprint(match.captured(2).toInt());
        const PrintifyProvider *p = m_catalog.provider(match.captured(2).toInt(), match.captured(3).toInt());
        if (!b || !p)
            return notFound();
        if (match.captured(4) == QLatin1String("variants"))
            return match.captured(1) == QLatin1String("1") ? jsonReply(200, m_catalog.variantsJson(*b, *p))
                                                           : notFound();
        return match.captured(1) == QLatin1String("1") ? jsonReply(200, m_catalog.shippingJson(*p))
                                                       : jsonReply(200, PrintifyFakeCatalog::shippingMethodsJson(*p));
    }
    if (path == QLatin1String("/v1/catalog/print_providers.json")) {
        if (!get)
            return wrongMethod();
        QJsonArray list;
        for (const PrintifyBlueprint &b : m_catalog.blueprints()) {
            for (const PrintifyProvider &p : b.providers)
                list.append(PrintifyFakeCatalog::providerJson(p, true));
        }
        return jsonReply(200, list);
    }
    if (const auto match = providerPath.match(path); match.hasMatch()) {
        if (!get)
            return wrongMethod();
        const PrintifyProvider *p = m_catalog.anyProvider(match.captured(1).toInt());
        if (!p)
            return notFound();
        QJsonObject object = PrintifyFakeCatalog::providerJson(*p, true);
        QJsonArray blueprints;
        for (const PrintifyBlueprint &b : m_catalog.blueprints()) {
            if (m_catalog.provider(b.id, p->id))
                blueprints.append(PrintifyFakeCatalog::blueprintJson(b));
        }
        object.insert(QStringLiteral("blueprints"), blueprints);
        return jsonReply(200, object);
    }

    // Uploads.
    if (path == QLatin1String("/v1/uploads/images.json")) {
        if (!post)
            return wrongMethod();
        return createUpload(request);
    }
    if (path == QLatin1String("/v1/uploads.json")) {
        if (!get)
            return wrongMethod();
        return listUploads(request);
    }
    if (const auto match = archivePath.match(path); match.hasMatch()) {
        if (!post)
            return wrongMethod();
        const auto it = m_uploads.find(match.captured(1));
        if (it == m_uploads.end())
            return notFound();
        it->archived = true;
        return jsonReply(200, QJsonObject());
    }
    if (const auto match = uploadPath.match(path); match.hasMatch()) {
        if (!get)
            return wrongMethod();
        const Upload *u = upload(match.captured(1));
        if (!u)
            return notFound();
        return jsonReply(200,
            QJsonObject { { QStringLiteral("id"), u->id }, { QStringLiteral("file_name"), u->fileName },
                { QStringLiteral("height"), u->height }, { QStringLiteral("width"), u->width },
                { QStringLiteral("size"), u->size }, { QStringLiteral("mime_type"), u->mimeType },
                { QStringLiteral("preview_url"), u->previewUrl },
                { QStringLiteral("upload_time"), uploadTime(u->uploaded) } });
    }

    if (const auto match = shopPattern().match(path); match.hasMatch()) {
        if (match.captured(1) != QString::number(m_shopId))
            return plainError(404, QStringLiteral("Shop not found."));
        return shopRoute(request, match.captured(2));
    }
    return notFound();
}

SandboxReply PrintifyFake::shopRoute(const SandboxRequest &request, const QString &sub)
{
    static const QRegularExpression productPath(QStringLiteral("^products/([^/]+)\\.json$"));
    static const QRegularExpression orderPath(QStringLiteral("^orders/([^/]+)\\.json$"));
    static const QRegularExpression orderAction(QStringLiteral("^orders/([^/]+)/(send_to_production|cancel)\\.json$"));
    static const QRegularExpression webhookPath(QStringLiteral("^webhooks/([^/]+)\\.json$"));

    const QByteArray &method = request.method;
    const auto wrongMethod = [&request] {
        return plainError(405,
            QStringLiteral("The %1 method is not supported for this route.").arg(QString::fromLatin1(request.method)));
    };

    if (sub == QLatin1String("products.json")) {
        if (method == "POST")
            return createProduct(request);
        if (method == "GET")
            return listProducts(request);
        return wrongMethod();
    }
    if (const auto match = productPath.match(sub); match.hasMatch()) {
        const auto it = m_products.find(match.captured(1));
        if (method != "GET" && method != "PUT" && method != "DELETE")
            return wrongMethod();
        if (it == m_products.end())
            return notFound();
        if (method == "GET")
            return jsonReply(200, productJson(it.value()));
        if (method == "PUT")
            return updateProduct(it.value(), request);
        const QString id = it->id;
        m_products.erase(it);
        m_productOrder.removeAll(id);
        emitEvent(QStringLiteral("product:deleted"), id, QStringLiteral("product"), {});
        return jsonReply(200, QJsonObject());
    }
    if (sub == QLatin1String("orders.json")) {
        if (method == "POST")
            return createOrder(request);
        if (method == "GET")
            return listOrders(request);
        return wrongMethod();
    }
    if (sub == QLatin1String("orders/shipping.json")) {
        if (method != "POST")
            return wrongMethod();
        return shippingQuote(request);
    }
    if (const auto match = orderAction.match(sub); match.hasMatch()) {
        if (method != "POST")
            return wrongMethod();
        Order *o = findOrder(match.captured(1));
        if (!o)
            return notFound();
        return match.captured(2) == QLatin1String("cancel") ? cancel(*o) : sendToProduction(*o);
    }
    if (const auto match = orderPath.match(sub); match.hasMatch()) {
        if (method != "GET")
            return wrongMethod();
        Order *o = findOrder(match.captured(1));
        if (!o)
            return notFound();
        ++o->gets;
        maybeHold(*o);
        return jsonReply(200, orderJson(*o));
    }
    if (sub == QLatin1String("webhooks.json")) {
        if (method == "POST")
            return createWebhook(request);
        if (method != "GET")
            return wrongMethod();
        QJsonArray list;
        for (const Webhook &w : std::as_const(m_registered))
            list.append(webhookJson(w));
        return jsonReply(200, list);
    }
    if (const auto match = webhookPath.match(sub); match.hasMatch()) {
        if (method != "PUT" && method != "DELETE")
            return wrongMethod();
        const auto it = std::find_if(
            m_registered.begin(), m_registered.end(), [&](const Webhook &w) { return w.id == match.captured(1); });
        if (it == m_registered.end())
            return notFound();
        if (method == "DELETE") {
            const QString id = it->id;
            m_registered.erase(it);
            return jsonReply(200, QJsonObject { { QStringLiteral("id"), id } });
        }
        const auto body = bodyObject(request);
        if (!body)
            return validationError(QStringLiteral("body: The request body must be a JSON object."));
        if (body->contains(QStringLiteral("url"))) {
            QUrl url;
            if (!isHttpUrl(body->value(QStringLiteral("url")).toString(), &url))
                return validationError(QStringLiteral("url: The url format is invalid."));
            it->url = url;
        }
        if (body->contains(QStringLiteral("secret")))
            it->secret = body->value(QStringLiteral("secret")).toString().toUtf8();
        return jsonReply(200, webhookJson(*it));
    }
    return notFound();
}

// ---- Uploads -----------------------------------------------------------------------------------

SandboxReply PrintifyFake::createUpload(const SandboxRequest &request)
{
    const auto body = bodyObject(request);
    if (!body)
        return validationError(QStringLiteral("body: The request body must be a JSON object."));
    const QString fileName = body->value(QStringLiteral("file_name")).toString().trimmed();
    if (fileName.isEmpty())
        return validationError(QStringLiteral("file_name: The file name field is required."));
    const QJsonValue contents = body->value(QStringLiteral("contents"));
    const QJsonValue urlValue = body->value(QStringLiteral("url"));
    if (!contents.isUndefined() && !contents.isNull()) {
        const QByteArray encoded = contents.toString().toLatin1();
        if (encoded.startsWith("data:"))
            return validationError(QStringLiteral("contents: The contents must be base64 without a data: prefix."));
        const auto decoded = QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
        if (!contents.isString() || encoded.isEmpty() || !decoded)
            return validationError(QStringLiteral("contents: The contents must be a valid base64 string."));
        return storeUpload(fileName, *decoded, QStringLiteral("contents"), {});
    }
    if (urlValue.isUndefined() || urlValue.isNull())
        return validationError(QStringLiteral("contents: The contents field is required when url is not present."));
    QUrl url;
    if (!isHttpUrl(urlValue.toString(), &url))
        return validationError(QStringLiteral("url: The url format is invalid."));

    SandboxReply reply;
    reply.deferred = [this, fileName, url](std::function<void(SandboxReply)> respond) {
        fetch(url, [this, fileName, url, respond = std::move(respond)](const FetchResult &result) {
            if (!result.ok) {
                respond(validationError(
                    QStringLiteral("url: The image could not be downloaded from the url (%1).").arg(result.error)));
                return;
            }
            respond(storeUpload(fileName, result.bytes, QStringLiteral("url"), url));
        });
    };
    return reply;
}

SandboxReply PrintifyFake::storeUpload(
    const QString &fileName, const QByteArray &bytes, const QString &source, const QUrl &url)
{
    const auto image = inspectImage(bytes);
    if (!image)
        return validationError(source == QLatin1String("url")
                ? QStringLiteral("url: The url does not point to a PNG or JPEG image.")
                : QStringLiteral("contents: The file must be an image of type: png, jpeg."));
    const QByteArray sha = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
    const QString id = QString::fromLatin1(sha.left(24));
    auto it = m_uploads.find(id);
    if (it == m_uploads.end()) {
        Upload u;
        u.id = id;
        u.fileName = fileName;
        u.mimeType = image->first;
        u.width = image->second.width();
        u.height = image->second.height();
        u.size = bytes.size();
        u.previewUrl = QStringLiteral("https://images-api.printify.com/sandbox/uploads/%1/%2")
                           .arg(id, QString::fromLatin1(QUrl::toPercentEncoding(fileName)));
        u.uploaded = QDateTime::currentDateTimeUtc();
        u.sha256 = sha;
        u.source = source;
        u.url = url.toString();
        it = m_uploads.insert(id, u);
        m_uploadOrder.append(id);
    }
    it->archived = false;
    const Upload &u = it.value();
    return jsonReply(200,
        QJsonObject { { QStringLiteral("id"), u.id }, { QStringLiteral("file_name"), u.fileName },
            { QStringLiteral("height"), u.height }, { QStringLiteral("width"), u.width },
            { QStringLiteral("size"), u.size }, { QStringLiteral("mime_type"), u.mimeType },
            { QStringLiteral("preview_url"), u.previewUrl },
            { QStringLiteral("upload_time"), uploadTime(u.uploaded) } });
}

SandboxReply PrintifyFake::listUploads(const SandboxRequest &request)
{
    int page = 1;
    int limit = 10;
    if (auto error = pageAndLimit(request, UploadsMaxLimit, &page, &limit))
        return *error;
    QJsonArray all;
    for (auto it = m_uploadOrder.crbegin(); it != m_uploadOrder.crend(); ++it) {
        const Upload &u = m_uploads[*it];
        if (u.archived)
            continue;
        all.append(QJsonObject { { QStringLiteral("id"), u.id }, { QStringLiteral("file_name"), u.fileName },
            { QStringLiteral("height"), u.height }, { QStringLiteral("width"), u.width },
            { QStringLiteral("size"), u.size }, { QStringLiteral("mime_type"), u.mimeType },
            { QStringLiteral("preview_url"), u.previewUrl },
            { QStringLiteral("upload_time"), uploadTime(u.uploaded) } });
    }
    return jsonReply(200, paginator(all, page, limit));
}

void PrintifyFake::fetch(const QUrl &url, std::function<void(const FetchResult &)> done)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setTransferTimeout(FetchTimeoutMs);
    request.setRawHeader("User-Agent", "Printify-Image-Fetcher/1.0 (calstudio-sandbox)");
    QNetworkReply *reply = m_network.get(request);
    QObject::connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > MaxFetchBytes) {
            reply->setProperty("tooLarge", true);
            reply->abort();
        }
    });
    QObject::connect(reply, &QNetworkReply::finished, &m_context, [reply, done = std::move(done)] {
        reply->deleteLater();
        FetchResult result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->property("tooLarge").toBool())
            result.error = QStringLiteral("larger than 100 MB");
        else if (result.status != 0 && (result.status < 200 || result.status >= 300))
            result.error = QStringLiteral("HTTP %1").arg(result.status);
        else if (reply->error() != QNetworkReply::NoError)
            result.error = reply->errorString();
        else {
            result.ok = true;
            result.bytes = reply->readAll();
        }
        done(result);
    });
}

// ---- Products ----------------------------------------------------------------------------------

std::optional<SandboxReply> PrintifyFake::rewritePrintAreas(
    const QJsonValue &areas, const Product &product, bool mustCoverAll, QJsonArray *out) const
{
    if (!areas.isArray() || areas.toArray().isEmpty())
        return validationError(QStringLiteral("print_areas: The print areas field is required."));
    QList<int> productVariants;
    for (const ProductVariant &v : product.variants)
        productVariants.append(v.id);
    QList<int> covered;
    QList<QList<int>> groupVariants;
    const QJsonArray list = areas.toArray();
    for (qsizetype a = 0; a < list.size(); ++a) {
        const QString prefix = QStringLiteral("print_areas.%1").arg(a);
        const QJsonObject area = list.at(a).toObject();
        const QJsonArray ids = area.value(QStringLiteral("variant_ids")).toArray();
        if (ids.isEmpty())
            return validationError(prefix + QStringLiteral(".variant_ids: The variant ids field is required."));
        QList<int> group;
        for (const QJsonValue &value : ids) {
            const auto id = integer(value);
            if (!id || !productVariants.contains(int(*id)) || m_catalog.isRetired(int(*id)))
                return validationError(prefix
                        + QStringLiteral(".variant_ids: Variant %1 does not match blueprint %2 and print provider %3.")
                              .arg(value.toVariant().toString())
                              .arg(product.blueprintId)
                              .arg(product.providerId),
                    8251);
            group.append(int(*id));
            covered.append(int(*id));
        }
        groupVariants.append(group);
    }
    if (mustCoverAll) {
        for (int id : std::as_const(productVariants)) {
            if (!covered.contains(id))
                return validationError(
                    QStringLiteral(
                        "print_areas: Every variant of the product must be covered by print_areas.variant_ids "
                        "(variant %1 is not).")
                        .arg(id),
                    8251);
        }
    }
    // Printify assigns every variant a print area: the uncovered ones join the first group.
    for (int id : std::as_const(productVariants)) {
        if (!covered.contains(id))
            groupVariants[0].append(id);
    }

    QJsonArray result;
    for (qsizetype a = 0; a < list.size(); ++a) {
        const QString prefix = QStringLiteral("print_areas.%1").arg(a);
        const QJsonObject area = list.at(a).toObject();
        // Positions of the area's first offered variant (the variants of one blueprint share names).
        const PrintifyVariant *reference = nullptr;
        for (int id : std::as_const(groupVariants[a])) {
            if ((reference = m_catalog.variant(product.blueprintId, product.providerId, id)))
                break;
        }
        if (!reference)
            return validationError(prefix + QStringLiteral(".variant_ids: No variant is available."), 8251);
        QHash<QString, QJsonArray> images;
        const QJsonArray placeholders = area.value(QStringLiteral("placeholders")).toArray();
        for (qsizetype p = 0; p < placeholders.size(); ++p) {
            const QString placeholderPrefix = prefix + QStringLiteral(".placeholders.%1").arg(p);
            const QJsonObject placeholder = placeholders.at(p).toObject();
            const QString position = placeholder.value(QStringLiteral("position")).toString();
            if (position.isEmpty())
                return validationError(
                    placeholderPrefix + QStringLiteral(".position: The position field is required."));
            if (!reference->placeholder(position))
                return validationError(placeholderPrefix
                    + QStringLiteral(".position: The position \"%1\" does not exist for blueprint %2 and print "
                                     "provider %3 (%4).")
                          .arg(position)
                          .arg(product.blueprintId)
                          .arg(product.providerId)
                          .arg(reference->positions().join(QStringLiteral(", "))));
            const QJsonArray given = placeholder.value(QStringLiteral("images")).toArray();
            QJsonArray rewritten;
            for (qsizetype i = 0; i < given.size(); ++i) {
                const QString imagePrefix = placeholderPrefix + QStringLiteral(".images.%1").arg(i);
                const QJsonObject image = given.at(i).toObject();
                const QString id = image.value(QStringLiteral("id")).toString();
                const Upload *u = upload(id);
                if (id.isEmpty() || !u)
                    return validationError(imagePrefix
                        + QStringLiteral(".id: The image \"%1\" does not exist in the media library.").arg(id));
                for (const char *key : { "x", "y", "scale", "angle" }) {
                    if (!image.value(QLatin1String(key)).isDouble())
                        return validationError(imagePrefix
                            + QStringLiteral(".%1: The %1 field is required and must be a number.")
                                  .arg(QLatin1String(key)));
                }
                rewritten.append(QJsonObject { { QStringLiteral("id"), u->id }, { QStringLiteral("name"), u->fileName },
                    { QStringLiteral("type"), u->mimeType }, { QStringLiteral("height"), u->height },
                    { QStringLiteral("width"), u->width }, { QStringLiteral("x"), image.value(QStringLiteral("x")) },
                    { QStringLiteral("y"), image.value(QStringLiteral("y")) },
                    { QStringLiteral("scale"), image.value(QStringLiteral("scale")) },
                    { QStringLiteral("angle"), image.value(QStringLiteral("angle")) },
                    { QStringLiteral("src"), u->previewUrl } });
            }
            images[position] = rewritten;
        }
        QJsonArray outPlaceholders;
        for (const PrintifyPlaceholder &p : reference->placeholders)
            outPlaceholders.append(QJsonObject {
                { QStringLiteral("position"), p.position }, { QStringLiteral("images"), images.value(p.position) } });
        QJsonArray variantIds;
        for (int id : std::as_const(groupVariants[a]))
            variantIds.append(id);
        result.append(QJsonObject { { QStringLiteral("variant_ids"), variantIds },
            { QStringLiteral("placeholders"), outPlaceholders },
            { QStringLiteral("background"),
                area.value(QStringLiteral("background")).toString(QStringLiteral("#ffffff")) } });
    }
    *out = result;
    return std::nullopt;
}

SandboxReply PrintifyFake::createProduct(const SandboxRequest &request)
{
    const auto body = bodyObject(request);
    if (!body)
        return validationError(QStringLiteral("body: The request body must be a JSON object."));
    const QString title = body->value(QStringLiteral("title")).toString().trimmed();
    if (title.isEmpty())
        return validationError(QStringLiteral("title: The title field is required."));
    const auto blueprintId = integer(body->value(QStringLiteral("blueprint_id")));
    if (!blueprintId)
        return validationError(QStringLiteral("blueprint_id: The blueprint id field is required."));
    if (!m_catalog.blueprint(int(*blueprintId)))
        return validationError(QStringLiteral("blueprint_id: The selected blueprint id is invalid."));
    const auto providerId = integer(body->value(QStringLiteral("print_provider_id")));
    if (!providerId)
        return validationError(QStringLiteral("print_provider_id: The print provider id field is required."));
    if (!m_catalog.provider(int(*blueprintId), int(*providerId)))
        return validationError(QStringLiteral("print_provider_id: The selected print provider id is invalid."));

    const QJsonArray requested = body->value(QStringLiteral("variants")).toArray();
    if (requested.isEmpty())
        return validationError(QStringLiteral("variants: The variants field is required."));
    Product product;
    product.id = newObjectId();
    product.blueprintId = int(*blueprintId);
    product.providerId = int(*providerId);
    product.title = title;
    product.description = body->value(QStringLiteral("description")).toString();
    product.visible = body->value(QStringLiteral("visible")).toBool(true);
    QHash<int, ProductVariant> wanted;
    for (qsizetype i = 0; i < requested.size(); ++i) {
        const QJsonObject v = requested.at(i).toObject();
        const auto id = integer(v.value(QStringLiteral("id")));
        if (!id)
            return validationError(QStringLiteral("variants.%1.id: The variants.%1.id field is required.").arg(i));
        if (!m_catalog.variant(product.blueprintId, product.providerId, int(*id)))
            return validationError(QStringLiteral("variants.%1.id: Variant %2 does not match blueprint %3 and print "
                                                  "provider %4.")
                                       .arg(i)
                                       .arg(*id)
                                       .arg(product.blueprintId)
                                       .arg(product.providerId),
                8251);
        const auto price = integer(v.value(QStringLiteral("price")));
        if (!price || *price < 0)
            return validationError(
                QStringLiteral("variants.%1.price: The variants.%1.price field is required.").arg(i));
        wanted.insert(
            int(*id), ProductVariant { int(*id), *price, v.value(QStringLiteral("is_enabled")).toBool(true), {} });
    }
    for (const PrintifyVariant *v : m_catalog.variants(product.blueprintId, product.providerId)) {
        ProductVariant pv = wanted.value(v->id, ProductVariant { v->id, v->cost * 2, false, {} });
        pv.sku = QString::number(m_nextSku++);
        product.variants.append(pv);
    }
    if (auto error = rewritePrintAreas(body->value(QStringLiteral("print_areas")), product, false, &product.printAreas))
        return *error;
    QJsonArray tags = body->value(QStringLiteral("tags")).toArray();
    for (const QString &tag : m_catalog.blueprint(product.blueprintId)->tags) {
        if (!tags.contains(tag))
            tags.append(tag);
    }
    product.tags = tags;
    product.created = product.updated = QDateTime::currentDateTimeUtc();
    m_products.insert(product.id, product);
    m_productOrder.append(product.id);
    return jsonReply(200, productJson(product));
}

SandboxReply PrintifyFake::updateProduct(Product &product, const SandboxRequest &request)
{
    const auto body = bodyObject(request);
    if (!body)
        return validationError(QStringLiteral("body: The request body must be a JSON object."));
    Product next = product;
    if (body->contains(QStringLiteral("title"))) {
        next.title = body->value(QStringLiteral("title")).toString().trimmed();
        if (next.title.isEmpty())
            return validationError(QStringLiteral("title: The title field is required."));
    }
    if (body->contains(QStringLiteral("description")))
        next.description = body->value(QStringLiteral("description")).toString();
    if (body->contains(QStringLiteral("tags")))
        next.tags = body->value(QStringLiteral("tags")).toArray();
    if (body->contains(QStringLiteral("visible")))
        next.visible = body->value(QStringLiteral("visible")).toBool();
    const QJsonArray variants = body->value(QStringLiteral("variants")).toArray();
    for (qsizetype i = 0; i < variants.size(); ++i) {
        const QJsonObject v = variants.at(i).toObject();
        const auto id = integer(v.value(QStringLiteral("id")));
        const auto it = std::find_if(
            next.variants.begin(), next.variants.end(), [&](const ProductVariant &pv) { return id && pv.id == *id; });
        if (it == next.variants.end())
            return validationError(
                QStringLiteral("variants.%1.id: The variant is not part of product %2.").arg(i).arg(product.id), 8251);
        const auto price = integer(v.value(QStringLiteral("price")));
        if (!price || *price < 0)
            return validationError(
                QStringLiteral("variants.%1.price: The variants.%1.price field is required.").arg(i));
        it->price = *price;
        if (v.contains(QStringLiteral("is_enabled")))
            it->enabled = v.value(QStringLiteral("is_enabled")).toBool();
    }
    if (body->contains(QStringLiteral("print_areas"))) {
        if (auto error = rewritePrintAreas(body->value(QStringLiteral("print_areas")), next, true, &next.printAreas))
            return *error;
    }
    next.updated = QDateTime::currentDateTimeUtc();
    product = next;
    return jsonReply(200, productJson(product));
}

SandboxReply PrintifyFake::listProducts(const SandboxRequest &request)
{
    int page = 1;
    int limit = 10;
    if (auto error = pageAndLimit(request, ProductsMaxLimit, &page, &limit))
        return *error;
    QJsonArray all;
    for (auto it = m_productOrder.crbegin(); it != m_productOrder.crend(); ++it)
        all.append(productJson(m_products[*it]));
    return jsonReply(200, paginator(all, page, limit));
}

QJsonObject PrintifyFake::productJson(const Product &product) const
{
    const PrintifyProvider *provider = m_catalog.provider(product.blueprintId, product.providerId);
    QJsonArray variants;
    QJsonArray optionValues;
    QJsonArray enabledIds;
    bool defaultTaken = false;
    for (const ProductVariant &pv : product.variants) {
        const PrintifyVariant *cv = nullptr;
        for (const PrintifyVariant &v : provider->variants) {
            if (v.id == pv.id)
                cv = &v;
        }
        const bool isDefault = pv.enabled && !defaultTaken;
        defaultTaken = defaultTaken || isDefault;
        if (pv.enabled)
            enabledIds.append(pv.id);
        variants.append(QJsonObject { { QStringLiteral("id"), pv.id }, { QStringLiteral("sku"), pv.sku },
            { QStringLiteral("cost"), cv ? cv->cost : 0 }, { QStringLiteral("price"), pv.price },
            { QStringLiteral("title"), cv ? cv->title : QString() }, { QStringLiteral("grams"), cv ? cv->grams : 0 },
            { QStringLiteral("is_enabled"), pv.enabled }, { QStringLiteral("is_default"), isDefault },
            { QStringLiteral("is_available"), !m_catalog.isRetired(pv.id) },
            { QStringLiteral("is_printify_express_eligible"), false },
            { QStringLiteral("options"), QJsonArray { cv ? cv->optionValueId : 0 } } });
        if (cv)
            optionValues.append(QJsonObject { { QStringLiteral("id"), cv->optionValueId },
                { QStringLiteral("title"), cv->options.value(QStringLiteral("size")).toString() } });
    }
    const QJsonArray mockups { QJsonObject {
        { QStringLiteral("src"),
            QStringLiteral("https://images-api.printify.com/sandbox/mockup/%1/front.jpg").arg(product.id) },
        { QStringLiteral("variant_ids"), enabledIds }, { QStringLiteral("position"), QStringLiteral("front") },
        { QStringLiteral("is_default"), true }, { QStringLiteral("is_selected_for_publishing"), true } } };
    return QJsonObject { { QStringLiteral("id"), product.id }, { QStringLiteral("title"), product.title },
        { QStringLiteral("description"), product.description }, { QStringLiteral("tags"), product.tags },
        { QStringLiteral("options"),
            QJsonArray { QJsonObject { { QStringLiteral("name"), QStringLiteral("Size") },
                { QStringLiteral("type"), QStringLiteral("size") }, { QStringLiteral("values"), optionValues } } } },
        { QStringLiteral("variants"), variants }, { QStringLiteral("images"), mockups },
        { QStringLiteral("created_at"), timestamp(product.created) },
        { QStringLiteral("updated_at"), timestamp(product.updated) }, { QStringLiteral("visible"), product.visible },
        { QStringLiteral("is_locked"), false }, { QStringLiteral("is_deleted"), false },
        { QStringLiteral("blueprint_id"), product.blueprintId }, { QStringLiteral("user_id"), 1000001 },
        { QStringLiteral("shop_id"), m_shopId }, { QStringLiteral("print_provider_id"), product.providerId },
        { QStringLiteral("print_areas"), product.printAreas }, { QStringLiteral("print_details"), QJsonArray() },
        { QStringLiteral("sales_channel_properties"), QJsonArray() },
        { QStringLiteral("is_printify_express_eligible"), false },
        { QStringLiteral("is_printify_express_enabled"), false },
        { QStringLiteral("is_economy_shipping_eligible"), false },
        { QStringLiteral("is_economy_shipping_enabled"), false } };
}

// ---- Orders ------------------------------------------------------------------------------------

std::optional<SandboxReply> PrintifyFake::parseLineItems(
    const QJsonValue &value, bool forOrder, QList<LineItem> *out, QList<QJsonObject> *inlineAreas) const
{
    const QJsonArray list = value.toArray();
    if (list.isEmpty())
        return validationError(QStringLiteral("line_items: The line items field is required."));
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString prefix = QStringLiteral("line_items.%1").arg(i);
        const QJsonObject item = list.at(i).toObject();
        LineItem line;
        QJsonObject areas;
        const auto quantity = integer(item.value(QStringLiteral("quantity")));
        if (!quantity || *quantity < 1 || *quantity > 1000)
            return validationError(prefix + QStringLiteral(".quantity: The quantity must be at least 1."));
        line.quantity = int(*quantity);

        const Product *product = nullptr;
        const ProductVariant *productVariant = nullptr;
        if (item.contains(QStringLiteral("product_id"))) {
            const auto it = m_products.constFind(item.value(QStringLiteral("product_id")).toString());
            if (it == m_products.cend())
                return validationError(prefix + QStringLiteral(".product_id: The selected product id is invalid."));
            product = &it.value();
            const auto variantId = integer(item.value(QStringLiteral("variant_id")));
            if (!variantId)
                return validationError(prefix + QStringLiteral(".variant_id: The variant id field is required."));
            for (const ProductVariant &pv : product->variants) {
                if (pv.id == *variantId)
                    productVariant = &pv;
            }
            if (!productVariant || !productVariant->enabled || m_catalog.isRetired(productVariant->id))
                return validationError(prefix
                        + QStringLiteral(".variant_id: Variant %1 is not an available, enabled variant of product %2.")
                              .arg(*variantId)
                              .arg(product->id),
                    8251);
        } else if (item.contains(QStringLiteral("sku"))) {
            const QString sku = item.value(QStringLiteral("sku")).toString();
            for (const Product &candidate : m_products) {
                for (const ProductVariant &pv : candidate.variants) {
                    if (!sku.isEmpty() && pv.sku == sku) {
                        product = &candidate;
                        productVariant = &pv;
                    }
                }
            }
            if (!productVariant)
                return validationError(prefix + QStringLiteral(".sku: The selected sku is invalid."));
            if (!productVariant->enabled || m_catalog.isRetired(productVariant->id))
                return validationError(
                    prefix + QStringLiteral(".sku: The variant of this sku is not available."), 8251);
        }

        if (product) {
            line.productId = product->id;
            line.blueprintId = product->blueprintId;
            line.providerId = product->providerId;
            line.variantId = productVariant->id;
            line.sku = productVariant->sku;
            line.title = product->title;
            line.price = productVariant->price;
            for (const QJsonValue &area : product->printAreas) {
                const QJsonObject a = area.toObject();
                if (!a.value(QStringLiteral("variant_ids")).toArray().contains(line.variantId))
                    continue;
                for (const QJsonValue &p : a.value(QStringLiteral("placeholders")).toArray()) {
                    QJsonArray ids;
                    for (const QJsonValue &image : p.toObject().value(QStringLiteral("images")).toArray())
                        ids.append(image.toObject().value(QStringLiteral("id")));
                    if (!ids.isEmpty())
                        line.files.insert(p.toObject().value(QStringLiteral("position")).toString(), ids);
                }
            }
        } else {
            const auto blueprintId = integer(item.value(QStringLiteral("blueprint_id")));
            const auto providerId = integer(item.value(QStringLiteral("print_provider_id")));
            const auto variantId = integer(item.value(QStringLiteral("variant_id")));
            if (!blueprintId && !providerId && !variantId)
                return validationError(
                    prefix + QStringLiteral(".product_id: The product id field is required when sku is not present."));
            if (!blueprintId || !m_catalog.blueprint(int(*blueprintId)))
                return validationError(prefix + QStringLiteral(".blueprint_id: The selected blueprint id is invalid."));
            if (!providerId || !m_catalog.provider(int(*blueprintId), int(*providerId)))
                return validationError(
                    prefix + QStringLiteral(".print_provider_id: The selected print provider id is invalid."));
            if (!variantId)
                return validationError(prefix + QStringLiteral(".variant_id: The variant id field is required."));
            const PrintifyVariant *variant = m_catalog.variant(int(*blueprintId), int(*providerId), int(*variantId));
            if (!variant)
                return validationError(prefix
                        + QStringLiteral(".variant_id: Variant %1 does not match blueprint %2 and print provider %3.")
                              .arg(*variantId)
                              .arg(*blueprintId)
                              .arg(*providerId),
                    8251);
            line.productId = newObjectId();
            line.blueprintId = int(*blueprintId);
            line.providerId = int(*providerId);
            line.variantId = variant->id;
            line.sku = QStringLiteral("%1-%2-%3").arg(line.blueprintId).arg(line.providerId).arg(line.variantId);
            line.title = m_catalog.blueprint(line.blueprintId)->title;
            line.price = variant->cost;
            if (forOrder) {
                const QJsonValue given = item.value(QStringLiteral("print_areas"));
                if (!given.isObject() || given.toObject().isEmpty())
                    return validationError(prefix + QStringLiteral(".print_areas: The print areas field is required."));
                areas = given.toObject();
                for (auto it = areas.begin(); it != areas.end(); ++it) {
                    const QString areaPrefix = prefix + QStringLiteral(".print_areas.") + it.key();
                    if (!variant->placeholder(it.key()))
                        return validationError(areaPrefix
                            + QStringLiteral(": The position \"%1\" does not exist for blueprint %2 and print provider "
                                             "%3 (%4).")
                                  .arg(it.key())
                                  .arg(line.blueprintId)
                                  .arg(line.providerId)
                                  .arg(variant->positions().join(QStringLiteral(", "))));
                    QJsonArray srcs;
                    if (it.value().isString()) {
                        if (!isHttpUrl(it.value().toString()))
                            return validationError(areaPrefix + QStringLiteral(": The value must be a valid URL."));
                        srcs.append(it.value());
                    } else {
                        const QJsonArray placements = it.value().toArray();
                        if (placements.isEmpty())
                            return validationError(
                                areaPrefix + QStringLiteral(": The value must be a URL or a list of images."));
                        for (qsizetype p = 0; p < placements.size(); ++p) {
                            const QJsonObject placement = placements.at(p).toObject();
                            if (!isHttpUrl(placement.value(QStringLiteral("src")).toString()))
                                return validationError(
                                    areaPrefix + QStringLiteral(".%1.src: The src must be a valid URL.").arg(p));
                            for (const char *key : { "x", "y", "scale", "angle" }) {
                                const QJsonValue v = placement.value(QLatin1String(key));
                                if (!v.isUndefined() && !v.isDouble())
                                    return validationError(areaPrefix
                                        + QStringLiteral(".%1.%2: The %2 must be a number.")
                                              .arg(p)
                                              .arg(QLatin1String(key)));
                            }
                            srcs.append(placement.value(QStringLiteral("src")));
                        }
                    }
                    line.files.insert(it.key(), srcs);
                }
            }
        }
        const PrintifyProvider *provider = m_catalog.provider(line.blueprintId, line.providerId);
        for (const PrintifyVariant &v : provider->variants) {
            if (v.id == line.variantId) {
                line.cost = v.cost;
                line.variantLabel = v.title;
            }
        }
        out->append(line);
        if (inlineAreas)
            inlineAreas->append(areas);
    }
    return std::nullopt;
}

PrintifyFake::Quote PrintifyFake::quote(const QList<LineItem> &items, const QString &country) const
{
    static const QStringList keys { QStringLiteral("standard"), QStringLiteral("express"), QStringLiteral("priority"),
        QStringLiteral("printify_express"), QStringLiteral("economy") };
    Quote result;
    QSet<QString> unavailable;
    QSet<int> providersSeen;
    for (const LineItem &line : items) {
        const PrintifyProvider *provider = m_catalog.provider(line.blueprintId, line.providerId);
        const PrintifyShippingProfile *profile = provider ? provider->profileFor(country) : nullptr;
        const bool first = !providersSeen.contains(line.providerId);
        providersSeen.insert(line.providerId);
        QHash<QString, qint64> costs;
        for (const QString &key : keys) {
            std::optional<PrintifyShippingCost> cost;
            if (profile) {
                if (key == QLatin1String("standard"))
                    cost = profile->standard;
                else if (key == QLatin1String("express") || key == QLatin1String("priority"))
                    cost = profile->express;
                else if (key == QLatin1String("printify_express"))
                    cost = profile->printifyExpress;
                else
                    cost = profile->economy;
            }
            if (!cost) {
                unavailable.insert(key);
                continue;
            }
            costs.insert(key,
                first ? cost->firstItem + cost->additionalItems * (line.quantity - 1)
                      : cost->additionalItems * line.quantity);
        }
        result.perLine.append(costs);
    }
    for (const QString &key : keys) {
        if (unavailable.contains(key))
            continue;
        qint64 total = 0;
        for (const auto &costs : std::as_const(result.perLine))
            total += costs.value(key);
        result.totals.insert(key, total);
    }
    return result;
}

SandboxReply PrintifyFake::createOrder(const SandboxRequest &request)
{
    const auto body = bodyObject(request);
    if (!body)
        return validationError(QStringLiteral("body: The request body must be a JSON object."));
    Order order;
    QList<QJsonObject> inlineAreas;
    if (auto error = parseLineItems(body->value(QStringLiteral("line_items")), true, &order.lineItems, &inlineAreas))
        return *error;

    const QJsonValue address = body->value(QStringLiteral("address_to"));
    if (!address.isObject())
        return validationError(QStringLiteral("address_to: The address to field is required."));
    order.addressTo = address.toObject();
    const QString country = order.addressTo.value(QStringLiteral("country")).toString();
    static const QRegularExpression iso2(QStringLiteral("^[A-Z]{2}$"));
    if (country.isEmpty())
        return validationError(QStringLiteral("address_to.country: The address to.country field is required."));
    if (!iso2.match(country).hasMatch())
        return validationError(QStringLiteral("address_to.country: The selected address to.country is invalid."));
    for (const char *field : { "first_name", "address1", "city" }) {
        if (order.addressTo.value(QLatin1String(field)).toString().trimmed().isEmpty())
            return validationError(
                QStringLiteral("address_to.%1: The address to.%2 field is required.")
                    .arg(QLatin1String(field), QString::fromLatin1(field).replace(QLatin1Char('_'), QLatin1Char(' '))));
    }

    int method = 1;
    if (body->contains(QStringLiteral("shipping_method"))) {
        const auto given = integer(body->value(QStringLiteral("shipping_method")));
        if (!given || *given < 1 || *given > 4)
            return validationError(QStringLiteral("shipping_method: The selected shipping method is invalid."));
        method = int(*given);
    }
    if (body->value(QStringLiteral("is_printify_express")).toBool())
        method = 3;
    if (body->value(QStringLiteral("is_economy_shipping")).toBool())
        method = 4;
    const Quote shipping = quote(order.lineItems, country);
    const QString key = methodKey(method);
    if (!shipping.totals.contains(key))
        return validationError(QStringLiteral("shipping_method: The selected shipping method is not available for "
                                              "this order and address."));

    const QJsonValue externalId = body->value(QStringLiteral("external_id"));
    if (!externalId.isUndefined() && !externalId.isNull() && !externalId.isString())
        return validationError(QStringLiteral("external_id: The external id must be a string."));
    order.externalId = externalId.toString();
    if (order.externalId.size() > 255)
        return validationError(QStringLiteral("external_id: The external id may not be greater than 255 characters."));
    order.label = body->value(QStringLiteral("label")).toString();
    order.shippingMethod = method;
    order.sendShippingNotification = body->value(QStringLiteral("send_shipping_notification")).toBool();
    order.id = newObjectId();
    order.connectId = newObjectId();
    order.created = QDateTime::currentDateTimeUtc();
    for (qsizetype i = 0; i < order.lineItems.size(); ++i) {
        LineItem &line = order.lineItems[i];
        line.status = order.status;
        line.shippingCost = shipping.perLine.at(i).value(key);
        order.totalPrice += line.cost * line.quantity;
    }
    order.totalShipping = shipping.totals.value(key);

    QStringList urls;
    for (const LineItem &line : std::as_const(order.lineItems)) {
        if (!line.productId.isEmpty() && m_products.contains(line.productId))
            continue;
        for (const QJsonValue &list : line.files) {
            for (const QJsonValue &src : list.toArray()) {
                if (!urls.contains(src.toString()))
                    urls.append(src.toString());
            }
        }
    }
    order.fetchesOutstanding = int(urls.size());
    const QString id = order.id;
    m_orders.insert(id, order);
    m_orderOrder.append(id);
    emitOrderEvent(QStringLiteral("order:created"), m_orders[id],
        QJsonObject { { QStringLiteral("status"), QStringLiteral("pending") } });
    after(m_settings.pendingMs, id, &PrintifyFake::pendingElapsed);
    if (!urls.isEmpty())
        fetchInlineFiles(id, urls);
    return jsonReply(200, QJsonObject { { QStringLiteral("id"), id } });
}

void PrintifyFake::fetchInlineFiles(const QString &orderId, const QStringList &urls)
{
    const quint64 generation = m_generation;
    for (const QString &src : urls) {
        fetch(QUrl(src), [this, orderId, src, generation](const FetchResult &result) {
            Order *o = generation == m_generation ? findOrder(orderId) : nullptr;
            if (!o)
                return;
            QJsonObject entry { { QStringLiteral("url"), src }, { QStringLiteral("status"), result.status } };
            QString error = result.error;
            if (result.ok) {
                if (const auto image = inspectImage(result.bytes)) {
                    entry.insert(QStringLiteral("width"), image->second.width());
                    entry.insert(QStringLiteral("height"), image->second.height());
                    entry.insert(QStringLiteral("sha256"),
                        QString::fromLatin1(
                            QCryptographicHash::hash(result.bytes, QCryptographicHash::Sha256).toHex()));
                } else {
                    error = QStringLiteral("not a PNG or JPEG image");
                }
            }
            entry.insert(QStringLiteral("ok"), error.isEmpty());
            if (!error.isEmpty())
                entry.insert(QStringLiteral("error"), error);
            o->fetches.append(entry);
            --o->fetchesOutstanding;
            if (!error.isEmpty() && o->issue.isEmpty()) {
                o->issue = QStringLiteral("Could not fetch %1: %2").arg(src, error);
                if (o->status == QLatin1String("pending"))
                    changeStatus(*o, QStringLiteral("had-issues"));
                return;
            }
            maybeHold(*o);
        });
    }
}

SandboxReply PrintifyFake::listOrders(const SandboxRequest &request)
{
    int page = 1;
    int limit = 10;
    if (auto error = pageAndLimit(request, OrdersMaxLimit, &page, &limit))
        return *error;
    const QString status = request.query.queryItemValue(QStringLiteral("status"));
    QJsonArray all;
    for (auto it = m_orderOrder.crbegin(); it != m_orderOrder.crend(); ++it) {
        const Order &o = m_orders[*it];
        if (status.isEmpty() || o.status == status)
            all.append(orderJson(o));
    }
    return jsonReply(200, paginator(all, page, limit));
}

SandboxReply PrintifyFake::shippingQuote(const SandboxRequest &request)
{
    const auto body = bodyObject(request);
    if (!body)
        return validationError(QStringLiteral("body: The request body must be a JSON object."));
    QList<LineItem> items;
    if (auto error = parseLineItems(body->value(QStringLiteral("line_items")), false, &items, nullptr))
        return *error;
    const QString country
        = body->value(QStringLiteral("address_to")).toObject().value(QStringLiteral("country")).toString();
    static const QRegularExpression iso2(QStringLiteral("^[A-Z]{2}$"));
    if (country.isEmpty())
        return validationError(QStringLiteral("address_to.country: The address to.country field is required."));
    if (!iso2.match(country).hasMatch())
        return validationError(QStringLiteral("address_to.country: The selected address to.country is invalid."));
    const Quote result = quote(items, country);
    QJsonObject object;
    for (auto it = result.totals.cbegin(); it != result.totals.cend(); ++it)
        object.insert(it.key(), it.value());
    return jsonReply(200, object);
}

SandboxReply PrintifyFake::sendToProduction(Order &order)
{
    if (order.status == QLatin1String("pending"))
        return operationFailed();
    if (order.status != QLatin1String("on-hold"))
        return validationError(
            QStringLiteral("status: Only an on-hold order can be sent to production; this order is %1.")
                .arg(order.status));
    order.sentToProductionAt = QDateTime::currentDateTimeUtc();
    for (LineItem &line : order.lineItems)
        line.sentToProductionAt = order.sentToProductionAt;
    emitOrderEvent(QStringLiteral("order:sent-to-production"), order,
        QJsonObject { { QStringLiteral("status"), QStringLiteral("sending-to-production") } });
    changeStatus(order, QStringLiteral("sending-to-production"));
    after(m_settings.productionMs, order.id, &PrintifyFake::productionStarted);
    return jsonReply(200, orderJson(order));
}

SandboxReply PrintifyFake::cancel(Order &order)
{
    if (order.status != QLatin1String("on-hold") && order.status != QLatin1String("payment-not-received"))
        return validationError(QStringLiteral("status: Only orders with status on-hold or payment-not-received can be "
                                              "canceled; this order is %1.")
                                   .arg(order.status));
    changeStatus(order, QStringLiteral("canceled"));
    return jsonReply(200, orderJson(order));
}

QJsonObject PrintifyFake::orderJson(const Order &order) const
{
    QJsonArray lines;
    const QString country = order.addressTo.value(QStringLiteral("country")).toString();
    for (const LineItem &line : order.lineItems)
        lines.append(QJsonObject { { QStringLiteral("product_id"), line.productId },
            { QStringLiteral("quantity"), line.quantity }, { QStringLiteral("variant_id"), line.variantId },
            { QStringLiteral("print_provider_id"), line.providerId },
            { QStringLiteral("blueprint_id"), line.blueprintId }, { QStringLiteral("cost"), line.cost },
            { QStringLiteral("shipping_cost"), line.shippingCost }, { QStringLiteral("status"), line.status },
            { QStringLiteral("metadata"),
                QJsonObject { { QStringLiteral("title"), line.title }, { QStringLiteral("price"), line.price },
                    { QStringLiteral("variant_label"), line.variantLabel }, { QStringLiteral("sku"), line.sku },
                    { QStringLiteral("country"), country } } },
            { QStringLiteral("sent_to_production_at"), timeOrNull(line.sentToProductionAt) },
            { QStringLiteral("fulfilled_at"), timeOrNull(line.fulfilledAt) } });
    QJsonArray shipments;
    for (const Shipment &s : order.shipments)
        shipments.append(QJsonObject { { QStringLiteral("carrier"), s.carrier }, { QStringLiteral("number"), s.number },
            { QStringLiteral("url"), s.url }, { QStringLiteral("delivered_at"), timeOrNull(s.deliveredAt) } });
    return QJsonObject { { QStringLiteral("id"), order.id }, { QStringLiteral("address_to"), order.addressTo },
        { QStringLiteral("line_items"), lines },
        { QStringLiteral("metadata"),
            QJsonObject { { QStringLiteral("order_type"), QStringLiteral("api") },
                { QStringLiteral("shop_order_id"), order.externalId },
                { QStringLiteral("shop_order_label"), order.label },
                { QStringLiteral("shop_fulfilled_at"), timeOrNull(order.fulfilledAt) } } },
        { QStringLiteral("total_price"), order.totalPrice }, { QStringLiteral("total_shipping"), order.totalShipping },
        { QStringLiteral("total_tax"), order.totalTax }, { QStringLiteral("status"), order.status },
        { QStringLiteral("shipping_method"), order.shippingMethod },
        { QStringLiteral("is_printify_express"), order.shippingMethod == 3 },
        { QStringLiteral("is_economy_shipping"), order.shippingMethod == 4 },
        { QStringLiteral("send_shipping_notification"), order.sendShippingNotification },
        { QStringLiteral("shipments"), shipments }, { QStringLiteral("created_at"), timestamp(order.created) },
        { QStringLiteral("sent_to_production_at"), timeOrNull(order.sentToProductionAt) },
        { QStringLiteral("fulfilled_at"), timeOrNull(order.fulfilledAt) },
        { QStringLiteral("printify_connect"),
            QJsonObject { { QStringLiteral("id"), order.connectId },
                { QStringLiteral("url"), QStringLiteral("https://printify.me/track/%1").arg(order.connectId) } } },
        { QStringLiteral("external_id"), order.externalId }, { QStringLiteral("label"), order.label } };
}

QJsonObject PrintifyFake::orderSummary(const Order &order) const
{
    QJsonArray lines;
    for (const LineItem &line : order.lineItems)
        lines.append(QJsonObject { { QStringLiteral("product_id"), line.productId },
            { QStringLiteral("blueprint_id"), line.blueprintId },
            { QStringLiteral("print_provider_id"), line.providerId }, { QStringLiteral("variant_id"), line.variantId },
            { QStringLiteral("quantity"), line.quantity }, { QStringLiteral("files"), line.files } });
    QJsonArray shipments;
    for (const Shipment &s : order.shipments)
        shipments.append(QJsonObject { { QStringLiteral("carrier"), s.carrier }, { QStringLiteral("number"), s.number },
            { QStringLiteral("url"), s.url }, { QStringLiteral("shipped_at"), timeOrNull(s.shippedAt) },
            { QStringLiteral("delivered_at"), timeOrNull(s.deliveredAt) } });
    return QJsonObject { { QStringLiteral("id"), order.id }, { QStringLiteral("external_id"), order.externalId },
        { QStringLiteral("label"), order.label }, { QStringLiteral("status"), order.status },
        { QStringLiteral("created_at"), timestamp(order.created) },
        { QStringLiteral("shipping_method"), order.shippingMethod },
        { QStringLiteral("country"), order.addressTo.value(QStringLiteral("country")) },
        { QStringLiteral("gets"), order.gets }, { QStringLiteral("issue"), order.issue },
        { QStringLiteral("line_items"), lines }, { QStringLiteral("shipments"), shipments },
        { QStringLiteral("fetches"), order.fetches } };
}

void PrintifyFake::changeStatus(Order &order, const QString &status)
{
    if (order.status == status)
        return;
    order.status = status;
    for (LineItem &line : order.lineItems)
        line.status = status;
    emitOrderEvent(QStringLiteral("order:updated"), order, QJsonObject { { QStringLiteral("status"), status } });
}

void PrintifyFake::maybeHold(Order &order)
{
    if (order.status != QLatin1String("pending") || order.fetchesOutstanding > 0 || !order.issue.isEmpty())
        return;
    const bool byGets = m_settings.pendingGets > 0 && order.gets >= m_settings.pendingGets;
    if (order.pendingElapsed || byGets)
        changeStatus(order, QStringLiteral("on-hold"));
}

void PrintifyFake::after(int ms, const QString &orderId, void (PrintifyFake::*step)(const QString &))
{
    if (ms < 0)
        return;
    const quint64 generation = m_generation;
    QTimer::singleShot(ms, &m_context, [this, generation, orderId, step] {
        if (generation == m_generation)
            (this->*step)(orderId);
    });
}

void PrintifyFake::pendingElapsed(const QString &orderId)
{
    if (Order *o = findOrder(orderId)) {
        o->pendingElapsed = true;
        maybeHold(*o);
    }
}

void PrintifyFake::productionStarted(const QString &orderId)
{
    Order *o = findOrder(orderId);
    if (o && o->status == QLatin1String("sending-to-production"))
        changeStatus(*o, QStringLiteral("in-production"));
}

std::optional<QString> PrintifyFake::ship(
    const QString &orderId, const QString &carrier, const QString &trackingNumber, const QString &trackingUrl)
{
    Order *o = findOrder(orderId);
    if (!o)
        return QStringLiteral("no such order %1").arg(orderId);
    static const QStringList shippable { QStringLiteral("in-production"), QStringLiteral("partially-fulfilled"),
        QStringLiteral("fulfilled") };
    if (!shippable.contains(o->status))
        return QStringLiteral("order %1 is %2: only in-production, partially-fulfilled or fulfilled orders ship")
            .arg(orderId, o->status);
    Shipment s;
    s.carrier = carrier.isEmpty() ? QStringLiteral("usps") : carrier;
    s.number = trackingNumber.isEmpty() ? QStringLiteral("9400%1").arg(
                   QRandomGenerator::global()->bounded(Q_INT64_C(1000000000000000000)), 18, 10, QLatin1Char('0'))
                                        : trackingNumber;
    s.url = trackingUrl.isEmpty() ? trackingUrlFor(s.carrier, s.number) : trackingUrl;
    s.shippedAt = QDateTime::currentDateTimeUtc();
    o->shipments.append(s);
    o->fulfilledAt = s.shippedAt;
    QJsonArray skus;
    for (LineItem &line : o->lineItems) {
        line.fulfilledAt = s.shippedAt;
        skus.append(line.sku);
    }
    emitOrderEvent(QStringLiteral("order:shipment:created"), *o,
        QJsonObject { { QStringLiteral("shipped_at"), timestamp(s.shippedAt) },
            { QStringLiteral("carrier"),
                QJsonObject { { QStringLiteral("code"), s.carrier }, { QStringLiteral("tracking_number"), s.number },
                    { QStringLiteral("tracking_url"), s.url } } },
            { QStringLiteral("skus"), skus } });
    changeStatus(*o, QStringLiteral("fulfilled"));
    return std::nullopt;
}

std::optional<QString> PrintifyFake::deliver(const QString &orderId, const QString &trackingNumber)
{
    Order *o = findOrder(orderId);
    if (!o)
        return QStringLiteral("no such order %1").arg(orderId);
    Shipment *target = nullptr;
    for (auto it = o->shipments.rbegin(); it != o->shipments.rend(); ++it) {
        if (trackingNumber.isEmpty() ? !it->deliveredAt.isValid() : it->number == trackingNumber) {
            target = &*it;
            break;
        }
    }
    if (!target)
        return trackingNumber.isEmpty()
            ? QStringLiteral("order %1 has no undelivered shipment: ship it first").arg(orderId)
            : QStringLiteral("order %1 has no shipment %2").arg(orderId, trackingNumber);
    target->deliveredAt = QDateTime::currentDateTimeUtc();
    QJsonArray skus;
    for (const LineItem &line : std::as_const(o->lineItems))
        skus.append(line.sku);
    emitOrderEvent(QStringLiteral("order:shipment:delivered"), *o,
        QJsonObject { { QStringLiteral("delivered_at"), timestamp(target->deliveredAt) },
            { QStringLiteral("carrier"),
                QJsonObject { { QStringLiteral("code"), target->carrier },
                    { QStringLiteral("tracking_number"), target->number },
                    { QStringLiteral("tracking_url"), target->url } } },
            { QStringLiteral("skus"), skus } });
    return std::nullopt;
}

std::optional<QString> PrintifyFake::setStatus(const QString &orderId, const QString &status)
{
    Order *o = findOrder(orderId);
    if (!o)
        return QStringLiteral("no such order %1").arg(orderId);
    if (!statuses().contains(status))
        return QStringLiteral("unknown status \"%1\" (%2)").arg(status, statuses().join(QStringLiteral(", ")));
    changeStatus(*o, status);
    return std::nullopt;
}

// ---- Webhooks ----------------------------------------------------------------------------------

SandboxReply PrintifyFake::createWebhook(const SandboxRequest &request)
{
    const auto body = bodyObject(request);
    if (!body)
        return validationError(QStringLiteral("body: The request body must be a JSON object."));
    const QString topic = body->value(QStringLiteral("topic")).toString();
    if (topic.isEmpty())
        return validationError(QStringLiteral("topic: The topic field is required."));
    if (!topics().contains(topic))
        return validationError(QStringLiteral("topic: The selected topic is invalid."));
    QUrl url;
    if (body->value(QStringLiteral("url")).toString().isEmpty())
        return validationError(QStringLiteral("url: The url field is required."));
    if (!isHttpUrl(body->value(QStringLiteral("url")).toString(), &url))
        return validationError(QStringLiteral("url: The url format is invalid."));
    Webhook webhook { newObjectId(), topic, url, body->value(QStringLiteral("secret")).toString().toUtf8() };
    m_registered.append(webhook);
    return jsonReply(200, webhookJson(webhook));
}

QJsonObject PrintifyFake::webhookJson(const Webhook &webhook) const
{
    return QJsonObject { { QStringLiteral("topic"), webhook.topic }, { QStringLiteral("url"), webhook.url.toString() },
        { QStringLiteral("shop_id"), QString::number(m_shopId) }, { QStringLiteral("id"), webhook.id } };
}

QList<PrintifyWebhookSender::Target> PrintifyFake::targetsFor(const QString &topic) const
{
    QList<PrintifyWebhookSender::Target> targets;
    for (const Webhook &w : m_registered) {
        if (w.topic == topic)
            targets.append({ w.id, w.url, w.secret });
    }
    return targets;
}

void PrintifyFake::emitEvent(
    const QString &topic, const QString &resourceId, const QString &resourceType, QJsonObject data)
{
    data.insert(QStringLiteral("shop_id"), m_shopId);
    PrintifyEvent event;
    event.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    event.type = topic;
    event.resourceId = resourceId;
    event.created = QDateTime::currentDateTimeUtc();
    event.body
        = QJsonDocument(QJsonObject { { QStringLiteral("id"), event.id }, { QStringLiteral("type"), topic },
                            { QStringLiteral("created_at"), timestamp(event.created) },
                            { QStringLiteral("resource"),
                                QJsonObject { { QStringLiteral("id"), resourceId },
                                    { QStringLiteral("type"), resourceType }, { QStringLiteral("data"), data } } } })
              .toJson(QJsonDocument::Compact);
    m_events.append(event);
    if (m_webhooks)
        m_webhooks->send(event, targetsFor(topic));
}

void PrintifyFake::emitOrderEvent(const QString &topic, const Order &order, const QJsonObject &data)
{
    emitEvent(topic, order.id, QStringLiteral("order"), data);
}

// ---- Control API -------------------------------------------------------------------------------

SandboxReply PrintifyFake::control(const SandboxRequest &request)
{
    const QString sub = request.path.mid(qsizetype(qstrlen(ControlPrefix)));
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";
    QJsonObject body;
    if (post && !request.body.trimmed().isEmpty()) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
        if (!doc.isObject())
            return controlError(400, QStringLiteral("body must be a JSON object: %1").arg(parseError.errorString()));
        body = doc.object();
    }

    if (sub == QLatin1String("/orders") && get) {
        const QString externalId = request.query.queryItemValue(QStringLiteral("external_id"), QUrl::FullyDecoded);
        const bool filter = request.query.hasQueryItem(QStringLiteral("external_id"));
        QJsonArray list;
        for (const Order *o : orders()) {
            if (!filter || o->externalId == externalId)
                list.append(orderSummary(*o));
        }
        return jsonReply(200, QJsonObject { { QStringLiteral("orders"), list } });
    }
    static const QRegularExpression orderPath(QStringLiteral("^/orders/([^/]+)$"));
    if (const auto match = orderPath.match(sub); match.hasMatch() && get) {
        const Order *o = order(match.captured(1));
        if (!o)
            return controlError(404, QStringLiteral("no such order %1").arg(match.captured(1)));
        return jsonReply(200, orderSummary(*o));
    }
    static const QRegularExpression actionPath(QStringLiteral("^/orders/([^/]+)/(ship|deliver|status)$"));
    if (const auto match = actionPath.match(sub); match.hasMatch() && post) {
        const QString id = match.captured(1);
        const QString action = match.captured(2);
        if (!order(id))
            return controlError(404, QStringLiteral("no such order %1").arg(id));
        std::optional<QString> error;
        if (action == QLatin1String("ship"))
            error = ship(id, body.value(QStringLiteral("carrier")).toString(),
                body.value(QStringLiteral("tracking_number")).toString(),
                body.value(QStringLiteral("tracking_url")).toString());
        else if (action == QLatin1String("deliver"))
            error = deliver(id, body.value(QStringLiteral("tracking_number")).toString());
        else
            error = setStatus(id, body.value(QStringLiteral("status")).toString());
        if (error)
            return controlError(400, *error);
        return jsonReply(200, orderJson(*order(id)));
    }

    static const QRegularExpression variantPath(QStringLiteral("^/variants/(\\d+)/(retire|restore)$"));
    if (const auto match = variantPath.match(sub); match.hasMatch() && post) {
        const int id = match.captured(1).toInt();
        const bool ok = match.captured(2) == QLatin1String("retire") ? m_catalog.retire(id) : m_catalog.restore(id);
        if (!ok)
            return controlError(404, QStringLiteral("no such variant %1").arg(id));
    }
    if ((sub == QLatin1String("/variants") && get) || (variantPath.match(sub).hasMatch() && post)) {
        QJsonArray retired;
        for (int id : m_catalog.retired())
            retired.append(id);
        return jsonReply(200, QJsonObject { { QStringLiteral("retired"), retired } });
    }

    if (sub == QLatin1String("/delivery")) {
        if (!m_webhooks)
            return controlError(404, QStringLiteral("no webhook sender"));
        if (post) {
            PrintifyWebhookSender::Mode mode;
            mode.hold = m_webhooks->mode().hold && !body.contains(QStringLiteral("mode"));
            const QStringList names = body.value(QStringLiteral("mode"))
                                          .toString(QStringLiteral("normal"))
                                          .split(QLatin1Char(','), Qt::SkipEmptyParts);
            for (const QString &raw : names) {
                const QString name = raw.trimmed();
                if (name == QLatin1String("normal")) {
                    continue;
                } else if (name == QLatin1String("duplicates")) {
                    mode.duplicates = body.value(QStringLiteral("count")).toInt(2);
                    if (mode.duplicates < 1 || mode.duplicates > 20)
                        return controlError(400, QStringLiteral("count must be 1…20"));
                } else if (name == QLatin1String("wrong_secret")) {
                    mode.wrongSecret = true;
                } else if (name == QLatin1String("no_signature")) {
                    mode.noSignature = true;
                } else if (name == QLatin1String("hold")) {
                    mode.hold = true;
                } else {
                    return controlError(400,
                        QStringLiteral("unknown delivery mode \"%1\" (normal, duplicates, wrong_secret, "
                                       "no_signature, hold)")
                            .arg(name));
                }
            }
            m_webhooks->setMode(mode);
        } else if (!get) {
            return controlError(404, QStringLiteral("use GET or POST"));
        }
        const PrintifyWebhookSender::Mode &mode = m_webhooks->mode();
        return jsonReply(200,
            QJsonObject { { QStringLiteral("mode"), mode.describe() },
                { QStringLiteral("duplicates"), mode.duplicates }, { QStringLiteral("wrong_secret"), mode.wrongSecret },
                { QStringLiteral("no_signature"), mode.noSignature }, { QStringLiteral("hold"), mode.hold },
                { QStringLiteral("held"), m_webhooks->heldCount() } });
    }

    if (sub == QLatin1String("/release") && post) {
        const int released = m_webhooks ? m_webhooks->release() : 0;
        return jsonReply(200, QJsonObject { { QStringLiteral("released"), released } });
    }

    if (sub == QLatin1String("/events") && get) {
        QJsonArray list;
        for (const PrintifyEvent &event : std::as_const(m_events))
            list.append(QJsonObject { { QStringLiteral("id"), event.id }, { QStringLiteral("type"), event.type },
                { QStringLiteral("resource_id"), event.resourceId },
                { QStringLiteral("created_at"), timestamp(event.created) },
                { QStringLiteral("body"), QString::fromUtf8(event.body) } });
        return jsonReply(200, QJsonObject { { QStringLiteral("events"), list } });
    }
    static const QRegularExpression resendPath(QStringLiteral("^/events/([^/]+)/resend$"));
    if (const auto match = resendPath.match(sub); match.hasMatch() && post) {
        const auto it = std::find_if(
            m_events.cbegin(), m_events.cend(), [&](const PrintifyEvent &e) { return e.id == match.captured(1); });
        if (it == m_events.cend())
            return controlError(404, QStringLiteral("no such event %1").arg(match.captured(1)));
        if (m_webhooks)
            m_webhooks->send(*it, targetsFor(it->type));
        return jsonReply(200, QJsonObject { { QStringLiteral("resent"), it->id } });
    }

    if (sub == QLatin1String("/deliveries") && get) {
        QJsonArray list;
        if (m_webhooks) {
            for (const PrintifyWebhookSender::Delivery &d : m_webhooks->deliveries())
                list.append(QJsonObject { { QStringLiteral("event_id"), d.eventId },
                    { QStringLiteral("type"), d.eventType }, { QStringLiteral("webhook_id"), d.webhookId },
                    { QStringLiteral("url"), d.url.toString() }, { QStringLiteral("copy"), d.copy },
                    { QStringLiteral("attempt"), d.attempt }, { QStringLiteral("status"), d.status },
                    { QStringLiteral("error"), d.error },
                    { QStringLiteral("signature"), QString::fromLatin1(d.signatureHeader) },
                    { QStringLiteral("mode"), d.mode }, { QStringLiteral("at"), d.at.toString(Qt::ISODateWithMs) } });
        }
        return jsonReply(200,
            QJsonObject { { QStringLiteral("deliveries"), list },
                { QStringLiteral("pending"), m_webhooks ? m_webhooks->pendingCount() : 0 } });
    }

    if (sub == QLatin1String("/uploads") && get) {
        QJsonArray list;
        for (const QString &id : std::as_const(m_uploadOrder)) {
            const Upload &u = m_uploads[id];
            list.append(QJsonObject { { QStringLiteral("id"), u.id }, { QStringLiteral("file_name"), u.fileName },
                { QStringLiteral("width"), u.width }, { QStringLiteral("height"), u.height },
                { QStringLiteral("size"), u.size }, { QStringLiteral("mime_type"), u.mimeType },
                { QStringLiteral("sha256"), QString::fromLatin1(u.sha256) }, { QStringLiteral("source"), u.source },
                { QStringLiteral("url"), u.url }, { QStringLiteral("archived"), u.archived } });
        }
        return jsonReply(200, QJsonObject { { QStringLiteral("uploads"), list } });
    }

    if (sub == QLatin1String("/webhooks") && get) {
        QJsonArray list;
        for (const Webhook &w : std::as_const(m_registered)) {
            QJsonObject object = webhookJson(w);
            object.insert(QStringLiteral("secret_set"), !w.secret.isEmpty());
            list.append(object);
        }
        return jsonReply(200, QJsonObject { { QStringLiteral("webhooks"), list } });
    }

    if (sub == QLatin1String("/settings")) {
        if (post) {
            Settings next = m_settings;
            if (auto error = next.apply(body))
                return controlError(400, *error);
            setSettings(next);
        } else if (!get) {
            return controlError(404, QStringLiteral("use GET or POST"));
        }
        return jsonReply(200, m_settings.toJson());
    }

    if (sub == QLatin1String("/reset") && post) {
        reset();
        return jsonReply(200, QJsonObject { { QStringLiteral("reset"), true } });
    }

    return controlError(404,
        QStringLiteral("no Printify control route %1 %2 (see calstudio-sandbox --help)")
            .arg(QString::fromLatin1(request.method), request.path));
}

} // namespace CalStudio
