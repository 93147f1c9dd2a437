#include "app/sandbox/printifyfakecatalog.h"

#include <algorithm>

namespace CalStudio {

namespace {

QList<PrintifyPlaceholder> placeholders(const QStringList &positions, int width, int height)
{
    QList<PrintifyPlaceholder> list;
    for (const QString &position : positions)
        list.append({ position, width, height });
    return list;
}

PrintifyBlueprint todaysGraphicsCalendar()
{
    const QStringList positions { QStringLiteral("front_cover"), QStringLiteral("january"), QStringLiteral("february"),
        QStringLiteral("march"), QStringLiteral("april"), QStringLiteral("may"), QStringLiteral("june"),
        QStringLiteral("july"), QStringLiteral("august"), QStringLiteral("september"), QStringLiteral("october"),
        QStringLiteral("november"), QStringLiteral("december") };
    PrintifyVariant variant;
    variant.id = 94860;
    variant.title = QStringLiteral("10.8\" x 8.4\"");
    variant.options = QJsonObject { { QStringLiteral("size"), QStringLiteral("10.8\" x 8.4\"") } };
    variant.placeholders = placeholders(positions, 3454, 2725);
    variant.cost = 1109;
    variant.grams = 340;
    variant.optionValueId = 2114;

    PrintifyProvider provider;
    provider.id = 234;
    provider.title = QStringLiteral("Today's Graphics");
    provider.location = QJsonObject { { QStringLiteral("address1"), QStringLiteral("2200 Sandbox Ave") },
        { QStringLiteral("address2"), QString() }, { QStringLiteral("city"), QStringLiteral("Philadelphia") },
        { QStringLiteral("country"), QStringLiteral("US") }, { QStringLiteral("region"), QStringLiteral("PA") },
        { QStringLiteral("zip"), QStringLiteral("19134") } };
    provider.handlingDays = 4;
    provider.variants = { variant };
    provider.shipping = {
        { { QStringLiteral("US") }, { 499, 199 }, PrintifyShippingCost { 1599, 599 }, PrintifyShippingCost { 799, 299 },
            PrintifyShippingCost { 399, 199 } },
        { { QStringLiteral("CA") }, { 999, 399 }, PrintifyShippingCost { 2499, 999 }, std::nullopt, std::nullopt },
        { { QStringLiteral("REST_OF_THE_WORLD") }, { 1499, 599 }, PrintifyShippingCost { 3499, 1299 }, std::nullopt,
            std::nullopt },
    };

    PrintifyBlueprint blueprint;
    blueprint.id = 1253;
    blueprint.title = QStringLiteral("Calendar (2027)");
    blueprint.description = QStringLiteral("A 13-page wall calendar for 2027: 10.8\" x 8.4\", 270 gsm semi-gloss "
                                           "paper, wire binding. A front cover and one page per month.");
    blueprint.brand = QStringLiteral("Generic brand");
    blueprint.model = QStringLiteral("Wall Calendar 2027");
    blueprint.images = { QStringLiteral("https://images.printify.com/sandbox/blueprints/1253/front.png"),
        QStringLiteral("https://images.printify.com/sandbox/blueprints/1253/open.png") };
    blueprint.tags = { QStringLiteral("Home & Living"), QStringLiteral("Calendars"), QStringLiteral("Paper") };
    blueprint.providers = { provider };
    return blueprint;
}

PrintifyBlueprint standardWallCalendar()
{
    const QStringList positions { QStringLiteral("cover"), QStringLiteral("jan"), QStringLiteral("feb"),
        QStringLiteral("mar"), QStringLiteral("apr"), QStringLiteral("may"), QStringLiteral("jun"),
        QStringLiteral("jul"), QStringLiteral("aug"), QStringLiteral("sep"), QStringLiteral("oct"),
        QStringLiteral("nov"), QStringLiteral("dec") };
    PrintifyVariant letter;
    letter.id = 103102;
    letter.title = QStringLiteral("11\" x 8.5\" / Letter");
    letter.options = QJsonObject { { QStringLiteral("size"), QStringLiteral("11\" x 8.5\"") } };
    letter.placeholders = placeholders(positions, 3375, 2625);
    letter.cost = 1350;
    letter.grams = 380;
    letter.optionValueId = 3402;
    PrintifyVariant a4;
    a4.id = 103103;
    a4.title = QStringLiteral("A4");
    a4.options = QJsonObject { { QStringLiteral("size"), QStringLiteral("A4") } };
    a4.placeholders = placeholders(positions, 3579, 2551);
    a4.cost = 1420;
    a4.grams = 390;
    a4.optionValueId = 3403;

    PrintifyProvider provider;
    provider.id = 99;
    provider.title = QStringLiteral("Calendar Prints UK");
    provider.location = QJsonObject { { QStringLiteral("address1"), QStringLiteral("12 Sandbox Lane") },
        { QStringLiteral("address2"), QString() }, { QStringLiteral("city"), QStringLiteral("Stoke-on-Trent") },
        { QStringLiteral("country"), QStringLiteral("GB") }, { QStringLiteral("region"), QString() },
        { QStringLiteral("zip"), QStringLiteral("ST1 1AA") } };
    provider.handlingDays = 3;
    provider.variants = { letter, a4 };
    const QStringList europe { QStringLiteral("AT"), QStringLiteral("BE"), QStringLiteral("DE"), QStringLiteral("DK"),
        QStringLiteral("ES"), QStringLiteral("FI"), QStringLiteral("FR"), QStringLiteral("IE"), QStringLiteral("IT"),
        QStringLiteral("LU"), QStringLiteral("NL"), QStringLiteral("PL"), QStringLiteral("PT"), QStringLiteral("SE") };
    provider.shipping = {
        { { QStringLiteral("GB") }, { 349, 149 }, PrintifyShippingCost { 899, 299 }, std::nullopt, std::nullopt },
        { europe, { 699, 249 }, PrintifyShippingCost { 1699, 499 }, std::nullopt, std::nullopt },
        { { QStringLiteral("US") }, { 899, 299 }, PrintifyShippingCost { 2199, 699 }, std::nullopt, std::nullopt },
        { { QStringLiteral("REST_OF_THE_WORLD") }, { 1199, 399 }, std::nullopt, std::nullopt, std::nullopt },
    };

    PrintifyBlueprint blueprint;
    blueprint.id = 965;
    blueprint.title = QStringLiteral("Standard Wall Calendar (2027)");
    blueprint.description = QStringLiteral("A wall calendar for 2027 printed in the UK: a cover and twelve month "
                                           "pages with a printed grid border that cannot be removed.");
    blueprint.brand = QStringLiteral("Generic brand");
    blueprint.model = QStringLiteral("Standard Wall Calendar 2027");
    blueprint.images = { QStringLiteral("https://images.printify.com/sandbox/blueprints/965/front.png") };
    blueprint.tags = { QStringLiteral("Home & Living"), QStringLiteral("Calendars") };
    blueprint.providers = { provider };
    return blueprint;
}

QJsonObject costJson(qint64 cents)
{
    return QJsonObject { { QStringLiteral("cost"), cents }, { QStringLiteral("currency"), QStringLiteral("USD") } };
}

} // namespace

QStringList PrintifyVariant::positions() const
{
    QStringList list;
    for (const PrintifyPlaceholder &p : placeholders)
        list.append(p.position);
    return list;
}

const PrintifyPlaceholder *PrintifyVariant::placeholder(const QString &position) const
{
    for (const PrintifyPlaceholder &p : placeholders) {
        if (p.position == position)
            return &p;
    }
    return nullptr;
}

const PrintifyShippingProfile *PrintifyProvider::profileFor(const QString &country) const
{
    const PrintifyShippingProfile *rest = nullptr;
    for (const PrintifyShippingProfile &profile : shipping) {
        if (profile.countries.contains(country))
            return &profile;
        if (profile.countries.contains(QLatin1String("REST_OF_THE_WORLD")))
            rest = &profile;
    }
    return rest;
}

PrintifyFakeCatalog::PrintifyFakeCatalog()
    : m_blueprints { todaysGraphicsCalendar(), standardWallCalendar() }
{
}

const PrintifyBlueprint *PrintifyFakeCatalog::blueprint(int id) const
{
    for (const PrintifyBlueprint &b : m_blueprints) {
        if (b.id == id)
            return &b;
    }
    return nullptr;
}

const PrintifyProvider *PrintifyFakeCatalog::provider(int blueprintId, int providerId) const
{
    const PrintifyBlueprint *b = blueprint(blueprintId);
    if (!b)
        return nullptr;
    for (const PrintifyProvider &p : b->providers) {
        if (p.id == providerId)
            return &p;
    }
    return nullptr;
}

const PrintifyProvider *PrintifyFakeCatalog::anyProvider(int providerId) const
{
    for (const PrintifyBlueprint &b : m_blueprints) {
        for (const PrintifyProvider &p : b.providers) {
            if (p.id == providerId)
                return &p;
        }
    }
    return nullptr;
}

const PrintifyVariant *PrintifyFakeCatalog::variant(int blueprintId, int providerId, int variantId) const
{
    const PrintifyProvider *p = provider(blueprintId, providerId);
    if (!p || m_retired.contains(variantId))
        return nullptr;
    for (const PrintifyVariant &v : p->variants) {
        if (v.id == variantId)
            return &v;
    }
    return nullptr;
}

QList<const PrintifyVariant *> PrintifyFakeCatalog::variants(int blueprintId, int providerId) const
{
    QList<const PrintifyVariant *> list;
    if (const PrintifyProvider *p = provider(blueprintId, providerId)) {
        for (const PrintifyVariant &v : p->variants) {
            if (!m_retired.contains(v.id))
                list.append(&v);
        }
    }
    return list;
}

bool PrintifyFakeCatalog::exists(int variantId) const
{
    for (const PrintifyBlueprint &b : m_blueprints) {
        for (const PrintifyProvider &p : b.providers) {
            for (const PrintifyVariant &v : p.variants) {
                if (v.id == variantId)
                    return true;
            }
        }
    }
    return false;
}

bool PrintifyFakeCatalog::retire(int variantId)
{
    if (!exists(variantId))
        return false;
    m_retired.insert(variantId);
    return true;
}

bool PrintifyFakeCatalog::restore(int variantId)
{
    if (!exists(variantId))
        return false;
    m_retired.remove(variantId);
    return true;
}

QList<int> PrintifyFakeCatalog::retired() const
{
    QList<int> list(m_retired.cbegin(), m_retired.cend());
    std::sort(list.begin(), list.end());
    return list;
}

QJsonObject PrintifyFakeCatalog::blueprintJson(const PrintifyBlueprint &blueprint)
{
    return QJsonObject { { QStringLiteral("id"), blueprint.id }, { QStringLiteral("title"), blueprint.title },
        { QStringLiteral("description"), blueprint.description }, { QStringLiteral("brand"), blueprint.brand },
        { QStringLiteral("model"), blueprint.model },
        { QStringLiteral("images"), QJsonArray::fromStringList(blueprint.images) } };
}

QJsonObject PrintifyFakeCatalog::providerJson(const PrintifyProvider &provider, bool withLocation)
{
    QJsonObject object { { QStringLiteral("id"), provider.id }, { QStringLiteral("title"), provider.title } };
    if (withLocation)
        object.insert(QStringLiteral("location"), provider.location);
    return object;
}

QJsonObject PrintifyFakeCatalog::variantsJson(const PrintifyBlueprint &blueprint, const PrintifyProvider &provider) const
{
    QJsonArray list;
    for (const PrintifyVariant *v : variants(blueprint.id, provider.id)) {
        QJsonArray placeholders;
        for (const PrintifyPlaceholder &p : v->placeholders)
            placeholders.append(QJsonObject { { QStringLiteral("position"), p.position },
                { QStringLiteral("width"), p.width }, { QStringLiteral("height"), p.height } });
        list.append(QJsonObject { { QStringLiteral("id"), v->id }, { QStringLiteral("title"), v->title },
            { QStringLiteral("options"), v->options }, { QStringLiteral("placeholders"), placeholders } });
    }
    return QJsonObject { { QStringLiteral("id"), provider.id }, { QStringLiteral("title"), provider.title },
        { QStringLiteral("variants"), list } };
}

QJsonObject PrintifyFakeCatalog::shippingJson(const PrintifyProvider &provider) const
{
    QJsonArray variantIds;
    for (const PrintifyVariant &v : provider.variants) {
        if (!m_retired.contains(v.id))
            variantIds.append(v.id);
    }
    QJsonArray profiles;
    for (const PrintifyShippingProfile &profile : provider.shipping)
        profiles.append(QJsonObject { { QStringLiteral("variant_ids"), variantIds },
            { QStringLiteral("first_item"), costJson(profile.standard.firstItem) },
            { QStringLiteral("additional_items"), costJson(profile.standard.additionalItems) },
            { QStringLiteral("countries"), QJsonArray::fromStringList(profile.countries) } });
    return QJsonObject { { QStringLiteral("handling_time"),
                             QJsonObject { { QStringLiteral("value"), provider.handlingDays },
                                 { QStringLiteral("unit"), QStringLiteral("day") } } },
        { QStringLiteral("profiles"), profiles } };
}

QJsonArray PrintifyFakeCatalog::shippingMethodsJson(const PrintifyProvider &provider)
{
    bool priority = false;
    bool express = false;
    bool economy = false;
    for (const PrintifyShippingProfile &profile : provider.shipping) {
        priority = priority || profile.express.has_value();
        express = express || profile.printifyExpress.has_value();
        economy = economy || profile.economy.has_value();
    }
    const auto method = [](const char *id, const char *name) {
        return QJsonObject { { QStringLiteral("type"), QStringLiteral("shipping_method") },
            { QStringLiteral("id"), QLatin1String(id) },
            { QStringLiteral("attributes"), QJsonObject { { QStringLiteral("name"), QLatin1String(name) } } } };
    };
    QJsonArray list { method("1", "standard") };
    if (priority)
        list.append(method("2", "priority"));
    if (express)
        list.append(method("3", "express"));
    if (economy)
        list.append(method("4", "economy"));
    return list;
}

} // namespace CalStudio
