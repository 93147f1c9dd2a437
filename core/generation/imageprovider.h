#pragma once

#include "core/generation/generationrequest.h"
#include "core/generation/generationresult.h"

#include <QObject>

#include <variant>

namespace CalStudio {

/**
 * One image-generation backend. generate() starts one request and answers
 * exactly once with finished(); cancel() makes it answer with a Cancelled
 * error as soon as it can. Implementations: OfflineProvider (no key, no
 * network) and the HTTP clients for Gemini, OpenAI, Replicate and fal.ai.
 * A provider runs one request at a time; the queue creates one per slot.
 */
class ImageProvider : public QObject {
    Q_OBJECT
public:
    using Outcome = std::variant<GeneratedImage, GenerationError>;

    using QObject::QObject;
    ~ImageProvider() override = default;

    /// "offline", "gemini", …
    [[nodiscard]] virtual QString id() const = 0;
    virtual void generate(const GenerationRequest &request) = 0;
    virtual void cancel() = 0;

Q_SIGNALS:
    void finished(const CalStudio::ImageProvider::Outcome &outcome);
};

} // namespace CalStudio
