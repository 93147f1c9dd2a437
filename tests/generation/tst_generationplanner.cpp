#include "core/generation/generationplanner.h"
#include "core/project/projectstore.h"
#include "core/project/stylepreset.h"

#include <QBuffer>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

using namespace CalStudio;

class TestGenerationPlanner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void promptSentComposesSceneStyleAndAvoid()
    {
        MonthEntry e;
        e.prompt = QStringLiteral("  Picnic under cherry blossoms ");
        e.style = QStringLiteral("watercolor");
        e.avoid = QStringLiteral("text, logos");
        const QString sent = GenerationPlanner::promptSent(e);
        QVERIFY(sent.startsWith(QLatin1String("Picnic under cherry blossoms ")));
        QVERIFY(sent.contains(StylePreset::find(QStringLiteral("watercolor"))->promptSuffix.trimmed()));
        QVERIFY(sent.endsWith(QLatin1String("Avoid: text, logos")));
        e.style.clear();
        e.avoid.clear();
        QCOMPARE(GenerationPlanner::promptSent(e), QStringLiteral("Picnic under cherry blossoms"));
    }

    void requestsAndStoringMakesOneMasterPerMonth()
    {
        QTemporaryDir dir;
        auto store = ProjectStore::create(dir.filePath(QStringLiteral("p.calstudio")),
                                          ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(QStringLiteral("en_US"))));
        QVERIFY(store);
        GenerationPlanner planner(**store, dir.filePath(QStringLiteral("refs")));
        auto requests = planner.requests({0, 7}, 2, QStringLiteral("gemini"), QStringLiteral("gemini-3-pro-image"),
                                         QSize(1024, 1024), 5);
        QVERIFY(requests);
        QCOMPARE(requests->size(), 4);
        QCOMPARE(requests->at(2).month, 7);
        QVERIFY(requests->at(2).seed != requests->at(3).seed);

        // No selfies: requests go without references, and say nothing is wrong.
        GenerationRequest r = requests->at(2);
        planner.prepare(r);
        QVERIFY(r.references.isEmpty());
        QVERIFY(planner.referenceError().isNull());

        QImage picture(256, 256, QImage::Format_RGB32);
        picture.fill(Qt::darkCyan);
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        picture.save(&buffer, "PNG");
        GeneratedImage image;
        image.bytes = png;
        image.mimeType = QStringLiteral("image/png");
        image.nativeSize = QSize(256, 256);
        image.model = QStringLiteral("gemini-3-pro-image");
        image.costUsd = 0.24;
        auto first = planner.storeCandidate(requests->at(2), image);
        QVERIFY(first);
        QVERIFY(planner.storeCandidate(requests->at(3), image));
        const auto stored = (*store)->loadCandidates(7);
        QCOMPARE(stored->size(), 2);
        // Provenance: provider, model, prompt as sent, seed, native size, cost.
        QCOMPARE(stored->first().id, first->id);
        QCOMPARE(stored->first().provider, QStringLiteral("gemini"));
        QCOMPARE(stored->first().model, QStringLiteral("gemini-3-pro-image"));
        QCOMPARE(stored->first().promptSent, requests->at(2).promptSent);
        QCOMPARE(stored->first().seed, requests->at(2).seed);
        QCOMPARE(stored->first().width, 256);
        QCOMPARE(stored->first().costMicros, 240000);
        // Masters are the session's business (off the UI thread), not the planner's.
        QCOMPARE((*store)->masters()->size(), 0);
    }
};

QTEST_MAIN(TestGenerationPlanner)
#include "tst_generationplanner.moc"
