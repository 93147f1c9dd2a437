#include "core/generation/masterbuilder.h"
#include "core/imaging/imagedecoder.h"
#include "core/project/projectstore.h"

#include <QBuffer>
#include <QColorSpace>
#include <QImageReader>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTransform>

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

/// The error code of a result, or "ok" (never throws when the call unexpectedly succeeded).
template<typename T>
QString errorCode(const Result<T> &result)
{
    return result ? QStringLiteral("ok") : result.error().code;
}

const QRgb Face = qRgb(230, 20, 20);
const QRgb Sky = qRgb(20, 40, 230);
const QRgb Ground = qRgb(128, 128, 128);

bool isFace(QRgb c)
{
    return qRed(c) > 180 && qGreen(c) < 80 && qBlue(c) < 80;
}

/// An upright portrait photo: blue sky above `skyline`, grey below, and a red "face".
QImage portrait(QSize size, const QRect &face, int skyline)
{
    QImage image(size, QImage::Format_RGB888);
    image.fill(Ground);
    for (int y = 0; y < skyline; ++y) {
        for (int x = 0; x < size.width(); ++x)
            image.setPixel(x, y, Sky);
    }
    for (int y = face.top(); y <= face.bottom(); ++y) {
        for (int x = face.left(); x <= face.right(); ++x)
            image.setPixel(x, y, Face);
    }
    return image;
}

/// A JPEG whose pixels are stored sideways with EXIF orientation 6 ("rotate 90° clockwise to view").
QByteArray sidewaysJpeg(const QImage &upright)
{
    // Stored = upright turned a quarter anticlockwise, so a viewer turning it clockwise sees `upright`.
    const QImage stored = upright.transformed(QTransform().rotate(-90));
    const QByteArray jpeg = *ImageDecoder::encodeImage(stored, false, 95);
    // A minimal little-endian TIFF block: IFD0 with one entry, Orientation (0x0112, SHORT) = 6.
    const QByteArray tiff = QByteArrayLiteral("II*\x00\x08\x00\x00\x00"
                                              "\x01\x00"
                                              "\x12\x01\x03\x00\x01\x00\x00\x00\x06\x00\x00\x00"
                                              "\x00\x00\x00\x00");
    const QByteArray payload = QByteArrayLiteral("Exif\x00\x00") + tiff;
    const int length = int(payload.size()) + 2;
    QByteArray app1("\xFF\xE1", 2);
    app1.append(char(length >> 8)).append(char(length & 0xFF)).append(payload);
    return jpeg.left(2) + app1 + jpeg.mid(2);
}

/// The bounding box of the face's pixels in `image`, and how many there are.
QRect faceBox(const QImage &image, int *count = nullptr)
{
    QRect box;
    int n = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            if (isFace(image.pixel(x, y))) {
                box |= QRect(x, y, 1, 1);
                ++n;
            }
        }
    }
    if (count)
        *count = n;
    return box;
}

ProjectSettings settings()
{
    ProjectSettings s = ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(QStringLiteral("en_US")));
    s.title = QStringLiteral("Masters");
    return s;
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

    // Where the square goes: as large as the short edge, the face inside, its
    // centre in the middle across and a third of the way down where the photo allows.
    void photoSquare_data()
    {
        QTest::addColumn<QSize>("image");
        QTest::addColumn<QRect>("face");
        QTest::addColumn<QRect>("square");
        QTest::newRow("no face: centre") << QSize(400, 800) << QRect() << QRect(0, 200, 400, 400);
        QTest::newRow("no face, landscape") << QSize(900, 300) << QRect() << QRect(300, 0, 300, 300);
        QTest::newRow("room above: face a third down")
            << QSize(400, 1200) << QRect(150, 500, 100, 100) << QRect(0, 417, 400, 400);
        QTest::newRow("face low: square at the bottom")
            << QSize(400, 800) << QRect(150, 560, 100, 100) << QRect(0, 400, 400, 400);
        QTest::newRow("face high: square at the top")
            << QSize(400, 800) << QRect(150, 20, 100, 100) << QRect(0, 0, 400, 400);
        QTest::newRow("big face close to the top: stays whole")
            << QSize(400, 800) << QRect(0, 150, 400, 380) << QRect(0, 150, 400, 400);
        QTest::newRow("landscape: face centred across")
            << QSize(800, 400) << QRect(500, 100, 100, 100) << QRect(350, 0, 400, 400);
        QTest::newRow("landscape: face at the edge")
            << QSize(800, 400) << QRect(20, 100, 100, 100) << QRect(0, 0, 400, 400);
        QTest::newRow("square photo") << QSize(500, 500) << QRect(10, 10, 50, 50) << QRect(0, 0, 500, 500);
        QTest::newRow("face partly outside: clipped")
            << QSize(400, 800) << QRect(150, 750, 100, 100) << QRect(0, 400, 400, 400);
        QTest::newRow("face outside: centre")
            << QSize(400, 800) << QRect(900, 900, 50, 50) << QRect(0, 200, 400, 400);
    }
    void photoSquare()
    {
        QFETCH(QSize, image);
        QFETCH(QRect, face);
        QFETCH(QRect, square);
        const QRect got = MasterBuilder::photoSquare(image, face);
        QCOMPARE(got, square);
        QVERIFY(QRect(QPoint(0, 0), image).contains(got));
        const QRect visible = face.intersected(QRect(QPoint(0, 0), image));
        if (!visible.isEmpty())
            QVERIFY(got.contains(visible));
    }

    void photoKeepsTheWholeFace()
    {
        // The face is low in a tall photo: a centre crop would cut it off.
        const QRect face(150, 560, 100, 100);
        const QImage upright = portrait(QSize(400, 800), face, 300);
        auto master = MasterBuilder::buildFromPhoto(*ImageDecoder::encodeImage(upright, false, 95), face, 256);
        QVERIFY2(master.ok(), master.ok() ? "" : qPrintable(master.error().toString()));
        QCOMPARE(master->size, QSize(256, 256));
        QCOMPARE(master->nativeSize, QSize(400, 400));
        QVERIFY(master->png.startsWith("\x89PNG"));
        const QImage out = QImage::fromData(master->png, "PNG");
        QCOMPARE(out.size(), QSize(256, 256));
        QCOMPARE(out.colorSpace(), QColorSpace(QColorSpace::SRgb));
        int count = 0;
        const QRect box = faceBox(out, &count);
        // Square (0, 400)–(400, 800) scaled by 0.64: the face at (96, 102)–(160, 166), all of it.
        QVERIFY2(qAbs(box.left() - 96) <= 2 && qAbs(box.top() - 102) <= 2 && qAbs(box.right() - 159) <= 2
                     && qAbs(box.bottom() - 165) <= 2,
                 qPrintable(QStringLiteral("face at %1,%2 %3x%4").arg(box.x()).arg(box.y()).arg(box.width()).arg(
                     box.height())));
        QVERIFY2(count > 64 * 64 * 9 / 10, qPrintable(QString::number(count)));
        // The sky (above y = 300) is not in the square.
        QVERIFY(qBlue(out.pixel(128, 3)) < 180);
    }

    void photoPutsTheFaceAThirdDown()
    {
        const QRect face(150, 500, 100, 100);
        const QImage upright = portrait(QSize(400, 1200), face, 100);
        auto master = MasterBuilder::buildFromPhoto(*ImageDecoder::encodeImage(upright, false, 95), face, 300);
        QVERIFY(master.ok());
        QCOMPARE(master->nativeSize, QSize(400, 400));
        const QRect box = faceBox(QImage::fromData(master->png, "PNG"));
        const QPointF centre = QRectF(box).center();
        QVERIFY2(qAbs(centre.x() - 150) < 3 && qAbs(centre.y() - 100) < 3,
                 qPrintable(QStringLiteral("face centre %1,%2").arg(centre.x()).arg(centre.y())));
    }

    void photoHonoursExifOrientation()
    {
        const QRect face(150, 560, 100, 100); // in the upright photo, as the face detector reports it
        const QImage upright = portrait(QSize(400, 800), face, 300);
        const QByteArray sideways = sidewaysJpeg(upright);
        // The fixture really is sideways on disk and upright when viewed.
        const auto probe = ImageDecoder::probe(sideways, ImageLimits{0x7fffffff, 120'000'000, 16, 16});
        QVERIFY(probe.ok());
        QCOMPARE(probe->orientation, 6);
        QCOMPARE(QSize(probe->width, probe->height), QSize(400, 800));
        QBuffer buffer;
        buffer.setData(sideways);
        QImageReader reader(&buffer, "jpeg");
        reader.setAutoTransform(false);
        const QImage stored = reader.read();
        QCOMPARE(stored.size(), QSize(800, 400));
        QVERIFY(isFace(stored.pixel(610, 200))); // the face, turned a quarter anticlockwise

        auto master = MasterBuilder::buildFromPhoto(sideways, face, 256);
        QVERIFY2(master.ok(), master.ok() ? "" : qPrintable(master.error().toString()));
        QCOMPARE(master->nativeSize, QSize(400, 400));
        int count = 0;
        const QRect box = faceBox(QImage::fromData(master->png, "PNG"), &count);
        QVERIFY2(qAbs(box.left() - 96) <= 2 && qAbs(box.top() - 102) <= 2,
                 qPrintable(QStringLiteral("face at %1,%2").arg(box.x()).arg(box.y())));
        QVERIFY2(count > 64 * 64 * 9 / 10, qPrintable(QString::number(count)));
    }

    void photoWithoutFaceIsCentred()
    {
        const QImage upright = portrait(QSize(300, 900), QRect(100, 430, 100, 40), 0);
        auto master = MasterBuilder::buildFromPhoto(*ImageDecoder::encodeImage(upright, true), QRect(), 150);
        QVERIFY(master.ok());
        QCOMPARE(master->size, QSize(150, 150));
        QCOMPARE(master->nativeSize, QSize(300, 300));
        const QRect box = faceBox(QImage::fromData(master->png, "PNG"));
        QVERIFY2(qAbs(QRectF(box).center().y() - 75) < 2, qPrintable(QString::number(QRectF(box).center().y())));
        // Upscaling is allowed (a small photo makes a soft master, and nativeSize says so).
        auto big = MasterBuilder::buildFromPhoto(*ImageDecoder::encodeImage(upright, true), QRect(), 1024);
        QVERIFY(big.ok());
        QCOMPARE(big->size, QSize(1024, 1024));
        QCOMPARE(big->nativeSize, QSize(300, 300));
        QCOMPARE(QImage::fromData(big->png, "PNG").size(), QSize(1024, 1024));
    }

    void photoErrors()
    {
        QCOMPARE(errorCode(MasterBuilder::buildFromPhoto(QByteArrayLiteral("not a photo at all, sorry"), QRect())),
                 QStringLiteral("not_an_image"));
        QCOMPARE(errorCode(MasterBuilder::buildFromPhoto(png(hardEdge(128)), QRect(), 8)), QStringLiteral("bad_size"));
    }

    // addMaster stores a candidate's master without choosing it and reuses it the next time.
    void addMasterReusesAndDoesNotChoose()
    {
        QTemporaryDir dir;
        auto store = ProjectStore::create(dir.filePath(QStringLiteral("m.calstudio")), settings());
        QVERIFY(store.ok());
        CandidateRecord candidate;
        candidate.month = 9;
        candidate.provider = QStringLiteral("offline");
        candidate.status = QStringLiteral("done");
        candidate.width = candidate.height = 64;
        QVERIFY((*store)->addCandidate(candidate, png(hardEdge(64))).ok());

        auto id = MasterBuilder::addMaster(**store, candidate, 128);
        QVERIFY2(id.ok(), id.ok() ? "" : qPrintable(id.error().toString()));
        QCOMPARE((*store)->loadMonths()->at(9).masterId, qint64(0));
        const MasterInfo info = *(*store)->masterInfo(*id);
        QCOMPARE(info.month, 9);
        QCOMPARE(info.candidateId, candidate.id);
        QCOMPARE(info.width, 128);
        QCOMPARE(info.nativeWidth, 64);
        QCOMPARE(*MasterBuilder::addMaster(**store, candidate, 128), *id);
        // Another size is another master.
        auto other = MasterBuilder::addMaster(**store, candidate, 96);
        QVERIFY(other.ok());
        QVERIFY(*other != *id);
        QCOMPARE((*store)->masterInfo(*other)->width, 96);

        CandidateRecord failed = candidate;
        failed.blobId = 0;
        QCOMPARE(errorCode(MasterBuilder::addMaster(**store, failed)), QStringLiteral("no_image"));
    }
};

QTEST_GUILESS_MAIN(TestMasterBuilder)
#include "tst_masterbuilder.moc"
