#pragma once

#include <QString>

namespace CalStudio {

/**
 * What a master was made from: a generated candidate, or one of the user's
 * own photos (a selfie) used as the picture. Both 0 means "unknown" (a
 * master stored before schema v6 from the user's own photo); never both set.
 */
struct MasterSource {
    qint64 candidateId = 0;
    qint64 selfieId = 0;

    [[nodiscard]] bool isEmpty() const { return candidateId <= 0 && selfieId <= 0; }
    friend bool operator==(const MasterSource &, const MasterSource &) = default;
};

/// A master row (chosen for its month or not), without its pixels.
struct MasterInfo {
    qint64 id = 0;
    int month = 0;
    int width = 0;
    int height = 0;
    int nativeWidth = 0;
    int nativeHeight = 0;
    QString provider; ///< of the candidate it came from, empty for the user's own photo
    QString model;
    qint64 candidateId = 0; ///< the candidate it was built from, 0 for none (or the candidate is gone)
    qint64 selfieId = 0; ///< the user's own photo it was built from, 0 for none (or the selfie is gone)
    qint64 blobId = 0; ///< its PNG bytes (ProjectStore::readBlob(), readBlobAt())

    [[nodiscard]] MasterSource source() const { return {candidateId, selfieId}; }
};

} // namespace CalStudio
