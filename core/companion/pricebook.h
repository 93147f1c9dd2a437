#pragma once

#include "core/common/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace CalStudio {

/**
 * One way to ship an order, offered on Stripe's checkout page as a fixed
 * amount. Amounts are in the currency's minor unit (cents).
 */
struct ShippingOption {
    QString id; ///< stable within its format, e.g. "standard": 1–64 of A-Z, a-z, 0-9, '_' and '-'
    QString displayName; ///< shown to the customer, e.g. "Standard"
    qint64 amount = 0; ///< 0 (free) up to PriceBook::MaxAmount − 1
    int minDays = 0; ///< delivery estimate in business days; 0 = not stated
    int maxDays = 0; ///< ≥ minDays; 0 = not stated

    friend bool operator==(const ShippingOption &, const ShippingOption &) = default;
};

/// What the shop charges for one format: the price book's row.
struct PriceEntry {
    QString formatId; ///< the PrintFormat id
    QString productName; ///< the line item's name on the checkout page, e.g. "Photo wall calendar"
    qint64 unitAmount = 0; ///< price of one calendar in the currency's minor unit, 1 … MaxAmount − 1
    QString currency; ///< lower-case ISO 4217, e.g. "usd"
    QList<ShippingOption> shipping; ///< at least one, ids unique
    QStringList allowedCountries; ///< ISO 3166-1 alpha-2, upper-case, at least one, e.g. "US"
    int maxQuantity = 10; ///< copies per order, 1 … PriceBook::MaxQuantityLimit

    friend bool operator==(const PriceEntry &, const PriceEntry &) = default;
};

/**
 * The server's price for one order, computed from the price book when the
 * checkout opens and stored with the order, so a later change of the price
 * book never changes what an open or paid order is checked against.
 *
 * JSON (toJson()/fromJson(); error "invalid_quote"):
 *
 *     {"format_id": "wall-landscape", "product_name": "Photo wall calendar", "quantity": 2,
 *      "unit_amount": 2999, "subtotal": 5998, "currency": "usd",
 *      "shipping": [{"id": "standard", "display_name": "Standard", "amount": 699,
 *                    "min_days": 5, "max_days": 9}]}
 */
struct PriceQuote {
    QString formatId;
    QString productName;
    int quantity = 1;
    qint64 unitAmount = 0;
    qint64 subtotal = 0; ///< unitAmount × quantity, before shipping
    QString currency;
    QList<ShippingOption> shipping; ///< the options offered at checkout

    [[nodiscard]] QJsonObject toJson() const;
    /// Reads toJson()'s shape and checks it is consistent (subtotal = unit × quantity, amounts in range).
    static Result<PriceQuote> fromJson(const QJsonObject &json);

    /**
     * Whether a completed Checkout Session paid exactly this quote: the
     * currency is equal (case-insensitive), `amountShipping` is the amount of
     * one of the offered options (0 only when none is offered) and
     * `amountTotal == subtotal + amountShipping`. The server enables neither
     * tax nor discounts, so anything else is a mismatch for the owner to look at.
     */
    [[nodiscard]] bool matchesPayment(qint64 amountTotal, qint64 amountShipping, const QString &currency) const;

    friend bool operator==(const PriceQuote &, const PriceQuote &) = default;
};

/**
 * The shop's prices: per format, the unit price, currency, shipping options
 * and the countries it ships to. Read from the configuration's "formats"
 * array (CompanionConfig); the client never sends a price — checkout prices
 * every order with quote().
 *
 * Each element of the array (other keys, such as "printify", belong to the
 * configuration and are ignored here):
 *
 *     {"format": "wall-landscape" | {PrintFormat JSON with "id"},
 *      "product_name": "Photo wall calendar",
 *      "price": {"amount": 2999, "currency": "usd"},
 *      "max_quantity": 10,                                   // optional, default 10
 *      "shipping": [{"id": "standard", "display_name": "Standard", "amount": 699,
 *                    "min_days": 5, "max_days": 9}],         // days optional
 *      "countries": ["US", "CA"]}
 *
 * Error codes: fromJson() "invalid_config" (every problem, one per line, each
 * naming its key as `formats[i].price.amount`); quote() "unknown_format",
 * "invalid_quantity".
 */
class PriceBook {
public:
    /// Amounts (prices and shipping) must be below this: 10^9 minor units.
    static constexpr qint64 MaxAmount = 1'000'000'000;
    /// The largest max_quantity accepted.
    static constexpr int MaxQuantityLimit = 1000;
    /// The longest delivery estimate accepted, in days.
    static constexpr int MaxDeliveryDays = 365;

    PriceBook() = default;

    /// Reads and validates the configuration's "formats" array. Error "invalid_config".
    static Result<PriceBook> fromJson(const QJsonArray &formats);
    /**
     * Like fromJson(), but appends each problem as one line ("formats[0].price.currency: …")
     * to `problems` and returns nothing when there was any — for CompanionConfig, which
     * reports all problems of the whole file at once.
     */
    static std::optional<PriceBook> parse(const QJsonArray &formats, QStringList &problems);

    [[nodiscard]] QList<PriceEntry> entries() const { return m_entries; }
    /// The entry of `formatId`, or nullptr.
    [[nodiscard]] const PriceEntry *entry(const QString &formatId) const;

    /// The price of `quantity` (1 … the entry's maxQuantity) copies of `formatId`.
    [[nodiscard]] Result<PriceQuote> quote(const QString &formatId, int quantity) const;

private:
    QList<PriceEntry> m_entries;
};

} // namespace CalStudio
