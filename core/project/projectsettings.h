#pragma once

#include "core/common/result.h"

#include <QDateTime>
#include <QLocale>
#include <QString>

namespace CalStudio {

/// Which weekday the calendar's weeks start on.
enum class WeekStart {
    LocaleDefault, ///< whatever the calendar's locale uses (Monday in de_DE, Sunday in en_US)
    Monday,
    Sunday,
    Saturday,
};

/// Stable identifiers used in the project file, the CLI and its JSON.
QString weekStartId(WeekStart weekStart);
std::optional<WeekStart> weekStartFromId(const QString &id);
/// The weekday a setting resolves to for a locale.
Qt::DayOfWeek resolvedFirstDayOfWeek(WeekStart weekStart, const QLocale &locale);

/**
 * The settings of one calendar project (the single `project` row).
 *
 * A calendar has twelve consecutive months starting at `startMonth` of
 * `year`; a July start therefore spans `year` and `year + 1`.
 */
struct ProjectSettings {
    static constexpr int MinYear = 1970;
    static constexpr int MaxYear = 2200;
    /// The highest spend cap the studio accepts, in USD (a typo guard, not a budget).
    static constexpr double MaxSpendCapUsd = 10000;

    QString title;
    int year = 0;
    int startMonth = 1; ///< 1–12
    WeekStart weekStart = WeekStart::LocaleDefault;
    QString locale; ///< QLocale name such as "de_DE"; month and day names use it
    QString holidayRegion; ///< region code of the public holidays shown, empty for none
    QString pageLayout = QStringLiteral("photo-above"); ///< PageLayout id (core/calendar/pagetheme.h)
    QString pageTheme = QStringLiteral("classic"); ///< PageTheme id
    bool weekNumbers = false; ///< ISO week numbers beside the grid
    bool notesLine = false; ///< a ruled notes line under the grid
    double spendCapUsd = 0; ///< generation stops when this much was spent (USD); 0 = no cap
    QDateTime createdAt;
    QDateTime updatedAt;

    /// Sensible settings for a new project: next year, January, the system locale.
    static ProjectSettings defaults(const QDate &today = QDate::currentDate(),
                                    const QLocale &systemLocale = QLocale::system());

    /// Checks ranges (year 1970–2200, month 1–12, a parseable locale, a title, known layout and theme, spend cap).
    [[nodiscard]] Status validate() const;
    /// A spend cap must be a number from 0 (no cap) to MaxSpendCapUsd; error "invalid_spend_cap".
    [[nodiscard]] static Status validateSpendCap(double usd);

    /// Last month shown, as (year, month): December of `year` for a January start.
    [[nodiscard]] std::pair<int, int> endYearMonth() const;

    /// Compares what the user edits (timestamps are bookkeeping and ignored).
    [[nodiscard]] bool sameContent(const ProjectSettings &other) const;
};

} // namespace CalStudio
