#pragma once

#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

namespace CalStudio {

/**
 * Where a shop order stands, from the first upload to delivery or refund.
 *
 * The companion server stores it (with a history row for every change) and
 * publishes it as orderStatusId(); the studio reads it back with
 * orderStatusFromId(). The normal path is
 *
 *     draft → awaiting_payment → paid → submitting → submitted
 *           → in_production → shipped → delivered
 *
 * with these side branches (canTransition() is the complete table):
 *
 *  - an open checkout ends in `expired` or `payment_failed`, both of which may
 *    open a new checkout (back to `awaiting_payment`) or be canceled;
 *  - an unpaid order (`draft`, `awaiting_payment`, `expired`,
 *    `payment_failed`) may be `canceled`;
 *  - `fulfillment_failed` (from `submitting` or `submitted`) is retried by the
 *    owner (back to `submitting`);
 *  - every paid state (`paid` … `delivered`, `fulfillment_failed`) may be
 *    `refunded`;
 *  - `canceled` and `refunded` are terminal; no state moves to itself.
 *
 * QtCore only: the studio and the companion share it.
 */
enum class OrderStatus {
    Draft, ///< created, receiving print files
    AwaitingPayment, ///< a Stripe Checkout Session is open
    Paid, ///< Stripe says paid and the amount matched the price book
    Submitting, ///< being sent to the print provider
    Submitted, ///< the print provider has the order
    InProduction, ///< being printed
    Shipped, ///< handed to the carrier
    Delivered, ///< the carrier reported delivery
    Expired, ///< the checkout session expired unpaid
    PaymentFailed, ///< an (asynchronous) payment failed
    FulfillmentFailed, ///< the print provider rejected or lost the order; the owner may retry
    Canceled, ///< given up before payment (terminal)
    Refunded, ///< the payment was refunded (terminal)
};

/// The wire id: "draft", "awaiting_payment", "paid", "submitting", "submitted", "in_production",
/// "shipped", "delivered", "expired", "payment_failed", "fulfillment_failed", "canceled", "refunded".
QString orderStatusId(OrderStatus status);

/// The status whose wire id is exactly `id` (case-sensitive), or nothing.
std::optional<OrderStatus> orderStatusFromId(QStringView id);

/// Whether an order in `from` may move to `to` (the table in OrderStatus's comment; never from == to).
bool canTransition(OrderStatus from, OrderStatus to);

/// Canceled and Refunded: no transition leaves them.
bool isTerminal(OrderStatus status);

/// Every status, in declaration order.
const QList<OrderStatus> &allOrderStatuses();

} // namespace CalStudio
