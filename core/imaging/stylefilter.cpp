#include "core/imaging/stylefilter.h"

#include <QCoreApplication>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>

#include <algorithm>
#include <cmath>

namespace CalStudio {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CalStudio::StyleFilter", text);
}

cv::Mat lut(auto curve)
{
    cv::Mat table(1, 256, CV_8UC1);
    for (int i = 0; i < 256; ++i)
        table.at<uchar>(i) = cv::saturate_cast<uchar>(curve(i / 255.0) * 255.0);
    return table;
}

cv::Mat vignette(cv::Size size, double strength)
{
    cv::Mat v(size, CV_32FC1);
    const double cx = size.width / 2.0;
    const double cy = size.height / 2.0;
    const double r = std::hypot(cx, cy);
    for (int y = 0; y < size.height; ++y) {
        auto *row = v.ptr<float>(y);
        for (int x = 0; x < size.width; ++x) {
            const double d = std::hypot(x - cx, y - cy) / r;
            row[x] = float(1.0 - strength * d * d);
        }
    }
    return v;
}

void multiply(cv::Mat &bgr, const cv::Mat &factor)
{
    cv::Mat f;
    bgr.convertTo(f, CV_32FC3);
    cv::Mat f3;
    cv::merge(std::vector<cv::Mat> { factor, factor, factor }, f3);
    cv::multiply(f, f3, f);
    f.convertTo(bgr, CV_8UC3);
}

cv::Mat saturate(const cv::Mat &bgr, double factor)
{
    cv::Mat hsv;
    cv::cvtColor(bgr, hsv, cv::COLOR_BGR2HSV);
    std::vector<cv::Mat> ch;
    cv::split(hsv, ch);
    ch[1].convertTo(ch[1], CV_8UC1, factor);
    cv::merge(ch, hsv);
    cv::Mat out;
    cv::cvtColor(hsv, out, cv::COLOR_HSV2BGR);
    return out;
}

cv::Mat photographic(const cv::Mat &src)
{
    cv::Mat out;
    // A gentle S-curve: more snap without clipping.
    cv::LUT(src, lut([](double v) { return v - 0.05 * std::sin(2 * M_PI * v); }), out);
    return saturate(out, 1.12);
}

cv::Mat cinematic(const cv::Mat &src)
{
    cv::Mat f;
    src.convertTo(f, CV_32FC3, 1.0 / 255);
    cv::Mat gray;
    cv::cvtColor(src, gray, cv::COLOR_BGR2GRAY);
    gray.convertTo(gray, CV_32FC1, 1.0 / 255);
    std::vector<cv::Mat> ch;
    cv::split(f, ch);
    // Teal in the shadows, orange in the highlights: the blockbuster grade.
    const cv::Mat shadow = 1.0 - gray;
    ch[0] += 0.10 * shadow - 0.06 * gray; // blue
    ch[1] += 0.04 * shadow + 0.01 * gray; // green
    ch[2] += -0.06 * shadow + 0.10 * gray; // red
    cv::merge(ch, f);
    cv::Mat out;
    f.convertTo(out, CV_8UC3, 255);
    multiply(out, vignette(out.size(), 0.55));
    return out;
}

cv::Mat watercolor(const cv::Mat &src)
{
    cv::Mat styl;
    cv::stylization(src, styl, 60, 0.45f);
    cv::Mat paper(styl.size(), CV_8UC3, cv::Scalar(232, 243, 250));
    cv::Mat out;
    // Washes are translucent: let the paper show through.
    cv::addWeighted(styl, 0.78, paper, 0.22, 0, out);
    return saturate(out, 1.1);
}

cv::Mat oilPaint(const cv::Mat &src)
{
    cv::Mat styl;
    cv::stylization(src, styl, 30, 0.75f);
    cv::Mat out;
    cv::bilateralFilter(styl, out, 9, 60, 9);
    return saturate(out, 1.35);
}

cv::Mat pencilSketch(const cv::Mat &src)
{
    cv::Mat gray;
    cv::Mat colour;
    cv::pencilSketch(src, gray, colour, 60, 0.07f, 0.03f);
    cv::Mat out;
    cv::cvtColor(gray, out, cv::COLOR_GRAY2BGR);
    cv::Mat paper(out.size(), CV_8UC3, cv::Scalar(215, 236, 246));
    cv::multiply(out, paper, out, 1.0 / 255);
    return out;
}

cv::Mat popArt(const cv::Mat &src)
{
    cv::Mat smooth;
    cv::bilateralFilter(src, smooth, 9, 80, 9);
    cv::Mat hsv;
    cv::cvtColor(saturate(smooth, 1.8), hsv, cv::COLOR_BGR2HSV);
    // Flat colour: few hues, full saturation, three brightness steps.
    for (int y = 0; y < hsv.rows; ++y) {
        auto *p = hsv.ptr<cv::Vec3b>(y);
        for (int x = 0; x < hsv.cols; ++x) {
            p[x][0] = uchar((p[x][0] / 30) * 30 + 15) % 180;
            p[x][1] = p[x][1] < 40 ? uchar(0) : uchar(255);
            p[x][2] = p[x][2] < 70 ? uchar(40) : p[x][2] < 170 ? uchar(170) : uchar(255);
        }
    }
    cv::Mat out;
    cv::cvtColor(hsv, out, cv::COLOR_HSV2BGR);
    cv::Mat gray;
    cv::Mat edges;
    cv::cvtColor(smooth, gray, cv::COLOR_BGR2GRAY);
    cv::Canny(gray, edges, 60, 140);
    const int t = std::max(2, src.cols / 300);
    cv::dilate(edges, edges, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(t, t)));
    out.setTo(cv::Scalar(20, 20, 20), edges);
    return out;
}

cv::Mat vintageFilm(const cv::Mat &src, quint64 seed)
{
    cv::Mat out;
    const cv::Matx33f sepia(0.272f, 0.534f, 0.131f, // B
        0.349f, 0.686f, 0.168f, // G
        0.393f, 0.769f, 0.189f); // R (input is BGR, so columns are reversed below)
    const cv::Matx33f bgrSepia(sepia(0, 2), sepia(0, 1), sepia(0, 0), sepia(1, 2), sepia(1, 1), sepia(1, 0),
        sepia(2, 2), sepia(2, 1), sepia(2, 0));
    cv::transform(src, out, bgrSepia);
    cv::Mat muted;
    cv::addWeighted(out, 0.75, src, 0.25, 0, muted);
    // Faded film: blacks lifted, whites held back.
    cv::LUT(muted, lut([](double v) { return 0.10 + 0.82 * v; }), out);
    cv::Mat grain(out.size(), CV_8UC1);
    cv::RNG rng(seed ^ 0x5DEECE66DULL);
    rng.fill(grain, cv::RNG::NORMAL, 0, 10);
    cv::Mat grain16;
    grain.convertTo(grain16, CV_16SC1);
    cv::Mat out16;
    out.convertTo(out16, CV_16SC3);
    cv::Mat g3;
    cv::merge(std::vector<cv::Mat> { grain16, grain16, grain16 }, g3);
    out16 += g3;
    out16.convertTo(out, CV_8UC3);
    multiply(out, vignette(out.size(), 0.7));
    return out;
}
} // namespace

Result<QImage> StyleFilter::apply(const QImage &image, Look look, quint64 seed)
{
    if (image.isNull())
        return Error(QStringLiteral("no_image"), tr("There is no image to filter."));
    try {
        const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
        const cv::Mat wrapped(
            rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar *>(rgb.constBits()), size_t(rgb.bytesPerLine()));
        cv::Mat bgr;
        cv::cvtColor(wrapped, bgr, cv::COLOR_RGB2BGR);
        cv::Mat out;
        switch (look) {
        case Look::Photographic:
            out = photographic(bgr);
            break;
        case Look::Cinematic:
            out = cinematic(bgr);
            break;
        case Look::Watercolor:
            out = watercolor(bgr);
            break;
        case Look::OilPaint:
            out = oilPaint(bgr);
            break;
        case Look::PencilSketch:
            out = pencilSketch(bgr);
            break;
        case Look::PopArt:
            out = popArt(bgr);
            break;
        case Look::VintageFilm:
            out = vintageFilm(bgr, seed);
            break;
        }
        QImage result(out.cols, out.rows, QImage::Format_RGB888);
        cv::Mat dst(result.height(), result.width(), CV_8UC3, result.bits(), size_t(result.bytesPerLine()));
        cv::cvtColor(out, dst, cv::COLOR_BGR2RGB);
        return result;
    } catch (const cv::Exception &e) {
        return Error(
            QStringLiteral("filter_failed"), tr("The style could not be applied."), QString::fromStdString(e.msg));
    }
}

} // namespace CalStudio
