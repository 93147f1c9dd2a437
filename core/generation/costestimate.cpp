#include "core/generation/costestimate.h"

#include <QCoreApplication>

namespace CalStudio {

QString CostEstimate::formatUsd(double usd)
{
    const int decimals = usd > 0 && usd < 0.1 ? 3 : 2;
    return QStringLiteral("$") + QString::number(usd, 'f', decimals);
}

QString CostEstimate::text() const
{
    const QString unit = includesCover ? QStringLiteral("page") : QStringLiteral("month");
    const QString monthsText = months == 1 ? QStringLiteral("1 %1").arg(unit) : QStringLiteral("%1 %2s").arg(months).arg(unit);
    const QString candidatesText
        = candidates == 1 ? QStringLiteral("1 candidate") : QStringLiteral("%1 candidates").arg(candidates);
    if (free)
        return QStringLiteral("%1 × %2 = %3 offline drafts, free (made on this computer, not AI)")
            .arg(monthsText, candidatesText)
            .arg(images());
    if (!priceKnown)
        return QStringLiteral("%1 × %2 = %3 images; price unknown for this model (not in the price table)")
            .arg(monthsText, candidatesText)
            .arg(images());
    return QStringLiteral("%1 × %2 × %3 = %4").arg(monthsText, candidatesText, formatUsd(perImageUsd),
                                                   formatUsd(totalUsd()));
}

} // namespace CalStudio
