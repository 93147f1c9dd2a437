#include "core/imaging/draftlabel.h"

#include <QCoreApplication>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <string>

namespace CalStudio {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CalStudio::DraftLabel", text);
}

constexpr int Font = cv::FONT_HERSHEY_DUPLEX;

/**
 * Draws "<left> — <right>" centred in `box`. Hershey fonts are ASCII only, so
 * the em dash is drawn as a line of the font's stroke weight.
 */
void drawDashedText(
    cv::Mat &img, const cv::Rect &box, const std::string &left, const std::string &right, const cv::Scalar &colour)
{
    const double unitScale = 1.0;
    int baseline = 0;
    const cv::Size unit = cv::getTextSize(left + "   " + right, Font, unitScale, 1, &baseline);
    const double scale = std::min(box.height * 0.62 / unit.height, box.width * 0.86 / unit.width);
    const int thickness = std::max(1, int(scale * 1.6));
    const cv::Size l = cv::getTextSize(left, Font, scale, thickness, &baseline);
    const cv::Size r = cv::getTextSize(right, Font, scale, thickness, &baseline);
    const int gap = int(l.height * 0.45);
    const int dash = int(l.height * 1.1);
    const int total = l.width + gap + dash + gap + r.width;
    const int x0 = box.x + (box.width - total) / 2;
    const int yBase = box.y + (box.height + l.height) / 2;
    cv::putText(img, left, cv::Point(x0, yBase), Font, scale, colour, thickness, cv::LINE_AA);
    const int dashY = yBase - l.height / 2;
    cv::line(img, cv::Point(x0 + l.width + gap, dashY), cv::Point(x0 + l.width + gap + dash, dashY), colour, thickness,
        cv::LINE_AA);
    cv::putText(
        img, right, cv::Point(x0 + l.width + 2 * gap + dash, yBase), Font, scale, colour, thickness, cv::LINE_AA);
}

void darken(cv::Mat &img, const cv::Rect &r, double opacity)
{
    cv::Mat roi = img(r);
    cv::Mat dark(roi.size(), roi.type(), cv::Scalar(18, 18, 18));
    cv::addWeighted(roi, 1.0 - opacity, dark, opacity, 0, roi);
}
} // namespace

QString DraftLabel::text()
{
    return tr("Offline draft — not AI");
}

QRect DraftLabel::bandRect(const QSize &size)
{
    const int h = std::clamp(int(size.height() * 0.075), std::min(24, size.height()), size.height());
    return { 0, size.height() - h, size.width(), h };
}

Result<QImage> DraftLabel::draw(const QImage &image)
{
    if (image.isNull())
        return Error(QStringLiteral("no_image"), tr("There is no image to label."));
    try {
        QImage out = image.convertToFormat(QImage::Format_RGB888);
        cv::Mat img(out.height(), out.width(), CV_8UC3, out.bits(), size_t(out.bytesPerLine()));
        const QRect band = bandRect(out.size());
        const cv::Rect bandCv(band.x(), band.y(), band.width(), band.height());
        darken(img, bandCv, 0.86);
        // An amber rule on top of the band reads as "notice", not as decoration.
        const int rule = std::max(2, band.height() / 14);
        cv::rectangle(img, cv::Rect(0, band.y(), out.width(), rule), cv::Scalar(255, 191, 0), cv::FILLED);
        drawDashedText(img, cv::Rect(band.x(), band.y() + rule, band.width(), band.height() - rule), "Offline draft",
            "not AI", cv::Scalar(255, 255, 255));

        // Corner tag, for crops that cut the band off.
        const int tagH = std::max(12, band.height() / 2);
        const int tagW = std::min(out.width() / 3, tagH * 6);
        const int margin = tagH / 2;
        const cv::Rect tag(out.width() - tagW - margin, margin, tagW, tagH);
        if (tag.x > 0 && tag.y + tag.height < band.y()) {
            darken(img, tag, 0.8);
            drawDashedText(img, tag, "DRAFT", "not AI", cv::Scalar(255, 191, 0));
        }
        return out;
    } catch (const cv::Exception &e) {
        return Error(
            QStringLiteral("label_failed"), tr("The draft label could not be drawn."), QString::fromStdString(e.msg));
    }
}

} // namespace CalStudio
