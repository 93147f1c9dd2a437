#include "core/imaging/imagedecoder.h"

#include <QColorSpace>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace CalStudio;

namespace {

// Fixtures come from tests/data/images/make_fixtures.py: a 48x32 pattern,
// white with a red block top-left, green top-right and blue bottom-right.
QString imagePath(const QString &name)
{
    return QStringLiteral(CALSTUDIO_TEST_DATA_DIR "/images/") + name;
}

QString malformedDir()
{
    return QStringLiteral(CALSTUDIO_TEST_DATA_DIR "/malformed");
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", qPrintable(path));
    return f.readAll();
}

QByteArray fixture(const QString &name)
{
    return readFile(imagePath(name));
}

/// The fixtures are far below the product's 512 px minimum; tests of other things lift it.
ImageLimits anySize()
{
    ImageLimits limits;
    limits.minShortEdge = 0;
    limits.warnShortEdge = 0;
    return limits;
}

bool near(QRgb a, QColor b, int tolerance)
{
    return std::abs(qRed(a) - b.red()) <= tolerance && std::abs(qGreen(a) - b.green()) <= tolerance
        && std::abs(qBlue(a) - b.blue()) <= tolerance;
}

QString describe(QRgb c)
{
    return QStringLiteral("(%1,%2,%3)").arg(qRed(c)).arg(qGreen(c)).arg(qBlue(c));
}

/// Checks the upright pattern at the centre of each block, for any scale.
void verifyPattern(const QImage &image, int tolerance)
{
    QVERIFY(!image.isNull());
    const auto at = [&image](double fx, double fy) {
        return image.pixel(int(fx * image.width()), int(fy * image.height()));
    };
    const struct {
        double x, y;
        QColor colour;
        const char *name;
    } probes[] = {
        {8.0 / 48, 6.0 / 32, QColor(255, 0, 0), "red top-left"},
        {42.0 / 48, 3.0 / 32, QColor(0, 160, 0), "green top-right"},
        {40.0 / 48, 26.0 / 32, QColor(0, 0, 255), "blue bottom-right"},
        {24.0 / 48, 16.0 / 32, QColor(255, 255, 255), "white centre"},
        {4.0 / 48, 28.0 / 32, QColor(255, 255, 255), "white bottom-left"},
    };
    for (const auto &p : probes) {
        const QRgb got = at(p.x, p.y);
        QVERIFY2(near(got, p.colour, tolerance), qPrintable(QStringLiteral("%1: got %2").arg(QLatin1String(p.name), describe(got))));
    }
}

struct Segment {
    uchar marker;
    QByteArray payload;
};

/// JPEG marker segments up to the start of scan.
QList<Segment> jpegSegments(const QByteArray &jpeg)
{
    QList<Segment> segments;
    qsizetype i = 2;
    while (i + 4 <= jpeg.size() && uchar(jpeg[i]) == 0xFF) {
        const uchar marker = uchar(jpeg[i + 1]);
        const int length = (uchar(jpeg[i + 2]) << 8) | uchar(jpeg[i + 3]);
        segments.append({marker, jpeg.mid(i + 4, length - 2)});
        if (marker == 0xDA)
            break;
        i += 2 + length;
    }
    return segments;
}

QStringList pngChunks(const QByteArray &png)
{
    QStringList chunks;
    qsizetype i = 8;
    while (i + 8 <= png.size()) {
        const quint32 length = (quint32(uchar(png[i])) << 24) | (uchar(png[i + 1]) << 16) | (uchar(png[i + 2]) << 8)
            | uchar(png[i + 3]);
        chunks.append(QString::fromLatin1(png.mid(i + 4, 4)));
        i += 12 + qsizetype(length);
    }
    return chunks;
}

const QStringList kErrorCodes = {
    QStringLiteral("empty"),           QStringLiteral("too_large"), QStringLiteral("not_an_image"),
    QStringLiteral("unsupported_format"), QStringLiteral("corrupt"), QStringLiteral("too_many_pixels"),
    QStringLiteral("too_small"),       QStringLiteral("unreadable"),
};

} // namespace

class TestImageDecoder : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void formats_data();
    void formats();
    void oddWidthRowsArePacked();
    void orientations_data();
    void orientations();
    void heicRoundTrip();
    void iccIsConvertedToSrgb();
    void errors_data();
    void errors();
    void pixelBombIsRefusedFromTheHeader();
    void lowResolutionWarning();
    void cleanCopyDropsGpsAndExif();
    void encodeImage_data();
    void encodeImage();
    void encodeNullImage();
    void shrinkOnLoad_data();
    void shrinkOnLoad();
    void resultOwnsItsPixels();
    void concurrentDecodes();
    void malformedCorpus_data();
    void malformedCorpus();
};

void TestImageDecoder::formats_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("mime");
    QTest::addColumn<bool>("alpha");
    QTest::addColumn<bool>("grey");
    QTest::addColumn<int>("tolerance");

    const auto s = [](const char *text) { return QString::fromLatin1(text); };
    QTest::newRow("jpeg") << s("pattern.jpg") << s("jpeg") << s("image/jpeg") << false << false << 40;
    QTest::newRow("png") << s("pattern.png") << s("png") << s("image/png") << false << false << 0;
    QTest::newRow("webp") << s("pattern.webp") << s("webp") << s("image/webp") << false << false << 40;
    QTest::newRow("tiff") << s("pattern.tif") << s("tiff") << s("image/tiff") << false << false << 0;
    QTest::newRow("heic") << s("pattern.heic") << s("heif") << s("image/heic") << false << false << 48;
    QTest::newRow("avif") << s("pattern.avif") << s("heif") << s("image/avif") << false << false << 48;
    QTest::newRow("png 16-bit") << s("rgb16.png") << s("png") << s("image/png") << false << false << 1;
    QTest::newRow("png alpha") << s("alpha.png") << s("png") << s("image/png") << true << false << 0;
    QTest::newRow("png grey") << s("grey.png") << s("png") << s("image/png") << false << true << 0;
    QTest::newRow("tiff grey 16-bit") << s("grey16.tif") << s("tiff") << s("image/tiff") << false << true << 0;
    QTest::newRow("jpeg cmyk no profile") << s("cmyk-noprofile.jpg") << s("jpeg") << s("image/jpeg") << false << false
                                          << 120; // pure blue is out of the CMYK gamut
    QTest::newRow("png with .jpg name") << s("../malformed/png-named-as.jpg") << s("png") << s("image/png") << false
                                        << false << 0;
}

void TestImageDecoder::formats()
{
    QFETCH(QString, file);
    QFETCH(QString, format);
    QFETCH(QString, mime);
    QFETCH(bool, alpha);
    QFETCH(bool, grey);
    QFETCH(int, tolerance);

    const QByteArray bytes = fixture(file);
    const auto probe = ImageDecoder::probe(bytes, anySize());
    QVERIFY2(probe.ok(), qPrintable(probe.ok() ? QString() : probe.error().toString()));
    QCOMPARE(probe->format, format);
    QCOMPARE(probe->mimeType, mime);
    QCOMPARE(probe->width, 48);
    QCOMPARE(probe->height, 32);
    QCOMPARE(probe->fileBytes, bytes.size());
    QVERIFY(!probe->hasLocation);

    const auto decoded = ImageDecoder::decode(bytes, anySize());
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().toString()));
    const QImage &image = decoded->image;
    QCOMPARE(image.size(), QSize(48, 32));
    QCOMPARE(image.format(), alpha ? QImage::Format_RGBA8888 : QImage::Format_RGB888);
    QCOMPARE(image.colorSpace(), QColorSpace(QColorSpace::SRgb));
    if (grey) {
        // Greyscale comes back as RGB with equal channels; libvips made the
        // fixture from L*, and red (L* 53) becomes mid grey.
        const QRgb red = image.pixel(8, 6);
        QCOMPARE(qRed(red), qGreen(red));
        QCOMPARE(qGreen(red), qBlue(red));
        QVERIFY2(qRed(red) > 100 && qRed(red) < 150, qPrintable(describe(red)));
        QCOMPARE(qRed(image.pixel(24, 16)), 255);
    } else {
        verifyPattern(image, tolerance);
    }
    if (alpha)
        QCOMPARE(qAlpha(image.pixel(10, 10)), 128);
}

void TestImageDecoder::oddWidthRowsArePacked()
{
    // 37 px * 3 bytes = 111; QImage rows are 112. A wrong stride shears the image.
    const auto decoded = ImageDecoder::decode(fixture(QStringLiteral("odd-37x29.png")), anySize());
    QVERIFY(decoded.ok());
    const QImage &image = decoded->image;
    QCOMPARE(image.size(), QSize(37, 29));
    QVERIFY(image.bytesPerLine() > 37 * 3);
    QCOMPARE(image.pixel(0, 0), qRgb(255, 0, 0));
    QCOMPARE(image.pixel(15, 11), qRgb(255, 0, 0));
    QCOMPARE(image.pixel(16, 11), qRgb(255, 255, 255));
    QCOMPARE(image.pixel(36, 0), qRgb(0, 160, 0));
    QCOMPARE(image.pixel(36, 28), qRgb(0, 0, 255));
    QCOMPARE(image.pixel(31, 28), qRgb(255, 255, 255));
    QCOMPARE(image.pixel(0, 28), qRgb(255, 255, 255));
}

void TestImageDecoder::orientations_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("orientation");
    for (int n = 1; n <= 8; ++n)
        QTest::addRow("jpeg %d", n) << QStringLiteral("orientation-%1.jpg").arg(n) << n;
    for (const char *ext : {"png", "webp", "tif"})
        QTest::addRow("%s 6", ext) << QStringLiteral("orientation-6.%1").arg(QLatin1String(ext)) << 6;
}

void TestImageDecoder::orientations()
{
    QFETCH(QString, file);
    QFETCH(int, orientation);
    const QByteArray bytes = fixture(file);
    const auto probe = ImageDecoder::probe(bytes, anySize());
    QVERIFY(probe.ok());
    QCOMPARE(probe->orientation, orientation);
    QCOMPARE(QSize(probe->width, probe->height), QSize(48, 32)); // as displayed

    const auto full = ImageDecoder::decode(bytes, anySize());
    QVERIFY(full.ok());
    QCOMPARE(full->image.size(), QSize(48, 32));
    verifyPattern(full->image, 40);

    // The shrink-on-load path orients too.
    const auto small = ImageDecoder::decode(bytes, anySize(), 24);
    QVERIFY(small.ok());
    QCOMPARE(small->image.size(), QSize(24, 16));
    verifyPattern(small->image, 60);

    // And the clean copy is stored upright, with no orientation tag left to apply.
    const auto clean = ImageDecoder::encodeClean(bytes, anySize());
    QVERIFY(clean.ok());
    const auto cleanProbe = ImageDecoder::probe(*clean, anySize());
    QVERIFY(cleanProbe.ok());
    QCOMPARE(cleanProbe->orientation, 1);
    const auto again = ImageDecoder::decode(*clean, anySize());
    QVERIFY(again.ok());
    verifyPattern(again->image, 48);
}

void TestImageDecoder::heicRoundTrip()
{
    // make_fixtures.py encodes the pattern with libvips' heifsave (libheif +
    // x265, HEVC); here it comes back through heifload and must match the
    // lossless PNG of the same pattern.
    const auto heic = ImageDecoder::decode(fixture(QStringLiteral("pattern.heic")), anySize());
    const auto png = ImageDecoder::decode(fixture(QStringLiteral("pattern.png")), anySize());
    QVERIFY(heic.ok());
    QVERIFY(png.ok());
    QCOMPARE(heic->image.size(), png->image.size());
    qint64 diff = 0;
    for (int y = 0; y < 32; ++y)
        for (int x = 0; x < 48; ++x) {
            const QRgb a = heic->image.pixel(x, y), b = png->image.pixel(x, y);
            diff += std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) + std::abs(qBlue(a) - qBlue(b));
        }
    const double meanAbsDiff = double(diff) / (48 * 32 * 3);
    QVERIFY2(meanAbsDiff < 8.0, qPrintable(QString::number(meanAbsDiff)));

    // …and a HEIC survives the clean copy as a JPEG.
    const auto clean = ImageDecoder::encodeClean(fixture(QStringLiteral("pattern.heic")), anySize());
    QVERIFY(clean.ok());
    QVERIFY(clean->startsWith("\xFF\xD8"));
}

void TestImageDecoder::iccIsConvertedToSrgb()
{
    // p3.jpg holds the pattern converted to Display P3, profile embedded.
    const QByteArray bytes = fixture(QStringLiteral("p3.jpg"));
    // Read without colour management (Qt's reader leaves pixels as stored),
    // sRGB red is about (234, 51, 35) in P3: the fixture really differs.
    const QImage raw = QImage::fromData(bytes);
    if (!raw.isNull())
        QVERIFY2(!near(raw.pixel(8, 6), QColor(255, 0, 0), 12), qPrintable(describe(raw.pixel(8, 6))));
    const auto decoded = ImageDecoder::decode(bytes, anySize());
    QVERIFY(decoded.ok());
    QVERIFY2(near(decoded->image.pixel(8, 6), QColor(255, 0, 0), 12), qPrintable(describe(decoded->image.pixel(8, 6))));
    verifyPattern(decoded->image, 40);
}

void TestImageDecoder::errors_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("maxFileBytes");
    QTest::addColumn<int>("minShortEdge");
    QTest::addColumn<QString>("code");

    const auto m = [](const char *name) { return readFile(malformedDir() + QLatin1Char('/') + QLatin1String(name)); };
    const auto s = [](const char *text) { return QString::fromLatin1(text); };
    QTest::newRow("zero bytes") << QByteArray() << 0 << 0 << s("empty");
    QTest::newRow("10 bytes of garbage") << m("garbage-10-bytes.bin") << 0 << 0 << s("not_an_image");
    QTest::newRow("random 4 KB") << m("random-4k.jpg") << 0 << 0 << s("not_an_image");
    QTest::newRow("text named .jpg") << m("text-with-jpg-extension.jpg") << 0 << 0 << s("not_an_image");
    QTest::newRow("GIF") << m("gif-unsupported.gif") << 0 << 0 << s("unsupported_format");
    QTest::newRow("SVG named .jpg") << m("svg-unsupported.jpg") << 0 << 0 << s("unsupported_format");
    QTest::newRow("over the file size limit") << fixture(s("pattern.jpg")) << 100 << 0 << s("too_large");
    QTest::newRow("below the minimum size") << fixture(s("pattern.jpg")) << 0 << 512 << s("too_small");
    QTest::newRow("truncated JPEG") << m("truncated-half.jpg") << 0 << 0 << s("corrupt");
    QTest::newRow("JPEG header only") << m("truncated-header.jpg") << 0 << 0 << s("corrupt");
    QTest::newRow("truncated PNG") << m("truncated-half.png") << 0 << 0 << s("corrupt");
    QTest::newRow("PNG missing its end") << m("truncated-idat.png") << 0 << 0 << s("corrupt");
    QTest::newRow("PNG signature only") << m("png-only-signature.png") << 0 << 0 << s("corrupt");
    QTest::newRow("PNG bad CRC") << m("bad-ihdr-crc.png") << 0 << 0 << s("corrupt");
    QTest::newRow("PNG 0x0") << m("zero-size.png") << 0 << 0 << s("corrupt");
    QTest::newRow("truncated WebP") << m("truncated-half.webp") << 0 << 0 << s("corrupt");
    QTest::newRow("truncated HEIC") << m("truncated-half.heic") << 0 << 0 << s("corrupt");
    QTest::newRow("truncated TIFF") << m("truncated-half.tif") << 0 << 0 << s("corrupt");
    QTest::newRow("PNG claiming 100000²") << m("bomb-100000x100000.png") << 0 << 0 << s("too_many_pixels");
    QTest::newRow("JPEG claiming 65000²") << m("bomb-65000x65000.jpg") << 0 << 0 << s("too_many_pixels");
    QTest::newRow("TIFF claiming 65535²") << m("bomb-65535x65535.tif") << 0 << 0 << s("too_many_pixels");
    QTest::newRow("WebP frame larger than its chunk") << m("webp-frame-size-mismatch.webp") << 0 << 0 << s("corrupt");
    QTest::newRow("TIFF header only") << m("tiff-header-only.tif") << 0 << 0 << s("corrupt");
    QTest::newRow("WebP VP8X without image") << m("webp-vp8x-no-image.webp") << 0 << 0 << s("corrupt");
}

void TestImageDecoder::errors()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, maxFileBytes);
    QFETCH(int, minShortEdge);
    QFETCH(QString, code);

    ImageLimits limits = anySize();
    if (maxFileBytes > 0)
        limits.maxFileBytes = maxFileBytes;
    limits.minShortEdge = minShortEdge;

    // Whichever stage notices, every entry point reports the same value.
    const auto decoded = ImageDecoder::decode(bytes, limits);
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.error().code, code);
    QVERIFY(!decoded.error().userMessage.isEmpty());
    const auto shrunk = ImageDecoder::decode(bytes, limits, 512);
    QVERIFY(!shrunk.ok());
    QCOMPARE(shrunk.error().code, code);
    const auto clean = ImageDecoder::encodeClean(bytes, limits);
    QVERIFY(!clean.ok());
    QCOMPARE(clean.error().code, code);
}

void TestImageDecoder::pixelBombIsRefusedFromTheHeader()
{
    // 69 bytes that claim 10^10 pixels (30 GB decoded): refused from IHDR
    // alone, before anything is allocated — in a few milliseconds.
    const QByteArray bomb = readFile(malformedDir() + QStringLiteral("/bomb-100000x100000.png"));
    QElapsedTimer timer;
    timer.start();
    const auto probe = ImageDecoder::probe(bomb);
    QVERIFY(!probe.ok());
    QCOMPARE(probe.error().code, QStringLiteral("too_many_pixels"));
    QVERIFY(probe.error().userMessage.contains(QStringLiteral("100000")));
    QVERIFY(timer.elapsed() < 1000);

    // The limit is the caller's: 48x32 = 1536 pixels.
    ImageLimits tight = anySize();
    tight.maxPixels = 1535;
    QCOMPARE(ImageDecoder::probe(fixture(QStringLiteral("pattern.png")), tight).error().code,
             QStringLiteral("too_many_pixels"));
    tight.maxPixels = 1536;
    QVERIFY(ImageDecoder::probe(fixture(QStringLiteral("pattern.png")), tight).ok());
}

void TestImageDecoder::lowResolutionWarning()
{
    ImageProbe probe;
    probe.width = 1200;
    probe.height = 900;
    QVERIFY(ImageDecoder::isLowResolution(probe)); // short edge 900 < 1024
    probe.height = 1024;
    QVERIFY(!ImageDecoder::isLowResolution(probe));

    // 48x32 with a 30 px minimum: accepted, but flagged.
    ImageLimits limits;
    limits.minShortEdge = 30;
    const auto p = ImageDecoder::probe(fixture(QStringLiteral("pattern.png")), limits);
    QVERIFY(p.ok());
    QVERIFY(ImageDecoder::isLowResolution(*p, limits));
}

void TestImageDecoder::cleanCopyDropsGpsAndExif()
{
    // gps.jpg: EXIF with orientation 6 and a GPS IFD at 48°8'13.37"N 11°34'31.5"E.
    const QByteArray original = fixture(QStringLiteral("gps.jpg"));
    const QByteArray latitude = QByteArray::fromHex("3000000001000000080000000100000039050000" "64000000");
    QVERIFY(original.contains(latitude));
    QVERIFY(original.contains("Exif"));
    const auto before = ImageDecoder::probe(original, anySize());
    QVERIFY(before.ok());
    QVERIFY(before->hasLocation);

    const auto clean = ImageDecoder::encodeClean(original, anySize());
    QVERIFY2(clean.ok(), qPrintable(clean.ok() ? QString() : clean.error().toString()));
    const QByteArray &bytes = *clean;

    QVERIFY(!bytes.contains(latitude));
    QVERIFY(!bytes.contains("Exif"));
    QVERIFY(!bytes.contains("http://ns.adobe.com/xap/1.0/")); // XMP
    QVERIFY(!bytes.contains("Photoshop 3.0")); // IPTC

    int iccSegments = 0;
    for (const Segment &s : jpegSegments(bytes)) {
        QVERIFY2(s.marker != 0xE1, "APP1 (EXIF/XMP) must not be written");
        QVERIFY2(s.marker != 0xED, "APP13 (IPTC) must not be written");
        QVERIFY2(s.marker != 0xFE, "no comment segment");
        if (s.marker == 0xE2) {
            QVERIFY(s.payload.startsWith(QByteArray("ICC_PROFILE\0", 12)));
            ++iccSegments;
        }
    }
    QCOMPARE(iccSegments, 1);
    QVERIFY(bytes.contains("sRGB")); // the profile's description

    const auto after = ImageDecoder::probe(bytes, anySize());
    QVERIFY(after.ok());
    QVERIFY(!after->hasLocation);
    QCOMPARE(after->orientation, 1);
    QCOMPARE(after->format, QStringLiteral("jpeg"));
    QCOMPARE(QSize(after->width, after->height), QSize(48, 32));
    const auto decoded = ImageDecoder::decode(bytes, anySize());
    QVERIFY(decoded.ok());
    verifyPattern(decoded->image, 48);
}

void TestImageDecoder::encodeImage_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("png");
    QTest::newRow("jpeg from RGB") << QStringLiteral("pattern.png") << false;
    QTest::newRow("jpeg from RGBA (flattened)") << QStringLiteral("alpha.png") << false;
    QTest::newRow("png from RGB") << QStringLiteral("odd-37x29.png") << true;
    QTest::newRow("png from RGBA") << QStringLiteral("alpha.png") << true;
}

void TestImageDecoder::encodeImage()
{
    QFETCH(QString, file);
    QFETCH(bool, png);
    const auto source = ImageDecoder::decode(fixture(file), anySize());
    QVERIFY(source.ok());
    const auto encoded = ImageDecoder::encodeImage(source->image, png, 90);
    QVERIFY2(encoded.ok(), qPrintable(encoded.ok() ? QString() : encoded.error().toString()));

    if (png) {
        const QStringList chunks = pngChunks(*encoded);
        QVERIFY2(chunks.contains(QStringLiteral("iCCP")), qPrintable(chunks.join(u' ')));
        for (const char *forbidden : {"eXIf", "tEXt", "iTXt", "zTXt", "tIME"})
            QVERIFY2(!chunks.contains(QLatin1String(forbidden)), forbidden);
    } else {
        bool icc = false;
        for (const Segment &s : jpegSegments(*encoded)) {
            QVERIFY(s.marker != 0xE1);
            icc = icc || (s.marker == 0xE2 && s.payload.startsWith("ICC_PROFILE"));
        }
        QVERIFY(icc);
    }

    const auto back = ImageDecoder::decode(*encoded, anySize());
    QVERIFY(back.ok());
    QCOMPARE(back->image.size(), source->image.size());
    const bool alpha = source->image.hasAlphaChannel();
    QCOMPARE(back->image.hasAlphaChannel(), png && alpha);
    if (png) {
        QCOMPARE(back->image.convertToFormat(QImage::Format_RGBA8888),
                 source->image.convertToFormat(QImage::Format_RGBA8888));
    } else if (alpha) {
        // Red at 50% alpha over white.
        QVERIFY2(near(back->image.pixel(8, 6), QColor(255, 128, 128), 24), qPrintable(describe(back->image.pixel(8, 6))));
    } else {
        verifyPattern(back->image, 40);
    }
}

void TestImageDecoder::encodeNullImage()
{
    const auto encoded = ImageDecoder::encodeImage(QImage());
    QVERIFY(!encoded.ok());
    QCOMPARE(encoded.error().code, QStringLiteral("empty"));
}

void TestImageDecoder::shrinkOnLoad_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("maxLongEdge");
    QTest::addColumn<QSize>("expected");
    QTest::newRow("1200x800 to 300") << QStringLiteral("big-1200x800.jpg") << 300 << QSize(300, 200);
    QTest::newRow("1200x800 to 1000") << QStringLiteral("big-1200x800.jpg") << 1000 << QSize(1000, 667);
    QTest::newRow("never upscales") << QStringLiteral("big-1200x800.jpg") << 5000 << QSize(1200, 800);
    QTest::newRow("png (no shrink-on-load)") << QStringLiteral("pattern.png") << 24 << QSize(24, 16);
    QTest::newRow("webp") << QStringLiteral("pattern.webp") << 24 << QSize(24, 16);
    QTest::newRow("heic") << QStringLiteral("pattern.heic") << 24 << QSize(24, 16);
    QTest::newRow("tiff") << QStringLiteral("pattern.tif") << 24 << QSize(24, 16);
    QTest::newRow("rotated 90°") << QStringLiteral("orientation-6.jpg") << 24 << QSize(24, 16);
    QTest::newRow("alpha") << QStringLiteral("alpha.png") << 24 << QSize(24, 16);
}

void TestImageDecoder::shrinkOnLoad()
{
    QFETCH(QString, file);
    QFETCH(int, maxLongEdge);
    QFETCH(QSize, expected);
    const auto decoded = ImageDecoder::decode(fixture(file), anySize(), maxLongEdge);
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().toString()));
    QCOMPARE(decoded->image.size(), expected);
    QVERIFY(std::max(decoded->image.width(), decoded->image.height()) <= maxLongEdge);
    verifyPattern(decoded->image, 60);
    // probe describes the file, not the scaled result.
    QVERIFY(decoded->probe.width >= expected.width());
}

void TestImageDecoder::resultOwnsItsPixels()
{
    QImage image;
    {
        QByteArray bytes = fixture(QStringLiteral("pattern.png"));
        auto decoded = ImageDecoder::decode(bytes, anySize());
        QVERIFY(decoded.ok());
        image = decoded->image;
        bytes.fill('\0');
    }
    verifyPattern(image, 0);
}

void TestImageDecoder::concurrentDecodes()
{
    const QStringList files = {QStringLiteral("pattern.jpg"), QStringLiteral("pattern.heic"),
                               QStringLiteral("orientation-6.jpg"), QStringLiteral("big-1200x800.jpg"),
                               QStringLiteral("p3.jpg"), QStringLiteral("alpha.png")};
    std::vector<QByteArray> inputs;
    std::vector<QImage> expected;
    for (const QString &f : files) {
        inputs.push_back(fixture(f));
        const auto d = ImageDecoder::decode(inputs.back(), anySize(), 400);
        QVERIFY(d.ok());
        expected.push_back(d->image);
    }
    const QByteArray broken = readFile(malformedDir() + QStringLiteral("/truncated-half.jpg"));

    std::atomic<int> mismatches = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int round = 0; round < 6; ++round) {
                const size_t i = size_t(t + round) % inputs.size();
                const auto d = ImageDecoder::decode(inputs[i], anySize(), 400);
                if (!d.ok() || d->image != expected[i])
                    ++mismatches;
                const auto bad = ImageDecoder::decode(broken, anySize());
                if (bad.ok() || bad.error().code != QLatin1String("corrupt"))
                    ++mismatches;
            }
        });
    for (auto &t : threads)
        t.join();
    QCOMPARE(mismatches.load(), 0);
}

void TestImageDecoder::malformedCorpus_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(malformedDir());
    const QStringList names = dir.entryList(QDir::Files, QDir::Name);
    QVERIFY(names.size() >= 15);
    for (const QString &name : names)
        QTest::newRow(qPrintable(name)) << dir.filePath(name);
}

void TestImageDecoder::malformedCorpus()
{
    // Every file either decodes to a valid image or fails with a known code
    // and a message; nothing throws or crashes (this also runs under ASan).
    QFETCH(QString, path);
    const QByteArray bytes = readFile(path);
    ImageLimits limits = anySize();
    limits.maxPixels = 50'000'000;

    const auto checkError = [](const Error &e) {
        QVERIFY2(kErrorCodes.contains(e.code), qPrintable(e.code));
        QVERIFY(!e.userMessage.isEmpty());
    };
    const auto probe = ImageDecoder::probe(bytes, limits);
    if (!probe.ok())
        checkError(probe.error());
    for (int maxLongEdge : {0, 512}) {
        const auto decoded = ImageDecoder::decode(bytes, limits, maxLongEdge);
        QCOMPARE(decoded.ok(), probe.ok() && decoded.ok()); // never succeeds where probe failed
        if (decoded.ok()) {
            QVERIFY(!decoded->image.isNull());
            QVERIFY(decoded->image.format() == QImage::Format_RGB888
                    || decoded->image.format() == QImage::Format_RGBA8888);
            const auto encoded = ImageDecoder::encodeImage(decoded->image, maxLongEdge > 0);
            QVERIFY(encoded.ok());
        } else {
            checkError(decoded.error());
        }
    }
    const auto clean = ImageDecoder::encodeClean(bytes, limits);
    if (clean.ok())
        QVERIFY(ImageDecoder::decode(*clean, limits).ok());
    else
        checkError(clean.error());
    if (QFileInfo(path).fileName().startsWith(QLatin1String("seed-")))
        QVERIFY2(clean.ok(), "valid seeds must decode");
}

QTEST_GUILESS_MAIN(TestImageDecoder)
#include "tst_imagedecoder.moc"
