#include "app/sandbox/stripefake.h"

#include "app/sandbox/faultplan.h"
#include "app/sandbox/stripecheckoutpage.h"
#include "app/sandbox/stripeformdecoder.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

namespace CalStudio {

namespace {

constexpr qint64 SavedResultLifetime = 24 * 3600;

qint64 nowSeconds()
{
    return QDateTime::currentSecsSinceEpoch();
}

SandboxReply jsonReply(int status, const QJsonObject &object)
{
    SandboxReply reply;
    reply.status = status;
    reply.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return reply;
}

SandboxReply controlError(int status, const QString &message)
{
    return jsonReply(status, QJsonObject { { QStringLiteral("error"), message } });
}

SandboxReply htmlReply(int status, const QByteArray &html)
{
    SandboxReply reply;
    reply.status = status;
    reply.contentType = "text/html; charset=utf-8";
    reply.body = html;
    reply.headers.append({ QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store") });
    return reply;
}

QString originOf(const SandboxRequest &request)
{
    const QByteArray host = request.header("host");
    return QStringLiteral("http://") + QString::fromLatin1(host.isEmpty() ? QByteArrayLiteral("127.0.0.1") : host);
}

// The key from `Authorization: Bearer <key>` or Basic `<key>:` (what `curl -u sk_…:` sends).
QString apiKeyOf(const SandboxRequest &request)
{
    const QByteArray auth = request.header("authorization").trimmed();
    const qsizetype space = auth.indexOf(' ');
    if (space < 0)
        return {};
    const QByteArray scheme = auth.left(space).toLower();
    const QByteArray credentials = auth.mid(space + 1).trimmed();
    if (scheme == "bearer")
        return QString::fromUtf8(credentials);
    if (scheme == "basic") {
        const QByteArray decoded = QByteArray::fromBase64(credentials);
        const qsizetype colon = decoded.indexOf(':');
        return QString::fromUtf8(colon < 0 ? decoded : decoded.left(colon));
    }
    return {};
}

std::optional<qint64> integer(const QJsonValue &value)
{
    static const QRegularExpression pattern(QStringLiteral("^-?\\d{1,15}$"));
    if (!value.isString() || !pattern.match(value.toString()).hasMatch())
        return std::nullopt;
    return value.toString().toLongLong();
}

QStringList expansions(const QJsonObject &params)
{
    const QJsonValue expand = params.value(QStringLiteral("expand"));
    QStringList list;
    if (expand.isString())
        list.append(expand.toString());
    for (const QJsonValue &v : expand.toArray())
        list.append(v.toString());
    return list;
}

QByteArray newRequestId()
{
    return StripeCheckoutSession::newId(QStringLiteral("req_"), 14).toLatin1();
}

} // namespace

StripeFake::StripeFake(FaultPlan *faults, StripeWebhookSender *webhooks, QString secretKey)
    : m_faults(faults)
    , m_webhooks(webhooks)
    , m_secretKey(std::move(secretKey))
{
}

bool StripeFake::handles(const QString &path)
{
    return path.startsWith(QLatin1String("/v1/checkout/")) || path == QLatin1String("/v1/checkout")
        || path == QLatin1String("/v1/refunds") || path.startsWith(QLatin1String("/v1/refunds/"))
        || path.startsWith(QLatin1String("/v1/payment_intents/")) || path.startsWith(QLatin1String("/c/pay/"))
        || path == QLatin1String(ControlPrefix) || path.startsWith(QLatin1String(ControlPrefix) + QLatin1Char('/'));
}

int StripeFake::count(const QByteArray &method, const QString &pathPart) const
{
    return int(std::count_if(m_requests.cbegin(), m_requests.cend(),
        [&](const SandboxRequest &r) { return r.method == method && r.path.contains(pathPart); }));
}

const StripeCheckoutSession *StripeFake::session(const QString &id) const
{
    const auto it = m_sessions.constFind(id);
    return it == m_sessions.cend() ? nullptr : &it.value();
}

StripeCheckoutSession *StripeFake::find(const QString &id)
{
    const auto it = m_sessions.find(id);
    if (it == m_sessions.end())
        return nullptr;
    expireIfDue(it.value());
    return &it.value();
}

QString StripeFake::maskKey(const QString &key)
{
    const qsizetype underscore = key.left(8).lastIndexOf(QLatin1Char('_'));
    const QString prefix = underscore >= 0 ? key.left(underscore + 1) : QString();
    const QString rest = key.mid(prefix.size());
    if (rest.size() < 8)
        return prefix + QString(rest.size(), QLatin1Char('*'));
    return prefix + QString(rest.size() - 4, QLatin1Char('*')) + rest.right(4);
}

void StripeFake::reset()
{
    m_sessions.clear();
    m_sessionOrder.clear();
    m_sessionByIntent.clear();
    m_sessionByCharge.clear();
    m_refunds.clear();
    m_refundOrder.clear();
    m_events.clear();
    m_saved.clear();
    m_requests.clear();
    if (m_webhooks) {
        m_webhooks->reset();
        m_webhooks->setMode({});
    }
}

SandboxReply StripeFake::handle(const SandboxRequest &request)
{
    if (request.path == QLatin1String(ControlPrefix)
        || request.path.startsWith(QLatin1String(ControlPrefix) + QLatin1Char('/')))
        return control(request);
    m_requests.append(request);
    const QByteArray requestId = newRequestId();
    SandboxReply reply = request.path.startsWith(QLatin1String("/c/pay/")) ? page(request) : api(request, requestId);
    if (reply.header("Request-Id").isEmpty())
        reply.headers.append({ "Request-Id", requestId });
    return reply;
}

// ---- API -------------------------------------------------------------------------------------

SandboxReply StripeFake::api(const SandboxRequest &request, const QByteArray &requestId)
{
    const std::optional<Fault> fault = m_faults ? m_faults->take(QStringLiteral("stripe")) : std::nullopt;
    const QString scenario = fault ? fault->scenario : QString();

    SandboxReply reply = [&]() -> SandboxReply {
        const QString key = apiKeyOf(request);
        if (key.isEmpty()) {
            StripeError error { 401, QStringLiteral("invalid_request_error"), QString(),
                QStringLiteral("You did not provide an API key. You need to provide your API key in the "
                               "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                               "YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for "
                               "details, or we can help at https://support.stripe.com/."),
                QString() };
            SandboxReply r = error.toReply(requestId);
            r.headers.append({ QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Basic realm=\"Stripe\"") });
            return r;
        }
        if (key != m_secretKey || scenario == QLatin1String("invalid-key")) {
            StripeError error { 401, QStringLiteral("invalid_request_error"), QString(),
                QStringLiteral("Invalid API Key provided: %1").arg(maskKey(key)), QString() };
            SandboxReply r = error.toReply(requestId);
            r.headers.append({ QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Basic realm=\"Stripe\"") });
            return r;
        }

        // Rate limiting and proxies answer before the request reaches the endpoint: nothing is saved.
        if (scenario == QLatin1String("rate-limit") || scenario == QLatin1String("rate-limit-no-hint")) {
            SandboxReply r = StripeError { 429, QStringLiteral("invalid_request_error"), QStringLiteral("rate_limit"),
                QStringLiteral("Too many requests hit the API too quickly. We recommend an "
                               "exponential backoff of your requests."),
                QString() }
                                 .toReply(requestId);
            if (scenario == QLatin1String("rate-limit"))
                r.headers.append({ QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1") });
            return r;
        }
        if (scenario == QLatin1String("lock-timeout"))
            return StripeError { 429, QStringLiteral("invalid_request_error"), QStringLiteral("lock_timeout"),
                QStringLiteral("This object cannot be accessed right now because another API request "
                               "or Stripe process is currently accessing it. If you see this error "
                               "intermittently, retry the request."),
                QString() }
                .toReply(requestId);
        if (scenario == QLatin1String("unavailable"))
            return StripeError { 503, QStringLiteral("api_error"), QString(),
                QStringLiteral("The Stripe API is temporarily unavailable. Please try again later."), QString() }
                .toReply(requestId);
        if (scenario == QLatin1String("html-502")) {
            SandboxReply r = htmlReply(
                502, "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>");
            return r;
        }

        Context context;
        context.requestId = requestId;
        context.version = QString::fromLatin1(request.header("stripe-version").trimmed());
        if (context.version.isEmpty())
            context.version = m_defaultVersion;
        if (!StripeCheckoutSession::isValidVersion(context.version))
            return StripeError::invalid(
                QString(), QStringLiteral("Invalid Stripe API version: %1").arg(context.version))
                .toReply(requestId);
        context.origin
            = m_publicOrigin.isEmpty() ? originOf(request) : m_publicOrigin.toString(QUrl::StripTrailingSlash);

        const bool post = request.method == "POST";
        QString decodeError;
        QString decodeParam;
        const QByteArray encoded = post ? request.body : request.query.query(QUrl::FullyEncoded).toUtf8();
        const auto params = StripeFormDecoder::decode(encoded, &decodeError, &decodeParam);
        if (!params)
            return StripeError::invalid(decodeParam, decodeError).toReply(requestId);

        if (!post)
            return execute(request, *params, context);

        // Idempotency (EXTERNAL_APIS.md 2.5).
        context.idempotencyKey = QString::fromUtf8(request.header("idempotency-key"));
        if (context.idempotencyKey.isEmpty()) {
            if (scenario == QLatin1String("server-error"))
                return StripeError { 500, QStringLiteral("api_error"), QString(),
                    QStringLiteral("An unknown error occurred"), QString() }
                    .toReply(requestId);
            return execute(request, *params, context);
        }
        if (context.idempotencyKey.size() > 255)
            return StripeError::invalid(QString(),
                QStringLiteral("Keys for idempotent requests can only be 255 "
                               "characters long."))
                .toReply(requestId);
        const qint64 now = nowSeconds();
        pruneSavedResults(now);
        const QString endpoint = QStringLiteral("POST ") + request.path;
        const QByteArray canonical = QJsonDocument(*params).toJson(QJsonDocument::Compact);
        QHash<QString, SavedResult> &saved = m_saved[key];
        const auto found = saved.constFind(context.idempotencyKey);
        if (found != saved.cend()) {
            const SavedResult &previous = found.value();
            if (previous.inFlight)
                return StripeError { 409, QStringLiteral("invalid_request_error"),
                    QStringLiteral("idempotency_key_in_use"),
                    QStringLiteral("There is currently another in-progress request using this "
                                   "Idempotent Key (that probably means you submitted twice, and the "
                                   "other request is still going through): %1. Please try again later.")
                        .arg(context.idempotencyKey),
                    QString() }
                    .toReply(requestId);
            if (previous.endpoint != endpoint)
                return StripeError { 400, QStringLiteral("idempotency_error"), QString(),
                    QStringLiteral("Keys for idempotent requests can only be used for the same endpoint "
                                   "they were first used for ('%1' vs '%2'). Try using a key other than "
                                   "'%3' if you meant to execute a different request.")
                        .arg(previous.endpoint, endpoint, context.idempotencyKey),
                    QString() }
                    .toReply(requestId);
            if (previous.params != canonical)
                return StripeError { 400, QStringLiteral("idempotency_error"), QString(),
                    QStringLiteral("Keys for idempotent requests can only be used with the same "
                                   "parameters they were first used with. Try using a key other than "
                                   "'%1' if you meant to execute a different request.")
                        .arg(context.idempotencyKey),
                    QString() }
                    .toReply(requestId);
            SandboxReply replay;
            replay.status = previous.status;
            replay.body = previous.body;
            replay.headers = { { "Request-Id", requestId }, { "Idempotent-Replayed", "true" },
                { "Original-Request", previous.requestId }, { "Idempotency-Key", context.idempotencyKey.toUtf8() },
                { "Stripe-Version", context.version.toLatin1() } };
            return replay;
        }

        SandboxReply result = scenario == QLatin1String("server-error") ? StripeError { 500,
            QStringLiteral("api_error"), QString(), QStringLiteral("An unknown error occurred"), QString() }
                                                                              .toReply(requestId)
                                                                        : execute(request, *params, context);
        result.headers.append({ "Idempotency-Key", context.idempotencyKey.toUtf8() });
        // Saved once the endpoint executed: successes and 500s, not validation errors.
        if ((result.status >= 200 && result.status < 300) || result.status >= 500) {
            const bool held = fault && (fault->delay.count() > 0);
            saved.insert(context.idempotencyKey,
                SavedResult { endpoint, canonical, held, result.status, result.body, requestId, now });
            if (held) {
                result.finished = [this, key, idempotencyKey = context.idempotencyKey, requestId] {
                    auto byKey = m_saved.find(key);
                    if (byKey == m_saved.end())
                        return;
                    auto entry = byKey->find(idempotencyKey);
                    if (entry != byKey->end() && entry->requestId == requestId)
                        entry->inFlight = false;
                };
            }
        }
        return result;
    }();

    if (fault) {
        reply.delay = fault->delay;
        reply.drop = scenario == QLatin1String("drop");
    }
    return reply;
}

void StripeFake::pruneSavedResults(qint64 now)
{
    for (auto &byKey : m_saved) {
        for (auto it = byKey.begin(); it != byKey.end();) {
            if (!it->inFlight && now - it->created > SavedResultLifetime)
                it = byKey.erase(it);
            else
                ++it;
        }
    }
}

SandboxReply StripeFake::execute(const SandboxRequest &request, const QJsonObject &params, const Context &context)
{
    static const QRegularExpression sessionPath(
        QStringLiteral("^/v1/checkout/sessions/([^/]+)(/line_items|/expire)?$"));
    static const QRegularExpression refundPath(QStringLiteral("^/v1/refunds/([^/]+)$"));
    static const QRegularExpression intentPath(QStringLiteral("^/v1/payment_intents/([^/]+)$"));
    const bool post = request.method == "POST";
    const bool get = request.method == "GET";

    SandboxReply reply = [&]() -> SandboxReply {
        if (request.path == QLatin1String("/v1/checkout/sessions")) {
            if (post)
                return createSession(params, context);
            if (get)
                return listSessions(params, context);
        }
        if (const auto match = sessionPath.match(request.path); match.hasMatch()) {
            const QString id = match.captured(1);
            const QString sub = match.captured(2);
            if (sub.isEmpty() && get)
                return retrieveSession(id, params, context);
            if (sub == QLatin1String("/line_items") && get)
                return lineItems(id, params, context);
            if (sub == QLatin1String("/expire") && post)
                return expireSession(id, context);
        }
        if (request.path == QLatin1String("/v1/refunds") && post)
            return createRefund(params, context);
        if (const auto match = refundPath.match(request.path); match.hasMatch() && get) {
            const auto it = m_refunds.constFind(match.captured(1));
            if (it == m_refunds.cend())
                return StripeError::noSuch(QStringLiteral("refund"), match.captured(1), QStringLiteral("id"))
                    .toReply(context.requestId);
            return jsonReply(200, refundJson(it.value()));
        }
        if (const auto match = intentPath.match(request.path); match.hasMatch() && get) {
            const QString sessionId = m_sessionByIntent.value(match.captured(1));
            const StripeCheckoutSession *s = find(sessionId);
            if (!s)
                return StripeError::noSuch(
                    QStringLiteral("payment_intent"), match.captured(1), QStringLiteral("intent"))
                    .toReply(context.requestId);
            return jsonReply(200, s->paymentIntentJson().toObject());
        }
        return StripeError { 404, QStringLiteral("invalid_request_error"), QString(),
            QStringLiteral("Unrecognized request URL (%1: %2). Please see https://stripe.com/docs or "
                           "we can help at https://support.stripe.com/.")
                .arg(QString::fromLatin1(request.method), request.path),
            QString() }
            .toReply(context.requestId);
    }();
    reply.headers.append({ "Stripe-Version", context.version.toLatin1() });
    return reply;
}

SandboxReply StripeFake::createSession(const QJsonObject &params, const Context &context)
{
    auto created = StripeCheckoutSession::create(params, context.version, context.origin, nowSeconds());
    if (auto *error = std::get_if<StripeError>(&created))
        return error->toReply(context.requestId);
    StripeCheckoutSession session = std::get<StripeCheckoutSession>(std::move(created));
    QJsonObject object;
    if (auto error = sessionWithExpansions(session, params, context.version, &object))
        return error->toReply(context.requestId);
    m_sessionOrder.append(session.id);
    m_sessions.insert(session.id, session);
    return jsonReply(200, object);
}

SandboxReply StripeFake::listSessions(const QJsonObject &params, const Context &context)
{
    int limit = 10;
    if (params.contains(QStringLiteral("limit"))) {
        const auto value = integer(params.value(QStringLiteral("limit")));
        if (!value || *value < 1 || *value > 100)
            return StripeError::invalid(QStringLiteral("limit"),
                QStringLiteral("This value must be greater than or equal to 1 and less than "
                               "or equal to 100."))
                .toReply(context.requestId);
        limit = int(*value);
    }
    const QString intent = params.value(QStringLiteral("payment_intent")).toString();
    QJsonArray data;
    bool more = false;
    for (auto it = m_sessionOrder.crbegin(); it != m_sessionOrder.crend(); ++it) {
        StripeCheckoutSession *s = find(*it);
        if (!s || (!intent.isEmpty() && s->paymentIntentId != intent))
            continue;
        if (data.size() == limit) {
            more = true;
            break;
        }
        data.append(s->toJson(context.version));
    }
    return jsonReply(200,
        QJsonObject { { QStringLiteral("object"), QStringLiteral("list") }, { QStringLiteral("data"), data },
            { QStringLiteral("has_more"), more }, { QStringLiteral("url"), QStringLiteral("/v1/checkout/sessions") } });
}

std::optional<StripeError> StripeFake::sessionWithExpansions(
    const StripeCheckoutSession &session, const QJsonObject &params, const QString &version, QJsonObject *out) const
{
    QJsonObject object = session.toJson(version);
    for (const QString &path : expansions(params)) {
        if (path == QLatin1String("line_items")) {
            object.insert(QStringLiteral("line_items"), session.lineItemsJson(100));
        } else if (path == QLatin1String("payment_intent")) {
            object.insert(QStringLiteral("payment_intent"), session.paymentIntentJson());
        } else if (path == QLatin1String("shipping_cost.shipping_rate")) {
            if (session.selectedShipping >= 0 && session.selectedShipping < session.shippingOptions.size()) {
                QJsonObject cost = object.value(QStringLiteral("shipping_cost")).toObject();
                cost.insert(QStringLiteral("shipping_rate"), session.shippingRateJson(session.selectedShipping));
                object.insert(QStringLiteral("shipping_cost"), cost);
            }
        } else {
            return StripeError::invalid(QString(), QStringLiteral("This property cannot be expanded (%1).").arg(path));
        }
    }
    *out = object;
    return std::nullopt;
}

SandboxReply StripeFake::retrieveSession(const QString &id, const QJsonObject &params, const Context &context)
{
    const StripeCheckoutSession *s = find(id);
    if (!s)
        return StripeError::noSuch(QStringLiteral("checkout.session"), id, QStringLiteral("session"))
            .toReply(context.requestId);
    QJsonObject object;
    if (auto error = sessionWithExpansions(*s, params, context.version, &object))
        return error->toReply(context.requestId);
    return jsonReply(200, object);
}

SandboxReply StripeFake::lineItems(const QString &id, const QJsonObject &params, const Context &context)
{
    const StripeCheckoutSession *s = find(id);
    if (!s)
        return StripeError::noSuch(QStringLiteral("checkout.session"), id, QStringLiteral("session"))
            .toReply(context.requestId);
    int limit = 10;
    if (params.contains(QStringLiteral("limit"))) {
        const auto value = integer(params.value(QStringLiteral("limit")));
        if (!value || *value < 1 || *value > 100)
            return StripeError::invalid(QStringLiteral("limit"),
                QStringLiteral("This value must be greater than or equal to 1 and less than "
                               "or equal to 100."))
                .toReply(context.requestId);
        limit = int(*value);
    }
    return jsonReply(200, s->lineItemsJson(limit));
}

SandboxReply StripeFake::expireSession(const QString &id, const Context &context)
{
    StripeCheckoutSession *s = find(id);
    if (!s)
        return StripeError::noSuch(QStringLiteral("checkout.session"), id, QStringLiteral("session"))
            .toReply(context.requestId);
    if (!s->isOpen())
        return StripeError::invalid(QString(),
            QStringLiteral("Only Checkout Sessions with a status of `open` can be expired. "
                           "This Checkout Session has a status of `%1`.")
                .arg(s->status))
            .toReply(context.requestId);
    markExpired(*s, QString::fromLatin1(context.requestId),
        context.idempotencyKey.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(context.idempotencyKey));
    return jsonReply(200, s->toJson(context.version));
}

qint64 StripeFake::refundedAmount(const QString &sessionId) const
{
    qint64 sum = 0;
    for (const Refund &refund : m_refunds) {
        if (refund.sessionId == sessionId)
            sum += refund.amount;
    }
    return sum;
}

QJsonObject StripeFake::chargeJson(const StripeCheckoutSession &session) const
{
    const qint64 amount = session.amountTotal();
    const qint64 refunded = refundedAmount(session.id);
    QJsonObject billing { { QStringLiteral("address"),
                              session.customer ? QJsonValue(session.customer->addressJson())
                                               : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("email"),
            session.customer ? QJsonValue(session.customer->email) : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("name"),
            session.customer ? QJsonValue(session.customer->name) : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("phone"),
            session.customer ? QJsonValue(session.customer->phone) : QJsonValue(QJsonValue::Null) } };
    return QJsonObject { { QStringLiteral("id"), session.chargeId },
        { QStringLiteral("object"), QStringLiteral("charge") }, { QStringLiteral("amount"), amount },
        { QStringLiteral("amount_captured"), amount }, { QStringLiteral("amount_refunded"), refunded },
        { QStringLiteral("billing_details"), billing }, { QStringLiteral("captured"), true },
        { QStringLiteral("created"), session.created }, { QStringLiteral("currency"), session.reportedCurrency() },
        { QStringLiteral("livemode"), false }, { QStringLiteral("metadata"), session.paymentIntentMetadata },
        { QStringLiteral("paid"), true }, { QStringLiteral("payment_intent"), session.paymentIntentId },
        // Stripe sets `refunded` only once the whole amount is refunded.
        { QStringLiteral("refunded"), refunded >= amount }, { QStringLiteral("status"), QStringLiteral("succeeded") } };
}

QJsonObject StripeFake::refundJson(const Refund &refund) const
{
    const StripeCheckoutSession *s = session(refund.sessionId);
    return QJsonObject { { QStringLiteral("id"), refund.id }, { QStringLiteral("object"), QStringLiteral("refund") },
        { QStringLiteral("amount"), refund.amount }, { QStringLiteral("charge"), s ? s->chargeId : QString() },
        { QStringLiteral("created"), refund.created },
        { QStringLiteral("currency"), s ? s->reportedCurrency() : QString() },
        { QStringLiteral("metadata"), refund.metadata },
        { QStringLiteral("payment_intent"), s ? s->paymentIntentId : QString() },
        { QStringLiteral("reason"),
            refund.reason.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(refund.reason) },
        { QStringLiteral("status"), QStringLiteral("succeeded") } };
}

SandboxReply StripeFake::createRefund(const QJsonObject &params, const Context &context)
{
    static const QStringList known { QStringLiteral("payment_intent"), QStringLiteral("charge"),
        QStringLiteral("amount"), QStringLiteral("reason"), QStringLiteral("metadata"), QStringLiteral("expand"),
        QStringLiteral("instructions_email"), QStringLiteral("refund_application_fee"),
        QStringLiteral("reverse_transfer") };
    for (auto it = params.begin(); it != params.end(); ++it) {
        if (!known.contains(it.key()))
            return StripeError::invalid(it.key(), QStringLiteral("Received unknown parameter: %1").arg(it.key()))
                .toReply(context.requestId);
    }
    const QString intent = params.value(QStringLiteral("payment_intent")).toString();
    const QString charge = params.value(QStringLiteral("charge")).toString();
    if (intent.isEmpty() && charge.isEmpty())
        return StripeError::missing(QStringLiteral("payment_intent")).toReply(context.requestId);
    const QString sessionId = intent.isEmpty() ? m_sessionByCharge.value(charge) : m_sessionByIntent.value(intent);
    StripeCheckoutSession *s = find(sessionId);
    if (!s) {
        return (intent.isEmpty()
                ? StripeError::noSuch(QStringLiteral("charge"), charge, QStringLiteral("charge"))
                : StripeError::noSuch(QStringLiteral("payment_intent"), intent, QStringLiteral("payment_intent")))
            .toReply(context.requestId);
    }
    if (s->chargeId.isEmpty())
        return StripeError::invalid(QStringLiteral("payment_intent"),
            QStringLiteral("This PaymentIntent (%1) does not have a successful charge to "
                           "refund.")
                .arg(s->paymentIntentId))
            .toReply(context.requestId);
    const qint64 remaining = s->amountTotal() - refundedAmount(s->id);
    if (remaining <= 0)
        return StripeError::invalid(QStringLiteral("charge"),
            QStringLiteral("Charge %1 has already been refunded.").arg(s->chargeId),
            QStringLiteral("charge_already_refunded"))
            .toReply(context.requestId);
    qint64 amount = remaining;
    if (params.contains(QStringLiteral("amount"))) {
        const auto value = integer(params.value(QStringLiteral("amount")));
        if (!value || *value < 1)
            return StripeError::invalid(QStringLiteral("amount"),
                QStringLiteral("Invalid positive integer: %1").arg(params.value(QStringLiteral("amount")).toString()))
                .toReply(context.requestId);
        if (*value > remaining)
            return StripeError::invalid(QStringLiteral("amount"),
                QStringLiteral("Refund amount (%1) is greater than unrefunded amount on charge "
                               "(%2)")
                    .arg(StripeCheckoutPage::formatAmount(*value, s->currency),
                        StripeCheckoutPage::formatAmount(remaining, s->currency)),
                QStringLiteral("amount_too_large"))
                .toReply(context.requestId);
        amount = *value;
    }
    Refund refund;
    refund.reason = params.value(QStringLiteral("reason")).toString();
    if (!refund.reason.isEmpty() && refund.reason != QLatin1String("duplicate")
        && refund.reason != QLatin1String("fraudulent") && refund.reason != QLatin1String("requested_by_customer"))
        return StripeError::invalid(QStringLiteral("reason"),
            QStringLiteral("Invalid reason: must be one of duplicate, fraudulent, or "
                           "requested_by_customer"))
            .toReply(context.requestId);
    const QJsonValue metadata = params.value(QStringLiteral("metadata"));
    if (!metadata.isUndefined() && !metadata.isObject())
        return StripeError::invalid(QStringLiteral("metadata"), QStringLiteral("Invalid object"))
            .toReply(context.requestId);
    refund.metadata = metadata.toObject();
    refund.id = StripeCheckoutSession::newId(QStringLiteral("re_3"));
    refund.sessionId = s->id;
    refund.amount = amount;
    refund.created = nowSeconds();
    m_refunds.insert(refund.id, refund);
    m_refundOrder.append(refund.id);

    const QJsonValue idempotencyKey
        = context.idempotencyKey.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(context.idempotencyKey);
    emitEvent(
        QStringLiteral("charge.refunded"), chargeJson(*s), QString::fromLatin1(context.requestId), idempotencyKey);
    emitEvent(
        QStringLiteral("refund.created"), refundJson(refund), QString::fromLatin1(context.requestId), idempotencyKey);
    return jsonReply(200, refundJson(refund));
}

// ---- State changes and events ---------------------------------------------------------------

QString StripeFake::eventVersion() const
{
    return m_webhookVersion.isEmpty() ? m_defaultVersion : m_webhookVersion;
}

void StripeFake::emitEvent(
    const QString &type, const QJsonObject &object, const QJsonValue &requestId, const QJsonValue &idempotencyKey)
{
    StripeEvent event;
    event.id = StripeCheckoutSession::newId(QStringLiteral("evt_1"));
    event.type = type;
    event.created = nowSeconds();
    const QJsonObject envelope {
        { QStringLiteral("id"), event.id },
        { QStringLiteral("object"), QStringLiteral("event") },
        { QStringLiteral("api_version"), eventVersion() },
        { QStringLiteral("created"), event.created },
        { QStringLiteral("data"), QJsonObject { { QStringLiteral("object"), object } } },
        { QStringLiteral("livemode"), false },
        { QStringLiteral("pending_webhooks"), m_webhooks ? int(m_webhooks->endpoints().size()) : 0 },
        { QStringLiteral("request"),
            QJsonObject {
                { QStringLiteral("id"), requestId }, { QStringLiteral("idempotency_key"), idempotencyKey } } },
        { QStringLiteral("type"), type },
    };
    event.body = QJsonDocument(envelope).toJson(QJsonDocument::Compact);
    m_events.append(event);
    if (m_webhooks)
        m_webhooks->send(event);
}

void StripeFake::expireIfDue(StripeCheckoutSession &session)
{
    if (session.isOpen() && nowSeconds() >= session.expiresAt)
        markExpired(session, QJsonValue::Null, QJsonValue::Null);
}

void StripeFake::markExpired(
    StripeCheckoutSession &session, const QJsonValue &requestId, const QJsonValue &idempotencyKey)
{
    session.status = QStringLiteral("expired");
    emitEvent(QStringLiteral("checkout.session.expired"), session.toJson(eventVersion()), requestId, idempotencyKey);
}

void StripeFake::markComplete(StripeCheckoutSession &session, const StripeCheckoutSession::Contact &contact,
    int shipping, const QString &paymentStatus)
{
    session.status = QStringLiteral("complete");
    session.paymentStatus = paymentStatus;
    if (shipping >= 0 && shipping < session.shippingOptions.size())
        session.selectedShipping = shipping;
    session.customer = contact;
    if (!session.customerEmail.isEmpty())
        session.customer->email = session.customerEmail;
    session.paymentIntentId = StripeCheckoutSession::newId(QStringLiteral("pi_3"));
    m_sessionByIntent.insert(session.paymentIntentId, session.id);
    if (paymentStatus == QLatin1String("paid")) {
        session.paymentIntentStatus = QStringLiteral("succeeded");
        session.chargeId = StripeCheckoutSession::newId(QStringLiteral("ch_3"));
        m_sessionByCharge.insert(session.chargeId, session.id);
    } else {
        session.paymentIntentStatus = QStringLiteral("processing");
    }
    // A customer completing Checkout is not an API request: the event's request id is null.
    emitEvent(QStringLiteral("checkout.session.completed"), session.toJson(eventVersion()));
}

StripeCheckoutSession::Contact StripeFake::prefillFor(const StripeCheckoutSession &session) const
{
    return StripeCheckoutSession::Contact::testContact(
        session.allowedCountries.value(0, QStringLiteral("US")), session.customerEmail);
}

std::optional<QString> StripeFake::complete(const QString &sessionId, const Completion &completion)
{
    StripeCheckoutSession *s = find(sessionId);
    if (!s)
        return QStringLiteral("no such session %1").arg(sessionId);
    if (!s->isOpen())
        return QStringLiteral("session %1 is %2, not open").arg(sessionId, s->status);
    if (completion.paymentStatus != QLatin1String("paid") && completion.paymentStatus != QLatin1String("unpaid"))
        return QStringLiteral("payment_status must be \"paid\" or \"unpaid\"");
    if (completion.shippingOption < -1 || completion.shippingOption >= s->shippingOptions.size())
        return QStringLiteral("shipping_option must be 0…%1").arg(s->shippingOptions.size() - 1);
    const StripeCheckoutSession::Contact contact = completion.contact.value_or(prefillFor(*s));
    if (s->collectShipping && !s->allowedCountries.contains(contact.country))
        return QStringLiteral("country %1 is not among the allowed countries").arg(contact.country);
    if (completion.amountTotal)
        s->amountTotalOverride = completion.amountTotal;
    if (!completion.currency.isEmpty())
        s->currencyOverride = completion.currency.toLower();
    markComplete(*s, contact, completion.shippingOption, completion.paymentStatus);
    return std::nullopt;
}

std::optional<QString> StripeFake::settleAsyncPayment(const QString &sessionId, bool succeeded)
{
    StripeCheckoutSession *s = find(sessionId);
    if (!s)
        return QStringLiteral("no such session %1").arg(sessionId);
    if (s->status != QLatin1String("complete") || s->paymentStatus != QLatin1String("unpaid")
        || s->paymentIntentStatus != QLatin1String("processing"))
        return QStringLiteral("session %1 has no pending payment (complete it with payment_status \"unpaid\" first)")
            .arg(sessionId);
    if (succeeded) {
        s->paymentStatus = QStringLiteral("paid");
        s->paymentIntentStatus = QStringLiteral("succeeded");
        s->chargeId = StripeCheckoutSession::newId(QStringLiteral("ch_3"));
        m_sessionByCharge.insert(s->chargeId, s->id);
        emitEvent(QStringLiteral("checkout.session.async_payment_succeeded"), s->toJson(eventVersion()));
    } else {
        s->paymentIntentStatus = QStringLiteral("requires_payment_method");
        emitEvent(QStringLiteral("checkout.session.async_payment_failed"), s->toJson(eventVersion()));
    }
    return std::nullopt;
}

std::optional<QString> StripeFake::expireNow(const QString &sessionId)
{
    StripeCheckoutSession *s = find(sessionId);
    if (!s)
        return QStringLiteral("no such session %1").arg(sessionId);
    if (!s->isOpen())
        return QStringLiteral("session %1 is %2, not open").arg(sessionId, s->status);
    markExpired(*s, QJsonValue::Null, QJsonValue::Null);
    return std::nullopt;
}

// ---- Hosted page ------------------------------------------------------------------------------

SandboxReply StripeFake::page(const SandboxRequest &request)
{
    static const QRegularExpression pagePath(QStringLiteral("^/c/pay/([^/]+)(/3ds)?$"));
    const auto match = pagePath.match(request.path);
    StripeCheckoutSession *s = match.hasMatch() ? find(match.captured(1)) : nullptr;
    if (!s)
        return htmlReply(404,
            StripeCheckoutPage::renderMessage(QStringLiteral("Something went wrong"),
                QStringLiteral("The page you were looking for could not be found.")));
    const bool challenge = !match.captured(2).isEmpty();
    const bool get = request.method == "GET";
    if ((challenge && !get) || (!get && request.method != "POST"))
        return htmlReply(405,
            StripeCheckoutPage::renderMessage(
                QStringLiteral("Method not allowed"), QStringLiteral("Use the buttons on the page.")));
    if (!s->isOpen()) {
        return htmlReply(200,
            s->status == QLatin1String("complete")
                ? StripeCheckoutPage::renderMessage(QStringLiteral("Payment complete"),
                    QStringLiteral("This Checkout Session is complete: you can close this page."))
                : StripeCheckoutPage::renderMessage(QStringLiteral("This link has expired"),
                    QStringLiteral("This Checkout Session has expired. Start again from the "
                                   "shop.")));
    }
    if (challenge)
        return htmlReply(200, StripeCheckoutPage::renderChallenge(*s));
    if (get)
        return htmlReply(200, StripeCheckoutPage::render(*s, prefillFor(*s)));

    const QJsonObject form = StripeFormDecoder::decode(request.body).value_or(QJsonObject());
    const auto field = [&form](const char *name) { return form.value(QLatin1String(name)).toString().trimmed(); };
    StripeCheckoutSession::Contact contact = prefillFor(*s);
    const auto take = [&field](const char *name, QString &target) {
        const QString value = field(name);
        if (!value.isEmpty())
            target = value;
    };
    take("email", contact.email);
    take("name", contact.name);
    take("phone", contact.phone);
    // The page always sends the whole address; a bare `action=pay` (curl) takes the test address.
    const bool addressGiven = form.contains(QStringLiteral("line1")) || form.contains(QStringLiteral("city"))
        || form.contains(QStringLiteral("postal_code")) || form.contains(QStringLiteral("country"));
    if (addressGiven) {
        contact.line1 = field("line1");
        contact.line2 = field("line2");
        contact.city = field("city");
        contact.state = field("state");
        contact.postalCode = field("postal_code");
        contact.country = field("country").toUpper();
    }

    int shipping = s->selectedShipping;
    if (form.contains(QStringLiteral("shipping_option"))) {
        bool ok = false;
        shipping = field("shipping_option").toInt(&ok);
        if (!ok || shipping < 0 || shipping >= s->shippingOptions.size())
            return htmlReply(200, StripeCheckoutPage::render(*s, contact, QStringLiteral("Choose a shipping method.")));
    }
    const auto rerender = [&](const QString &error) {
        StripeCheckoutSession shown = *s;
        shown.selectedShipping = shipping;
        return htmlReply(200, StripeCheckoutPage::render(shown, contact, error));
    };
    const QString action = field("action");
    if (action == QLatin1String("decline"))
        return rerender(QStringLiteral("Your card was declined."));
    if (action != QLatin1String("pay"))
        return rerender(QStringLiteral("Choose Pay or Decline."));
    if (field("three_d_secure") == QLatin1String("failed"))
        return rerender(QStringLiteral("Authentication failed"));
    if (!contact.email.contains(QLatin1Char('@')))
        return rerender(QStringLiteral("Enter a valid email address."));
    if (contact.line1.isEmpty() || contact.city.isEmpty() || contact.country.isEmpty())
        return rerender(QStringLiteral("Enter your address: street, city and country."));
    if (s->collectShipping && !s->allowedCountries.contains(contact.country))
        return rerender(QStringLiteral("Shipping to %1 is not available.").arg(contact.country));

    markComplete(*s, contact, shipping, QStringLiteral("paid"));
    const QString target = s->redirectUrl();
    if (target.isEmpty() || s->redirectOnCompletion == QLatin1String("never"))
        return htmlReply(200,
            StripeCheckoutPage::renderMessage(
                QStringLiteral("Payment complete"), QStringLiteral("Thank you: you can close this page.")));
    SandboxReply reply = htmlReply(
        303, StripeCheckoutPage::renderMessage(QStringLiteral("Payment complete"), QStringLiteral("Redirecting…")));
    reply.headers.append({ "Location", QUrl(target).toEncoded() });
    return reply;
}

// ---- Control API ------------------------------------------------------------------------------

SandboxReply StripeFake::control(const SandboxRequest &request)
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

    if (sub == QLatin1String("/webhook")) {
        if (request.method == "DELETE" || post) {
            QList<StripeWebhookSender::Endpoint> endpoints;
            QJsonArray list = body.value(QStringLiteral("endpoints")).toArray();
            if (body.contains(QStringLiteral("url")))
                list.prepend(QJsonObject { { QStringLiteral("url"), body.value(QStringLiteral("url")) },
                    { QStringLiteral("secret"), body.value(QStringLiteral("secret")) } });
            for (const QJsonValue &value : std::as_const(list)) {
                const QJsonObject o = value.toObject();
                const QString url = o.value(QStringLiteral("url")).toString();
                if (url.isEmpty())
                    continue;
                const QUrl parsed(url, QUrl::StrictMode);
                if (!parsed.isValid()
                    || (parsed.scheme() != QLatin1String("http") && parsed.scheme() != QLatin1String("https")))
                    return controlError(400, QStringLiteral("not an http(s) URL: %1").arg(url));
                endpoints.append({ parsed, o.value(QStringLiteral("secret")).toString().toUtf8() });
            }
            if (body.contains(QStringLiteral("api_version"))) {
                const QString version = body.value(QStringLiteral("api_version")).toString();
                if (!version.isEmpty() && !StripeCheckoutSession::isValidVersion(version))
                    return controlError(400, QStringLiteral("api_version must look like 2026-03-25.dahlia"));
                m_webhookVersion = version;
            }
            if (m_webhooks)
                m_webhooks->setEndpoints(endpoints);
        } else if (!get) {
            return controlError(404, QStringLiteral("use GET, POST or DELETE"));
        }
        QJsonArray endpoints;
        if (m_webhooks) {
            for (const StripeWebhookSender::Endpoint &e : m_webhooks->endpoints())
                endpoints.append(QJsonObject { { QStringLiteral("url"), e.url.toString() },
                    { QStringLiteral("secret_set"), !e.secret.isEmpty() } });
        }
        return jsonReply(200,
            QJsonObject {
                { QStringLiteral("endpoints"), endpoints }, { QStringLiteral("api_version"), eventVersion() } });
    }

    if (sub == QLatin1String("/delivery")) {
        if (!m_webhooks)
            return controlError(404, QStringLiteral("no webhook sender"));
        if (post) {
            StripeWebhookSender::Mode mode;
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
                } else if (name == QLatin1String("roll_secret")) {
                    QByteArray secret = body.value(QStringLiteral("new_secret")).toString().toUtf8();
                    if (secret.isEmpty())
                        secret = m_webhooks->endpoints().value(0).secret + "_rolled";
                    mode.rolledSecret = secret;
                } else if (name == QLatin1String("wrong_secret")) {
                    mode.wrongSecret = true;
                } else if (name == QLatin1String("stale")) {
                    mode.stale = true;
                } else if (name == QLatin1String("hold")) {
                    mode.hold = true;
                } else {
                    return controlError(400,
                        QStringLiteral("unknown delivery mode \"%1\" (normal, duplicates, "
                                       "roll_secret, wrong_secret, stale, hold)")
                            .arg(name));
                }
            }
            m_webhooks->setMode(mode);
        } else if (!get) {
            return controlError(404, QStringLiteral("use GET or POST"));
        }
        const StripeWebhookSender::Mode &mode = m_webhooks->mode();
        return jsonReply(200,
            QJsonObject { { QStringLiteral("mode"), mode.describe() },
                { QStringLiteral("duplicates"), mode.duplicates },
                { QStringLiteral("roll_secret"), !mode.rolledSecret.isEmpty() },
                { QStringLiteral("wrong_secret"), mode.wrongSecret }, { QStringLiteral("stale"), mode.stale },
                { QStringLiteral("hold"), mode.hold }, { QStringLiteral("held"), m_webhooks->heldCount() } });
    }

    if (sub == QLatin1String("/release") && post) {
        const int released = m_webhooks ? m_webhooks->release() : 0;
        return jsonReply(200, QJsonObject { { QStringLiteral("released"), released } });
    }

    if (sub == QLatin1String("/events") && get) {
        QJsonArray list;
        for (const StripeEvent &event : std::as_const(m_events))
            list.append(QJsonObject { { QStringLiteral("id"), event.id }, { QStringLiteral("type"), event.type },
                { QStringLiteral("created"), event.created },
                { QStringLiteral("body"), QString::fromUtf8(event.body) } });
        return jsonReply(200, QJsonObject { { QStringLiteral("events"), list } });
    }

    static const QRegularExpression resendPath(QStringLiteral("^/events/([^/]+)/resend$"));
    if (const auto match = resendPath.match(sub); match.hasMatch() && post) {
        const auto it = std::find_if(
            m_events.cbegin(), m_events.cend(), [&](const StripeEvent &e) { return e.id == match.captured(1); });
        if (it == m_events.cend())
            return controlError(404, QStringLiteral("no such event %1").arg(match.captured(1)));
        if (m_webhooks)
            m_webhooks->send(*it);
        return jsonReply(200, QJsonObject { { QStringLiteral("resent"), it->id } });
    }

    if (sub == QLatin1String("/deliveries") && get) {
        QJsonArray list;
        if (m_webhooks) {
            for (const StripeWebhookSender::Delivery &d : m_webhooks->deliveries())
                list.append(QJsonObject { { QStringLiteral("event_id"), d.eventId },
                    { QStringLiteral("type"), d.eventType }, { QStringLiteral("url"), d.url.toString() },
                    { QStringLiteral("copy"), d.copy }, { QStringLiteral("attempt"), d.attempt },
                    { QStringLiteral("status"), d.status }, { QStringLiteral("error"), d.error },
                    { QStringLiteral("signature"), QString::fromLatin1(d.signatureHeader) },
                    { QStringLiteral("mode"), d.mode }, { QStringLiteral("at"), d.at.toString(Qt::ISODateWithMs) } });
        }
        return jsonReply(200,
            QJsonObject { { QStringLiteral("deliveries"), list },
                { QStringLiteral("pending"), m_webhooks ? m_webhooks->pendingCount() : 0 } });
    }

    if (sub == QLatin1String("/sessions") && get) {
        QJsonArray list;
        for (const QString &id : std::as_const(m_sessionOrder)) {
            if (StripeCheckoutSession *s = find(id))
                list.append(s->toJson(m_defaultVersion));
        }
        return jsonReply(200, QJsonObject { { QStringLiteral("sessions"), list } });
    }

    if (sub == QLatin1String("/reset") && post) {
        reset();
        return jsonReply(200, QJsonObject { { QStringLiteral("reset"), true } });
    }

    static const QRegularExpression actionPath(
        QStringLiteral("^/sessions/([^/]+)/(complete|async_payment_succeeded|async_payment_failed|expire)$"));
    if (const auto match = actionPath.match(sub); match.hasMatch() && post) {
        const QString id = match.captured(1);
        const QString action = match.captured(2);
        if (!m_sessions.contains(id))
            return controlError(404, QStringLiteral("no such session %1").arg(id));
        std::optional<QString> error;
        if (action == QLatin1String("complete")) {
            Completion completion;
            completion.paymentStatus = body.value(QStringLiteral("payment_status")).toString(QStringLiteral("paid"));
            completion.shippingOption = body.value(QStringLiteral("shipping_option")).toInt(-1);
            if (body.contains(QStringLiteral("amount_total")))
                completion.amountTotal = body.value(QStringLiteral("amount_total")).toInteger();
            completion.currency = body.value(QStringLiteral("currency")).toString();
            const StripeCheckoutSession *s = session(id);
            StripeCheckoutSession::Contact contact = prefillFor(*s);
            const QJsonObject address = body.value(QStringLiteral("address")).toObject();
            if (!address.value(QStringLiteral("country")).toString().isEmpty())
                contact = StripeCheckoutSession::Contact::testContact(
                    address.value(QStringLiteral("country")).toString().toUpper(), s->customerEmail);
            const auto set = [](const QJsonObject &o, const char *key, QString &target) {
                if (o.contains(QLatin1String(key)))
                    target = o.value(QLatin1String(key)).toString();
            };
            set(body, "email", contact.email);
            set(body, "name", contact.name);
            set(body, "phone", contact.phone);
            set(address, "line1", contact.line1);
            set(address, "line2", contact.line2);
            set(address, "city", contact.city);
            set(address, "state", contact.state);
            set(address, "postal_code", contact.postalCode);
            completion.contact = contact;
            error = complete(id, completion);
        } else if (action == QLatin1String("expire")) {
            error = expireNow(id);
        } else {
            error = settleAsyncPayment(id, action == QLatin1String("async_payment_succeeded"));
        }
        if (error)
            return controlError(400, *error);
        return jsonReply(200, session(id)->toJson(eventVersion()));
    }

    return controlError(404,
        QStringLiteral("no Stripe control route %1 %2 (see calstudio-sandbox --help)")
            .arg(QString::fromLatin1(request.method), request.path));
}

} // namespace CalStudio
