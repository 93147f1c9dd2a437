#pragma once

#include "core/calendar/holiday.h"
#include "core/calendar/holidayrule.h"
#include "core/common/result.h"

#include <QByteArray>
#include <QDate>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace CalStudio {

/**
 * The national public holidays of one region, computed for any year from
 * the rules in the region's data file.
 *
 * Data files are embedded into calstudio_calendar under
 * `:/calstudio/holidays/<CODE>.json` (sources: resources/holidays/). The
 * format, checked strictly so that a typo cannot silently shift a date:
 *
 *     {
 *       "region": "GB",                           ISO 3166 code, the file's base name
 *       "name": "United Kingdom (England and Wales)",   English name
 *       "languages": ["en"],                      optional, languages of "names"
 *       "source": ["https://www.gov.uk/bank-holidays", "…"],   official/legal sources (string or list)
 *       "note": "National bank holidays only; …",  what is included and excluded, and why
 *       "observedName": {"en": "%1 (substitute day)"},   optional, per language; default "%1 (observed)"
 *       "holidays": [
 *         { "id": "christmas-day",
 *           "names": {"en": "Christmas Day"},     "en" is required, other languages optional
 *           "rule": {"type": "fixed", "month": 12, "day": 25},   see HolidayRule
 *           "from": 1871, "until": 2099,          optional first and last year (inclusive)
 *           "observed": "substitute-next-weekday",   optional: "none", "us-federal", "substitute-next-weekday"
 *           "note": "…" }                         optional
 *       ]
 *     }
 *
 * An observed day is named with the "observedName" template of the
 * requested language; without one for that language it carries the plain
 * localized name (and observed == true) rather than mixing languages.
 *
 *     auto calendar = HolidayCalendar::load(QStringLiteral("GB"));
 *     if (!calendar)
 *         return calendar.error();
 *     for (const Holiday &h : calendar->between(QDate(2027, 7, 1), QDate(2028, 6, 30), QStringLiteral("en")))
 *         …
 *
 * Only country-wide holidays are shipped; regional ones (a German Land, a
 * Spanish community, an Australian state) are not.
 */
class HolidayCalendar {
public:
    /// What happens when a holiday falls on a weekend.
    enum class ObservedPolicy {
        /// The holiday stays on its date and no day is added ("none").
        None,
        /// US federal (5 U.S.C. 6103(b)): Saturday → the Friday before, Sunday → the Monday after ("us-federal").
        UsFederal,
        /**
         * UK/AU/IE/CA style ("substitute-next-weekday"): a holiday on a Saturday or Sunday is also observed
         * on the next weekday that is not already a holiday, so Christmas on a Saturday → Monday 27 and
         * Boxing Day on the Sunday → Tuesday 28.
         */
        SubstituteNextWeekday,
    };

    /// Largest data file accepted by fromJson(); the shipped ones are a few kilobytes.
    static constexpr qsizetype MaxDataSize = 1024 * 1024;

    /// An empty calendar: no region, no holidays.
    HolidayCalendar() = default;

    /// Region codes of the embedded data files ("AU", "CA", "DE", …), sorted.
    static QStringList availableRegions();

    /**
     * Loads the embedded data of `region` (case-insensitive ISO 3166 code).
     * Errors: "holidays_unknown_region" when there is no data for it,
     * "holidays_malformed" when the embedded file is damaged.
     */
    static Result<HolidayCalendar> load(const QString &region);

    /**
     * Parses holiday data in the format of resources/holidays/<CODE>.json. Used by
     * load() and by tests; never crashes on bad input: anything malformed or
     * larger than MaxDataSize is an Error "holidays_malformed" whose detail
     * names the offending field.
     */
    static Result<HolidayCalendar> fromJson(const QByteArray &json);

    /// The region code, e.g. "GB".
    [[nodiscard]] QString region() const { return m_region; }
    /// The region's English name, e.g. "United Kingdom (England and Wales)".
    [[nodiscard]] QString regionName() const { return m_name; }
    /// The official sources the data follows (law names, URLs), joined with "; ".
    [[nodiscard]] QString source() const { return m_sources.join(QStringLiteral("; ")); }
    [[nodiscard]] QStringList sources() const { return m_sources; }
    /// What the data includes and excludes, and why.
    [[nodiscard]] QString note() const { return m_note; }
    /// Languages of the names (ISO 639-1 codes); always includes "en", the fallback.
    [[nodiscard]] QStringList languages() const { return m_languages; }

    /**
     * The holidays dated in `year`, sorted by date (a holiday before its
     * observed day on the same date, otherwise in data-file order), with
     * names in `language` ("de", "de_DE" and "de-AT" all select "de") when
     * the data has it, else English. Includes observed days that fall in
     * `year` for holidays of a neighbouring year (a Saturday 1 January 2028
     * is observed in the US on Friday 31 December 2027). Empty outside
     * HolidayRule::MinYear–MaxYear.
     */
    [[nodiscard]] QList<Holiday> holidays(int year, const QString &language = {}) const;

    /// The holidays from `from` to `to` inclusive, e.g. a July 2027–June 2028 calendar; empty if from > to.
    [[nodiscard]] QList<Holiday> between(QDate from, QDate to, const QString &language = {}) const;

private:
    struct Definition {
        QString id;
        QHash<QString, QString> names; // language → name; always has "en"
        HolidayRule rule;
        int fromYear = HolidayRule::MinYear;
        int untilYear = HolidayRule::MaxYear;
        ObservedPolicy observed = ObservedPolicy::None;
    };

    [[nodiscard]] QString nameOf(const Definition &definition, const QString &language, bool observed) const;

    QString m_region;
    QString m_name;
    QStringList m_sources;
    QString m_note;
    QStringList m_languages;
    QHash<QString, QString> m_observedNames; // language → "%1 (observed)"
    QList<Definition> m_definitions;
};

} // namespace CalStudio
