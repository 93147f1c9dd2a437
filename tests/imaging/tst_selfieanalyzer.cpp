#include "core/imaging/facedetector.h"
#include "core/imaging/selfieanalyzer.h"
#include "facefixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace CalStudio;
using namespace FaceFixtures;

namespace {

QStringList failedIds(const SelfieAnalysis &a)
{
    QStringList ids;
    for (const SelfieCheck &c : a.problems())
        ids.append(c.id);
    return ids;
}

// A selfie with the given metrics, for the set-advice logic alone.
SelfieAnalysis synthetic(double brightness, std::optional<double> yaw, bool usable = true)
{
    SelfieAnalysis a;
    a.imageSize = QSize(3000, 4000);
    Face face;
    face.box = QRectF(1000, 1000, 800, 1000);
    face.score = 0.99f;
    a.faces = { face };
    a.mainFace = 0;
    a.metrics = { 300, brightness, 0.33, yaw };
    a.checks = { { QStringLiteral("no_face"), true, {} }, { QStringLiteral("blurry"), usable, {} } };
    return a;
}

} // namespace

class TestSelfieAnalyzer : public QObject {
    Q_OBJECT

private:
    std::optional<FaceDetector> m_detector;
    QTemporaryDir m_cache;
    SelfieAnalyzer m_analyzer;

    SelfieAnalysis analyze(const QImage &image, int chosen = -1)
    {
        return m_analyzer.analyze(image, m_detector->detect(image), chosen);
    }

    // A good selfie: face about a quarter of the short edge, photo over 1024 px.
    static Composite clean() { return composite(QSize(1400, 1400), 2.5, QPointF(40, 60)); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        FaceDetectorOptions options;
        options.modelCacheDir = m_cache.path();
        auto detector = FaceDetector::create(options);
        QVERIFY(detector.ok());
        m_detector.emplace(std::move(*detector));
    }

    void cleanSelfiePassesEverything()
    {
        const SelfieAnalysis a = analyze(clean().image);
        QCOMPARE(failedIds(a), QStringList());
        QVERIFY(a.usable());
        QCOMPARE(a.mainFace, 0);
        QCOMPARE(a.imageSize, QSize(1400, 1400));
        const QStringList ids { QStringLiteral("no_face"), QStringLiteral("several_faces"),
            QStringLiteral("face_too_small"), QStringLiteral("blurry"), QStringLiteral("too_dark"),
            QStringLiteral("too_bright"), QStringLiteral("low_resolution") };
        QStringList got;
        for (const SelfieCheck &c : a.checks) {
            got.append(c.id);
            QVERIFY(!c.message.isEmpty());
        }
        QCOMPARE(got, ids);
        QVERIFY(a.metrics.sharpness > m_analyzer.thresholds().minSharpness);
        QVERIFY(a.metrics.yaw.has_value());
        QVERIFY(std::abs(*a.metrics.yaw) < 0.1); // she faces the camera
    }

    void eachCheckFiresOnItsCase_data()
    {
        QTest::addColumn<QImage>("image");
        QTest::addColumn<QStringList>("expectedProblems");

        const Composite good = clean();
        QImage blank(1400, 1400, QImage::Format_RGB888);
        blank.fill(QColor(150, 140, 130));
        QTest::newRow("no face") << blank << QStringList { QStringLiteral("no_face") };

        QImage two(2800, 1400, QImage::Format_RGB888);
        {
            QPainter painter(&two);
            painter.drawImage(0, 0, good.image);
            painter.drawImage(1400, 0, composite(QSize(1400, 1400), 2.0, QPointF(300, 200), true).image);
        }
        QTest::newRow("several faces") << two << QStringList { QStringLiteral("several_faces") };

        // 117 px face over a 1500 px short edge: 7.8%.
        QTest::newRow("face too small") << composite(QSize(2000, 1500), 1.0, QPointF(700, 500)).image
                                        << QStringList { QStringLiteral("face_too_small") };
        // Sigma 1.5% of the face height (4.4 px on its 293 px face): visibly soft.
        QTest::newRow("blurry") << gaussianBlur(good.image, 0.015 * good.face.height())
                                << QStringList { QStringLiteral("blurry") };
        QTest::newRow("too dark") << exposed(good.image, 0.25) << QStringList { QStringLiteral("too_dark") };
        QTest::newRow("too bright") << exposed(good.image, 1.8) << QStringList { QStringLiteral("too_bright") };
        QTest::newRow("low resolution") << astronaut() << QStringList { QStringLiteral("low_resolution") };
        QImage night = blank;
        night.fill(QColor(10, 10, 12));
        QTest::newRow("no face, dark") << night
                                       << QStringList { QStringLiteral("no_face"), QStringLiteral("too_dark") };
    }

    void eachCheckFiresOnItsCase()
    {
        QFETCH(QImage, image);
        QFETCH(QStringList, expectedProblems);
        const SelfieAnalysis a = analyze(image);
        qInfo("%s: sharpness %.1f, brightness %.1f, size %.3f", QTest::currentDataTag(), a.metrics.sharpness,
            a.metrics.brightness, a.metrics.relativeSize);
        QCOMPARE(failedIds(a), expectedProblems);
        for (const SelfieCheck &c : a.problems())
            QVERIFY(c.message.size() > 20);
        const bool onlyWarnings = expectedProblems == QStringList { QStringLiteral("several_faces") }
            || expectedProblems == QStringList { QStringLiteral("low_resolution") };
        QCOMPARE(a.usable(), onlyWarnings);
    }

    void noFaceSkipsFaceChecks()
    {
        QImage blank(1400, 1400, QImage::Format_RGB888);
        blank.fill(Qt::gray);
        const SelfieAnalysis a = analyze(blank);
        QCOMPARE(a.mainFace, -1);
        QCOMPARE(a.face(), nullptr);
        QCOMPARE(a.check(QStringLiteral("blurry")), nullptr);
        QVERIFY(a.check(QStringLiteral("too_dark")));
        QVERIFY(!a.usable());
    }

    void userPicksTheMainFace()
    {
        QImage two(2800, 1400, QImage::Format_RGB888);
        QPainter painter(&two);
        painter.drawImage(0, 0, clean().image);
        painter.drawImage(1400, 0, composite(QSize(1400, 1400), 2.0, QPointF(300, 200), true).image);
        painter.end();
        const QList<Face> faces = m_detector->detect(two);
        QCOMPARE(faces.size(), 2);

        const SelfieAnalysis byDefault = m_analyzer.analyze(two, faces);
        QCOMPARE(byDefault.mainFace, 0); // the largest
        QVERIFY(!byDefault.mainFaceChosenByUser);
        QVERIFY(!byDefault.check(QStringLiteral("several_faces"))->ok);

        const SelfieAnalysis picked = m_analyzer.analyze(two, faces, 1);
        QCOMPARE(picked.mainFace, 1);
        QVERIFY(picked.mainFaceChosenByUser);
        QVERIFY(picked.check(QStringLiteral("several_faces"))->ok);
        QVERIFY(picked.face()->box.left() >= 1400);
        QVERIFY(picked.usable());
        // The metrics are those of the picked face: the mirrored astronaut at 2× is smaller.
        QVERIFY(picked.metrics.relativeSize < byDefault.metrics.relativeSize);

        // An index that is out of range falls back to the largest face.
        QCOMPARE(m_analyzer.analyze(two, faces, 7).mainFace, 0);
    }

    void sharpnessDoesNotDependOnResolution_data()
    {
        QTest::addColumn<double>("scale");
        QTest::newRow("1x") << 1.0;
        QTest::newRow("2x") << 2.0;
        QTest::newRow("4x") << 4.0;
        QTest::newRow("8x") << 8.0;
    }

    void sharpnessDoesNotDependOnResolution()
    {
        QFETCH(double, scale);
        const QSize size(int(512 * scale), int(512 * scale));
        const Composite c = composite(size, scale, QPointF(0, 0));
        const FaceMetrics sharp = SelfieAnalyzer::measure(c.image, c.face);
        // Blur relative to the face, so every scale sees the same softness.
        const QImage faceOnly = c.image.copy(c.face.toAlignedRect().adjusted(-40, -40, 40, 40));
        const QRectF inCrop = c.face.translated(-c.face.toAlignedRect().adjusted(-40, -40, 40, 40).topLeft());
        const FaceMetrics soft = SelfieAnalyzer::measure(gaussianBlur(faceOnly, 0.01 * c.face.height()), inCrop);
        qInfo("scale %.0f: sharp %.1f, blurred (sigma 1%% of face) %.1f", scale, sharp.sharpness, soft.sharpness);
        const double threshold = m_analyzer.thresholds().minSharpness;
        QVERIFY(sharp.sharpness > 1.5 * threshold);
        QVERIFY(soft.sharpness < threshold / 1.5);
    }

    void exposureDoesNotChangeSharpness()
    {
        const Composite c = clean();
        const double normal = SelfieAnalyzer::measure(c.image, c.face).sharpness;
        const double dim = SelfieAnalyzer::measure(exposed(c.image, 0.5), c.face).sharpness;
        QVERIFY2(std::abs(dim - normal) / normal < 0.15, qPrintable(QStringLiteral("%1 vs %2").arg(dim).arg(normal)));
    }

    void reportsInPixelsOfTheOriginal()
    {
        // Analysis may run on a downscaled decode; the report speaks of the photo as imported.
        const Composite c = clean();
        const QImage half = c.image.scaled(700, 700, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        const SelfieAnalysis a = m_analyzer.analyze(half, m_detector->detect(half), -1, c.image.size());
        QCOMPARE(a.imageSize, c.image.size());
        QVERIFY(a.check(QStringLiteral("low_resolution"))->ok);
        QVERIFY(iou(a.face()->box, c.face) >= 0.5);
        QVERIFY(a.face()->box.contains(a.face()->landmarks[2]));
    }

    void yawFromLandmarks()
    {
        Face face;
        face.landmarks
            = { QPointF(100, 100), QPointF(200, 100), QPointF(150, 150), QPointF(110, 200), QPointF(190, 200) };
        QCOMPARE(*SelfieAnalyzer::estimateYaw(face), 0.0);
        face.landmarks[2] = QPointF(180, 150);
        QCOMPARE(*SelfieAnalyzer::estimateYaw(face), 0.3);
        face.landmarks[2] = QPointF(120, 150);
        QCOMPARE(*SelfieAnalyzer::estimateYaw(face), -0.3);
        QVERIFY(!SelfieAnalyzer::estimateYaw(Face {}).has_value()); // fallback detector: no landmarks
    }

    void setAdviceForThreeAndSeven()
    {
        QList<SelfieAnalysis> real;
        const Composite c = clean();
        // Different exposures and a mirrored copy: varied light, but always the same frontal pose.
        for (double gain : { 0.7, 0.85, 1.0, 1.1, 1.2 })
            real.append(analyze(exposed(c.image, gain)));
        real.append(analyze(composite(QSize(1400, 1400), 2.5, QPointF(40, 60), true).image));
        real.append(analyze(composite(QSize(1600, 1200), 2.0, QPointF(200, 100)).image));
        for (const SelfieAnalysis &a : real)
            QVERIFY2(a.usable(), qPrintable(failedIds(a).join(u',')));

        const SelfieSetAdvice three = SelfieAnalyzer::adviseSet(real.mid(0, 3));
        QCOMPARE(three.selfieCount, 3);
        QCOMPARE(three.usableCount, 3);
        QVERIFY(!three.ok());
        QCOMPARE(three.tips.first().id, QStringLiteral("too_few"));
        QVERIFY(three.tips.first().message.contains(u'3'));

        const SelfieSetAdvice seven = SelfieAnalyzer::adviseSet(real);
        QCOMPARE(seven.selfieCount, 7);
        QCOMPARE(seven.usableCount, 7);
        QStringList ids;
        for (const SelfieCheck &t : seven.tips)
            ids.append(t.id);
        QCOMPARE(ids, QStringList { QStringLiteral("vary_angles") });
        QVERIFY(!seven.summary.isEmpty());
    }

    void setAdvice_data()
    {
        QTest::addColumn<QList<SelfieAnalysis>>("selfies");
        QTest::addColumn<QStringList>("tips");

        const QList<SelfieAnalysis> varied { synthetic(90, -0.25), synthetic(120, -0.1), synthetic(140, 0.0),
            synthetic(160, 0.12), synthetic(110, 0.3), synthetic(150, -0.05), synthetic(130, 0.05) };
        QTest::newRow("good set of 7") << varied << QStringList();
        QTest::newRow("empty") << QList<SelfieAnalysis>() << QStringList { QStringLiteral("too_few") };
        QList<SelfieAnalysis> twelve = varied + varied.mid(0, 5);
        QTest::newRow("12") << twelve << QStringList { QStringLiteral("too_many") };
        QList<SelfieAnalysis> mostlyBad { synthetic(90, -0.25), synthetic(120, 0.2) };
        for (int i = 0; i < 5; ++i)
            mostlyBad.append(synthetic(130, 0.0, false));
        QTest::newRow("2 of 7 usable") << mostlyBad << QStringList { QStringLiteral("few_usable") };
        QTest::newRow("same light") << QList<SelfieAnalysis> { synthetic(130, -0.2), synthetic(135, 0.0),
            synthetic(128, 0.2), synthetic(131, 0.1), synthetic(133, -0.1) }
                                    << QStringList { QStringLiteral("vary_light") };
        // Without landmarks (fallback detector) the angle cannot be judged, so it is not nagged about.
        QTest::newRow("no yaw") << QList<SelfieAnalysis> { synthetic(90, {}), synthetic(120, {}), synthetic(140, {}),
            synthetic(160, {}), synthetic(110, {}) }
                                << QStringList();
    }

    void setAdvice()
    {
        QFETCH(QList<SelfieAnalysis>, selfies);
        QFETCH(QStringList, tips);
        const SelfieSetAdvice advice = SelfieAnalyzer::adviseSet(selfies);
        QStringList ids;
        for (const SelfieCheck &t : advice.tips) {
            ids.append(t.id);
            QVERIFY(!t.ok);
            QVERIFY(!t.message.isEmpty());
        }
        QCOMPARE(ids, tips);
        QCOMPARE(advice.ok(), tips.isEmpty());
    }

    void jsonContract()
    {
        const SelfieAnalysis a = analyze(clean().image);
        const QJsonObject json = a.toJson();
        QCOMPARE(json.value(QStringLiteral("width")).toInt(), 1400);
        QCOMPARE(json.value(QStringLiteral("height")).toInt(), 1400);
        const QJsonArray faces = json.value(QStringLiteral("faces")).toArray();
        QCOMPARE(faces.size(), 1);
        const QJsonObject face = faces.first().toObject();
        for (const char *key : { "x", "y", "w", "h", "score" })
            QVERIFY2(face.value(QLatin1String(key)).isDouble(), key);
        const QJsonArray landmarks = face.value(QStringLiteral("landmarks")).toArray();
        QCOMPARE(landmarks.size(), 5);
        QCOMPARE(landmarks.first().toArray().size(), 2);
        const QJsonArray checks = json.value(QStringLiteral("checks")).toArray();
        QCOMPARE(checks.size(), a.checks.size());
        const QJsonObject blurry = checks.at(3).toObject();
        QCOMPARE(blurry.value(QStringLiteral("id")).toString(), QStringLiteral("blurry"));
        QVERIFY(blurry.value(QStringLiteral("ok")).isBool());
        QVERIFY(blurry.value(QStringLiteral("message")).isString());

        // What the project stores comes back identical, through text.
        const QJsonObject reread = QJsonDocument::fromJson(QJsonDocument(json).toJson()).object();
        const auto restored = SelfieAnalysis::fromJson(reread);
        QVERIFY(restored.ok());
        QCOMPARE(*restored, a);
    }

    void jsonRejectsDamage_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("empty") << QByteArray("{}");
        QTest::newRow("no size") << QByteArray(R"({"faces":[],"checks":[]})");
        QTest::newRow("faces not array") << QByteArray(R"({"width":10,"height":10,"faces":{},"checks":[]})");
        QTest::newRow("short landmarks") << QByteArray(
            R"({"width":10,"height":10,"checks":[],"faces":[{"x":1,"y":1,"w":2,"h":2,"landmarks":[[1,1]]}]})");
        QTest::newRow("main face out of range")
            << QByteArray(R"({"width":10,"height":10,"checks":[],"faces":[],"mainFace":3})");
        QTest::newRow("check without id") << QByteArray(R"({"width":10,"height":10,"faces":[],"checks":[{}]})");
    }

    void jsonRejectsDamage()
    {
        QFETCH(QByteArray, json);
        const auto result = SelfieAnalysis::fromJson(QJsonDocument::fromJson(json).object());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("bad_analysis"));
    }
};

QTEST_GUILESS_MAIN(TestSelfieAnalyzer)
#include "tst_selfieanalyzer.moc"
