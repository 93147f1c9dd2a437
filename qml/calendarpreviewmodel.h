#pragma once

#include "core/calendar/holiday.h"
#include "core/calendar/holidaycalendar.h"
#include "core/calendar/pagecomposer.h"
#include "core/calendar/specialdate.h"
#include "core/project/calendardocument.h"
#include "core/project/projectsettings.h"

#include <QObject>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

#include <optional>

class QPainter;

namespace CalStudio {

/**
 * Everything a calendar page preview shows, in one object: the project's
 * design settings, its personal dates, the public holidays switched off and
 * the placeholder titles of the pages. CalendarPagePreview items paint from
 * it with the same PageComposer the PDF export uses.
 *
 * Page indices: 0 is the cover, 1–12 the months of the calendar's span in
 * order (a July start makes page 1 July of `year` and page 12 June of the
 * next year).
 *
 * The Widgets Calendar page keeps one model in step with the open Project
 * (setSettings(), setSpecialDates(), …); QML and tests can also set the
 * properties one by one. All properties share the one `changed()` signal:
 * any change repaints the page, and the page is all there is to update.
 *
 * The HolidayCalendar of the region and the holidays of the span are cached
 * and recomputed only when the region, language or span change, so a repaint
 * costs one PageComposer pass.
 */
class CalendarPreviewModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString title READ title WRITE setTitle NOTIFY changed)
    Q_PROPERTY(int year READ year WRITE setYear NOTIFY changed)
    Q_PROPERTY(int startMonth READ startMonth WRITE setStartMonth NOTIFY changed)
    Q_PROPERTY(QString locale READ locale WRITE setLocale NOTIFY changed)
    /// weekStartId(): "locale", "monday", "sunday" or "saturday".
    Q_PROPERTY(QString weekStart READ weekStart WRITE setWeekStart NOTIFY changed)
    /// pageLayoutId(): "photo-above", "full-bleed" or "side-by-side".
    Q_PROPERTY(QString layoutId READ layoutId WRITE setLayoutId NOTIFY changed)
    /// PageTheme id, e.g. "classic".
    Q_PROPERTY(QString themeId READ themeId WRITE setThemeId NOTIFY changed)
    Q_PROPERTY(bool weekNumbers READ weekNumbers WRITE setWeekNumbers NOTIFY changed)
    Q_PROPERTY(bool notesLine READ notesLine WRITE setNotesLine NOTIFY changed)
    /// Region code of the public holidays ("DE"), empty for none.
    Q_PROPERTY(QString holidayRegion READ holidayRegion WRITE setHolidayRegion NOTIFY changed)
    /// Ids of the region's holidays the user switched off ("easter-monday"); their observed days go too.
    Q_PROPERTY(QStringList disabledHolidays READ disabledHolidays WRITE setDisabledHolidays NOTIFY changed)
    /// Thirteen titles (index 0 the cover, 1–12 January–December) shown on the photo placeholders.
    Q_PROPERTY(QStringList placeholderTitles READ placeholderTitles WRITE setPlaceholderTitles NOTIFY changed)
    Q_PROPERTY(PageFormat pageFormat READ pageFormat WRITE setPageFormat NOTIFY changed)
    /// Width / height of the page: 8.5×11 portrait, 11×8.5 landscape or 1.
    Q_PROPERTY(qreal aspectRatio READ aspectRatio NOTIFY changed)
    Q_PROPERTY(int pageCount READ pageCount CONSTANT)
    /// Grows with every change; QML bindings that call the invokables read it to re-evaluate.
    Q_PROPERTY(int revision READ revision NOTIFY changed)
public:
    /// The paper the page is previewed on. Auto: landscape for side-by-side, portrait otherwise.
    enum class PageFormat { Auto, Portrait, Landscape, Square };
    Q_ENUM(PageFormat)

    static constexpr int PageCount = 13;

    explicit CalendarPreviewModel(QObject *parent = nullptr);

    [[nodiscard]] QString title() const { return m_settings.title; }
    [[nodiscard]] int year() const { return m_settings.year; }
    [[nodiscard]] int startMonth() const { return m_settings.startMonth; }
    [[nodiscard]] QString locale() const { return m_settings.locale; }
    [[nodiscard]] QString weekStart() const { return weekStartId(m_settings.weekStart); }
    [[nodiscard]] QString layoutId() const { return m_settings.pageLayout; }
    [[nodiscard]] QString themeId() const { return m_settings.pageTheme; }
    [[nodiscard]] bool weekNumbers() const { return m_settings.weekNumbers; }
    [[nodiscard]] bool notesLine() const { return m_settings.notesLine; }
    [[nodiscard]] QString holidayRegion() const { return m_settings.holidayRegion; }
    [[nodiscard]] QStringList disabledHolidays() const { return m_disabledHolidays; }
    [[nodiscard]] QStringList placeholderTitles() const { return m_placeholderTitles; }
    [[nodiscard]] PageFormat pageFormat() const { return m_pageFormat; }
    [[nodiscard]] qreal aspectRatio() const;
    [[nodiscard]] int pageCount() const { return PageCount; }
    [[nodiscard]] int revision() const { return m_revision; }
    [[nodiscard]] const ProjectSettings &settings() const { return m_settings; }
    [[nodiscard]] const QList<SpecialDate> &specialDates() const { return m_specialDates; }

    void setTitle(const QString &title);
    void setYear(int year);
    void setStartMonth(int month);
    void setLocale(const QString &locale);
    void setWeekStart(const QString &id);
    void setLayoutId(const QString &id);
    void setThemeId(const QString &id);
    void setWeekNumbers(bool on);
    void setNotesLine(bool on);
    void setHolidayRegion(const QString &region);
    void setDisabledHolidays(const QStringList &ids);
    void setPlaceholderTitles(const QStringList &titles);
    void setPageFormat(PageFormat format);
    /// Takes every page-relevant setting of a project at once (one `changed()`).
    void setSettings(const ProjectSettings &settings);
    void setSpecialDates(const QList<SpecialDate> &dates);

    /// The (year, month) shown on page 1–12; (0, 0) for the cover or an index out of range.
    [[nodiscard]] std::pair<int, int> yearMonthOfPage(int page) const;
    /// The page (1–12) showing `date`, or -1 when the calendar does not include it.
    Q_INVOKABLE int pageOfDate(const QDate &date) const;
    /// "Cover" or "September 2027", in the UI language, for page labels.
    Q_INVOKABLE QString pageName(int page) const;

    /// The region's holidays in the calendar's span and language, including the switched-off ones.
    [[nodiscard]] QList<Holiday> holidays() const;
    /// The region's data sources (law names, URLs), empty without a region.
    [[nodiscard]] QString holidaySource() const;
    /// Why the region's holidays cannot be shown (unknown region, damaged data), empty when they can.
    [[nodiscard]] QString holidayError() const;
    /// What page `page` writes into its day cells: enabled holidays, then personal dates, by date.
    [[nodiscard]] QList<DayMark> marks(int page) const;

    /// Draws page `page` into `target` with PageComposer (what the PDF export prints).
    void paintPage(QPainter &painter, const QRectF &target, int page) const;
    /// Renders page `page` at `size` pixels.
    [[nodiscard]] QImage renderPage(int page, const QSize &size) const;

Q_SIGNALS:
    void changed();

private:
    void touch();
    void loadHolidayCalendar() const;
    [[nodiscard]] std::pair<QDate, QDate> spanDates() const;

    ProjectSettings m_settings;
    QList<SpecialDate> m_specialDates;
    QStringList m_disabledHolidays;
    QStringList m_placeholderTitles;
    PageFormat m_pageFormat = PageFormat::Auto;
    int m_revision = 0;

    // Caches, filled on first use (paint runs while the GUI thread waits, so no locking).
    mutable std::optional<HolidayCalendar> m_holidayCalendar;
    mutable QString m_holidayCalendarRegion;
    mutable QString m_holidayError;
    mutable bool m_holidaysValid = false;
    mutable QList<Holiday> m_holidays;
    /// The pages as CalendarDocument builds them for every output; rebuilt after a change.
    [[nodiscard]] const CalendarDocument &document() const;
    mutable std::optional<CalendarDocument> m_document;
};

} // namespace CalStudio
