#pragma once

#include "core/common/result.h"
#include "core/generation/generationrequest.h"
#include "core/generation/generationresult.h"
#include "core/project/candidaterecord.h"
#include "core/project/monthentry.h"

#include <optional>

namespace CalStudio {

class ProjectStore;

/**
 * Turns a project into generation requests and stores what comes back —
 * the one place the CLI and the studio build requests, so both send the
 * same prompt text and references.
 *
 * References are made once per planner from the project's best selfies
 * (ReferenceBuilder::pickBest): the best as a full image plus face crops of
 * up to three. The queue does not persist them; it asks prepare() again
 * right before each request.
 */
class GenerationPlanner {
public:
    GenerationPlanner(ProjectStore &store, QString referenceCacheDir);

    /// The exact text a provider gets: the scene, then the style's wording, then what to leave out.
    static QString promptSent(const MonthEntry &entry);

    /// `candidates` requests for each of `months` (0 = cover), seeds derived from `baseSeed`.
    [[nodiscard]] Result<QList<GenerationRequest>> requests(const QList<int> &months, int candidates,
                                                            const QString &provider, const QString &model,
                                                            const QSize &size, qint64 baseSeed) const;

    /// Fills in the references (built on first use, then reused).
    void prepare(GenerationRequest &request);
    /// Why references could not be made, if they could not (the request then goes without).
    [[nodiscard]] const Error &referenceError() const { return m_referenceError; }

    /**
     * Stores a finished image as a candidate of its month with its
     * provenance (provider, model, prompt as sent, seed, native size, cost
     * estimate). Making masters is GenerationSession's job, off this thread.
     */
    Result<CandidateRecord> storeCandidate(const GenerationRequest &request, const GeneratedImage &image);
    /// The candidate row (provenance) for an image, without storing anything.
    static CandidateRecord candidateFor(const GenerationRequest &request, const GeneratedImage &image);

private:
    Result<QList<ReferenceImage>> buildReferences() const;

    ProjectStore &m_store;
    QString m_cacheDir;
    std::optional<QList<ReferenceImage>> m_references;
    Error m_referenceError;
};

} // namespace CalStudio
