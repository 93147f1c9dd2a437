#include "core/companion/printifycatalog.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QLocale>
#include <QMap>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace CalStudio {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CalStudio::PrintifyCatalog", text);
}

/// Lower case, trimmed, '-' and ' ' as '_', runs of '_' collapsed.
QString normalised(const QString &name)
{
    QString result = name.trimmed().toLower();
    result.replace(QLatin1Char('-'), QLatin1Char('_')).replace(QLatin1Char(' '), QLatin1Char('_'));
    static const QRegularExpression runs(QStringLiteral("_+"));
    result.replace(runs, QStringLiteral("_"));
    return result;
}

QString formatName(const PrintFormat &format)
{
    return format.title.isEmpty() ? format.id : format.title;
}

Error unusable(const PrintFormat &base, int variantId, const QString &problem, const QString &detail)
{
    return Error(QStringLiteral("unusable_placeholders"),
        tr("The format “%1” cannot be ordered: Printify’s picture positions for variant %2 %3. The shop owner "
           "needs to check the format’s Printify settings (blueprint, print provider, variant) and paper size in "
           "the server’s configuration.")
            .arg(formatName(base))
            .arg(variantId)
            .arg(problem),
        detail);
}

/// Printify's ids are numbers; a fake might send them as strings.
qint64 idOf(const QJsonValue &value)
{
    if (value.isString())
        return value.toString().toLongLong();
    return value.toInteger(-1);
}

} // namespace

std::optional<int> PrintifyCatalog::pageForPosition(const QString &name)
{
    const QString key = normalised(name);
    if (key.isEmpty())
        return std::nullopt;
    static const QStringList covers { QStringLiteral("front_cover"), QStringLiteral("frontcover"),
        QStringLiteral("cover_front"), QStringLiteral("cover"), QStringLiteral("front") };
    if (covers.contains(key))
        return 0;
    static const QStringList months { QStringLiteral("january"), QStringLiteral("february"), QStringLiteral("march"),
        QStringLiteral("april"), QStringLiteral("may"), QStringLiteral("june"), QStringLiteral("july"),
        QStringLiteral("august"), QStringLiteral("september"), QStringLiteral("october"), QStringLiteral("november"),
        QStringLiteral("december") };
    for (int i = 0; i < months.size(); ++i) {
        if (key == months.at(i) || key == months.at(i).left(3))
            return i + 1;
    }
    if (key == QLatin1String("sept"))
        return 9;
    static const QRegularExpression numbered(QStringLiteral("^month_?([0-9]{1,2})$"));
    const QRegularExpressionMatch match = numbered.match(key);
    if (match.hasMatch()) {
        const int month = match.captured(1).toInt();
        if (month >= 1 && month <= 12)
            return month;
    }
    return std::nullopt;
}

bool PrintifyCatalog::isExtraPosition(const QString &name)
{
    const QStringList words = normalised(name).split(QLatin1Char('_'), Qt::SkipEmptyParts);
    return std::any_of(words.begin(), words.end(), [](const QString &word) {
        return word.startsWith(QLatin1String("back")) || word.startsWith(QLatin1String("inside"))
            || word.startsWith(QLatin1String("inner"));
    });
}

Result<PrintFormat> PrintifyCatalog::formatFromVariants(
    const PrintFormat &base, const QJsonObject &variantsJson, int variantId, int blueprintId)
{
    const QJsonValue list = variantsJson.value(QStringLiteral("variants"));
    if (!list.isArray()) {
        return Error(QStringLiteral("printify_bad_response"),
            tr("Printify sent a catalog answer the server could not read."),
            QStringLiteral("variants.json has no \"variants\" array"));
    }
    const qint64 providerId = idOf(variantsJson.value(QStringLiteral("id")));

    QJsonObject variant;
    bool found = false;
    for (const QJsonValue &value : list.toArray()) {
        const QJsonObject candidate = value.toObject();
        if (idOf(candidate.value(QStringLiteral("id"))) == variantId) {
            variant = candidate;
            found = true;
            break;
        }
    }
    const bool markedUnavailable = found
        && (variant.value(QStringLiteral("is_available")) == QJsonValue(false)
            || variant.value(QStringLiteral("available")) == QJsonValue(false));
    if (!found || markedUnavailable) {
        const QString from = blueprintId > 0
            ? tr("variant %1 of blueprint %2 (print provider %3)").arg(variantId).arg(blueprintId).arg(providerId)
            : tr("variant %1 from print provider %2").arg(variantId).arg(providerId);
        return Error(QStringLiteral("variant_unavailable"),
            tr("The format “%1” can no longer be ordered: Printify no longer offers %2. Calendar products are "
               "replaced every year; the shop owner needs to update the format’s Printify settings in the server’s "
               "configuration to a current blueprint and variant.")
                .arg(formatName(base), from),
            QStringLiteral("variant %1 %2 in variants.json of blueprint %3, print provider %4 (%5 variants listed)")
                .arg(variantId)
                .arg(found ? QStringLiteral("marked unavailable") : QStringLiteral("not listed"))
                .arg(blueprintId)
                .arg(providerId)
                .arg(list.toArray().size()));
    }

    const QJsonArray placeholders = variant.value(QStringLiteral("placeholders")).toArray();
    QList<ImagePosition> positions;
    QStringList unknown;
    QStringList ignored;
    QMap<int, QString> byPage;
    for (const QJsonValue &value : placeholders) {
        const QJsonObject placeholder = value.toObject();
        const QString name = placeholder.value(QStringLiteral("position")).toString();
        const int width = placeholder.value(QStringLiteral("width")).toInt();
        const int height = placeholder.value(QStringLiteral("height")).toInt();
        const std::optional<int> page = pageForPosition(name);
        if (!page) {
            if (!name.trimmed().isEmpty() && isExtraPosition(name))
                ignored.append(name);
            else
                unknown.append(name.isEmpty() ? QStringLiteral("(no name)") : name);
            continue;
        }
        if (byPage.contains(*page)) {
            return unusable(base, variantId,
                tr("name the same page twice (“%1” and “%2”)").arg(byPage.value(*page), name),
                QStringLiteral("placeholders \"%1\" and \"%2\" both map to page %3")
                    .arg(byPage.value(*page), name)
                    .arg(*page));
        }
        if (width <= 0 || height <= 0 || width > PrintFormat::MaxPositionPixels
            || height > PrintFormat::MaxPositionPixels) {
            return unusable(base, variantId, tr("give no usable pixel size for “%1”").arg(name),
                QStringLiteral("placeholder \"%1\" is %2 × %3 px").arg(name).arg(width).arg(height));
        }
        byPage.insert(*page, name);
        positions.append(ImagePosition { name, *page, QSize(width, height) });
    }

    if (!unknown.isEmpty()) {
        return unusable(base, variantId,
            tr("include names the server cannot match to the cover or a month: %1")
                .arg(unknown.join(QStringLiteral(", "))),
            QStringLiteral("unmappable placeholders: %1; known: %2")
                .arg(unknown.join(QStringLiteral(", ")), QStringList(byPage.values()).join(QStringLiteral(", "))));
    }
    QStringList missingMonths;
    for (int month = 1; month <= 12; ++month) {
        if (!byPage.contains(month))
            missingMonths.append(QLocale::c().standaloneMonthName(month));
    }
    if (!missingMonths.isEmpty()) {
        return unusable(base, variantId, tr("have no picture for %1").arg(missingMonths.join(QStringLiteral(", "))),
            QStringLiteral("no placeholder for month(s) %1; placeholders: %2")
                .arg(
                    missingMonths.join(QStringLiteral(", ")), QStringList(byPage.values()).join(QStringLiteral(", "))));
    }
    const bool baseWithoutCover = !base.positions.isEmpty() && base.position(0) == nullptr;
    if (!byPage.contains(0) && !baseWithoutCover) {
        return unusable(base, variantId, tr("have no picture for the cover"),
            QStringLiteral("no cover placeholder (front_cover, cover or front); placeholders: %1")
                .arg(QStringList(byPage.values()).join(QStringLiteral(", "))));
    }

    const double paperWidth = base.trimInches.width() + 2 * base.bleedInches;
    const double paperHeight = base.trimInches.height() + 2 * base.bleedInches;
    if (paperWidth > 0 && paperHeight > 0) {
        const double paperAspect = paperWidth / paperHeight;
        for (const ImagePosition &p : std::as_const(positions)) {
            const double aspect = double(p.pixels.width()) / p.pixels.height();
            if (std::abs(aspect / paperAspect - 1) > PrintFormat::AspectTolerance) {
                return unusable(base, variantId,
                    tr("do not fit the configured paper: “%1” is %2 × %3 px (aspect %4), but the paper with bleed is "
                       "%5 × %6 in (aspect %7)")
                        .arg(p.id)
                        .arg(p.pixels.width())
                        .arg(p.pixels.height())
                        .arg(aspect, 0, 'f', 3)
                        .arg(paperWidth)
                        .arg(paperHeight)
                        .arg(paperAspect, 0, 'f', 3),
                    QStringLiteral("placeholder \"%1\" aspect %2 differs from the paper's %3 by more than %4%")
                        .arg(p.id)
                        .arg(aspect, 0, 'f', 4)
                        .arg(paperAspect, 0, 'f', 4)
                        .arg(PrintFormat::AspectTolerance * 100));
            }
        }
    }

    std::sort(positions.begin(), positions.end(),
        [](const ImagePosition &a, const ImagePosition &b) { return a.page < b.page; });
    PrintFormat result = base;
    result.positions = positions;
    if (const Status valid = result.validate(); !valid) {
        return unusable(base, variantId, tr("do not make a usable print format"),
            valid.error().detail
                + (ignored.isEmpty()
                        ? QString()
                        : QStringLiteral(" (ignored extra placeholders: %1)").arg(ignored.join(QStringLiteral(", ")))));
    }
    return result;
}

} // namespace CalStudio
