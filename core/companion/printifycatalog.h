#pragma once

#include "core/commerce/printformat.h"
#include "core/common/result.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace CalStudio {

/**
 * Discovers a shop format's image positions from Printify's catalog
 * (`variants.json`, EXTERNAL_APIS.md 1.5–1.6): placeholder names and pixel
 * sizes are per blueprint and provider and change with every calendar year,
 * so they are read at run time rather than configured.
 *
 * Each placeholder of the configured variant becomes one ImagePosition:
 * `id` is Printify's position name exactly as given (it is what an order's
 * `print_areas` must name), `page` comes from pageForPosition(), `pixels`
 * from `width` × `height`. Positions are sorted by page.
 *
 * Placeholders that cannot be mapped to a page are IGNORED only when they are
 * clearly extra pages of the product that the calendar's pictures do not
 * fill: names whose words include "back", "inside" or "inner" (`back_cover`,
 * `back`, `inside_front_cover`, …); Printify prints them blank or from its
 * template. Any other unmappable name is an error — guessing would send the
 * wrong picture to the printer.
 *
 * Errors:
 *  - "variant_unavailable": the variant is not in the list (or is marked
 *    unavailable). Printify retires calendar blueprints with their year; the
 *    userMessage tells the shop owner that the format can no longer be ordered
 *    and that the configuration must name a current variant.
 *  - "unusable_placeholders": the variant's placeholders do not make a
 *    calendar: a month missing, the cover missing (required unless `base`
 *    lists positions without a cover), a name that cannot be mapped, two
 *    placeholders for the same page, a missing or non-positive pixel size, or
 *    a placeholder whose aspect is far from the paper's (trim + bleed of
 *    `base`, PrintFormat::AspectTolerance) — the paper geometry in the
 *    configuration then does not describe this product. Also any other
 *    problem PrintFormat::validate() reports for the result.
 *
 * Stateless and thread-safe.
 */
class PrintifyCatalog {
public:
    /// `base` gives paper geometry (trim, bleed, safe margin, binding); its positions are replaced by the
    /// variant's placeholders: page from the placeholder name, pixels from width/height. `blueprintId` only
    /// names the blueprint in messages (0: not named).
    static Result<PrintFormat> formatFromVariants(
        const PrintFormat &base, const QJsonObject &variantsJson, int variantId, int blueprintId = 0);
    /// Page number for a placeholder position name: 0 for cover names ("front_cover", "cover", "front"), 1–12 for
    /// month names in English, full or three letters, any case, and "month_N"/"month-N"/"monthN"; nullopt otherwise.
    /// Surrounding spaces are ignored and '-', ' ' and '_' are interchangeable ("Front-Cover", "front cover").
    static std::optional<int> pageForPosition(const QString &name);
    /// Whether an unmappable position name is an extra page the pictures do not fill (a back or inside cover).
    static bool isExtraPosition(const QString &name);
};

} // namespace CalStudio
