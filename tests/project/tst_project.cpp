#include "core/project/project.h"
#include "core/project/projectstore.h"
#include "testutil.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace CalStudio;
using CalStudio::TestUtil::errorCode;

namespace {

std::unique_ptr<Project> newProject(const QTemporaryDir &dir, const QString &name = QStringLiteral("p.calstudio"))
{
    ProjectSettings s = ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(QStringLiteral("en_US")));
    auto project = Project::create(dir.filePath(name), s);
    if (!project) {
        qWarning() << project.error();
        return {};
    }
    return std::move(*project);
}

/// A master row of `month` in the project's file, not chosen yet (what generation makes).
qint64 addMaster(Project &project, int month, const QByteArray &bytes)
{
    auto id = project.store().addMaster(month, MasterSource{}, bytes, QSize(64, 64), QSize(32, 32));
    if (!id) {
        qWarning() << id.error();
        return 0;
    }
    return *id;
}

/// The pages as saved, read through a separate read-only connection.
QList<MonthEntry> monthsOnDisk(const QString &path)
{
    auto store = ProjectStore::open(path, ProjectStore::Access::ReadOnly);
    return store ? (*store)->loadMonths().valueOr(QList<MonthEntry>()) : QList<MonthEntry>();
}

/// What is on disk right now, read through a separate read-only connection.
ProjectSettings onDisk(const QString &path)
{
    auto store = ProjectStore::open(path, ProjectStore::Access::ReadOnly);
    return store ? (*store)->loadSettings().valueOr(ProjectSettings()) : ProjectSettings();
}

} // namespace

class TestProject : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everySetterIsUndoable_data()
    {
        QTest::addColumn<QString>("field");
        QTest::newRow("title") << QStringLiteral("title");
        QTest::newRow("year") << QStringLiteral("year");
        QTest::newRow("start month") << QStringLiteral("startMonth");
        QTest::newRow("week start") << QStringLiteral("weekStart");
        QTest::newRow("locale") << QStringLiteral("locale");
        QTest::newRow("holiday region") << QStringLiteral("holidayRegion");
        QTest::newRow("spend cap") << QStringLiteral("spendCap");
    }
    void everySetterIsUndoable()
    {
        QFETCH(QString, field);
        QTemporaryDir dir;
        auto project = newProject(dir);
        QVERIFY(project);
        const ProjectSettings original = project->settings();
        QSignalSpy changed(project.get(), &Project::settingsChanged);

        Status st;
        if (field == QLatin1String("title"))
            st = project->setTitle(QStringLiteral("Grandma's year"));
        else if (field == QLatin1String("year"))
            st = project->setYear(2031);
        else if (field == QLatin1String("startMonth"))
            st = project->setStartMonth(9);
        else if (field == QLatin1String("weekStart"))
            st = project->setWeekStart(WeekStart::Saturday);
        else if (field == QLatin1String("locale"))
            st = project->setLocale(QStringLiteral("uk_UA"));
        else if (field == QLatin1String("spendCap"))
            st = project->setSpendCap(12.5);
        else
            st = project->setHolidayRegion(QStringLiteral("GB"));
        QVERIFY(st);
        QCOMPARE(changed.count(), 1);
        QVERIFY(!project->settings().sameContent(original));
        const ProjectSettings edited = project->settings();

        QCOMPARE(project->undoStack()->count(), 1);
        project->undoStack()->undo();
        QVERIFY(project->settings().sameContent(original));
        project->undoStack()->redo();
        QVERIFY(project->settings().sameContent(edited));

        QVERIFY(project->flush());
        QVERIFY(onDisk(project->path()).sameContent(edited));
    }

    void typingATitleIsOneUndoStep()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        const QString original = project->settings().title;
        for (const QString &t : {QStringLiteral("S"), QStringLiteral("Su"), QStringLiteral("Sum")})
            QVERIFY(project->setTitle(t));
        QVERIFY(project->setYear(2030));
        QVERIFY(project->setTitle(QStringLiteral("Summer")));
        QCOMPARE(project->undoStack()->count(), 3);
        project->undoStack()->undo();
        QCOMPARE(project->settings().title, QStringLiteral("Sum"));
        project->undoStack()->undo();
        QCOMPARE(project->settings().year, 2027);
        project->undoStack()->undo();
        QCOMPARE(project->settings().title, original);
    }

    void invalidEditsAreRefused()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        const ProjectSettings before = project->settings();
        QCOMPARE(project->setYear(1900).error().code, QStringLiteral("invalid_year"));
        QCOMPARE(project->setStartMonth(13).error().code, QStringLiteral("invalid_start_month"));
        QCOMPARE(project->setTitle(QString()).error().code, QStringLiteral("invalid_title"));
        QCOMPARE(project->setLocale(QStringLiteral("not-a-language")).error().code, QStringLiteral("invalid_locale"));
        QVERIFY(project->settings().sameContent(before));
        QCOMPARE(project->undoStack()->count(), 0);
        // Setting the same value again is not an edit.
        QVERIFY(project->setYear(before.year));
        QCOMPARE(project->undoStack()->count(), 0);
    }

    void autosaveIsDebounced()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        project->setAutosaveDelay(200);
        QSignalSpy saved(project.get(), &Project::saved);
        for (int i = 0; i < 20; ++i)
            QVERIFY(project->setTitle(QStringLiteral("Title %1").arg(i)));
        QVERIFY(project->hasUnsavedChanges());
        QCOMPARE(saved.count(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 3000);
        QVERIFY(!project->hasUnsavedChanges());
        QCOMPARE(onDisk(project->path()).title, QStringLiteral("Title 19"));
        // The twenty keystrokes became one write.
        QTest::qWait(400);
        QCOMPARE(saved.count(), 1);
    }

    void closingSavesPendingEdits()
    {
        QTemporaryDir dir;
        QString path;
        {
            auto project = newProject(dir);
            path = project->path();
            project->setAutosaveDelay(60 * 60 * 1000);
            QVERIFY(project->setTitle(QStringLiteral("Saved on close")));
            MonthEntry march = project->month(3);
            march.prompt = QStringLiteral("Kite flying on a windy hill");
            QVERIFY(project->setMonth(march));
        }
        auto reopened = Project::open(path);
        QVERIFY(reopened);
        QCOMPARE((*reopened)->settings().title, QStringLiteral("Saved on close"));
        QCOMPARE((*reopened)->month(3).prompt, QStringLiteral("Kite flying on a windy hill"));
    }

    void monthEditsAreUndoable()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        QSignalSpy changed(project.get(), &Project::monthChanged);
        MonthEntry may = project->month(5);
        may.prompt = QStringLiteral("Picnic under cherry blossoms");
        QVERIFY(project->setMonth(may, QStringLiteral("Edit May prompt")));
        may.prompt += QStringLiteral(", golden hour");
        QVERIFY(project->setMonth(may, QStringLiteral("Edit May prompt")));
        QCOMPARE(project->undoStack()->count(), 1);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.last().first().toInt(), 5);
        project->undoStack()->undo();
        QCOMPARE(project->month(5).prompt, QString());
        MonthEntry bad;
        bad.month = 13;
        QVERIFY(!project->setMonth(bad));
    }

    void setMasterIsUndoable()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        const qint64 a = addMaster(*project, 3, "master A");
        const qint64 b = addMaster(*project, 3, "master B");
        QVERIFY(a && b);
        QSignalSpy masterChanged(project.get(), &Project::masterChanged);
        QSignalSpy monthChanged(project.get(), &Project::monthChanged);

        QVERIFY(project->setMaster(3, a, QStringLiteral("Choose picture")));
        QVERIFY(project->setMaster(3, b, QStringLiteral("Choose picture")));
        QCOMPARE(project->month(3).masterId, b);
        QCOMPARE(project->undoStack()->count(), 2);
        QCOMPARE(masterChanged.count(), 2);
        QCOMPARE(masterChanged.last().first().toInt(), 3);
        QCOMPARE(monthChanged.count(), 0);
        QVERIFY(project->flush());
        QCOMPARE(monthsOnDisk(project->path()).at(3).masterId, b);

        // Undo brings back the previous master (its row is still in the file), then none.
        project->undoStack()->undo();
        QCOMPARE(project->month(3).masterId, a);
        QVERIFY(project->flush());
        QCOMPARE(monthsOnDisk(project->path()).at(3).masterId, a);
        QCOMPARE(*project->store().readMaster(3), QByteArray("master A"));
        project->undoStack()->undo();
        QCOMPARE(project->month(3).masterId, qint64(0));
        project->undoStack()->redo();
        project->undoStack()->redo();
        QCOMPARE(project->month(3).masterId, b);
        QCOMPARE(masterChanged.count(), 6);

        // Clearing is a choice too; the same master again is not an edit.
        QVERIFY(project->setMaster(3, b, QString()));
        QCOMPARE(project->undoStack()->count(), 2);
        QVERIFY(project->setMaster(3, 0, QStringLiteral("Remove picture")));
        QCOMPARE(project->month(3).masterId, qint64(0));
        project->undoStack()->undo();
        QCOMPARE(project->month(3).masterId, b);
    }

    void setMasterRefusesMastersOfOtherMonths()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        const qint64 april = addMaster(*project, 4, "april");
        QCOMPARE(errorCode(project->setMaster(3, april, {})), QStringLiteral("wrong_month"));
        QCOMPARE(errorCode(project->setMaster(3, april + 100, {})), QStringLiteral("not_found"));
        QCOMPARE(errorCode(project->setMaster(13, april, {})), QStringLiteral("invalid_month"));
        QCOMPARE(project->undoStack()->count(), 0);
        project->assignMaster(3, april); // refused too, and logged
        QCOMPARE(project->month(3).masterId, qint64(0));
        QVERIFY(!project->hasUnsavedChanges());
    }

    // Generation gives a month its first master; the user then edits the
    // prompt with an entry read before that. Autosave must not lose the master.
    void promptEditAfterAssignMasterKeepsTheMaster()
    {
        QTemporaryDir dir;
        QString path;
        qint64 master = 0;
        {
            auto project = newProject(dir);
            path = project->path();
            MonthEntry stale = project->month(3);
            QSignalSpy masterChanged(project.get(), &Project::masterChanged);
            master = addMaster(*project, 3, "first master");
            project->assignMaster(3, master);
            QCOMPARE(project->month(3).masterId, master);
            QCOMPARE(masterChanged.count(), 1);
            QCOMPARE(project->undoStack()->count(), 0); // not an undo step
            QVERIFY(project->hasUnsavedChanges());
            QVERIFY(project->flush());
            QCOMPARE(monthsOnDisk(path).at(3).masterId, master);

            stale.prompt = QStringLiteral("Skating on a frozen lake");
            QVERIFY(project->setMonth(stale, QStringLiteral("Edit prompt")));
            QCOMPARE(project->month(3).masterId, master);
            QVERIFY(project->flush());
            QCOMPARE(monthsOnDisk(path).at(3).masterId, master);

            // A theme carries no pictures: applying one keeps them.
            QList<MonthEntry> theme;
            for (int m = 0; m < MonthEntry::PageCount; ++m)
                theme.append(MonthEntry{m, {}, QStringLiteral("Theme prompt %1").arg(m), {}, {}, 0});
            QVERIFY(project->setMonths(theme, QStringLiteral("Apply theme")));
            QCOMPARE(project->month(3).masterId, master);
            project->undoStack()->undo();
            QCOMPARE(project->month(3).prompt, QStringLiteral("Skating on a frozen lake"));
            QCOMPARE(project->month(3).masterId, master);
        }
        auto reopened = Project::open(path);
        QVERIFY(reopened);
        QCOMPARE((*reopened)->month(3).prompt, QStringLiteral("Skating on a frozen lake"));
        QCOMPARE((*reopened)->month(3).masterId, master);
        QCOMPARE(*(*reopened)->store().readMaster(3), QByteArray("first master"));
    }

    void undoingAPromptEditMadeBeforeAssignMasterKeepsTheMaster()
    {
        QTemporaryDir dir;
        QString path;
        qint64 master = 0;
        {
            auto project = newProject(dir);
            path = project->path();
            MonthEntry march = project->month(3);
            march.prompt = QStringLiteral("Kites on the beach");
            QVERIFY(project->setMonth(march, QStringLiteral("Edit prompt")));
            master = addMaster(*project, 3, "generated");
            project->assignMaster(3, master);

            project->undoStack()->undo();
            QCOMPARE(project->month(3).prompt, QString());
            QCOMPARE(project->month(3).masterId, master);
            project->undoStack()->redo();
            QCOMPARE(project->month(3).prompt, QStringLiteral("Kites on the beach"));
            QCOMPARE(project->month(3).masterId, master);
            project->undoStack()->undo();
            // A merged edit that ends where it started is dropped; the master stays.
            MonthEntry again = project->month(3);
            again.prompt = QStringLiteral("x");
            QVERIFY(project->setMonth(again, QStringLiteral("Edit prompt")));
            again.prompt.clear();
            QVERIFY(project->setMonth(again, QStringLiteral("Edit prompt")));
            QCOMPARE(project->month(3).masterId, master);
        }
        auto reopened = Project::open(path);
        QVERIFY(reopened);
        QCOMPARE((*reopened)->month(3).prompt, QString());
        QCOMPARE((*reopened)->month(3).masterId, master);
    }

    // Masters only undo could choose again leave the file when the project closes.
    void unusedMastersArePurgedOnClose()
    {
        QTemporaryDir dir;
        QString path;
        qint64 a = 0, b = 0, never = 0;
        {
            auto project = newProject(dir);
            path = project->path();
            a = addMaster(*project, 5, "replaced master bytes");
            b = addMaster(*project, 5, "chosen master bytes");
            never = addMaster(*project, 6, "never chosen bytes");
            QVERIFY(project->setMaster(5, a, QStringLiteral("Choose picture")));
            QVERIFY(project->setMaster(5, b, QStringLiteral("Choose picture")));
            QVERIFY(project->flush());
            // While the project is open, all of them stay (undo may need them).
            QVERIFY(project->store().masterInfo(a));
            QVERIFY(project->store().masterInfo(never));
        }
        {
            auto store = ProjectStore::open(path, ProjectStore::Access::ReadOnly);
            QVERIFY(store);
            QVERIFY((*store)->masterInfo(b));
            QCOMPARE(errorCode((*store)->masterInfo(a)), QStringLiteral("not_found"));
            QCOMPARE(errorCode((*store)->masterInfo(never)), QStringLiteral("not_found"));
            QSqlQuery q((*store)->database());
            QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM image_blob")) && q.next());
            QCOMPARE(q.value(0).toInt(), 1);
            QCOMPARE(*(*store)->readMaster(5), QByteArray("chosen master bytes"));
        }
        // A session that ended without closing (crash) leaves its extras until the next open.
        qint64 orphan = 0;
        {
            auto store = ProjectStore::open(path);
            QVERIFY(store);
            orphan = *(*store)->addMaster(7, MasterSource{}, "orphan", QSize(64, 64), QSize(64, 64));
        }
        auto reopened = Project::open(path);
        QVERIFY(reopened);
        QCOMPARE(errorCode((*reopened)->store().masterInfo(orphan)), QStringLiteral("not_found"));
        QCOMPARE((*reopened)->month(5).masterId, b);
    }

    void spendCapIsValidatedUndoableAndKept()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        const QString path = project->path();
        QCOMPARE(project->settings().spendCapUsd, 0.0);
        for (const double bad : {-1.0, 10000.5, std::numeric_limits<double>::quiet_NaN()})
            QCOMPARE(errorCode(project->setSpendCap(bad)), QStringLiteral("invalid_spend_cap"));
        QCOMPARE(project->undoStack()->count(), 0);
        QVERIFY(project->setSpendCap(20));
        QVERIFY(project->setSpendCap(35.5));
        QCOMPARE(project->undoStack()->count(), 2);
        project->undoStack()->undo();
        QCOMPARE(project->settings().spendCapUsd, 20.0);
        QVERIFY(project->flush());
        QCOMPARE(onDisk(path).spendCapUsd, 20.0);
        QCOMPARE(*project->store().spendCap(), 20.0);

        // Next year's calendar keeps the cap.
        auto next = project->createForNextYear(dir.filePath(QStringLiteral("next.calstudio")));
        QVERIFY(next);
        QCOMPARE((*next)->settings().spendCapUsd, 20.0);
        project.reset();
        auto reopened = Project::open(path);
        QVERIFY(reopened);
        QCOMPARE((*reopened)->settings().spendCapUsd, 20.0);
    }

    void saveAsContinuesOnTheCopy()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        const QString original = project->path();
        const int year = project->settings().year;
        QVERIFY(project->setTitle(QStringLiteral("Version A")));
        QSignalSpy pathChanged(project.get(), &Project::pathChanged);
        const QString copy = dir.filePath(QStringLiteral("copy.calstudio"));
        QVERIFY(project->saveAs(copy));
        QCOMPARE(pathChanged.count(), 1);
        QCOMPARE(project->path(), QFileInfo(copy).absoluteFilePath());

        QVERIFY(project->setYear(year + 1));
        QVERIFY(project->setTitle(QStringLiteral("Version A, edited in the copy")));
        QVERIFY(project->flush());
        QCOMPARE(onDisk(original).title, QStringLiteral("Version A"));
        QCOMPARE(onDisk(copy).title, QStringLiteral("Version A, edited in the copy"));
        // Undo history survives Save As, reaching back before it.
        project->undoStack()->undo();
        QCOMPARE(project->settings().title, QStringLiteral("Version A"));
        project->undoStack()->undo();
        QCOMPARE(project->settings().year, year);
        // The original is no longer locked by us.
        QVERIFY(ProjectStore::open(original));
    }

    // The disk of the open project is full: Save As rescues the edits that could not be saved.
    void saveAsRescuesEditsTheOriginalCouldNotTake()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        const QString original = project->path();
        QSqlQuery q(project->store().database());
        QVERIFY(q.exec(QStringLiteral("PRAGMA page_count")) && q.next());
        QVERIFY(q.exec(QStringLiteral("PRAGMA max_page_count = %1").arg(q.value(0).toInt())));
        q.finish();
        for (int m = 1; m <= 12; ++m) {
            MonthEntry e = project->month(m);
            e.prompt = QString(3000, QLatin1Char('a' + m));
            QVERIFY(project->setMonth(e));
        }
        QVERIFY(project->setTitle(QStringLiteral("Rescued")));
        QVERIFY(!project->flush());

        const QString rescue = dir.filePath(QStringLiteral("rescue.calstudio"));
        auto saved = project->saveAs(rescue);
        QVERIFY2(saved, qPrintable(saved.error().toString()));
        QVERIFY(!project->hasUnsavedChanges());
        auto store = ProjectStore::open(rescue, ProjectStore::Access::ReadOnly);
        QVERIFY(store);
        QCOMPARE((*store)->loadSettings()->title, QStringLiteral("Rescued"));
        QCOMPARE((*store)->loadMonths()->at(7).prompt, QString(3000, QLatin1Char('a' + 7)));
        // The original kept what it had room for and is intact.
        project.reset();
        auto old = ProjectStore::open(original, ProjectStore::Access::ReadOnly);
        QVERIFY(old);
        QCOMPARE(*(*old)->integrityCheck(), QStringLiteral("ok"));
        QVERIFY((*old)->loadMonths()->at(7).prompt.isEmpty());
    }

    void pageDesignSettingsAreUndoableAndValidated()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        QVERIFY(project->setPageLayout(QStringLiteral("full-bleed")));
        QVERIFY(project->setPageTheme(QStringLiteral("night")));
        QVERIFY(project->setWeekNumbers(true));
        QVERIFY(project->setNotesLine(true));
        QCOMPARE(project->setPageLayout(QStringLiteral("collage")).error().code, QStringLiteral("invalid_layout"));
        QCOMPARE(project->setPageTheme(QStringLiteral("neon")).error().code, QStringLiteral("invalid_theme"));
        QVERIFY(project->flush());
        const ProjectSettings saved = onDisk(project->path());
        QCOMPARE(saved.pageLayout, QStringLiteral("full-bleed"));
        QCOMPARE(saved.pageTheme, QStringLiteral("night"));
        QVERIFY(saved.weekNumbers && saved.notesLine);
        QCOMPARE(project->undoStack()->count(), 4);
        project->undoStack()->undo();
        QVERIFY(!project->settings().notesLine);
    }

    void applyingAThemeIsOneUndoStep()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        QList<MonthEntry> entries;
        for (int m = 0; m < MonthEntry::PageCount; ++m)
            entries.append(MonthEntry{m, QStringLiteral("T%1").arg(m), QStringLiteral("Prompt %1").arg(m),
                                      QStringLiteral("watercolor"), {}, 0});
        QVERIFY(project->setMonths(entries, QStringLiteral("Apply theme “Family”")));
        QCOMPARE(project->undoStack()->count(), 1);
        QCOMPARE(project->undoStack()->undoText(), QStringLiteral("Apply theme “Family”"));
        QCOMPARE(project->month(12).prompt, QStringLiteral("Prompt 12"));
        project->undoStack()->undo();
        for (int m = 0; m < MonthEntry::PageCount; ++m)
            QCOMPARE(project->month(m).prompt, QString());
        project->undoStack()->redo();
        QVERIFY(project->flush());
        auto store = ProjectStore::open(project->path(), ProjectStore::Access::ReadOnly);
        QCOMPARE(store.value()->loadMonths()->at(6).title, QStringLiteral("T6"));
    }

    void specialDatesAndHolidayChoicesAreUndoableAndSaved()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        QSignalSpy datesChanged(project.get(), &Project::specialDatesChanged);
        SpecialDate anna;
        anna.date = QDate(1990, 7, 14);
        anna.label = QStringLiteral("Anna");
        anna.kind = SpecialDate::Kind::Birthday;
        anna.showAge = true;
        SpecialDate leo = anna;
        leo.date = QDate(2000, 2, 29);
        leo.label = QStringLiteral("Leo");
        leo.leapRule = SpecialDate::LeapRule::March1;
        QVERIFY(project->setSpecialDates({anna}, QStringLiteral("Add date")));
        QVERIFY(project->setSpecialDates({anna, leo}, QStringLiteral("Add date")));
        QCOMPARE(datesChanged.count(), 2);
        SpecialDate nameless = anna;
        nameless.label.clear();
        QCOMPARE(project->setSpecialDates({nameless}, QStringLiteral("Add date")).error().code,
                 QStringLiteral("invalid_date"));

        project->setHolidayEnabled(QStringLiteral("DE"), QStringLiteral("reformation-day"), false);
        QVERIFY(!project->isHolidayEnabled(QStringLiteral("DE"), QStringLiteral("reformation-day")));
        QVERIFY(project->isHolidayEnabled(QStringLiteral("DE"), QStringLiteral("new-year")));
        QVERIFY(project->flush());
        QString path = project->path();
        project.reset();

        auto reopened = Project::open(path);
        QVERIFY(reopened);
        QCOMPARE((*reopened)->specialDates().size(), 2);
        const auto dates = (*reopened)->specialDates();
        const auto leoBack = std::find_if(dates.begin(), dates.end(), [](const SpecialDate &d) {
            return d.label == QLatin1String("Leo");
        });
        QVERIFY(leoBack != dates.end());
        QCOMPARE(leoBack->leapRule, SpecialDate::LeapRule::March1);
        QVERIFY(leoBack->showAge);
        QVERIFY(!(*reopened)->isHolidayEnabled(QStringLiteral("DE"), QStringLiteral("reformation-day")));
        // Undo history does not survive a reopen, but the edits do; undo within a session works.
        (*reopened)->setHolidayEnabled(QStringLiteral("DE"), QStringLiteral("reformation-day"), true);
        QVERIFY((*reopened)->isHolidayEnabled(QStringLiteral("DE"), QStringLiteral("reformation-day")));
        (*reopened)->undoStack()->undo();
        QVERIFY(!(*reopened)->isHolidayEnabled(QStringLiteral("DE"), QStringLiteral("reformation-day")));
    }

    void selfieDeleteIsUndoableAndPurgedOnClose()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        const QString path = project->path();
        QList<SelfieRecord> added;
        for (int i = 0; i < 3; ++i) {
            SelfieRecord r;
            r.mime = QStringLiteral("image/jpeg");
            r.width = 1200;
            r.height = 1600;
            r.sourceSha256 = QStringLiteral("source-%1").arg(i);
            r.originalName = QStringLiteral("IMG_%1.HEIC").arg(i);
            QVERIFY(project->store().addSelfie(r, QByteArray(5000, char('a' + i))));
            added.append(r);
        }
        project->recordImportedSelfies(added);
        QCOMPARE(project->selfies().size(), 3);
        QCOMPARE(project->undoStack()->undoText(), QStringLiteral("Import 3 selfie(s)"));
        QCOMPARE(*project->store().findSelfieBySource(QStringLiteral("source-1")), added.at(1).id);

        // Delete the middle one, undo, delete again.
        SelfieRecord gone = project->selfies().at(1);
        gone.deleted = true;
        QVERIFY(project->setSelfies({gone}, QStringLiteral("Delete selfie")));
        QCOMPARE(project->selfies().size(), 2);
        project->undoStack()->undo();
        QCOMPARE(project->selfies().size(), 3);
        project->undoStack()->redo();
        QVERIFY(project->flush());
        QCOMPARE(*project->store().findSelfieBySource(QStringLiteral("source-1")), qint64(0));

        // Reorder: the last one first.
        QList<SelfieRecord> order = project->selfies();
        order[0].position = 5;
        QVERIFY(project->setSelfies(order, QStringLiteral("Reorder")));
        QCOMPARE(project->selfies().first().originalName, QStringLiteral("IMG_2.HEIC"));

        // Undoing the import removes what it brought.
        project->undoStack()->undo(); // reorder
        project->undoStack()->undo(); // delete
        project->undoStack()->undo(); // import
        QVERIFY(project->selfies().isEmpty());
        project->undoStack()->redo();
        QCOMPARE(project->selfies().size(), 3);
        gone = project->selfies().at(1);
        gone.deleted = true;
        QVERIFY(project->setSelfies({gone}, QStringLiteral("Delete selfie")));
        project.reset(); // close: the deleted selfie leaves the file

        auto store = ProjectStore::open(path, ProjectStore::Access::ReadOnly);
        QVERIFY(store);
        auto all = (*store)->loadSelfies(true);
        QCOMPARE(all->size(), 2);
        QCOMPARE((*store)->counts()->selfies, 2);
    }

    // "Forget selfies": the photos' bytes are no longer anywhere in the project file.
    void forgetSelfiesLeavesNoBytesBehind()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        const QString path = project->path();
        QByteArray marker;
        for (int i = 0; i < 2000; ++i)
            marker += "SELFIE-PIXELS-" + QByteArray::number(i) + ';';
        SelfieRecord r;
        r.mime = QStringLiteral("image/jpeg");
        r.sourceSha256 = QStringLiteral("marker");
        QVERIFY(project->store().addSelfie(r, marker));
        project->recordImportedSelfies({r});
        QVERIFY(project->flush());
        auto fileContains = [&](const QByteArray &needle) {
            for (const QString &p : QStringList{path, path + QStringLiteral("-wal")}) {
                QFile f(p);
                if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle))
                    return true;
            }
            return false;
        };
        QVERIFY(fileContains("SELFIE-PIXELS-1999;"));
        QVERIFY(project->forgetSelfies());
        QVERIFY(project->selfies().isEmpty());
        QCOMPARE(project->undoStack()->count(), 0);
        QVERIFY2(!fileContains("SELFIE-PIXELS-"), "selfie bytes still in the project file");
        project.reset();
        QVERIFY2(!fileContains("SELFIE-PIXELS-"), "selfie bytes still in the project file after closing");
        auto store = ProjectStore::open(path);
        QCOMPARE(*(*store)->integrityCheck(), QStringLiteral("ok"));
    }

    void failedSaveKeepsEditsAndRetries()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        QSignalSpy failed(project.get(), &Project::saveFailed);
        QSqlQuery q(project->store().database());
        QVERIFY(q.exec(QStringLiteral("PRAGMA page_count")) && q.next());
        const int pages = q.value(0).toInt();
        QVERIFY(q.exec(QStringLiteral("PRAGMA max_page_count = %1").arg(pages)));

        MonthEntry june = project->month(6);
        june.prompt = QString(600, QLatin1Char('x'));
        for (int m = 1; m <= 12; ++m) {
            MonthEntry e = project->month(m);
            e.prompt = QString(3000, QLatin1Char('a' + m));
            QVERIFY(project->setMonth(e));
        }
        auto st = project->flush();
        QVERIFY(!st);
        QCOMPARE(st.error().code, QStringLiteral("disk_full"));
        QCOMPARE(failed.count(), 1);
        QVERIFY(project->hasUnsavedChanges());
        QCOMPARE(project->month(12).prompt, QString(3000, QLatin1Char('a' + 12)));

        // Space comes back: the next save writes everything.
        QVERIFY(q.exec(QStringLiteral("PRAGMA max_page_count = 1000000")));
        QVERIFY(project->flush());
        QVERIFY(!project->hasUnsavedChanges());
        auto store = ProjectStore::open(project->path(), ProjectStore::Access::ReadOnly);
        QCOMPARE(store.value()->loadMonths()->at(12).prompt, QString(3000, QLatin1Char('a' + 12)));
    }
};

QTEST_GUILESS_MAIN(TestProject)
#include "tst_project.moc"
