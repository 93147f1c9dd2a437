#pragma once

#include "core/common/result.h"
#include "core/imaging/face.h"

#include <QJsonObject>
#include <QList>
#include <QSize>
#include <QString>

#include <optional>

namespace CalStudio {

/**
 * One verdict about a selfie or a set of selfies. `id` is stable (the UI
 * picks its badge by it and scripts read it from the CLI's JSON); `message`
 * is one plain sentence for the user: a confirmation when `ok`, otherwise
 * what is wrong and what to do.
 *
 * Selfie ids: "no_face", "several_faces", "face_too_small", "blurry",
 * "too_dark", "too_bright", "low_resolution".
 * Set ids: "too_few", "too_many", "few_usable", "vary_angles", "vary_light".
 */
struct SelfieCheck {
    QString id;
    bool ok = true;
    QString message;

    friend bool operator==(const SelfieCheck &, const SelfieCheck &) = default;
};

/// Measurements of the main face that the checks and the reference ranking use.
struct FaceMetrics {
    /// Variance of the Laplacian of the face at a fixed size (see SelfieAnalyzer); higher is sharper.
    double sharpness = 0;
    /// Mean luma 0–255 of the face (of the whole image when there is no face).
    double brightness = 0;
    /// Face box height over the image's short edge.
    double relativeSize = 0;
    /**
     * Head turn from the landmarks: nose offset from the eyes' midpoint over
     * the eye distance, about −0.5 … 0.5, 0 facing the camera, positive when
     * the nose is right of centre in the image. Empty without landmarks
     * (fallback detector).
     */
    std::optional<double> yaw;

    friend bool operator==(const FaceMetrics &, const FaceMetrics &) = default;
};

/**
 * What SelfieAnalyzer found in one selfie. A value: the project stores it
 * (toJson/fromJson) so reopening does not run detection again.
 */
struct SelfieAnalysis {
    QSize imageSize; ///< of the upright image the faces refer to
    QList<Face> faces; ///< largest first
    int mainFace = -1; ///< index into faces of the user's face; -1 without faces
    bool mainFaceChosenByUser = false; ///< the user picked it among several faces
    FaceMetrics metrics; ///< of the main face
    QList<SelfieCheck> checks; ///< in a fixed order; see SelfieCheck for the ids

    /// The main face, or nullptr.
    [[nodiscard]] const Face *face() const;
    /// The check with `id`, or nullptr when it was not run (face checks need a face).
    [[nodiscard]] const SelfieCheck *check(const QString &id) const;
    /// The checks that failed.
    [[nodiscard]] QList<SelfieCheck> problems() const;
    /**
     * Good enough to send to generation: there is a main face and it is not
     * too small, blurry, too dark or too bright. "several_faces" and
     * "low_resolution" warn but do not exclude.
     */
    [[nodiscard]] bool usable() const;

    /**
     * The CLI's `faces` contract, plus what the project needs to restore the
     * analysis:
     * `{"width":W,"height":H,"faces":[{"x","y","w","h","score","landmarks":[[x,y]×5]}],
     *   "checks":[{"id","ok","message"}], "mainFace":i, "mainFaceChosenByUser":b,
     *   "metrics":{"sharpness","brightness","relativeSize","yaw"?}}`,
     * in pixels of the upright image. Scripts may rely on the first four keys.
     */
    [[nodiscard]] QJsonObject toJson() const;
    /// Reads what toJson() wrote. Error code "bad_analysis" for anything else.
    static Result<SelfieAnalysis> fromJson(const QJsonObject &json);

    friend bool operator==(const SelfieAnalysis &, const SelfieAnalysis &) = default;
};

/// Advice about the whole set of selfies, short tips first-problem-first.
struct SelfieSetAdvice {
    int selfieCount = 0;
    int usableCount = 0;
    QList<SelfieCheck> tips; ///< failed items only; empty when the set is good
    QString summary; ///< one sentence for the top of the Selfies page
    [[nodiscard]] bool ok() const { return tips.isEmpty(); }
};

} // namespace CalStudio
