#include "core/companion/paymentconfirmer.h"

#include "core/companion/jsonlog.h"
#include "core/companion/pricebook.h"

#include <QVariantMap>

namespace CalStudio {

namespace {

bool isPaidOrLater(OrderStatus s)
{
    switch (s) {
    case OrderStatus::Paid:
    case OrderStatus::Submitting:
    case OrderStatus::Submitted:
    case OrderStatus::InProduction:
    case OrderStatus::Shipped:
    case OrderStatus::Delivered:
    case OrderStatus::FulfillmentFailed:
    case OrderStatus::Refunded:
        return true;
    default:
        return false;
    }
}

QString formatAmount(qint64 amount, const QString &currency)
{
    return QStringLiteral("%1 %2").arg(amount).arg(currency.toUpper());
}

} // namespace

QString PaymentConfirmer::outcomeId(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Paid:
        return QStringLiteral("paid");
    case Outcome::AlreadyDone:
        return QStringLiteral("already_done");
    case Outcome::Pending:
        return QStringLiteral("payment_pending");
    case Outcome::Open:
        return QStringLiteral("open");
    case Outcome::Expired:
        return QStringLiteral("expired");
    case Outcome::Failed:
        return QStringLiteral("payment_failed");
    case Outcome::Refunded:
        return QStringLiteral("refunded");
    case Outcome::Flagged:
        return QStringLiteral("flagged");
    case Outcome::UnknownOrder:
        return QStringLiteral("unknown_order");
    case Outcome::Ignored:
        return QStringLiteral("ignored");
    }
    return QStringLiteral("ignored");
}

PaymentConfirmer::PaymentConfirmer(std::shared_ptr<OrderStore> store, JsonLog *log)
    : m_store(std::move(store))
    , m_log(log)
{
}

Result<PaymentConfirmer::Outcome> PaymentConfirmer::applySession(const StripeSession &session, const QString &source,
    const QString &eventType)
{
    QString orderId = session.metadata.value(QStringLiteral("order_id")).toString();
    if (orderId.isEmpty())
        orderId = session.clientReferenceId;
    auto found = orderId.isEmpty() ? m_store->findBySession(session.id) : m_store->find(orderId);
    if (!found)
        return found.error();
    if (!found->has_value())
        return Outcome::UnknownOrder;
    const OrderRecord order = **found;
    const bool paid = session.status == QLatin1String("complete") && session.paymentStatus == QLatin1String("paid");

    if (session.id != order.sessionId) {
        // A session of an earlier attempt. It can only matter if it was paid: then the
        // customer paid twice or the newer session replaced a paid one — the owner decides.
        if (!paid)
            return Outcome::Ignored;
        if (order.flag != QLatin1String("paid_old_session")) {
            if (Status s = m_store->update(order.id, { { QStringLiteral("flag"), QStringLiteral("paid_old_session") } },
                    source, QStringLiteral("an earlier Checkout Session %1 of this order was paid").arg(session.id));
                !s)
                return s.error();
        }
        if (m_log)
            m_log->warning(QStringLiteral("payment_on_old_session"), { { QStringLiteral("order_id"), order.id } });
        return Outcome::Flagged;
    }

    if (eventType == QLatin1String("checkout.session.async_payment_failed")) {
        auto changed = m_store->applyTransition(order.id,
            { OrderStatus::PaymentFailed, { OrderStatus::AwaitingPayment }, session.id, source,
                QStringLiteral("the delayed payment failed"), {} });
        if (!changed)
            return changed.error();
        return *changed ? Outcome::Failed : Outcome::Ignored;
    }

    if (session.status == QLatin1String("expired")) {
        auto changed = m_store->applyTransition(order.id,
            { OrderStatus::Expired, { OrderStatus::AwaitingPayment }, session.id, source,
                QStringLiteral("the checkout session expired unpaid"), {} });
        if (!changed)
            return changed.error();
        return *changed ? Outcome::Expired : Outcome::Ignored;
    }
    if (session.status == QLatin1String("open"))
        return Outcome::Open;
    if (!paid)
        return isPaidOrLater(order.status) ? Outcome::AlreadyDone : Outcome::Pending;
    if (isPaidOrLater(order.status))
        return Outcome::AlreadyDone;

    const auto quote = PriceQuote::fromJson(order.quote);
    if (!quote || !quote->matchesPayment(session.amountTotal, session.amountShipping, session.currency)) {
        const QString expected = quote ? formatAmount(quote->subtotal, quote->currency) + QStringLiteral(" + shipping")
                                       : QStringLiteral("no stored quote");
        if (order.flag != QLatin1String("amount_mismatch")) {
            if (Status s = m_store->update(order.id, { { QStringLiteral("flag"), QStringLiteral("amount_mismatch") } },
                    source,
                    QStringLiteral("Stripe reports %1 paid (shipping %2); expected %3 — not marked paid")
                        .arg(formatAmount(session.amountTotal, session.currency))
                        .arg(session.amountShipping)
                        .arg(expected));
                !s)
                return s.error();
        }
        if (m_log)
            m_log->warning(QStringLiteral("payment_amount_mismatch"), { { QStringLiteral("order_id"), order.id } });
        return Outcome::Flagged;
    }

    QJsonObject contact;
    for (const char *key : { "email", "name", "phone" }) {
        const QJsonValue v = session.customerDetails.value(QLatin1String(key));
        if (v.isString())
            contact.insert(QLatin1String(key), v);
    }
    // The option the customer chose, recognised by its amount (Printify needs the shipping method).
    QString shippingOption;
    for (const ShippingOption &o : quote->shipping) {
        if (o.amount == session.amountShipping) {
            shippingOption = o.id;
            break;
        }
    }
    QVariantMap set {
        { QStringLiteral("shipping_option"), shippingOption },
        { QStringLiteral("payment_intent"), session.paymentIntent },
        { QStringLiteral("amount_paid"), session.amountTotal },
        { QStringLiteral("currency"), session.currency.toLower() },
        { QStringLiteral("shipping_json"), QVariant::fromValue(session.shippingDetails) },
        { QStringLiteral("contact_json"), QVariant::fromValue(contact) },
    };
    auto changed = m_store->applyTransition(order.id,
        { OrderStatus::Paid, { OrderStatus::AwaitingPayment }, session.id, source,
            QStringLiteral("Stripe: %1 paid").arg(formatAmount(session.amountTotal, session.currency)), set });
    if (!changed)
        return changed.error();
    if (*changed) {
        if (m_log)
            m_log->info(QStringLiteral("order_paid"), { { QStringLiteral("order_id"), order.id }, { QStringLiteral("via"), source } });
        return Outcome::Paid;
    }
    // Someone else applied it between our read and our transaction, or the order was canceled.
    auto now = m_store->find(order.id);
    if (now && now->has_value() && isPaidOrLater((*now)->status))
        return Outcome::AlreadyDone;
    return Outcome::Ignored;
}

Result<PaymentConfirmer::Outcome> PaymentConfirmer::applyRefund(const QJsonObject &charge, const QString &source)
{
    const QString paymentIntent = charge.value(QStringLiteral("payment_intent")).toString();
    if (paymentIntent.isEmpty())
        return Outcome::Ignored;
    auto found = m_store->findByPaymentIntent(paymentIntent);
    if (!found)
        return found.error();
    if (!found->has_value())
        return Outcome::UnknownOrder;
    const OrderRecord order = **found;
    const qint64 refunded = charge.value(QStringLiteral("amount_refunded")).toInteger();
    const QString currency = charge.value(QStringLiteral("currency")).toString(order.currency);
    if (!charge.value(QStringLiteral("refunded")).toBool()) {
        // A partial refund: the order stays as it is; the owner sees it in the history.
        if (Status s = m_store->update(order.id, {}, source,
                QStringLiteral("partial refund of %1").arg(formatAmount(refunded, currency)));
            !s)
            return s.error();
        return Outcome::Ignored;
    }
    auto changed = m_store->applyTransition(order.id,
        { OrderStatus::Refunded, {}, {}, source, QStringLiteral("refunded %1").arg(formatAmount(refunded, currency)), {} });
    if (!changed)
        return changed.error();
    return *changed ? Outcome::Refunded : Outcome::AlreadyDone;
}

} // namespace CalStudio
