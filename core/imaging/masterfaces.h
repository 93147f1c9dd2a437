#pragma once

#include "core/common/result.h"
#include "core/imaging/face.h"
#include "core/imaging/smartcrop.h"

#include <QByteArray>
#include <QImage>
#include <QJsonObject>
#include <QList>
#include <QSize>

namespace CalStudio {

class FaceDetector;

/**
 * The faces found on one master, in the master's own pixels. Detection is
 * the expensive part of planning crops, so the project stores this with the
 * master (`ProjectStore::setMasterFaces`) and crops are planned from it for
 * every format without looking at pixels again.
 */
struct MasterFaces {
    QSize imageSize; ///< the master's size (upright, as displayed)
    QList<Face> faces; ///< largest first; boxes and landmarks in master pixels

    /**
     * Decodes `masterBytes` straight to a copy at most
     * FaceDetector::MaxDetectionEdge pixels long (shrink-on-load: a 4096²
     * master is never decoded whole), detects on it and scales boxes and
     * landmarks back to the master's pixels. Errors are ImageDecoder's
     * ("empty", "corrupt", "not_an_image", …).
     */
    static Result<MasterFaces> detect(const QByteArray &masterBytes, const FaceDetector &detector);
    /**
     * Detects on `copy`, a downscaled upright copy of an image whose full
     * size is `fullSize`, and scales the faces to `fullSize`. For callers
     * that already hold such a copy (the CLI also computes saliency on it).
     */
    static MasterFaces detect(const QImage &copy, QSize fullSize, const FaceDetector &detector);

    /// The faces as SmartCrop takes them.
    [[nodiscard]] QList<CropFace> cropFaces() const;

    /**
     * `{"width":W,"height":H,"faces":[{"x","y","w","h","score","landmarks":[[x,y]×5]}]}`
     * — the face shape of `calstudio-cli faces`, in master pixels.
     */
    [[nodiscard]] QJsonObject toJson() const;
    /// Reads what toJson() wrote. Error "bad_faces" for anything else (detect again then).
    static Result<MasterFaces> fromJson(const QJsonObject &json);

    friend bool operator==(const MasterFaces &, const MasterFaces &) = default;
};

} // namespace CalStudio
