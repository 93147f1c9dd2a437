#pragma once

#include "core/calendar/holiday.h"
#include "core/calendar/pagecomposer.h"
#include "core/calendar/specialdate.h"
#include "core/common/result.h"
#include "core/project/monthentry.h"
#include "core/project/projectsettings.h"

#include <QSet>

namespace CalStudio {

class Project;
class ProjectStore;

/**
 * A project seen as the pages it prints: the cover and twelve months in
 * calendar order, each with its grid, names, public holidays (minus those the
 * user switched off) and personal dates. The studio's preview, exported PNGs
 * and the PDF export all build their pages here, so they cannot disagree.
 *
 * Page 0 is the cover; pages 1–12 are the months of the span in order (a
 * July start gives July … June). Pictures are not part of it: callers put
 * the month's image into the returned content.
 */
class CalendarDocument {
public:
    static constexpr int PageCount = 13;

    CalendarDocument(ProjectSettings settings, QList<MonthEntry> months, QList<SpecialDate> specialDates,
                     QSet<QString> holidaysOff);
    static CalendarDocument fromProject(const Project &project);
    static Result<CalendarDocument> fromStore(const ProjectStore &store);

    [[nodiscard]] const ProjectSettings &settings() const { return m_settings; }
    /// (year, month) of page 1–12.
    [[nodiscard]] std::pair<int, int> yearMonth(int page) const;
    /// The MonthEntry (prompt, title) index of a page: 0 for the cover, else the calendar month 1–12.
    [[nodiscard]] int monthEntryIndex(int page) const;
    /// "Cover", "July 2027", … in the calendar's language.
    [[nodiscard]] QString pageTitle(int page) const;

    [[nodiscard]] MonthPageContent monthPage(int page) const;
    [[nodiscard]] CoverPageContent cover() const;
    [[nodiscard]] PageComposer composer() const;

    /// Public holidays shown in the calendar's span, in its language, without the switched-off ones.
    [[nodiscard]] QList<Holiday> holidays() const { return m_holidays; }
    /// Set when the holiday region could not be loaded (the pages then show none).
    [[nodiscard]] const Error &holidayError() const { return m_holidayError; }

private:
    ProjectSettings m_settings;
    QList<MonthEntry> m_months;
    QList<SpecialDate> m_specialDates;
    QList<Holiday> m_holidays;
    Error m_holidayError;
    QLocale m_locale;
};

} // namespace CalStudio
