#include "core/generation/generationplanner.h"

#include "core/generation/generationlogging.h"
#include "core/imaging/imagedecoder.h"
#include "core/imaging/referencebuilder.h"
#include "core/imaging/selfieanalysis.h"
#include "core/project/projectstore.h"
#include "core/project/stylepreset.h"

#include <QJsonDocument>

namespace CalStudio {

GenerationPlanner::GenerationPlanner(ProjectStore &store, QString referenceCacheDir)
    : m_store(store)
    , m_cacheDir(std::move(referenceCacheDir))
{
}

QString GenerationPlanner::promptSent(const MonthEntry &entry)
{
    QString prompt = entry.prompt.trimmed();
    if (const auto preset = StylePreset::find(entry.style); preset && !preset->promptSuffix.isEmpty())
        prompt += (prompt.isEmpty() ? QString() : QStringLiteral(" ")) + preset->promptSuffix.trimmed();
    if (!entry.avoid.trimmed().isEmpty())
        prompt += QStringLiteral(" Avoid: ") + entry.avoid.trimmed();
    return prompt;
}

Result<QList<GenerationRequest>> GenerationPlanner::requests(const QList<int> &months, int candidates,
                                                             const QString &provider, const QString &model,
                                                             const QSize &size, qint64 baseSeed) const
{
    auto entries = m_store.loadMonths();
    if (!entries)
        return entries.error();
    QList<GenerationRequest> list;
    for (int month : months) {
        const MonthEntry &entry = entries->at(month);
        for (int i = 0; i < candidates; ++i) {
            GenerationRequest r;
            r.month = month;
            r.provider = provider;
            r.model = model;
            r.promptSent = promptSent(entry);
            r.style = entry.style;
            r.size = size;
            r.seed = baseSeed * 1000 + month * 10 + i;
            list.append(r);
        }
    }
    return list;
}

void GenerationPlanner::prepare(GenerationRequest &request)
{
    if (!m_references) {
        auto built = buildReferences();
        if (built) {
            m_references = *built;
        } else {
            m_referenceError = built.error();
            qCWarning(lcGeneration) << "references unavailable:" << built.error();
            m_references = QList<ReferenceImage>();
        }
    }
    request.references = *m_references;
}

Result<QList<ReferenceImage>> GenerationPlanner::buildReferences() const
{
    auto selfies = m_store.loadSelfies();
    if (!selfies)
        return selfies.error();
    QList<SelfieAnalysis> analyses;
    for (const SelfieRecord &r : *selfies) {
        auto a = SelfieAnalysis::fromJson(QJsonDocument::fromJson(r.analysisJson).object());
        SelfieAnalysis analysis = a ? *a : SelfieAnalysis{};
        if (r.mainFace >= 0 && r.mainFace < analysis.faces.size())
            analysis.mainFace = r.mainFace;
        analyses.append(analysis);
    }
    const QList<int> picks = ReferenceBuilder::pickBest(analyses, 3);
    QList<ReferenceImage> refs;
    if (picks.isEmpty())
        return refs; // no usable selfie: providers go without (the offline draft shows the background only)
    const ReferenceBuilder builder(m_cacheDir);
    for (int i = 0; i < picks.size(); ++i) {
        const SelfieRecord &record = selfies->at(picks.at(i));
        const SelfieAnalysis &analysis = analyses.at(picks.at(i));
        auto bytes = m_store.readBlob(record.blobId);
        if (!bytes)
            return bytes.error();
        // References are at most 1536 px, so a 48 MP selfie need not be decoded in full.
        auto decoded = ImageDecoder::decode(*bytes, {}, 2048);
        if (!decoded)
            return decoded.error();
        const QImage &upright = decoded->image;
        // The analysis may refer to a different decode size.
        const double sx = analysis.imageSize.width() > 0 ? double(upright.width()) / analysis.imageSize.width() : 1;
        const double sy = analysis.imageSize.height() > 0 ? double(upright.height()) / analysis.imageSize.height() : 1;
        const QRectF box = analysis.face()->box;
        const QRectF face(box.x() * sx, box.y() * sy, box.width() * sx, box.height() * sy);
        if (i == 0) {
            auto full = builder.fullImage(upright, record.sourceSha256);
            if (!full)
                return full.error();
            refs.append(*full);
        }
        auto crop = builder.faceCrop(upright, face, record.sourceSha256);
        if (!crop)
            return crop.error();
        refs.append(*crop);
    }
    return refs;
}

Result<CandidateRecord> GenerationPlanner::storeCandidate(const GenerationRequest &request,
                                                          const GeneratedImage &image)
{
    CandidateRecord record = candidateFor(request, image);
    if (auto st = m_store.addCandidate(record, image.bytes); !st)
        return st.error();
    return record;
}

CandidateRecord GenerationPlanner::candidateFor(const GenerationRequest &request, const GeneratedImage &image)
{
    CandidateRecord record;
    record.month = request.month;
    record.provider = request.provider;
    record.model = image.model.isEmpty() ? request.model : image.model;
    record.promptSent = request.promptSent;
    record.seed = request.seed;
    record.width = image.nativeSize.width();
    record.height = image.nativeSize.height();
    record.costMicros = qRound64(image.costUsd * 1e6);
    record.status = QStringLiteral("done");
    return record;
}

} // namespace CalStudio
