#pragma once

#include "core/generation/generationrequest.h"
#include "core/generation/imageprovider.h"
#include "core/imaging/stylefilter.h"

#include <atomic>

namespace CalStudio {

/**
 * The work of OfflineProvider, synchronous so it can be tested and run on any
 * thread: an honest, non-AI stylised composite of the user's selfie.
 *
 *  1. a month-themed background (OfflineBackground) at a working size of at
 *     most WorkEdge px;
 *  2. the person from the best reference — the first full image, else the
 *     first face crop — cut out with GrabCut seeded by the face box
 *     (FaceDetector on the reference; a face crop's known geometry when no
 *     face is found) and placed with the face in the upper third over a soft
 *     halo; without references the draft is background only;
 *  3. the style preset's look (StyleFilter), scaled to the requested size;
 *  4. the "Offline draft — not AI" label (DraftLabel), drawn at full size so
 *     it stays crisp;
 *  5. PNG with an sRGB profile.
 *
 * Deterministic: everything random is derived from a hash of seed, month,
 * style, prompt, size and reference bytes. The working size keeps a 4096²
 * draft to about a second of CPU; the draft makes no claim to detail.
 */
class OfflineComposer {
public:
    static constexpr int WorkEdge = 1024;
    static constexpr int MaxEdge = 8192;

    /// The look used for a StylePreset id; unknown ids and "" get Photographic.
    static StyleFilter::Look lookFor(const QString &styleId);

    /// The 64-bit seed all randomness of `request` comes from.
    static quint64 mixedSeed(const GenerationRequest &request);

    /// Runs the steps above; returns Cancelled as soon as `cancel` is seen set between steps.
    static ImageProvider::Outcome compose(const GenerationRequest &request, const std::atomic_bool *cancel = nullptr);
};

} // namespace CalStudio
