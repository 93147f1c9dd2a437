// libFuzzer target for the untrusted-image path of calstudio_imaging:
// probe -> decode (shrink-on-load to 512 px) -> encodeImage, plus the full
// decode + clean re-encode for small images. Built only with Clang and
// CALSTUDIO_FUZZ=ON; see tests/fuzz/CMakeLists.txt and smoke.sh.

#include "core/imaging/imagedecoder.h"

#include <QLoggingCategory>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace CalStudio;

namespace {

// Inputs above this are skipped: the product refuses files over 60 MB before
// reading them, and big inputs only slow the fuzzer down.
constexpr size_t kMaxInput = 2 * 1024 * 1024;

ImageLimits fuzzLimits()
{
    ImageLimits limits;
    limits.maxFileBytes = kMaxInput;
    // Far below the product's 120 MP so one input cannot exhaust the
    // fuzzer's 2 GB RSS limit; the bomb check itself is the same code.
    limits.maxPixels = 4'000'000;
    limits.minShortEdge = 0;
    limits.warnShortEdge = 0;
    return limits;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // One libvips worker per decode keeps runs reproducible.
    setenv("VIPS_CONCURRENCY", "1", 0);
    QLoggingCategory::setFilterRules(QStringLiteral("calstudio.imaging.debug=false"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > kMaxInput)
        return 0;
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const ImageLimits limits = fuzzLimits();

    const auto probe = ImageDecoder::probe(bytes, limits);
    if (!probe) {
        if (probe.error().code.isEmpty() || probe.error().userMessage.isEmpty())
            std::abort(); // every failure must be a described Error
        return 0;
    }
    if (probe->width <= 0 || probe->height <= 0 || qint64(probe->width) * probe->height > limits.maxPixels)
        std::abort();

    const auto small = ImageDecoder::decode(bytes, limits, 512);
    if (small) {
        const QImage &image = small->image;
        if (image.isNull() || std::max(image.width(), image.height()) > 512)
            std::abort();
        if (image.format() != QImage::Format_RGB888 && image.format() != QImage::Format_RGBA8888)
            std::abort();
        const auto encoded = ImageDecoder::encodeImage(image, (size & 1) != 0);
        if (!encoded)
            std::abort(); // a decoded image must always encode
    }

    // The full-size path (sequential load, copy_memory + autorot) and the
    // clean copy, for small images only to keep executions fast.
    if (qint64(probe->width) * probe->height <= 1'000'000) {
        const auto clean = ImageDecoder::encodeClean(bytes, limits, 80);
        if (clean && !ImageDecoder::probe(*clean, limits))
            std::abort(); // our own output must read back
    }
    return 0;
}
