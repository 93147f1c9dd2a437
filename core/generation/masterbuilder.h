#pragma once

#include "core/common/result.h"
#include "core/project/candidaterecord.h"

#include <QByteArray>
#include <QRect>
#include <QSize>

namespace CalStudio {

class ProjectStore;

/// A month's master as stored: lossless sRGB PNG, square.
struct MasterImage {
    QByteArray png;
    QSize size; ///< MasterBuilder::MasterSide² unless a test asks for less
    /// What the picture had before scaling (the provider's output, or the photo's square); below 4096: upscaled.
    QSize nativeSize;
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
 * The user's own photo can be the master too (buildFromPhoto()): the
 * largest square around the face, upright, scaled the same way.
 *
 * Thread-safe (build() and buildFromPhoto() have no state); makeMaster() and
 * addMaster() use the store and so run on the store's thread.
 */
class MasterBuilder {
public:
    static constexpr int MasterSide = 4096;

    static Result<MasterImage> build(const QByteArray &candidateBytes, int side = MasterSide);

    /**
     * The user's own photo as a master: EXIF orientation applied, the
     * largest square that contains the face (see photoSquare()), scaled to
     * `side`² (Lanczos-3), sRGB PNG. `faceRect` is in the pixels of the
     * upright photo; a null rect takes the centre square. `nativeSize` is the
     * square's size before scaling.
     */
    static Result<MasterImage> buildFromPhoto(const QByteArray &photoBytes, const QRect &faceRect,
                                              int side = MasterSide);

    /**
     * The square buildFromPhoto() keeps of an upright image of `imageSize`:
     * as large as the short edge, containing the face (when the face fits),
     * with the face's centre in the middle across and a third of the way
     * down where the photo allows, so there is room above the head and the
     * body below. `faceRect` is clipped to the image; null or outside → the
     * centre square.
     */
    static QRect photoSquare(QSize imageSize, const QRect &faceRect);

    /**
     * Reads `candidate`'s bytes from `store`, builds the master and makes it
     * the master of the candidate's month. Returns the master id.
     * Error "no_image" for a candidate without bytes (a failed one).
     */
    static Result<qint64> makeMaster(ProjectStore &store, const CandidateRecord &candidate, int side = MasterSide);

    /**
     * The master of `candidate` as a row of its month without choosing it
     * (ProjectStore::addMaster): an existing master of that candidate at
     * `side`² is reused (ProjectStore::findMaster), otherwise it is built and
     * stored. Returns the master id, for Project::setMaster/assignMaster.
     * Error "no_image" for a candidate without bytes.
     */
    static Result<qint64> addMaster(ProjectStore &store, const CandidateRecord &candidate, int side = MasterSide);
};

} // namespace CalStudio
