#include "core/imaging/masterfaces.h"

#include "core/imaging/facedetector.h"
#include "core/imaging/imagedecoder.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <algorithm>

namespace CalStudio {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CalStudio::MasterFaces", text);
}

// Masters are the app's own PNGs, not untrusted imports: any size that
// decodes is fine, and a noisy 4096² PNG may be larger than a photo.
ImageLimits masterLimits()
{
    ImageLimits limits;
    limits.maxFileBytes = 256LL * 1024 * 1024;
    limits.minShortEdge = 1;
    limits.warnShortEdge = 1;
    return limits;
}

QPointF scaled(const QPointF &p, double sx, double sy, const QSizeF &bounds)
{
    if (p.isNull())
        return p; // "no landmark" from the fallback detector stays that way
    return QPointF(std::clamp(p.x() * sx, 0.0, bounds.width()), std::clamp(p.y() * sy, 0.0, bounds.height()));
}

} // namespace

Result<MasterFaces> MasterFaces::detect(const QByteArray &masterBytes, const FaceDetector &detector)
{
    auto decoded = ImageDecoder::decode(masterBytes, masterLimits(), FaceDetector::MaxDetectionEdge);
    if (!decoded)
        return decoded.error();
    return detect(decoded->image, QSize(decoded->probe.width, decoded->probe.height), detector);
}

MasterFaces MasterFaces::detect(const QImage &copy, QSize fullSize, const FaceDetector &detector)
{
    MasterFaces result;
    result.imageSize = fullSize.isEmpty() ? copy.size() : fullSize;
    if (copy.isNull())
        return result;
    const double sx = double(result.imageSize.width()) / copy.width();
    const double sy = double(result.imageSize.height()) / copy.height();
    const QSizeF bounds(result.imageSize);
    for (const Face &found : detector.detect(copy)) {
        Face f = found;
        f.box = QRectF(found.box.x() * sx, found.box.y() * sy, found.box.width() * sx, found.box.height() * sy)
                    .intersected(QRectF(QPointF(0, 0), bounds));
        for (QPointF &p : f.landmarks)
            p = scaled(p, sx, sy, bounds);
        result.faces.append(f);
    }
    return result;
}

QList<CropFace> MasterFaces::cropFaces() const
{
    return CropFace::fromFaces(faces);
}

QJsonObject MasterFaces::toJson() const
{
    QJsonArray faceArray;
    for (const Face &f : faces) {
        QJsonArray landmarks;
        for (const QPointF &p : f.landmarks)
            landmarks.append(QJsonArray { p.x(), p.y() });
        faceArray.append(QJsonObject {
            { QStringLiteral("x"), f.box.x() },
            { QStringLiteral("y"), f.box.y() },
            { QStringLiteral("w"), f.box.width() },
            { QStringLiteral("h"), f.box.height() },
            { QStringLiteral("score"), double(f.score) },
            { QStringLiteral("landmarks"), landmarks },
        });
    }
    return QJsonObject {
        { QStringLiteral("width"), imageSize.width() },
        { QStringLiteral("height"), imageSize.height() },
        { QStringLiteral("faces"), faceArray },
    };
}

Result<MasterFaces> MasterFaces::fromJson(const QJsonObject &json)
{
    const auto bad = [](const QString &why) {
        return Error(QStringLiteral("bad_faces"),
            tr("The stored faces of a picture are damaged; they will be detected again."), why);
    };
    MasterFaces m;
    m.imageSize = QSize(json.value(QStringLiteral("width")).toInt(-1), json.value(QStringLiteral("height")).toInt(-1));
    if (m.imageSize.width() <= 0 || m.imageSize.height() <= 0)
        return bad(QStringLiteral("missing or invalid width/height"));
    if (!json.value(QStringLiteral("faces")).isArray())
        return bad(QStringLiteral("faces is not an array"));
    for (const QJsonValue &v : json.value(QStringLiteral("faces")).toArray()) {
        const QJsonObject o = v.toObject();
        for (const char *key : { "x", "y", "w", "h" }) {
            if (!o.value(QLatin1String(key)).isDouble())
                return bad(QStringLiteral("a face has no number \"%1\"").arg(QLatin1String(key)));
        }
        Face f;
        f.box = QRectF(o.value(QStringLiteral("x")).toDouble(), o.value(QStringLiteral("y")).toDouble(),
            o.value(QStringLiteral("w")).toDouble(), o.value(QStringLiteral("h")).toDouble());
        if (f.box.width() < 0 || f.box.height() < 0)
            return bad(QStringLiteral("a face has a negative size"));
        f.score = float(o.value(QStringLiteral("score")).toDouble());
        const QJsonArray landmarks = o.value(QStringLiteral("landmarks")).toArray();
        if (landmarks.size() != qsizetype(f.landmarks.size()))
            return bad(QStringLiteral("a face does not have five landmarks"));
        for (qsizetype i = 0; i < landmarks.size(); ++i) {
            const QJsonArray p = landmarks.at(i).toArray();
            f.landmarks[size_t(i)] = QPointF(p.at(0).toDouble(), p.at(1).toDouble());
        }
        m.faces.append(f);
    }
    return m;
}

} // namespace CalStudio
