#include "core/companion/pricebook.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <functional>
#include <limits>

using namespace CalStudio;
using namespace Qt::StringLiterals;

namespace {

QJsonObject standardShipping()
{
    return QJsonObject { { u"id"_s, u"standard"_s }, { u"display_name"_s, u"Standard"_s }, { u"amount"_s, 699 },
        { u"min_days"_s, 5 }, { u"max_days"_s, 9 } };
}

QJsonObject expressShipping()
{
    return QJsonObject { { u"id"_s, u"express"_s }, { u"display_name"_s, u"Express"_s }, { u"amount"_s, 1999 } };
}

/// A valid "formats" entry; each bad-value row mutates one thing.
QJsonObject goodEntry()
{
    return QJsonObject {
        { u"format"_s, u"wall-landscape"_s },
        { u"product_name"_s, u"Photo wall calendar"_s },
        { u"price"_s, QJsonObject { { u"amount"_s, 2999 }, { u"currency"_s, u"usd"_s } } },
        { u"max_quantity"_s, 10 },
        { u"shipping"_s, QJsonArray { standardShipping(), expressShipping() } },
        { u"countries"_s, QJsonArray { u"US"_s, u"CA"_s, u"GB"_s, u"DE"_s } },
        { u"printify"_s, QJsonObject { { u"blueprint_id"_s, 1253 } } },
    };
}

using Mutation = std::function<void(QJsonObject &)>;

/// Sets `value` at a dotted path such as "price.amount" or "shipping.0.id" (arrays by index).
void setPath(QJsonValueRef ref, QStringList path, const QJsonValue &value)
{
    if (path.isEmpty()) {
        ref = value;
        return;
    }
    const QString head = path.takeFirst();
    if (ref.isArray()) {
        QJsonArray array = ref.toArray();
        setPath(array[head.toInt()], path, value);
        ref = array;
    } else {
        QJsonObject object = ref.toObject();
        if (path.isEmpty() && value.isUndefined())
            object.remove(head);
        else
            setPath(object[head], path, value);
        ref = object;
    }
}

Mutation set(const QString &path, const QJsonValue &value)
{
    return [=](QJsonObject &entry) {
        QJsonArray holder { entry };
        setPath(holder[0], path.split(u'.'), value);
        entry = holder[0].toObject();
    };
}

Mutation remove(const QString &path)
{
    return set(path, QJsonValue(QJsonValue::Undefined));
}

PriceBook goodBook()
{
    auto book = PriceBook::fromJson(QJsonArray { goodEntry() });
    if (!book)
        qFatal("good price book rejected: %s", qPrintable(book.error().userMessage));
    return *book;
}

} // namespace

Q_DECLARE_METATYPE(Mutation)

class TestPriceBook : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsGoodEntry()
    {
        const PriceBook book = goodBook();
        QCOMPARE(book.entries().size(), 1);
        const PriceEntry *e = book.entry(QStringLiteral("wall-landscape"));
        QVERIFY(e);
        QCOMPARE(e->productName, QStringLiteral("Photo wall calendar"));
        QCOMPARE(e->unitAmount, qint64(2999));
        QCOMPARE(e->currency, QStringLiteral("usd"));
        QCOMPARE(e->maxQuantity, 10);
        QCOMPARE(e->allowedCountries, QStringList({ u"US"_s, u"CA"_s, u"GB"_s, u"DE"_s }));
        QCOMPARE(e->shipping.size(), 2);
        QCOMPARE(e->shipping[0], (ShippingOption { u"standard"_s, u"Standard"_s, 699, 5, 9 }));
        QCOMPARE(e->shipping[1], (ShippingOption { u"express"_s, u"Express"_s, 1999, 0, 0 }));
        QCOMPARE(book.entry(QStringLiteral("square")), nullptr);
    }

    void inlineFormatAndDefaults()
    {
        QJsonObject entry = goodEntry();
        entry[u"format"_s] = QJsonObject { { u"id"_s, u"printify-wall"_s }, { u"title"_s, u"ignored here"_s } };
        entry.remove(u"max_quantity"_s);
        auto book = PriceBook::fromJson(QJsonArray { entry });
        QVERIFY2(book, qPrintable(book ? QString() : book.error().userMessage));
        QVERIFY(book->entry(QStringLiteral("printify-wall")));
        QCOMPARE(book->entry(QStringLiteral("printify-wall"))->maxQuantity, 10);
    }

    void badValues_data()
    {
        QTest::addColumn<Mutation>("mutation");
        QTest::addColumn<QString>("key");
        QTest::newRow("amount zero") << set(u"price.amount"_s, 0) << u"formats[0].price.amount"_s;
        QTest::newRow("amount negative") << set(u"price.amount"_s, -5) << u"formats[0].price.amount"_s;
        QTest::newRow("amount fractional") << set(u"price.amount"_s, 29.99) << u"formats[0].price.amount"_s;
        QTest::newRow("amount 10^9") << set(u"price.amount"_s, 1e9) << u"formats[0].price.amount"_s;
        QTest::newRow("amount overflows qint64") << set(u"price.amount"_s, 1e19) << u"formats[0].price.amount"_s;
        QTest::newRow("amount as string") << set(u"price.amount"_s, u"2999"_s) << u"formats[0].price.amount"_s;
        QTest::newRow("amount missing") << remove(u"price.amount"_s) << u"formats[0].price.amount"_s;
        QTest::newRow("price missing") << remove(u"price"_s) << u"formats[0].price"_s;
        QTest::newRow("currency upper case") << set(u"price.currency"_s, u"USD"_s) << u"formats[0].price.currency"_s;
        QTest::newRow("currency too long") << set(u"price.currency"_s, u"usdx"_s) << u"formats[0].price.currency"_s;
        QTest::newRow("currency missing") << remove(u"price.currency"_s) << u"formats[0].price.currency"_s;
        QTest::newRow("price unknown key") << set(u"price.tax"_s, 0) << u"formats[0].price.tax"_s;
        QTest::newRow("format missing") << remove(u"format"_s) << u"formats[0].format"_s;
        QTest::newRow("format object without id")
            << set(u"format"_s, QJsonObject { { u"title"_s, u"x"_s } }) << u"formats[0].format"_s;
        QTest::newRow("product name missing") << remove(u"product_name"_s) << u"formats[0].product_name"_s;
        QTest::newRow("product name blank") << set(u"product_name"_s, u"  "_s) << u"formats[0].product_name"_s;
        QTest::newRow("max quantity zero") << set(u"max_quantity"_s, 0) << u"formats[0].max_quantity"_s;
        QTest::newRow("max quantity huge") << set(u"max_quantity"_s, 1e6) << u"formats[0].max_quantity"_s;
        QTest::newRow("shipping missing") << remove(u"shipping"_s) << u"formats[0].shipping"_s;
        QTest::newRow("shipping empty") << set(u"shipping"_s, QJsonArray()) << u"formats[0].shipping"_s;
        QTest::newRow("shipping not an object") << set(u"shipping.0"_s, u"standard"_s) << u"formats[0].shipping[0]"_s;
        QTest::newRow("shipping id empty") << set(u"shipping.0.id"_s, u""_s) << u"formats[0].shipping[0].id"_s;
        QTest::newRow("shipping id with space")
            << set(u"shipping.0.id"_s, u"two words"_s) << u"formats[0].shipping[0].id"_s;
        QTest::newRow("shipping ids repeated")
            << set(u"shipping.1.id"_s, u"standard"_s) << u"formats[0].shipping[1].id"_s;
        QTest::newRow("shipping name missing")
            << remove(u"shipping.0.display_name"_s) << u"formats[0].shipping[0].display_name"_s;
        QTest::newRow("shipping amount negative")
            << set(u"shipping.0.amount"_s, -1) << u"formats[0].shipping[0].amount"_s;
        QTest::newRow("shipping amount 10^9") << set(u"shipping.0.amount"_s, 1e9) << u"formats[0].shipping[0].amount"_s;
        QTest::newRow("shipping amount missing")
            << remove(u"shipping.0.amount"_s) << u"formats[0].shipping[0].amount"_s;
        QTest::newRow("shipping days reversed")
            << set(u"shipping.0.min_days"_s, 10) << u"formats[0].shipping[0].max_days"_s;
        QTest::newRow("shipping days negative")
            << set(u"shipping.0.min_days"_s, -1) << u"formats[0].shipping[0].min_days"_s;
        QTest::newRow("shipping unknown key") << set(u"shipping.0.price"_s, 1) << u"formats[0].shipping[0].price"_s;
        QTest::newRow("countries missing") << remove(u"countries"_s) << u"formats[0].countries"_s;
        QTest::newRow("countries empty") << set(u"countries"_s, QJsonArray()) << u"formats[0].countries"_s;
        QTest::newRow("country lower case") << set(u"countries.1"_s, u"ca"_s) << u"formats[0].countries[1]"_s;
        QTest::newRow("country alpha-3") << set(u"countries.1"_s, u"CAN"_s) << u"formats[0].countries[1]"_s;
        QTest::newRow("country UK (not ISO)") << set(u"countries.2"_s, u"UK"_s) << u"formats[0].countries[2]"_s;
        QTest::newRow("country unassigned") << set(u"countries.0"_s, u"XX"_s) << u"formats[0].countries[0]"_s;
        QTest::newRow("country number") << set(u"countries.0"_s, 1) << u"formats[0].countries[0]"_s;
        QTest::newRow("country repeated") << set(u"countries.3"_s, u"US"_s) << u"formats[0].countries[3]"_s;
        QTest::newRow("unknown key") << set(u"prize"_s, 1) << u"formats[0].prize"_s;
    }
    void badValues()
    {
        QFETCH(Mutation, mutation);
        QFETCH(QString, key);
        QJsonObject entry = goodEntry();
        mutation(entry);
        const auto book = PriceBook::fromJson(QJsonArray { entry });
        QVERIFY(!book);
        QCOMPARE(book.error().code, QStringLiteral("invalid_config"));
        const QStringList lines = book.error().userMessage.split(u'\n');
        const bool named = std::any_of(lines.begin(), lines.end(),
            [&](const QString &line) { return line.startsWith(key + QStringLiteral(": ")); });
        QVERIFY2(named, qPrintable(book.error().userMessage));
    }

    void collectsEveryProblem()
    {
        QJsonObject entry = goodEntry();
        set(u"price.amount"_s, 0)(entry);
        set(u"countries.0"_s, u"usa"_s)(entry);
        QJsonObject second = goodEntry();
        set(u"price.currency"_s, u"EUR"_s)(second);
        const auto book = PriceBook::fromJson(QJsonArray { entry, second, goodEntry() });
        QVERIFY(!book);
        const QString message = book.error().userMessage;
        QVERIFY2(message.contains(QLatin1String("formats[0].price.amount: ")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("formats[0].countries[0]: ")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("formats[1].price.currency: ")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("formats[2].format: ")), qPrintable(message)); // listed twice
    }

    void emptyOrNotObjects()
    {
        QVERIFY(!PriceBook::fromJson(QJsonArray()));
        const auto book = PriceBook::fromJson(QJsonArray { u"wall-landscape"_s });
        QVERIFY(!book);
        QVERIFY(book.error().userMessage.startsWith(QLatin1String("formats[0]: ")));
    }

    void quotes_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("quantity");
        QTest::addColumn<QString>("error");
        QTest::addColumn<qint64>("subtotal");
        QTest::newRow("one") << u"wall-landscape"_s << 1 << QString() << qint64(2999);
        QTest::newRow("three") << u"wall-landscape"_s << 3 << QString() << qint64(8997);
        QTest::newRow("max quantity") << u"wall-landscape"_s << 10 << QString() << qint64(29990);
        QTest::newRow("above max") << u"wall-landscape"_s << 11 << u"invalid_quantity"_s << qint64(0);
        QTest::newRow("zero") << u"wall-landscape"_s << 0 << u"invalid_quantity"_s << qint64(0);
        QTest::newRow("negative") << u"wall-landscape"_s << -1 << u"invalid_quantity"_s << qint64(0);
        QTest::newRow("int max") << u"wall-landscape"_s << std::numeric_limits<int>::max() << u"invalid_quantity"_s
                                 << qint64(0);
        QTest::newRow("int min") << u"wall-landscape"_s << std::numeric_limits<int>::min() << u"invalid_quantity"_s
                                 << qint64(0);
        QTest::newRow("unknown format") << u"square"_s << 1 << u"unknown_format"_s << qint64(0);
        QTest::newRow("empty format") << u""_s << 1 << u"unknown_format"_s << qint64(0);
    }
    void quotes()
    {
        QFETCH(QString, format);
        QFETCH(int, quantity);
        QFETCH(QString, error);
        QFETCH(qint64, subtotal);
        const auto q = goodBook().quote(format, quantity);
        if (!error.isEmpty()) {
            QVERIFY(!q);
            QCOMPARE(q.error().code, error);
            QVERIFY(!q.error().userMessage.isEmpty());
            return;
        }
        QVERIFY(q);
        QCOMPARE(q->formatId, format);
        QCOMPARE(q->productName, QStringLiteral("Photo wall calendar"));
        QCOMPARE(q->quantity, quantity);
        QCOMPARE(q->unitAmount, qint64(2999));
        QCOMPARE(q->subtotal, subtotal);
        QCOMPARE(q->currency, QStringLiteral("usd"));
        QCOMPARE(q->shipping.size(), 2);
    }

    void largestQuoteDoesNotOverflow()
    {
        QJsonObject entry = goodEntry();
        set(u"price.amount"_s, 999'999'999)(entry);
        set(u"max_quantity"_s, PriceBook::MaxQuantityLimit)(entry);
        auto book = PriceBook::fromJson(QJsonArray { entry });
        QVERIFY(book);
        const auto q = book->quote(QStringLiteral("wall-landscape"), PriceBook::MaxQuantityLimit);
        QVERIFY(q);
        QCOMPARE(q->subtotal, qint64(999'999'999) * PriceBook::MaxQuantityLimit);
        QVERIFY(q->matchesPayment(q->subtotal + 1999, 1999, QStringLiteral("usd")));
    }

    void quoteJsonRoundTrip()
    {
        const auto q = goodBook().quote(QStringLiteral("wall-landscape"), 2);
        QVERIFY(q);
        const QJsonObject json = q->toJson();
        QCOMPARE(json.value(u"subtotal"_s).toInteger(), qint64(5998));
        QCOMPARE(json.value(u"shipping"_s).toArray().size(), 2);
        const auto back = PriceQuote::fromJson(QJsonDocument::fromJson(QJsonDocument(json).toJson()).object());
        QVERIFY2(back, qPrintable(back ? QString() : back.error().detail));
        QCOMPARE(*back, *q);
    }

    void quoteJsonRejectsDamage_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("subtotal not unit × quantity") << u"subtotal"_s << QJsonValue(5999);
        QTest::newRow("quantity zero") << u"quantity"_s << QJsonValue(0);
        QTest::newRow("unit amount missing") << u"unit_amount"_s << QJsonValue(QJsonValue::Undefined);
        QTest::newRow("currency upper case") << u"currency"_s << QJsonValue(u"USD"_s);
        QTest::newRow("format id missing") << u"format_id"_s << QJsonValue(QJsonValue::Undefined);
        QTest::newRow("shipping not a list") << u"shipping"_s << QJsonValue(u"standard"_s);
        QTest::newRow("shipping option bad")
            << u"shipping"_s << QJsonValue(QJsonArray { QJsonObject { { u"id"_s, u""_s } } });
    }
    void quoteJsonRejectsDamage()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QJsonObject json = goodBook().quote(QStringLiteral("wall-landscape"), 2)->toJson();
        if (value.isUndefined())
            json.remove(key);
        else
            json[key] = value;
        const auto q = PriceQuote::fromJson(json);
        QVERIFY(!q);
        QCOMPARE(q.error().code, QStringLiteral("invalid_quote"));
    }

    void matchesPayment_data()
    {
        QTest::addColumn<int>("quantity");
        QTest::addColumn<bool>("noShipping");
        QTest::addColumn<qint64>("total");
        QTest::addColumn<qint64>("shippingAmount");
        QTest::addColumn<QString>("currency");
        QTest::addColumn<bool>("matches");
        // subtotal 2 × 2999 = 5998; shipping 699 (standard) or 1999 (express)
        QTest::newRow("standard shipping") << 2 << false << qint64(6697) << qint64(699) << u"usd"_s << true;
        QTest::newRow("express shipping") << 2 << false << qint64(7997) << qint64(1999) << u"usd"_s << true;
        QTest::newRow("currency upper case") << 2 << false << qint64(6697) << qint64(699) << u"USD"_s << true;
        QTest::newRow("other currency") << 2 << false << qint64(6697) << qint64(699) << u"eur"_s << false;
        QTest::newRow("empty currency") << 2 << false << qint64(6697) << qint64(699) << u""_s << false;
        QTest::newRow("unknown shipping amount") << 2 << false << qint64(6698) << qint64(700) << u"usd"_s << false;
        QTest::newRow("no shipping although offered") << 2 << false << qint64(5998) << qint64(0) << u"usd"_s << false;
        QTest::newRow("total one more") << 2 << false << qint64(6698) << qint64(699) << u"usd"_s << false;
        QTest::newRow("total one less") << 2 << false << qint64(6696) << qint64(699) << u"usd"_s << false;
        QTest::newRow("total of one copy") << 2 << false << qint64(3698) << qint64(699) << u"usd"_s << false;
        QTest::newRow("negative shipping") << 2 << false << qint64(5299) << qint64(-699) << u"usd"_s << false;
        QTest::newRow("huge total") << 2 << false << std::numeric_limits<qint64>::max() << qint64(699) << u"usd"_s
                                    << false;
        QTest::newRow("none offered, none paid") << 2 << true << qint64(5998) << qint64(0) << u"usd"_s << true;
        QTest::newRow("none offered, some paid") << 2 << true << qint64(6697) << qint64(699) << u"usd"_s << false;
    }
    void matchesPayment()
    {
        QFETCH(int, quantity);
        QFETCH(bool, noShipping);
        QFETCH(qint64, total);
        QFETCH(qint64, shippingAmount);
        QFETCH(QString, currency);
        QFETCH(bool, matches);
        auto q = goodBook().quote(QStringLiteral("wall-landscape"), quantity);
        QVERIFY(q);
        if (noShipping)
            q->shipping.clear();
        QCOMPARE(q->matchesPayment(total, shippingAmount, currency), matches);
    }

    // subtotal + shipping must not wrap around into a total that happens to match.
    void matchesPaymentOverflow()
    {
        auto q = goodBook().quote(QStringLiteral("wall-landscape"), 2);
        QVERIFY(q);
        const qint64 huge = std::numeric_limits<qint64>::max();
        q->shipping = { ShippingOption { u"absurd"_s, u"Absurd"_s, huge, 0, 0 } };
        const auto wrapped = qint64(quint64(q->subtotal) + quint64(huge));
        QVERIFY(!q->matchesPayment(wrapped, huge, QStringLiteral("usd")));
        QVERIFY(!q->matchesPayment(huge, huge, QStringLiteral("usd")));
    }
};

QTEST_GUILESS_MAIN(TestPriceBook)
#include "tst_pricebook.moc"
