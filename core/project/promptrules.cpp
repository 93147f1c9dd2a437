#include "core/project/promptrules.h"

#include "core/project/stylepreset.h"

#include <QCoreApplication>

namespace CalStudio {

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("PromptRules", text, nullptr, n);
}

/// "The scene is 34 characters too long (634 of 600)." Without a loaded
/// translation Qt prints "%n character(s)" literally, so English gets its
/// singular from a separate string; translators handle plurals via %n.
QString tooLongMessage(const char *singular, const char *plural, int length, int limit)
{
    const int over = length - limit;
    const QString text = over == 1 ? tr(singular) : tr(plural, over);
    return text.arg(length).arg(limit);
}

} // namespace

int PromptRules::characterCount(const QString &text)
{
    const QString trimmed = text.trimmed();
    int count = 0;
    for (qsizetype i = 0; i < trimmed.size(); ++i) {
        // A surrogate pair is one character to the person typing it.
        if (trimmed.at(i).isHighSurrogate() && i + 1 < trimmed.size() && trimmed.at(i + 1).isLowSurrogate())
            ++i;
        ++count;
    }
    return count;
}

QList<PromptIssue> PromptRules::check(const MonthEntry &entry)
{
    QList<PromptIssue> issues;

    const int promptLength = characterCount(entry.prompt);
    if (promptLength == 0)
        issues.append({ PromptIssue::EmptyPrompt, tr("Describe a scene for this page, or pick a suggestion.") });
    else if (promptLength > MaxPromptLength)
        issues.append({ PromptIssue::PromptTooLong,
            tooLongMessage("The scene is 1 character too long (%1 of %2).",
                "The scene is %n characters too long (%1 of %2).", promptLength, MaxPromptLength) });

    const int titleLength = characterCount(entry.title);
    if (titleLength > MaxTitleLength)
        issues.append({ PromptIssue::TitleTooLong,
            tooLongMessage("The title is 1 character too long (%1 of %2).",
                "The title is %n characters too long (%1 of %2).", titleLength, MaxTitleLength) });

    const int avoidLength = characterCount(entry.avoid);
    if (avoidLength > MaxAvoidLength)
        issues.append({ PromptIssue::AvoidTooLong,
            tooLongMessage("The “avoid” list is 1 character too long (%1 of %2).",
                "The “avoid” list is %n characters too long (%1 of %2).", avoidLength, MaxAvoidLength) });

    if (!entry.style.isEmpty() && !StylePreset::find(entry.style))
        issues.append({ PromptIssue::UnknownStyle,
            tr("The style “%1” is not available in this version. Pick a style from the list.").arg(entry.style) });

    return issues;
}

} // namespace CalStudio
