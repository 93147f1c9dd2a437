#pragma once

#include "core/common/result.h"

#include <QJsonObject>
#include <QList>
#include <QRectF>
#include <QSize>
#include <QSizeF>
#include <QString>

#include <optional>

namespace CalStudio {

/**
 * One picture placeholder of a printed calendar: the cover (page 0) or a
 * month (pages 1–12 are January–December, whatever month the calendar
 * starts with — the same numbering as the project's month entries, crops
 * and exported masters), and the exact pixel size the print file of that
 * page must have. `pixels` covers trim plus bleed on every side.
 */
struct ImagePosition {
    QString id; ///< "cover", "month-01" … "month-12" for the built-in formats; a shop may use its own names
    int page = 0; ///< 0 cover, 1–12 January–December (the month entry, like Printify's "january" … positions)
    QSize pixels; ///< the whole print image (bleed box)

    friend bool operator==(const ImagePosition &, const ImagePosition &) = default;
};

/**
 * A calendar product the user can order or preview: paper geometry in
 * inches and the pixel size of every image position.
 *
 * Geometry of a position, in that position's own pixels (origin top-left):
 *
 *  - bleed box: the whole image, `QRect(QPoint(0, 0), pixels)`; the printer
 *    cuts `bleedInches` off every side;
 *  - trim rect: the page after cutting;
 *  - safe rect: the trim rect inset by `safeMarginInches` — cutting may wander
 *    this far, so faces and text belong inside;
 *  - binding rect: along `bindingEdge`, from the image edge across the bleed
 *    to `bindingDepthInches` inside the trim edge — where the wire, spiral or
 *    hanger hole goes. Empty for BindingEdge::None;
 *  - clear rect: the safe rect without the binding rect — where faces may go.
 *
 * Inches become pixels through the position's own pixels per inch,
 * `pixels / (trim + 2 × bleed)` per axis, so a shop position that is not
 * exactly `targetDpi` (Printify's 3454 × 2725 px, say) still gets its zones
 * where they are on paper. For the built-in formats that is exactly 300.
 *
 * A value type: the studio keeps the built-in formats (builtIn()) for
 * offline work, and the shop's companion server publishes its own in its
 * catalog as toJson(). Error code of validate() and fromJson():
 * "invalid_format".
 */
struct PrintFormat {
    enum class BindingEdge {
        None, ///< nothing is bound (a poster, a desk card stood on its foot)
        Top, ///< a wall calendar hanging from a wire at the top
        Left, ///< a book-like calendar bound at the left
    };

    /// Format ids: lower-case letters, digits and '-', 1–64 characters.
    static constexpr int MaxIdLength = 64;
    /// The largest trim edge accepted, in inches (a typo guard; no calendar is this big).
    static constexpr double MaxTrimInches = 60;
    /// The largest bleed, safe margin or binding depth accepted, in inches.
    static constexpr double MaxMarginInches = 2;
    /// DPI range accepted for targetDpi.
    static constexpr int MinDpi = 72;
    static constexpr int MaxDpi = 1200;
    /// The longest edge of one position in pixels.
    static constexpr int MaxPositionPixels = 30000;
    /// How far a position's pixel aspect may differ from the paper's (trim + bleed), relative.
    static constexpr double AspectTolerance = 0.05;

    QString id; ///< stable, e.g. "wall-landscape"; the project's crops are keyed by it
    QString title; ///< shown to the user, e.g. "Wall calendar, landscape (11 × 8.5 in)"
    QSizeF trimInches; ///< the finished page
    double bleedInches = 0; ///< printed beyond the trim on every side
    double safeMarginInches = 0; ///< inside the trim on every side
    BindingEdge bindingEdge = BindingEdge::None;
    double bindingDepthInches = 0; ///< how far the binding zone reaches inside the trim; 0 with BindingEdge::None
    int targetDpi = 300; ///< the resolution print files are meant for
    QList<ImagePosition> positions; ///< cover (optional) and months 1–12, each page once, in page order

    /// The three formats the studio offers without a shop: wall-landscape, wall-portrait, square.
    static const QList<PrintFormat> &builtIn();
    /// The built-in format with `id`, or nothing.
    static std::optional<PrintFormat> find(const QString &id);

    /// The position of `page` (0 cover, 1–12), or nullptr when the format has none.
    [[nodiscard]] const ImagePosition *position(int page) const;

    /// Pixels per inch of `page`'s image, horizontally (width) and vertically (height); empty without the page.
    [[nodiscard]] QSizeF pixelsPerInch(int page) const;
    /// The whole image of `page`; empty without the page.
    [[nodiscard]] QRectF bleedBox(int page) const;
    /// The page after cutting, in `page`'s pixels; empty without the page.
    [[nodiscard]] QRectF trimRect(int page) const;
    /// The trim rect inset by the safe margin, in `page`'s pixels; empty without the page.
    [[nodiscard]] QRectF safeRect(int page) const;
    /// The binding or hanger zone (bleed included), in `page`'s pixels; empty without binding or page.
    [[nodiscard]] QRectF bindingRect(int page) const;
    /// The safe rect minus the binding zone: where faces may be, in `page`'s pixels.
    [[nodiscard]] QRectF clearRect(int page) const;

    /**
     * Checks everything a crop plan or a print file relies on: an id of
     * lower-case letters, digits and '-'; a title; a positive trim up to
     * MaxTrimInches; bleed, safe margin and binding depth from 0 to
     * MaxMarginInches, leaving room inside the trim; a binding depth exactly
     * when there is a binding edge; targetDpi from MinDpi to MaxDpi; months
     * 1–12 each exactly once and at most one cover, every position with a
     * non-empty id and positive pixels whose aspect matches the paper's
     * (trim + bleed) within AspectTolerance. Error "invalid_format" naming
     * the first problem.
     */
    [[nodiscard]] Status validate() const;

    /**
     * The catalog's JSON for this format; keys are stable (the companion
     * publishes them, scripts may read them):
     *
     *     {"id": "wall-landscape", "title": "…",
     *      "trim_width_in": 11, "trim_height_in": 8.5,
     *      "bleed_in": 0.125, "safe_margin_in": 0.25,
     *      "binding_edge": "top" | "left" | "none", "binding_depth_in": 0.5,
     *      "dpi": 300,
     *      "positions": [{"id": "cover", "page": 0, "width": 3375, "height": 2625}, …]}
     *
     * Lengths are in inches, pixel sizes in pixels.
     */
    [[nodiscard]] QJsonObject toJson() const;
    /// Reads toJson()'s shape (unknown keys are ignored) and validates it. Error "invalid_format".
    static Result<PrintFormat> fromJson(const QJsonObject &json);

    /// "none", "top", "left" — the ids used in JSON.
    static QString bindingEdgeId(BindingEdge edge);
    static std::optional<BindingEdge> bindingEdgeFromId(const QString &id);

    friend bool operator==(const PrintFormat &, const PrintFormat &) = default;
};

} // namespace CalStudio
