#include "core/commerce/orderstatus.h"

#include <array>

namespace CalStudio {

namespace {

struct StatusInfo {
    OrderStatus status;
    const char16_t *id;
};

constexpr std::array<StatusInfo, 13> statusTable { {
    { OrderStatus::Draft, u"draft" },
    { OrderStatus::AwaitingPayment, u"awaiting_payment" },
    { OrderStatus::Paid, u"paid" },
    { OrderStatus::Submitting, u"submitting" },
    { OrderStatus::Submitted, u"submitted" },
    { OrderStatus::InProduction, u"in_production" },
    { OrderStatus::Shipped, u"shipped" },
    { OrderStatus::Delivered, u"delivered" },
    { OrderStatus::Expired, u"expired" },
    { OrderStatus::PaymentFailed, u"payment_failed" },
    { OrderStatus::FulfillmentFailed, u"fulfillment_failed" },
    { OrderStatus::Canceled, u"canceled" },
    { OrderStatus::Refunded, u"refunded" },
} };

} // namespace

QString orderStatusId(OrderStatus status)
{
    for (const StatusInfo &info : statusTable) {
        if (info.status == status)
            return QString::fromUtf16(info.id);
    }
    return {};
}

std::optional<OrderStatus> orderStatusFromId(QStringView id)
{
    for (const StatusInfo &info : statusTable) {
        if (id == QStringView(info.id))
            return info.status;
    }
    return std::nullopt;
}

bool canTransition(OrderStatus from, OrderStatus to)
{
    using S = OrderStatus;
    switch (from) {
    case S::Draft:
        return to == S::AwaitingPayment || to == S::Canceled;
    case S::AwaitingPayment:
        return to == S::Paid || to == S::Expired || to == S::PaymentFailed || to == S::Canceled;
    case S::Expired:
    case S::PaymentFailed:
        return to == S::AwaitingPayment || to == S::Canceled;
    case S::Paid:
        return to == S::Submitting || to == S::Refunded;
    case S::Submitting:
        return to == S::Submitted || to == S::FulfillmentFailed || to == S::Refunded;
    case S::Submitted:
        return to == S::InProduction || to == S::FulfillmentFailed || to == S::Refunded;
    case S::InProduction:
        return to == S::Shipped || to == S::Refunded;
    case S::Shipped:
        return to == S::Delivered || to == S::Refunded;
    case S::Delivered:
        return to == S::Refunded;
    case S::FulfillmentFailed:
        return to == S::Submitting || to == S::Refunded;
    case S::Canceled:
    case S::Refunded:
        return false;
    }
    return false;
}

bool isTerminal(OrderStatus status)
{
    return status == OrderStatus::Canceled || status == OrderStatus::Refunded;
}

const QList<OrderStatus> &allOrderStatuses()
{
    static const QList<OrderStatus> statuses = [] {
        QList<OrderStatus> list;
        for (const StatusInfo &info : statusTable)
            list.append(info.status);
        return list;
    }();
    return statuses;
}

} // namespace CalStudio
