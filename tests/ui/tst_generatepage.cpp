// The Generate step: an offline run fills the QML month grid (states,
// thumbnails, automatic masters, notification), the price is shown and
// confirmed before a paid run, a missing key stops the run and points to
// Image Services, a refused prompt says why and offers to reword, picking
// a candidate is undoable, and the spending ledger lists what was paid.

#include "uitestsupport.h"
#include "app/sandbox/faultplan.h"
#include "app/sandbox/sandboxserver.h"
#include "core/generation/apikeybackendmemory.h"
#include "core/generation/apikeystore.h"
#include "core/project/project.h"
#include "core/project/projectstore.h"
#include "qml/generationboardmodel.h"
#include "ui/apikeysdialog.h"
#include "ui/generatepage.h"
#include "ui/ledgerdialog.h"
#include "ui/mainwindow.h"

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QQmlEngineExtensionPlugin>
#include <QQuickItem>
#include <QQuickWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

Q_IMPORT_QML_PLUGIN(CalendarStudioPlugin)

using namespace CalStudio;
using CalStudio::UiTestSupport::screenshotDir;

namespace {

std::unique_ptr<Project> newProject(const QTemporaryDir &dir)
{
    auto project = Project::create(dir.filePath(QStringLiteral("g.calstudio")),
                                   ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(QStringLiteral("en_US"))));
    if (!project)
        return nullptr;
    for (int m = 0; m <= 12; ++m) {
        MonthEntry entry = (*project)->month(m);
        entry.title = m == 0 ? QStringLiteral("Our year") : QStringLiteral("Scene %1").arg(m);
        entry.prompt = QStringLiteral("A person on a sunny hill, scene %1").arg(m);
        (void)(*project)->setMonth(entry);
    }
    (*project)->undoStack()->clear();
    return std::move(*project);
}

/// Every item below `item` with `objectName` (delegates are items of the view, not QObject children).
QList<QQuickItem *> itemsNamed(QQuickItem *item, const QString &objectName)
{
    QList<QQuickItem *> found;
    const QList<QQuickItem *> children = item->childItems();
    for (QQuickItem *child : children) {
        if (child->objectName() == objectName)
            found.append(child);
        found += itemsNamed(child, objectName);
    }
    return found;
}

void choose(QComboBox *box, const QVariant &data)
{
    const int index = box->findData(data);
    QVERIFY(index >= 0);
    box->setCurrentIndex(index);
}

struct Fixture {
    ApiKeyBackendMemory *backend = new ApiKeyBackendMemory;
    ApiKeyStore keys{std::unique_ptr<ApiKeyStore::Backend>(backend)};
    QTemporaryDir dir;
    std::unique_ptr<Project> project = newProject(dir);
    GeneratePage page{&keys};
    QStringList confirmations;

    Fixture()
    {
        page.setMasterSide(96);
        page.setRequestSide(128);
        page.setConfirm([this](const QString &, const QString &text) {
            confirmations.append(text);
            return true;
        });
        page.resize(1100, 820);
        page.setProject(project.get());
    }
    ~Fixture() { page.setProject(nullptr); }

    bool waitForRun()
    {
        QSignalSpy finished(&page, &GeneratePage::runFinished);
        return finished.wait(60000);
    }
    QVariant role(int month, GenerationBoardModel::Role role) const
    {
        return page.board()->data(page.board()->index(month, 0), role);
    }
};

} // namespace

class TestGeneratePage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("CalendarStudioTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_generatepage"));
        QSettings().clear();
    }

    void offlineRunFillsTheBoard()
    {
        Fixture f;
        QVERIFY(f.project);
        f.page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&f.page));
        choose(f.page.providerBox(), QStringLiteral("offline"));
        choose(f.page.monthsBox(), 3); // the cover only
        f.page.candidatesBox()->setValue(2);
        QVERIFY(f.page.estimateLabel()->text().contains(QStringLiteral("free")));

        QTest::mouseClick(f.page.generateButton(), Qt::LeftButton);
        QVERIFY(f.confirmations.isEmpty()); // offline drafts cost nothing: no question
        QVERIFY(QTest::qWaitFor([&] { return f.role(0, GenerationBoardModel::StateRole).toString() == QStringLiteral("running"); }, 10000));
        QVERIFY(f.role(0, GenerationBoardModel::StateTextRole).toString().startsWith(QStringLiteral("Making")));
        QVERIFY(f.waitForRun());
        f.page.session()->waitForMasters();

        QCOMPARE(f.role(0, GenerationBoardModel::StateRole).toString(), QStringLiteral("done"));
        QCOMPARE(f.role(0, GenerationBoardModel::CandidatesRole).toList().size(), 2);
        QVERIFY(f.project->month(0).masterId > 0);
        QVERIFY(QTest::qWaitFor([&] { return f.page.board()->thumbnailCount() >= 2; }, 20000));
        QVERIFY(f.role(0, GenerationBoardModel::MasterImageRole).toString().startsWith(QStringLiteral("image://")));
        QVERIFY(f.role(0, GenerationBoardModel::MasterTextRole).toString().startsWith(QStringLiteral("Picture")));
        QCOMPARE(f.role(5, GenerationBoardModel::StateRole).toString(), QStringLiteral("idle"));
        QCOMPARE(f.page.lastNotification(), QStringLiteral("2 pictures are ready."));
        QVERIFY(f.page.findChild<QLabel *>(QStringLiteral("runStatus"))->text().contains(QStringLiteral("2 of 2")));

        // The grid shows it: the cover's tile says how many pictures it has.
        QQuickItem *root = f.page.boardView()->rootObject();
        QVERIFY(root);
        const QList<QQuickItem *> states = itemsNamed(root, QStringLiteral("stateText"));
        QVERIFY(states.size() >= 2);
        QVERIFY(std::any_of(states.begin(), states.end(), [](QQuickItem *o) {
            return o->property("text").toString() == QStringLiteral("2 pictures");
        }));
        // Every thumbnail on screen is loaded (big picture and both candidates).
        const QList<QQuickItem *> thumbs = itemsNamed(root, QStringLiteral("candidateThumb"));
        QCOMPARE(thumbs.size(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(thumbs.begin(), thumbs.end(), [](QQuickItem *t) {
            return t->property("status").toInt() == 1; // Image.Ready
        }), 5000);
        // The offline master is labelled as a draft on screen, not only inside the picture.
        const QList<QQuickItem *> badges = itemsNamed(root, QStringLiteral("draftBadge"));
        QCOMPARE(std::count_if(badges.begin(), badges.end(), [](QQuickItem *b) { return b->isVisible(); }), 1);
        QTest::qWait(200);
        f.page.grab().save(screenshotDir() + QStringLiteral("/generate-offline.png"));

        // Picking the other candidate is undoable.
        const QVariantList candidates = f.role(0, GenerationBoardModel::CandidatesRole).toList();
        const auto other = std::find_if(candidates.begin(), candidates.end(),
                                        [](const QVariant &c) { return !c.toMap().value(QStringLiteral("isMaster")).toBool(); });
        QVERIFY(other != candidates.end());
        const qint64 before = f.project->month(0).masterId;
        f.page.board()->pick(other->toMap().value(QStringLiteral("id")).toLongLong());
        QVERIFY(QTest::qWaitFor([&] { return f.project->month(0).masterId != before; }, 20000));
        QVERIFY(f.role(0, GenerationBoardModel::CandidatesRole).toList().at(int(other - candidates.begin())).toMap().value(QStringLiteral("isMaster")).toBool());
        f.project->undoStack()->undo();
        QCOMPARE(f.project->month(0).masterId, before);

        // Months without a picture are the default choice: the cover is no longer among them.
        choose(f.page.monthsBox(), 0);
        QVERIFY(f.page.estimateLabel()->text().startsWith(QStringLiteral("12 months")));
    }

    void priceBeforePayingAndMissingKey()
    {
        Fixture f;
        choose(f.page.providerBox(), QStringLiteral("gemini"));
        QCOMPARE(f.page.modelBox()->currentText(), QStringLiteral("gemini-3-pro-image"));
        f.page.setRequestSide(4096);
        choose(f.page.monthsBox(), 1); // all 12 months
        f.page.candidatesBox()->setValue(2);
        QVERIFY2(f.page.estimateLabel()->text().startsWith(QStringLiteral("12 months × 2 candidates × $0.24 = $5.76")),
                 qPrintable(f.page.estimateLabel()->text()));

        QSignalSpy errors(&f.page, &GeneratePage::errorOccurred);
        QSignalSpy services(&f.page, &GeneratePage::imageServicesRequested);
        f.page.generate();
        QCOMPARE(f.confirmations.size(), 1);
        QVERIFY(f.confirmations.first().contains(QStringLiteral("12 months × 2 candidates × $0.24 = $5.76")));
        QVERIFY(errors.wait(5000));
        QVERIFY(errors.first().at(0).value<Error>().userMessage.contains(QStringLiteral("no Gemini key")));
        QCOMPARE(services.size(), 1);
        QVERIFY(f.page.session()->queue().jobs().isEmpty()); // nothing was sent

        // Saying no to the price sends nothing either.
        f.page.setConfirm([](const QString &, const QString &) { return false; });
        f.backend->write(ApiKeyStore::keyName(QStringLiteral("gemini")), QStringLiteral("k"), [](auto) {});
        f.page.generate();
        QTest::qWait(100);
        QVERIFY(f.page.session()->queue().jobs().isEmpty());
    }

    void paidRunRefusalAndLedger()
    {
        SandboxServer server(QStringLiteral("sandbox-test-key"));
        const quint16 port = server.listen();
        QVERIFY(port != 0);
        ApiKeysDialog::setSavedBaseUrl(QStringLiteral("gemini"), QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
        Fixture f;
        f.backend->write(ApiKeyStore::keyName(QStringLiteral("gemini")), QStringLiteral("sandbox-test-key"), [](auto) {});
        choose(f.page.providerBox(), QStringLiteral("gemini"));
        choose(f.page.monthsBox(), 1);
        f.page.candidatesBox()->setValue(1);
        // March is refused by the safety filter; the other months go through.
        server.faults().push(Fault{QStringLiteral("gemini"), QStringLiteral("safety"), 1, {}});
        f.page.session()->queue().setConcurrency(QStringLiteral("gemini"), 1);
        f.page.generate();
        QVERIFY(f.waitForRun());
        QCOMPARE(f.confirmations.size(), 1);
        QCOMPARE(server.gemini().requests().size(), 12);
        // The key went into the request header only (the fake accepted it) and nowhere on screen.
        QVERIFY(!f.page.estimateLabel()->text().contains(QStringLiteral("sandbox-test-key")));

        int refused = -1;
        for (int m = 1; m <= 12; ++m) {
            if (f.role(m, GenerationBoardModel::StateRole).toString() == QStringLiteral("refused"))
                refused = m;
        }
        QCOMPARE(refused, 1); // the first request got the fault
        QCOMPARE(f.role(refused, GenerationBoardModel::ActionRole).toString(), QStringLiteral("reword"));
        QVERIFY(f.role(refused, GenerationBoardModel::HintRole).toString().contains(QStringLiteral("Reword")));
        QVERIFY(!f.role(refused, GenerationBoardModel::ReasonRole).toString().isEmpty());
        QCOMPARE(f.page.lastNotification(), QStringLiteral("11 pictures are ready. 1 needs your attention."));

        // 11 pictures at the 1K tier ($0.134 each) in the ledger and on the page.
        auto ledger = f.page.session()->ledger();
        QVERIFY(ledger);
        QCOMPARE(ledger->size(), 11);
        QVERIFY(f.page.findChild<QLabel *>(QStringLiteral("spentLabel"))->text().contains(QStringLiteral("$1.47")));
        LedgerDialog dialog(*ledger);
        QCOMPARE(dialog.table()->rowCount(), 11);
        QCOMPARE(dialog.table()->item(0, 2)->text(), QStringLiteral("Gemini"));
        QCOMPARE(dialog.table()->item(0, 5)->text(), QStringLiteral("$0.134"));
        QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("ledgerTotal"))->text().contains(QStringLiteral("$1.47")));
        dialog.show();
        QTest::qWait(50);
        dialog.grab().save(screenshotDir() + QStringLiteral("/ledger.png"));
        QSettings().clear();
    }
};

QTEST_MAIN(TestGeneratePage)
#include "tst_generatepage.moc"
