#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace CalStudio {

/// One imported selfie as the project keeps it (without its pixels).
struct SelfieRecord {
    qint64 id = 0;
    qint64 blobId = 0; ///< the clean re-encoded copy (no EXIF/GPS)
    QString mime; ///< of the stored copy
    int width = 0; ///< upright
    int height = 0;
    int position = 0; ///< order in the Selfies page
    QString sourceSha256; ///< of the user's original file, to spot duplicates
    QString originalName; ///< file name as imported, for the user
    QByteArray analysisJson; ///< faces and checks (SelfieAnalysis JSON), so reopening does not re-detect
    int mainFace = 0; ///< which detected face is the person's (several faces)
    bool preferred = false; ///< the user's favourites go first as references
    bool deleted = false; ///< removed in this session (undoable); purged when the project closes
    QDateTime importedAt;

    friend bool operator==(const SelfieRecord &, const SelfieRecord &) = default;
};

} // namespace CalStudio
