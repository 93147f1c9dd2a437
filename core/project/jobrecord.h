#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace CalStudio {

/// A durable background job (e.g. one image generation), as the `job` table keeps it.
struct JobRecord {
    qint64 id = 0;
    QString kind; ///< "generate"
    int month = 0;
    QByteArray requestJson; ///< what to do, as JSON (never secrets)
    QString state; ///< "queued", "running", "done", "failed", "refused", "cancelled", "lost"
    int attempts = 0;
    QDateTime nextAttemptAt; ///< invalid: as soon as possible
    QString lastError;
    QDateTime createdAt;
    QDateTime updatedAt;
};

} // namespace CalStudio
