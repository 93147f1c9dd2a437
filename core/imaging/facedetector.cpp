#include "core/imaging/facedetector.h"

#include "core/imaging/imaginglogging.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <algorithm>
#include <mutex>
#include <optional>

namespace CalStudio {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("FaceDetector", text);
}

const QString embeddedModel = QStringLiteral(":/calstudio/models/face_detection_yunet_2022mar.onnx");

// YuNet's non-maximum suppression overlap and candidate cap, OpenCV's sample values.
constexpr float nmsThreshold = 0.3f;
constexpr int topK = 5000;
constexpr int minDetectionEdge = 32;
// Detection pyramid (see detectPyramid): faces taller than this at a level
// are left to a coarser one; levels stop before the long edge drops under
// minPyramidEdge, where YuNet still finds a face that fills the frame.
constexpr double maxFaceAtLevel = 256;
constexpr int minPyramidEdge = 160;
// Haar fallback: overlapping raw hits needed to accept a face. OpenCV's
// default of 3 (and 4) let suit folds and the background of the astronaut
// composites through with 5–6 hits, while her face gathers 11–42; a false
// face is worse than a missed one here (it would become the "main" face).
constexpr int minNeighbours = 8;

QString sha256Hex(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

bool fileHasHash(const QString &path, const QString &hash)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&file);
    return QString::fromLatin1(h.result().toHex()) == hash;
}

// Writes the embedded model under `dir` once, named by its hash so a changed
// model never meets a stale copy, and re-verifies an existing copy because a
// crash mid-write or a user's cleanup could have truncated it.
std::optional<QString> materialiseModel(const QByteArray &bytes, const QString &dir)
{
    if (dir.isEmpty() || !QDir().mkpath(dir))
        return std::nullopt;
    const QString hash = sha256Hex(bytes);
    const QString path = QDir(dir).filePath(QStringLiteral("face_detection_yunet_2022mar-%1.onnx").arg(hash.left(16)));
    if (QFileInfo::exists(path) && fileHasHash(path, hash))
        return path;
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
        qCWarning(lcImaging) << "Cannot write the face model to" << path << out.errorString();
        return std::nullopt;
    }
    return path;
}

cv::Mat toBgr(const QImage &image, QImage &keepAlive)
{
    keepAlive = image.convertToFormat(QImage::Format_BGR888);
    return cv::Mat(keepAlive.height(), keepAlive.width(), CV_8UC3, const_cast<uchar *>(keepAlive.constBits()),
        static_cast<size_t>(keepAlive.bytesPerLine()));
}

QRectF clampedBox(double x, double y, double w, double h, const QSizeF &bounds)
{
    return QRectF(x, y, w, h).intersected(QRectF(QPointF(0, 0), bounds));
}

QPointF clampedPoint(double x, double y, const QSizeF &bounds)
{
    return QPointF(std::clamp(x, 0.0, bounds.width()), std::clamp(y, 0.0, bounds.height()));
}

} // namespace

struct FaceDetector::Private {
    cv::Ptr<cv::FaceDetectorYN> yunet;
    mutable cv::CascadeClassifier cascade; // detectMultiScale is not const; calls are serialised by the mutex
    bool fallback = false;
    // FaceDetectorYN::setInputSize/detect mutate the network's state.
    mutable std::mutex mutex;

    QList<Face> detectPyramid(const cv::Mat &bgr, const QSizeF &bounds) const;
    QList<Face> detectYuNet(const cv::Mat &bgr, double sx, double sy, const QSizeF &bounds) const;
    QList<Face> detectCascade(const cv::Mat &bgr, double sx, double sy, const QSizeF &bounds) const;
};

FaceDetector::FaceDetector(std::unique_ptr<Private> d)
    : m_d(std::move(d))
{
}
FaceDetector::FaceDetector(FaceDetector &&other) noexcept = default;
FaceDetector &FaceDetector::operator=(FaceDetector &&other) noexcept = default;
FaceDetector::~FaceDetector() = default;

Result<FaceDetector> FaceDetector::create(const FaceDetectorOptions &options)
{
    auto d = std::make_unique<Private>();
    QString yunetProblem;

    std::optional<QString> modelPath;
    std::optional<QTemporaryDir> tempDir; // only has to outlive FaceDetectorYN::create, which reads the whole file
    if (!options.modelPath.isEmpty()) {
        modelPath = options.modelPath;
    } else {
        QFile resource(embeddedModel);
        if (resource.open(QIODevice::ReadOnly)) {
            const QByteArray bytes = resource.readAll();
            QString cacheDir = options.modelCacheDir;
            if (cacheDir.isEmpty()) {
                const QString base = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
                if (!base.isEmpty())
                    cacheDir = base + QStringLiteral("/models");
            }
            modelPath = materialiseModel(bytes, cacheDir);
            if (!modelPath) {
                tempDir.emplace();
                if (tempDir->isValid())
                    modelPath = materialiseModel(bytes, tempDir->path());
            }
            if (!modelPath)
                yunetProblem = QStringLiteral("no writable directory for the model file");
        } else {
            yunetProblem = QStringLiteral("the embedded model %1 is missing").arg(embeddedModel);
        }
    }

    if (modelPath) {
        try {
            // The input size is set per image in detect(); this one is a placeholder.
            d->yunet = cv::FaceDetectorYN::create(modelPath->toStdString(), std::string(), cv::Size(320, 320),
                options.scoreThreshold, nmsThreshold, topK);
        } catch (const cv::Exception &e) {
            yunetProblem = QString::fromStdString(e.what()).trimmed();
            d->yunet.reset();
        }
        if (!d->yunet && yunetProblem.isEmpty())
            yunetProblem = QStringLiteral("FaceDetectorYN::create returned nothing for %1").arg(*modelPath);
    }
    if (d->yunet)
        return FaceDetector(std::move(d));

    bool cascadeLoaded = false;
    try {
        // Checked first because OpenCV prints its own error for a missing file.
        cascadeLoaded
            = QFileInfo(options.cascadePath).isReadable() && d->cascade.load(options.cascadePath.toStdString());
    } catch (const cv::Exception &e) {
        qCWarning(lcImaging) << "Haar cascade failed to load:" << e.what();
    }
    if (!cascadeLoaded) {
        return Error(QStringLiteral("face_detection_unavailable"),
            tr("Faces cannot be found on this computer because the face detection data is "
               "missing. Reinstall Calendar Studio."),
            QStringLiteral("YuNet: %1; Haar cascade %2 did not load").arg(yunetProblem, options.cascadePath));
    }
    qCWarning(lcImaging).noquote() << "YuNet face model could not load (" << yunetProblem << "); using the Haar cascade"
                                   << options.cascadePath
                                   << "instead: fewer faces are found and there are no landmarks";
    d->fallback = true;
    return FaceDetector(std::move(d));
}

bool FaceDetector::usingFallback() const
{
    return m_d->fallback;
}

QList<Face> FaceDetector::detect(const QImage &upright) const
{
    if (upright.isNull())
        return {};
    const QSizeF bounds(upright.width(), upright.height());
    const int longEdge = std::max(upright.width(), upright.height());
    const double scale = longEdge > MaxDetectionEdge ? double(longEdge) / MaxDetectionEdge : 1.0;

    QList<Face> faces;
    try {
        QImage keepAlive;
        const cv::Mat full = toBgr(upright, keepAlive);
        cv::Mat small;
        if (scale > 1.0) {
            const cv::Size size(std::max(1, int(std::lround(upright.width() / scale))),
                std::max(1, int(std::lround(upright.height() / scale))));
            cv::resize(full, small, size, 0, 0, cv::INTER_AREA);
        } else {
            small = full;
        }
        // YuNet downsamples 32× and throws on anything smaller; no face fits there anyway.
        if (small.cols < minDetectionEdge || small.rows < minDetectionEdge)
            return {};
        // Sizes after rounding, so the scale back is exact per axis.
        const double sx = double(upright.width()) / small.cols;
        const double sy = double(upright.height()) / small.rows;
        std::lock_guard lock(m_d->mutex);
        faces = m_d->yunet ? m_d->detectPyramid(small, bounds) : m_d->detectCascade(small, sx, sy, bounds);
    } catch (const cv::Exception &e) {
        qCWarning(lcImaging) << "Face detection failed on a" << upright.size() << "image:" << e.what();
        return {};
    }
    faces.removeIf([](const Face &f) { return f.box.width() < 1 || f.box.height() < 1; });
    std::stable_sort(faces.begin(), faces.end(),
        [](const Face &a, const Face &b) { return a.box.width() * a.box.height() > b.box.width() * b.box.height(); });
    return faces;
}

QList<Face> FaceDetector::Private::detectPyramid(const cv::Mat &bgr, const QSizeF &bounds) const
{
    // YuNet's largest anchors are 256 px: a face much taller than that in its
    // input comes back as a small, shifted box (the astronaut's face at 790 px
    // in a 1024 px input: IoU 0.28; at 197 px after halving twice: 0.86). So
    // each level of a halving pyramid contributes only the faces that fit its
    // anchors, and the coarsest level takes whatever is left; finer levels win
    // where two levels find the same face because they have more pixels.
    QList<Face> accepted;
    cv::Mat level = bgr;
    while (true) {
        const bool coarsest = std::max(level.cols, level.rows) / 2 < minPyramidEdge;
        const double sx = bounds.width() / level.cols;
        const double sy = bounds.height() / level.rows;
        for (const Face &face : detectYuNet(level, sx, sy, bounds)) {
            if (!coarsest && face.box.height() / sy > maxFaceAtLevel)
                continue;
            const bool seen = std::any_of(accepted.begin(), accepted.end(), [&](const Face &other) {
                return other.box.contains(face.box.center()) || face.box.contains(other.box.center());
            });
            if (!seen)
                accepted.append(face);
        }
        if (coarsest)
            break;
        cv::Mat half;
        cv::resize(
            level, half, cv::Size(std::max(1, level.cols / 2), std::max(1, level.rows / 2)), 0, 0, cv::INTER_AREA);
        level = half;
    }
    return accepted;
}

QList<Face> FaceDetector::Private::detectYuNet(const cv::Mat &bgr, double sx, double sy, const QSizeF &bounds) const
{
    yunet->setInputSize(bgr.size());
    cv::Mat out;
    yunet->detect(bgr, out);
    QList<Face> faces;
    // One row per face: x, y, w, h, five (x, y) landmarks, score.
    for (int r = 0; r < out.rows; ++r) {
        const float *v = out.ptr<float>(r);
        Face face;
        face.box = clampedBox(v[0] * sx, v[1] * sy, v[2] * sx, v[3] * sy, bounds);
        for (int i = 0; i < 5; ++i)
            face.landmarks[size_t(i)] = clampedPoint(v[4 + 2 * i] * sx, v[5 + 2 * i] * sy, bounds);
        face.score = v[14];
        faces.append(face);
    }
    return faces;
}

QList<Face> FaceDetector::Private::detectCascade(const cv::Mat &bgr, double sx, double sy, const QSizeF &bounds) const
{
    cv::Mat gray;
    cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
    // Faces under ~4% of the short edge are below what the selfie checks accept anyway,
    // and skipping them keeps the cascade fast and its false hits down.
    const int minSide = std::max(24, std::min(gray.cols, gray.rows) / 25);
    std::vector<cv::Rect> rects;
    std::vector<int> neighbours;
    cascade.detectMultiScale(gray, rects, neighbours, 1.1, minNeighbours, 0, cv::Size(minSide, minSide));
    QList<Face> faces;
    for (size_t i = 0; i < rects.size(); ++i) {
        Face face;
        const cv::Rect &r = rects[i];
        face.box = clampedBox(r.x * sx, r.y * sy, r.width * sx, r.height * sy, bounds);
        // The cascade has no calibrated confidence; more overlapping raw hits mean a surer face.
        const double n = i < neighbours.size() ? neighbours[i] : 0;
        face.score = float(n / (n + 3.0));
        faces.append(face);
    }
    return faces;
}

} // namespace CalStudio
