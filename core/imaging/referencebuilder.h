#pragma once

#include "core/common/result.h"
#include "core/imaging/selfieanalysis.h"

#include <QByteArray>
#include <QImage>
#include <QList>
#include <QRect>
#include <QRectF>
#include <QSize>
#include <QString>

namespace CalStudio {

/// One image a generation request sends to show the user's face.
struct ReferenceImage {
    enum class Kind {
        FaceCrop, ///< square, face-centred, with a generous margin
        FullImage, ///< the whole selfie, downscaled
    };
    Kind kind = Kind::FaceCrop;
    QByteArray jpeg; ///< sRGB JPEG, no metadata besides the colour profile
    QSize size; ///< pixel size of `jpeg`
    QString cachePath; ///< where it is cached; empty without a cache directory
    bool fromCache = false; ///< read from the cache rather than made now
};

/**
 * Prepares the references a generation request sends from good selfies:
 * face-centred square crops and downscaled full images, JPEG, cached on disk
 * by the selfie's content hash, the kind and the size. Neither kind is
 * enlarged: a small selfie gives a smaller reference, since upscaling adds
 * bytes but no likeness.
 *
 * Thread-safe: instances hold only settings; concurrent builds of the same
 * reference write the cache file atomically.
 *
 * Error codes: "no_image" (null input), "encode_failed".
 */
class ReferenceBuilder {
public:
    static constexpr int DefaultCropSize = 1024;
    static constexpr int DefaultFullLongEdge = 1536;
    /// Side of the crop over the face box's larger side: shows hair, chin and a bit of shoulders.
    static constexpr double DefaultMargin = 2.2;

    /// `cacheDir` e.g. QStandardPaths::CacheLocation + "/references"; empty disables caching.
    explicit ReferenceBuilder(QString cacheDir = {}, int jpegQuality = 90);

    /**
     * The square around `face` (pixels of `upright`), at most `size` px.
     * `contentHash` names the selfie (the project's hash of its bytes);
     * empty hashes the pixels.
     */
    [[nodiscard]] Result<ReferenceImage> faceCrop(
        const QImage &upright, const QRectF &face, const QString &contentHash = {}, int size = DefaultCropSize) const;

    /// The whole selfie with its long edge at most `longEdge` px.
    [[nodiscard]] Result<ReferenceImage> fullImage(
        const QImage &upright, const QString &contentHash = {}, int longEdge = DefaultFullLongEdge) const;

    /**
     * The square crop for `face` in an image of `imageSize`: side `margin` ×
     * the face box's larger side, centred on the face, shifted to stay inside
     * the image and no larger than its short edge. Pure geometry.
     */
    [[nodiscard]] static QRect cropRect(const QSize &imageSize, const QRectF &face, double margin = DefaultMargin);

    /**
     * Indices of the best `n` usable selfies, best first. Ranks by quality
     * (sharpness, face size, exposure; see qualityScore) and, after the
     * first, prefers selfies whose head angle and light differ from those
     * already picked, since varied references give a better likeness than
     * near-duplicates. Unusable selfies are never picked.
     */
    [[nodiscard]] static QList<int> pickBest(const QList<SelfieAnalysis> &selfies, int n);

    /// 0–1 quality of a selfie for generation; 0 when it is not usable.
    [[nodiscard]] static double qualityScore(const SelfieAnalysis &selfie);

private:
    Result<ReferenceImage> build(ReferenceImage::Kind kind, const QImage &upright, const QRect &source,
        const QString &contentHash, int maxEdge) const;

    QString m_cacheDir;
    int m_jpegQuality;
};

} // namespace CalStudio
