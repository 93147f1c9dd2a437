#include "app/sandbox/stripecheckoutsession.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

namespace CalStudio {

namespace {

using Outcome = std::variant<StripeCheckoutSession, StripeError>;

QString text(const QJsonObject &object, const QString &key)
{
    return object.value(key).toString();
}

// Stripe reads every form value as a string and converts where the parameter is an integer.
std::optional<qint64> integer(const QJsonValue &value)
{
    if (!value.isString())
        return std::nullopt;
    static const QRegularExpression pattern(QStringLiteral("^-?\\d{1,15}$"));
    const QString s = value.toString();
    if (!pattern.match(s).hasMatch())
        return std::nullopt;
    return s.toLongLong();
}

StripeError unknownParameter(const QString &name)
{
    return StripeError::invalid(name, QStringLiteral("Received unknown parameter: %1").arg(name));
}

std::optional<StripeError> checkKnown(const QJsonObject &object, const QString &prefix, const QSet<QString> &known)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()))
            return unknownParameter(
                prefix.isEmpty() ? it.key() : prefix + QLatin1Char('[') + it.key() + QLatin1Char(']'));
    }
    return std::nullopt;
}

std::optional<StripeError> checkHash(const QJsonObject &params, const QString &key, const QString &name)
{
    if (params.contains(key) && !params.value(key).isObject())
        return StripeError::invalid(name, QStringLiteral("Invalid object"));
    return std::nullopt;
}

std::optional<StripeError> checkMetadata(const QJsonValue &value, const QString &name)
{
    if (value.isUndefined())
        return std::nullopt;
    // `metadata=` (empty) means "no metadata", as on update.
    if (value.isString() && value.toString().isEmpty())
        return std::nullopt;
    if (!value.isObject())
        return StripeError::invalid(name, QStringLiteral("Invalid object"));
    const QJsonObject metadata = value.toObject();
    if (metadata.size() > 50)
        return StripeError::invalid(name, QStringLiteral("Invalid metadata: metadata can have up to 50 keys."));
    for (auto it = metadata.begin(); it != metadata.end(); ++it) {
        if (it.key().size() > 40)
            return StripeError::invalid(name + QLatin1Char('[') + it.key() + QLatin1Char(']'),
                QStringLiteral("Metadata keys can have up to 40 characters (%1).").arg(it.key()));
        if (!it.value().isString())
            return StripeError::invalid(name + QLatin1Char('[') + it.key() + QLatin1Char(']'),
                QStringLiteral("Metadata values must be strings."));
        if (it.value().toString().size() > 500)
            return StripeError::invalid(name + QLatin1Char('[') + it.key() + QLatin1Char(']'),
                QStringLiteral("Metadata values can have up to 500 characters."));
    }
    return std::nullopt;
}

std::optional<StripeError> checkUrl(const QString &value, const QString &name)
{
    // Tolerant: the `{CHECKOUT_SESSION_ID}` template is not strictly valid in a URL, and Stripe takes it.
    const QUrl url(value, QUrl::TolerantMode);
    if (!url.isValid() || url.isRelative() || url.host().isEmpty())
        return StripeError::invalid(name, QStringLiteral("Not a valid URL"), QStringLiteral("url_invalid"));
    return std::nullopt;
}

QJsonObject metadataOf(const QJsonValue &value)
{
    return value.isObject() ? value.toObject() : QJsonObject();
}

} // namespace

QJsonObject StripeCheckoutSession::Contact::addressJson() const
{
    const auto orNull = [](const QString &s) { return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s); };
    return QJsonObject { { QStringLiteral("line1"), orNull(line1) }, { QStringLiteral("line2"), orNull(line2) },
        { QStringLiteral("city"), orNull(city) }, { QStringLiteral("state"), orNull(state) },
        { QStringLiteral("postal_code"), orNull(postalCode) }, { QStringLiteral("country"), orNull(country) } };
}

StripeCheckoutSession::Contact StripeCheckoutSession::Contact::testContact(const QString &country, const QString &email)
{
    Contact c;
    c.email = email.isEmpty() ? QStringLiteral("jenny.rosen@example.com") : email;
    c.name = QStringLiteral("Jenny Rosen");
    c.country = country.isEmpty() ? QStringLiteral("US") : country;
    if (c.country == QLatin1String("US")) {
        c.phone = QStringLiteral("+14155550123");
        c.line1 = QStringLiteral("510 Townsend St");
        c.city = QStringLiteral("San Francisco");
        c.state = QStringLiteral("CA");
        c.postalCode = QStringLiteral("94103");
    } else if (c.country == QLatin1String("GB")) {
        c.phone = QStringLiteral("+442079460123");
        c.line1 = QStringLiteral("221B Baker Street");
        c.city = QStringLiteral("London");
        c.postalCode = QStringLiteral("NW1 6XE");
    } else if (c.country == QLatin1String("DE")) {
        c.phone = QStringLiteral("+4930901820");
        c.line1 = QStringLiteral("Unter den Linden 77");
        c.city = QStringLiteral("Berlin");
        c.postalCode = QStringLiteral("10117");
    } else if (c.country == QLatin1String("FR")) {
        c.phone = QStringLiteral("+33140205050");
        c.line1 = QStringLiteral("5 Avenue Anatole France");
        c.city = QStringLiteral("Paris");
        c.postalCode = QStringLiteral("75007");
    } else if (c.country == QLatin1String("CA")) {
        c.phone = QStringLiteral("+16135550123");
        c.line1 = QStringLiteral("111 Wellington St");
        c.city = QStringLiteral("Ottawa");
        c.state = QStringLiteral("ON");
        c.postalCode = QStringLiteral("K1A 0A9");
    } else if (c.country == QLatin1String("AU")) {
        c.phone = QStringLiteral("+61292501234");
        c.line1 = QStringLiteral("Bennelong Point");
        c.city = QStringLiteral("Sydney");
        c.state = QStringLiteral("NSW");
        c.postalCode = QStringLiteral("2000");
    } else {
        c.phone = QStringLiteral("+15555550100");
        c.line1 = QStringLiteral("1 Sandbox Street");
        c.city = QStringLiteral("Sandbox City");
        c.postalCode = QStringLiteral("12345");
    }
    return c;
}

bool StripeCheckoutSession::isValidVersion(const QString &version)
{
    static const QRegularExpression pattern(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}(\\.[a-z]+)?$"));
    return pattern.match(version).hasMatch();
}

bool StripeCheckoutSession::versionAtLeast(const QString &version, const QString &reference)
{
    // ISO dates compare as strings; the name after the dot only labels the major.
    return version.left(10) >= reference.left(10);
}

QStringList StripeCheckoutSession::uiModes(const QString &version)
{
    if (versionAtLeast(version, QString::fromLatin1(DahliaVersion)))
        return { QStringLiteral("hosted_page"), QStringLiteral("embedded_page"), QStringLiteral("elements") };
    return { QStringLiteral("hosted"), QStringLiteral("embedded"), QStringLiteral("custom") };
}

QString StripeCheckoutSession::newId(const QString &prefix, int length)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString id = prefix;
    id.reserve(prefix.size() + length);
    for (int i = 0; i < length; ++i)
        id.append(QLatin1Char(alphabet[QRandomGenerator::global()->bounded(62)]));
    return id;
}

Outcome StripeCheckoutSession::create(
    const QJsonObject &params, const QString &version, const QString &origin, qint64 now)
{
    static const QSet<QString> knownTop { QStringLiteral("mode"), QStringLiteral("ui_mode"),
        QStringLiteral("line_items"), QStringLiteral("success_url"), QStringLiteral("cancel_url"),
        QStringLiteral("return_url"), QStringLiteral("redirect_on_completion"), QStringLiteral("client_reference_id"),
        QStringLiteral("customer_email"), QStringLiteral("customer"), QStringLiteral("metadata"),
        QStringLiteral("expires_at"), QStringLiteral("shipping_address_collection"), QStringLiteral("shipping_options"),
        QStringLiteral("payment_intent_data"), QStringLiteral("automatic_tax"), QStringLiteral("expand"),
        QStringLiteral("locale"), QStringLiteral("payment_method_types"), QStringLiteral("submit_type"),
        QStringLiteral("billing_address_collection"), QStringLiteral("phone_number_collection"),
        QStringLiteral("allow_promotion_codes"), QStringLiteral("customer_creation"), QStringLiteral("custom_text"),
        QStringLiteral("consent_collection"), QStringLiteral("payment_method_options"),
        QStringLiteral("invoice_creation"), QStringLiteral("currency"), QStringLiteral("tax_id_collection"),
        QStringLiteral("after_expiration"), QStringLiteral("discounts") };
    if (auto error = checkKnown(params, QString(), knownTop))
        return *error;

    StripeCheckoutSession s;
    s.createdVersion = version;
    s.origin = origin;
    s.created = now;

    // mode
    const QString mode = text(params, QStringLiteral("mode"));
    if (mode.isEmpty())
        return StripeError::missing(QStringLiteral("mode"));
    if (mode != QLatin1String("payment") && mode != QLatin1String("setup") && mode != QLatin1String("subscription"))
        return StripeError::invalid(
            QStringLiteral("mode"), QStringLiteral("Invalid mode: must be one of payment, setup, or subscription"));
    if (mode != QLatin1String("payment"))
        return StripeError::invalid(
            QStringLiteral("mode"), QStringLiteral("The sandbox implements mode=payment only (got %1).").arg(mode));

    // ui_mode, by API version
    const QStringList modes = uiModes(version);
    s.uiMode = params.contains(QStringLiteral("ui_mode")) ? text(params, QStringLiteral("ui_mode")) : modes.first();
    if (!modes.contains(s.uiMode))
        return StripeError::invalid(QStringLiteral("ui_mode"),
            QStringLiteral("Invalid ui_mode: must be one of %1, %2, or %3").arg(modes.at(0), modes.at(1), modes.at(2)));

    // line_items
    const QJsonValue items = params.value(QStringLiteral("line_items"));
    if (items.isUndefined() || (items.isString() && items.toString().isEmpty()))
        return StripeError::missing(QStringLiteral("line_items"));
    if (!items.isArray())
        return StripeError::invalid(QStringLiteral("line_items"), QStringLiteral("Invalid array"));
    const QJsonArray itemArray = items.toArray();
    if (itemArray.size() > 100)
        return StripeError::invalid(
            QStringLiteral("line_items"), QStringLiteral("You may only specify up to 100 line items."));
    static const QSet<QString> knownItem { QStringLiteral("price"), QStringLiteral("price_data"),
        QStringLiteral("quantity"), QStringLiteral("adjustable_quantity"), QStringLiteral("tax_rates"),
        QStringLiteral("dynamic_tax_rates") };
    static const QSet<QString> knownPriceData { QStringLiteral("currency"), QStringLiteral("product_data"),
        QStringLiteral("product"), QStringLiteral("unit_amount"), QStringLiteral("unit_amount_decimal"),
        QStringLiteral("tax_behavior"), QStringLiteral("recurring") };
    static const QSet<QString> knownProductData { QStringLiteral("name"), QStringLiteral("description"),
        QStringLiteral("images"), QStringLiteral("metadata"), QStringLiteral("tax_code"),
        QStringLiteral("unit_label") };
    for (qsizetype i = 0; i < itemArray.size(); ++i) {
        const QString at = QStringLiteral("line_items[%1]").arg(i);
        if (!itemArray.at(i).isObject())
            return StripeError::invalid(at, QStringLiteral("Invalid object"));
        const QJsonObject item = itemArray.at(i).toObject();
        if (auto error = checkKnown(item, at, knownItem))
            return *error;
        if (item.contains(QStringLiteral("price")))
            return StripeError::noSuch(
                QStringLiteral("price"), text(item, QStringLiteral("price")), at + QStringLiteral("[price]"));
        if (!item.value(QStringLiteral("price_data")).isObject())
            return StripeError::missing(at + QStringLiteral("[price_data]"));
        const QJsonObject priceData = item.value(QStringLiteral("price_data")).toObject();
        const QString priceAt = at + QStringLiteral("[price_data]");
        if (auto error = checkKnown(priceData, priceAt, knownPriceData))
            return *error;
        if (priceData.contains(QStringLiteral("recurring")))
            return StripeError::invalid(priceAt + QStringLiteral("[recurring]"),
                QStringLiteral("You must be in subscription mode to use recurring prices."));
        QString currency = text(priceData, QStringLiteral("currency")).toLower();
        if (currency.isEmpty())
            return StripeError::missing(priceAt + QStringLiteral("[currency]"));
        static const QRegularExpression currencyPattern(QStringLiteral("^[a-z]{3}$"));
        if (!currencyPattern.match(currency).hasMatch())
            return StripeError::invalid(
                priceAt + QStringLiteral("[currency]"), QStringLiteral("Invalid currency: %1").arg(currency));
        if (!s.currency.isEmpty() && currency != s.currency)
            return StripeError::invalid(priceAt + QStringLiteral("[currency]"),
                QStringLiteral("All line items must use the same currency (%1).").arg(s.currency));
        s.currency = currency;
        if (priceData.contains(QStringLiteral("product")))
            return StripeError::noSuch(QStringLiteral("product"), text(priceData, QStringLiteral("product")),
                priceAt + QStringLiteral("[product]"));
        if (!priceData.value(QStringLiteral("product_data")).isObject())
            return StripeError::missing(priceAt + QStringLiteral("[product_data]"));
        const QJsonObject productData = priceData.value(QStringLiteral("product_data")).toObject();
        if (auto error = checkKnown(productData, priceAt + QStringLiteral("[product_data]"), knownProductData))
            return *error;
        LineItem line;
        line.name = text(productData, QStringLiteral("name"));
        if (line.name.isEmpty())
            return StripeError::missing(priceAt + QStringLiteral("[product_data][name]"));
        for (const QJsonValue &image : productData.value(QStringLiteral("images")).toArray())
            line.images.append(image.toString());
        if (line.images.size() > 8)
            return StripeError::invalid(priceAt + QStringLiteral("[product_data][images]"),
                QStringLiteral("You may only specify up to 8 images."));
        const QString unitAt = priceAt + QStringLiteral("[unit_amount]");
        if (!priceData.contains(QStringLiteral("unit_amount")))
            return StripeError::missing(unitAt);
        const auto unitAmount = integer(priceData.value(QStringLiteral("unit_amount")));
        if (!unitAmount)
            return StripeError::invalid(
                unitAt, QStringLiteral("Invalid integer: %1").arg(text(priceData, QStringLiteral("unit_amount"))));
        if (*unitAmount < 0 || *unitAmount > 99999999)
            return StripeError::invalid(unitAt, QStringLiteral("This value must be between 0 and 99999999."));
        line.unitAmount = *unitAmount;
        const QString quantityAt = at + QStringLiteral("[quantity]");
        if (!item.contains(QStringLiteral("quantity")))
            return StripeError::missing(quantityAt);
        const auto quantity = integer(item.value(QStringLiteral("quantity")));
        if (!quantity)
            return StripeError::invalid(
                quantityAt, QStringLiteral("Invalid integer: %1").arg(text(item, QStringLiteral("quantity"))));
        if (*quantity < 1 || *quantity > 999999)
            return StripeError::invalid(quantityAt, QStringLiteral("Quantity must be between 1 and 999999."));
        line.quantity = *quantity;
        line.id = newId(QStringLiteral("li_"));
        line.priceId = newId(QStringLiteral("price_"));
        line.productId = newId(QStringLiteral("prod_"), 14);
        s.lineItems.append(line);
    }
    if (s.lineItems.isEmpty())
        return StripeError::missing(QStringLiteral("line_items"));

    // URLs: hosted needs success_url; embedded/elements need return_url and refuse the others.
    s.successUrl = text(params, QStringLiteral("success_url"));
    s.cancelUrl = text(params, QStringLiteral("cancel_url"));
    s.returnUrl = text(params, QStringLiteral("return_url"));
    s.redirectOnCompletion = text(params, QStringLiteral("redirect_on_completion"));
    if (s.isHosted()) {
        if (!s.returnUrl.isEmpty())
            return StripeError::invalid(QStringLiteral("return_url"),
                QStringLiteral("`return_url` can only be used with `ui_mode=%1` or `%2`.")
                    .arg(modes.at(1), modes.at(2)));
        if (!s.redirectOnCompletion.isEmpty())
            return StripeError::invalid(QStringLiteral("redirect_on_completion"),
                QStringLiteral("`redirect_on_completion` can only be used with `ui_mode=%1` or `%2`.")
                    .arg(modes.at(1), modes.at(2)));
        if (s.successUrl.isEmpty())
            return StripeError::missing(QStringLiteral("success_url"));
    } else {
        for (const QString &name : { QStringLiteral("success_url"), QStringLiteral("cancel_url") }) {
            if (!text(params, name).isEmpty())
                return StripeError::invalid(
                    name, QStringLiteral("You cannot use `%1` with `ui_mode=%2`.").arg(name, s.uiMode));
        }
        if (s.redirectOnCompletion.isEmpty())
            s.redirectOnCompletion = QStringLiteral("always");
        if (s.redirectOnCompletion != QLatin1String("always") && s.redirectOnCompletion != QLatin1String("if_required")
            && s.redirectOnCompletion != QLatin1String("never"))
            return StripeError::invalid(QStringLiteral("redirect_on_completion"),
                QStringLiteral("Invalid redirect_on_completion: must be one of always, if_required, or never"));
        if (s.returnUrl.isEmpty() && s.redirectOnCompletion != QLatin1String("never"))
            return StripeError::missing(QStringLiteral("return_url"));
    }
    for (const auto &[name, value] : { std::pair { QStringLiteral("success_url"), s.successUrl },
             std::pair { QStringLiteral("cancel_url"), s.cancelUrl },
             std::pair { QStringLiteral("return_url"), s.returnUrl } }) {
        if (!value.isEmpty()) {
            if (auto error = checkUrl(value, name))
                return *error;
        }
    }

    // References and metadata
    s.clientReferenceId = text(params, QStringLiteral("client_reference_id"));
    if (s.clientReferenceId.size() > 200)
        return StripeError::invalid(QStringLiteral("client_reference_id"),
            QStringLiteral("Invalid string: %1...; must be at most 200 characters").arg(s.clientReferenceId.left(20)));
    s.customerEmail = text(params, QStringLiteral("customer_email"));
    static const QRegularExpression emailPattern(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"));
    if (!s.customerEmail.isEmpty() && !emailPattern.match(s.customerEmail).hasMatch())
        return StripeError::invalid(QStringLiteral("customer_email"),
            QStringLiteral("Invalid email address: %1").arg(s.customerEmail), QStringLiteral("email_invalid"));
    if (params.contains(QStringLiteral("customer")))
        return StripeError::noSuch(
            QStringLiteral("customer"), text(params, QStringLiteral("customer")), QStringLiteral("customer"));
    if (auto error = checkMetadata(params.value(QStringLiteral("metadata")), QStringLiteral("metadata")))
        return *error;
    s.metadata = metadataOf(params.value(QStringLiteral("metadata")));
    if (auto error = checkHash(params, QStringLiteral("payment_intent_data"), QStringLiteral("payment_intent_data")))
        return *error;
    const QJsonObject intentData = params.value(QStringLiteral("payment_intent_data")).toObject();
    static const QSet<QString> knownIntentData { QStringLiteral("metadata"), QStringLiteral("description"),
        QStringLiteral("capture_method"), QStringLiteral("receipt_email"), QStringLiteral("statement_descriptor"),
        QStringLiteral("statement_descriptor_suffix"), QStringLiteral("setup_future_usage"),
        QStringLiteral("shipping") };
    if (auto error = checkKnown(intentData, QStringLiteral("payment_intent_data"), knownIntentData))
        return *error;
    if (auto error
        = checkMetadata(intentData.value(QStringLiteral("metadata")), QStringLiteral("payment_intent_data[metadata]")))
        return *error;
    s.paymentIntentMetadata = metadataOf(intentData.value(QStringLiteral("metadata")));

    // automatic_tax needs Stripe Tax, which the sandbox account has not activated (EXTERNAL_APIS.md 2.2).
    if (auto error = checkHash(params, QStringLiteral("automatic_tax"), QStringLiteral("automatic_tax")))
        return *error;
    if (params.value(QStringLiteral("automatic_tax")).toObject().value(QStringLiteral("enabled")).toString()
        == QLatin1String("true"))
        return StripeError::invalid(QStringLiteral("automatic_tax[enabled]"),
            QStringLiteral("Stripe Tax has not been activated on your account. Please visit "
                           "https://dashboard.stripe.com/settings/tax/activate to get started."));

    // expires_at: 30 minutes to 24 hours from now (a minute of slack for the client's clock and the trip).
    s.expiresAt = now + 24 * 3600;
    if (params.contains(QStringLiteral("expires_at"))) {
        const auto expires = integer(params.value(QStringLiteral("expires_at")));
        if (!expires)
            return StripeError::invalid(QStringLiteral("expires_at"),
                QStringLiteral("Invalid integer: %1").arg(text(params, QStringLiteral("expires_at"))));
        if (*expires < now + 30 * 60 - 60)
            return StripeError::invalid(QStringLiteral("expires_at"),
                QStringLiteral("The `expires_at` timestamp must be at least 30 minutes from "
                               "Checkout Session creation."));
        if (*expires > now + 24 * 3600 + 60)
            return StripeError::invalid(QStringLiteral("expires_at"),
                QStringLiteral("The `expires_at` timestamp must be less than 24 hours from "
                               "Checkout Session creation."));
        s.expiresAt = *expires;
    }

    // Shipping address collection
    if (params.contains(QStringLiteral("shipping_address_collection"))) {
        if (auto error = checkHash(
                params, QStringLiteral("shipping_address_collection"), QStringLiteral("shipping_address_collection")))
            return *error;
        const QJsonObject collection = params.value(QStringLiteral("shipping_address_collection")).toObject();
        if (auto error = checkKnown(
                collection, QStringLiteral("shipping_address_collection"), { QStringLiteral("allowed_countries") }))
            return *error;
        const QJsonValue countries = collection.value(QStringLiteral("allowed_countries"));
        if (!countries.isArray() || countries.toArray().isEmpty())
            return StripeError::missing(QStringLiteral("shipping_address_collection[allowed_countries]"));
        static const QRegularExpression countryPattern(QStringLiteral("^[A-Z]{2}$"));
        const QJsonArray list = countries.toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString country = list.at(i).toString();
            if (!countryPattern.match(country).hasMatch())
                return StripeError::invalid(QStringLiteral("shipping_address_collection[allowed_countries][%1]").arg(i),
                    QStringLiteral("Invalid shipping_address_collection[allowed_countries][%1]: must be a two-letter "
                                   "country code (got %2)")
                        .arg(i)
                        .arg(country));
            s.allowedCountries.append(country);
        }
        s.collectShipping = true;
    }

    // Shipping options (inline shipping_rate_data only)
    if (params.contains(QStringLiteral("shipping_options"))) {
        const QJsonValue options = params.value(QStringLiteral("shipping_options"));
        if (!options.isArray())
            return StripeError::invalid(QStringLiteral("shipping_options"), QStringLiteral("Invalid array"));
        const QJsonArray list = options.toArray();
        if (list.size() > 5)
            return StripeError::invalid(
                QStringLiteral("shipping_options"), QStringLiteral("You may only specify up to 5 shipping options."));
        static const QSet<QString> knownRateData { QStringLiteral("display_name"), QStringLiteral("type"),
            QStringLiteral("fixed_amount"), QStringLiteral("delivery_estimate"), QStringLiteral("metadata"),
            QStringLiteral("tax_behavior"), QStringLiteral("tax_code") };
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString at = QStringLiteral("shipping_options[%1]").arg(i);
            const QJsonObject option = list.at(i).toObject();
            if (auto error
                = checkKnown(option, at, { QStringLiteral("shipping_rate"), QStringLiteral("shipping_rate_data") }))
                return *error;
            if (option.contains(QStringLiteral("shipping_rate")))
                return StripeError::noSuch(QStringLiteral("shipping_rate"),
                    text(option, QStringLiteral("shipping_rate")), at + QStringLiteral("[shipping_rate]"));
            if (!option.value(QStringLiteral("shipping_rate_data")).isObject())
                return StripeError::missing(at + QStringLiteral("[shipping_rate_data]"));
            const QString dataAt = at + QStringLiteral("[shipping_rate_data]");
            const QJsonObject data = option.value(QStringLiteral("shipping_rate_data")).toObject();
            if (auto error = checkKnown(data, dataAt, knownRateData))
                return *error;
            ShippingOption rate;
            rate.displayName = text(data, QStringLiteral("display_name"));
            if (rate.displayName.isEmpty())
                return StripeError::missing(dataAt + QStringLiteral("[display_name]"));
            if (data.contains(QStringLiteral("type")))
                rate.type = text(data, QStringLiteral("type"));
            if (rate.type != QLatin1String("fixed_amount"))
                return StripeError::invalid(
                    dataAt + QStringLiteral("[type]"), QStringLiteral("Invalid type: must be fixed_amount"));
            const QJsonObject fixed = data.value(QStringLiteral("fixed_amount")).toObject();
            if (!data.value(QStringLiteral("fixed_amount")).isObject())
                return StripeError::missing(dataAt + QStringLiteral("[fixed_amount]"));
            if (!fixed.contains(QStringLiteral("amount")))
                return StripeError::missing(dataAt + QStringLiteral("[fixed_amount][amount]"));
            const auto amount = integer(fixed.value(QStringLiteral("amount")));
            if (!amount || *amount < 0)
                return StripeError::invalid(dataAt + QStringLiteral("[fixed_amount][amount]"),
                    QStringLiteral("Invalid non-negative integer: %1").arg(text(fixed, QStringLiteral("amount"))));
            rate.amount = *amount;
            rate.currency = text(fixed, QStringLiteral("currency")).toLower();
            if (rate.currency.isEmpty())
                return StripeError::missing(dataAt + QStringLiteral("[fixed_amount][currency]"));
            if (rate.currency != s.currency)
                return StripeError::invalid(dataAt + QStringLiteral("[fixed_amount][currency]"),
                    QStringLiteral("The shipping rate's currency (%1) must match the currency "
                                   "of the Checkout Session (%2).")
                        .arg(rate.currency, s.currency));
            if (data.contains(QStringLiteral("delivery_estimate"))) {
                const QJsonObject estimate = data.value(QStringLiteral("delivery_estimate")).toObject();
                QJsonObject rendered;
                for (const QString &bound : { QStringLiteral("minimum"), QStringLiteral("maximum") }) {
                    if (!estimate.contains(bound)) {
                        rendered.insert(bound, QJsonValue::Null);
                        continue;
                    }
                    const QJsonObject b = estimate.value(bound).toObject();
                    const QString unit = text(b, QStringLiteral("unit"));
                    static const QStringList units { QStringLiteral("hour"), QStringLiteral("day"),
                        QStringLiteral("business_day"), QStringLiteral("week"), QStringLiteral("month") };
                    const auto value = integer(b.value(QStringLiteral("value")));
                    const QString boundAt = dataAt + QStringLiteral("[delivery_estimate][") + bound + QLatin1Char(']');
                    if (!units.contains(unit))
                        return StripeError::invalid(boundAt + QStringLiteral("[unit]"),
                            QStringLiteral("Invalid unit: must be one of %1").arg(units.join(QStringLiteral(", "))));
                    if (!value || *value <= 0)
                        return StripeError::invalid(
                            boundAt + QStringLiteral("[value]"), QStringLiteral("Invalid positive integer"));
                    rendered.insert(
                        bound, QJsonObject { { QStringLiteral("unit"), unit }, { QStringLiteral("value"), *value } });
                }
                rate.deliveryEstimate = rendered;
            }
            if (auto error
                = checkMetadata(data.value(QStringLiteral("metadata")), dataAt + QStringLiteral("[metadata]")))
                return *error;
            rate.metadata = metadataOf(data.value(QStringLiteral("metadata")));
            rate.rateId = newId(QStringLiteral("shr_"));
            s.shippingOptions.append(rate);
        }
        if (!s.shippingOptions.isEmpty())
            s.selectedShipping = 0;
    }

    s.id = newId(QStringLiteral("cs_test_a1"), 56);
    if (!s.isHosted())
        s.clientSecret = s.id + QStringLiteral("_secret_") + newId(QString(), 24);
    return s;
}

qint64 StripeCheckoutSession::amountSubtotal() const
{
    qint64 sum = 0;
    for (const LineItem &line : lineItems)
        sum += line.unitAmount * line.quantity;
    return sum;
}

qint64 StripeCheckoutSession::amountShipping() const
{
    return selectedShipping >= 0 && selectedShipping < shippingOptions.size()
        ? shippingOptions.at(selectedShipping).amount
        : 0;
}

qint64 StripeCheckoutSession::amountTotal() const
{
    return amountTotalOverride.value_or(amountSubtotal() + amountShipping());
}

QString StripeCheckoutSession::reportedCurrency() const
{
    return currencyOverride.isEmpty() ? currency : currencyOverride;
}

bool StripeCheckoutSession::isHosted() const
{
    return uiMode == QLatin1String("hosted") || uiMode == QLatin1String("hosted_page");
}

QString StripeCheckoutSession::redirectUrl() const
{
    QString url = isHosted() ? successUrl : returnUrl;
    return url.replace(QStringLiteral("{CHECKOUT_SESSION_ID}"), id);
}

QJsonObject StripeCheckoutSession::toJson(const QString &version) const
{
    const auto orNull = [](const QString &s) { return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s); };
    const bool complete = status == QLatin1String("complete");

    QJsonValue customerDetails;
    QJsonValue shippingDetails;
    if (customer) {
        customerDetails = QJsonObject { { QStringLiteral("email"), orNull(customer->email) },
            { QStringLiteral("name"), orNull(customer->name) }, { QStringLiteral("phone"), orNull(customer->phone) },
            { QStringLiteral("address"), customer->addressJson() },
            { QStringLiteral("business_name"), QJsonValue::Null },
            { QStringLiteral("individual_name"), QJsonValue::Null },
            { QStringLiteral("tax_exempt"), QStringLiteral("none") }, { QStringLiteral("tax_ids"), QJsonArray() } };
        if (collectShipping)
            shippingDetails = QJsonObject { { QStringLiteral("name"), orNull(customer->name) },
                { QStringLiteral("address"), customer->addressJson() } };
    }

    QJsonArray options;
    for (const ShippingOption &option : shippingOptions)
        options.append(QJsonObject {
            { QStringLiteral("shipping_amount"), option.amount }, { QStringLiteral("shipping_rate"), option.rateId } });
    QJsonValue shippingCost;
    if (selectedShipping >= 0 && selectedShipping < shippingOptions.size()) {
        const qint64 amount = shippingOptions.at(selectedShipping).amount;
        shippingCost = QJsonObject { { QStringLiteral("amount_subtotal"), amount }, { QStringLiteral("amount_tax"), 0 },
            { QStringLiteral("amount_total"), amount },
            { QStringLiteral("shipping_rate"), shippingOptions.at(selectedShipping).rateId } };
    }

    QJsonObject object {
        { QStringLiteral("id"), id },
        { QStringLiteral("object"), QStringLiteral("checkout.session") },
        { QStringLiteral("after_expiration"), QJsonValue::Null },
        { QStringLiteral("allow_promotion_codes"), QJsonValue::Null },
        { QStringLiteral("amount_subtotal"), amountSubtotal() },
        { QStringLiteral("amount_total"), amountTotal() },
        { QStringLiteral("automatic_tax"),
            QJsonObject { { QStringLiteral("enabled"), false }, { QStringLiteral("liability"), QJsonValue::Null },
                { QStringLiteral("status"), QJsonValue::Null } } },
        { QStringLiteral("billing_address_collection"), QJsonValue::Null },
        { QStringLiteral("cancel_url"), orNull(cancelUrl) },
        { QStringLiteral("client_reference_id"), orNull(clientReferenceId) },
        { QStringLiteral("client_secret"), orNull(clientSecret) },
        { QStringLiteral("created"), created },
        { QStringLiteral("currency"), reportedCurrency() },
        { QStringLiteral("custom_fields"), QJsonArray() },
        { QStringLiteral("customer"), QJsonValue::Null },
        { QStringLiteral("customer_creation"), QStringLiteral("if_required") },
        { QStringLiteral("customer_details"), customerDetails },
        { QStringLiteral("customer_email"), orNull(customerEmail) },
        { QStringLiteral("expires_at"), expiresAt },
        { QStringLiteral("invoice"), QJsonValue::Null },
        { QStringLiteral("livemode"), false },
        { QStringLiteral("locale"), QJsonValue::Null },
        { QStringLiteral("metadata"), metadata },
        { QStringLiteral("mode"), mode },
        { QStringLiteral("payment_intent"), orNull(paymentIntentId) },
        { QStringLiteral("payment_link"), QJsonValue::Null },
        { QStringLiteral("payment_method_collection"), QStringLiteral("if_required") },
        { QStringLiteral("payment_method_types"), QJsonArray { QStringLiteral("card") } },
        { QStringLiteral("payment_status"), paymentStatus },
        { QStringLiteral("phone_number_collection"), QJsonObject { { QStringLiteral("enabled"), false } } },
        { QStringLiteral("recovered_from"), QJsonValue::Null },
        { QStringLiteral("setup_intent"), QJsonValue::Null },
        { QStringLiteral("shipping_address_collection"),
            collectShipping ? QJsonValue(
                QJsonObject { { QStringLiteral("allowed_countries"), QJsonArray::fromStringList(allowedCountries) } })
                            : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("shipping_cost"), shippingCost },
        { QStringLiteral("shipping_options"), options },
        { QStringLiteral("status"), status },
        { QStringLiteral("submit_type"), QJsonValue::Null },
        { QStringLiteral("subscription"), QJsonValue::Null },
        { QStringLiteral("success_url"), orNull(successUrl) },
        { QStringLiteral("total_details"),
            QJsonObject { { QStringLiteral("amount_discount"), 0 },
                { QStringLiteral("amount_shipping"), amountShipping() }, { QStringLiteral("amount_tax"), 0 } } },
        { QStringLiteral("ui_mode"), uiMode },
        { QStringLiteral("url"),
            isHosted() && isOpen() ? QJsonValue(origin + QStringLiteral("/c/pay/") + id)
                                   : QJsonValue(QJsonValue::Null) },
    };
    if (!isHosted()) {
        object.insert(QStringLiteral("return_url"), orNull(returnUrl));
        object.insert(QStringLiteral("redirect_on_completion"), redirectOnCompletion);
    }
    // Where the shipping address sits depends on the version (EXTERNAL_APIS.md 2.3): acacia has both places.
    if (!versionAtLeast(version, QString::fromLatin1(BasilVersion)))
        object.insert(QStringLiteral("shipping_details"), shippingDetails);
    if (versionAtLeast(version, QString::fromLatin1(AcaciaVersion))) {
        object.insert(QStringLiteral("collected_information"),
            complete ? QJsonValue(QJsonObject { { QStringLiteral("shipping_details"), shippingDetails } })
                     : QJsonValue(QJsonValue::Null));
    }
    return object;
}

QJsonObject StripeCheckoutSession::lineItemsJson(int limit) const
{
    QJsonArray data;
    for (qsizetype i = 0; i < lineItems.size() && i < limit; ++i) {
        const LineItem &line = lineItems.at(i);
        const QJsonObject price { { QStringLiteral("id"), line.priceId },
            { QStringLiteral("object"), QStringLiteral("price") }, { QStringLiteral("active"), false },
            { QStringLiteral("billing_scheme"), QStringLiteral("per_unit") }, { QStringLiteral("created"), created },
            { QStringLiteral("currency"), currency }, { QStringLiteral("livemode"), false },
            { QStringLiteral("lookup_key"), QJsonValue::Null }, { QStringLiteral("metadata"), QJsonObject() },
            { QStringLiteral("nickname"), QJsonValue::Null }, { QStringLiteral("product"), line.productId },
            { QStringLiteral("recurring"), QJsonValue::Null },
            { QStringLiteral("tax_behavior"), QStringLiteral("unspecified") },
            { QStringLiteral("type"), QStringLiteral("one_time") }, { QStringLiteral("unit_amount"), line.unitAmount },
            { QStringLiteral("unit_amount_decimal"), QString::number(line.unitAmount) } };
        const qint64 amount = line.unitAmount * line.quantity;
        data.append(
            QJsonObject { { QStringLiteral("id"), line.id }, { QStringLiteral("object"), QStringLiteral("item") },
                { QStringLiteral("amount_discount"), 0 }, { QStringLiteral("amount_subtotal"), amount },
                { QStringLiteral("amount_tax"), 0 }, { QStringLiteral("amount_total"), amount },
                { QStringLiteral("currency"), currency }, { QStringLiteral("description"), line.name },
                { QStringLiteral("price"), price }, { QStringLiteral("quantity"), line.quantity } });
    }
    return QJsonObject { { QStringLiteral("object"), QStringLiteral("list") }, { QStringLiteral("data"), data },
        { QStringLiteral("has_more"), lineItems.size() > limit },
        { QStringLiteral("url"), QStringLiteral("/v1/checkout/sessions/%1/line_items").arg(id) } };
}

QJsonObject StripeCheckoutSession::shippingRateJson(int index) const
{
    const ShippingOption &option = shippingOptions.at(index);
    return QJsonObject { { QStringLiteral("id"), option.rateId },
        { QStringLiteral("object"), QStringLiteral("shipping_rate") }, { QStringLiteral("active"), true },
        { QStringLiteral("created"), created },
        { QStringLiteral("delivery_estimate"),
            option.deliveryEstimate.isUndefined() ? QJsonValue(QJsonValue::Null) : option.deliveryEstimate },
        { QStringLiteral("display_name"), option.displayName },
        { QStringLiteral("fixed_amount"),
            QJsonObject {
                { QStringLiteral("amount"), option.amount }, { QStringLiteral("currency"), option.currency } } },
        { QStringLiteral("livemode"), false }, { QStringLiteral("metadata"), option.metadata },
        { QStringLiteral("tax_behavior"), QStringLiteral("unspecified") },
        { QStringLiteral("tax_code"), QJsonValue::Null }, { QStringLiteral("type"), option.type } };
}

QJsonValue StripeCheckoutSession::paymentIntentJson() const
{
    if (paymentIntentId.isEmpty())
        return QJsonValue::Null;
    const bool paid = paymentIntentStatus == QLatin1String("succeeded");
    return QJsonObject { { QStringLiteral("id"), paymentIntentId },
        { QStringLiteral("object"), QStringLiteral("payment_intent") }, { QStringLiteral("amount"), amountTotal() },
        { QStringLiteral("amount_received"), paid ? amountTotal() : 0 },
        { QStringLiteral("capture_method"), QStringLiteral("automatic_async") }, { QStringLiteral("created"), created },
        { QStringLiteral("currency"), reportedCurrency() },
        { QStringLiteral("latest_charge"), chargeId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(chargeId) },
        { QStringLiteral("livemode"), false }, { QStringLiteral("metadata"), paymentIntentMetadata },
        { QStringLiteral("payment_method_types"), QJsonArray { QStringLiteral("card") } },
        { QStringLiteral("status"), paymentIntentStatus } };
}

} // namespace CalStudio
