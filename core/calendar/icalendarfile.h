#pragma once

#include "core/calendar/specialdate.h"
#include "core/common/result.h"

#include <QList>

namespace CalStudio {

/**
 * Reads and writes personal dates as iCalendar (RFC 5545) through libical.
 *
 * Import takes all-day VEVENTs (yearly ones become recurring dates; kinds
 * come from CATEGORIES such as BIRTHDAY or ANNIVERSARY, as address books
 * export them). Export writes one all-day yearly VEVENT per date with our
 * kind, age and leap-day choices in X-CALSTUDIO-* properties, so a round trip
 * loses nothing and other calendar programs still show the dates.
 */
class ICalendarFile {
public:
    struct ImportResult {
        QList<SpecialDate> dates;
        int skipped = 0; ///< events we could not use (timed meetings without a date, malformed entries)
    };

    /// Largest file accepted; address-book exports are a few hundred KB.
    static constexpr qint64 MaxBytes = 8 * 1024 * 1024;

    static Result<ImportResult> parse(const QByteArray &ics);
    static Result<ImportResult> read(const QString &path);
    static QByteArray serialize(const QList<SpecialDate> &dates);
    static Status write(const QString &path, const QList<SpecialDate> &dates);
};

} // namespace CalStudio
