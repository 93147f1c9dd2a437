#include "core/calendar/holidayrule.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonValue>

#include <array>

namespace CalStudio {

namespace {

// "first-of" rules nest; real data needs one level, a cap keeps a hostile file from recursing deeply.
constexpr int MaxNesting = 4;
constexpr int MaxEasterOffset = 400;
constexpr unsigned AllWeekdays = 0xFE; // bits 1 (Monday) … 7 (Sunday)

const std::array<QLatin1String, 7> weekdayNames = {
    QLatin1String("monday"),
    QLatin1String("tuesday"),
    QLatin1String("wednesday"),
    QLatin1String("thursday"),
    QLatin1String("friday"),
    QLatin1String("saturday"),
    QLatin1String("sunday"),
};

Error malformed(const QString &path, const QString &problem)
{
    return Error(QStringLiteral("holidays_malformed"),
        QCoreApplication::translate("HolidayRule",
            "The public-holiday data is damaged and cannot be used. "
            "Reinstall Calendar Studio or turn holidays off for this calendar."),
        path + QStringLiteral(": ") + problem);
}

bool inRange(const QJsonValue &v, int low, int high)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    return d == double(int(d)) && int(d) >= low && int(d) <= high;
}

Result<int> intField(const QJsonObject &json, const QString &path, const char *key, int low, int high)
{
    const QJsonValue v = json.value(QLatin1String(key));
    if (v.isUndefined())
        return malformed(path, QStringLiteral("missing \"%1\"").arg(QLatin1String(key)));
    if (!inRange(v, low, high))
        return malformed(path,
            QStringLiteral("\"%1\" must be a whole number from %2 to %3").arg(QLatin1String(key)).arg(low).arg(high));
    return v.toInt();
}

Result<int> weekdayField(const QJsonObject &json, const QString &path)
{
    const QJsonValue v = json.value(QLatin1String("weekday"));
    const int day = HolidayRule::weekdayFromName(v.toString());
    if (day == 0)
        return malformed(path, QStringLiteral("\"weekday\" must be one of monday … sunday"));
    return day;
}

// Month and day are checked against a leap year so that 29 February is accepted (it yields no date in common years).
Status checkMonthDay(int month, int day, const QString &path)
{
    if (!QDate(2000, month, day).isValid())
        return malformed(path, QStringLiteral("there is no day %1 in month %2").arg(day).arg(month));
    return Status::success();
}

Result<unsigned> weekdaySet(const QJsonValue &value, const QString &path, const char *key)
{
    if (!value.isArray() || value.toArray().isEmpty())
        return malformed(
            path, QStringLiteral("\"%1\" must be a non-empty list of weekday names").arg(QLatin1String(key)));
    unsigned bits = 0;
    for (const QJsonValue &item : value.toArray()) {
        const int day = HolidayRule::weekdayFromName(item.toString());
        if (day == 0)
            return malformed(path,
                QStringLiteral("\"%1\" contains \"%2\", which is not a weekday name")
                    .arg(QLatin1String(key), item.toVariant().toString()));
        bits |= 1U << day;
    }
    return bits;
}

Result<HolidayRule> parse(const QJsonObject &json, const QString &path, int depth)
{
    static const QStringList knownKeys = {
        QStringLiteral("type"),
        QStringLiteral("month"),
        QStringLiteral("day"),
        QStringLiteral("weekday"),
        QStringLiteral("n"),
        QStringLiteral("offset"),
        QStringLiteral("computus"),
        QStringLiteral("rules"),
        QStringLiteral("onlyOn"),
        QStringLiteral("notOn"),
    };
    // A misspelt key ("ofset") would otherwise be silently ignored and give a wrong date.
    for (const QString &key : json.keys()) {
        if (!knownKeys.contains(key))
            return malformed(path, QStringLiteral("unknown key \"%1\"").arg(key));
    }

    const QString type = json.value(QLatin1String("type")).toString();
    HolidayRule rule;
    if (type == QLatin1String("fixed")) {
        const auto month = intField(json, path, "month", 1, 12);
        if (!month)
            return month.error();
        const auto day = intField(json, path, "day", 1, 31);
        if (!day)
            return day.error();
        if (auto ok = checkMonthDay(*month, *day, path); !ok)
            return ok.error();
        rule = HolidayRule::fixed(*month, *day);
    } else if (type == QLatin1String("nth-weekday")) {
        const auto month = intField(json, path, "month", 1, 12);
        if (!month)
            return month.error();
        const auto weekday = weekdayField(json, path);
        if (!weekday)
            return weekday.error();
        const auto n = intField(json, path, "n", -1, 5);
        if (!n)
            return n.error();
        if (*n == 0)
            return malformed(path, QStringLiteral("\"n\" must be 1 to 5, or -1 for the last"));
        rule = HolidayRule::nthWeekday(*month, Qt::DayOfWeek(*weekday), *n);
    } else if (type == QLatin1String("weekday-on-or-before") || type == QLatin1String("weekday-on-or-after")) {
        const auto month = intField(json, path, "month", 1, 12);
        if (!month)
            return month.error();
        const auto day = intField(json, path, "day", 1, 31);
        if (!day)
            return day.error();
        if (auto ok = checkMonthDay(*month, *day, path); !ok)
            return ok.error();
        const auto weekday = weekdayField(json, path);
        if (!weekday)
            return weekday.error();
        rule = type == QLatin1String("weekday-on-or-before")
            ? HolidayRule::weekdayOnOrBefore(*month, *day, Qt::DayOfWeek(*weekday))
            : HolidayRule::weekdayOnOrAfter(*month, *day, Qt::DayOfWeek(*weekday));
    } else if (type == QLatin1String("easter")) {
        int offset = 0;
        if (json.contains(QLatin1String("offset"))) {
            const auto o = intField(json, path, "offset", -MaxEasterOffset, MaxEasterOffset);
            if (!o)
                return o.error();
            offset = *o;
        }
        const QString computus = json.value(QLatin1String("computus")).toString(QStringLiteral("western"));
        if (computus != QLatin1String("western") && computus != QLatin1String("orthodox"))
            return malformed(path, QStringLiteral("\"computus\" must be \"western\" or \"orthodox\""));
        rule = HolidayRule::easter(offset,
            computus == QLatin1String("orthodox") ? HolidayRule::Computus::Orthodox : HolidayRule::Computus::Western);
    } else if (type == QLatin1String("first-of")) {
        if (depth >= MaxNesting)
            return malformed(path, QStringLiteral("\"first-of\" rules nest more than %1 deep").arg(MaxNesting));
        const QJsonValue list = json.value(QLatin1String("rules"));
        if (!list.isArray() || list.toArray().isEmpty())
            return malformed(path, QStringLiteral("\"rules\" must be a non-empty list of rules"));
        std::vector<HolidayRule> rules;
        const QJsonArray array = list.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString childPath = path + QStringLiteral(".rules[%1]").arg(i);
            if (!array.at(i).isObject())
                return malformed(childPath, QStringLiteral("must be an object"));
            auto child = parse(array.at(i).toObject(), childPath, depth + 1);
            if (!child)
                return child.error();
            rules.push_back(std::move(*child));
        }
        rule = HolidayRule::firstOf(std::move(rules));
    } else if (type.isEmpty()) {
        return malformed(path, QStringLiteral("missing \"type\""));
    } else {
        return malformed(path, QStringLiteral("unknown rule type \"%1\"").arg(type));
    }

    unsigned allowed = AllWeekdays;
    if (json.contains(QLatin1String("onlyOn"))) {
        const auto bits = weekdaySet(json.value(QLatin1String("onlyOn")), path, "onlyOn");
        if (!bits)
            return bits.error();
        allowed &= *bits;
    }
    if (json.contains(QLatin1String("notOn"))) {
        const auto bits = weekdaySet(json.value(QLatin1String("notOn")), path, "notOn");
        if (!bits)
            return bits.error();
        allowed &= ~*bits;
    }
    if (allowed == 0)
        return malformed(path, QStringLiteral("\"onlyOn\"/\"notOn\" exclude every weekday"));
    for (int d = Qt::Monday; d <= Qt::Sunday; ++d) {
        if (!(allowed & (1U << d)))
            rule = rule.notOn({ Qt::DayOfWeek(d) });
    }
    return rule;
}

int daysInMonth(int year, int month)
{
    return QDate(year, month, 1).daysInMonth();
}

} // namespace

Result<HolidayRule> HolidayRule::fromJson(const QJsonObject &json, const QString &path)
{
    return parse(json, path, 0);
}

HolidayRule HolidayRule::fixed(int month, int day)
{
    HolidayRule r;
    r.m_type = Type::Fixed;
    r.m_month = month;
    r.m_day = day;
    return r;
}

HolidayRule HolidayRule::nthWeekday(int month, Qt::DayOfWeek weekday, int n)
{
    HolidayRule r;
    r.m_type = Type::NthWeekday;
    r.m_month = month;
    r.m_weekday = weekday;
    r.m_n = n;
    return r;
}

HolidayRule HolidayRule::weekdayOnOrBefore(int month, int day, Qt::DayOfWeek weekday)
{
    HolidayRule r = fixed(month, day);
    r.m_type = Type::WeekdayOnOrBefore;
    r.m_weekday = weekday;
    return r;
}

HolidayRule HolidayRule::weekdayOnOrAfter(int month, int day, Qt::DayOfWeek weekday)
{
    HolidayRule r = fixed(month, day);
    r.m_type = Type::WeekdayOnOrAfter;
    r.m_weekday = weekday;
    return r;
}

HolidayRule HolidayRule::easter(int offset, Computus computus)
{
    HolidayRule r;
    r.m_type = Type::Easter;
    r.m_offset = offset;
    r.m_computus = computus;
    return r;
}

HolidayRule HolidayRule::firstOf(std::vector<HolidayRule> rules)
{
    HolidayRule r;
    r.m_type = Type::FirstOf;
    r.m_rules = std::move(rules);
    return r;
}

HolidayRule HolidayRule::onlyOn(std::initializer_list<Qt::DayOfWeek> weekdays) const
{
    unsigned bits = 0;
    for (Qt::DayOfWeek d : weekdays)
        bits |= 1U << d;
    HolidayRule r = *this;
    r.m_allowedWeekdays &= bits;
    return r;
}

HolidayRule HolidayRule::notOn(std::initializer_list<Qt::DayOfWeek> weekdays) const
{
    HolidayRule r = *this;
    for (Qt::DayOfWeek d : weekdays)
        r.m_allowedWeekdays &= ~(1U << d);
    return r;
}

QDate HolidayRule::dateIn(int year) const
{
    if (year < MinYear || year > MaxYear)
        return {};
    const QDate date = unconditionalDateIn(year);
    if (!date.isValid() || !(m_allowedWeekdays & (1U << date.dayOfWeek())))
        return {};
    return date;
}

QDate HolidayRule::unconditionalDateIn(int year) const
{
    switch (m_type) {
    case Type::Fixed:
        return QDate(year, m_month, m_day); // invalid for 29 February in a common year
    case Type::NthWeekday: {
        if (m_n > 0) {
            const QDate first(year, m_month, 1);
            const int lead = (m_weekday - first.dayOfWeek() + 7) % 7;
            const int day = 1 + lead + 7 * (m_n - 1);
            return day <= daysInMonth(year, m_month) ? QDate(year, m_month, day) : QDate();
        }
        const QDate last(year, m_month, daysInMonth(year, m_month));
        return last.addDays(-((last.dayOfWeek() - m_weekday + 7) % 7));
    }
    case Type::WeekdayOnOrBefore: {
        const QDate anchor(year, m_month, m_day);
        if (!anchor.isValid())
            return {};
        return anchor.addDays(-((anchor.dayOfWeek() - m_weekday + 7) % 7));
    }
    case Type::WeekdayOnOrAfter: {
        const QDate anchor(year, m_month, m_day);
        if (!anchor.isValid())
            return {};
        return anchor.addDays((m_weekday - anchor.dayOfWeek() + 7) % 7);
    }
    case Type::Easter: {
        const QDate sunday = m_computus == Computus::Western ? westernEaster(year) : orthodoxEaster(year);
        return sunday.isValid() ? sunday.addDays(m_offset) : QDate();
    }
    case Type::FirstOf:
        for (const HolidayRule &rule : m_rules) {
            const QDate date = rule.dateIn(year);
            if (date.isValid())
                return date;
        }
        return {};
    }
    return {};
}

QDate HolidayRule::westernEaster(int year)
{
    if (year < MinYear || year > MaxYear)
        return {};
    // Anonymous Gregorian algorithm (Meeus, Astronomical Algorithms, ch. 8), valid for every Gregorian year.
    const int a = year % 19; // position in the 19-year Metonic cycle
    const int b = year / 100;
    const int c = year % 100;
    const int d = b / 4;
    const int e = b % 4;
    const int f = (b + 8) / 25;
    const int g = (b - f + 1) / 3; // lunar (Metonic) correction
    const int h = (19 * a + b - d - g + 15) % 30; // epact-derived: days from 21 March to the Paschal full moon
    const int i = c / 4;
    const int k = c % 4;
    const int l = (32 + 2 * e + 2 * i - h - k) % 7; // days from the full moon to the following Sunday
    const int m = (a + 11 * h + 22 * l) / 451;
    const int month = (h + l - 7 * m + 114) / 31;
    const int day = (h + l - 7 * m + 114) % 31 + 1;
    return QDate(year, month, day);
}

QDate HolidayRule::orthodoxEaster(int year)
{
    if (year < MinYear || year > MaxYear)
        return {};
    // Meeus' Julian algorithm (Astronomical Algorithms, ch. 8): the date in the Julian calendar.
    const int a = year % 4;
    const int b = year % 7;
    const int c = year % 19;
    const int d = (19 * c + 15) % 30;
    const int e = (2 * a + 4 * b - d + 34) % 7;
    const int month = (d + e + 114) / 31;
    const int day = (d + e + 114) % 31 + 1;
    // The Julian calendar drifts one day per Gregorian century year that is not a leap year. The formula
    // holds from 1 March of `year` (Julian) on, and Easter is always after that: 13 days in 1900–2099.
    const int julianToGregorian = year / 100 - year / 400 - 2;
    return QDate(year, month, day).addDays(julianToGregorian);
}

int HolidayRule::weekdayFromName(const QString &name)
{
    for (size_t i = 0; i < weekdayNames.size(); ++i) {
        if (name == weekdayNames[i])
            return int(i) + 1;
    }
    return 0;
}

} // namespace CalStudio
