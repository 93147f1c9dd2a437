// GenerationSession: estimates, a whole offline run with automatic masters
// off the UI thread, the user's picks (undoable, reused), own photos, the
// spend cap and the ledger against the in-process Gemini fake.

#include "app/sandbox/sandboxserver.h"
#include "core/generation/generationsession.h"
#include "core/generation/providercatalog.h"
#include "core/project/jobstore.h"
#include "core/project/project.h"
#include "core/project/projectstore.h"
#include "core/project/selfieimporter.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace CalStudio;

namespace {

constexpr int MasterSide = 96; // real masters are 4096²; the logic is the same

std::unique_ptr<Project> newProject(const QTemporaryDir &dir, const QString &name = QStringLiteral("p.calstudio"))
{
    auto project = Project::create(dir.filePath(name),
                                   ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(QStringLiteral("en_US"))));
    return project ? std::move(*project) : nullptr;
}

/// Runs until the queue is idle (or paused by the cap) and every master is stored.
bool runToEnd(GenerationSession &session, int timeoutMs = 60000)
{
    QSignalSpy idle(&session.queue(), &GenerationQueue::idle);
    QSignalSpy capped(&session.queue(), &GenerationQueue::pausedBySpendCap);
    const bool ended = QTest::qWaitFor([&] { return idle.size() > 0 || capped.size() > 0; }, timeoutMs);
    session.waitForMasters();
    return ended;
}

GenerationSession::RunOptions offline(const QList<int> &months, int candidates)
{
    GenerationSession::RunOptions o;
    o.months = months;
    o.candidates = candidates;
    o.provider = QStringLiteral("offline");
    o.side = 64;
    o.baseSeed = 7;
    return o;
}

int masterRows(Project &project, int month)
{
    int n = 0;
    for (int c = 1; c < 100; ++c) {
        auto id = project.store().findMaster(month, MasterSource{c, 0});
        n += id && *id > 0 ? 1 : 0;
    }
    return n;
}

} // namespace

class TestGenerationSession : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void estimateText()
    {
        GenerationSession::RunOptions o;
        o.months = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        o.candidates = 2;
        o.provider = QStringLiteral("gemini");
        o.model = QStringLiteral("gemini-3-pro-image");
        o.side = 4096;
        const CostEstimate e = GenerationSession::estimate(o);
        QCOMPARE(e.images(), 24);
        QCOMPARE(e.text(), QStringLiteral("12 months × 2 candidates × $0.24 = $5.76"));
        // A 1K request costs the lower tier.
        o.side = 1024;
        QCOMPARE(GenerationSession::estimate(o).perImageUsd, 0.134);
        // The default model when none is named.
        o.model.clear();
        o.side = 4096;
        QCOMPARE(GenerationSession::estimate(o).totalUsd(), e.totalUsd());
        // Offline drafts are free and say so; an unknown model is "unknown", not free.
        QVERIFY(GenerationSession::estimate(offline({1}, 1)).free);
        QVERIFY(GenerationSession::estimate(offline({1}, 1)).text().contains(QStringLiteral("free")));
        // With the cover it counts pages.
        o.months.prepend(0);
        QCOMPARE(GenerationSession::estimate(o).text(), QStringLiteral("13 pages × 2 candidates × $0.24 = $6.24"));
        o.months.removeFirst();
        o.model = QStringLiteral("some-new-model");
        QVERIFY(!GenerationSession::estimate(o).priceKnown);
        QVERIFY(GenerationSession::estimate(o).text().contains(QStringLiteral("price unknown")));
    }

    void catalogOffersEveryProvider()
    {
        QStringList ids;
        for (const ProviderInfo &info : ProviderCatalog::all()) {
            ids.append(info.id);
            QVERIFY(!info.models.isEmpty());
            QCOMPARE(info.models.first(), info.defaultModel);
            auto provider = ProviderCatalog::create(info.id, {});
            QVERIFY(provider);
            QCOMPARE(provider->id(), info.id);
        }
        QCOMPARE(ids, (QStringList{QStringLiteral("offline"), QStringLiteral("gemini"), QStringLiteral("openai"),
                                   QStringLiteral("replicate"), QStringLiteral("fal")}));
        QVERIFY(ProviderCatalog::find(QStringLiteral("gemini"))->models.contains(QStringLiteral("gemini-2.5-flash-image")));
        QVERIFY(!ProviderCatalog::create(QStringLiteral("nope"), {}));
    }

    // A run stores every candidate; each month's first picture becomes its master, built off this thread.
    void offlineRunMakesCandidatesAndMasters()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        QVERIFY(project);
        GenerationSession session(*project, dir.filePath(QStringLiteral("refs")));
        session.setMasterSide(MasterSide);
        QSignalSpy stored(&session, &GenerationSession::candidateStored);
        QSignalSpy mastered(&session, &GenerationSession::masterReady);
        auto ids = session.generate(offline({0, 3}, 2));
        QVERIFY(ids);
        QCOMPARE(ids->size(), 4);
        QVERIFY(runToEnd(session));
        QCOMPARE(stored.size(), 4);
        QVERIFY(!stored.first().at(2).toByteArray().isEmpty());
        for (int month : {0, 3}) {
            const auto candidates = project->store().loadCandidates(month);
            QCOMPARE(candidates->size(), 2);
            const qint64 masterId = project->month(month).masterId;
            QVERIFY(masterId > 0);
            const auto info = project->store().masterInfo(masterId);
            QVERIFY(info);
            QCOMPARE(info->width, MasterSide);
            QCOMPARE(info->provider, QStringLiteral("offline"));
            // The month's first finished candidate, not some other.
            QVERIFY(info->candidateId == candidates->at(0).id || info->candidateId == candidates->at(1).id);
            QCOMPARE(masterRows(*project, month), 1); // one automatic master per month, not one per candidate
        }
        QCOMPARE(project->month(5).masterId, 0);
        QCOMPARE(mastered.size(), 2);
        // Automatic masters are not undo steps.
        QCOMPARE(project->undoStack()->count(), 0);
        // They survive closing and reopening (saved through the project, not behind its back).
        const QString path = project->path();
        const qint64 cover = project->month(0).masterId;
        project.reset();
        auto reopened = Project::open(path);
        QVERIFY(reopened);
        QCOMPARE((*reopened)->month(0).masterId, cover);
    }

    void pickIsUndoableAndReusesMasters()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        GenerationSession session(*project, dir.filePath(QStringLiteral("refs")));
        session.setMasterSide(MasterSide);
        QVERIFY(session.generate(offline({4}, 2)));
        QVERIFY(runToEnd(session));
        const auto candidates = *project->store().loadCandidates(4);
        const qint64 automatic = project->month(4).masterId;
        const qint64 autoCandidate = project->store().masterInfo(automatic)->candidateId;
        const qint64 other = candidates.at(0).id == autoCandidate ? candidates.at(1).id : candidates.at(0).id;

        QSignalSpy ready(&session, &GenerationSession::masterReady);
        session.pickCandidate(other);
        QVERIFY(session.isBuildingMaster(4));
        QVERIFY(ready.wait(30000));
        const qint64 picked = project->month(4).masterId;
        QVERIFY(picked != automatic);
        QCOMPARE(project->store().masterInfo(picked)->candidateId, other);
        QCOMPARE(project->undoStack()->count(), 1);

        project->undoStack()->undo();
        QCOMPARE(project->month(4).masterId, automatic);
        project->undoStack()->redo();
        QCOMPARE(project->month(4).masterId, picked);

        // Picking the first one again reuses its master: no second build, at once.
        session.pickCandidate(autoCandidate);
        QVERIFY(!session.isBuildingMaster(4));
        QCOMPARE(project->month(4).masterId, automatic);
        QCOMPARE(masterRows(*project, 4), 2);

        // A new candidate of a month that has a master leaves the master alone.
        QVERIFY(session.generate(offline({4}, 1)));
        QVERIFY(runToEnd(session));
        QCOMPARE(project->store().loadCandidates(4)->size(), 3);
        QCOMPARE(project->month(4).masterId, automatic);

        // Unknown candidates are refused with a message.
        QSignalSpy errors(&session, &GenerationSession::errorOccurred);
        session.pickCandidate(987654);
        QCOMPARE(errors.size(), 1);
    }

    void ownPhotoBecomesMaster()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        const QString photo = dir.filePath(QStringLiteral("me.jpg"));
        QVERIFY(QImage(QStringLiteral(CALSTUDIO_TEST_DATA_DIR "/faces/astronaut.png")).scaled(900, 700).save(photo));
        SelfieImporter importer(project.get());
        QVERIFY(importer.start({{QStringLiteral("me.jpg"), photo, {}}}));
        importer.waitForFinished();
        QCOMPARE(project->selfies().size(), 1);
        const qint64 selfie = project->selfies().first().id;

        const int steps = project->undoStack()->count(); // the import is one
        GenerationSession session(*project, dir.filePath(QStringLiteral("refs")));
        session.setMasterSide(MasterSide);
        QSignalSpy ready(&session, &GenerationSession::masterReady);
        session.useOwnPhoto(6, selfie);
        QVERIFY(ready.wait(30000));
        const qint64 master = project->month(6).masterId;
        QVERIFY(master > 0);
        const auto info = project->store().masterInfo(master);
        QCOMPARE(info->selfieId, selfie);
        QCOMPARE(info->candidateId, 0);
        QCOMPARE(info->width, MasterSide);
        QCOMPARE(info->nativeWidth, 700); // the largest square of a 900×700 photo
        QCOMPARE(project->undoStack()->count(), steps + 1);
        project->undoStack()->undo();
        QCOMPARE(project->month(6).masterId, 0);
    }

    // The cap pauses the queue; the ledger lists what was paid and what may have been (answers lost in a crash).
    void spendCapAndLedger()
    {
        SandboxServer server(QStringLiteral("k"));
        const quint16 port = server.listen();
        QVERIFY(port != 0);
        QTemporaryDir dir;
        auto project = newProject(dir);
        QVERIFY(project->setSpendCap(0.30));
        for (int m = 1; m <= 4; ++m) {
            MonthEntry entry = project->month(m);
            entry.prompt = QStringLiteral("A walk through a snowy forest, month %1").arg(m);
            QVERIFY(project->setMonth(entry));
        }
        {
            GenerationSession session(*project, dir.filePath(QStringLiteral("refs")));
            session.setMasterSide(MasterSide);
            session.setConfigLookup([port](const QString &) {
                HttpProviderConfig config;
                config.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
                config.apiKey = QStringLiteral("k");
                return config;
            });
            session.queue().setConcurrency(QStringLiteral("gemini"), 1);
            GenerationSession::RunOptions o;
            o.months = {1, 2, 3, 4};
            o.candidates = 1;
            o.provider = QStringLiteral("gemini");
            o.side = 256; // the 1K tier: $0.134 each
            QSignalSpy capped(&session.queue(), &GenerationQueue::pausedBySpendCap);
            QVERIFY(session.generate(o));
            QVERIFY(runToEnd(session));
            QCOMPARE(capped.size(), 1);
            // 3 × $0.134 = $0.402 ≥ $0.30 after the third; the fourth is never sent.
            int done = 0;
            int queued = 0;
            for (const QueueJobInfo &j : session.queue().jobs()) {
                done += j.state == QLatin1String("done");
                queued += j.state == QLatin1String("queued");
            }
            QCOMPARE(done, 3);
            QCOMPARE(queued, 1);
            QCOMPARE(server.gemini().requests().size(), 3);
            QVERIFY(qAbs(session.spentUsd() - 0.402) < 1e-9);
            auto ledger = session.ledger();
            QVERIFY(ledger);
            QCOMPARE(ledger->size(), 3);
            QCOMPARE(ledger->first().provider, QStringLiteral("gemini"));
            QVERIFY(!ledger->first().maybeBilled);

            // Raising the cap lets the rest go.
            QVERIFY(project->setSpendCap(5));
            QVERIFY(session.resume());
            QVERIFY(runToEnd(session));
            QCOMPARE(server.gemini().requests().size(), 4);

            // A month without a prompt is refused before anything is sent to a paid service.
            o.months = {5};
            const auto refused = session.generate(o);
            QVERIFY(!refused);
            QCOMPARE(refused.error().code, QStringLiteral("no_prompt"));
            QVERIFY(refused.error().userMessage.contains(QStringLiteral("May")));
            QCOMPARE(server.gemini().requests().size(), 4);
        }
        // A paid request that was running when the app died: listed as "may have been billed", counted in spending.
        GenerationRequest r;
        r.month = 9;
        r.provider = QStringLiteral("gemini");
        r.model = QStringLiteral("gemini-3-pro-image");
        r.size = QSize(4096, 4096);
        JobRecord job;
        job.kind = QStringLiteral("generate");
        job.month = 9;
        job.requestJson = GenerationQueue::requestToJson(r);
        job.state = QStringLiteral("running");
        JobStore jobs(project->store());
        QVERIFY(jobs.add(job));
        GenerationSession session(*project, dir.filePath(QStringLiteral("refs")));
        QVERIFY(session.resume());
        auto ledger = session.ledger();
        QCOMPARE(ledger->size(), 5);
        const auto lost = std::find_if(ledger->begin(), ledger->end(), [](const LedgerEntry &e) { return e.maybeBilled; });
        QVERIFY(lost != ledger->end());
        QCOMPARE(lost->month, 9);
        QCOMPARE(lost->usd, 0.24);
        QVERIFY(qAbs(session.spentUsd() - (4 * 0.134 + 0.24)) < 1e-9);
    }

    void refusesBadRuns()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        GenerationSession session(*project, dir.filePath(QStringLiteral("refs")));
        QVERIFY(!session.generate(offline({}, 1)));
        QVERIFY(!session.generate(offline({1}, 5)));
        auto o = offline({1}, 1);
        o.provider = QStringLiteral("midjourney");
        const auto r = session.generate(o);
        QVERIFY(!r);
        QVERIFY(r.error().userMessage.contains(QStringLiteral("midjourney")));
        QVERIFY(session.queue().jobs().isEmpty());
    }
};

QTEST_MAIN(TestGenerationSession)
#include "tst_generationsession.moc"
