#include "core/calendar/pagetheme.h"

#include <QCoreApplication>

namespace CalStudio {

QString pageLayoutId(PageLayout layout)
{
    switch (layout) {
    case PageLayout::PhotoAbove:
        return QStringLiteral("photo-above");
    case PageLayout::FullBleed:
        return QStringLiteral("full-bleed");
    case PageLayout::SideBySide:
        return QStringLiteral("side-by-side");
    }
    return QStringLiteral("photo-above");
}

std::optional<PageLayout> pageLayoutFromId(const QString &id)
{
    for (PageLayout l : allPageLayouts()) {
        if (pageLayoutId(l) == id)
            return l;
    }
    return std::nullopt;
}

QList<PageLayout> allPageLayouts()
{
    return {PageLayout::PhotoAbove, PageLayout::FullBleed, PageLayout::SideBySide};
}

const QList<PageTheme> &PageTheme::builtIn()
{
    // Families are generic enough to exist everywhere (fontconfig, macOS and
    // Windows all resolve them); the PDF export embeds what was used.
    static const QList<PageTheme> themes{
        {QStringLiteral("classic"), QCoreApplication::translate("PageTheme", "Classic"), QStringLiteral("Serif"),
         QStringLiteral("Sans Serif"), QColor(0xffffff), QColor(0x222222), QColor(0xb5432a), QColor(0xb8b8b8),
         QColor(0x7a3b2e), false},
        {QStringLiteral("modern"), QCoreApplication::translate("PageTheme", "Modern"), QStringLiteral("Sans Serif"),
         QStringLiteral("Sans Serif"), QColor(0xfafafa), QColor(0x1d1d1f), QColor(0x2f6fde), QColor(0xc4c4c8),
         QColor(0x2f6fde), true},
        {QStringLiteral("warm"), QCoreApplication::translate("PageTheme", "Warm"), QStringLiteral("Serif"),
         QStringLiteral("Serif"), QColor(0xfbf6ee), QColor(0x3b2f25), QColor(0xc2612f), QColor(0xcdbfae),
         QColor(0x9c4a24), false},
        {QStringLiteral("night"), QCoreApplication::translate("PageTheme", "Night"), QStringLiteral("Sans Serif"),
         QStringLiteral("Sans Serif"), QColor(0x1e2430), QColor(0xeef1f6), QColor(0xf2b84b), QColor(0x5d6778),
         QColor(0xf2b84b), true},
    };
    return themes;
}

const PageTheme &PageTheme::find(const QString &id)
{
    for (const PageTheme &t : builtIn()) {
        if (t.id == id)
            return t;
    }
    return builtIn().first();
}

} // namespace CalStudio
