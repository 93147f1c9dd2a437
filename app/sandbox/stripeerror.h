#pragma once

#include "app/sandbox/sandboxtypes.h"

#include <QJsonObject>
#include <QString>

namespace CalStudio {

/**
 * One Stripe API error in the wire shape of EXTERNAL_APIS.md 2.6:
 * `{"error":{"type","code","message","param","doc_url","request_log_url"}}`
 * (empty `code`/`param` are left out, as Stripe does). `type` is one of
 * `invalid_request_error`, `idempotency_error`, `api_error`, `card_error`.
 */
struct StripeError {
    int status = 400;
    QString type = QStringLiteral("invalid_request_error");
    QString code;
    QString message;
    QString param;

    /// 400 `parameter_missing` for `param` ("Missing required param: line_items.").
    static StripeError missing(const QString &param);
    /// 400 `invalid_request_error` about `param`, with an optional `code`.
    static StripeError invalid(const QString &param, const QString &message, const QString &code = {});
    /// 404 `resource_missing` ("No such checkout.session: 'cs_test_…'").
    static StripeError noSuch(const QString &objectName, const QString &id, const QString &param);

    [[nodiscard]] QJsonObject toJson(const QByteArray &requestId) const;
    /// The JSON reply, with `Request-Id: requestId`.
    [[nodiscard]] SandboxReply toReply(const QByteArray &requestId) const;
};

} // namespace CalStudio
