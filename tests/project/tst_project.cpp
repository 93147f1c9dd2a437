#include "core/project/project.h"
#include "core/project/projectstore.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace CalStudio;

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
