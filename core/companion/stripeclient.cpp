#include "core/companion/stripeclient.h"

#include "core/companion/httpexchange.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <cmath>
#include <memory>

namespace CalStudio {

using std::chrono::milliseconds;

namespace {

Q_LOGGING_CATEGORY(lcStripe, "calstudio.companion.stripe")

const QString kDefaultBase = QStringLiteral("https://api.stripe.com");

/// What one try brought back.
using Attempt = HttpExchange;

/// Stripe's error object {type, code, param, message, decline_code} from an error body (empty when not JSON).
QJsonObject stripeErrorOf(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object().value(QStringLiteral("error")).toObject();
}

/// Stripe object ids are ASCII letters, digits and '_' ("cs_test_a1B2", "pi_3Q…"); anything else never reaches a
/// URL path.
bool isStripeId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_]{1,255}$"));
    return pattern.match(id).hasMatch();
}

bool isRetryableStatus(const Attempt &attempt)
{
    if (attempt.status == 429 || attempt.status >= 500)
        return true;
    if (attempt.status == 409)
        return stripeErrorOf(attempt.body).value(QStringLiteral("code")).toString()
            == QLatin1String("idempotency_key_in_use");
    return false;
}

} // namespace

// ---------------------------------------------------------------- StripeSession

Result<StripeSession> StripeSession::fromJson(const QJsonObject &json)
{
    if (json.value(QStringLiteral("object")).toString() != QLatin1String("checkout.session")
        || json.value(QStringLiteral("id")).toString().isEmpty()) {
        return Error(QStringLiteral("stripe_bad_response"),
            QObject::tr("Stripe sent an answer the server could not read."),
            QStringLiteral("expected a checkout.session object with an id, got object=\"%1\"")
                .arg(json.value(QStringLiteral("object")).toString().left(64)));
    }
    StripeSession session;
    session.raw = json;
    session.id = json.value(QStringLiteral("id")).toString();
    session.status = json.value(QStringLiteral("status")).toString();
    session.paymentStatus = json.value(QStringLiteral("payment_status")).toString();
    session.currency = json.value(QStringLiteral("currency")).toString();
    session.url = json.value(QStringLiteral("url")).toString();
    session.clientReferenceId = json.value(QStringLiteral("client_reference_id")).toString();
    const QJsonValue intent = json.value(QStringLiteral("payment_intent"));
    session.paymentIntent
        = intent.isObject() ? intent.toObject().value(QStringLiteral("id")).toString() : intent.toString();
    session.amountTotal = json.value(QStringLiteral("amount_total")).toInteger();
    session.amountSubtotal = json.value(QStringLiteral("amount_subtotal")).toInteger();
    const QJsonObject totals = json.value(QStringLiteral("total_details")).toObject();
    if (totals.contains(QStringLiteral("amount_shipping")))
        session.amountShipping = totals.value(QStringLiteral("amount_shipping")).toInteger();
    else
        session.amountShipping
            = json.value(QStringLiteral("shipping_cost")).toObject().value(QStringLiteral("amount_total")).toInteger();
    session.created = json.value(QStringLiteral("created")).toInteger();
    session.expiresAt = json.value(QStringLiteral("expires_at")).toInteger();
    session.metadata = json.value(QStringLiteral("metadata")).toObject();
    session.customerDetails = json.value(QStringLiteral("customer_details")).toObject();
    const QJsonValue collected
        = json.value(QStringLiteral("collected_information")).toObject().value(QStringLiteral("shipping_details"));
    session.shippingDetails
        = collected.isObject() ? collected.toObject() : json.value(QStringLiteral("shipping_details")).toObject();
    return session;
}

// ---------------------------------------------------------------- StripeClient

StripeClient::StripeClient(Options options)
    : m_options(std::move(options))
{
    m_options.maxAttempts = std::max(1, m_options.maxAttempts);
    if (m_options.apiBase.isEmpty())
        m_options.apiBase = QUrl(kDefaultBase);
}

QByteArray StripeClient::userAgent() const
{
    return HttpExchange::userAgent(m_options.version);
}

QUrl StripeClient::endpoint(const QString &path) const
{
    return HttpExchange::endpoint(m_options.apiBase, path);
}

QString StripeClient::redact(const QString &text, const QString &secretKey)
{
    QString result = text;
    const QString key = secretKey.trimmed();
    if (key.size() >= 4)
        result.replace(key, QStringLiteral("***") + key.right(4));
    static const QRegularExpression keyShape(QStringLiteral("\\b((?:sk|rk)_(?:live|test)_)[A-Za-z0-9]+"));
    QString masked;
    qsizetype from = 0;
    auto it = keyShape.globalMatch(result);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        const QString whole = match.captured(0);
        masked += result.mid(from, match.capturedStart() - from);
        // Keep the prefix and the last four characters, as Stripe does ("sk_test_****…abcd").
        masked += match.captured(1) + QStringLiteral("****") + (whole.size() > 16 ? whole.right(4) : QString());
        from = match.capturedEnd();
    }
    masked += result.mid(from);
    return masked;
}

Result<QJsonObject> StripeClient::request(
    const QByteArray &method, const QString &path, const StripeForm &form, const QString &idempotencyKey)
{
    const QString secretKey = m_options.secretKey.trimmed();
    if (secretKey.isEmpty()) {
        return Error(QStringLiteral("stripe_auth"),
            QObject::tr("The shop's server has no Stripe secret key configured, so it cannot take payments."),
            QStringLiteral("no Stripe secret key configured"));
    }
    const bool isPost = method == "POST";
    const QByteArray body = isPost ? form.encoded() : QByteArray();
    QString key = idempotencyKey;
    if (isPost && key.isEmpty())
        key = QUuid::createUuid().toString(QUuid::WithoutBraces);

    QNetworkRequest request(endpoint(path));
    request.setRawHeader("Authorization", "Bearer " + secretKey.toUtf8());
    if (!m_options.apiVersion.isEmpty())
        request.setRawHeader("Stripe-Version", m_options.apiVersion.toUtf8());
    request.setRawHeader("User-Agent", userAgent());
    if (isPost) {
        request.setRawHeader("Content-Type", "application/x-www-form-urlencoded");
        request.setRawHeader("Idempotency-Key", key.toUtf8());
    }
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);

    const auto once = [&] {
        // Resending is safe here: every POST carries its Idempotency-Key.
        return HttpExchange::run(request, method, body,
            isPost ? HttpExchange::Body::Rewindable : HttpExchange::Body::None, m_options.timeout);
    };

    Attempt attempt;
    for (int tried = 1;; ++tried) {
        attempt = once();
        const bool success = !attempt.transportFailed && attempt.status >= 200 && attempt.status < 300;
        if (success)
            break;
        if (attempt.transportFailed)
            qCWarning(lcStripe).noquote() << method << path << "try" << tried << "of" << m_options.maxAttempts
                                          << "failed:" << attempt.transportError;
        else
            qCWarning(lcStripe).noquote() << method << path << "try" << tried << "of" << m_options.maxAttempts << "HTTP"
                                          << attempt.status << "request-id" << attempt.header("Request-Id");
        bool retry = attempt.transportFailed || isRetryableStatus(attempt);
        if (attempt.header("Stripe-Should-Retry").trimmed().toLower() == "false")
            retry = false;
        if (!retry || tried >= m_options.maxAttempts)
            break;
        const milliseconds retryAfter = HttpExchange::retryAfter(attempt.header("Retry-After"));
        if (retryAfter > m_options.maxBackoff) {
            qCWarning(lcStripe) << "Retry-After" << retryAfter.count()
                                << "ms is longer than the longest pause; giving up";
            break;
        }
        const double exponential = double(m_options.initialBackoff.count()) * std::pow(2.0, tried - 1);
        const double capped = std::min(exponential, double(m_options.maxBackoff.count()));
        const double jittered = capped * (0.5 + 0.5 * QRandomGenerator::global()->generateDouble());
        const milliseconds pause = std::max(milliseconds(qint64(std::llround(jittered))), retryAfter);
        qCInfo(lcStripe) << "retrying in" << pause.count() << "ms";
        if (m_options.sleep) {
            m_options.sleep(pause);
        } else if (pause.count() > 0) {
            QEventLoop loop;
            QTimer::singleShot(pause, &loop, &QEventLoop::quit);
            loop.exec(QEventLoop::ExcludeUserInputEvents);
        }
    }

    const auto fail = [&](const char *code, const QString &message, const QString &detail) {
        return Error(QString::fromLatin1(code), redact(message, secretKey), redact(detail, secretKey));
    };

    if (attempt.transportFailed) {
        return fail("stripe_unreachable",
            QObject::tr("The shop's server could not reach Stripe. Try again in a few minutes."),
            QStringLiteral("%1 %2: %3 (after %4 tries)")
                .arg(QString::fromLatin1(method), path, attempt.transportError)
                .arg(m_options.maxAttempts));
    }

    const int status = attempt.status;
    if (status >= 200 && status < 300) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(attempt.body, &parseError);
        if (!document.isObject()) {
            return fail("stripe_bad_response", QObject::tr("Stripe sent an answer the server could not read."),
                QStringLiteral("%1 %2: HTTP %3 body is not a JSON object (%4) request_id=%5")
                    .arg(QString::fromLatin1(method), path)
                    .arg(status)
                    .arg(parseError.errorString(), QString::fromLatin1(attempt.header("Request-Id"))));
        }
        qCInfo(lcStripe).noquote() << method << path << "HTTP" << status << "request-id" << attempt.header("Request-Id");
        return document.object();
    }

    const QJsonObject stripeError = stripeErrorOf(attempt.body);
    const QString type = stripeError.value(QStringLiteral("type")).toString();
    const QString code = stripeError.value(QStringLiteral("code")).toString();
    QString detail = QStringLiteral("%1 %2: HTTP %3").arg(QString::fromLatin1(method), path).arg(status);
    const auto append = [&detail](const char *name, const QString &value) {
        if (!value.isEmpty())
            detail += QStringLiteral(" %1=%2").arg(QLatin1String(name), value);
    };
    append("type", type);
    append("code", code);
    append("param", stripeError.value(QStringLiteral("param")).toString());
    append("decline_code", stripeError.value(QStringLiteral("decline_code")).toString());
    if (const QString message = stripeError.value(QStringLiteral("message")).toString(); !message.isEmpty())
        detail += QStringLiteral(" message=\"%1\"").arg(message.left(500));
    append("request_id", QString::fromLatin1(attempt.header("Request-Id")));

    if (status == 401 || status == 403) {
        return fail("stripe_auth",
            QObject::tr("Stripe refused the shop's API key. The shop owner needs to check the Stripe "
                        "secret key in the server's configuration."),
            detail);
    }
    if (status == 404)
        return fail("stripe_not_found", QObject::tr("Stripe does not know this checkout session or payment."), detail);
    if (status == 429) {
        return fail("stripe_rate_limited", QObject::tr("Stripe is limiting requests right now. Try again in a minute."),
            detail);
    }
    if (status >= 500) {
        return fail("stripe_server_error",
            QObject::tr("Stripe had a problem on its side (HTTP %1). Try again in a few minutes.").arg(status), detail);
    }
    if ((status == 400 && type == QLatin1String("idempotency_error"))
        || (status == 409
            && (code == QLatin1String("idempotency_key_in_use") || type == QLatin1String("idempotency_error")))) {
        return fail("stripe_idempotency",
            QObject::tr("Stripe is still working on the same request, or it conflicts with an earlier one. "
                        "Try again in a moment."),
            detail);
    }
    if (status >= 300 && status < 400) {
        return fail("stripe_bad_response", QObject::tr("Stripe sent an answer the server could not read."),
            detail + QStringLiteral(" (redirects are not followed)"));
    }
    return fail("stripe_invalid_request", QObject::tr("Stripe rejected the payment request."), detail);
}

Result<StripeSession> StripeClient::createCheckoutSession(const StripeForm &form, const QString &idempotencyKey)
{
    auto json = request("POST", QStringLiteral("/v1/checkout/sessions"), form, idempotencyKey);
    if (!json)
        return std::move(json).error();
    return StripeSession::fromJson(*json);
}

Result<StripeSession> StripeClient::retrieveCheckoutSession(const QString &sessionId)
{
    if (!isStripeId(sessionId)) {
        return Error(QStringLiteral("stripe_invalid_request"), QObject::tr("That is not a Stripe checkout session id."),
            QStringLiteral("invalid session id"));
    }
    auto json = request("GET", QStringLiteral("/v1/checkout/sessions/") + sessionId);
    if (!json)
        return std::move(json).error();
    return StripeSession::fromJson(*json);
}

Result<StripeSession> StripeClient::expireCheckoutSession(const QString &sessionId, const QString &idempotencyKey)
{
    if (!isStripeId(sessionId)) {
        return Error(QStringLiteral("stripe_invalid_request"), QObject::tr("That is not a Stripe checkout session id."),
            QStringLiteral("invalid session id"));
    }
    auto json = request(
        "POST", QStringLiteral("/v1/checkout/sessions/%1/expire").arg(sessionId), StripeForm(), idempotencyKey);
    if (!json)
        return std::move(json).error();
    return StripeSession::fromJson(*json);
}

Result<QJsonObject> StripeClient::createRefund(
    const QString &paymentIntent, const QString &idempotencyKey, std::optional<qint64> amount)
{
    if (!isStripeId(paymentIntent)) {
        return Error(QStringLiteral("stripe_invalid_request"), QObject::tr("That is not a Stripe payment id."),
            QStringLiteral("invalid payment_intent id"));
    }
    StripeForm form;
    form.add(QStringLiteral("payment_intent"), paymentIntent);
    if (amount)
        form.add(QStringLiteral("amount"), *amount);
    auto json = request("POST", QStringLiteral("/v1/refunds"), form, idempotencyKey);
    if (!json)
        return json;
    if (json->value(QStringLiteral("object")).toString() != QLatin1String("refund")
        || json->value(QStringLiteral("id")).toString().isEmpty()) {
        return Error(QStringLiteral("stripe_bad_response"),
            QObject::tr("Stripe sent an answer the server could not read."),
            QStringLiteral("expected a refund object with an id"));
    }
    return json;
}

} // namespace CalStudio
