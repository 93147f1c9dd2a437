#pragma once

#include <QDateTime>
#include <QSize>
#include <QString>

namespace CalStudio {

/// One line of a project's spending ledger: an image that was (or may have been) paid for.
struct LedgerEntry {
    QDateTime at;
    int month = 0;
    QString provider;
    QString model;
    QSize nativeSize; ///< invalid for an answer that never arrived
    double usd = 0; ///< estimate from the price table at the time
    bool maybeBilled = false; ///< the answer was lost: the provider may or may not have charged
    qint64 candidateId = 0; ///< 0 for a lost answer
};

} // namespace CalStudio
