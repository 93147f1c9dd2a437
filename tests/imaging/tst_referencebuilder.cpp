#include "core/imaging/facedetector.h"
#include "core/imaging/referencebuilder.h"
#include "core/imaging/selfieanalyzer.h"
#include "facefixtures.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace CalStudio;
using namespace FaceFixtures;

namespace {

QImage decoded(const ReferenceImage &ref)
{
    return QImage::fromData(ref.jpeg, "JPEG");
}

SelfieAnalysis withMetrics(double sharpness, double brightness, double size, std::optional<double> yaw)
{
    SelfieAnalysis a;
    a.imageSize = QSize(3000, 4000);
    Face face;
    face.box = QRectF(1000, 1000, 800, 1000);
    a.faces = { face };
    a.mainFace = 0;
    a.metrics = { sharpness, brightness, size, yaw };
    a.checks = { { QStringLiteral("no_face"), true, {} } };
    return a;
}

} // namespace

class TestReferenceBuilder : public QObject {
    Q_OBJECT

private:
    std::optional<FaceDetector> m_detector;
    QTemporaryDir m_modelCache;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        FaceDetectorOptions options;
        options.modelCacheDir = m_modelCache.path();
        auto detector = FaceDetector::create(options);
        QVERIFY(detector.ok());
        m_detector.emplace(std::move(*detector));
    }

    void cropRect_data()
    {
        QTest::addColumn<QSize>("image");
        QTest::addColumn<QRectF>("face");
        QTest::addColumn<QRect>("expected");

        QTest::newRow("centred") << QSize(4000, 3000) << QRectF(1900, 1400, 200, 200) << QRect(1780, 1280, 440, 440);
        QTest::newRow("tall face uses its height")
            << QSize(4000, 3000) << QRectF(1900, 1400, 100, 200) << QRect(1730, 1280, 440, 440);
        QTest::newRow("at the left edge shifts right")
            << QSize(4000, 3000) << QRectF(0, 1400, 200, 200) << QRect(0, 1280, 440, 440);
        QTest::newRow("at the bottom-right corner")
            << QSize(4000, 3000) << QRectF(3850, 2900, 150, 100) << QRect(3670, 2670, 330, 330);
        QTest::newRow("larger than the image")
            << QSize(1000, 600) << QRectF(300, 100, 400, 400) << QRect(200, 0, 600, 600);
        QTest::newRow("empty image") << QSize() << QRectF(0, 0, 10, 10) << QRect();
    }

    void cropRect()
    {
        QFETCH(QSize, image);
        QFETCH(QRectF, face);
        QFETCH(QRect, expected);
        const QRect r = ReferenceBuilder::cropRect(image, face);
        QCOMPARE(r, expected);
        if (!image.isEmpty())
            QVERIFY(QRect(QPoint(0, 0), image).contains(r));
    }

    void faceCropIsSquareAndCentred()
    {
        const Composite c = composite(QSize(4000, 3000), 5.0, QPointF(900, 200)); // face 469 × 586 px
        const QList<Face> faces = m_detector->detect(c.image);
        QCOMPARE(faces.size(), 1);
        const ReferenceBuilder builder;
        const auto ref = builder.faceCrop(c.image, faces.first().box);
        QVERIFY(ref.ok());
        QCOMPARE(ref->kind, ReferenceImage::Kind::FaceCrop);
        QCOMPARE(ref->size, QSize(1024, 1024));
        QVERIFY(ref->cachePath.isEmpty());
        QVERIFY(ref->jpeg.startsWith("\xFF\xD8"));
        const QImage image = decoded(*ref);
        QCOMPARE(image.size(), QSize(1024, 1024));

        // The face is in the middle of the crop and fills about 1 / 2.2 of it.
        const QList<Face> inCrop = m_detector->detect(image);
        QCOMPARE(inCrop.size(), 1);
        const QPointF offset = inCrop.first().box.center() - QPointF(512, 512);
        QVERIFY2(offset.manhattanLength() < 40, qPrintable(QStringLiteral("%1,%2").arg(offset.x()).arg(offset.y())));
        QVERIFY(std::abs(inCrop.first().box.height() / 1024 - 1 / 2.2) < 0.08);
    }

    void fullImageIsDownscaled_data()
    {
        QTest::addColumn<QSize>("canvas");
        QTest::addColumn<QSize>("expected");
        QTest::newRow("landscape") << QSize(4000, 3000) << QSize(1536, 1152);
        QTest::newRow("portrait") << QSize(3000, 4000) << QSize(1152, 1536);
        QTest::newRow("small stays") << QSize(1200, 900) << QSize(1200, 900);
    }

    void fullImageIsDownscaled()
    {
        QFETCH(QSize, canvas);
        QFETCH(QSize, expected);
        const Composite c = composite(canvas, 2.0, QPointF(100, 100));
        const auto ref = ReferenceBuilder().fullImage(c.image);
        QVERIFY(ref.ok());
        QCOMPARE(ref->kind, ReferenceImage::Kind::FullImage);
        QCOMPARE(ref->size, expected);
        QCOMPARE(decoded(*ref).size(), expected);
    }

    void smallSelfieCropIsNotEnlarged()
    {
        const auto ref = ReferenceBuilder().faceCrop(astronaut(), astronautFace());
        QVERIFY(ref.ok());
        QCOMPARE(ref->size, QSize(258, 258)); // 2.2 × 117 px
    }

    void transparentImagesGoOnWhite()
    {
        QImage image(600, 400, QImage::Format_ARGB32);
        image.fill(Qt::transparent);
        const auto ref = ReferenceBuilder().fullImage(image);
        QVERIFY(ref.ok());
        QCOMPARE(decoded(*ref).pixelColor(300, 200).lightness(), 255);
    }

    void cachedByContentKindAndSize()
    {
        QTemporaryDir dir;
        const QString cacheDir = dir.filePath(QStringLiteral("references"));
        const ReferenceBuilder builder(cacheDir);
        const Composite c = composite(QSize(3000, 2000), 4.0, QPointF(200, 0));
        const QString hash = QStringLiteral("3b1f00aa");

        const auto first = builder.faceCrop(c.image, c.face, hash);
        QVERIFY(first.ok());
        QVERIFY(!first->fromCache);
        QVERIFY(QFile::exists(first->cachePath));
        QVERIFY(first->cachePath.startsWith(cacheDir));

        const auto second = builder.faceCrop(c.image, c.face, hash);
        QVERIFY(second.ok());
        QVERIFY(second->fromCache);
        QCOMPARE(second->jpeg, first->jpeg);
        QCOMPARE(second->size, first->size);

        // Kind, size, the face and the content each make a different entry.
        const auto full = builder.fullImage(c.image, hash);
        const auto smaller = builder.faceCrop(c.image, c.face, hash, 512);
        const auto otherFace = builder.faceCrop(c.image, c.face.translated(300, 0), hash);
        const auto otherPhoto = builder.faceCrop(c.image, c.face, QStringLiteral("77ee"));
        for (const auto *r : { &full, &smaller, &otherFace, &otherPhoto }) {
            QVERIFY(r->ok());
            QVERIFY(!(*r)->fromCache);
        }
        QCOMPARE(smaller->size, QSize(512, 512));
        QCOMPARE(QDir(cacheDir).entryList(QDir::Files).size(), 5);

        // The cache is trusted only when it decodes to the expected size.
        QFile damaged(first->cachePath);
        QVERIFY(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
        damaged.write("garbage");
        damaged.close();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("Not a JPEG file")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("damaged cached reference")));
        const auto rebuilt = builder.faceCrop(c.image, c.face, hash);
        QVERIFY(rebuilt.ok());
        QVERIFY(!rebuilt->fromCache);
        QCOMPARE(rebuilt->size, QSize(1024, 1024));
        QVERIFY(builder.faceCrop(c.image, c.face, hash)->fromCache);
    }

    void hashKeysCannotEscapeTheCache()
    {
        QTemporaryDir dir;
        const ReferenceBuilder builder(dir.path());
        const auto ref = builder.fullImage(astronaut(), QStringLiteral("../../etc/evil"));
        QVERIFY(ref.ok());
        QCOMPARE(QFileInfo(ref->cachePath).absolutePath(), QDir(dir.path()).absolutePath());
        // Without a hash the pixels name the entry: the same image finds it again.
        QVERIFY(!builder.fullImage(astronaut())->fromCache);
        QVERIFY(builder.fullImage(astronaut().copy())->fromCache);
    }

    void unwritableCacheStillGivesTheReference()
    {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("Cannot cache a reference")));
        const ReferenceBuilder builder(QStringLiteral("/proc/calstudio-no-such-dir"));
        const auto ref = builder.fullImage(astronaut(), QStringLiteral("abc"));
        QVERIFY(ref.ok());
        QVERIFY(ref->cachePath.isEmpty());
        QCOMPARE(ref->size, QSize(512, 512));
    }

    void nullImage()
    {
        const auto ref = ReferenceBuilder().faceCrop(QImage(), QRectF(0, 0, 10, 10));
        QVERIFY(!ref.ok());
        QCOMPARE(ref.error().code, QStringLiteral("no_image"));
    }

    void pickBestPrefersSharp()
    {
        const SelfieAnalyzer analyzer;
        const Composite c = composite(QSize(1400, 1400), 2.5, QPointF(40, 60));
        const auto analyze = [&](const QImage &image) { return analyzer.analyze(image, m_detector->detect(image)); };
        // Blur in fractions of the face height: 0.4% is slightly soft but usable, 1.5% is blurry.
        const SelfieAnalysis soft = analyze(gaussianBlur(c.image, 0.004 * c.face.height()));
        const SelfieAnalysis blurry = analyze(gaussianBlur(c.image, 0.015 * c.face.height()));
        const SelfieAnalysis sharp = analyze(c.image);
        QVERIFY(sharp.usable());
        QVERIFY2(soft.usable(), qPrintable(QString::number(soft.metrics.sharpness)));
        QVERIFY(!blurry.usable());
        QVERIFY(ReferenceBuilder::qualityScore(sharp) > ReferenceBuilder::qualityScore(soft));
        QCOMPARE(ReferenceBuilder::qualityScore(blurry), 0.0);

        const QList<SelfieAnalysis> selfies { blurry, soft, sharp };
        QCOMPARE(ReferenceBuilder::pickBest(selfies, 1), QList<int> { 2 });
        QCOMPARE(ReferenceBuilder::pickBest(selfies, 3), (QList<int> { 2, 1 })); // never the blurry one
        QCOMPARE(ReferenceBuilder::pickBest(selfies, 0), QList<int>());
        QCOMPARE(ReferenceBuilder::pickBest({}, 3), QList<int>());
    }

    void pickBestPrefersVariety()
    {
        // Three near-identical good selfies and one a little worse but in other light and turned.
        const QList<SelfieAnalysis> selfies {
            withMetrics(200, 130, 0.35, 0.0),
            withMetrics(198, 131, 0.35, 0.01),
            withMetrics(197, 129, 0.34, -0.01),
            withMetrics(150, 95, 0.30, 0.25),
        };
        QCOMPARE(ReferenceBuilder::pickBest(selfies, 2), (QList<int> { 0, 3 }));
        // Ranked by quality alone when variety cannot be told apart.
        QCOMPARE(ReferenceBuilder::pickBest(selfies.mid(0, 3), 3), (QList<int> { 0, 1, 2 }));
    }
};

QTEST_GUILESS_MAIN(TestReferenceBuilder)
#include "tst_referencebuilder.moc"
