#include "core/generation/masterbuilder.h"

#include "core/generation/generationlogging.h"
#include "core/imaging/imagedecoder.h"
#include "core/imaging/imageresampler.h"
#include "core/project/projectstore.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace CalStudio {

Result<MasterImage> MasterBuilder::build(const QByteArray &candidateBytes, int side)
{
    auto square = ImageResampler::toSquareMaster(candidateBytes, side);
    if (!square)
        return square.error();
    if (square->upscaled)
        qCInfo(lcGeneration) << "master upscaled from" << square->nativeSize << "to" << square->size;
    return MasterImage { std::move(square->png), square->size, square->nativeSize };
}

QRect MasterBuilder::photoSquare(QSize imageSize, const QRect &faceRect)
{
    const int w = imageSize.width();
    const int h = imageSize.height();
    const int s = std::min(w, h);
    if (s <= 0)
        return {};
    const QRect face = faceRect.isNull() ? QRect() : faceRect.intersected(QRect(0, 0, w, h));
    if (face.isEmpty())
        return QRect((w - s) / 2, (h - s) / 2, s, s);

    // Where the square would start along one axis: the face's centre at
    // `at` × s inside the square, the whole face inside when it fits (else
    // the face centred), and the square inside the image. Only the long axis
    // has any freedom; on the short one the square spans the whole image.
    const auto place = [s](int faceStart, int faceLength, int imageLength, double at) {
        const double centre = faceStart + faceLength / 2.0;
        int start = int(std::lround(centre - (faceLength <= s ? at : 0.5) * s));
        if (faceLength <= s)
            start = std::clamp(start, faceStart + faceLength - s, faceStart);
        return std::clamp(start, 0, imageLength - s);
    };
    return QRect(place(face.x(), face.width(), w, 0.5), place(face.y(), face.height(), h, 1.0 / 3.0), s, s);
}

Result<MasterImage> MasterBuilder::buildFromPhoto(const QByteArray &photoBytes, const QRect &faceRect, int side)
{
    // The header says the upright size (EXIF orientation applied), which is
    // the space faceRect is in; the resampler decodes upright too.
    const ImageLimits limits = ImageResampler::masterInputLimits();
    auto probe = ImageDecoder::probe(photoBytes, limits);
    if (!probe)
        return probe.error();
    const QRect square = photoSquare(QSize(probe->width, probe->height), faceRect);
    auto master = ImageResampler::cropToSquareMaster(photoBytes, square, side, limits);
    if (!master)
        return master.error();
    qCInfo(lcGeneration) << "master from photo" << probe->width << "x" << probe->height << "square" << square
                         << "to" << master->size;
    return MasterImage { std::move(master->png), master->size, square.size() };
}

namespace {
Error noImageError()
{
    return Error(QStringLiteral("no_image"),
        QCoreApplication::translate(
            "CalStudio::MasterBuilder", "This candidate has no image; generate the month again."));
}
} // namespace

Result<qint64> MasterBuilder::addMaster(ProjectStore &store, const CandidateRecord &candidate, int side)
{
    if (candidate.blobId <= 0)
        return noImageError();
    const MasterSource source { candidate.id, 0 };
    auto existing = store.findMaster(candidate.month, source);
    if (!existing)
        return existing.error();
    if (*existing > 0) {
        auto info = store.masterInfo(*existing);
        if (!info)
            return info.error();
        if (info->width == side && info->height == side)
            return *existing;
    }
    auto bytes = store.readBlob(candidate.blobId);
    if (!bytes)
        return bytes.error();
    auto master = build(*bytes, side);
    if (!master)
        return master.error();
    return store.addMaster(candidate.month, source, master->png, master->size, master->nativeSize);
}

Result<qint64> MasterBuilder::makeMaster(ProjectStore &store, const CandidateRecord &candidate, int side)
{
    if (candidate.blobId <= 0)
        return noImageError();
    auto bytes = store.readBlob(candidate.blobId);
    if (!bytes)
        return bytes.error();
    auto master = build(*bytes, side);
    if (!master)
        return master.error();
    return store.setMaster(candidate.month, candidate.id, master->png, master->size.width(), master->size.height(),
        master->nativeSize.width(), master->nativeSize.height());
}

} // namespace CalStudio
