#pragma once

#include <QColor>
#include <QList>
#include <QString>

namespace CalStudio {

/// How a month page divides photo and grid.
enum class PageLayout {
    PhotoAbove, ///< photo on the upper part, grid below (classic wall calendar)
    FullBleed, ///< photo fills the page, grid on a translucent band at the bottom
    SideBySide, ///< photo left, grid right (landscape pages); mirrored for right-to-left languages
};

QString pageLayoutId(PageLayout layout);
std::optional<PageLayout> pageLayoutFromId(const QString &id);
QList<PageLayout> allPageLayouts();

/// Typography and colours of the printed pages, chosen per project.
struct PageTheme {
    QString id;
    QString name; ///< shown in the UI
    QString titleFont; ///< family for month titles
    QString bodyFont; ///< family for weekday names, numbers and notes
    QColor paper; ///< page background
    QColor ink; ///< day numbers and text
    QColor accent; ///< month title, holidays
    QColor muted; ///< neighbouring months' days, grid lines
    QColor weekend; ///< weekend day numbers
    bool uppercaseTitle = false;

    static const QList<PageTheme> &builtIn();
    /// The theme with this id, or the first built-in one.
    static const PageTheme &find(const QString &id);
};

} // namespace CalStudio
