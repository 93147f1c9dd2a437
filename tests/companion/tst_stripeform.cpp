// Stripe's form encoding: order kept, keys and values percent-encoded as UTF-8.
#include "core/companion/stripeform.h"

#include <QTest>
#include <QUrlQuery>

using namespace CalStudio;

class TestStripeForm : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void orderAndBrackets()
    {
        StripeForm form;
        form.add(QStringLiteral("mode"), QStringLiteral("payment"))
            .add(QStringLiteral("line_items[0][price_data][unit_amount]"), qint64(2999))
            .add(QStringLiteral("line_items[0][quantity]"), 1)
            .add(QStringLiteral("automatic_tax[enabled]"), true)
            .add(QStringLiteral("allow_promotion_codes"), false)
            .add(QStringLiteral("shipping_address_collection[allowed_countries][0]"), "US")
            .add(QStringLiteral("metadata[order_id]"), QStringLiteral("ord_1"));
        QCOMPARE(form.encoded(),
            QByteArray("mode=payment"
                       "&line_items%5B0%5D%5Bprice_data%5D%5Bunit_amount%5D=2999"
                       "&line_items%5B0%5D%5Bquantity%5D=1"
                       "&automatic_tax%5Benabled%5D=true"
                       "&allow_promotion_codes=false"
                       "&shipping_address_collection%5Ballowed_countries%5D%5B0%5D=US"
                       "&metadata%5Border_id%5D=ord_1"));
        QCOMPARE(form.items().size(), 7);
        QCOMPARE(form.items().at(1).first, QStringLiteral("line_items[0][price_data][unit_amount]"));
        QCOMPARE(form.items().at(1).second, QStringLiteral("2999"));
        QCOMPARE(form.value(QStringLiteral("automatic_tax[enabled]")), QStringLiteral("true"));
        QVERIFY(form.value(QStringLiteral("absent")).isNull());
    }

    void checkoutSessionPlaceholder()
    {
        StripeForm form;
        form.add(QStringLiteral("success_url"),
            QStringLiteral("https://shop.example/checkout/return?session_id={CHECKOUT_SESSION_ID}"));
        QCOMPARE(form.encoded(),
            QByteArray("success_url=https%3A%2F%2Fshop.example%2Fcheckout%2Freturn%3Fsession_id%3D"
                       "%7BCHECKOUT_SESSION_ID%7D"));
        QVERIFY(form.encoded().contains("%7BCHECKOUT_SESSION_ID%7D"));
    }

    void specialCharacters_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QByteArray>("encoded");
        QTest::newRow("space") << QStringLiteral("Custom Wall Calendar 2027")
                               << QByteArray("Custom%20Wall%20Calendar%202027");
        QTest::newRow("ampersand") << QStringLiteral("a&b") << QByteArray("a%26b");
        QTest::newRow("equals") << QStringLiteral("a=b") << QByteArray("a%3Db");
        QTest::newRow("plus") << QStringLiteral("1+1") << QByteArray("1%2B1");
        QTest::newRow("percent") << QStringLiteral("100%") << QByteArray("100%25");
        QTest::newRow("unreserved") << QStringLiteral("A-z_0.9~") << QByteArray("A-z_0.9~");
        QTest::newRow("umlaut") << QStringLiteral("Grüße") << QByteArray("Gr%C3%BC%C3%9Fe");
        QTest::newRow("euro") << QStringLiteral("€") << QByteArray("%E2%82%AC");
        QTest::newRow("emoji") << QStringLiteral("📅") << QByteArray("%F0%9F%93%85");
        QTest::newRow("newline") << QStringLiteral("a\nb") << QByteArray("a%0Ab");
        QTest::newRow("empty") << QString() << QByteArray();
    }

    void specialCharacters()
    {
        QFETCH(QString, value);
        QFETCH(QByteArray, encoded);
        StripeForm form;
        form.add(QStringLiteral("k"), value);
        QCOMPARE(form.encoded(), QByteArray("k=" + encoded));
        // Keys are encoded the same way.
        StripeForm keyed;
        keyed.add(value, QStringLiteral("v"));
        QCOMPARE(keyed.encoded(), QByteArray(encoded + "=v"));
    }

    // What a form decoder (Stripe, the sandbox) reads back is exactly what was added.
    void roundTrip()
    {
        StripeForm form;
        form.add(QStringLiteral("line_items[0][price_data][product_data][name]"),
                QStringLiteral("Kalender 2027 & mehr = 1+1 ü"))
            .add(QStringLiteral("metadata[note]"), QStringLiteral("50% off? {x}"))
            .add(QStringLiteral("repeat"), QStringLiteral("1"))
            .add(QStringLiteral("repeat"), QStringLiteral("2"));
        QUrlQuery query(QString::fromLatin1(form.encoded()));
        const auto items = query.queryItems(QUrl::FullyDecoded);
        QCOMPARE(items.size(), 4);
        for (int i = 0; i < items.size(); ++i) {
            QCOMPARE(items[i].first, form.items()[i].first);
            QCOMPARE(items[i].second, form.items()[i].second);
        }
    }

    void empty()
    {
        StripeForm form;
        QVERIFY(form.isEmpty());
        QCOMPARE(form.encoded(), QByteArray());
    }
};

QTEST_GUILESS_MAIN(TestStripeForm)
#include "tst_stripeform.moc"
