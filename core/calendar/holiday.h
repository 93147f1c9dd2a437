#pragma once

#include <QDate>
#include <QString>

namespace CalStudio {

/**
 * One public holiday on one date, as a printed calendar shows it.
 *
 * A holiday that falls on a weekend in a country with substitute days
 * appears twice: once on its own date (`observed == false`) and once on the
 * weekday that is taken off instead (`observed == true`, the name carrying
 * the region's suffix, e.g. "Christmas Day (observed)"). Both entries share
 * the same `id`.
 */
struct Holiday {
    QDate date;
    /// Stable identifier from the data file, e.g. "christmas-day"; the same in every language.
    QString id;
    /// Name in the requested language, or in English when the data has no name in that language.
    QString name;
    /// Region code of the data file, e.g. "GB".
    QString region;
    /// A substitute day for a holiday that fell on a weekend (see HolidayCalendar::ObservedPolicy).
    bool observed = false;

    friend bool operator==(const Holiday &, const Holiday &) = default;
};

} // namespace CalStudio
