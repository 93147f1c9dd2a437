#pragma once

#include "core/common/result.h"
#include "core/imaging/face.h"

#include <QImage>
#include <QList>
#include <QString>

#include <memory>

namespace CalStudio {

/// How a FaceDetector is set up; the defaults are right for the app.
struct FaceDetectorOptions {
    /**
     * YuNet ONNX file to load. Empty (the default) uses the model embedded in
     * the library (`:/calstudio/models/face_detection_yunet_2022mar.onnx`).
     * Tests pass a path that does not exist to exercise the fallback.
     */
    QString modelPath;
    /// Haar cascade used when YuNet cannot load (package `opencv-data`).
    QString cascadePath = QStringLiteral("/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml");
    /**
     * Where the embedded model is written once so OpenCV 4.6 can read it
     * (its FaceDetectorYN only loads from a file). Empty: the app's
     * QStandardPaths::CacheLocation + "/models", or a temporary directory
     * when that is not writable.
     */
    QString modelCacheDir;
    /// YuNet confidence 0–1. 0.9 keeps false hits away; 0.6 also finds small, blurred faces.
    float scoreThreshold = 0.9f;
};

/**
 * Finds faces in an upright image with OpenCV's YuNet (2022mar, the release
 * that loads in OpenCV 4.6), or with the Haar frontal-face cascade when the
 * model cannot load.
 *
 * YuNet misses large faces and invents boxes on very large inputs, so
 * detection runs on a copy whose long edge is at most MaxDetectionEdge
 * pixels; boxes and landmarks are scaled back and clamped to the image.
 * Its anchors also stop at 256 px, so faces that fill much of that copy
 * (close-ups) are taken from halved copies where they fit.
 *
 * Thread safety: OpenCV's FaceDetectorYN keeps per-call state, so detect()
 * is serialised by an internal mutex. Threads that detect in parallel should
 * each create their own detector.
 *
 * Error codes of create(): "face_detection_unavailable" (neither YuNet nor
 * the cascade could be loaded).
 */
class FaceDetector {
public:
    /// Long edge of the copy YuNet sees; it is reliable from 640 to about 1024 px.
    static constexpr int MaxDetectionEdge = 1024;

    static Result<FaceDetector> create(const FaceDetectorOptions &options = {});

    FaceDetector(FaceDetector &&other) noexcept;
    FaceDetector &operator=(FaceDetector &&other) noexcept;
    FaceDetector(const FaceDetector &) = delete;
    FaceDetector &operator=(const FaceDetector &) = delete;
    ~FaceDetector();

    /**
     * Faces in `upright` (any QImage format), in its pixels, largest first.
     * Boxes are clamped to the image. From the fallback cascade the
     * landmarks are all zero and the score is a rough confidence. A null
     * image gives an empty list.
     */
    [[nodiscard]] QList<Face> detect(const QImage &upright) const;

    /// True when the Haar cascade is used because YuNet could not load.
    [[nodiscard]] bool usingFallback() const;

private:
    struct Private;
    explicit FaceDetector(std::unique_ptr<Private> d);
    std::unique_ptr<Private> m_d;
};

} // namespace CalStudio
