#pragma once

#include "core/common/result.h"
#include "core/imaging/face.h"

#include <QImage>
#include <QList>
#include <QPointF>
#include <QRect>
#include <QRectF>
#include <QSize>
#include <QString>

#include <optional>

namespace CalStudio {

struct PrintFormat;

/// A face as SmartCrop sees it, in pixels of the image being cropped.
struct CropFace {
    QRectF box; ///< forehead to chin, as the detector reports it
    std::optional<QPointF> leftEye; ///< the eye on the image's left, when landmarks are known
    std::optional<QPointF> rightEye; ///< the eye on the image's right
    float score = 1; ///< detector confidence 0–1 (informational)

    /// From a detected face; all-zero landmarks (the Haar fallback) give no eyes.
    static CropFace fromFace(const Face &face);
    static QList<CropFace> fromFaces(const QList<Face> &faces);

    friend bool operator==(const CropFace &, const CropFace &) = default;
};

/**
 * What the crop is for: the output's exact aspect and, in normalized output
 * coordinates (0–1 across the output image), the area faces must stay in.
 * Everything outside `faceArea` — bleed, safe margin, binding or hanger
 * zone — is where a face would be cut off, trimmed or punched.
 */
struct CropTarget {
    QSize outputPixels; ///< the aspect is outputPixels.width() : outputPixels.height(), exactly
    QRectF faceArea { 0, 0, 1, 1 }; ///< normalized; faces must be inside
    QRectF bindingZone; ///< normalized; empty without binding (for warnings and the crop editor; outside faceArea)

    /**
     * The target of `page` (0 cover, 1–12) of `format`: its position's pixel
     * size, `faceArea` from PrintFormat::clearRect() and `bindingZone` from
     * PrintFormat::bindingRect(). Errors: "invalid_format" (the format does
     * not validate), "no_position" (the format has no such page).
     */
    static Result<CropTarget> forPosition(const PrintFormat &format, int page);
    /**
     * A plain aspect such as "3:2" or "1:1" (whole numbers 1–100000 on
     * either side), with faces allowed anywhere in the crop. Error
     * "bad_aspect".
     */
    static Result<CropTarget> forAspect(const QString &aspect);

    /// A positive output size and a non-empty faceArea inside the unit square; error "bad_target".
    [[nodiscard]] Status validate() const;

    friend bool operator==(const CropTarget &, const CropTarget &) = default;
};

/// Everything one crop decision needs: sizes and boxes, no pixels.
struct CropRequest {
    QSize imageSize; ///< of the upright image the boxes refer to
    QList<CropFace> faces; ///< in image pixels; boxes are clamped to the image, empty ones ignored
    std::optional<QRectF> saliency; ///< the interesting region when there is no face (SmartCrop::saliency())
    CropTarget target;
};

/// The chosen crop, in image pixels.
struct CropResult {
    QRect crop; ///< inside the image, of the target's aspect (see SmartCrop for the rounding)
    /// Indices into CropRequest::faces of faces not whole inside the crop's face area, ascending.
    QList<int> cutFaces;
    /// The share of the preferred headroom the kept faces got: 1, 0.5 or 0 (also 0 without faces).
    double headroom = 0;

    friend bool operator==(const CropResult &, const CropResult &) = default;
};

/**
 * Face-aware cropping of a picture to a print position's aspect. plan() is
 * a pure function of sizes and boxes: no pixels, no state, the same answer
 * for the same request on every machine.
 *
 * Rules, in order:
 *
 *  1. Every face must be whole inside the crop's face area (out of bleed,
 *     safe margin and binding zone), with headroom proportional to its box
 *     height: HeadroomAbove above (hair), HeadroomBelow below the chin and
 *     HeadroomSides of its width beside it. When that is impossible the
 *     headroom shrinks to half, then to none, before any face is given up.
 *  2. The crop is the largest of the exact aspect that satisfies rule 1, so
 *     nothing is upscaled when a bigger crop would do; it never goes below
 *     MinCropScale of the largest crop the image allows (a face pressed into
 *     a corner is reported cut rather than printed from a tiny crop).
 *  3. Where the crop has room to move, faces are placed by the rule of
 *     thirds: the eyes (from landmarks, else 40 % down the box) on the upper
 *     third line; horizontally the faces' centre on the third or centre line
 *     nearest to where they are in the picture (left third, middle fifth,
 *     right third of the image → 1/3, 1/2, 2/3 of the crop).
 *  4. When not all faces fit, faces are taken largest-and-most-central
 *     first (area × (1 − ½ × distance from the image centre relative to
 *     the half diagonal)), each kept if all kept so far still fit; the rest
 *     are listed in CropResult::cutFaces unless they happen to fit anyway.
 *     If not even the first fits, the crop is the largest one, placed on it.
 *  5. Without faces: the largest crop centred on the saliency rectangle,
 *     else on the image centre.
 *
 * Rounding: with the target aspect W:H reduced, the crop's short side s (the
 * side that is short in the target) is a whole number and the long side is
 * round(s × long/short), halves up. So the long side is within half a pixel
 * of the exact aspect and the short side is exact. Offsets are whole pixels.
 * A face fits when its box lies inside the face area within FitTolerance
 * pixels.
 */
class SmartCrop {
public:
    /// Headroom above the face box, in box heights.
    static constexpr double HeadroomAbove = 0.5;
    /// Room below the chin, in box heights.
    static constexpr double HeadroomBelow = 0.2;
    /// Room beside the face, in box widths, on each side.
    static constexpr double HeadroomSides = 0.15;
    /// The smallest crop, as a share of the largest crop's short side.
    static constexpr double MinCropScale = 0.5;
    /// Slack for comparing face boxes (fractional pixels) with crop edges.
    static constexpr double FitTolerance = 1e-6;
    /// Long edge of the copy saliency() analyses.
    static constexpr int MaxSaliencyEdge = 1024;

    /**
     * The crop for `request`. Errors: "bad_target" (see CropTarget::validate),
     * "bad_image_size" (an empty image, or one too narrow for any crop of
     * the aspect — e.g. 1 px wide for 1:3).
     */
    static Result<CropResult> plan(const CropRequest &request);

    /// The crop size of `aspect` whose short side (short in the aspect) is `shortSide`, rounded as described above.
    static QSize cropSize(QSize aspect, int shortSide);
    /// The largest crop size of `aspect` inside `imageSize` (empty when none fits).
    static QSize largestCropSize(QSize imageSize, QSize aspect);
    /// True when `box` (image pixels) lies inside the face area of `crop` for `target`, within FitTolerance.
    static bool faceFits(const QRect &crop, const QRectF &box, const CropTarget &target);

    /**
     * The region of `image` most likely to draw the eye, from libvips'
     * attention measure (edges, skin tones, saturated colour) on a copy at
     * most MaxSaliencyEdge pixels long: the window of half the image's width
     * and height around the attention centre, moved inside the image, in
     * `image`'s pixels. Errors: "empty" (null image), "unreadable" (libvips
     * failed). Thread-safe.
     */
    static Result<QRectF> saliency(const QImage &image);
};

} // namespace CalStudio
