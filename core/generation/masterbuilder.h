#pragma once

#include "core/common/result.h"
#include "core/project/candidaterecord.h"

#include <QByteArray>
#include <QSize>

namespace CalStudio {

class ProjectStore;

/// A month's master as stored: lossless sRGB PNG, square.
struct MasterImage {
    QByteArray png;
    QSize size; ///< MasterBuilder::MasterSide² unless a test asks for less
    QSize nativeSize; ///< what the provider delivered; below 4096 means upscaled
};

/**
 * Turns a candidate's bytes into the month's master: 4096×4096 sRGB PNG.
 *
 * Smaller outputs are enlarged with libvips Lanczos-3 and their native size
 * is kept, so later steps can warn about effective print DPI. Non-square or
 * larger outputs are centre-cropped to a square first, then scaled: a
 * calendar image is a full-bleed square and the subject of a generated
 * picture sits in the middle (see ImageResampler::toSquareMaster).
 *
 * Thread-safe (build() has no state); makeMaster() uses the store and so
 * runs on the store's thread.
 */
class MasterBuilder {
public:
    static constexpr int MasterSide = 4096;

    static Result<MasterImage> build(const QByteArray &candidateBytes, int side = MasterSide);

    /**
     * Reads `candidate`'s bytes from `store`, builds the master and makes it
     * the master of the candidate's month. Returns the master id.
     * Error "no_image" for a candidate without bytes (a failed one).
     */
    static Result<qint64> makeMaster(ProjectStore &store, const CandidateRecord &candidate, int side = MasterSide);
};

} // namespace CalStudio
