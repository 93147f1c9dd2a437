#include "core/generation/offlinecomposer.h"

#include "core/generation/generationlogging.h"
#include "core/generation/offlinebackground.h"
#include "core/imaging/draftlabel.h"
#include "core/imaging/facedetector.h"
#include "core/imaging/imagedecoder.h"
#include "core/imaging/personcutout.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QPainter>
#include <QRadialGradient>
#include <QtEndian>

#include <algorithm>

namespace CalStudio {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CalStudio::OfflineComposer", text);
}

bool cancelled(const std::atomic_bool *cancel)
{
    return cancel && cancel->load();
}

GenerationError cancelledError()
{
    return GenerationError { GenerationError::Kind::Cancelled, tr("Generation was cancelled."), {}, {}, 0 };
}

GenerationError badRequest(const QString &message, const QString &reason = {})
{
    return GenerationError { GenerationError::Kind::BadRequest, message, reason, {}, 0 };
}

const ReferenceImage *bestReference(const QList<ReferenceImage> &refs)
{
    // A full image shows shoulders and hair, which makes a better cut-out than a tight face crop.
    for (const ReferenceImage &r : refs) {
        if (r.kind == ReferenceImage::Kind::FullImage && !r.jpeg.isEmpty())
            return &r;
    }
    for (const ReferenceImage &r : refs) {
        if (!r.jpeg.isEmpty())
            return &r;
    }
    return nullptr;
}

/// The face in a reference: detected, or where ReferenceBuilder puts it in a face crop.
QRectF faceIn(const QImage &image, ReferenceImage::Kind kind)
{
    FaceDetectorOptions options;
    options.scoreThreshold = 0.6f;
    if (auto detector = FaceDetector::create(options)) {
        const QList<Face> faces = detector->detect(image);
        if (!faces.isEmpty())
            return faces.constFirst().box;
    } else {
        qCWarning(lcGeneration) << "offline: no face detector:" << detector.error().detail;
    }
    const double side = std::min(image.width(), image.height());
    const double faceSide = kind == ReferenceImage::Kind::FaceCrop ? side / ReferenceBuilder::DefaultMargin : side / 3;
    qCInfo(lcGeneration) << "offline: no face found in the reference; assuming it is centred";
    return { (image.width() - faceSide) / 2, (image.height() - faceSide) / 2.4, faceSide, faceSide };
}

/// Paints the cut-out person over `canvas`, face in the upper third, body running off the bottom.
void placePerson(QImage &canvas, const QImage &person, const QRectF &face, quint64 seed, const QColor &halo)
{
    const double W = canvas.width();
    const double H = canvas.height();
    const double s = 0.25 * H / face.height();
    const double jitter = (double((seed >> 8) % 1000) / 1000.0 - 0.5) * 0.12;
    const double faceCx = W * (0.5 + jitter);
    const double x = faceCx - s * (face.x() + face.width() / 2);
    const double yFaceAt = 0.2 * H - s * face.y();
    const double yBottomAt = H - s * person.height();
    const double y = std::max(yFaceAt, yBottomAt);

    QPainter p(&canvas);
    p.setRenderHints(QPainter::Antialiasing | QPainter::SmoothPixmapTransform);
    const QPointF headCentre(faceCx, y + s * (face.y() + face.height() / 2));
    const double r = s * face.height() * 1.7;
    QRadialGradient g(headCentre, r);
    QColor inner = halo;
    inner.setAlpha(190);
    QColor outer = halo;
    outer.setAlpha(0);
    g.setColorAt(0, inner);
    g.setColorAt(0.6, inner);
    g.setColorAt(1, outer);
    p.setPen(Qt::NoPen);
    p.setBrush(g);
    p.drawEllipse(headCentre, r, r);
    p.drawImage(QRectF(x, y, s * person.width(), s * person.height()), person);
    p.end();
}
} // namespace

StyleFilter::Look OfflineComposer::lookFor(const QString &styleId)
{
    using Look = StyleFilter::Look;
    if (styleId == QLatin1String("cinematic"))
        return Look::Cinematic;
    if (styleId == QLatin1String("watercolor"))
        return Look::Watercolor;
    if (styleId == QLatin1String("oil-painting"))
        return Look::OilPaint;
    if (styleId == QLatin1String("pencil-sketch"))
        return Look::PencilSketch;
    // Flat colour and outlines are the nearest non-AI thing to a cartoon render.
    if (styleId == QLatin1String("pop-art") || styleId == QLatin1String("3d-cartoon"))
        return Look::PopArt;
    if (styleId == QLatin1String("vintage-film"))
        return Look::VintageFilm;
    return Look::Photographic;
}

quint64 OfflineComposer::mixedSeed(const GenerationRequest &request)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    auto addInt = [&h](qint64 v) {
        const qint64 le = qToLittleEndian(v);
        h.addData(QByteArrayView(reinterpret_cast<const char *>(&le), sizeof le));
    };
    addInt(request.seed);
    addInt(request.month);
    addInt(request.size.width());
    addInt(request.size.height());
    h.addData(request.style.toUtf8());
    h.addData(QByteArrayView("\0", 1));
    h.addData(request.promptSent.toUtf8());
    for (const ReferenceImage &r : request.references) {
        addInt(int(r.kind));
        h.addData(QCryptographicHash::hash(r.jpeg, QCryptographicHash::Sha256));
    }
    return qFromLittleEndian<quint64>(h.result().constData());
}

ImageProvider::Outcome OfflineComposer::compose(const GenerationRequest &request, const std::atomic_bool *cancel)
{
    const QSize size = request.size;
    if (size.width() < 16 || size.height() < 16 || size.width() > MaxEdge || size.height() > MaxEdge)
        return badRequest(tr("The offline draft size must be between 16 and %1 pixels.").arg(MaxEdge),
            QStringLiteral("%1x%2").arg(size.width()).arg(size.height()));
    if (request.month < 0 || request.month > 12)
        return badRequest(tr("There is no month %1.").arg(request.month));
    const quint64 seed = mixedSeed(request);
    const QSize work
        = size.scaled(std::min(size.width(), WorkEdge), std::min(size.height(), WorkEdge), Qt::KeepAspectRatio);

    QImage canvas = OfflineBackground::paint(work, request.month, seed);
    if (cancelled(cancel))
        return cancelledError();

    if (const ReferenceImage *ref = bestReference(request.references)) {
        ImageLimits limits;
        limits.minShortEdge = 32;
        auto decoded = ImageDecoder::decode(ref->jpeg, limits, 1024);
        if (!decoded)
            return badRequest(
                tr("A reference photo could not be read: %1").arg(decoded.error().userMessage), decoded.error().code);
        const QImage &upright = decoded->image;
        const QRectF face = faceIn(upright, ref->kind);
        if (cancelled(cancel))
            return cancelledError();
        auto person = PersonCutout::cut(upright, face, seed);
        if (!person) {
            // Still honest without a clean matte: show the photo as it is.
            qCWarning(lcGeneration) << "offline: cut-out failed:" << person.error().detail;
            person = upright.convertToFormat(QImage::Format_ARGB32);
        }
        placePerson(canvas, *person, face, seed, OfflineBackground::palette(request.month).accent);
    } else {
        qCInfo(lcGeneration) << "offline: no reference photo; drawing the background only for month" << request.month;
    }
    if (cancelled(cancel))
        return cancelledError();

    auto styled = StyleFilter::apply(canvas, lookFor(request.style), seed);
    if (!styled)
        return GenerationError { GenerationError::Kind::Transient, styled.error().userMessage, styled.error().detail,
            {}, 0 };
    if (cancelled(cancel))
        return cancelledError();

    QImage full
        = styled->size() == size ? *styled : styled->scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    auto labelled = DraftLabel::draw(full);
    if (!labelled)
        return GenerationError { GenerationError::Kind::Transient, labelled.error().userMessage,
            labelled.error().detail, {}, 0 };
    full = QImage();
    if (cancelled(cancel))
        return cancelledError();

    auto png = ImageDecoder::encodeImage(*labelled, true);
    if (!png)
        return GenerationError { GenerationError::Kind::Transient, png.error().userMessage, png.error().detail, {}, 0 };

    GeneratedImage image;
    image.bytes = std::move(*png);
    image.mimeType = QStringLiteral("image/png");
    image.nativeSize = size;
    image.model = QStringLiteral("offline-composite-1");
    image.note = DraftLabel::text();
    image.costUsd = 0;
    return image;
}

} // namespace CalStudio
