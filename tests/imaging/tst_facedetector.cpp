#include "core/imaging/facedetector.h"
#include "facefixtures.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace CalStudio;
using namespace FaceFixtures;

class TestFaceDetector : public QObject {
    Q_OBJECT

private:
    std::optional<FaceDetector> m_detector;
    QTemporaryDir m_cache;

    static bool landmarksInside(const Face &face)
    {
        return std::all_of(
            face.landmarks.begin(), face.landmarks.end(), [&](const QPointF &p) { return face.box.contains(p); });
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_cache.isValid());
        QVERIFY2(!astronaut().isNull(), "tests/data/faces/astronaut.png is missing");
        FaceDetectorOptions options;
        options.modelCacheDir = m_cache.path();
        auto detector = FaceDetector::create(options);
        QVERIFY2(detector.ok(), qPrintable(detector.ok() ? QString() : detector.error().toString()));
        QVERIFY(!detector->usingFallback());
        m_detector.emplace(std::move(*detector));
    }

    void embeddedModelIsWrittenOnceByHash()
    {
        // From faces.cmake's resource and data/models/README.md.
        const QString expectedHash = QStringLiteral("50ef07f702a31741ca46a4c0d947773b64143b9362780237bf0d427d6c79bab7");
        const QStringList files = QDir(m_cache.path()).entryList({ QStringLiteral("*.onnx") }, QDir::Files);
        QCOMPARE(files.size(), 1);
        QVERIFY(files.first().contains(expectedHash.left(16)));
        const QString path = QDir(m_cache.path()).filePath(files.first());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromLatin1(QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex()),
            expectedHash);
        file.close();

        // A damaged copy (say, truncated by a crash) is noticed and rewritten.
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("not a model");
        file.close();
        FaceDetectorOptions options;
        options.modelCacheDir = m_cache.path();
        auto again = FaceDetector::create(options);
        QVERIFY(again.ok());
        QVERIFY(!again->usingFallback());
        QCOMPARE(QFileInfo(path).size(), 345478);
        QCOMPARE(again->detect(astronaut()).size(), 1);
    }

    void defaultCacheLocation()
    {
        // With no directory given the model goes to the (test-mode) cache location.
        auto detector = FaceDetector::create();
        QVERIFY(detector.ok());
        QVERIFY(!detector->usingFallback());
        const QDir models(QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/models"));
        QCOMPARE(models.entryList({ QStringLiteral("*.onnx") }, QDir::Files).size(), 1);
    }

    void findsTheFace_data()
    {
        QTest::addColumn<QSize>("canvas");
        QTest::addColumn<double>("scale");
        QTest::addColumn<QPointF>("at");

        QTest::newRow("original 512") << QSize(512, 512) << 1.0 << QPointF(0, 0);
        QTest::newRow("small, off-centre") << QSize(1600, 1200) << 1.0 << QPointF(1000, 600);
        QTest::newRow("half size") << QSize(900, 700) << 0.6 << QPointF(40, 300);
        QTest::newRow("double, portrait") << QSize(1200, 1800) << 2.0 << QPointF(100, 700);
        QTest::newRow("4000 wide") << QSize(4000, 3000) << 3.0 << QPointF(2100, 1300);
        QTest::newRow("4000 wide, face fills it") << QSize(4000, 3000) << 8.0 << QPointF(-1000, 0);
        QTest::newRow("6000 x 4000") << QSize(6000, 4000) << 5.0 << QPointF(300, 1200);
    }

    void findsTheFace()
    {
        QFETCH(QSize, canvas);
        QFETCH(double, scale);
        QFETCH(QPointF, at);
        const Composite c = composite(canvas, scale, at);
        QElapsedTimer timer;
        timer.start();
        const QList<Face> faces = m_detector->detect(c.image);
        qInfo("%s: %lld ms", QTest::currentDataTag(), timer.elapsed());
        QCOMPARE(faces.size(), 1);
        const Face &face = faces.first();
        QVERIFY2(iou(face.box, c.face) >= 0.5,
            qPrintable(QStringLiteral("IoU %1, got %2,%3 %4×%5")
                           .arg(iou(face.box, c.face))
                           .arg(face.box.x())
                           .arg(face.box.y())
                           .arg(face.box.width())
                           .arg(face.box.height())));
        QVERIFY(face.score >= 0.9f && face.score <= 1.0f);
        QVERIFY(landmarksInside(face));
        // Eyes above the nose, nose above the mouth corners; right eye (image left) first.
        QVERIFY(face.landmarks[0].x() < face.landmarks[1].x());
        QVERIFY(face.landmarks[2].y() > face.landmarks[0].y());
        QVERIFY(face.landmarks[3].y() > face.landmarks[2].y());
    }

    void closeUps_data()
    {
        QTest::addColumn<double>("margin");
        QTest::addColumn<int>("size");
        // Square crops around her face, face height = size / margin: 200 to 1540 px.
        QTest::newRow("1.3x at 1024") << 1.3 << 1024;
        QTest::newRow("1.3x at 2000") << 1.3 << 2000;
        QTest::newRow("1.6x at 640") << 1.6 << 640;
        QTest::newRow("2.2x at 1024") << 2.2 << 1024;
        QTest::newRow("3x at 600") << 3.0 << 600;
    }

    void closeUps()
    {
        // YuNet alone returns a small, shifted box for a face over ~300 px in its input.
        QFETCH(double, margin);
        QFETCH(int, size);
        const QRect crop(QPoint(0, 0), QSize(512, 512));
        const QRectF face = astronautFace();
        const double side = std::min(512.0, std::max(face.width(), face.height()) * margin);
        const QRect square(
            int(face.center().x() - side / 2), int(std::max(0.0, face.center().y() - side / 2)), int(side), int(side));
        QVERIFY(crop.contains(square));
        const QImage image
            = astronaut().copy(square).scaled(size, size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        const double f = double(size) / square.width();
        const QRectF expected(
            (face.x() - square.x()) * f, (face.y() - square.y()) * f, face.width() * f, face.height() * f);
        const QList<Face> faces = m_detector->detect(image);
        QCOMPARE(faces.size(), 1);
        QVERIFY2(
            iou(faces.first().box, expected) >= 0.5, qPrintable(QString::number(iou(faces.first().box, expected))));
        QVERIFY(landmarksInside(faces.first()));
    }

    void clampsFacesAtTheEdge_data()
    {
        QTest::addColumn<QPointF>("at");
        QTest::addColumn<int>("edge"); // 0 left, 1 top, 2 right

        // The astronaut at 1.5× puts her face at x 268–408, y 88–263 of the photo;
        // each position puts about a quarter of the face off the canvas.
        QTest::newRow("left") << QPointF(-300, 200) << 0;
        QTest::newRow("top") << QPointF(100, -140) << 1;
        QTest::newRow("right") << QPointF(830, 200) << 2;
    }

    void clampsFacesAtTheEdge()
    {
        QFETCH(QPointF, at);
        QFETCH(int, edge);
        const QSize canvas(1200, 900);
        const Composite c = composite(canvas, 1.5, at);
        const QList<Face> faces = m_detector->detect(c.image);
        QVERIFY(!faces.isEmpty());
        const QRectF box = faces.first().box;
        QVERIFY(QRectF(0, 0, canvas.width(), canvas.height()).contains(box));
        QVERIFY2(iou(box, c.face) >= 0.5, qPrintable(QString::number(iou(box, c.face))));
        for (const QPointF &p : faces.first().landmarks)
            QVERIFY(QRectF(0, 0, canvas.width(), canvas.height()).contains(p));
        // The face runs off the canvas: its box reaches the edge and stops there. (YuNet
        // sometimes fits the visible part, sometimes predicts beyond the edge; then the
        // clamp makes it exactly 0 or the width.)
        switch (edge) {
        case 0:
            QVERIFY(box.left() < 1.0);
            break;
        case 1:
            QVERIFY(box.top() < 1.0);
            break;
        default:
            QVERIFY(box.right() > canvas.width() - 1.0);
            break;
        }
    }

    void severalFacesLargestFirst()
    {
        QImage canvas(1400, 800, QImage::Format_RGB888);
        canvas.fill(Qt::gray);
        const Composite big = composite(QSize(700, 800), 1.3, QPointF(0, 50));
        const Composite small = composite(QSize(700, 800), 0.9, QPointF(100, 150), true);
        QPainter painter(&canvas);
        painter.drawImage(700, 0, small.image);
        painter.drawImage(0, 0, big.image);
        painter.end();
        const QList<Face> faces = m_detector->detect(canvas);
        QCOMPARE(faces.size(), 2);
        QVERIFY(iou(faces[0].box, big.face) >= 0.5);
        QVERIFY(iou(faces[1].box, small.face.translated(700, 0)) >= 0.5);
        QVERIFY(faces[0].box.width() * faces[0].box.height() > faces[1].box.width() * faces[1].box.height());
    }

    void noFace_data()
    {
        QTest::addColumn<QImage>("image");
        QImage blank(1600, 1200, QImage::Format_RGB888);
        blank.fill(QColor(200, 190, 180));
        QTest::newRow("blank") << blank;
        // The astronaut with her head painted over: suit, flag and shuttle remain.
        QImage headless = astronaut();
        QPainter painter(&headless);
        painter.fillRect(QRectF(150, 20, 170, 200), Qt::darkGray);
        painter.end();
        QTest::newRow("headless") << headless;
        QTest::newRow("null") << QImage();
        QTest::newRow("1x1") << blank.copy(0, 0, 1, 1);
    }

    void noFace()
    {
        QFETCH(QImage, image);
        QVERIFY(m_detector->detect(image).isEmpty());
    }

    void anyPixelFormat()
    {
        const QImage argb = astronaut().convertToFormat(QImage::Format_ARGB32_Premultiplied);
        const QImage gray = astronaut().convertToFormat(QImage::Format_Grayscale8);
        QCOMPARE(m_detector->detect(argb), m_detector->detect(astronaut()));
        const QList<Face> grayFaces = m_detector->detect(gray);
        QCOMPARE(grayFaces.size(), 1);
        QVERIFY(iou(grayFaces.first().box, astronautFace()) >= 0.5);
    }

    void fallbackToHaarCascade()
    {
        FaceDetectorOptions options;
        options.modelPath = QStringLiteral("/nonexistent/yunet.onnx");
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("using the Haar cascade")));
        auto detector = FaceDetector::create(options);
        QVERIFY(detector.ok());
        QVERIFY(detector->usingFallback());
        for (const Composite &c : { composite(QSize(512, 512), 1.0, QPointF(0, 0)),
                 composite(QSize(4000, 3000), 3.0, QPointF(2100, 1300)) }) {
            const QList<Face> faces = detector->detect(c.image);
            QVERIFY(!faces.isEmpty());
            QVERIFY2(
                iou(faces.first().box, c.face) >= 0.5, qPrintable(QString::number(iou(faces.first().box, c.face))));
            QVERIFY(faces.first().score > 0 && faces.first().score <= 1);
            for (const QPointF &p : faces.first().landmarks)
                QCOMPARE(p, QPointF());
        }
    }

    void nothingToFallBackTo()
    {
        FaceDetectorOptions options;
        options.modelPath = QStringLiteral("/nonexistent/yunet.onnx");
        options.cascadePath = QStringLiteral("/nonexistent/cascade.xml");
        const auto detector = FaceDetector::create(options);
        QVERIFY(!detector.ok());
        QCOMPARE(detector.error().code, QStringLiteral("face_detection_unavailable"));
        QVERIFY(!detector.error().userMessage.isEmpty());
        QVERIFY(detector.error().detail.contains(QStringLiteral("cascade.xml")));
    }

    void garbageModelFallsBack()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.onnx"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(4096, '\x42'));
        file.close();
        FaceDetectorOptions options;
        options.modelPath = path;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("using the Haar cascade")));
        auto detector = FaceDetector::create(options);
        QVERIFY(detector.ok());
        QVERIFY(detector->usingFallback());
    }

    void concurrentCallsAreSerialised()
    {
        const Composite c = composite(QSize(1600, 1200), 1.5, QPointF(300, 200));
        const QList<Face> expected = m_detector->detect(c.image);
        QCOMPARE(expected.size(), 1);
        QList<Face> results[4];
        std::vector<std::thread> threads;
        for (auto &r : results)
            threads.emplace_back([&] { r = m_detector->detect(c.image); });
        for (auto &t : threads)
            t.join();
        for (const auto &r : results)
            QCOMPARE(r, expected);
    }

    void movable()
    {
        FaceDetectorOptions options;
        options.modelCacheDir = m_cache.path();
        auto created = FaceDetector::create(options);
        QVERIFY(created.ok());
        FaceDetector moved = std::move(*created);
        QCOMPARE(moved.detect(astronaut()).size(), 1);
        static_assert(!std::is_copy_constructible_v<FaceDetector>);
    }
};

QTEST_GUILESS_MAIN(TestFaceDetector)
#include "tst_facedetector.moc"
