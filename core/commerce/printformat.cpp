#include "core/commerce/printformat.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace CalStudio {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CalStudio::PrintFormat", text);
}

const QString KeyId = QStringLiteral("id");
const QString KeyTitle = QStringLiteral("title");
const QString KeyTrimWidth = QStringLiteral("trim_width_in");
const QString KeyTrimHeight = QStringLiteral("trim_height_in");
const QString KeyBleed = QStringLiteral("bleed_in");
const QString KeySafeMargin = QStringLiteral("safe_margin_in");
const QString KeyBindingEdge = QStringLiteral("binding_edge");
const QString KeyBindingDepth = QStringLiteral("binding_depth_in");
const QString KeyDpi = QStringLiteral("dpi");
const QString KeyPositions = QStringLiteral("positions");
const QString KeyPage = QStringLiteral("page");
const QString KeyWidth = QStringLiteral("width");
const QString KeyHeight = QStringLiteral("height");

/// The user reads "The print format “X” cannot be used: <reason>."; `detail` says which field.
Error invalid(const PrintFormat &format, const QString &reason, const QString &detail)
{
    const QString name = format.title.isEmpty() ? format.id : format.title;
    return Error(QStringLiteral("invalid_format"),
        tr("The print format “%1” cannot be used: %2. Update Calendar Studio, or ask the shop to correct it.")
            .arg(name, reason),
        detail);
}

bool inRange(double value, double low, double high)
{
    return std::isfinite(value) && value >= low && value <= high;
}

QString positionId(int page)
{
    return page == 0 ? QStringLiteral("cover") : QStringLiteral("month-%1").arg(page, 2, 10, QLatin1Char('0'));
}

// All built-in formats share one paper rule: 300 DPI, 0.125 in bleed on every
// side, 0.25 in safe margin and a 0.5 in hanger zone at the top, so every
// position is (trim + 2 × bleed) × 300 pixels.
PrintFormat wallFormat(const QString &id, const QString &title, QSizeF trim)
{
    PrintFormat f;
    f.id = id;
    f.title = title;
    f.trimInches = trim;
    f.bleedInches = 0.125;
    f.safeMarginInches = 0.25;
    f.bindingEdge = PrintFormat::BindingEdge::Top;
    f.bindingDepthInches = 0.5;
    f.targetDpi = 300;
    const QSize pixels(int(std::lround((trim.width() + 2 * f.bleedInches) * f.targetDpi)),
        int(std::lround((trim.height() + 2 * f.bleedInches) * f.targetDpi)));
    for (int page = 0; page <= 12; ++page)
        f.positions.append({ positionId(page), page, pixels });
    return f;
}

QList<PrintFormat> makeBuiltIn()
{
    return {
        wallFormat(QStringLiteral("wall-landscape"), tr("Wall calendar, landscape (11 × 8.5 in)"), QSizeF(11, 8.5)),
        wallFormat(QStringLiteral("wall-portrait"), tr("Wall calendar, portrait (8.5 × 11 in)"), QSizeF(8.5, 11)),
        wallFormat(QStringLiteral("square"), tr("Square wall calendar (12 × 12 in)"), QSizeF(12, 12)),
    };
}

} // namespace

const QList<PrintFormat> &PrintFormat::builtIn()
{
    static const QList<PrintFormat> formats = makeBuiltIn();
    return formats;
}

std::optional<PrintFormat> PrintFormat::find(const QString &id)
{
    for (const PrintFormat &f : builtIn()) {
        if (f.id == id)
            return f;
    }
    return std::nullopt;
}

const ImagePosition *PrintFormat::position(int page) const
{
    const auto it
        = std::find_if(positions.begin(), positions.end(), [&](const ImagePosition &p) { return p.page == page; });
    return it == positions.end() ? nullptr : &*it;
}

QSizeF PrintFormat::pixelsPerInch(int page) const
{
    const ImagePosition *p = position(page);
    const double paperWidth = trimInches.width() + 2 * bleedInches;
    const double paperHeight = trimInches.height() + 2 * bleedInches;
    if (!p || paperWidth <= 0 || paperHeight <= 0)
        return {};
    return QSizeF(p->pixels.width() / paperWidth, p->pixels.height() / paperHeight);
}

QRectF PrintFormat::bleedBox(int page) const
{
    const ImagePosition *p = position(page);
    return p ? QRectF(QPointF(0, 0), QSizeF(p->pixels)) : QRectF();
}

QRectF PrintFormat::trimRect(int page) const
{
    const QSizeF ppi = pixelsPerInch(page);
    if (ppi.isEmpty())
        return {};
    return QRectF(bleedInches * ppi.width(), bleedInches * ppi.height(), trimInches.width() * ppi.width(),
        trimInches.height() * ppi.height());
}

QRectF PrintFormat::safeRect(int page) const
{
    const QSizeF ppi = pixelsPerInch(page);
    if (ppi.isEmpty())
        return {};
    const double dx = safeMarginInches * ppi.width(), dy = safeMarginInches * ppi.height();
    return trimRect(page).adjusted(dx, dy, -dx, -dy);
}

QRectF PrintFormat::bindingRect(int page) const
{
    const QSizeF ppi = pixelsPerInch(page);
    if (ppi.isEmpty())
        return {};
    const QRectF box = bleedBox(page);
    const double depth = bleedInches + bindingDepthInches;
    switch (bindingEdge) {
    case BindingEdge::Top:
        return QRectF(0, 0, box.width(), depth * ppi.height());
    case BindingEdge::Left:
        return QRectF(0, 0, depth * ppi.width(), box.height());
    case BindingEdge::None:
        break;
    }
    return {};
}

QRectF PrintFormat::clearRect(int page) const
{
    QRectF clear = safeRect(page);
    const QRectF binding = bindingRect(page);
    if (bindingEdge == BindingEdge::Top)
        clear.setTop(std::max(clear.top(), binding.bottom()));
    else if (bindingEdge == BindingEdge::Left)
        clear.setLeft(std::max(clear.left(), binding.right()));
    return clear;
}

Status PrintFormat::validate() const
{
    static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9][a-z0-9-]*$"));
    if (id.isEmpty() || id.size() > MaxIdLength || !idPattern.match(id).hasMatch())
        return invalid(*this, tr("its id is not valid"),
            QStringLiteral("id \"%1\": 1–%2 of a-z, 0-9 and '-'").arg(id).arg(MaxIdLength));
    if (title.trimmed().isEmpty())
        return invalid(*this, tr("it has no name"), QStringLiteral("title is empty"));
    if (!inRange(trimInches.width(), 0, MaxTrimInches) || !inRange(trimInches.height(), 0, MaxTrimInches)
        || trimInches.isEmpty())
        return invalid(*this, tr("its page size is missing or too large"),
            QStringLiteral("trim %1 × %2 in, allowed (0, %3]")
                .arg(trimInches.width())
                .arg(trimInches.height())
                .arg(MaxTrimInches));
    if (!inRange(bleedInches, 0, MaxMarginInches))
        return invalid(*this, tr("its bleed is not valid"), QStringLiteral("bleed %1 in").arg(bleedInches));
    if (!inRange(safeMarginInches, 0, MaxMarginInches)
        || 2 * safeMarginInches >= std::min(trimInches.width(), trimInches.height()))
        return invalid(*this, tr("its safe margin leaves no room on the page"),
            QStringLiteral("safe margin %1 in").arg(safeMarginInches));
    if (!inRange(bindingDepthInches, 0, MaxMarginInches))
        return invalid(
            *this, tr("its binding zone is not valid"), QStringLiteral("binding depth %1 in").arg(bindingDepthInches));
    if (bindingEdge == BindingEdge::None && bindingDepthInches != 0)
        return invalid(*this, tr("its binding zone has no edge"),
            QStringLiteral("binding depth %1 in with binding edge none").arg(bindingDepthInches));
    if (bindingEdge != BindingEdge::None) {
        const double extent = bindingEdge == BindingEdge::Top ? trimInches.height() : trimInches.width();
        if (bindingDepthInches <= 0 || bindingDepthInches >= extent - safeMarginInches)
            return invalid(*this, tr("its binding zone leaves no room on the page"),
                QStringLiteral("binding depth %1 in at %2, page %3 in, safe margin %4 in")
                    .arg(bindingDepthInches)
                    .arg(bindingEdgeId(bindingEdge))
                    .arg(extent)
                    .arg(safeMarginInches));
    }
    if (targetDpi < MinDpi || targetDpi > MaxDpi)
        return invalid(*this, tr("its print resolution is not valid"),
            QStringLiteral("dpi %1, allowed %2–%3").arg(targetDpi).arg(MinDpi).arg(MaxDpi));

    const double paperAspect = (trimInches.width() + 2 * bleedInches) / (trimInches.height() + 2 * bleedInches);
    QSet<int> pages;
    QSet<QString> ids;
    for (const ImagePosition &p : positions) {
        if (p.page < 0 || p.page > 12)
            return invalid(*this, tr("it has a page that is not the cover or a month"),
                QStringLiteral("position \"%1\" has page %2, allowed 0–12").arg(p.id).arg(p.page));
        if (pages.contains(p.page))
            return invalid(*this, tr("it has a page twice"), QStringLiteral("page %1 appears twice").arg(p.page));
        if (p.id.trimmed().isEmpty() || ids.contains(p.id))
            return invalid(*this, tr("a page has no name or shares it with another"),
                QStringLiteral("position id \"%1\" of page %2 is empty or repeated").arg(p.id).arg(p.page));
        if (p.pixels.width() <= 0 || p.pixels.height() <= 0 || p.pixels.width() > MaxPositionPixels
            || p.pixels.height() > MaxPositionPixels)
            return invalid(*this, tr("a page has no valid pixel size"),
                QStringLiteral("page %1 is %2 × %3 px, allowed 1–%4")
                    .arg(p.page)
                    .arg(p.pixels.width())
                    .arg(p.pixels.height())
                    .arg(MaxPositionPixels));
        const double aspect = double(p.pixels.width()) / p.pixels.height();
        if (std::abs(aspect / paperAspect - 1) > AspectTolerance)
            return invalid(*this, tr("a page’s pixel size does not match its paper size"),
                QStringLiteral("page %1 is %2 × %3 px (aspect %4), paper with bleed has aspect %5")
                    .arg(p.page)
                    .arg(p.pixels.width())
                    .arg(p.pixels.height())
                    .arg(aspect, 0, 'f', 4)
                    .arg(paperAspect, 0, 'f', 4));
        pages.insert(p.page);
        ids.insert(p.id);
    }
    for (int month = 1; month <= 12; ++month) {
        if (!pages.contains(month))
            return invalid(
                *this, tr("a month has no picture position"), QStringLiteral("no position for month %1").arg(month));
    }
    return Status::success();
}

QJsonObject PrintFormat::toJson() const
{
    QJsonArray positionArray;
    for (const ImagePosition &p : positions) {
        positionArray.append(QJsonObject {
            { KeyId, p.id },
            { KeyPage, p.page },
            { KeyWidth, p.pixels.width() },
            { KeyHeight, p.pixels.height() },
        });
    }
    return QJsonObject {
        { KeyId, id },
        { KeyTitle, title },
        { KeyTrimWidth, trimInches.width() },
        { KeyTrimHeight, trimInches.height() },
        { KeyBleed, bleedInches },
        { KeySafeMargin, safeMarginInches },
        { KeyBindingEdge, bindingEdgeId(bindingEdge) },
        { KeyBindingDepth, bindingDepthInches },
        { KeyDpi, targetDpi },
        { KeyPositions, positionArray },
    };
}

Result<PrintFormat> PrintFormat::fromJson(const QJsonObject &json)
{
    PrintFormat f;
    f.id = json.value(KeyId).toString();
    f.title = json.value(KeyTitle).toString();
    // Required numbers must be numbers: a missing key must not quietly become 0.
    for (const QString &key : { KeyTrimWidth, KeyTrimHeight, KeyBleed, KeySafeMargin, KeyDpi }) {
        if (!json.value(key).isDouble())
            return invalid(f, tr("it is incomplete"), QStringLiteral("\"%1\" is missing or not a number").arg(key));
    }
    f.trimInches = QSizeF(json.value(KeyTrimWidth).toDouble(), json.value(KeyTrimHeight).toDouble());
    f.bleedInches = json.value(KeyBleed).toDouble();
    f.safeMarginInches = json.value(KeySafeMargin).toDouble();
    const double dpi = json.value(KeyDpi).toDouble();
    if (dpi != std::floor(dpi) || !inRange(dpi, MinDpi, MaxDpi))
        return invalid(f, tr("its print resolution is not valid"), QStringLiteral("dpi %1").arg(dpi));
    f.targetDpi = int(dpi);
    const auto edge = bindingEdgeFromId(json.value(KeyBindingEdge).toString(QStringLiteral("none")));
    if (!edge)
        return invalid(f, tr("its binding edge is unknown"),
            QStringLiteral("binding_edge \"%1\"").arg(json.value(KeyBindingEdge).toString()));
    f.bindingEdge = *edge;
    f.bindingDepthInches = json.value(KeyBindingDepth).toDouble(0);
    if (!json.value(KeyPositions).isArray())
        return invalid(f, tr("it is incomplete"), QStringLiteral("\"positions\" is missing or not an array"));
    for (const QJsonValue &v : json.value(KeyPositions).toArray()) {
        const QJsonObject o = v.toObject();
        const QJsonValue page = o.value(KeyPage), width = o.value(KeyWidth), height = o.value(KeyHeight);
        const auto isInt = [](const QJsonValue &n) { return n.isDouble() && n.toDouble() == std::floor(n.toDouble()); };
        if (!v.isObject() || !isInt(page) || !isInt(width) || !isInt(height))
            return invalid(f, tr("it is incomplete"),
                QStringLiteral("a position needs whole-number \"page\", \"width\" and \"height\""));
        // Out-of-range numbers are clamped into values validate() rejects with a clear message.
        const auto bounded = [](const QJsonValue &n) { return int(std::clamp(n.toDouble(), -1.0, 1.0e6)); };
        f.positions.append({ o.value(KeyId).toString(), bounded(page), QSize(bounded(width), bounded(height)) });
    }
    std::stable_sort(f.positions.begin(), f.positions.end(),
        [](const ImagePosition &a, const ImagePosition &b) { return a.page < b.page; });
    if (auto st = f.validate(); !st)
        return st.error();
    return f;
}

QString PrintFormat::bindingEdgeId(BindingEdge edge)
{
    switch (edge) {
    case BindingEdge::Top:
        return QStringLiteral("top");
    case BindingEdge::Left:
        return QStringLiteral("left");
    case BindingEdge::None:
        break;
    }
    return QStringLiteral("none");
}

std::optional<PrintFormat::BindingEdge> PrintFormat::bindingEdgeFromId(const QString &id)
{
    if (id == QLatin1String("none"))
        return BindingEdge::None;
    if (id == QLatin1String("top"))
        return BindingEdge::Top;
    if (id == QLatin1String("left"))
        return BindingEdge::Left;
    return std::nullopt;
}

} // namespace CalStudio
