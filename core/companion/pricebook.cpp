#include "core/companion/pricebook.h"

#include <QLocale>
#include <QRegularExpression>
#include <QSet>
#include <QtNumeric>

#include <algorithm>
#include <cmath>

namespace CalStudio {

namespace {

const QString KeyFormat = QStringLiteral("format");
const QString KeyId = QStringLiteral("id");
const QString KeyProductName = QStringLiteral("product_name");
const QString KeyPrice = QStringLiteral("price");
const QString KeyAmount = QStringLiteral("amount");
const QString KeyCurrency = QStringLiteral("currency");
const QString KeyMaxQuantity = QStringLiteral("max_quantity");
const QString KeyShipping = QStringLiteral("shipping");
const QString KeyDisplayName = QStringLiteral("display_name");
const QString KeyMinDays = QStringLiteral("min_days");
const QString KeyMaxDays = QStringLiteral("max_days");
const QString KeyCountries = QStringLiteral("countries");
const QString KeyPrintify = QStringLiteral("printify");
const QString KeyFormatId = QStringLiteral("format_id");
const QString KeyQuantity = QStringLiteral("quantity");
const QString KeyUnitAmount = QStringLiteral("unit_amount");
const QString KeySubtotal = QStringLiteral("subtotal");

constexpr int MaxNameLength = 200;
constexpr int PrintFormatIdLimit = 64; // PrintFormat::MaxIdLength; longer ids are cut in messages

/// A JSON number that is a whole number in [low, high], or nothing.
std::optional<qint64> wholeNumber(const QJsonValue &value, qint64 low, qint64 high)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d) || d != std::floor(d) || d < double(low) || d > double(high))
        return std::nullopt;
    return qint64(d);
}

bool validCurrency(const QString &currency)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z]{3}$"));
    return pattern.match(currency).hasMatch();
}

bool validShippingId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_-]{1,64}$"));
    return pattern.match(id).hasMatch();
}

/// Upper-case two letters that name a territory Qt's CLDR data knows ("UK" and "XX" do not).
bool validCountry(const QString &code)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Z]{2}$"));
    return pattern.match(code).hasMatch() && QLocale::codeToTerritory(code) != QLocale::AnyTerritory;
}

bool validName(const QString &name)
{
    return !name.trimmed().isEmpty() && name.size() <= MaxNameLength;
}

QJsonObject shippingToJson(const ShippingOption &option)
{
    return QJsonObject {
        { KeyId, option.id },
        { KeyDisplayName, option.displayName },
        { KeyAmount, double(option.amount) },
        { KeyMinDays, option.minDays },
        { KeyMaxDays, option.maxDays },
    };
}

/// Reads one shipping option; appends problems naming `key` (e.g. "formats[0].shipping[1]").
std::optional<ShippingOption> parseShipping(const QJsonValue &value, const QString &key, QStringList &problems)
{
    if (!value.isObject()) {
        problems << QStringLiteral("%1: must be an object with \"id\", \"display_name\" and \"amount\"").arg(key);
        return std::nullopt;
    }
    const QJsonObject o = value.toObject();
    const qsizetype before = problems.size();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() != KeyId && it.key() != KeyDisplayName && it.key() != KeyAmount && it.key() != KeyMinDays
            && it.key() != KeyMaxDays)
            problems << QStringLiteral("%1.%2: unknown key — expected id, display_name, amount, min_days, max_days")
                            .arg(key, it.key());
    }
    ShippingOption option;
    option.id = o.value(KeyId).toString();
    if (!validShippingId(option.id))
        problems << QStringLiteral(
            "%1.id: missing or not valid — use 1–64 letters, digits, '_' or '-', e.g. \"standard\"")
                        .arg(key);
    option.displayName = o.value(KeyDisplayName).toString();
    if (!validName(option.displayName))
        problems << QStringLiteral(
            "%1.display_name: missing — the name the customer sees, e.g. \"Standard\" (at most %2 "
            "characters)")
                        .arg(key)
                        .arg(MaxNameLength);
    if (const auto amount = wholeNumber(o.value(KeyAmount), 0, PriceBook::MaxAmount - 1))
        option.amount = *amount;
    else
        problems << QStringLiteral("%1.amount: missing or not valid — a whole number of minor units (cents) from 0 to "
                                   "%2")
                        .arg(key)
                        .arg(PriceBook::MaxAmount - 1);
    const QJsonValue minDays = o.value(KeyMinDays), maxDays = o.value(KeyMaxDays);
    const auto min
        = minDays.isUndefined() ? std::optional<qint64>(0) : wholeNumber(minDays, 0, PriceBook::MaxDeliveryDays);
    const auto max
        = maxDays.isUndefined() ? std::optional<qint64>(0) : wholeNumber(maxDays, 0, PriceBook::MaxDeliveryDays);
    if (!min)
        problems << QStringLiteral("%1.min_days: not valid — a whole number of days from 0 to %2")
                        .arg(key)
                        .arg(PriceBook::MaxDeliveryDays);
    if (!max)
        problems << QStringLiteral("%1.max_days: not valid — a whole number of days from 0 to %2")
                        .arg(key)
                        .arg(PriceBook::MaxDeliveryDays);
    if (min && max) {
        option.minDays = int(*min);
        option.maxDays = int(*max);
        if (option.maxDays < option.minDays)
            problems << QStringLiteral("%1.max_days: smaller than min_days — give min_days ≤ max_days").arg(key);
    }
    if (problems.size() != before)
        return std::nullopt;
    return option;
}

/// Reads one element of the "formats" array.
std::optional<PriceEntry> parseEntry(const QJsonValue &value, const QString &key, QStringList &problems)
{
    if (!value.isObject()) {
        problems << QStringLiteral(
            "%1: must be an object with \"format\", \"product_name\", \"price\", \"shipping\" and "
            "\"countries\"")
                        .arg(key);
        return std::nullopt;
    }
    const QJsonObject o = value.toObject();
    const qsizetype before = problems.size();
    for (auto it = o.begin(); it != o.end(); ++it) {
        static const QStringList known { KeyFormat, KeyProductName, KeyPrice, KeyMaxQuantity, KeyShipping, KeyCountries,
            KeyPrintify };
        if (!known.contains(it.key()))
            problems << QStringLiteral("%1.%2: unknown key — expected one of %3").arg(key, it.key(), known.join(u", "));
    }

    PriceEntry entry;
    const QJsonValue format = o.value(KeyFormat);
    if (format.isString())
        entry.formatId = format.toString();
    else if (format.isObject())
        entry.formatId = format.toObject().value(KeyId).toString();
    if (entry.formatId.isEmpty())
        problems << QStringLiteral("%1.format: missing — a built-in format id (wall-landscape, wall-portrait, square) "
                                   "or a print format object with an \"id\"")
                        .arg(key);

    entry.productName = o.value(KeyProductName).toString();
    if (!validName(entry.productName))
        problems << QStringLiteral(
            "%1.product_name: missing — the product name on the checkout page, e.g. \"Photo wall "
            "calendar\" (at most %2 characters)")
                        .arg(key)
                        .arg(MaxNameLength);

    const QJsonValue price = o.value(KeyPrice);
    if (!price.isObject()) {
        problems << QStringLiteral("%1.price: missing — e.g. {\"amount\": 2999, \"currency\": \"usd\"}").arg(key);
    } else {
        const QJsonObject p = price.toObject();
        for (auto it = p.begin(); it != p.end(); ++it) {
            if (it.key() != KeyAmount && it.key() != KeyCurrency)
                problems << QStringLiteral("%1.price.%2: unknown key — expected amount, currency").arg(key, it.key());
        }
        if (const auto amount = wholeNumber(p.value(KeyAmount), 1, PriceBook::MaxAmount - 1))
            entry.unitAmount = *amount;
        else
            problems << QStringLiteral("%1.price.amount: missing or not valid — a whole number of minor units (cents) "
                                       "from 1 to %2, e.g. 2999 for 29.99")
                            .arg(key)
                            .arg(PriceBook::MaxAmount - 1);
        entry.currency = p.value(KeyCurrency).toString();
        if (!validCurrency(entry.currency))
            problems << QStringLiteral("%1.price.currency: missing or not valid — a lower-case ISO 4217 code such as "
                                       "\"usd\" or \"eur\"")
                            .arg(key);
    }

    const QJsonValue maxQuantity = o.value(KeyMaxQuantity);
    if (!maxQuantity.isUndefined()) {
        if (const auto n = wholeNumber(maxQuantity, 1, PriceBook::MaxQuantityLimit))
            entry.maxQuantity = int(*n);
        else
            problems << QStringLiteral("%1.max_quantity: not valid — a whole number from 1 to %2")
                            .arg(key)
                            .arg(PriceBook::MaxQuantityLimit);
    }

    const QJsonValue shipping = o.value(KeyShipping);
    if (!shipping.isArray() || shipping.toArray().isEmpty()) {
        problems << QStringLiteral("%1.shipping: missing — a list of at least one option such as [{\"id\": "
                                   "\"standard\", \"display_name\": \"Standard\", \"amount\": 699}]")
                        .arg(key);
    } else {
        const QJsonArray options = shipping.toArray();
        QSet<QString> ids;
        for (qsizetype i = 0; i < options.size(); ++i) {
            const QString optionKey = QStringLiteral("%1.shipping[%2]").arg(key).arg(i);
            if (auto option = parseShipping(options[i], optionKey, problems)) {
                if (ids.contains(option->id))
                    problems << QStringLiteral("%1.id: \"%2\" appears twice — give every shipping option its own id")
                                    .arg(optionKey, option->id);
                ids.insert(option->id);
                entry.shipping.append(*option);
            }
        }
    }

    const QJsonValue countries = o.value(KeyCountries);
    if (!countries.isArray() || countries.toArray().isEmpty()) {
        problems << QStringLiteral("%1.countries: missing — a list of at least one ISO 3166-1 alpha-2 country code the "
                                   "shop ships to, e.g. [\"US\", \"CA\"]")
                        .arg(key);
    } else {
        const QJsonArray list = countries.toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString code = list[i].toString();
            if (!validCountry(code))
                problems << QStringLiteral("%1.countries[%2]: \"%3\" is not an ISO 3166-1 alpha-2 country code — use "
                                           "two upper-case letters such as \"US\" or \"GB\"")
                                .arg(key)
                                .arg(i)
                                .arg(list[i].isString() ? code.left(16) : QStringLiteral("(not a string)"));
            else if (entry.allowedCountries.contains(code))
                problems << QStringLiteral("%1.countries[%2]: \"%3\" appears twice").arg(key).arg(i).arg(code);
            else
                entry.allowedCountries.append(code);
        }
    }

    if (problems.size() != before)
        return std::nullopt;
    return entry;
}

Error quoteError(const QString &detail)
{
    return Error(QStringLiteral("invalid_quote"), QStringLiteral("The stored price of this order is damaged."), detail);
}

} // namespace

QJsonObject PriceQuote::toJson() const
{
    QJsonArray options;
    for (const ShippingOption &option : shipping)
        options.append(shippingToJson(option));
    return QJsonObject {
        { KeyFormatId, formatId },
        { KeyProductName, productName },
        { KeyQuantity, quantity },
        { KeyUnitAmount, double(unitAmount) },
        { KeySubtotal, double(subtotal) },
        { KeyCurrency, currency },
        { KeyShipping, options },
    };
}

Result<PriceQuote> PriceQuote::fromJson(const QJsonObject &json)
{
    PriceQuote q;
    q.formatId = json.value(KeyFormatId).toString();
    q.productName = json.value(KeyProductName).toString();
    q.currency = json.value(KeyCurrency).toString();
    if (q.formatId.isEmpty() || q.productName.isEmpty() || !validCurrency(q.currency))
        return quoteError(QStringLiteral("format_id, product_name or currency missing or not valid"));
    const auto quantity = wholeNumber(json.value(KeyQuantity), 1, PriceBook::MaxQuantityLimit);
    const auto unit = wholeNumber(json.value(KeyUnitAmount), 1, PriceBook::MaxAmount - 1);
    const auto subtotal = wholeNumber(json.value(KeySubtotal), 1, PriceBook::MaxAmount * PriceBook::MaxQuantityLimit);
    if (!quantity || !unit || !subtotal)
        return quoteError(QStringLiteral("quantity, unit_amount or subtotal missing or out of range"));
    q.quantity = int(*quantity);
    q.unitAmount = *unit;
    q.subtotal = *subtotal;
    if (q.subtotal != q.unitAmount * q.quantity)
        return quoteError(QStringLiteral("subtotal %1 is not unit_amount %2 × quantity %3")
                              .arg(q.subtotal)
                              .arg(q.unitAmount)
                              .arg(q.quantity));
    if (!json.value(KeyShipping).isArray())
        return quoteError(QStringLiteral("shipping is not an array"));
    QStringList problems;
    const QJsonArray options = json.value(KeyShipping).toArray();
    for (qsizetype i = 0; i < options.size(); ++i) {
        if (auto option = parseShipping(options[i], QStringLiteral("shipping[%1]").arg(i), problems))
            q.shipping.append(*option);
    }
    if (!problems.isEmpty())
        return quoteError(problems.join(u'\n'));
    return q;
}

bool PriceQuote::matchesPayment(qint64 amountTotal, qint64 amountShipping, const QString &paidCurrency) const
{
    if (paidCurrency.compare(currency, Qt::CaseInsensitive) != 0 || currency.isEmpty())
        return false;
    if (amountShipping < 0 || amountTotal < 0)
        return false;
    if (shipping.isEmpty()) {
        if (amountShipping != 0)
            return false;
    } else {
        const bool offered = std::any_of(shipping.begin(), shipping.end(),
            [&](const ShippingOption &option) { return option.amount == amountShipping; });
        if (!offered)
            return false;
    }
    qint64 expected = 0;
    if (qAddOverflow(subtotal, amountShipping, &expected))
        return false;
    return amountTotal == expected;
}

Result<PriceBook> PriceBook::fromJson(const QJsonArray &formats)
{
    QStringList problems;
    auto book = parse(formats, problems);
    if (!book)
        return Error(QStringLiteral("invalid_config"), problems.join(u'\n'),
            QStringLiteral("%1 problem(s) in the price book").arg(problems.size()));
    return *book;
}

std::optional<PriceBook> PriceBook::parse(const QJsonArray &formats, QStringList &problems)
{
    const qsizetype before = problems.size();
    PriceBook book;
    QSet<QString> ids;
    if (formats.isEmpty())
        problems << QStringLiteral("formats: empty — list at least one format the shop sells");
    for (qsizetype i = 0; i < formats.size(); ++i) {
        const QString key = QStringLiteral("formats[%1]").arg(i);
        // Repeats are found on the id alone, so they are reported even when the entries have other problems.
        const QJsonValue format = formats[i].toObject().value(KeyFormat);
        const QString id = format.isObject() ? format.toObject().value(KeyId).toString() : format.toString();
        if (!id.isEmpty() && ids.contains(id))
            problems << QStringLiteral("%1.format: \"%2\" is listed twice — each format may appear once")
                            .arg(key, id.left(PrintFormatIdLimit));
        ids.insert(id);
        if (auto entry = parseEntry(formats[i], key, problems))
            book.m_entries.append(*entry);
    }
    if (problems.size() != before)
        return std::nullopt;
    return book;
}

const PriceEntry *PriceBook::entry(const QString &formatId) const
{
    for (const PriceEntry &e : m_entries) {
        if (e.formatId == formatId)
            return &e;
    }
    return nullptr;
}

Result<PriceQuote> PriceBook::quote(const QString &formatId, int quantity) const
{
    const PriceEntry *e = entry(formatId);
    if (!e)
        return Error(QStringLiteral("unknown_format"), QStringLiteral("This shop does not sell that calendar format."),
            QStringLiteral("format \"%1\" is not in the price book").arg(formatId.left(64)));
    if (quantity < 1 || quantity > e->maxQuantity)
        return Error(QStringLiteral("invalid_quantity"),
            QStringLiteral("Order between 1 and %1 copies of this calendar.").arg(e->maxQuantity),
            QStringLiteral("quantity %1, allowed 1–%2").arg(quantity).arg(e->maxQuantity));
    qint64 subtotal = 0;
    if (e->unitAmount <= 0 || qMulOverflow(e->unitAmount, qint64(quantity), &subtotal))
        return Error(QStringLiteral("invalid_quantity"), QStringLiteral("This order is too large to be priced."),
            QStringLiteral("unit amount %1 × quantity %2 overflows").arg(e->unitAmount).arg(quantity));
    PriceQuote q;
    q.formatId = e->formatId;
    q.productName = e->productName;
    q.quantity = quantity;
    q.unitAmount = e->unitAmount;
    q.subtotal = subtotal;
    q.currency = e->currency;
    q.shipping = e->shipping;
    return q;
}

} // namespace CalStudio
