#include "core/project/prompttheme.h"

#include "core/project/promptrules.h"
#include "core/project/stylepreset.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QStringList>

#include <algorithm>

namespace CalStudio {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("PromptTheme", text);
}

/// "the cover", "March": how messages name a page.
QString pageName(int month)
{
    if (month == MonthEntry::Cover)
        return tr("The cover");
    return QLocale().standaloneMonthName(month, QLocale::LongFormat);
}

Error missingField(const QString &field, const QString &where = {})
{
    const QString message = where.isEmpty()
        ? tr("The theme has no “%1”. Add it to the file, or save the theme again from Calendar Studio.").arg(field)
        : tr("%1 has no “%2”. Add it to the file, or save the theme again from Calendar Studio.").arg(where, field);
    return Error(QStringLiteral("theme_missing_field"), message, field);
}

Error invalidField(const QString &field, const QString &expected)
{
    return Error(QStringLiteral("theme_invalid_field"),
        tr("The theme’s “%1” should be %2. Fix the file, or save the theme again from Calendar Studio.")
            .arg(field, expected),
        field);
}

QString issueCode(PromptIssue::Kind kind)
{
    switch (kind) {
    case PromptIssue::EmptyPrompt:
        return QStringLiteral("theme_empty_prompt");
    case PromptIssue::PromptTooLong:
        return QStringLiteral("theme_prompt_too_long");
    case PromptIssue::TitleTooLong:
        return QStringLiteral("theme_title_too_long");
    case PromptIssue::AvoidTooLong:
        return QStringLiteral("theme_avoid_too_long");
    case PromptIssue::UnknownStyle:
        return QStringLiteral("theme_unknown_style");
    }
    return QStringLiteral("theme_invalid_entry");
}

/// Reads a required string; `where` names the page for messages (empty: the theme itself).
std::optional<Error> readString(const QJsonObject &o, const QString &key, QString *out, const QString &where = {})
{
    const QJsonValue value = o.value(key);
    if (value.isUndefined() || value.isNull())
        return missingField(key, where);
    if (!value.isString())
        return invalidField(key, tr("text"));
    *out = value.toString();
    return std::nullopt;
}

} // namespace

bool PromptTheme::isValidId(const QString &id)
{
    if (id.isEmpty() || id.size() > MaxIdLength || id.startsWith(u'-') || id.endsWith(u'-'))
        return false;
    return std::all_of(id.cbegin(), id.cend(),
        [](QChar c) { return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-'; });
}

std::optional<MonthEntry> PromptTheme::entry(int month) const
{
    for (const MonthEntry &e : entries) {
        if (e.month == month)
            return e;
    }
    return std::nullopt;
}

QList<MonthEntry> PromptTheme::appliedTo(const QList<MonthEntry> &current) const
{
    QList<MonthEntry> result;
    for (const MonthEntry &page : current) {
        const std::optional<MonthEntry> themed = entry(page.month);
        if (!themed)
            continue;
        MonthEntry applied = page;
        applied.title = themed->title;
        applied.prompt = themed->prompt;
        applied.style = themed->style.isEmpty() ? defaultStyle : themed->style;
        applied.avoid = themed->avoid;
        // masterId stays: a chosen picture is replaced by generating a new one, never by editing words.
        result.append(applied);
    }
    return result;
}

Result<PromptTheme> PromptTheme::fromJson(const QByteArray &json)
{
    if (json.size() > MaxFileSize)
        return Error(QStringLiteral("theme_too_large"),
            tr("The theme file is too large to be a theme. Check that you picked the right file."),
            QStringLiteral("%1 bytes, limit %2").arg(json.size()).arg(MaxFileSize));

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error(QStringLiteral("theme_malformed"),
            tr("The theme file is damaged (it is not valid JSON). Fix it in a text editor or delete it."),
            QStringLiteral("%1 at offset %2").arg(parseError.errorString()).arg(parseError.offset));
    if (!doc.isObject())
        return Error(QStringLiteral("theme_malformed"),
            tr("The file is not a Calendar Studio theme. Check that you picked the right file."),
            QStringLiteral("top level is not an object"));
    const QJsonObject root = doc.object();

    const QJsonValue version = root.value(QLatin1String("version"));
    if (!version.isUndefined()) {
        if (!version.isDouble() || version.toDouble() != double(version.toInt()) || version.toInt() < 1)
            return invalidField(QStringLiteral("version"), tr("a whole number"));
        if (version.toInt() > FormatVersion)
            return Error(QStringLiteral("theme_newer_version"),
                tr("This theme was made by a newer Calendar Studio. Update Calendar Studio to use it."),
                QStringLiteral("version %1, supported %2").arg(version.toInt()).arg(FormatVersion));
    }

    PromptTheme theme;
    if (auto e = readString(root, QStringLiteral("id"), &theme.id))
        return *e;
    if (auto e = readString(root, QStringLiteral("name"), &theme.name))
        return *e;
    if (auto e = readString(root, QStringLiteral("description"), &theme.description))
        return *e;
    if (auto e = readString(root, QStringLiteral("defaultStyle"), &theme.defaultStyle))
        return *e;

    const QJsonValue entriesValue = root.value(QLatin1String("entries"));
    if (entriesValue.isUndefined() || entriesValue.isNull())
        return missingField(QStringLiteral("entries"));
    if (!entriesValue.isArray())
        return invalidField(QStringLiteral("entries"), tr("a list of pages"));

    const QJsonArray entries = entriesValue.toArray();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QJsonValue value = entries.at(i);
        if (!value.isObject())
            return invalidField(QStringLiteral("entries[%1]").arg(i), tr("a page with a month and a scene"));
        const QJsonObject o = value.toObject();
        const QString where = tr("Page %1 of the theme").arg(i + 1);

        const QJsonValue month = o.value(QLatin1String("month"));
        if (month.isUndefined() || month.isNull())
            return missingField(QStringLiteral("month"), where);
        // JSON numbers are doubles; 3.5 or "3" is not a month.
        if (!month.isDouble() || month.toDouble() != double(month.toInt()) || month.toInt() < 0 || month.toInt() > 12)
            return Error(QStringLiteral("theme_invalid_month"),
                tr("%1 has an invalid month. Use 0 for the cover and 1–12 for January–December.").arg(where),
                QStringLiteral("entries[%1].month = %2")
                    .arg(i)
                    .arg(QString::fromUtf8(QJsonDocument(QJsonArray { month }).toJson(QJsonDocument::Compact))));

        MonthEntry entry;
        entry.month = month.toInt();
        const QString page = pageName(entry.month);
        if (auto e = readString(o, QStringLiteral("title"), &entry.title, page))
            return *e;
        if (auto e = readString(o, QStringLiteral("prompt"), &entry.prompt, page))
            return *e;
        if (auto e = readString(o, QStringLiteral("style"), &entry.style, page))
            return *e;
        if (auto e = readString(o, QStringLiteral("avoid"), &entry.avoid, page))
            return *e;
        theme.entries.append(entry);
    }

    if (Status valid = theme.validate(); !valid)
        return valid.error();
    return theme;
}

Status PromptTheme::validate() const
{
    if (!isValidId(id))
        return Error(QStringLiteral("theme_invalid_id"),
            tr("The theme’s id may only contain lowercase letters, digits and hyphens. "
               "Fix the file, or save the theme again from Calendar Studio."),
            id);
    const QString trimmedName = name.trimmed();
    if (trimmedName.isEmpty() || trimmedName.size() > MaxNameLength)
        return Error(QStringLiteral("theme_invalid_name"),
            tr("Give the theme a name of 1 to %1 characters.").arg(MaxNameLength), name);
    if (description.size() > MaxDescriptionLength)
        return Error(QStringLiteral("theme_invalid_field"),
            tr("The theme’s description is too long; keep it under %1 characters.").arg(MaxDescriptionLength),
            QStringLiteral("description"));
    if (!StylePreset::find(defaultStyle))
        return Error(QStringLiteral("theme_unknown_style"),
            tr("The theme uses the style “%1”, which this version of Calendar Studio does not have. "
               "Pick a style from the list.")
                .arg(defaultStyle),
            QStringLiteral("defaultStyle"));

    // Too many pages is reported as such; fewer show up as missing months below.
    if (entries.size() > MonthEntry::PageCount)
        return Error(QStringLiteral("theme_entry_count"),
            tr("The theme has %1 pages, but a theme has exactly 13: the cover and January–December.")
                .arg(entries.size()),
            QStringLiteral("%1 entries").arg(entries.size()));

    QList<bool> seen(MonthEntry::PageCount, false);
    for (const MonthEntry &entry : entries) {
        if (entry.month < 0 || entry.month >= MonthEntry::PageCount)
            return Error(QStringLiteral("theme_invalid_month"),
                tr("A page has an invalid month. Use 0 for the cover and 1–12 for January–December."),
                QString::number(entry.month));
        if (seen[entry.month])
            return Error(QStringLiteral("theme_duplicate_month"),
                tr("%1 appears twice in the theme. Keep one of them.").arg(pageName(entry.month)),
                QStringLiteral("month %1").arg(entry.month));
        seen[entry.month] = true;
    }
    QStringList missing;
    for (int month = 0; month < MonthEntry::PageCount; ++month) {
        if (!seen[month])
            missing.append(pageName(month));
    }
    if (!missing.isEmpty())
        return Error(QStringLiteral("theme_entry_count"),
            tr("The theme has %1 of its 13 pages; missing: %2. Add them to the file.")
                .arg(entries.size())
                .arg(QLocale().createSeparatedList(missing)),
            QStringLiteral("%1 entries").arg(entries.size()));

    for (const MonthEntry &entry : entries) {
        const QList<PromptIssue> issues = PromptRules::check(entry);
        if (!issues.isEmpty()) {
            const PromptIssue &first = issues.constFirst();
            return Error(issueCode(first.kind), tr("%1: %2").arg(pageName(entry.month), first.message),
                QStringLiteral("month %1").arg(entry.month));
        }
    }
    return Status::success();
}

QByteArray PromptTheme::toJson() const
{
    QList<MonthEntry> sorted = entries;
    std::sort(sorted.begin(), sorted.end(), [](const MonthEntry &a, const MonthEntry &b) { return a.month < b.month; });

    QJsonArray array;
    for (const MonthEntry &e : sorted) {
        array.append(QJsonObject {
            { QStringLiteral("month"), e.month },
            { QStringLiteral("title"), e.title },
            { QStringLiteral("prompt"), e.prompt },
            { QStringLiteral("style"), e.style },
            { QStringLiteral("avoid"), e.avoid },
        });
    }
    const QJsonObject root {
        { QStringLiteral("version"), FormatVersion },
        { QStringLiteral("id"), id },
        { QStringLiteral("name"), name },
        { QStringLiteral("description"), description },
        { QStringLiteral("defaultStyle"), defaultStyle },
        { QStringLiteral("entries"), array },
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace CalStudio
