#include "core/generation/costestimate.h"

#include <QCoreApplication>

#include <cmath>

namespace CalStudio {

QString CostEstimate::formatUsd(double usd)
{
    // Cents where a price is in cents; a tenth of a cent where it is not ($0.134 is not $0.13).
    const bool wholeCents = std::abs(usd * 100 - std::round(usd * 100)) < 1e-6;
    const int decimals = wholeCents ? 2 : 3;
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
