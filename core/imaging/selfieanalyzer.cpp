#include "core/imaging/selfieanalyzer.h"

#include "core/imaging/imaginglogging.h"

#include <QCoreApplication>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace CalStudio {

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("SelfieAnalyzer", text, nullptr, n);
}

// Set advice. Five to ten selfies give generation enough views of a face
// without drowning the best ones; three usable ones is the least that still
// shows a face from more than one side.
constexpr int minSelfies = 5;
constexpr int maxSelfies = 10;
constexpr int minUsable = 3;
// Spread (max − min) among usable selfies below which the set looks all the
// same. Yaw: 0.2 is roughly 15° of head turn between the most left- and
// right-turned selfie. Brightness: 30 luma levels is the difference between
// a face by a window and the same face in a dim room.
constexpr double minYawSpread = 0.2;
constexpr double minBrightnessSpread = 30;

QRectF scaled(const QRectF &r, double sx, double sy)
{
    return QRectF(r.x() * sx, r.y() * sy, r.width() * sx, r.height() * sy);
}

Face scaledFace(Face face, double sx, double sy)
{
    face.box = scaled(face.box, sx, sy);
    for (QPointF &p : face.landmarks)
        p = QPointF(p.x() * sx, p.y() * sy);
    return face;
}

} // namespace

SelfieAnalyzer::SelfieAnalyzer(const ImageLimits &limits, const SelfieThresholds &thresholds)
    : m_limits(limits)
    , m_thresholds(thresholds)
{
}

// Calibration (Debian's OpenCV 4.6; tst_selfieanalyzer re-checks the 0 and 1% columns). The
// astronaut photo pasted at 1×, 2×, 4× and 8× (face 117–938 px tall), then
// Gaussian-blurred with sigma as a fraction of the face height:
//
//     sigma / face height     0      0.5%    1%      1.5%    2%     3%
//     sharpness             112–179  50–67  17–18    9      5.6    3.2
//
// Sharp faces stay at 112 or more whatever their size (the 512 px scan is
// itself a little soft; phone selfies measure higher), a blur of 1% of the
// face height is plainly visible and measures under 19, and 0.5% is only a
// slight softness that generation tolerates. minSharpness = 35 sits in the
// gap with a factor of about 3 to the sharp faces and 2 to the 1% blur. A
// JPEG at quality 60 of the sharp face measures 150: compression does not
// read as blur.
//
// Brightness: the astronaut's face has a mean luma of 154; scaled by 0.4 it
// is 61 (dim but usable), by 0.3 it is 46 and looks underexposed, hence
// minBrightness = 50. Brightened by 1.4 it is 201 (bright but detailed), by
// 1.6 it is 213 with the forehead clipped, hence maxBrightness = 210.
FaceMetrics SelfieAnalyzer::measure(const QImage &image, const QRectF &region)
{
    FaceMetrics m;
    const QRect rect = region.toAlignedRect().intersected(image.rect());
    if (rect.width() < 2 || rect.height() < 2)
        return m;
    // Grayscale8 is Qt's luma; cropping first keeps the conversion to the face.
    const QImage gray = image.copy(rect).convertToFormat(QImage::Format_Grayscale8);
    try {
        const cv::Mat face(gray.height(), gray.width(), CV_8UC1, const_cast<uchar *>(gray.constBits()),
            static_cast<size_t>(gray.bytesPerLine()));
        m.brightness = cv::mean(face)[0];
        // A fixed size makes the Laplacian see the same spatial frequencies of
        // the face whether it spans 100 or 2000 pixels. INTER_AREA averages
        // when shrinking (no aliasing that would fake sharpness); enlarging a
        // small face with linear interpolation rightly makes it read as soft.
        cv::Mat normalised;
        const bool shrinking = face.cols >= SharpnessSize && face.rows >= SharpnessSize;
        cv::resize(face, normalised, cv::Size(SharpnessSize, SharpnessSize), 0, 0,
            shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
        // The Laplacian grows with contrast, so a dim face would read as blurry
        // (and too_dark already covers it); scaling to a mean of 128 makes the
        // measure independent of exposure.
        cv::Mat levelled;
        normalised.convertTo(levelled, CV_64F, m.brightness > 1.0 ? 128.0 / m.brightness : 1.0);
        cv::Mat laplacian;
        cv::Laplacian(levelled, laplacian, CV_64F);
        cv::Scalar mean, stddev;
        cv::meanStdDev(laplacian, mean, stddev);
        m.sharpness = stddev[0] * stddev[0];
    } catch (const cv::Exception &e) {
        qCWarning(lcImaging) << "Measuring a face failed:" << e.what();
    }
    return m;
}

std::optional<double> SelfieAnalyzer::estimateYaw(const Face &face)
{
    const QPointF &rightEye = face.landmarks[0];
    const QPointF &leftEye = face.landmarks[1];
    const QPointF &nose = face.landmarks[2];
    const double eyeDistance = std::hypot(leftEye.x() - rightEye.x(), leftEye.y() - rightEye.y());
    // The fallback cascade gives no landmarks (all zero); a face turned fully
    // sideways has its eyes on top of each other and no usable estimate either.
    if (eyeDistance < 1.0)
        return std::nullopt;
    const double midX = (rightEye.x() + leftEye.x()) / 2;
    return (nose.x() - midX) / eyeDistance;
}

SelfieAnalysis SelfieAnalyzer::analyze(
    const QImage &upright, const QList<Face> &faces, int chosenFace, const QSize &originalSize) const
{
    SelfieAnalysis a;
    const QSize reportSize = originalSize.isEmpty() ? upright.size() : originalSize;
    const double sx = upright.width() > 0 ? double(reportSize.width()) / upright.width() : 1.0;
    const double sy = upright.height() > 0 ? double(reportSize.height()) / upright.height() : 1.0;
    a.imageSize = reportSize;
    for (const Face &f : faces)
        a.faces.append(scaledFace(f, sx, sy));

    const bool chosen = chosenFace >= 0 && chosenFace < faces.size();
    a.mainFace = chosen ? chosenFace : (faces.isEmpty() ? -1 : 0);
    a.mainFaceChosenByUser = chosen && faces.size() > 1;

    if (a.mainFace < 0) {
        a.checks.append({ QStringLiteral("no_face"), false,
            tr("No face was found. Use a photo where your face is clearly visible and turned towards "
               "the camera.") });
        a.metrics = measure(upright, upright.rect());
    } else {
        a.checks.append({ QStringLiteral("no_face"), true, tr("A face was found.") });
        const int n = int(faces.size());
        if (n == 1)
            a.checks.append({ QStringLiteral("several_faces"), true, tr("Only one face is in the photo.") });
        else if (a.mainFaceChosenByUser)
            a.checks.append({ QStringLiteral("several_faces"), true,
                tr("%n faces are in the photo; the one you picked is used.", n) });
        else
            a.checks.append({ QStringLiteral("several_faces"), false,
                tr("%n faces are in the photo. The largest one is used; pick yours if that is "
                   "someone else.",
                    n) });

        const Face &face = faces[a.mainFace];
        a.metrics = measure(upright, face.box);
        a.metrics.relativeSize = face.box.height() / std::max(1, std::min(upright.width(), upright.height()));
        a.metrics.yaw = estimateYaw(face);

        const bool bigEnough = a.metrics.relativeSize >= m_thresholds.minRelativeFaceSize;
        a.checks.append({ QStringLiteral("face_too_small"), bigEnough,
            bigEnough ? tr("Your face is big enough.")
                      : tr("Your face is small in this photo. Use one where it fills more of the "
                           "picture, or crop closer around it.") });
        const bool sharp = a.metrics.sharpness >= m_thresholds.minSharpness;
        a.checks.append({ QStringLiteral("blurry"), sharp,
            sharp ? tr("Your face is sharp.")
                  : tr("Your face is blurry in this photo. Use a sharper one: hold the phone still and "
                       "tap your face on the screen to focus.") });
    }

    const bool dark = a.metrics.brightness < m_thresholds.minBrightness;
    const bool bright = a.metrics.brightness > m_thresholds.maxBrightness;
    const bool hasFace = a.mainFace >= 0;
    a.checks.append({ QStringLiteral("too_dark"), !dark,
        !dark ? tr("The light is fine.")
              : (hasFace ? tr("Your face is too dark. Take the photo facing a window or outdoors in "
                              "daylight.")
                         : tr("The photo is very dark. Take it facing a window or outdoors in "
                              "daylight.")) });
    a.checks.append({ QStringLiteral("too_bright"), !bright,
        !bright ? tr("Your face is not overexposed.")
                : tr("The photo is too bright: details of your face are lost. Avoid direct sun and "
                     "flash on your face.") });

    const int shortEdge = std::min(reportSize.width(), reportSize.height());
    const bool enoughPixels = shortEdge >= m_limits.warnShortEdge;
    a.checks.append({ QStringLiteral("low_resolution"), enoughPixels,
        enoughPixels ? tr("The photo has enough pixels.")
                     : tr("This photo is small (%1 × %2 pixels). A photo straight from your phone's "
                          "camera gives better results.")
                           .arg(reportSize.width())
                           .arg(reportSize.height()) });
    return a;
}

SelfieSetAdvice SelfieAnalyzer::adviseSet(const QList<SelfieAnalysis> &selfies)
{
    SelfieSetAdvice advice;
    advice.selfieCount = int(selfies.size());
    QList<double> yaws;
    QList<double> brightnesses;
    for (const SelfieAnalysis &s : selfies) {
        if (!s.usable())
            continue;
        ++advice.usableCount;
        brightnesses.append(s.metrics.brightness);
        if (s.metrics.yaw)
            yaws.append(*s.metrics.yaw);
    }

    if (advice.selfieCount < minSelfies)
        advice.tips.append({ QStringLiteral("too_few"), false,
            tr("Add more selfies: 5 to 10 give the best likeness (you have %n).", advice.selfieCount) });
    else if (advice.selfieCount > maxSelfies)
        advice.tips.append({ QStringLiteral("too_many"), false,
            tr("You have %n selfies; more than 10 do not help. Only the best 10 are used.", advice.selfieCount) });
    if (advice.usableCount < minUsable && advice.selfieCount > 0)
        advice.tips.append({ QStringLiteral("few_usable"), false,
            tr("Only %n of your selfies can be used. Replace the ones marked with a problem.", advice.usableCount) });
    const auto spread = [](const QList<double> &values) {
        const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
        return *hi - *lo;
    };
    // Variety only means something once there are a few usable faces to compare.
    if (yaws.size() >= minUsable && spread(yaws) < minYawSpread)
        advice.tips.append({ QStringLiteral("vary_angles"), false,
            tr("Your selfies all show your face from the same angle. Add some with your head turned "
               "a little to the left and to the right.") });
    if (brightnesses.size() >= minUsable && spread(brightnesses) < minBrightnessSpread)
        advice.tips.append({ QStringLiteral("vary_light"), false,
            tr("Your selfies all have the same light. Add one or two in other light, for example "
               "outdoors and indoors.") });

    advice.summary = advice.ok() ? tr("%n selfies, all set for generation.", advice.selfieCount)
                                 : tr("%1 of %2 selfies usable.").arg(advice.usableCount).arg(advice.selfieCount);
    return advice;
}

} // namespace CalStudio
