// The studio's own print files pass the server's checks: ImageDecoder::encodeImage() (libvips, with libvips' sRGB
// profile embedded) → UploadValidator. Guards against the two sides disagreeing on what "sRGB" looks like.
#include "core/companion/uploadvalidator.h"
#include "core/imaging/imagedecoder.h"

#include <QColorSpace>
#include <QImage>
#include <QTest>

using namespace CalStudio;

namespace {

QImage pattern(QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    for (int y = 0; y < size.height(); ++y) {
        for (int x = 0; x < size.width(); ++x)
            image.setPixel(x, y, qRgb((x * 255) / size.width(), (y * 255) / size.height(), (x ^ y) & 0xFF));
    }
    image.setColorSpace(QColorSpace::SRgb);
    return image;
}

} // namespace

class TestStudioPrintFiles : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void studioFilesAreAccepted_data()
    {
        QTest::addColumn<bool>("png");
        QTest::newRow("jpeg") << false;
        QTest::newRow("png") << true;
    }

    void studioFilesAreAccepted()
    {
        QFETCH(bool, png);
        const QSize size(300, 200);
        const auto bytes = ImageDecoder::encodeImage(pattern(size), png);
        QVERIFY(bytes.ok());
        // The profile is really there, so the validator's ICC check ran.
        QVERIFY(png ? bytes->contains("iCCP") : bytes->contains(QByteArray("ICC_PROFILE\0", 12)));
        const auto result = UploadValidator::validate(*bytes, png ? "image/png" : "image/jpeg", size, 50'000'000);
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().toString()));
        QCOMPARE(result->size, size);
        QCOMPARE(result->extension, png ? QStringLiteral("png") : QStringLiteral("jpg"));
    }
};

QTEST_GUILESS_MAIN(TestStudioPrintFiles)
#include "tst_studioprintfiles.moc"
