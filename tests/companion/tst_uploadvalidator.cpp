// Print-file validation: every kind of bad upload, the order of the checks, and concurrent use.
// Fixtures are made here with QImageWriter; the CMYK and Display P3 JPEGs come from tests/data/images.
#include "core/companion/uploadvalidator.h"

#include <QBuffer>
#include <QColorSpace>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QImageWriter>
#include <QTest>
#include <QtConcurrent>

using namespace CalStudio;

namespace {

/// Why a result failed, for QVERIFY2 messages (which are evaluated even when the check passes).
template<typename T>
QByteArray why(const Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().toString().toUtf8();
}

const QSize kSize(120, 80);
const qint64 kMax = 10 * 1024 * 1024;

QImage pattern(QSize size, QImage::Format format = QImage::Format_RGB32)
{
    QImage image(size, QImage::Format_RGB32);
    for (int y = 0; y < size.height(); ++y) {
        for (int x = 0; x < size.width(); ++x)
            image.setPixel(x, y, qRgb((x * 255) / size.width(), (y * 255) / size.height(), (x ^ y) & 0xFF));
    }
    return format == QImage::Format_RGB32 ? image : image.convertToFormat(format);
}

QByteArray encode(const QImage &image, const QByteArray &format)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, format);
    if (!writer.write(image))
        qFatal("cannot write %s: %s", format.constData(), qPrintable(writer.errorString()));
    return bytes;
}

QByteArray jpeg(const QImage &image = pattern(kSize))
{
    return encode(image, "jpeg");
}

QByteArray png(const QImage &image = pattern(kSize))
{
    return encode(image, "png");
}

QImage withColorSpace(QImage image, const QColorSpace &space)
{
    image.setColorSpace(space);
    return image;
}

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(CALSTUDIO_TEST_DATA_DIR "/images/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

QSize headerSize(const QByteArray &bytes)
{
    QByteArray copy = bytes;
    QBuffer buffer(&copy);
    buffer.open(QIODevice::ReadOnly);
    return QImageReader(&buffer).size();
}

/// Offset of the payload of the first JPEG segment with `marker` (after its length field), or -1.
qsizetype jpegSegment(const QByteArray &bytes, quint8 marker)
{
    qsizetype pos = 2;
    while (pos + 4 <= bytes.size() && quint8(bytes[pos]) == 0xFF) {
        const quint8 m = quint8(bytes[pos + 1]);
        const int length = (quint8(bytes[pos + 2]) << 8) | quint8(bytes[pos + 3]);
        if (m == marker)
            return pos + 4;
        if (m == 0xDA)
            return -1;
        pos += 2 + length;
    }
    return -1;
}

Result<ValidatedUpload> check(
    const QByteArray &bytes, const QByteArray &type, QSize expected = kSize, qint64 max = kMax)
{
    return UploadValidator::validate(bytes, type, expected, max);
}

QString codeOf(const Result<ValidatedUpload> &result)
{
    return result.ok() ? QStringLiteral("ok") : result.error().code;
}

} // namespace

class TestUploadValidator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void validFiles()
    {
        auto j = check(jpeg(), "image/jpeg");
        QVERIFY2(j.ok(), why(j).constData());
        QCOMPARE(j->mimeType, QByteArray("image/jpeg"));
        QCOMPARE(j->extension, QStringLiteral("jpg"));
        QCOMPARE(j->size, kSize);

        auto p = check(png(), "image/png");
        QVERIFY2(p.ok(), why(p).constData());
        QCOMPARE(p->mimeType, QByteArray("image/png"));
        QCOMPARE(p->extension, QStringLiteral("png"));
        QCOMPARE(p->size, kSize);

        // RGBA and 16-bit PNGs are RGB too.
        QCOMPARE(codeOf(check(png(pattern(kSize, QImage::Format_ARGB32)), "image/png")), QStringLiteral("ok"));
        const QByteArray deep = png(pattern(kSize, QImage::Format_RGBA64));
        QCOMPARE(quint8(deep[24]), quint8(16)); // IHDR bit depth
        QCOMPARE(codeOf(check(deep, "image/png")), QStringLiteral("ok"));

        // Content-Type parameters and case do not matter.
        QCOMPARE(codeOf(check(jpeg(), "IMAGE/JPEG; charset=binary")), QStringLiteral("ok"));
        QCOMPARE(codeOf(check(png(), " image/png ")), QStringLiteral("ok"));
    }

    void embeddedSrgbProfileAccepted()
    {
        const QImage srgb = withColorSpace(pattern(kSize), QColorSpace(QColorSpace::SRgb));
        const QByteArray j = jpeg(srgb);
        QVERIFY(j.contains(QByteArray("ICC_PROFILE\0", 12)));
        QCOMPARE(codeOf(check(j, "image/jpeg")), QStringLiteral("ok"));
        const QByteArray p = png(srgb);
        QVERIFY(p.contains("iCCP")); // Qt embeds its sRGB profile: the iCCP path is exercised
        QCOMPARE(codeOf(check(p, "image/png")), QStringLiteral("ok"));
    }

    void tooLarge()
    {
        const QByteArray bytes = jpeg();
        QCOMPARE(codeOf(check(bytes, "image/jpeg", kSize, bytes.size())), QStringLiteral("ok"));
        const auto result = check(bytes, "image/jpeg", kSize, bytes.size() - 1);
        QCOMPARE(codeOf(result), QStringLiteral("upload_too_large"));
        QVERIFY(!result.error().userMessage.isEmpty());
    }

    void unsupportedMediaType_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QByteArray>("contentType");
        QTest::newRow("gif type") << jpeg() << QByteArray("image/gif");
        QTest::newRow("octet-stream") << png() << QByteArray("application/octet-stream");
        QTest::newRow("no type") << png() << QByteArray();
        QTest::newRow("image/jpg is not a type") << jpeg() << QByteArray("image/jpg");
        QTest::newRow("png sent as jpeg") << png() << QByteArray("image/jpeg");
        QTest::newRow("jpeg sent as png") << jpeg() << QByteArray("image/png");
        QTest::newRow("text as png") << QByteArray("hello, this is not an image") << QByteArray("image/png");
        QTest::newRow("empty") << QByteArray() << QByteArray("image/jpeg");
        QTest::newRow("gif bytes") << QByteArray("GIF89a\x01\x00\x01\x00\x00\x00\x00;", 14) << QByteArray("image/png");
        QTest::newRow("bmp bytes") << encode(pattern(kSize), "bmp") << QByteArray("image/jpeg");
    }

    void unsupportedMediaType()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, contentType);
        QCOMPARE(codeOf(check(bytes, contentType)), QStringLiteral("unsupported_media_type"));
    }

    void notSrgb_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QString>("reason"); // in the error's detail: refused for the right reason
        const QByteArray cmyk = fixture(QStringLiteral("cmyk-noprofile.jpg"));
        QTest::newRow("cmyk jpeg fixture")
            << cmyk << QByteArray("image/jpeg") << QStringLiteral("JPEG with 4 components");
        // A JPEG whose frame header says 4 components (CMYK/YCCK), made from an RGB one.
        QByteArray patched = jpeg();
        const qsizetype sof = jpegSegment(patched, 0xC0);
        QVERIFY(sof > 0);
        QCOMPARE(quint8(patched[sof + 5]), quint8(3));
        patched[sof + 5] = 4;
        QTest::newRow("sof says 4 components")
            << patched << QByteArray("image/jpeg") << QStringLiteral("JPEG with 4 components");
        QTest::newRow("greyscale jpeg") << jpeg(pattern(kSize, QImage::Format_Grayscale8)) << QByteArray("image/jpeg")
                                        << QStringLiteral("JPEG with 1 component");
        QTest::newRow("greyscale png") << png(pattern(kSize, QImage::Format_Grayscale8)) << QByteArray("image/png")
                                       << QStringLiteral("PNG colour type 0");
        QTest::newRow("grey png fixture")
            << fixture(QStringLiteral("grey.png")) << QByteArray("image/png") << QStringLiteral("PNG colour type");
        QTest::newRow("palette png") << png(pattern(kSize, QImage::Format_Indexed8)) << QByteArray("image/png")
                                     << QStringLiteral("PNG colour type 3");
        QTest::newRow("display p3 jpeg fixture")
            << fixture(QStringLiteral("p3.jpg")) << QByteArray("image/jpeg") << QStringLiteral("not sRGB");
        const QImage p3 = withColorSpace(pattern(kSize), QColorSpace(QColorSpace::DisplayP3));
        QTest::newRow("display p3 jpeg") << jpeg(p3) << QByteArray("image/jpeg") << QStringLiteral("not sRGB");
        QTest::newRow("display p3 png") << png(p3) << QByteArray("image/png") << QStringLiteral("not sRGB");
        const QImage adobe = withColorSpace(pattern(kSize), QColorSpace(QColorSpace::AdobeRgb));
        QTest::newRow("adobe rgb jpeg") << jpeg(adobe) << QByteArray("image/jpeg") << QStringLiteral("not sRGB");
        QTest::newRow("adobe rgb png") << png(adobe) << QByteArray("image/png") << QStringLiteral("not sRGB");
        const QImage linear = withColorSpace(pattern(kSize), QColorSpace(QColorSpace::SRgbLinear));
        QTest::newRow("linear srgb jpeg") << jpeg(linear) << QByteArray("image/jpeg") << QStringLiteral("not sRGB");
        // An embedded profile that cannot be read is refused, not ignored.
        QByteArray broken = jpeg(withColorSpace(pattern(kSize), QColorSpace(QColorSpace::SRgb)));
        const qsizetype icc = broken.indexOf(QByteArray("ICC_PROFILE\0", 12));
        QVERIFY(icc > 0);
        const qsizetype acsp = broken.indexOf("acsp", icc);
        QVERIFY(acsp > 0);
        broken[acsp] = 'x';
        QTest::newRow("unreadable icc") << broken << QByteArray("image/jpeg") << QStringLiteral("unreadable");
    }

    void notSrgb()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, contentType);
        QFETCH(QString, reason);
        if (qstrcmp(QTest::currentDataTag(), "display p3 png") == 0
            || qstrcmp(QTest::currentDataTag(), "adobe rgb png") == 0)
            QVERIFY(bytes.contains("iCCP")); // the profile really is in the file
        // Whatever its size, the colour check comes first: the expected size is the file's own.
        const auto result = check(bytes, contentType, headerSize(bytes));
        QCOMPARE(codeOf(result), QStringLiteral("not_srgb"));
        QVERIFY(!result.error().userMessage.isEmpty());
        QVERIFY2(result.error().detail.contains(reason), qPrintable(result.error().detail));
    }

    void wrongPixelSize()
    {
        const auto result = check(jpeg(), "image/jpeg", QSize(121, 80));
        QCOMPARE(codeOf(result), QStringLiteral("wrong_pixel_size"));
        QVERIFY2(
            result.error().userMessage.contains(QStringLiteral("120 × 80")), qPrintable(result.error().userMessage));
        QVERIFY(result.error().userMessage.contains(QStringLiteral("121 × 80")));
        QCOMPARE(codeOf(check(png(), "image/png", QSize(80, 120))), QStringLiteral("wrong_pixel_size"));
    }

    void corrupt_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QString>("reason");
        const QByteArray j = jpeg();
        QTest::newRow("jpeg cut in the scan")
            << j.left(j.size() * 6 / 10) << QByteArray("image/jpeg") << QStringLiteral("end marker");
        QTest::newRow("jpeg without end marker")
            << j.left(j.size() - 2) << QByteArray("image/jpeg") << QStringLiteral("end marker");
        QTest::newRow("jpeg cut in the header")
            << j.left(20) << QByteArray("image/jpeg") << QStringLiteral("before its first scan");
        QTest::newRow("jpeg signature only")
            << j.left(3) << QByteArray("image/jpeg") << QStringLiteral("before its first scan");
        const QByteArray p = png();
        QTest::newRow("png without IEND")
            << p.left(p.size() - 12) << QByteArray("image/png") << QStringLiteral("no IEND");
        QTest::newRow("png cut in IDAT") << p.left(p.indexOf("IDAT") + 30) << QByteArray("image/png")
                                         << QStringLiteral("no IEND");
        QTest::newRow("png cut in IHDR") << p.left(20) << QByteArray("image/png") << QStringLiteral("IHDR");
        QTest::newRow("png signature only") << p.left(8) << QByteArray("image/png") << QStringLiteral("IHDR");
        QByteArray flipped = p;
        const qsizetype idat = flipped.indexOf("IDAT");
        flipped[idat + 4 + 10] = char(flipped[idat + 4 + 10] ^ 0x55);
        QTest::newRow("png with a damaged IDAT")
            << flipped << QByteArray("image/png") << QStringLiteral("decoding failed");
        QByteArray zero = p;
        zero[16] = zero[17] = zero[18] = zero[19] = 0; // width 0
        QTest::newRow("png width 0") << zero << QByteArray("image/png") << QStringLiteral("claims 0 ×");
    }

    void corrupt()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, contentType);
        QFETCH(QString, reason);
        const auto result = check(bytes, contentType);
        QCOMPARE(codeOf(result), QStringLiteral("corrupt_image"));
        QVERIFY(!result.error().userMessage.isEmpty());
        QVERIFY2(result.error().detail.contains(reason), qPrintable(result.error().detail));
    }

    // Headers that claim a huge image are refused before anything is decoded.
    void decompressionBomb()
    {
        QByteArray j = jpeg();
        const qsizetype sof = jpegSegment(j, 0xC0);
        j[sof + 1] = char(0x75); // height 30000 = 0x7530
        j[sof + 2] = char(0x30);
        auto result = check(j, "image/jpeg", QSize(120, 30000));
        QCOMPARE(codeOf(result), QStringLiteral("wrong_pixel_size"));
        QVERIFY(result.error().detail.contains(QStringLiteral("not decoded")));

        QByteArray p = png();
        p[16] = 0x00; // width 100000 = 0x000186A0
        p[17] = 0x01;
        p[18] = char(0x86);
        p[19] = char(0xA0);
        result = check(p, "image/png", QSize(100000, 80));
        QCOMPARE(codeOf(result), QStringLiteral("wrong_pixel_size"));
        QVERIFY(result.error().detail.contains(QStringLiteral("not decoded")));
    }

    void orderOfChecks()
    {
        const QByteArray cmyk = fixture(QStringLiteral("cmyk-noprofile.jpg"));
        // Too large wins over everything.
        QCOMPARE(codeOf(check(cmyk, "image/gif", QSize(1, 1), 10)), QStringLiteral("upload_too_large"));
        // Media type before colour.
        QCOMPARE(codeOf(check(cmyk, "image/png", QSize(1, 1))), QStringLiteral("unsupported_media_type"));
        // Colour before pixel size.
        QCOMPARE(codeOf(check(cmyk, "image/jpeg", QSize(1, 1))), QStringLiteral("not_srgb"));
        // Pixel size before a complete decode.
        const QByteArray j = jpeg();
        QCOMPARE(codeOf(check(j.left(j.size() - 2), "image/jpeg", QSize(1, 1))), QStringLiteral("wrong_pixel_size"));
    }

    void concurrent()
    {
        struct Case {
            QByteArray bytes;
            QByteArray type;
            QString code;
        };
        const QByteArray j = jpeg(pattern(QSize(120, 80)));
        const QByteArray p = png(pattern(QSize(120, 80)));
        const QList<Case> base {
            { j, "image/jpeg", QStringLiteral("ok") },
            { p, "image/png", QStringLiteral("ok") },
            { jpeg(withColorSpace(pattern(kSize), QColorSpace(QColorSpace::DisplayP3))), "image/jpeg",
                QStringLiteral("not_srgb") },
            { png(withColorSpace(pattern(kSize), QColorSpace(QColorSpace::DisplayP3))), "image/png",
                QStringLiteral("not_srgb") },
            { j.left(j.size() - 2), "image/jpeg", QStringLiteral("corrupt_image") },
            { p, "image/jpeg", QStringLiteral("unsupported_media_type") },
        };
        QList<Case> cases;
        for (int i = 0; i < 40; ++i)
            cases.append(base[i % base.size()]);
        const QList<QString> codes = QtConcurrent::blockingMapped(
            cases, [](const Case &c) { return codeOf(UploadValidator::validate(c.bytes, c.type, kSize, kMax)); });
        for (int i = 0; i < cases.size(); ++i)
            QCOMPARE(codes[i], cases[i].code);
    }
};

QTEST_GUILESS_MAIN(TestUploadValidator)
#include "tst_uploadvalidator.moc"
