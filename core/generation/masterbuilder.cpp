#include "core/generation/masterbuilder.h"

#include "core/generation/generationlogging.h"
#include "core/imaging/imageresampler.h"
#include "core/project/projectstore.h"

#include <QCoreApplication>

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

Result<qint64> MasterBuilder::makeMaster(ProjectStore &store, const CandidateRecord &candidate, int side)
{
    if (candidate.blobId <= 0)
        return Error(QStringLiteral("no_image"),
            QCoreApplication::translate(
                "CalStudio::MasterBuilder", "This candidate has no image; generate the month again."));
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
