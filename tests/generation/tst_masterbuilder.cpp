#include "core/generation/masterbuilder.h"
#include "core/imaging/imagedecoder.h"

#include <QColorSpace>
#include <QSet>
#include <QTest>

using namespace CalStudio;

namespace {

QByteArray png(const QImage &image)
{
    return *ImageDecoder::encodeImage(image, true);
}

/// Black left half, white right half: a hard edge that only a real resampler softens.
QImage hardEdge(int side)
{
    QImage image(side, side, QImage::Format_RGB888);
    for (int y = 0; y < side; ++y) {
        for (int x = 0; x < side; ++x)
            image.setPixel(x, y, x < side / 2 ? qRgb(0, 0, 0) : qRgb(255, 255, 255));
    }
    return image;
}

} // namespace

class TestMasterBuilder : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void smallOutputIsUpscaledTo4096()
    {
        auto master = MasterBuilder::build(png(hardEdge(64)));
        QVERIFY2(master.ok(), master.ok() ? "" : qPrintable(master.error().detail));
        QCOMPARE(master->size, QSize(4096, 4096));
        QCOMPARE(master->nativeSize, QSize(64, 64));
        QVERIFY(master->png.startsWith("\x89PNG"));
        const QImage image = QImage::fromData(master->png, "PNG");
        QCOMPARE(image.size(), QSize(4096, 4096));
        QCOMPARE(image.colorSpace(), QColorSpace(QColorSpace::SRgb));

        // Nearest-neighbour would give two grey levels along a row; Lanczos
        // gives a ramp (with a little ringing) across the edge.
        QSet<int> levels;
        const QImage gray = image.convertToFormat(QImage::Format_Grayscale8);
        const uchar *row = gray.constScanLine(2048);
        for (int x = 1900; x < 2200; ++x)
            levels.insert(row[x]);
        QVERIFY2(levels.size() > 20, qPrintable(QString::number(levels.size())));
        // …and the halves keep their colour away from the edge.
        QVERIFY(row[200] < 10);
        QVERIFY(row[3900] > 245);
    }

    void nonSquareIsCentreCropped()
    {
        // Red | green | blue in 50 | 100 | 50 columns: the centre square is all green.
        QImage image(200, 100, QImage::Format_RGB888);
        for (int y = 0; y < 100; ++y) {
            for (int x = 0; x < 200; ++x)
                image.setPixel(x, y, x < 50 ? qRgb(255, 0, 0) : x < 150 ? qRgb(0, 200, 0) : qRgb(0, 0, 255));
        }
        auto master = MasterBuilder::build(png(image), 256);
        QVERIFY(master.ok());
        QCOMPARE(master->nativeSize, QSize(200, 100));
        const QImage out = QImage::fromData(master->png, "PNG");
        QCOMPARE(out.size(), QSize(256, 256));
        for (const QPoint p : { QPoint(2, 2), QPoint(253, 128), QPoint(128, 253) }) {
            const QRgb c = out.pixel(p);
            QVERIFY2(qGreen(c) > 180 && qRed(c) < 20 && qBlue(c) < 20, qPrintable(QString::number(c, 16)));
        }
    }

    void largerOutputIsScaledDown()
    {
        auto master = MasterBuilder::build(png(hardEdge(600)), 256);
        QVERIFY(master.ok());
        QCOMPARE(master->size, QSize(256, 256));
        QCOMPARE(master->nativeSize, QSize(600, 600));
    }

    void garbageIsAnError()
    {
        auto master = MasterBuilder::build(QByteArrayLiteral("this is not a picture at all, honestly"));
        QVERIFY(!master.ok());
        QCOMPARE(master.error().code, QStringLiteral("not_an_image"));
        QCOMPARE(MasterBuilder::build(png(hardEdge(64)), 3).error().code, QStringLiteral("bad_size"));
    }

    void deterministic()
    {
        QCOMPARE(MasterBuilder::build(png(hardEdge(64)), 512)->png, MasterBuilder::build(png(hardEdge(64)), 512)->png);
    }
};

QTEST_GUILESS_MAIN(TestMasterBuilder)
#include "tst_masterbuilder.moc"
