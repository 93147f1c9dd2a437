#pragma once

#include "core/project/monthentry.h"

#include <QList>
#include <QString>

namespace CalStudio {

/// One problem PromptRules found in a month's prompt, with a message for the user.
struct PromptIssue {
    enum Kind {
        EmptyPrompt, ///< the scene is empty or only whitespace
        PromptTooLong, ///< the scene is over PromptRules::MaxPromptLength characters
        TitleTooLong, ///< the title is over PromptRules::MaxTitleLength characters
        AvoidTooLong, ///< the "avoid" text is over PromptRules::MaxAvoidLength characters
        UnknownStyle, ///< the style is neither empty nor a StylePreset id
    };

    Kind kind = EmptyPrompt;
    QString message; ///< one plain sentence that says what to change

    friend bool operator==(const PromptIssue &, const PromptIssue &) = default;
};

/**
 * The limits a month's prompt must keep before it can be generated or saved
 * in a theme.
 *
 * Lengths are counted in characters as a person counts them (Unicode code
 * points, so an emoji is one), after trimming surrounding whitespace: the
 * text is trimmed before it is sent anyway, and a trailing space should not
 * push a prompt over the limit.
 */
class PromptRules {
public:
    /// Longest scene prompt. Providers accept more, but the style suffix and
    /// the "avoid" text are appended, and long prompts dilute the likeness.
    static constexpr int MaxPromptLength = 600;
    /// Longest title; it must fit one line on a printed calendar page.
    static constexpr int MaxTitleLength = 40;
    static constexpr int MaxAvoidLength = 200;

    /// All issues of `entry`, in the order of PromptIssue::Kind; empty when it is fine.
    [[nodiscard]] static QList<PromptIssue> check(const MonthEntry &entry);

    /// The length the limits measure: code points of the trimmed text.
    [[nodiscard]] static int characterCount(const QString &text);
};

} // namespace CalStudio
