#include "core/generation/masterbuilder.h"
#include "core/imaging/imagedecoder.h"
#include "core/project/projectstore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace CalStudio;

namespace {

ProjectSettings settings()
{
    ProjectSettings s = ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(QStringLiteral("en_US")));
    s.title = QStringLiteral("Candidates");
    s.year = 2027;
    return s;
}

QByteArray png(QRgb colour, int side = 64)
{
    QImage image(side, side, QImage::Format_RGB888);
    image.fill(colour);
    return *ImageDecoder::encodeImage(image, true);
}

CandidateRecord candidate(int month, const QString &model, qint64 seed)
{
    CandidateRecord r;
    r.month = month;
    r.provider = QStringLiteral("offline");
    r.model = model;
    r.promptSent = QStringLiteral("A kite festival on the beach. Watercolour wash. Avoid: text");
    r.seed = seed;
    r.width = 64;
    r.height = 64;
    r.costMicros = 240000;
    r.status = QStringLiteral("done");
    r.createdAt = QDateTime(QDate(2026, 11, 26), QTime(10, 0), Qt::UTC);
    return r;
}

} // namespace

class TestCandidateStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void candidatesAndMastersSurviveReopen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("c.calstudio"));
        CandidateRecord first = candidate(3, QStringLiteral("offline-composite-1"), 31);
        CandidateRecord second = candidate(3, QStringLiteral("offline-composite-1"), 32);
        CandidateRecord failed = candidate(3, QStringLiteral("offline-composite-1"), 33);
        failed.status = QStringLiteral("failed");
        failed.error = QStringLiteral("The reference photo could not be read.");
        failed.width = failed.height = 0;
        {
            auto store = ProjectStore::create(path, settings());
            QVERIFY(store.ok());
            QVERIFY((*store)->addCandidate(first, png(qRgb(200, 0, 0))).ok());
            QVERIFY((*store)->addCandidate(second, png(qRgb(0, 200, 0))).ok());
            QVERIFY((*store)->addCandidate(failed, {}).ok());
            QVERIFY(first.id > 0 && second.id > first.id);
            QVERIFY(first.blobId > 0 && first.blobId != second.blobId);
            QCOMPARE(failed.blobId, 0);

            auto masterId = MasterBuilder::makeMaster(**store, second, 256);
            QVERIFY2(masterId.ok(), masterId.ok() ? "" : qPrintable(masterId.error().detail));
        }
        auto store = ProjectStore::open(path);
        QVERIFY(store.ok());
        auto list = (*store)->loadCandidates(3);
        QVERIFY(list.ok());
        QCOMPARE(list->size(), 3);
        QCOMPARE(list->at(0), first);
        QCOMPARE(list->at(1), second);
        QCOMPARE(list->at(2), failed);
        QVERIFY((*store)->loadCandidates(4)->isEmpty());

        auto masters = (*store)->masters();
        QVERIFY(masters.ok());
        QCOMPARE(masters->size(), 1);
        const MasterInfo m = masters->first();
        QCOMPARE(m.month, 3);
        QCOMPARE(m.width, 256);
        QCOMPARE(m.height, 256);
        QCOMPARE(m.nativeWidth, 64);
        QCOMPARE(m.nativeHeight, 64);
        QCOMPARE(m.provider, QStringLiteral("offline"));
        QCOMPARE(m.model, QStringLiteral("offline-composite-1"));
        QCOMPARE((*store)->loadMonths()->at(3).masterId, m.id);

        auto bytes = (*store)->readMaster(3);
        QVERIFY(bytes.ok());
        const QImage image = QImage::fromData(*bytes, "PNG");
        QCOMPARE(image.size(), QSize(256, 256));
        QCOMPARE(qGreen(image.pixel(128, 128)), 200);
        QCOMPARE((*store)->readMaster(4).error().code, QStringLiteral("not_found"));
        QCOMPARE((*store)->counts()->candidates, 3);
    }

    void choosingAnotherMasterReplacesTheOld()
    {
        QTemporaryDir dir;
        auto store = ProjectStore::create(dir.filePath(QStringLiteral("r.calstudio")), settings());
        QVERIFY(store.ok());
        CandidateRecord a = candidate(5, QStringLiteral("m-a"), 1);
        CandidateRecord b = candidate(5, QStringLiteral("m-b"), 2);
        QVERIFY((*store)->addCandidate(a, png(qRgb(1, 2, 3))).ok());
        QVERIFY((*store)->addCandidate(b, png(qRgb(4, 5, 6))).ok());
        const qint64 idA = *(*store)->setMaster(5, a.id, png(qRgb(1, 2, 3), 128), 128, 128, 64, 64);
        const qint64 idB = *(*store)->setMaster(5, b.id, png(qRgb(4, 5, 6), 128), 128, 128, 32, 48);
        QVERIFY(idB != idA);
        QCOMPARE((*store)->counts()->masters, 1);
        const auto masters = *(*store)->masters();
        QCOMPARE(masters.size(), 1);
        QCOMPARE(masters.first().id, idB);
        QCOMPARE(masters.first().model, QStringLiteral("m-b"));
        QCOMPARE(masters.first().nativeWidth, 32);
        QCOMPARE(masters.first().nativeHeight, 48);
        // The user's own photo: no candidate, so no provider.
        QVERIFY((*store)->setMaster(0, 0, png(qRgb(9, 9, 9), 128), 128, 128, 128, 128).ok());
        QCOMPARE((*store)->masters()->first().month, 0);
        QCOMPARE((*store)->masters()->first().provider, QString());
    }

    void failedSetMasterChangesNothing()
    {
        QTemporaryDir dir;
        auto store = ProjectStore::create(dir.filePath(QStringLiteral("f.calstudio")), settings());
        QVERIFY(store.ok());
        QVERIFY(!(*store)->setMaster(13, 0, png(qRgb(1, 1, 1)), 64, 64, 64, 64).ok());
        QVERIFY(!(*store)->setMaster(2, 0, {}, 64, 64, 64, 64).ok());
        QCOMPARE((*store)->counts()->masters, 0);
        QVERIFY((*store)->masters()->isEmpty());
    }

    void candidateWithoutBytesCannotBecomeMaster()
    {
        QTemporaryDir dir;
        auto store = ProjectStore::create(dir.filePath(QStringLiteral("n.calstudio")), settings());
        QVERIFY(store.ok());
        CandidateRecord failed = candidate(1, QStringLiteral("x"), 1);
        failed.status = QStringLiteral("failed");
        QVERIFY((*store)->addCandidate(failed, {}).ok());
        QCOMPARE(MasterBuilder::makeMaster(**store, failed).error().code, QStringLiteral("no_image"));
    }
};

QTEST_GUILESS_MAIN(TestCandidateStore)
#include "tst_candidatestore.moc"
