#pragma once

#include "app/sandbox/stripeerror.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace CalStudio {

/**
 * One Checkout Session of the sandbox's Stripe fake: what
 * `POST /v1/checkout/sessions` accepted (validated by create() exactly where
 * EXTERNAL_APIS.md 2.2 says Stripe validates) and what happened to it since,
 * rendered by toJson() as the Session object of 2.3 in a given API version.
 *
 * Payment mode with inline `price_data` only (the fake has no Price, Product or
 * Customer objects, so `line_items[i][price]` and `customer` are 404
 * `resource_missing`). Amounts are integers in the minor unit; `amount_total`
 * is the subtotal plus the selected shipping option (the first one until the
 * customer picks another, as Stripe preselects it) unless a test overrode it
 * to simulate a mismatch. A plain value: the fake owns the state changes.
 */
class StripeCheckoutSession {
public:
    struct LineItem {
        QString id; ///< li_…
        QString priceId; ///< price_…
        QString productId; ///< prod_…
        QString name;
        QStringList images;
        qint64 unitAmount = 0;
        qint64 quantity = 1;
    };

    struct ShippingOption {
        QString rateId; ///< shr_…
        QString displayName;
        QString type = QStringLiteral("fixed_amount");
        qint64 amount = 0;
        QString currency;
        QJsonValue deliveryEstimate; ///< null or {minimum:{unit,value}, maximum:{unit,value}}
        QJsonObject metadata;
    };

    /// A customer's contact and address as Checkout collects them.
    struct Contact {
        QString email;
        QString name;
        QString phone;
        QString line1;
        QString line2;
        QString city;
        QString state;
        QString postalCode;
        QString country;

        [[nodiscard]] QJsonObject addressJson() const;
        /// Test data for `country` (US, GB, DE, FR, CA, AU have real-looking addresses).
        static Contact testContact(const QString &country, const QString &email = {});
    };

    static constexpr auto BasilVersion = "2025-03-31.basil";
    static constexpr auto AcaciaVersion = "2025-02-24.acacia";
    static constexpr auto DahliaVersion = "2026-03-25.dahlia";

    /// `YYYY-MM-DD` or `YYYY-MM-DD.name`.
    static bool isValidVersion(const QString &version);
    /// Compares the date part: is `version` the same as or later than `reference`?
    static bool versionAtLeast(const QString &version, const QString &reference);
    /// The `ui_mode` values of `version`: hosted/embedded/custom before dahlia, hosted_page/embedded_page/elements from
    /// it.
    static QStringList uiModes(const QString &version);

    /// Validates create parameters (decoded form) as Stripe does for `version`; `now` in Unix seconds.
    static std::variant<StripeCheckoutSession, StripeError> create(
        const QJsonObject &params, const QString &version, const QString &origin, qint64 now);

    /// `prefix` followed by `length` random letters and digits ("cs_test_", "pi_", …).
    static QString newId(const QString &prefix, int length = 24);

    [[nodiscard]] qint64 amountSubtotal() const;
    [[nodiscard]] qint64 amountShipping() const;
    [[nodiscard]] qint64 amountTotal() const;
    [[nodiscard]] QString reportedCurrency() const;
    /// Hosted sessions have a `url`; embedded and elements ones a `client_secret`.
    [[nodiscard]] bool isHosted() const;
    [[nodiscard]] bool isOpen() const { return status == QLatin1String("open"); }

    /// Where the browser goes after paying: success_url (or return_url) with `{CHECKOUT_SESSION_ID}` replaced.
    [[nodiscard]] QString redirectUrl() const;

    /// The Session object as Stripe renders it for `version` (where the shipping address sits differs).
    [[nodiscard]] QJsonObject toJson(const QString &version) const;
    /// `GET …/line_items`: a list object of at most `limit` items.
    [[nodiscard]] QJsonObject lineItemsJson(int limit = 10) const;
    [[nodiscard]] QJsonObject shippingRateJson(int index) const;
    /// The PaymentIntent (null before completion).
    [[nodiscard]] QJsonValue paymentIntentJson() const;

    QString id;
    QString clientSecret;
    QString origin; ///< the sandbox's base URL, for `url`
    QString createdVersion;
    QString mode = QStringLiteral("payment");
    QString uiMode;
    QString currency;
    qint64 created = 0;
    qint64 expiresAt = 0;
    QString status = QStringLiteral("open");
    QString paymentStatus = QStringLiteral("unpaid");
    QList<LineItem> lineItems;
    QList<ShippingOption> shippingOptions;
    int selectedShipping = -1;
    bool collectShipping = false;
    QStringList allowedCountries;
    QString clientReferenceId;
    QString customerEmail;
    QJsonObject metadata;
    QJsonObject paymentIntentMetadata;
    QString successUrl;
    QString cancelUrl;
    QString returnUrl;
    QString redirectOnCompletion;
    std::optional<Contact> customer; ///< set on completion
    QString paymentIntentId; ///< set on completion
    QString paymentIntentStatus; ///< processing, succeeded, requires_payment_method
    QString chargeId; ///< set once paid
    std::optional<qint64> amountTotalOverride; ///< control API: simulate an amount mismatch
    QString currencyOverride; ///< control API: simulate a currency mismatch
};

} // namespace CalStudio
