#pragma once

#include "core/commerce/printformat.h"
#include "core/imaging/masterfaces.h"
#include "core/project/calendardocument.h"
#include "core/project/cropplanner.h"

#include <QImage>
#include <QRect>
#include <QRectF>
#include <QSize>

namespace CalStudio {

/**
 * How a master's picture sits on a composed calendar page, for the Preview
 * step and the crop editor.
 *
 * A page plan (CropPlanner) cuts the master to the print position's aspect
 * — the whole page, bleed included. The page layout may show the picture in
 * only part of the page (photo above the grid, side by side): then the part
 * shown is the largest crop of the photo area's aspect inside the plan's
 * crop that keeps the plan's uncut faces whole with headroom, placed by the
 * same rules as SmartCrop, with faces kept out of the position's safe margin
 * and binding zone where they fall on the photo area. A full-bleed layout
 * shows the plan's crop as it is.
 *
 * Page indices are the calendar's (0 cover, 1–12 the months in the order
 * the calendar shows them); all functions are pure and thread-safe.
 */
class PagePhoto {
public:
    /// Where the picture goes on `page` of `document`, on a page of `pageSize` pixels.
    static QRectF photoArea(const CalendarDocument &document, int page, QSizeF pageSize);

    /**
     * The part of the master shown in the photo area: `plan.crop` when
     * `photoArea` (in the position's pixels, `plan.outputPixels`) is the
     * whole page, else a crop of the photo area's aspect inside `plan.crop`
     * around the plan's uncut faces (see the class comment). `faces` are the
     * master's faces as the plan used them; `format` gives the position's
     * clear area.
     */
    static QRect fitToArea(const PagePlan &plan, const MasterFaces &faces, QSize masterSize, const PrintFormat &format,
        const QRectF &photoArea);

    /// `page` of `document` drawn by its PageComposer at `pageSize` with `photo` (null: the placeholder).
    static QImage compose(const CalendarDocument &document, int page, QSize pageSize, const QImage &photo);

    /// `size` scaled so its long edge is `longEdge` (at least 1 × 1).
    static QSize scaledToLongEdge(QSizeF size, int longEdge);
};

} // namespace CalStudio
