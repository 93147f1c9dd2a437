#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace CalStudio {

/// One print area of a variant: the pixels Printify wants at its print resolution.
struct PrintifyPlaceholder {
    QString position;
    int width = 0;
    int height = 0;
};

/// One product variant a print provider offers for a blueprint (EXTERNAL_APIS.md 1.5).
struct PrintifyVariant {
    int id = 0;
    QString title;
    QJsonObject options; ///< e.g. {"size":"10.8\" x 8.4\""}
    QList<PrintifyPlaceholder> placeholders;
    qint64 cost = 0; ///< USD cents
    int grams = 0;
    int optionValueId = 0; ///< the id of its value in a product's `options[0].values`

    [[nodiscard]] QStringList positions() const;
    [[nodiscard]] const PrintifyPlaceholder *placeholder(const QString &position) const;
};

/// Shipping costs of one method in one profile: the first item and every further one.
struct PrintifyShippingCost {
    qint64 firstItem = 0;
    qint64 additionalItems = 0;
};

/// A provider's shipping costs for a set of countries (`REST_OF_THE_WORLD` = every other one).
struct PrintifyShippingProfile {
    QStringList countries;
    PrintifyShippingCost standard;
    std::optional<PrintifyShippingCost> express; ///< also answered as `priority`
    std::optional<PrintifyShippingCost> printifyExpress;
    std::optional<PrintifyShippingCost> economy;
};

struct PrintifyProvider {
    int id = 0;
    QString title;
    QJsonObject location;
    int handlingDays = 0;
    QList<PrintifyVariant> variants;
    QList<PrintifyShippingProfile> shipping;

    /// The profile for an ISO-2 country (falling back to REST_OF_THE_WORLD).
    [[nodiscard]] const PrintifyShippingProfile *profileFor(const QString &country) const;
};

struct PrintifyBlueprint {
    int id = 0;
    QString title;
    QString description;
    QString brand;
    QString model;
    QStringList images;
    QStringList tags; ///< added to every product made from it
    QList<PrintifyProvider> providers;
};

/**
 * The Printify fake's catalog (EXTERNAL_APIS.md 1.5, 1.6, 4.1): two calendar
 * blueprints whose image positions differ, so a client must discover them from
 * `variants.json` instead of hard-coding them.
 *
 * - 1253 "Calendar (2027)", provider 234 "Today's Graphics" (US), variant
 *   94860 with 13 placeholders `front_cover`, `january` … `december`, each
 *   3454 × 2725 px;
 * - 965 "Standard Wall Calendar (2027)", provider 99 "Print Pop UK" (GB),
 *   variant 103102 (11" × 8.5") with `cover`, `jan` … `dec`, each 3375 × 2625
 *   px, and variant 103103 (A4) with the same names at 3579 × 2551 px.
 *
 * A variant can be retired (and restored) to simulate "Printify no longer
 * offers it": it disappears from `variants.json`, the shipping profiles and
 * variant lookups, and new products and orders naming it get 8251.
 * Shipping costs are USD cents per profile and method; the shipping quote adds
 * the first item once per provider and the additional-item cost for the rest.
 */
class PrintifyFakeCatalog {
public:
    PrintifyFakeCatalog();

    [[nodiscard]] const QList<PrintifyBlueprint> &blueprints() const { return m_blueprints; }
    [[nodiscard]] const PrintifyBlueprint *blueprint(int id) const;
    [[nodiscard]] const PrintifyProvider *provider(int blueprintId, int providerId) const;
    /// Every provider of any blueprint with this id (for /v1/catalog/print_providers/{id}.json).
    [[nodiscard]] const PrintifyProvider *anyProvider(int providerId) const;
    /// An offered (not retired) variant of the blueprint and provider, or nullptr.
    [[nodiscard]] const PrintifyVariant *variant(int blueprintId, int providerId, int variantId) const;
    /// The offered variants of the blueprint and provider, in catalog order.
    [[nodiscard]] QList<const PrintifyVariant *> variants(int blueprintId, int providerId) const;
    /// Whether any blueprint has a variant with this id (retired ones included).
    [[nodiscard]] bool exists(int variantId) const;

    /// Retires / restores a variant; false for an unknown id.
    bool retire(int variantId);
    bool restore(int variantId);
    void restoreAll() { m_retired.clear(); }
    [[nodiscard]] bool isRetired(int variantId) const { return m_retired.contains(variantId); }
    [[nodiscard]] QList<int> retired() const;

    // Wire shapes.
    static QJsonObject blueprintJson(const PrintifyBlueprint &blueprint);
    static QJsonObject providerJson(const PrintifyProvider &provider, bool withLocation);
    /// `{"id":pp,"title":…,"variants":[{"id","title","options","placeholders":[{position,width,height}]}]}`.
    [[nodiscard]] QJsonObject variantsJson(const PrintifyBlueprint &blueprint, const PrintifyProvider &provider) const;
    /// v1: `{"handling_time":{"value","unit"},"profiles":[{variant_ids,first_item,additional_items,countries}]}`.
    [[nodiscard]] QJsonObject shippingJson(const PrintifyProvider &provider) const;
    /// v2: the JSON:API list of shipping methods the provider offers anywhere.
    static QJsonArray shippingMethodsJson(const PrintifyProvider &provider);

private:
    QList<PrintifyBlueprint> m_blueprints;
    QSet<int> m_retired;
};

} // namespace CalStudio
