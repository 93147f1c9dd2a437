#pragma once

#include "core/imaging/face.h"
#include "core/imaging/imagelimits.h"
#include "core/imaging/selfieanalysis.h"

#include <QImage>
#include <QList>
#include <QRectF>
#include <QSize>

namespace CalStudio {

/**
 * Limits of the per-selfie checks, calibrated on the astronaut test face
 * (tests/data/faces/astronaut.png) at several sizes; the measurements are in
 * selfieanalyzer.cpp next to measure().
 */
struct SelfieThresholds {
    /// "face_too_small" below this face height over the image's short edge.
    double minRelativeFaceSize = 0.10;
    /// "blurry" below this FaceMetrics::sharpness (variance of the Laplacian at 128², mean luma levelled to 128).
    double minSharpness = 35;
    /// "too_dark" below this mean face luma (0–255).
    double minBrightness = 50;
    /// "too_bright" above this mean face luma (0–255).
    double maxBrightness = 210;
};

/**
 * Judges selfies for generation: runs the per-selfie checks on faces that
 * FaceDetector found, and gives advice for the whole set. Pure functions of
 * their arguments; safe to use from any thread.
 */
class SelfieAnalyzer {
public:
    /// Faces are resampled to this square before measuring sharpness, so the
    /// number does not depend on the photo's resolution or the face's size.
    static constexpr int SharpnessSize = 128;

    explicit SelfieAnalyzer(const ImageLimits &limits = {}, const SelfieThresholds &thresholds = {});

    /**
     * Checks one selfie. `faces` come from FaceDetector::detect(upright)
     * (largest first). `chosenFace` is the face the user picked among
     * several (remembered by the project); -1 takes the largest.
     * `originalSize` is the size of the photo as imported when `upright` is
     * a downscaled copy: the low-resolution check uses it and faces are
     * reported in its pixels. Empty: `upright` is the original.
     *
     * Without a face only "no_face", "too_dark"/"too_bright" (of the whole
     * image, as darkness often explains a missed face) and "low_resolution"
     * are reported.
     */
    [[nodiscard]] SelfieAnalysis analyze(
        const QImage &upright, const QList<Face> &faces, int chosenFace = -1, const QSize &originalSize = {}) const;

    /// Sharpness (variance of the Laplacian at SharpnessSize²) and mean luma of `region` of `image`.
    [[nodiscard]] static FaceMetrics measure(const QImage &image, const QRectF &region);

    /**
     * Advice for the set: 5–10 selfies, at least three usable, and variety
     * in head angle and light among the usable ones.
     */
    [[nodiscard]] static SelfieSetAdvice adviseSet(const QList<SelfieAnalysis> &selfies);

    /// Head turn estimated from YuNet's landmarks; see FaceMetrics::yaw.
    [[nodiscard]] static std::optional<double> estimateYaw(const Face &face);

    [[nodiscard]] const SelfieThresholds &thresholds() const { return m_thresholds; }

private:
    ImageLimits m_limits;
    SelfieThresholds m_thresholds;
};

} // namespace CalStudio
