#include "core/commerce/orderstatus.h"

#include <QTest>

using namespace CalStudio;

namespace {

/// The columns of the transition table below, in this order.
const QStringList &columnIds()
{
    static const QStringList ids {
        QStringLiteral("draft"),
        QStringLiteral("awaiting_payment"),
        QStringLiteral("paid"),
        QStringLiteral("submitting"),
        QStringLiteral("submitted"),
        QStringLiteral("in_production"),
        QStringLiteral("shipped"),
        QStringLiteral("delivered"),
        QStringLiteral("expired"),
        QStringLiteral("payment_failed"),
        QStringLiteral("fulfillment_failed"),
        QStringLiteral("canceled"),
        QStringLiteral("refunded"),
    };
    return ids;
}

} // namespace

class TestOrderStatus : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void allStatusesInOrder()
    {
        const QList<OrderStatus> &all = allOrderStatuses();
        QCOMPARE(all.size(), columnIds().size());
        for (int i = 0; i < all.size(); ++i)
            QCOMPARE(orderStatusId(all[i]), columnIds()[i]);
    }

    // One row per "from" state; the string has one character per "to" state in
    // columnIds() order (draft, awaiting_payment, paid, submitting, submitted, in_production,
    // shipped, delivered, expired, payment_failed, fulfillment_failed, canceled, refunded):
    // 'x' allowed, '.' not allowed.
    void transitions_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("targets");
        QTest::addColumn<bool>("terminal");
        QTest::newRow("draft") << QStringLiteral("draft") << QStringLiteral(".x.........x.") << false;
        QTest::newRow("awaiting_payment")
            << QStringLiteral("awaiting_payment") << QStringLiteral("..x.....xx.x.") << false;
        QTest::newRow("paid") << QStringLiteral("paid") << QStringLiteral("...x........x") << false;
        QTest::newRow("submitting") << QStringLiteral("submitting") << QStringLiteral("....x.....x.x") << false;
        QTest::newRow("submitted") << QStringLiteral("submitted") << QStringLiteral(".....x....x.x") << false;
        QTest::newRow("in_production") << QStringLiteral("in_production") << QStringLiteral("......x.....x") << false;
        QTest::newRow("shipped") << QStringLiteral("shipped") << QStringLiteral(".......x....x") << false;
        QTest::newRow("delivered") << QStringLiteral("delivered") << QStringLiteral("............x") << false;
        QTest::newRow("expired") << QStringLiteral("expired") << QStringLiteral(".x.........x.") << false;
        QTest::newRow("payment_failed") << QStringLiteral("payment_failed") << QStringLiteral(".x.........x.") << false;
        QTest::newRow("fulfillment_failed")
            << QStringLiteral("fulfillment_failed") << QStringLiteral("...x........x") << false;
        QTest::newRow("canceled") << QStringLiteral("canceled") << QStringLiteral(".............") << true;
        QTest::newRow("refunded") << QStringLiteral("refunded") << QStringLiteral(".............") << true;
    }
    void transitions()
    {
        QFETCH(QString, from);
        QFETCH(QString, targets);
        QFETCH(bool, terminal);
        QCOMPARE(targets.size(), columnIds().size());
        const auto fromStatus = orderStatusFromId(from);
        QVERIFY(fromStatus);
        QCOMPARE(isTerminal(*fromStatus), terminal);
        for (int i = 0; i < columnIds().size(); ++i) {
            const auto to = orderStatusFromId(columnIds()[i]);
            QVERIFY(to);
            const bool expected = targets[i] == QLatin1Char('x');
            if (canTransition(*fromStatus, *to) != expected)
                QFAIL(qPrintable(
                    QStringLiteral("%1 → %2: expected %3")
                        .arg(from, columnIds()[i], expected ? QStringLiteral("allowed") : QStringLiteral("refused"))));
        }
        // A terminal state has no way out, and every other one has at least one.
        QCOMPARE(!targets.contains(QLatin1Char('x')), terminal);
    }

    void idsRoundTrip()
    {
        for (const OrderStatus status : allOrderStatuses()) {
            const QString id = orderStatusId(status);
            QVERIFY(!id.isEmpty());
            QCOMPARE(orderStatusFromId(id), std::optional<OrderStatus>(status));
        }
    }

    void unknownIds_data()
    {
        QTest::addColumn<QString>("id");
        QTest::newRow("empty") << QString();
        QTest::newRow("upper case") << QStringLiteral("PAID");
        QTest::newRow("camel case") << QStringLiteral("awaitingPayment");
        QTest::newRow("space") << QStringLiteral("paid ");
        QTest::newRow("hyphen") << QStringLiteral("in-production");
        QTest::newRow("british spelling") << QStringLiteral("cancelled");
        QTest::newRow("unknown") << QStringLiteral("lost");
    }
    void unknownIds()
    {
        QFETCH(QString, id);
        QCOMPARE(orderStatusFromId(id), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(TestOrderStatus)
#include "tst_orderstatus.moc"
