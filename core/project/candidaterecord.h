#pragma once

#include <QDateTime>
#include <QString>

namespace CalStudio {

/// One generated candidate for a month, with its provenance (without its pixels).
struct CandidateRecord {
    qint64 id = 0;
    int month = 0; ///< 0 = cover, 1–12
    QString provider; ///< "offline", "gemini", …
    QString model;
    QString promptSent; ///< exactly as sent
    qint64 seed = 0;
    qint64 blobId = 0; ///< 0 when there are no bytes (failed)
    int width = 0; ///< native size as the provider returned it
    int height = 0;
    qint64 costMicros = 0; ///< estimated cost in millionths of a US dollar
    QString status; ///< "done", "failed", "refused", "cancelled"
    QString error; ///< user message when not done
    QDateTime createdAt;

    friend bool operator==(const CandidateRecord &, const CandidateRecord &) = default;
};

} // namespace CalStudio
