#pragma once

// ReferenceImage (face crop or downscaled full selfie, JPEG) comes from
// ReferenceBuilder; a second struct of the same name here would break the ODR.
#include "core/imaging/referencebuilder.h"

#include <QByteArray>
#include <QList>
#include <QSize>
#include <QString>

namespace CalStudio {

/**
 * Everything one image-generation call needs, as a value: providers take
 * nothing from elsewhere. `promptSent` is the exact text sent (prompt +
 * style suffix + avoid), recorded with the candidate for provenance.
 */
struct GenerationRequest {
    int month = 0; ///< 0 = cover, 1–12
    QString provider; ///< "offline", "gemini", "openai", "replicate", "fal"
    QString model; ///< provider's model id, e.g. "gemini-3-pro-image"
    QString promptSent;
    QString style; ///< StylePreset id
    QString aspectRatio = QStringLiteral("1:1");
    QSize size{4096, 4096}; ///< wanted output size; the provider may return less (native size is recorded)
    qint64 seed = 0;
    QList<ReferenceImage> references;
};

} // namespace CalStudio
