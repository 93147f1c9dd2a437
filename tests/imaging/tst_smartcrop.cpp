#include "core/commerce/printformat.h"
#include "core/imaging/facedetector.h"
#include "core/imaging/imagedecoder.h"
#include "core/imaging/masterfaces.h"
#include "core/imaging/smartcrop.h"
#include "facefixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPainter>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <numeric>

using namespace CalStudio;

namespace {

CropFace face(double x, double y, double w, double h)
{
    CropFace f;
    f.box = QRectF(x, y, w, h);
    return f;
}

double uniform(QRandomGenerator &random, double low, double high)
{
    return low + random.bounded(high - low);
}

CropTarget aspect(const char *text)
{
    return *CropTarget::forAspect(QString::fromLatin1(text));
}

CropTarget position(const char *formatId, int page = 1)
{
    return *CropTarget::forPosition(*PrintFormat::find(QString::fromLatin1(formatId)), page);
}

QString rectText(const QRectF &r)
{
    return QStringLiteral("(%1, %2, %3 × %4)").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

/// The face box inside the crop's face area, written out independently of SmartCrop::faceFits().
bool insideFaceArea(const QRect &crop, const QRectF &box, const CropTarget &target)
{
    constexpr double tol = 1e-6;
    const QRectF area(crop.x() + target.faceArea.x() * crop.width(), crop.y() + target.faceArea.y() * crop.height(),
        target.faceArea.width() * crop.width(), target.faceArea.height() * crop.height());
    return box.left() >= area.left() - tol && box.top() >= area.top() - tol && box.right() <= area.right() + tol
        && box.bottom() <= area.bottom() + tol;
}

/**
 * The rounding rule of SmartCrop, checked from the reduced aspect: the side
 * that is short in the target is whole, the long side is round(short × L/S)
 * with halves up.
 */
bool aspectExact(const QRect &crop, QSize target)
{
    const int g = std::gcd(target.width(), target.height());
    const qint64 a = target.width() / g, b = target.height() / g;
    const qint64 shortTerm = std::min(a, b), longTerm = std::max(a, b);
    const qint64 s = a >= b ? crop.height() : crop.width();
    const qint64 l = a >= b ? crop.width() : crop.height();
    return s >= 1 && l == (2 * s * longTerm + shortTerm) / (2 * shortTerm);
}

/// A face kept by SmartCrop, mapped onto the print file: inside the safe rect and out of the binding zone.
bool clearOfPrintZones(const QRect &crop, const QRectF &box, const PrintFormat &format, int page)
{
    const QSize out = format.position(page)->pixels;
    const double sx = double(out.width()) / crop.width(), sy = double(out.height()) / crop.height();
    const QRectF onPage((box.x() - crop.x()) * sx, (box.y() - crop.y()) * sy, box.width() * sx, box.height() * sy);
    const QRectF safe = format.safeRect(page);
    // One output pixel of slack: the crop's long side is rounded to whole pixels.
    const double slack = 1.0;
    const bool inSafe = onPage.left() >= safe.left() - slack && onPage.top() >= safe.top() - slack
        && onPage.right() <= safe.right() + slack && onPage.bottom() <= safe.bottom() + slack;
    const QRectF binding = format.bindingRect(page).adjusted(0, 0, -slack, -slack);
    return inSafe && !onPage.intersects(binding);
}

QRectF keepBox(const QRectF &box, double level, QSize image)
{
    const double side = level * SmartCrop::HeadroomSides * box.width();
    return QRectF(QPointF(box.left() - side, box.top() - level * SmartCrop::HeadroomAbove * box.height()),
        QPointF(box.right() + side, box.bottom() + level * SmartCrop::HeadroomBelow * box.height()))
        .intersected(QRectF(QPointF(0, 0), QSizeF(image)));
}

/// Every crop of the target's aspect with short side in [sMin, sMax], largest first: calls `visit` until it returns
/// true.
template<typename Visit>
bool anyCrop(QSize image, const CropTarget &target, int sMin, int sMax, Visit visit)
{
    for (int s = sMax; s >= sMin; --s) {
        const QSize size = SmartCrop::cropSize(target.outputPixels, s);
        for (int y = 0; y + size.height() <= image.height(); ++y) {
            for (int x = 0; x + size.width() <= image.width(); ++x) {
                if (visit(QRect(QPoint(x, y), size)))
                    return true;
            }
        }
    }
    return false;
}

/// The largest short side a crop of the aspect can have in `image`, by trying every one.
int bruteMaxShortSide(QSize image, QSize aspect)
{
    int best = 0;
    for (int s = 1; s <= std::max(image.width(), image.height()); ++s) {
        const QSize size = SmartCrop::cropSize(aspect, s);
        if (size.width() <= image.width() && size.height() <= image.height())
            best = s;
    }
    return best;
}

int shortSideOf(const QRect &crop, QSize aspect)
{
    return aspect.width() >= aspect.height() ? crop.height() : crop.width();
}

/// The checks every plan must pass, whatever the input.
void checkInvariants(const CropRequest &request, const CropResult &result)
{
    const QRect &crop = result.crop;
    QVERIFY2(QRect(QPoint(0, 0), request.imageSize).contains(crop), qPrintable(rectText(crop)));
    QVERIFY2(aspectExact(crop, request.target.outputPixels),
        qPrintable(rectText(crop)
            + QStringLiteral(" for %1:%2")
                  .arg(request.target.outputPixels.width())
                  .arg(request.target.outputPixels.height())));
    const QSize largest = SmartCrop::largestCropSize(request.imageSize, request.target.outputPixels);
    QVERIFY(shortSideOf(crop, request.target.outputPixels) >= std::ceil(
                SmartCrop::MinCropScale * shortSideOf(QRect(QPoint(), largest), request.target.outputPixels) - 1e-9));
    QVERIFY(std::is_sorted(result.cutFaces.begin(), result.cutFaces.end()));
    QVERIFY(std::adjacent_find(result.cutFaces.begin(), result.cutFaces.end()) == result.cutFaces.end());
    for (int i = 0; i < request.faces.size(); ++i) {
        const QRectF box = request.faces.at(i).box.intersected(QRectF(QPointF(0, 0), QSizeF(request.imageSize)));
        const bool cut = result.cutFaces.contains(i);
        if (box.isEmpty()) {
            QVERIFY(!cut);
            continue;
        }
        // Reported as fitting ⇔ inside the face area.
        QVERIFY2(cut != insideFaceArea(crop, box, request.target),
            qPrintable(
                QStringLiteral("face %1 %2, crop %3, cut %4").arg(i).arg(rectText(box), rectText(crop)).arg(cut)));
    }
    // Deterministic: the same request gives the same answer.
    const auto again = SmartCrop::plan(request);
    QVERIFY(again);
    QCOMPARE(*again, result);
}

QImage saliencyCanvas(QSize size, QRect blob)
{
    QImage image(size, QImage::Format_RGB888);
    image.fill(QColor(120, 120, 120));
    QPainter p(&image);
    p.fillRect(blob, QColor(230, 40, 30));
    p.fillRect(blob.adjusted(blob.width() / 4, blob.height() / 4, -blob.width() / 4, -blob.height() / 4),
        QColor(250, 220, 60));
    return image;
}

} // namespace

class TestSmartCrop : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void targets()
    {
        const CropTarget landscape = position("wall-landscape", 1);
        QCOMPARE(landscape.outputPixels, QSize(3375, 2625));
        QCOMPARE(landscape.faceArea, QRectF(112.5 / 3375, 187.5 / 2625, 3150.0 / 3375, 2325.0 / 2625));
        QCOMPARE(landscape.bindingZone, QRectF(0, 0, 1, 187.5 / 2625));
        QCOMPARE(position("square", 0).outputPixels, QSize(3675, 3675));
        QCOMPARE(position("wall-portrait", 12).outputPixels, QSize(2625, 3375));

        PrintFormat noCover = *PrintFormat::find(QStringLiteral("square"));
        noCover.positions.removeFirst();
        QCOMPARE(CropTarget::forPosition(noCover, 0).error().code, QStringLiteral("no_position"));
        PrintFormat broken = noCover;
        broken.trimInches = QSizeF();
        QCOMPARE(CropTarget::forPosition(broken, 1).error().code, QStringLiteral("invalid_format"));

        const CropTarget plain = aspect("3:2");
        QCOMPARE(plain.outputPixels, QSize(3, 2));
        QCOMPARE(plain.faceArea, QRectF(0, 0, 1, 1));
        QVERIFY(plain.bindingZone.isEmpty());
        QCOMPARE(aspect(" 16x9 ").outputPixels, QSize(16, 9));
        for (const char *bad : { "", "3", "3:", ":2", "0:2", "3:0", "a:b", "3:2:1", "-3:2", "1000001:1", "1.5:1" }) {
            const auto t = CropTarget::forAspect(QString::fromLatin1(bad));
            QVERIFY2(!t, bad);
            QCOMPARE(t.error().code, QStringLiteral("bad_aspect"));
        }
    }

    void cropFaceFromDetectedFace()
    {
        Face detected;
        detected.box = QRectF(10, 20, 30, 40);
        detected.score = 0.93f;
        QCOMPARE(CropFace::fromFace(detected).leftEye, std::nullopt); // Haar fallback: no landmarks
        detected.landmarks = { QPointF(32, 30), QPointF(18, 31), QPointF(25, 40), QPointF(20, 50), QPointF(30, 50) };
        const CropFace f = CropFace::fromFace(detected);
        QCOMPARE(f.box, detected.box);
        QCOMPARE(f.score, 0.93f);
        QCOMPARE(*f.leftEye, QPointF(18, 31));
        QCOMPARE(*f.rightEye, QPointF(32, 30));
    }

    void cropSizeRounding()
    {
        QCOMPARE(SmartCrop::cropSize(QSize(3, 2), 2666), QSize(3999, 2666));
        QCOMPARE(SmartCrop::cropSize(QSize(3, 2), 3), QSize(5, 3)); // 4.5 rounds up
        QCOMPARE(SmartCrop::cropSize(QSize(2, 3), 341), QSize(341, 512)); // 511.5 rounds up
        QCOMPARE(SmartCrop::cropSize(QSize(3375, 2625), 3186), QSize(4096, 3186)); // 9:7
        QCOMPARE(SmartCrop::cropSize(QSize(5, 5), 17), QSize(17, 17));
        QCOMPARE(SmartCrop::largestCropSize(QSize(4000, 3000), QSize(3, 2)), QSize(3999, 2666));
        QCOMPARE(SmartCrop::largestCropSize(QSize(512, 512), QSize(2, 3)), QSize(341, 512));
        QCOMPARE(SmartCrop::largestCropSize(QSize(4096, 4096), QSize(3375, 2625)), QSize(4096, 3186));
        QCOMPARE(SmartCrop::largestCropSize(QSize(1, 100), QSize(3, 1)), QSize());
    }

    void plan_data()
    {
        QTest::addColumn<QSize>("image");
        QTest::addColumn<QList<CropFace>>("faces");
        QTest::addColumn<QRectF>("saliency"); // null: none
        QTest::addColumn<CropTarget>("target");
        QTest::addColumn<QRect>("expected"); // null: only the invariants and the cut list are checked
        QTest::addColumn<QList<int>>("cut");

        const QSize photo(4000, 3000);
        const CropFace centred = face(1800, 1100, 400, 500);

        // Landscape 3:2 in 4000 × 3000: the largest crop is 3999 × 2666; the
        // eyes (1300) would go to 2666 / 3 = 889 below the top, but the crop
        // can only move down 334 px.
        QTest::newRow("single face centred, landscape") << photo << QList<CropFace> { centred } << QRectF()
                                                        << aspect("3:2") << QRect(1, 334, 3999, 2666) << QList<int> {};
        QTest::newRow("single face centred, portrait") << photo << QList<CropFace> { centred } << QRectF()
                                                       << aspect("2:3") << QRect(1000, 0, 2000, 3000) << QList<int> {};
        QTest::newRow("single face centred, square") << photo << QList<CropFace> { centred } << QRectF()
                                                     << aspect("1:1") << QRect(500, 0, 3000, 3000) << QList<int> {};
        // Rule of thirds with room to move: a tall picture, a landscape page; eyes on the upper third line.
        QTest::newRow("thirds: eyes on the upper third")
            << QSize(3000, 6000) << QList<CropFace> { face(1300, 3000, 400, 500) } << QRectF() << aspect("3:2")
            << QRect(0, 2533, 3000, 2000) << QList<int> {};
        // The face is in the left third of the picture: it stays on the crop's left third line.
        QTest::newRow("thirds: face on the left third")
            << QSize(6000, 3000) << QList<CropFace> { face(1300, 1000, 400, 500) } << QRectF() << aspect("2:3")
            << QRect(833, 0, 2000, 3000) << QList<int> {};
        QTest::newRow("face at the left edge") << photo << QList<CropFace> { face(0, 1000, 400, 500) } << QRectF()
                                               << aspect("2:3") << QRect(0, 0, 2000, 3000) << QList<int> {};
        QTest::newRow("face at the bottom-right corner")
            << photo << QList<CropFace> { face(3650, 2600, 350, 400) } << QRectF() << aspect("1:1")
            << QRect(1000, 0, 3000, 3000) << QList<int> {};
        // Too far apart for one portrait crop: equal faces, so the first (tie) wins.
        QTest::newRow("two faces far apart")
            << photo << QList<CropFace> { face(200, 1000, 400, 500), face(3400, 1000, 400, 500) } << QRectF()
            << aspect("2:3") << QRect(0, 0, 2000, 3000) << QList<int> { 1 };
        QTest::newRow("two faces far apart, the larger wins")
            << photo << QList<CropFace> { face(200, 1000, 300, 380), face(3400, 1000, 400, 500) } << QRectF()
            << aspect("2:3") << QRect(2000, 0, 2000, 3000) << QList<int> { 0 };
        QTest::newRow("two faces far apart, the central one wins")
            << photo << QList<CropFace> { face(50, 50, 420, 520), face(2300, 1200, 400, 500) } << QRectF()
            << aspect("2:3") << QRect() << QList<int> { 0 };
        QTest::newRow("two faces that fit together")
            << photo << QList<CropFace> { face(900, 1000, 400, 500), face(2700, 1100, 380, 480) } << QRectF()
            << aspect("3:2") << QRect() << QList<int> {};
        // A 4096² master on a landscape wall page (9:7, crop 4096 × 3186 at
        // most). The close-up's eyes would go to y = 1062 in the crop, which
        // puts its headroom into the hanger zone (the top 187.5 / 2625 of the
        // page); the crop moves up until the headroom clears it.
        QTest::newRow("face kept out of the binding zone")
            << QSize(4096, 6000) << QList<CropFace> { face(1348, 2000, 1400, 1400) } << QRectF()
            << position("wall-landscape") << QRect(0, 1072, 4096, 3186) << QList<int> {};
        // A face at the very top of the picture cannot leave the hanger zone: reported cut.
        QTest::newRow("face in the binding zone")
            << QSize(4096, 4096) << QList<CropFace> { face(1848, 40, 400, 500) } << QRectF()
            << position("wall-landscape") << QRect(0, 0, 4096, 3186) << QList<int> { 0 };
        QTest::newRow("portrait page, centred face")
            << QSize(4096, 4096) << QList<CropFace> { face(1848, 1500, 400, 500) } << QRectF()
            << position("wall-portrait") << QRect(455, 0, 3186, 4096) << QList<int> {};
        QTest::newRow("square page") << QSize(4096, 4096) << QList<CropFace> { face(1848, 1500, 400, 500) } << QRectF()
                                     << position("square") << QRect(0, 0, 4096, 4096) << QList<int> {};
        QTest::newRow("tiny face") << photo << QList<CropFace> { face(3000, 500, 20, 25) } << QRectF() << aspect("1:1")
                                   << QRect(1000, 0, 3000, 3000) << QList<int> {};
        QTest::newRow("face larger than any crop")
            << QSize(1000, 1000) << QList<CropFace> { face(50, 0, 900, 1000) } << QRectF() << position("wall-landscape")
            << QRect() << QList<int> { 0 };
        QTest::newRow("no face, saliency right") << photo << QList<CropFace> {} << QRectF(2800, 1000, 400, 400)
                                                 << aspect("1:1") << QRect(1000, 0, 3000, 3000) << QList<int> {};
        QTest::newRow("no face, saliency left, portrait") << photo << QList<CropFace> {} << QRectF(600, 1000, 400, 400)
                                                          << aspect("2:3") << QRect(0, 0, 2000, 3000) << QList<int> {};
        QTest::newRow("no face, no saliency")
            << photo << QList<CropFace> {} << QRectF() << aspect("1:1") << QRect(500, 0, 3000, 3000) << QList<int> {};
        QTest::newRow("empty face boxes are ignored")
            << photo << QList<CropFace> { face(5000, 5000, 100, 100), face(100, 100, 0, 0) } << QRectF()
            << aspect("1:1") << QRect(500, 0, 3000, 3000) << QList<int> {};
        // Landmarks put the eye line where it is, not where the box suggests.
        CropFace withEyes = face(1300, 3000, 400, 500);
        withEyes.leftEye = QPointF(1380, 3300);
        withEyes.rightEye = QPointF(1620, 3300);
        QTest::newRow("eye line from landmarks") << QSize(3000, 6000) << QList<CropFace> { withEyes } << QRectF()
                                                 << aspect("3:2") << QRect(0, 2633, 3000, 2000) << QList<int> {};
    }
    void plan()
    {
        QFETCH(QSize, image);
        QFETCH(QList<CropFace>, faces);
        QFETCH(QRectF, saliency);
        QFETCH(CropTarget, target);
        QFETCH(QRect, expected);
        QFETCH(QList<int>, cut);
        CropRequest request { image, faces, std::nullopt, target };
        if (!saliency.isNull())
            request.saliency = saliency;
        const auto result = SmartCrop::plan(request);
        QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
        if (!expected.isNull())
            QCOMPARE(result->crop, expected);
        QCOMPARE(result->cutFaces, cut);
        checkInvariants(request, *result);
    }

    void headroomShrinksBeforeAFaceIsCut()
    {
        // 512² with the astronaut's face (as detected) on a landscape wall page:
        // full headroom above would reach into the hanger zone, half fits.
        const CropRequest request { QSize(512, 512), { face(178.5, 58.4, 93.7, 117.2) }, std::nullopt,
            position("wall-landscape") };
        const auto result = SmartCrop::plan(request);
        QVERIFY(result);
        QCOMPARE(result->headroom, 0.5);
        QVERIFY(result->cutFaces.isEmpty());
        QCOMPARE(result->crop.size(), QSize(512, 398)); // still the largest crop
        checkInvariants(request, *result);
    }

    void badRequests()
    {
        CropRequest request { QSize(0, 100), {}, std::nullopt, aspect("1:1") };
        QCOMPARE(SmartCrop::plan(request).error().code, QStringLiteral("bad_image_size"));
        request.imageSize = QSize(1, 100);
        request.target = aspect("3:1");
        QCOMPARE(SmartCrop::plan(request).error().code, QStringLiteral("bad_image_size"));
        request.imageSize = QSize(100, 100);
        request.target.faceArea = QRectF(0.5, 0.5, 0.8, 0.8);
        QCOMPARE(SmartCrop::plan(request).error().code, QStringLiteral("bad_target"));
        request.target = CropTarget {};
        QCOMPARE(SmartCrop::plan(request).error().code, QStringLiteral("bad_target"));
    }

    // Many random requests: every reported-fitting face is whole in the crop
    // and, on print formats, clear of the safe margin and binding zone once
    // mapped onto the print file; the crop is inside the image with the exact
    // aspect; the same request always gives the same crop.
    void randomRequestsKeepTheRules()
    {
        QRandomGenerator random(20261126);
        const QList<PrintFormat> &formats = PrintFormat::builtIn();
        for (int round = 0; round < 3000; ++round) {
            CropRequest request;
            request.imageSize = QSize(random.bounded(40, 5000), random.bounded(40, 5000));
            const int kind = random.bounded(4);
            const PrintFormat *format = nullptr;
            int page = 0;
            if (kind < 3) {
                format = &formats.at(kind);
                page = random.bounded(13);
                request.target = *CropTarget::forPosition(*format, page);
            } else {
                request.target.outputPixels = QSize(random.bounded(1, 20), random.bounded(1, 20));
            }
            const int minEdge = std::min(request.imageSize.width(), request.imageSize.height());
            const int faceCount = random.bounded(7);
            for (int i = 0; i < faceCount; ++i) {
                const double h = uniform(random, 0.01, 0.5) * minEdge;
                const double w = h * uniform(random, 0.6, 1.0);
                CropFace f = face(random.bounded(request.imageSize.width() - w),
                    random.bounded(request.imageSize.height() - h), w, h);
                if (random.bounded(2)) {
                    f.leftEye = QPointF(f.box.left() + 0.3 * w, f.box.top() + uniform(random, 0.2, 0.6) * h);
                    f.rightEye = QPointF(f.box.left() + 0.7 * w, f.leftEye->y());
                }
                request.faces.append(f);
            }
            if (random.bounded(2))
                request.saliency = QRectF(random.bounded(request.imageSize.width() / 2),
                    random.bounded(request.imageSize.height() / 2), request.imageSize.width() / 2.0,
                    request.imageSize.height() / 2.0);

            const auto result = SmartCrop::plan(request);
            QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
            checkInvariants(request, *result);
            if (QTest::currentTestFailed()) {
                qWarning() << "round" << round << request.imageSize << request.target.outputPixels << result->crop;
                return;
            }
            if (format) {
                for (int i = 0; i < request.faces.size(); ++i) {
                    if (!result->cutFaces.contains(i))
                        QVERIFY2(clearOfPrintZones(result->crop, request.faces.at(i).box, *format, page),
                            qPrintable(QStringLiteral("round %1 face %2").arg(round).arg(i)));
                }
            }
            // Never smaller than needed: without faces the crop is the largest the image allows.
            if (request.faces.isEmpty())
                QCOMPARE(
                    result->crop.size(), SmartCrop::largestCropSize(request.imageSize, request.target.outputPixels));
        }
    }

    // On small images every crop can be tried: when some crop keeps all faces
    // whole, none is reported cut; the crop is the largest that keeps them
    // with the headroom used; and no crop would have given more headroom.
    void bruteForceOnSmallImages()
    {
        QRandomGenerator random(42);
        const QList<QSize> aspects { QSize(1, 1), QSize(3, 2), QSize(2, 3), QSize(9, 7), QSize(7, 9), QSize(4, 1) };
        int feasibleCount = 0;
        for (int round = 0; round < 400; ++round) {
            CropRequest request;
            request.imageSize = QSize(random.bounded(6, 33), random.bounded(6, 33));
            request.target.outputPixels = aspects.at(random.bounded(int(aspects.size())));
            if (random.bounded(2)) {
                // A print-like face area: margins on every side, a deeper one at the top.
                const double m = uniform(random, 0.0, 0.1), top = m + uniform(random, 0.0, 0.15);
                request.target.faceArea = QRectF(m, top, 1 - 2 * m, 1 - m - top);
            }
            const int faceCount = random.bounded(1, 4);
            for (int i = 0; i < faceCount; ++i) {
                const double w = uniform(random, 1.0, 8.0), h = uniform(random, 1.0, 8.0);
                request.faces.append(face(random.bounded(std::max(0.0, request.imageSize.width() - w)),
                    random.bounded(std::max(0.0, request.imageSize.height() - h)), w, h));
            }
            const auto planned = SmartCrop::plan(request);
            if (!planned) {
                QCOMPARE(planned.error().code, QStringLiteral("bad_image_size"));
                QCOMPARE(bruteMaxShortSide(request.imageSize, request.target.outputPixels), 0);
                continue;
            }
            const CropResult &result = *planned;
            checkInvariants(request, result);

            const int sMax = bruteMaxShortSide(request.imageSize, request.target.outputPixels);
            QCOMPARE(SmartCrop::largestCropSize(request.imageSize, request.target.outputPixels),
                SmartCrop::cropSize(request.target.outputPixels, sMax));
            const int sMin = std::max(1, int(std::ceil(SmartCrop::MinCropScale * sMax - 1e-9)));
            const auto allFitWith = [&](double level) {
                return [&, level](const QRect &crop) {
                    for (const CropFace &f : std::as_const(request.faces)) {
                        if (!insideFaceArea(crop, keepBox(f.box, level, request.imageSize), request.target))
                            return false;
                    }
                    return true;
                };
            };
            const bool feasible = anyCrop(request.imageSize, request.target, sMin, sMax, allFitWith(0));
            const QString where = QStringLiteral("round %1, image %2×%3, crop %4")
                                      .arg(round)
                                      .arg(request.imageSize.width())
                                      .arg(request.imageSize.height())
                                      .arg(rectText(result.crop));
            QVERIFY2(result.cutFaces.isEmpty() == feasible, qPrintable(where));
            if (!feasible)
                continue;
            ++feasibleCount;
            // No crop gives more headroom than the one used...
            for (double level : { 1.0, 0.5 }) {
                if (level > result.headroom)
                    QVERIFY2(
                        !anyCrop(request.imageSize, request.target, sMin, sMax, allFitWith(level)), qPrintable(where));
            }
            // ...and with that headroom no larger crop keeps every face.
            const int s = shortSideOf(result.crop, request.target.outputPixels);
            QVERIFY2(allFitWith(result.headroom)(result.crop), qPrintable(where));
            if (s < sMax)
                QVERIFY2(!anyCrop(request.imageSize, request.target, s + 1, sMax, allFitWith(result.headroom)),
                    qPrintable(where));
            if (QTest::currentTestFailed())
                return;
        }
        QVERIFY(feasibleCount > 100); // the search really was exercised
    }

    void saliencyFindsTheInterestingSide()
    {
        const QImage right = saliencyCanvas(QSize(2400, 1200), QRect(1800, 300, 400, 400));
        const auto found = SmartCrop::saliency(right);
        QVERIFY2(found, qPrintable(found ? QString() : found.error().toString()));
        QCOMPARE(found->size(), QSizeF(1200, 600)); // in the image's pixels, though analysed at 1024 px
        QVERIFY(QRectF(QPointF(0, 0), QSizeF(right.size())).contains(*found));
        QVERIFY2(found->center().x() > 1500, qPrintable(rectText(*found)));

        const QImage left = saliencyCanvas(QSize(900, 900), QRect(50, 500, 200, 200));
        const auto leftFound = SmartCrop::saliency(left);
        QVERIFY(leftFound);
        QVERIFY2(leftFound->center().x() < 450 && leftFound->center().y() > 450, qPrintable(rectText(*leftFound)));

        // Deterministic, and the crop follows it.
        QCOMPARE(*SmartCrop::saliency(right), *found);
        const auto crop = SmartCrop::plan({ right.size(), {}, *found, aspect("1:1") });
        QVERIFY(crop);
        QCOMPARE(crop->crop, QRect(1200, 0, 1200, 1200));

        QCOMPARE(SmartCrop::saliency(QImage()).error().code, QStringLiteral("empty"));
    }

    // Faces on a master: detected on a ≤1024 px copy, stored in the master's
    // pixels, restored from JSON, and the crop keeps the face.
    void masterFacesDetectStoreAndCrop()
    {
        QTemporaryDir modelCache;
        FaceDetectorOptions options;
        options.modelCacheDir = modelCache.path();
        auto detector = FaceDetector::create(options);
        QVERIFY(detector);
        // The astronaut twice as large on a 2400 × 1600 canvas, like a master bigger than the detector sees.
        const FaceFixtures::Composite c = FaceFixtures::composite(QSize(2400, 1600), 2.0, QPointF(1200, 300));
        const auto png = ImageDecoder::encodeImage(c.image, true);
        QVERIFY(png);
        const auto faces = MasterFaces::detect(*png, *detector);
        QVERIFY2(faces, qPrintable(faces ? QString() : faces.error().toString()));
        QCOMPARE(faces->imageSize, QSize(2400, 1600));
        QCOMPARE(faces->faces.size(), 1);
        QVERIFY2(
            FaceFixtures::iou(faces->faces.first().box, c.face) > 0.5, qPrintable(rectText(faces->faces.first().box)));
        // Landmarks are scaled too: the eyes lie inside the box.
        const CropFace cropFace = faces->cropFaces().first();
        QVERIFY(cropFace.leftEye && cropFace.rightEye);
        QVERIFY(faces->faces.first().box.contains(*cropFace.leftEye));

        const QJsonObject json = QJsonDocument::fromJson(QJsonDocument(faces->toJson()).toJson()).object();
        const auto restored = MasterFaces::fromJson(json);
        QVERIFY(restored);
        QCOMPARE(restored->imageSize, faces->imageSize);
        QCOMPARE(restored->faces.size(), 1);
        QVERIFY(std::abs(restored->faces.first().box.x() - faces->faces.first().box.x()) < 1e-9);
        QCOMPARE(MasterFaces::fromJson(QJsonObject {}).error().code, QStringLiteral("bad_faces"));
        QCOMPARE(MasterFaces::fromJson(
                     QJsonObject { { QStringLiteral("width"), 10 }, { QStringLiteral("height"), 10 },
                         { QStringLiteral("faces"), QJsonArray { QJsonObject { { QStringLiteral("x"), 1 } } } } })
                     .error()
                     .code,
            QStringLiteral("bad_faces"));

        for (const PrintFormat &format : PrintFormat::builtIn()) {
            const auto plan = SmartCrop::plan(
                { faces->imageSize, restored->cropFaces(), std::nullopt, *CropTarget::forPosition(format, 1) });
            QVERIFY(plan);
            QVERIFY2(plan->cutFaces.isEmpty(), qPrintable(format.id));
            QVERIFY(plan->crop.contains(c.face.toAlignedRect().adjusted(2, 2, -2, -2)));
        }
        QCOMPARE(
            MasterFaces::detect(QByteArray("not a picture"), *detector).error().code, QStringLiteral("not_an_image"));
    }
};

QTEST_GUILESS_MAIN(TestSmartCrop)
#include "tst_smartcrop.moc"
