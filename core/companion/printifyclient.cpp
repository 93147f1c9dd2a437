#include "core/companion/printifyclient.h"

#include "core/companion/httpexchange.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QIODevice>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

namespace CalStudio {

using std::chrono::milliseconds;

namespace {

Q_LOGGING_CATEGORY(lcPrintify, "calstudio.companion.printify")

const QString kDefaultBase = QStringLiteral("https://api.printify.com");
/// Appended to the detail of an error after which a non-idempotent request may have been carried out.
const QString kOutcomeUnknownMarker = QStringLiteral("[outcome-unknown]");

using Attempt = HttpExchange;

/// Printify object ids (24 hex digits; a fake may use others): ASCII letters, digits, '_' and '-'.
bool isPrintifyId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_-]{1,128}$"));
    return pattern.match(id).hasMatch();
}

bool isShopId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9]{1,20}$"));
    return pattern.match(id).hasMatch();
}

/// A JSON scalar as text: strings as they are, integral numbers without a fraction; empty otherwise.
QString scalarText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble()) {
        const double number = value.toDouble();
        if (std::isfinite(number) && number == std::floor(number) && std::abs(number) < 1e15)
            return QString::number(qint64(number));
        return QString::number(number);
    }
    return {};
}

/// What Printify says in an error body: {"code":8150,"message":"…","errors":{"reason":"…","code":8150}} or
/// {"code":8502,"message":"…"}, decoded defensively (Laravel-style field lists too).
struct PrintifyErrorInfo {
    QString code;
    QString reason;
    QString message;
};

PrintifyErrorInfo errorInfoOf(const QByteArray &body)
{
    PrintifyErrorInfo info;
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isObject())
        return info;
    const QJsonObject json = document.object();
    const QJsonValue errors = json.value(QStringLiteral("errors"));
    info.code = scalarText(json.value(QStringLiteral("code")));
    if (info.code.isEmpty())
        info.code = scalarText(errors.toObject().value(QStringLiteral("code")));
    info.message = json.value(QStringLiteral("message")).toString();
    if (info.message.isEmpty())
        info.message = json.value(QStringLiteral("error")).toString();
    if (errors.isObject()) {
        const QJsonObject object = errors.toObject();
        info.reason = object.value(QStringLiteral("reason")).toString();
        if (info.reason.isEmpty()) {
            // {"errors": {"title": ["The title field is required."]}}
            QStringList parts;
            for (auto it = object.begin(); it != object.end(); ++it) {
                if (it.key() == QLatin1String("code"))
                    continue;
                const QJsonValue value = it.value();
                const QString text = value.isArray() ? value.toArray().first().toString() : value.toString();
                if (!text.isEmpty())
                    parts.append(QStringLiteral("%1: %2").arg(it.key(), text));
            }
            info.reason = parts.join(QStringLiteral("; "));
        }
    } else if (errors.isArray()) {
        QStringList parts;
        for (const QJsonValue &value : errors.toArray()) {
            if (value.isString())
                parts.append(value.toString());
        }
        info.reason = parts.join(QStringLiteral("; "));
    } else if (errors.isString()) {
        info.reason = errors.toString();
    }
    return info;
}

QString base64Of(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toBase64());
}

} // namespace

// ---------------------------------------------------------------- PrintifyUpload

Result<PrintifyUpload> PrintifyUpload::fromJson(const QJsonObject &json)
{
    PrintifyUpload upload;
    upload.id = scalarText(json.value(QStringLiteral("id")));
    if (upload.id.isEmpty()) {
        return Error(QStringLiteral("printify_bad_response"),
            QObject::tr("Printify sent an answer the server could not read."),
            QStringLiteral("upload object without an id"));
    }
    upload.fileName = json.value(QStringLiteral("file_name")).toString();
    upload.width = json.value(QStringLiteral("width")).toInt();
    upload.height = json.value(QStringLiteral("height")).toInt();
    upload.size = json.value(QStringLiteral("size")).toInteger();
    upload.mimeType = json.value(QStringLiteral("mime_type")).toString();
    return upload;
}

// ---------------------------------------------------------------- PrintifyClient

PrintifyClient::PrintifyClient(Options options)
    : m_options(std::move(options))
{
    m_options.maxAttempts = std::max(1, m_options.maxAttempts);
    if (m_options.apiBase.isEmpty())
        m_options.apiBase = QUrl(kDefaultBase);
}

QByteArray PrintifyClient::userAgent() const
{
    return HttpExchange::userAgent(m_options.version);
}

QUrl PrintifyClient::endpoint(const QString &path) const
{
    return HttpExchange::endpoint(m_options.apiBase, path);
}

Result<QString> PrintifyClient::shopPath(const QString &rest) const
{
    const QString shop = m_options.shopId.trimmed();
    if (!isShopId(shop)) {
        return Error(QStringLiteral("printify_not_configured"),
            QObject::tr("The shop's server has no valid Printify shop id configured, so it cannot send orders to "
                        "Printify."),
            shop.isEmpty() ? QStringLiteral("no Printify shop id configured")
                           : QStringLiteral("the Printify shop id is not a number"));
    }
    return QStringLiteral("/v1/shops/%1/%2").arg(shop, rest);
}

QString PrintifyClient::redact(const QString &text, const QString &token)
{
    QString result = text;
    const QString key = token.trimmed();
    if (key.size() >= 8)
        result.replace(key, QStringLiteral("***"));
    // JWTs (Printify personal access tokens are JWTs) and anything after "Bearer".
    static const QRegularExpression jwt(QStringLiteral("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}(\\.[A-Za-z0-9_-]*)?"));
    result.replace(jwt, QStringLiteral("***"));
    static const QRegularExpression bearer(
        QStringLiteral("\\bBearer\\s+[^\\s\"',;]+"), QRegularExpression::CaseInsensitiveOption);
    result.replace(bearer, QStringLiteral("***"));
    return result;
}

bool PrintifyClient::outcomeUnknown(const Error &error)
{
    return (error.code == QLatin1String("printify_unreachable") || error.code == QLatin1String("printify_server_error")
               || error.code == QLatin1String("printify_bad_response"))
        && error.detail.contains(kOutcomeUnknownMarker);
}

Result<QJsonDocument> PrintifyClient::request(
    const QByteArray &method, const QString &path, const std::optional<QJsonObject> &body, Retry retry)
{
    const QString token = m_options.token.trimmed();
    if (token.isEmpty()) {
        return Error(QStringLiteral("printify_not_configured"),
            QObject::tr("The shop's server has no Printify API token configured, so it cannot send orders to "
                        "Printify."),
            QStringLiteral("no Printify API token configured"));
    }
    const bool idempotent = retry == Retry::Safe;
    const bool hasBody = method == "POST" || method == "PUT" || body.has_value();
    const QByteArray payload
        = hasBody ? QJsonDocument(body.value_or(QJsonObject())).toJson(QJsonDocument::Compact) : QByteArray();

    QNetworkRequest request(endpoint(path));
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    request.setRawHeader("User-Agent", userAgent());
    request.setRawHeader("Accept", "application/json");
    if (hasBody) {
        request.setRawHeader("Content-Type", "application/json");
        request.setHeader(QNetworkRequest::ContentLengthHeader, payload.size());
    }
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);

    const auto once = [&] {
        // Without idempotency, a body Qt could rewind might be sent twice (see HttpExchange).
        return HttpExchange::run(request, method, payload,
            !hasBody ? HttpExchange::Body::None
                     : (idempotent ? HttpExchange::Body::Rewindable : HttpExchange::Body::OneShot),
            m_options.timeout);
    };

    Attempt attempt;
    int tries = 0;
    for (;;) {
        ++tries;
        attempt = once();
        if (!attempt.transportFailed && attempt.status >= 200 && attempt.status < 300)
            break;
        if (attempt.transportFailed)
            qCWarning(lcPrintify).noquote() << method << path << "try" << tries << "of" << m_options.maxAttempts
                                            << "failed:" << redact(attempt.transportError, token);
        else
            qCWarning(lcPrintify).noquote()
                << method << path << "try" << tries << "of" << m_options.maxAttempts << "HTTP" << attempt.status;
        bool retryable = false;
        if (attempt.transportFailed)
            retryable = idempotent || attempt.neverSent;
        else if (attempt.status == 429)
            retryable = true; // refused before any work: safe for every call
        else if (attempt.status >= 500)
            retryable = idempotent;
        if (!retryable || tries >= m_options.maxAttempts)
            break;
        const milliseconds retryAfter = HttpExchange::retryAfter(attempt.header("Retry-After"));
        if (retryAfter > m_options.maxBackoff) {
            qCWarning(lcPrintify) << "Retry-After" << retryAfter.count()
                                  << "ms is longer than the longest pause; giving up";
            break;
        }
        const double exponential = double(m_options.initialBackoff.count()) * std::pow(2.0, tries - 1);
        const double capped = std::min(exponential, double(m_options.maxBackoff.count()));
        const double jittered = capped * (0.5 + 0.5 * QRandomGenerator::global()->generateDouble());
        const milliseconds pause = std::max(milliseconds(qint64(std::llround(jittered))), retryAfter);
        qCInfo(lcPrintify) << "retrying in" << pause.count() << "ms";
        if (m_options.sleep) {
            m_options.sleep(pause);
        } else if (pause.count() > 0) {
            QEventLoop loop;
            QTimer::singleShot(pause, &loop, &QEventLoop::quit);
            loop.exec(QEventLoop::ExcludeUserInputEvents);
        }
    }

    const QString where = QStringLiteral("%1 %2").arg(QString::fromLatin1(method), path);
    const QString triesText = tries == 1 ? QStringLiteral("1 try") : QStringLiteral("%1 tries").arg(tries);
    const auto fail = [&](const char *code, const QString &message, QString detail, bool mayHaveHappened = false) {
        if (mayHaveHappened && !idempotent)
            detail += QLatin1Char(' ') + kOutcomeUnknownMarker
                + QStringLiteral(" Printify may have carried out the request; look it up before trying again");
        return Error(QString::fromLatin1(code), redact(message, token), redact(detail, token));
    };

    if (attempt.transportFailed) {
        return fail("printify_unreachable",
            QObject::tr("The shop's server could not reach Printify. Try again in a few minutes."),
            QStringLiteral("%1: %2 (after %3)").arg(where, attempt.transportError, triesText), !attempt.neverSent);
    }

    const int status = attempt.status;
    if (status >= 200 && status < 300) {
        if (attempt.body.trimmed().isEmpty()) {
            qCInfo(lcPrintify).noquote() << method << path << "HTTP" << status;
            return QJsonDocument();
        }
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(attempt.body, &parseError);
        if (document.isNull()) {
            return fail("printify_bad_response", QObject::tr("Printify sent an answer the server could not read."),
                QStringLiteral("%1: HTTP %2 body is not JSON (%3)")
                    .arg(where)
                    .arg(status)
                    .arg(parseError.errorString()),
                true);
        }
        qCInfo(lcPrintify).noquote() << method << path << "HTTP" << status;
        return document;
    }

    const PrintifyErrorInfo info = errorInfoOf(attempt.body);
    QString detail = QStringLiteral("%1: HTTP %2").arg(where).arg(status);
    if (!info.code.isEmpty())
        detail += QStringLiteral(" code=%1").arg(info.code.left(32));
    if (!info.reason.isEmpty())
        detail += QStringLiteral(" reason=\"%1\"").arg(info.reason.left(500));
    if (!info.message.isEmpty())
        detail += QStringLiteral(" message=\"%1\"").arg(info.message.left(500));
    if (tries > 1)
        detail += QStringLiteral(" (after %1)").arg(triesText);
    const QString said = (info.reason.isEmpty() ? info.message : info.reason).left(300);

    if (status == 401 || status == 403) {
        return fail("printify_auth",
            QObject::tr("Printify refused the shop's API token. The shop owner needs to check the Printify token "
                        "and shop id in the server's configuration."),
            detail);
    }
    if (status == 404)
        return fail("printify_not_found", QObject::tr("Printify does not know this shop, product or order."), detail);
    if (status == 429) {
        return fail("printify_rate_limited",
            QObject::tr("Printify is limiting requests right now. Try again in a minute."), detail);
    }
    if (status >= 500) {
        return fail("printify_server_error",
            QObject::tr("Printify had a problem on its side (HTTP %1). Try again in a few minutes.").arg(status),
            detail, true);
    }
    if (status >= 300 && status < 400) {
        return fail("printify_bad_response", QObject::tr("Printify sent an answer the server could not read."),
            detail + QStringLiteral(" (redirects are not followed)"));
    }
    if (info.code == QLatin1String("8502")) {
        return fail("printify_busy",
            QObject::tr("Printify is still preparing the order and cannot do this yet. It will be tried again in "
                        "a moment."),
            detail);
    }
    return fail("printify_validation",
        said.isEmpty() ? QObject::tr("Printify rejected the request (HTTP %1).").arg(status)
                       : QObject::tr("Printify rejected the request: %1").arg(said),
        detail);
}

Result<QJsonObject> PrintifyClient::requestObject(
    const QByteArray &method, const QString &path, const std::optional<QJsonObject> &body, Retry retry)
{
    auto document = request(method, path, body, retry);
    if (!document)
        return std::move(document).error();
    if (!document->isObject()) {
        QString detail = QStringLiteral("%1 %2: expected a JSON object").arg(QString::fromLatin1(method), path);
        if (retry == Retry::OnlyIfNotDone)
            detail += QLatin1Char(' ') + kOutcomeUnknownMarker;
        return Error(QStringLiteral("printify_bad_response"),
            QObject::tr("Printify sent an answer the server could not read."), detail);
    }
    return document->object();
}

namespace {

Result<QJsonArray> arrayOf(Result<QJsonDocument> document, const QString &what)
{
    if (!document)
        return std::move(document).error();
    if (!document->isArray()) {
        return Error(QStringLiteral("printify_bad_response"),
            QObject::tr("Printify sent an answer the server could not read."),
            QStringLiteral("%1: expected a JSON array").arg(what));
    }
    return document->array();
}

/// The new object's id from a create answer; a missing id means the object was probably created anyway.
Result<QString> idOf(Result<QJsonObject> json, const QString &what)
{
    if (!json)
        return std::move(json).error();
    const QString id = scalarText(json->value(QStringLiteral("id")));
    if (id.isEmpty()) {
        return Error(QStringLiteral("printify_bad_response"),
            QObject::tr("Printify sent an answer the server could not read."),
            QStringLiteral("%1: the answer has no id %2").arg(what, kOutcomeUnknownMarker));
    }
    return id;
}

Error invalidId(const QString &what)
{
    return Error(QStringLiteral("printify_not_found"), QObject::tr("That is not a Printify %1 id.").arg(what),
        QStringLiteral("invalid %1 id").arg(what));
}

} // namespace

Result<QJsonArray> PrintifyClient::shops()
{
    return arrayOf(request("GET", QStringLiteral("/v1/shops.json")), QStringLiteral("GET /v1/shops.json"));
}

Result<QJsonObject> PrintifyClient::variants(int blueprintId, int printProviderId)
{
    return requestObject("GET",
        QStringLiteral("/v1/catalog/blueprints/%1/print_providers/%2/variants.json")
            .arg(blueprintId)
            .arg(printProviderId),
        std::nullopt, Retry::Safe);
}

Result<QJsonObject> PrintifyClient::shippingProfiles(int blueprintId, int printProviderId)
{
    return requestObject("GET",
        QStringLiteral("/v1/catalog/blueprints/%1/print_providers/%2/shipping.json")
            .arg(blueprintId)
            .arg(printProviderId),
        std::nullopt, Retry::Safe);
}

Result<PrintifyUpload> PrintifyClient::uploadImage(const QString &fileName, const QByteArray &bytes)
{
    const QJsonObject body { { QStringLiteral("file_name"), fileName },
        { QStringLiteral("contents"), base64Of(bytes) } };
    auto json = requestObject("POST", QStringLiteral("/v1/uploads/images.json"), body, Retry::Safe);
    if (!json)
        return std::move(json).error();
    return PrintifyUpload::fromJson(*json);
}

Result<PrintifyUpload> PrintifyClient::uploadImageFromUrl(const QString &fileName, const QUrl &url)
{
    const QJsonObject body { { QStringLiteral("file_name"), fileName },
        { QStringLiteral("url"), url.toString(QUrl::FullyEncoded) } };
    auto json = requestObject("POST", QStringLiteral("/v1/uploads/images.json"), body, Retry::Safe);
    if (!json)
        return std::move(json).error();
    return PrintifyUpload::fromJson(*json);
}

Result<QString> PrintifyClient::createProduct(const QJsonObject &product)
{
    const auto path = shopPath(QStringLiteral("products.json"));
    if (!path)
        return path.error();
    return idOf(requestObject("POST", *path, product, Retry::OnlyIfNotDone), QStringLiteral("POST ") + *path);
}

Result<QString> PrintifyClient::createOrder(const QJsonObject &order)
{
    const auto path = shopPath(QStringLiteral("orders.json"));
    if (!path)
        return path.error();
    return idOf(requestObject("POST", *path, order, Retry::OnlyIfNotDone), QStringLiteral("POST ") + *path);
}

Result<QJsonObject> PrintifyClient::order(const QString &orderId)
{
    if (!isPrintifyId(orderId))
        return invalidId(QStringLiteral("order"));
    const auto path = shopPath(QStringLiteral("orders/%1.json").arg(orderId));
    if (!path)
        return path.error();
    return requestObject("GET", *path, std::nullopt, Retry::Safe);
}

Result<QJsonObject> PrintifyClient::orders(int page, int limit)
{
    const auto path = shopPath(
        QStringLiteral("orders.json?page=%1&limit=%2").arg(std::max(1, page)).arg(std::clamp(limit, 1, 100)));
    if (!path)
        return path.error();
    return requestObject("GET", *path, std::nullopt, Retry::Safe);
}

Result<std::optional<QJsonObject>> PrintifyClient::findOrderByExternalId(const QString &externalId, int maxPages)
{
    if (externalId.isEmpty())
        return std::optional<QJsonObject>(); // nothing can match
    const int pages = std::max(1, maxPages);
    for (int page = 1; page <= pages; ++page) {
        auto paginator = orders(page, OrdersPageSize);
        if (!paginator)
            return std::move(paginator).error();
        const QJsonValue data = paginator->value(QStringLiteral("data"));
        if (!data.isArray()) {
            return Error(QStringLiteral("printify_bad_response"),
                QObject::tr("Printify sent an answer the server could not read."),
                QStringLiteral("orders page %1 has no data array").arg(page));
        }
        const QJsonArray list = data.toArray();
        for (const QJsonValue &value : list) {
            const QJsonObject candidate = value.toObject();
            if (scalarText(candidate.value(QStringLiteral("external_id"))) == externalId
                || scalarText(
                       candidate.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("shop_order_id")))
                    == externalId)
                return std::optional<QJsonObject>(candidate);
        }
        const QJsonValue lastPage = paginator->value(QStringLiteral("last_page"));
        const QJsonValue currentPage = paginator->value(QStringLiteral("current_page"));
        const int current = currentPage.isDouble() ? currentPage.toInt() : page;
        if (list.isEmpty() || (lastPage.isDouble() && current >= lastPage.toInt()))
            break;
    }
    return std::optional<QJsonObject>();
}

Result<QJsonObject> PrintifyClient::sendToProduction(const QString &orderId)
{
    if (!isPrintifyId(orderId))
        return invalidId(QStringLiteral("order"));
    const auto path = shopPath(QStringLiteral("orders/%1/send_to_production.json").arg(orderId));
    if (!path)
        return path.error();
    return requestObject("POST", *path, QJsonObject(), Retry::OnlyIfNotDone);
}

Result<QJsonObject> PrintifyClient::cancelOrder(const QString &orderId)
{
    if (!isPrintifyId(orderId))
        return invalidId(QStringLiteral("order"));
    const auto path = shopPath(QStringLiteral("orders/%1/cancel.json").arg(orderId));
    if (!path)
        return path.error();
    return requestObject("POST", *path, QJsonObject(), Retry::OnlyIfNotDone);
}

Result<QJsonObject> PrintifyClient::shippingQuote(const QJsonObject &quoteRequest)
{
    const auto path = shopPath(QStringLiteral("orders/shipping.json"));
    if (!path)
        return path.error();
    return requestObject("POST", *path, quoteRequest, Retry::Safe);
}

Result<QJsonArray> PrintifyClient::webhooks()
{
    const auto path = shopPath(QStringLiteral("webhooks.json"));
    if (!path)
        return path.error();
    return arrayOf(request("GET", *path), QStringLiteral("GET ") + *path);
}

Result<QJsonObject> PrintifyClient::createWebhook(const QString &topic, const QUrl &url, const QByteArray &secret)
{
    const auto path = shopPath(QStringLiteral("webhooks.json"));
    if (!path)
        return path.error();
    QJsonObject body { { QStringLiteral("topic"), topic },
        { QStringLiteral("url"), url.toString(QUrl::FullyEncoded) } };
    if (!secret.isEmpty())
        body.insert(QStringLiteral("secret"), QString::fromUtf8(secret));
    auto created = requestObject("POST", *path, body, Retry::OnlyIfNotDone);
    if (!created && !secret.isEmpty()) {
        // Printify might echo the webhook secret in a validation message: it is a secret too.
        Error error = std::move(created).error();
        const QString text = QString::fromUtf8(secret);
        error.userMessage.replace(text, QStringLiteral("***"));
        error.detail.replace(text, QStringLiteral("***"));
        return error;
    }
    return created;
}

Status PrintifyClient::deleteWebhook(const QString &webhookId)
{
    if (!isPrintifyId(webhookId))
        return invalidId(QStringLiteral("webhook"));
    const auto path = shopPath(QStringLiteral("webhooks/%1.json").arg(webhookId));
    if (!path)
        return path.error();
    auto document = request("DELETE", *path);
    if (!document)
        return std::move(document).error();
    return Status::success();
}

} // namespace CalStudio
