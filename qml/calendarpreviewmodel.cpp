#include "qml/calendarpreviewmodel.h"

#include "core/calendar/calendarnames.h"
#include "core/calendar/monthgrid.h"
#include "core/calendar/pagetheme.h"
#include "qml/qmllogging.h"

#include <QCoreApplication>
#include <QPainter>

#include <algorithm>

namespace CalStudio {

namespace {

QString capitalized(QString text)
{
    if (!text.isEmpty())
        text[0] = text.at(0).toUpper();
    return text;
}

template <typename T> bool assign(T &member, const T &value)
{
    if (member == value)
        return false;
    member = value;
    return true;
}

} // namespace

CalendarPreviewModel::CalendarPreviewModel(QObject *parent)
    : QObject(parent)
    , m_settings(ProjectSettings::defaults())
{
}

void CalendarPreviewModel::touch()
{
    m_document.reset();
    ++m_revision;
    Q_EMIT changed();
}

qreal CalendarPreviewModel::aspectRatio() const
{
    constexpr qreal letterPortrait = 8.5 / 11.0;
    switch (m_pageFormat) {
    case PageFormat::Portrait:
        return letterPortrait;
    case PageFormat::Landscape:
        return 1.0 / letterPortrait;
    case PageFormat::Square:
        return 1.0;
    case PageFormat::Auto:
        break;
    }
    return pageLayoutFromId(m_settings.pageLayout) == PageLayout::SideBySide ? 1.0 / letterPortrait : letterPortrait;
}

void CalendarPreviewModel::setTitle(const QString &title)
{
    if (assign(m_settings.title, title))
        touch();
}

void CalendarPreviewModel::setYear(int year)
{
    if (year < ProjectSettings::MinYear || year > ProjectSettings::MaxYear) {
        qCWarning(lcQml) << "preview ignores year out of range" << year;
        return;
    }
    if (assign(m_settings.year, year)) {
        m_holidaysValid = false;
        touch();
    }
}

void CalendarPreviewModel::setStartMonth(int month)
{
    if (month < 1 || month > 12) {
        qCWarning(lcQml) << "preview ignores start month out of range" << month;
        return;
    }
    if (assign(m_settings.startMonth, month)) {
        m_holidaysValid = false;
        touch();
    }
}

void CalendarPreviewModel::setLocale(const QString &locale)
{
    if (assign(m_settings.locale, locale)) {
        m_holidaysValid = false; // holiday names follow the language
        touch();
    }
}

void CalendarPreviewModel::setWeekStart(const QString &id)
{
    const std::optional<WeekStart> ws = weekStartFromId(id);
    if (!ws) {
        qCWarning(lcQml) << "preview ignores unknown week start" << id;
        return;
    }
    if (assign(m_settings.weekStart, *ws))
        touch();
}

void CalendarPreviewModel::setLayoutId(const QString &id)
{
    if (!pageLayoutFromId(id)) {
        qCWarning(lcQml) << "preview ignores unknown page layout" << id;
        return;
    }
    if (assign(m_settings.pageLayout, id))
        touch();
}

void CalendarPreviewModel::setThemeId(const QString &id)
{
    if (assign(m_settings.pageTheme, id))
        touch();
}

void CalendarPreviewModel::setWeekNumbers(bool on)
{
    if (assign(m_settings.weekNumbers, on))
        touch();
}

void CalendarPreviewModel::setNotesLine(bool on)
{
    if (assign(m_settings.notesLine, on))
        touch();
}

void CalendarPreviewModel::setHolidayRegion(const QString &region)
{
    if (assign(m_settings.holidayRegion, region)) {
        m_holidaysValid = false;
        touch();
    }
}

void CalendarPreviewModel::setDisabledHolidays(const QStringList &ids)
{
    if (assign(m_disabledHolidays, ids))
        touch();
}

void CalendarPreviewModel::setPlaceholderTitles(const QStringList &titles)
{
    if (assign(m_placeholderTitles, titles))
        touch();
}

void CalendarPreviewModel::setPageFormat(PageFormat format)
{
    if (assign(m_pageFormat, format))
        touch();
}

void CalendarPreviewModel::setSettings(const ProjectSettings &settings)
{
    if (m_settings.sameContent(settings))
        return;
    if (settings.year != m_settings.year || settings.startMonth != m_settings.startMonth
        || settings.locale != m_settings.locale || settings.holidayRegion != m_settings.holidayRegion)
        m_holidaysValid = false;
    m_settings = settings;
    touch();
}

void CalendarPreviewModel::setSpecialDates(const QList<SpecialDate> &dates)
{
    if (assign(m_specialDates, dates))
        touch();
}

std::pair<int, int> CalendarPreviewModel::yearMonthOfPage(int page) const
{
    if (page < 1 || page >= PageCount)
        return { 0, 0 };
    const int zeroBased = m_settings.startMonth - 1 + page - 1;
    return { m_settings.year + zeroBased / 12, zeroBased % 12 + 1 };
}

int CalendarPreviewModel::pageOfDate(const QDate &date) const
{
    if (!date.isValid())
        return -1;
    const int offset = (date.year() - m_settings.year) * 12 + date.month() - m_settings.startMonth;
    return (offset >= 0 && offset < 12) ? offset + 1 : -1;
}

QString CalendarPreviewModel::pageName(int page) const
{
    if (page == 0)
        return tr("Cover");
    const auto [year, month] = yearMonthOfPage(page);
    if (year == 0)
        return {};
    // The label is part of the UI, so it speaks the UI's language, not the calendar's.
    return tr("%1 %2", "month year").arg(capitalized(QLocale().standaloneMonthName(month)), QString::number(year));
}

std::pair<QDate, QDate> CalendarPreviewModel::spanDates() const
{
    const QDate from(m_settings.year, m_settings.startMonth, 1);
    const QDate last = from.addMonths(11);
    return { from, QDate(last.year(), last.month(), last.daysInMonth()) };
}

void CalendarPreviewModel::loadHolidayCalendar() const
{
    if (m_holidayCalendarRegion == m_settings.holidayRegion && (m_holidayCalendar || !m_holidayError.isEmpty()))
        return;
    m_holidayCalendarRegion = m_settings.holidayRegion;
    m_holidayCalendar.reset();
    m_holidayError.clear();
    if (m_settings.holidayRegion.isEmpty())
        return;
    auto calendar = HolidayCalendar::load(m_settings.holidayRegion);
    if (!calendar) {
        qCWarning(lcQml) << "no holidays for" << m_settings.holidayRegion << calendar.error().detail;
        m_holidayError = calendar.error().userMessage;
        return;
    }
    m_holidayCalendar = std::move(*calendar);
}

QList<Holiday> CalendarPreviewModel::holidays() const
{
    loadHolidayCalendar();
    if (!m_holidaysValid || m_holidayCalendarRegion != m_settings.holidayRegion) {
        m_holidays.clear();
        if (m_holidayCalendar) {
            const auto [from, to] = spanDates();
            m_holidays = m_holidayCalendar->between(from, to, m_settings.locale);
        }
        m_holidaysValid = true;
    }
    return m_holidays;
}

QString CalendarPreviewModel::holidaySource() const
{
    loadHolidayCalendar();
    return m_holidayCalendar ? m_holidayCalendar->source() : QString();
}

QString CalendarPreviewModel::holidayError() const
{
    loadHolidayCalendar();
    return m_holidayError;
}

const CalendarDocument &CalendarPreviewModel::document() const
{
    if (!m_document) {
        QList<MonthEntry> pages;
        for (int m = 0; m < MonthEntry::PageCount; ++m)
            pages.append(MonthEntry{m, m_placeholderTitles.value(m), {}, {}, {}, 0});
        QSet<QString> off;
        for (const QString &id : m_disabledHolidays)
            off.insert(m_settings.holidayRegion + QLatin1Char(':') + id);
        m_document.emplace(m_settings, pages, m_specialDates, off);
    }
    return *m_document;
}

QList<DayMark> CalendarPreviewModel::marks(int page) const
{
    if (page < 1 || page >= PageCount)
        return {};
    return document().monthPage(page).marks;
}

void CalendarPreviewModel::paintPage(QPainter &painter, const QRectF &target, int page) const
{
    // The same document and composer as exported pages and the PDF: what you see is what prints.
    const CalendarDocument &doc = document();
    const PageComposer composer = doc.composer();
    if (page == 0)
        composer.paintCover(painter, target, doc.cover());
    else if (page > 0 && page < PageCount)
        composer.paintMonth(painter, target, doc.monthPage(page));
}

QImage CalendarPreviewModel::renderPage(int page, const QSize &size) const
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(PageTheme::find(m_settings.pageTheme).paper);
    QPainter painter(&image);
    paintPage(painter, QRectF(QPointF(0, 0), QSizeF(size)), page);
    return image;
}

} // namespace CalStudio
