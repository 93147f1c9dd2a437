#include "core/imaging/personcutout.h"

#include "core/imaging/imaginglogging.h"

#include <QCoreApplication>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <vector>

namespace CalStudio {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CalStudio::PersonCutout", text);
}

cv::Mat toBgr(const QImage &image)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    cv::Mat wrapped(
        rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar *>(rgb.constBits()), size_t(rgb.bytesPerLine()));
    cv::Mat bgr;
    cv::cvtColor(wrapped, bgr, cv::COLOR_RGB2BGR);
    return bgr;
}

/// The head-and-shoulders seed (see the class comment), in pixels of `size`.
cv::Mat seedMask(cv::Size size, const cv::Rect2d &face)
{
    cv::Mat mask(size, CV_8UC1, cv::Scalar(cv::GC_BGD));
    const double cx = face.x + face.width / 2;
    const double fw = face.width;
    const double fh = face.height;
    // Everything that could be the person: wide enough for shoulders, down to the bottom edge.
    const cv::Rect box
        = cv::Rect(cv::Point(int(cx - 1.9 * fw), int(face.y - 0.7 * fh)), cv::Point(int(cx + 1.9 * fw), size.height))
        & cv::Rect(0, 0, size.width, size.height);
    mask(box).setTo(cv::GC_PR_BGD);
    // Head (with hair) and shoulders as probable foreground.
    cv::ellipse(mask, cv::Point(int(cx), int(face.y + fh * 0.45)), cv::Size(int(fw * 0.62), int(fh * 0.78)), 0, 0, 360,
        cv::Scalar(cv::GC_PR_FGD), cv::FILLED);
    const std::vector<cv::Point> shoulders { { int(cx - 0.45 * fw), int(face.y + 1.05 * fh) },
        { int(cx + 0.45 * fw), int(face.y + 1.05 * fh) }, { int(cx + 1.5 * fw), int(face.y + 1.9 * fh) },
        { int(cx + 1.6 * fw), size.height }, { int(cx - 1.6 * fw), size.height },
        { int(cx - 1.5 * fw), int(face.y + 1.9 * fh) } };
    cv::fillConvexPoly(mask, shoulders, cv::Scalar(cv::GC_PR_FGD));
    // The neck joins head and shoulders; GrabCut often gives it to the
    // background (skin in shadow against a dark collar), leaving a hole.
    cv::rectangle(mask, cv::Rect(int(cx - 0.15 * fw), int(face.y + 0.8 * fh), int(0.3 * fw), int(0.8 * fh)),
        cv::Scalar(cv::GC_FGD), cv::FILLED);
    // The middle of the face is certainly the person.
    cv::ellipse(mask, cv::Point(int(cx), int(face.y + fh * 0.5)), cv::Size(int(fw * 0.3), int(fh * 0.35)), 0, 0, 360,
        cv::Scalar(cv::GC_FGD), cv::FILLED);
    // A frame of certain background above the shoulders guarantees background
    // samples even when the face fills the picture (face-crop references).
    const int frame = std::max(2, std::min(size.width, size.height) / 40);
    const int shoulderY = std::clamp(int(face.y + 1.9 * fh), 0, size.height);
    mask(cv::Rect(0, 0, size.width, frame)).setTo(cv::GC_BGD);
    mask(cv::Rect(0, 0, frame, shoulderY)).setTo(cv::GC_BGD);
    mask(cv::Rect(size.width - frame, 0, frame, shoulderY)).setTo(cv::GC_BGD);
    return mask;
}

/// Keeps only the foreground region that touches the face centre: stray background blobs go.
cv::Mat keepFaceComponent(const cv::Mat &binary, cv::Point faceCentre)
{
    cv::Mat labels;
    const int n = cv::connectedComponents(binary, labels, 8, CV_32S);
    if (n <= 2)
        return binary;
    faceCentre.x = std::clamp(faceCentre.x, 0, binary.cols - 1);
    faceCentre.y = std::clamp(faceCentre.y, 0, binary.rows - 1);
    const int keep = labels.at<int>(faceCentre);
    if (keep == 0)
        return binary;
    cv::Mat out;
    cv::compare(labels, keep, out, cv::CMP_EQ);
    return out;
}
} // namespace

Result<QImage> PersonCutout::cut(const QImage &image, const QRectF &face, quint64 seed)
{
    if (image.isNull() || face.isEmpty())
        return Error(QStringLiteral("no_image"), tr("There is no photo or no face to cut out."));
    try {
        const cv::Mat full = toBgr(image);
        const double scale = std::min(1.0, double(WorkEdge) / std::max(full.cols, full.rows));
        cv::Mat work;
        cv::resize(full, work, cv::Size(), scale, scale, cv::INTER_AREA);
        const cv::Rect2d faceWork(face.x() * scale, face.y() * scale, face.width() * scale, face.height() * scale);

        cv::Mat mask = seedMask(work.size(), faceWork);
        cv::Mat bgdModel;
        cv::Mat fgdModel;
        // GrabCut seeds its colour models with k-means++ from this thread's RNG.
        cv::theRNG().state = 0x9E3779B97F4A7C15ULL ^ seed;
        cv::grabCut(work, mask, cv::Rect(), bgdModel, fgdModel, 5, cv::GC_INIT_WITH_MASK);

        cv::Mat binary = (mask == cv::GC_FGD) | (mask == cv::GC_PR_FGD);
        const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5));
        cv::morphologyEx(binary, binary, cv::MORPH_OPEN, kernel);
        cv::morphologyEx(binary, binary, cv::MORPH_CLOSE, kernel);
        binary = keepFaceComponent(
            binary, cv::Point(int(faceWork.x + faceWork.width / 2), int(faceWork.y + faceWork.height / 2)));

        cv::Mat alpha;
        cv::resize(binary, alpha, full.size(), 0, 0, cv::INTER_LINEAR);
        // A soft edge hides the staircase of the low-resolution matte.
        const int feather = std::max(3, int(std::max(full.cols, full.rows) / 300) | 1);
        cv::GaussianBlur(alpha, alpha, cv::Size(feather, feather), 0);

        QImage out = image.convertToFormat(QImage::Format_ARGB32);
        for (int y = 0; y < out.height(); ++y) {
            auto *line = reinterpret_cast<QRgb *>(out.scanLine(y));
            const uchar *a = alpha.ptr<uchar>(y);
            for (int x = 0; x < out.width(); ++x)
                line[x] = qRgba(qRed(line[x]), qGreen(line[x]), qBlue(line[x]), a[x]);
        }
        return out;
    } catch (const cv::Exception &e) {
        return Error(QStringLiteral("cutout_failed"), tr("The person could not be cut out of the photo."),
            QString::fromStdString(e.msg));
    }
}

} // namespace CalStudio
