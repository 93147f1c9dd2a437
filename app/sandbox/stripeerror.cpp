#include "app/sandbox/stripeerror.h"

#include <QJsonDocument>

namespace CalStudio {

StripeError StripeError::missing(const QString &param)
{
    return StripeError { 400, QStringLiteral("invalid_request_error"), QStringLiteral("parameter_missing"),
        QStringLiteral("Missing required param: %1.").arg(param), param };
}

StripeError StripeError::invalid(const QString &param, const QString &message, const QString &code)
{
    return StripeError { 400, QStringLiteral("invalid_request_error"), code, message, param };
}

StripeError StripeError::noSuch(const QString &objectName, const QString &id, const QString &param)
{
    return StripeError { 404, QStringLiteral("invalid_request_error"), QStringLiteral("resource_missing"),
        QStringLiteral("No such %1: '%2'").arg(objectName, id), param };
}

QJsonObject StripeError::toJson(const QByteArray &requestId) const
{
    QJsonObject error { { QStringLiteral("type"), type }, { QStringLiteral("message"), message } };
    if (!code.isEmpty()) {
        error.insert(QStringLiteral("code"), code);
        error.insert(QStringLiteral("doc_url"),
            QString(QStringLiteral("https://stripe.com/docs/error-codes/")
                + QString(code).replace(QLatin1Char('_'), QLatin1Char('-'))));
    }
    if (!param.isEmpty())
        error.insert(QStringLiteral("param"), param);
    if (!requestId.isEmpty())
        error.insert(QStringLiteral("request_log_url"),
            QString(QStringLiteral("https://dashboard.stripe.com/test/logs/") + QString::fromLatin1(requestId)));
    return QJsonObject { { QStringLiteral("error"), error } };
}

SandboxReply StripeError::toReply(const QByteArray &requestId) const
{
    SandboxReply reply;
    reply.status = status;
    reply.body = QJsonDocument(toJson(requestId)).toJson(QJsonDocument::Compact);
    reply.headers.append({ "Request-Id", requestId });
    return reply;
}

} // namespace CalStudio
