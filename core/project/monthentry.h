#pragma once

#include <QString>

namespace CalStudio {

/// One page of the calendar: 0 is the cover, 1–12 are January–December.
struct MonthEntry {
    static constexpr int Cover = 0;
    static constexpr int PageCount = 13;

    int month = 0;
    QString title; ///< short title shown on the page and in lists
    QString prompt; ///< scene prompt for image generation
    QString style; ///< style preset id, empty for none
    QString avoid; ///< what the image should not contain
    qint64 masterId = 0; ///< chosen master (0: none yet)

    friend bool operator==(const MonthEntry &, const MonthEntry &) = default;
    /// Compares what the user writes on the page; the chosen master is not part of it.
    [[nodiscard]] bool sameContent(const MonthEntry &other) const
    {
        return month == other.month && title == other.title && prompt == other.prompt && style == other.style
            && avoid == other.avoid;
    }
};

} // namespace CalStudio
