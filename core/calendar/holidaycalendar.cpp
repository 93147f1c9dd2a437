#include "core/calendar/holidaycalendar.h"

#include "core/calendar/calendarlogging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace CalStudio {

namespace {

const QString resourceDir = QStringLiteral(":/calstudio/holidays");
const QLatin1String english("en");
constexpr qsizetype MaxHolidays = 200;

Error malformed(const QString &detail)
{
    return Error(QStringLiteral("holidays_malformed"),
        QCoreApplication::translate("HolidayCalendar",
            "The public-holiday data is damaged and cannot be used. "
            "Reinstall Calendar Studio or turn holidays off for this calendar."),
        detail);
}

bool isRegionCode(const QString &code)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Z]{2}(-[A-Z0-9]{1,3})?$"));
    return pattern.match(code).hasMatch();
}

bool isLanguageCode(const QString &code)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z]{2,3}$"));
    return pattern.match(code).hasMatch();
}

bool isId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9]+(-[a-z0-9]+)*$"));
    return pattern.match(id).hasMatch();
}

Status checkKeys(const QJsonObject &object, const QStringList &known, const QString &path)
{
    for (const QString &key : object.keys()) {
        if (!known.contains(key))
            return malformed(QStringLiteral("%1: unknown key \"%2\"").arg(path, key));
    }
    return Status::success();
}

/// A language → text map such as "names"; every key an ISO 639 code, every value non-empty text.
Result<QHash<QString, QString>> textMap(const QJsonValue &value, const QString &path)
{
    if (!value.isObject())
        return malformed(QStringLiteral("%1: must be an object of language → text").arg(path));
    QHash<QString, QString> map;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!isLanguageCode(it.key()))
            return malformed(QStringLiteral("%1: \"%2\" is not a language code such as \"en\"").arg(path, it.key()));
        const QString text = it.value().toString().trimmed();
        if (text.isEmpty())
            return malformed(QStringLiteral("%1.%2: must be non-empty text").arg(path, it.key()));
        map.insert(it.key(), text);
    }
    return map;
}

Result<int> yearField(const QJsonObject &object, const char *key, int fallback, const QString &path)
{
    const QJsonValue v = object.value(QLatin1String(key));
    if (v.isUndefined())
        return fallback;
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d != double(int(d)) || int(d) < HolidayRule::MinYear || int(d) > HolidayRule::MaxYear)
        return malformed(QStringLiteral("%1.%2: must be a year from %3 to %4")
                             .arg(path, QLatin1String(key))
                             .arg(HolidayRule::MinYear)
                             .arg(HolidayRule::MaxYear));
    return int(d);
}

/// "de_DE", "de-AT", "DE" → "de".
QString primaryLanguage(const QString &language)
{
    static const QRegularExpression separator(QStringLiteral("[-_.@]"));
    const qsizetype cut = language.indexOf(separator);
    return (cut < 0 ? language : language.left(cut)).toLower();
}

bool isWeekend(const QDate &date)
{
    return date.dayOfWeek() >= Qt::Saturday;
}

} // namespace

QStringList HolidayCalendar::availableRegions()
{
    QStringList regions;
    const QStringList files = QDir(resourceDir).entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
    for (const QString &file : files)
        regions.append(file.chopped(5));
    if (regions.isEmpty())
        qCWarning(lcCalendar) << "no holiday data embedded under" << resourceDir;
    return regions;
}

Result<HolidayCalendar> HolidayCalendar::load(const QString &region)
{
    const QString code = region.trimmed().toUpper();
    QFile file(resourceDir + QLatin1Char('/') + code + QStringLiteral(".json"));
    // The code becomes part of a path: anything that is not a plain region code is unknown, never looked up.
    if (!isRegionCode(code) || !file.exists())
        return Error(QStringLiteral("holidays_unknown_region"),
            QCoreApplication::translate("HolidayCalendar",
                "There are no public holidays for “%1” in Calendar Studio. "
                "Choose one of the listed countries or turn holidays off.")
                .arg(region),
            QStringLiteral("available: %1").arg(availableRegions().join(QStringLiteral(", "))));
    if (!file.open(QIODevice::ReadOnly))
        return malformed(QStringLiteral("%1: %2").arg(file.fileName(), file.errorString()));

    auto calendar = fromJson(file.read(MaxDataSize + 1));
    if (!calendar) {
        // Shipped data is checked by the tests, so this is a packaging bug worth a warning.
        qCWarning(lcCalendar) << "holiday data for" << code << "is malformed:" << calendar.error().detail;
        return calendar.error();
    }
    if (calendar->region() != code)
        return malformed(
            QStringLiteral("%1: \"region\" is \"%2\", expected \"%3\"").arg(file.fileName(), calendar->region(), code));
    qCDebug(lcCalendar) << "loaded holidays of" << code << "with" << calendar->m_definitions.size() << "rules";
    return calendar;
}

Result<HolidayCalendar> HolidayCalendar::fromJson(const QByteArray &json)
{
    if (json.size() > MaxDataSize)
        return malformed(QStringLiteral("the data is larger than %1 bytes").arg(MaxDataSize));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return malformed(
            QStringLiteral("not valid JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset));
    if (!document.isObject())
        return malformed(QStringLiteral("the top level must be an object"));
    const QJsonObject root = document.object();
    if (auto ok = checkKeys(root,
            { QStringLiteral("region"), QStringLiteral("name"), QStringLiteral("languages"), QStringLiteral("source"),
                QStringLiteral("note"), QStringLiteral("observedName"), QStringLiteral("holidays") },
            QStringLiteral("top level"));
        !ok)
        return ok.error();

    HolidayCalendar calendar;
    calendar.m_region = root.value(QLatin1String("region")).toString();
    if (!isRegionCode(calendar.m_region))
        return malformed(QStringLiteral("\"region\" must be an upper-case ISO 3166 code such as \"GB\""));
    calendar.m_name = root.value(QLatin1String("name")).toString().trimmed();
    if (calendar.m_name.isEmpty())
        return malformed(QStringLiteral("\"name\" must be the region's English name"));

    // Every file must say where its rules come from.
    const QJsonValue source = root.value(QLatin1String("source"));
    if (source.isString()) {
        calendar.m_sources.append(source.toString().trimmed());
    } else if (source.isArray()) {
        for (const QJsonValue &item : source.toArray())
            calendar.m_sources.append(item.toString().trimmed());
    }
    if (calendar.m_sources.isEmpty() || calendar.m_sources.contains(QString()))
        return malformed(QStringLiteral("\"source\" must name the official sources (text or a list of texts)"));

    const QJsonValue note = root.value(QLatin1String("note"));
    if (!note.isUndefined() && !note.isString())
        return malformed(QStringLiteral("\"note\" must be text"));
    calendar.m_note = note.toString();

    const QJsonValue languages = root.value(QLatin1String("languages"));
    if (!languages.isUndefined()) {
        if (!languages.isArray())
            return malformed(QStringLiteral("\"languages\" must be a list of language codes"));
        for (const QJsonValue &item : languages.toArray()) {
            if (!isLanguageCode(item.toString()))
                return malformed(QStringLiteral("\"languages\" must be a list of language codes such as \"en\""));
            calendar.m_languages.append(item.toString());
        }
    }
    // English is the fallback of every name, so it is always available.
    if (!calendar.m_languages.contains(english))
        calendar.m_languages.prepend(english);

    if (root.contains(QLatin1String("observedName"))) {
        auto templates = textMap(root.value(QLatin1String("observedName")), QStringLiteral("observedName"));
        if (!templates)
            return templates.error();
        for (auto it = templates->cbegin(); it != templates->cend(); ++it) {
            if (!it.value().contains(QLatin1String("%1")))
                return malformed(QStringLiteral("observedName.%1: must contain %2 where the name goes")
                                     .arg(it.key(), QStringLiteral("%1")));
        }
        calendar.m_observedNames = *templates;
    }

    const QJsonValue holidays = root.value(QLatin1String("holidays"));
    if (!holidays.isArray() || holidays.toArray().isEmpty())
        return malformed(QStringLiteral("\"holidays\" must be a non-empty list"));
    const QJsonArray list = holidays.toArray();
    if (list.size() > MaxHolidays)
        return malformed(QStringLiteral("\"holidays\" lists more than %1 entries").arg(MaxHolidays));

    QSet<QString> ids;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString path = QStringLiteral("holidays[%1]").arg(i);
        if (!list.at(i).isObject())
            return malformed(path + QStringLiteral(": must be an object"));
        const QJsonObject object = list.at(i).toObject();
        if (auto ok = checkKeys(object,
                { QStringLiteral("id"), QStringLiteral("names"), QStringLiteral("rule"), QStringLiteral("from"),
                    QStringLiteral("until"), QStringLiteral("observed"), QStringLiteral("note") },
                path);
            !ok)
            return ok.error();

        Definition definition;
        definition.id = object.value(QLatin1String("id")).toString();
        if (!isId(definition.id))
            return malformed(
                path + QStringLiteral(".id: must be lower-case words joined by '-', e.g. \"christmas-day\""));
        if (ids.contains(definition.id))
            return malformed(QStringLiteral("%1.id: \"%2\" is used twice").arg(path, definition.id));
        ids.insert(definition.id);

        auto names = textMap(object.value(QLatin1String("names")), path + QStringLiteral(".names"));
        if (!names)
            return names.error();
        if (!names->contains(english))
            return malformed(path + QStringLiteral(".names: the English name (\"en\") is required"));
        definition.names = *names;

        if (!object.value(QLatin1String("rule")).isObject())
            return malformed(path + QStringLiteral(".rule: must be an object"));
        auto rule
            = HolidayRule::fromJson(object.value(QLatin1String("rule")).toObject(), path + QStringLiteral(".rule"));
        if (!rule)
            return rule.error();
        definition.rule = *rule;

        const auto from = yearField(object, "from", HolidayRule::MinYear, path);
        if (!from)
            return from.error();
        const auto until = yearField(object, "until", HolidayRule::MaxYear, path);
        if (!until)
            return until.error();
        if (*from > *until)
            return malformed(path + QStringLiteral(": \"from\" is after \"until\""));
        definition.fromYear = *from;
        definition.untilYear = *until;

        const QJsonValue observed = object.value(QLatin1String("observed"));
        const QString policy = observed.toString(QStringLiteral("none"));
        if (policy == QLatin1String("none"))
            definition.observed = ObservedPolicy::None;
        else if (policy == QLatin1String("us-federal"))
            definition.observed = ObservedPolicy::UsFederal;
        else if (policy == QLatin1String("substitute-next-weekday"))
            definition.observed = ObservedPolicy::SubstituteNextWeekday;
        else
            return malformed(path
                + QStringLiteral(".observed: must be \"none\", \"us-federal\" or "
                                 "\"substitute-next-weekday\""));
        calendar.m_definitions.append(definition);
    }
    return calendar;
}

QList<Holiday> HolidayCalendar::holidays(int year, const QString &language) const
{
    if (year < HolidayRule::MinYear || year > HolidayRule::MaxYear)
        return {};

    struct Occurrence {
        QDate date;
        qsizetype definition;
        bool observed;
    };
    // Observed days can cross the year boundary both ways (1 January on a Saturday is observed on 31 December
    // under the US rule; a 31 December on a Saturday would be substituted on 2 January), so the neighbouring
    // years are computed too and only dates inside `year` are kept.
    QList<Occurrence> actual;
    for (int y = std::max(year - 1, int(HolidayRule::MinYear)); y <= std::min(year + 1, int(HolidayRule::MaxYear));
         ++y) {
        for (qsizetype i = 0; i < m_definitions.size(); ++i) {
            const Definition &d = m_definitions.at(i);
            if (y < d.fromYear || y > d.untilYear)
                continue;
            const QDate date = d.rule.dateIn(y);
            if (date.isValid())
                actual.append({ date, i, false });
        }
    }
    std::stable_sort(
        actual.begin(), actual.end(), [](const Occurrence &a, const Occurrence &b) { return a.date < b.date; });

    QSet<QDate> taken;
    for (const Occurrence &o : std::as_const(actual))
        taken.insert(o.date);
    // Substitutes are handed out in date order, so Christmas (25th) takes Monday 27 before Boxing Day (26th)
    // looks for the next free weekday and gets Tuesday 28.
    QList<Occurrence> all = actual;
    for (const Occurrence &o : std::as_const(actual)) {
        if (!isWeekend(o.date))
            continue;
        QDate observed;
        switch (m_definitions.at(o.definition).observed) {
        case ObservedPolicy::None:
            continue;
        case ObservedPolicy::UsFederal:
            observed = o.date.addDays(o.date.dayOfWeek() == Qt::Saturday ? -1 : 1);
            break;
        case ObservedPolicy::SubstituteNextWeekday:
            observed = o.date.addDays(1);
            while (isWeekend(observed) || taken.contains(observed))
                observed = observed.addDays(1);
            break;
        }
        taken.insert(observed);
        all.append({ observed, o.definition, true });
    }

    std::stable_sort(all.begin(), all.end(), [](const Occurrence &a, const Occurrence &b) {
        if (a.date != b.date)
            return a.date < b.date;
        if (a.observed != b.observed)
            return !a.observed;
        return a.definition < b.definition;
    });

    const QString lang = primaryLanguage(language);
    QList<Holiday> result;
    for (const Occurrence &o : std::as_const(all)) {
        if (o.date.year() != year)
            continue;
        const Definition &d = m_definitions.at(o.definition);
        result.append(Holiday { o.date, d.id, nameOf(d, lang, o.observed), m_region, o.observed });
    }
    return result;
}

QList<Holiday> HolidayCalendar::between(QDate from, QDate to, const QString &language) const
{
    if (!from.isValid() || !to.isValid() || from > to)
        return {};
    QList<Holiday> result;
    const int first = std::max(from.year(), int(HolidayRule::MinYear));
    const int last = std::min(to.year(), int(HolidayRule::MaxYear));
    for (int year = first; year <= last; ++year) {
        for (const Holiday &h : holidays(year, language)) {
            if (h.date >= from && h.date <= to)
                result.append(h);
        }
    }
    return result;
}

QString HolidayCalendar::nameOf(const Definition &definition, const QString &language, bool observed) const
{
    const QString lang = definition.names.contains(language) ? language : QString(english);
    const QString name = definition.names.value(lang);
    if (!observed)
        return name;
    const auto it = m_observedNames.constFind(lang);
    if (it != m_observedNames.cend())
        return it.value().arg(name);
    if (lang == english)
        return QStringLiteral("%1 (observed)").arg(name);
    return name;
}

} // namespace CalStudio
