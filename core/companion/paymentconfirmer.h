#pragma once

#include "core/common/result.h"
#include "core/companion/orderstore.h"
#include "core/companion/stripeclient.h"

#include <QJsonObject>
#include <QString>

#include <memory>

namespace CalStudio {

class JsonLog;

/**
 * The one place where what Stripe says about a payment changes an order.
 *
 * Both paths — a verified webhook event and the studio's "confirm" call,
 * for which the server retrieves the session from Stripe itself — hand the
 * Checkout Session to applySession(). An order becomes `paid` only when the
 * session is the order's current one, `complete` and `paid`, and its
 * amount and currency are those of the price quoted at checkout; a paid
 * session that does not match is flagged for the owner instead
 * ("amount_mismatch", or "paid_old_session" when an earlier session of the
 * order was paid). The transition is OrderStore::applyTransition, so any
 * number of concurrent deliveries and confirm calls change the order once.
 * The client never tells the server that it has paid.
 */
class PaymentConfirmer {
public:
    enum class Outcome {
        Paid, ///< this call moved the order to paid
        AlreadyDone, ///< the order was already paid (or further along): nothing changed
        Pending, ///< complete but unpaid (a delayed payment method): wait for async_payment_succeeded
        Open, ///< the customer has not finished the checkout
        Expired, ///< the session expired and the order with it
        Failed, ///< the delayed payment failed
        Refunded, ///< the charge was refunded
        Flagged, ///< paid, but not as quoted: the owner must look
        UnknownOrder, ///< not one of this server's orders
        Ignored, ///< nothing to do (an old session that was not paid, a canceled order)
    };
    static QString outcomeId(Outcome outcome);

    PaymentConfirmer(std::shared_ptr<OrderStore> store, JsonLog *log);

    /// `eventType` is the webhook event's type, empty for a retrieved session.
    Result<Outcome> applySession(const StripeSession &session, const QString &source, const QString &eventType = {});
    /// A `charge.refunded` event's Charge object: the order of its payment intent becomes refunded.
    Result<Outcome> applyRefund(const QJsonObject &charge, const QString &source);

private:
    std::shared_ptr<OrderStore> m_store;
    JsonLog *m_log;
};

} // namespace CalStudio
