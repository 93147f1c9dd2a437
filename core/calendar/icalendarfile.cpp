#include "core/calendar/icalendarfile.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <libical/ical.h>

#include <cstdlib>
#include <memory>

namespace CalStudio {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ICalendarFile", text);
}

struct ComponentDeleter {
    void operator()(icalcomponent *c) const { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentDeleter>;

const char *const KindProperty = "X-CALSTUDIO-KIND";
const char *const ShowAgeProperty = "X-CALSTUDIO-SHOW-AGE";
const char *const LeapRuleProperty = "X-CALSTUDIO-LEAP-RULE";

QString xValue(icalcomponent *event, const char *name)
{
    for (icalproperty *p = icalcomponent_get_first_property(event, ICAL_X_PROPERTY); p;
         p = icalcomponent_get_next_property(event, ICAL_X_PROPERTY)) {
        const char *n = icalproperty_get_x_name(p);
        if (n && qstricmp(n, name) == 0) {
            const char *v = icalproperty_get_x(p);
            return v ? QString::fromUtf8(v).trimmed() : QString();
        }
    }
    return {};
}

/// Reads one VEVENT; returns nullopt for events a calendar of days cannot show.
std::optional<SpecialDate> readEvent(icalcomponent *event)
{
    const icaltimetype start = icalcomponent_get_dtstart(event);
    if (icaltime_is_null_time(start) || !start.is_date)
        return std::nullopt; // timed meetings are not personal days
    SpecialDate d;
    d.date = QDate(start.year, start.month, start.day);
    if (!d.date.isValid())
        return std::nullopt;
    const char *summary = icalcomponent_get_summary(event);
    d.label = summary ? QString::fromUtf8(summary).simplified() : QString();
    if (d.label.isEmpty())
        return std::nullopt;

    d.recurring = false;
    bool lastDayOfFebruary = false;
    if (icalproperty *rrule = icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY)) {
        const icalrecurrencetype r = icalproperty_get_rrule(rrule);
        if (r.freq != ICAL_YEARLY_RECURRENCE || r.interval > 1)
            return std::nullopt; // monthly or weekly events are not dates of the year
        d.recurring = true;
        lastDayOfFebruary = r.by_month[0] == 2 && r.by_month_day[0] == -1;
    }

    d.kind = SpecialDate::Kind::Custom;
    for (icalproperty *p = icalcomponent_get_first_property(event, ICAL_CATEGORIES_PROPERTY); p;
         p = icalcomponent_get_next_property(event, ICAL_CATEGORIES_PROPERTY)) {
        const QString categories = QString::fromUtf8(icalproperty_get_categories(p)).toUpper();
        if (categories.contains(QLatin1String("BIRTHDAY")))
            d.kind = SpecialDate::Kind::Birthday;
        else if (categories.contains(QLatin1String("ANNIVERSARY")))
            d.kind = SpecialDate::Kind::Anniversary;
        else if (categories.contains(QLatin1String("HOLIDAY")))
            d.kind = SpecialDate::Kind::Holiday;
    }
    if (const auto kind = SpecialDate::kindFromId(xValue(event, KindProperty)))
        d.kind = *kind;
    d.showAge = xValue(event, ShowAgeProperty).compare(QLatin1String("TRUE"), Qt::CaseInsensitive) == 0;
    if (const auto rule = SpecialDate::leapRuleFromId(xValue(event, LeapRuleProperty).toLower()))
        d.leapRule = *rule;
    else if (lastDayOfFebruary)
        d.leapRule = SpecialDate::LeapRule::February28;
    return d;
}

void readEvents(icalcomponent *component, ICalendarFile::ImportResult &result)
{
    const icalcomponent_kind kind = icalcomponent_isa(component);
    if (kind == ICAL_VEVENT_COMPONENT) {
        if (auto d = readEvent(component))
            result.dates.append(*d);
        else
            ++result.skipped;
        return;
    }
    for (icalcomponent *c = icalcomponent_get_first_component(component, ICAL_ANY_COMPONENT); c;
         c = icalcomponent_get_next_component(component, ICAL_ANY_COMPONENT)) {
        const icalcomponent_kind k = icalcomponent_isa(c);
        if (k == ICAL_VEVENT_COMPONENT || k == ICAL_VCALENDAR_COMPONENT)
            readEvents(c, result);
    }
}

void addX(icalcomponent *event, const char *name, const QByteArray &value)
{
    icalproperty *p = icalproperty_new_x(value.constData());
    icalproperty_set_x_name(p, name);
    icalcomponent_add_property(event, p);
}

} // namespace

Result<ICalendarFile::ImportResult> ICalendarFile::parse(const QByteArray &ics)
{
    QByteArray text = ics;
    if (text.startsWith("\xEF\xBB\xBF"))
        text.remove(0, 3);
    if (!text.trimmed().toUpper().startsWith("BEGIN:VCALENDAR"))
        return Error(QStringLiteral("not_icalendar"),
                     tr("This is not an iCalendar (.ics) file. Export the dates from your calendar or address book "
                        "as .ics and try again."));
    ComponentPtr root(icalparser_parse_string(text.constData()));
    if (!root)
        return Error(QStringLiteral("not_icalendar"),
                     tr("The calendar file could not be read. It may be damaged; export it again and retry."),
                     QString::fromUtf8(icalerror_strerror(icalerrno)));
    ImportResult result;
    readEvents(root.get(), result);
    return result;
}

Result<ICalendarFile::ImportResult> ICalendarFile::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error(QStringLiteral("unreadable"),
                     tr("“%1” could not be opened. Check that it exists and that you may read it.")
                         .arg(QFileInfo(path).fileName()),
                     file.errorString());
    if (file.size() > MaxBytes)
        return Error(QStringLiteral("too_large"),
                     tr("“%1” is too large for a file of dates (over 8 MB).").arg(QFileInfo(path).fileName()));
    return parse(file.readAll());
}

QByteArray ICalendarFile::serialize(const QList<SpecialDate> &dates)
{
    ComponentPtr calendar(icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
                                              icalproperty_new_prodid("-//Calendar Studio//Personal dates//EN"),
                                              nullptr));
    const icaltimetype now = icaltime_current_time_with_zone(icaltimezone_get_utc_timezone());
    for (const SpecialDate &d : dates) {
        if (!d.date.isValid())
            continue;
        icalcomponent *event = icalcomponent_new(ICAL_VEVENT_COMPONENT);
        const QByteArray kind = SpecialDate::kindId(d.kind).toUtf8();
        const QByteArray label = d.label.toUtf8();
        // A stable UID, so importing an export again can be recognised.
        const QByteArray uid =
            QCryptographicHash::hash(QByteArray(kind + '|' + d.date.toString(Qt::ISODate).toUtf8() + '|' + label),
                                     QCryptographicHash::Sha1)
                .toHex()
            + "@calendar-studio";
        icalcomponent_add_property(event, icalproperty_new_uid(uid.constData()));
        icalcomponent_add_property(event, icalproperty_new_dtstamp(now));
        icaltimetype start = icaltime_null_date();
        start.year = d.date.year();
        start.month = d.date.month();
        start.day = d.date.day();
        icalcomponent_add_property(event, icalproperty_new_dtstart(start));
        icalcomponent_add_property(event, icalproperty_new_summary(label.constData()));
        icalcomponent_add_property(event, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
        if (d.recurring) {
            icalrecurrencetype r;
            icalrecurrencetype_clear(&r);
            r.freq = ICAL_YEARLY_RECURRENCE;
            if (d.date.month() == 2 && d.date.day() == 29 && d.leapRule == SpecialDate::LeapRule::February28) {
                // "The last day of February" is what other programs understand as the 28 February rule.
                r.by_month[0] = 2;
                r.by_month_day[0] = -1;
            }
            icalcomponent_add_property(event, icalproperty_new_rrule(r));
        }
        if (d.kind != SpecialDate::Kind::Custom)
            icalcomponent_add_property(event, icalproperty_new_categories(kind.toUpper().constData()));
        addX(event, KindProperty, kind);
        if (d.showAge)
            addX(event, ShowAgeProperty, "TRUE");
        if (d.date.month() == 2 && d.date.day() == 29)
            addX(event, LeapRuleProperty, SpecialDate::leapRuleId(d.leapRule).toUtf8());
        icalcomponent_add_component(calendar.get(), event);
    }
    char *text = icalcomponent_as_ical_string_r(calendar.get());
    QByteArray out(text);
    std::free(text);
    return out;
}

Status ICalendarFile::write(const QString &path, const QList<SpecialDate> &dates)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(serialize(dates)) < 0 || !file.commit())
        return Error(QStringLiteral("io_error"),
                     tr("The dates could not be saved to “%1”. Check that the folder exists and has free space.")
                         .arg(QFileInfo(path).fileName()),
                     file.errorString());
    return Status::success();
}

} // namespace CalStudio
