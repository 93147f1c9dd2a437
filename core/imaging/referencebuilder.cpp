#include "core/imaging/referencebuilder.h"

#include "core/imaging/imaginglogging.h"

#include <QBuffer>
#include <QColorSpace>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QImageReader>
#include <QPainter>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

namespace CalStudio {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ReferenceBuilder", text);
}

// qualityScore(): sharpness counts fully from 150 (about four times the
// blur threshold of 35; the sharp astronaut test faces measure 112–179, so
// differences above that are detail, not focus), a face filling 40% of the
// short edge counts fully, and the best exposure is a mean face luma near
// 130, falling off over 70 levels either way.
constexpr double fullSharpness = 150;
constexpr double fullRelativeSize = 0.4;
constexpr double idealBrightness = 130;
constexpr double brightnessFalloff = 70;
// pickBest(): the weight of variety against quality, and the differences in
// yaw and brightness at which two selfies count as fully different.
constexpr double varietyWeight = 0.3;
constexpr double distinctYaw = 0.3;
constexpr double distinctBrightness = 40;

QString pixelHash(const QImage &image)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    h.addData(QByteArray(QByteArray::number(rgb.width()) + 'x' + QByteArray::number(rgb.height())));
    for (int y = 0; y < rgb.height(); ++y)
        h.addData(QByteArrayView(reinterpret_cast<const char *>(rgb.constScanLine(y)), rgb.width() * 3));
    return QString::fromLatin1(h.result().toHex());
}

// Hashes go into file names; anything but plain hex/alphanumerics is hashed
// again so a caller's key can never escape the cache directory.
QString safeKey(const QString &key)
{
    const bool plain = !key.isEmpty() && key.size() <= 128
        && std::all_of(key.begin(), key.end(), [](QChar c) { return c.isLetterOrNumber() && c.unicode() < 128; });
    return plain ? key
                 : QString::fromLatin1(QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QImage opaqueRgb(const QImage &image)
{
    if (!image.hasAlphaChannel())
        return image.convertToFormat(QImage::Format_RGB888);
    // JPEG has no alpha; white is what a viewer would show behind a transparent photo.
    QImage flat(image.size(), QImage::Format_RGB888);
    flat.fill(Qt::white);
    QPainter painter(&flat);
    painter.drawImage(0, 0, image);
    painter.end();
    return flat;
}

} // namespace

ReferenceBuilder::ReferenceBuilder(QString cacheDir, int jpegQuality)
    : m_cacheDir(std::move(cacheDir))
    , m_jpegQuality(jpegQuality)
{
}

QRect ReferenceBuilder::cropRect(const QSize &imageSize, const QRectF &face, double margin)
{
    if (imageSize.isEmpty())
        return {};
    const int shortEdge = std::min(imageSize.width(), imageSize.height());
    const int side = std::clamp(int(std::lround(std::max(face.width(), face.height()) * margin)), 1, shortEdge);
    const QPointF c = face.center();
    const int x = std::clamp(int(std::lround(c.x() - side / 2.0)), 0, imageSize.width() - side);
    const int y = std::clamp(int(std::lround(c.y() - side / 2.0)), 0, imageSize.height() - side);
    return QRect(x, y, side, side);
}

Result<ReferenceImage> ReferenceBuilder::faceCrop(
    const QImage &upright, const QRectF &face, const QString &contentHash, int size) const
{
    return build(ReferenceImage::Kind::FaceCrop, upright, cropRect(upright.size(), face), contentHash, size);
}

Result<ReferenceImage> ReferenceBuilder::fullImage(
    const QImage &upright, const QString &contentHash, int longEdge) const
{
    return build(ReferenceImage::Kind::FullImage, upright, upright.rect(), contentHash, longEdge);
}

Result<ReferenceImage> ReferenceBuilder::build(ReferenceImage::Kind kind, const QImage &upright, const QRect &source,
    const QString &contentHash, int maxEdge) const
{
    if (upright.isNull() || source.isEmpty() || maxEdge <= 0)
        return Error(QStringLiteral("no_image"), tr("There is no picture to prepare for generation."),
            QStringLiteral("image %1×%2, source %3×%4, max edge %5")
                .arg(upright.width())
                .arg(upright.height())
                .arg(source.width())
                .arg(source.height())
                .arg(maxEdge));

    ReferenceImage ref;
    ref.kind = kind;
    const QSize target = source.size().scaled(QSize(maxEdge, maxEdge), Qt::KeepAspectRatio).boundedTo(source.size());

    if (!m_cacheDir.isEmpty()) {
        const QString key = contentHash.isEmpty() ? pixelHash(upright) : safeKey(contentHash);
        // The crop rectangle is part of the name because picking another face
        // in the same selfie must give another reference.
        const QString name = kind == ReferenceImage::Kind::FaceCrop
            ? QStringLiteral("%1-face-%2-%3_%4_%5.jpg")
                  .arg(key)
                  .arg(maxEdge)
                  .arg(source.x())
                  .arg(source.y())
                  .arg(source.width())
            : QStringLiteral("%1-full-%2.jpg").arg(key).arg(maxEdge);
        ref.cachePath = QDir(m_cacheDir).filePath(name);
        QFile cached(ref.cachePath);
        if (cached.open(QIODevice::ReadOnly)) {
            ref.jpeg = cached.readAll();
            QBuffer buffer(&ref.jpeg);
            QImageReader reader(&buffer, "jpeg");
            ref.size = reader.size();
            // A truncated or foreign file is rebuilt rather than sent.
            if (ref.size == target) {
                ref.fromCache = true;
                return ref;
            }
            qCWarning(lcImaging) << "Ignoring a damaged cached reference" << ref.cachePath;
        }
    }

    QImage image = opaqueRgb(upright.copy(source));
    if (image.size() != target)
        image = image.scaled(target, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    // Tagging sRGB makes Qt embed the profile, so providers read the colours as meant.
    image.setColorSpace(QColorSpace::SRgb);
    QBuffer buffer(&ref.jpeg);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "JPEG", m_jpegQuality))
        return Error(QStringLiteral("encode_failed"), tr("A selfie could not be prepared for generation."),
            QStringLiteral("QImage::save to JPEG failed for %1×%2 (is the Qt JPEG plugin installed?)")
                .arg(image.width())
                .arg(image.height()));
    ref.size = image.size();

    if (!ref.cachePath.isEmpty()) {
        // A failed cache write only costs time on the next request; the reference itself is fine.
        QSaveFile out(ref.cachePath);
        if (!QDir().mkpath(m_cacheDir) || !out.open(QIODevice::WriteOnly) || out.write(ref.jpeg) != ref.jpeg.size()
            || !out.commit()) {
            qCWarning(lcImaging) << "Cannot cache a reference at" << ref.cachePath << out.errorString();
            ref.cachePath.clear();
        }
    }
    return ref;
}

double ReferenceBuilder::qualityScore(const SelfieAnalysis &selfie)
{
    if (!selfie.usable())
        return 0;
    const FaceMetrics &m = selfie.metrics;
    const double sharp = std::min(1.0, m.sharpness / fullSharpness);
    const double size = std::min(1.0, m.relativeSize / fullRelativeSize);
    const double light = 1.0 - std::min(1.0, std::abs(m.brightness - idealBrightness) / brightnessFalloff);
    return 0.5 * sharp + 0.3 * size + 0.2 * light;
}

QList<int> ReferenceBuilder::pickBest(const QList<SelfieAnalysis> &selfies, int n)
{
    QList<int> candidates;
    QList<double> quality(selfies.size());
    for (int i = 0; i < selfies.size(); ++i) {
        quality[i] = qualityScore(selfies[i]);
        if (selfies[i].usable())
            candidates.append(i);
    }
    const auto difference = [&](int a, int b) {
        const FaceMetrics &ma = selfies[a].metrics;
        const FaceMetrics &mb = selfies[b].metrics;
        const double light = std::abs(ma.brightness - mb.brightness) / distinctBrightness;
        const double angle = ma.yaw && mb.yaw ? std::abs(*ma.yaw - *mb.yaw) / distinctYaw : 0.0;
        return std::min(1.0, std::max(light, angle));
    };

    QList<int> picked;
    while (picked.size() < n && !candidates.isEmpty()) {
        auto best = candidates.begin();
        double bestValue = -1;
        for (auto it = candidates.begin(); it != candidates.end(); ++it) {
            double variety = 1.0;
            for (int p : picked)
                variety = std::min(variety, difference(*it, p));
            const double value = quality[*it] + (picked.isEmpty() ? 0.0 : varietyWeight * variety);
            if (value > bestValue) {
                bestValue = value;
                best = it;
            }
        }
        picked.append(*best);
        candidates.erase(best);
    }
    return picked;
}

} // namespace CalStudio
