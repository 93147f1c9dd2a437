#include "core/project/promptrules.h"
#include "core/project/prompttheme.h"
#include "core/project/promptthemelibrary.h"
#include "core/project/stylepreset.h"

#include <QCollator>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace CalStudio;

Q_DECLARE_METATYPE(CalStudio::MonthEntry)

namespace {

const QStringList BuiltInIds {
    QStringLiteral("family"),
    QStringLiteral("travel"),
    QStringLiteral("fantasy"),
    QStringLiteral("vintage"),
    QStringLiteral("sports"),
    QStringLiteral("kids"),
    QStringLiteral("wedding"),
    QStringLiteral("nature"),
    QStringLiteral("minimalist"),
    QStringLiteral("professional"),
};

const QStringList StyleIds {
    QStringLiteral("photorealistic"),
    QStringLiteral("cinematic"),
    QStringLiteral("watercolor"),
    QStringLiteral("oil-painting"),
    QStringLiteral("3d-cartoon"),
    QStringLiteral("vintage-film"),
    QStringLiteral("pencil-sketch"),
    QStringLiteral("pop-art"),
};

/// Thirteen valid pages with prompts no built-in theme has.
QList<MonthEntry> ownEntries(const QString &flavour = QStringLiteral("harbour"))
{
    QList<MonthEntry> entries;
    for (int month = 0; month < MonthEntry::PageCount; ++month) {
        MonthEntry e;
        e.month = month;
        e.title = QStringLiteral("Page %1").arg(month);
        e.prompt = QStringLiteral("The person from the reference photos by the %1, page %2.").arg(flavour).arg(month);
        e.style = month % 2 ? QStringLiteral("watercolor") : QStringLiteral("cinematic");
        e.avoid = QStringLiteral("text");
        e.masterId = 40 + month; // a project's picture; must not end up in the theme
        entries.append(e);
    }
    return entries;
}

/// A valid theme as a JSON object, for the malformed-input table to damage.
QJsonObject validThemeObject()
{
    PromptTheme theme;
    theme.id = QStringLiteral("harbour");
    theme.name = QStringLiteral("Harbour");
    theme.description = QStringLiteral("Boats and gulls.");
    theme.defaultStyle = QStringLiteral("watercolor");
    theme.entries = ownEntries();
    return QJsonDocument::fromJson(theme.toJson()).object();
}

QJsonObject withEntries(QJsonObject o, const std::function<void(QJsonArray &)> &change)
{
    QJsonArray entries = o.value(QLatin1String("entries")).toArray();
    change(entries);
    o.insert(QStringLiteral("entries"), entries);
    return o;
}

QJsonObject withEntryField(const QJsonObject &o, int index, const QString &key, const QJsonValue &value)
{
    return withEntries(o, [&](QJsonArray &entries) {
        QJsonObject e = entries.at(index).toObject();
        if (value.isUndefined())
            e.remove(key);
        else
            e.insert(key, value);
        entries.replace(index, e);
    });
}

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

int builtInCount(const PromptThemeLibrary &library)
{
    int n = 0;
    for (const PromptTheme &t : library.themes())
        n += t.builtIn ? 1 : 0;
    return n;
}

QStringList ids(const QList<PromptTheme> &themes)
{
    QStringList result;
    for (const PromptTheme &t : themes)
        result.append(t.id);
    return result;
}

QStringList codes(const QList<Error> &errors)
{
    QStringList result;
    for (const Error &e : errors)
        result.append(e.code);
    return result;
}

} // namespace

class TestPromptThemeLibrary : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        // Messages name months in the default locale; pin it so the checks read English.
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }

    // The JSON is compiled into the static calstudio_project library; a test
    // executable that merely links it must see the files without Q_INIT_RESOURCE.
    void resourcesAreEmbedded()
    {
        QVERIFY(QFile::exists(QStringLiteral(":/calstudio/styles.json")));
        const QStringList files = QDir(QStringLiteral(":/calstudio/themes")).entryList({ QStringLiteral("*.json") });
        QVERIFY2(files.size() >= BuiltInIds.size(), qPrintable(files.join(u',')));
    }

    void stylePresets()
    {
        const QList<StylePreset> &all = StylePreset::all();
        QVERIFY(all.size() >= StyleIds.size());
        QSet<QString> seen;
        for (const StylePreset &preset : all) {
            QVERIFY2(!seen.contains(preset.id), qPrintable(preset.id));
            seen.insert(preset.id);
            QVERIFY(!preset.name.isEmpty());
            QVERIFY(!preset.description.isEmpty());
            QVERIFY2(!preset.description.contains(u'\n') && preset.description.size() <= 120,
                qPrintable(preset.description));
            QVERIFY2(preset.promptSuffix.size() >= 150, qPrintable(preset.id));
            // Every style has to keep the person recognisable.
            QVERIFY2(preset.promptSuffix.contains(QLatin1String("reference photos")), qPrintable(preset.id));
        }
        for (const QString &id : StyleIds) {
            const auto preset = StylePreset::find(id);
            QVERIFY2(preset, qPrintable(id));
            QCOMPARE(preset->id, id);
        }
        QVERIFY(!StylePreset::find(QStringLiteral("claymation")));
        QVERIFY(!StylePreset::find(QString()));
    }

    void builtInTheme_data()
    {
        QTest::addColumn<QString>("id");
        for (const QString &id : BuiltInIds)
            QTest::newRow(qPrintable(id)) << id;
    }
    void builtInTheme()
    {
        QFETCH(QString, id);
        QTemporaryDir dir;
        const PromptThemeLibrary library(dir.path());
        const auto theme = library.find(id);
        QVERIFY2(theme, qPrintable(id));
        QVERIFY(theme->builtIn);
        QVERIFY(!theme->name.isEmpty());
        QVERIFY(theme->description.contains(QLatin1String("northern hemisphere"))
            || theme->description.contains(QLatin1String("northern-hemisphere")));
        QVERIFY(StylePreset::find(theme->defaultStyle));
        QVERIFY(theme->validate());

        QCOMPARE(theme->entries.size(), MonthEntry::PageCount);
        const bool people = id == QLatin1String("family") || id == QLatin1String("wedding");
        QSet<QString> titles;
        for (int month = 0; month < MonthEntry::PageCount; ++month) {
            const MonthEntry &e = theme->entries.at(month);
            const QByteArray where = id.toUtf8() + ' ' + QByteArray::number(month);
            QCOMPARE(e.month, month);
            QVERIFY2(!e.title.isEmpty() && e.title.size() <= PromptRules::MaxTitleLength, where.constData());
            QVERIFY2(!titles.contains(e.title), where.constData());
            titles.insert(e.title);
            QVERIFY2(e.prompt.size() >= 150 && e.prompt.size() <= 450, where.constData());
            QVERIFY2(PromptRules::check(e).isEmpty(), where.constData());
            QVERIFY2(StylePreset::find(e.style), where.constData());
            QVERIFY2(!e.avoid.isEmpty(), where.constData());
            QCOMPARE(e.masterId, 0);
            const QString subject = people ? QStringLiteral("The people from the reference photos")
                                           : QStringLiteral("The person from the reference photos");
            QVERIFY2(e.prompt.startsWith(subject), where.constData());
        }

        // The file format round-trips.
        auto again = PromptTheme::fromJson(theme->toJson());
        QVERIFY(again);
        again->builtIn = true;
        QCOMPARE(*again, *theme);
    }

    void builtInPromptsAreDistinct()
    {
        QTemporaryDir dir;
        const PromptThemeLibrary library(dir.path());
        QCOMPARE(builtInCount(library), BuiltInIds.size());
        QVERIFY2(library.problems().isEmpty(), qPrintable(library.problems().value(0).toString()));
        QHash<QString, QString> seen;
        for (const PromptTheme &theme : library.themes()) {
            for (const MonthEntry &e : theme.entries) {
                const QString where = theme.id + u' ' + QString::number(e.month);
                QVERIFY2(
                    !seen.contains(e.prompt), qPrintable(where + QLatin1String(" repeats ") + seen.value(e.prompt)));
                seen.insert(e.prompt, where);
            }
        }
        QCOMPARE(seen.size(), BuiltInIds.size() * MonthEntry::PageCount);
    }

    void builtInsComeFirstSortedByName()
    {
        QTemporaryDir dir;
        PromptThemeLibrary library(dir.path());
        QVERIFY(library.saveUserTheme(QStringLiteral("Zebra crossings"), ownEntries(QStringLiteral("zebra"))));
        QVERIFY(library.saveUserTheme(QStringLiteral("apple trees"), ownEntries(QStringLiteral("apple"))));
        const QList<PromptTheme> themes = library.themes();
        QCOMPARE(themes.size(), BuiltInIds.size() + 2);
        QCollator collator;
        collator.setCaseSensitivity(Qt::CaseInsensitive);
        for (int i = 0; i < themes.size(); ++i) {
            QCOMPARE(themes.at(i).builtIn, i < BuiltInIds.size());
            if (i > 0 && themes.at(i).builtIn == themes.at(i - 1).builtIn)
                QVERIFY(collator.compare(themes.at(i - 1).name, themes.at(i).name) <= 0);
        }
        QCOMPARE(themes.at(themes.size() - 2).id, QStringLiteral("apple-trees"));
        QCOMPARE(themes.last().id, QStringLiteral("zebra-crossings"));
    }

    void fromJsonRejects_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("code");
        const QJsonObject ok = validThemeObject();

        QTest::newRow("not JSON") << QByteArray("{ \"id\": ") << QStringLiteral("theme_malformed");
        QTest::newRow("empty file") << QByteArray() << QStringLiteral("theme_malformed");
        QTest::newRow("an array") << QByteArray("[1, 2]") << QStringLiteral("theme_malformed");
        QTest::newRow("huge") << QByteArray(PromptTheme::MaxFileSize + 1, ' ') << QStringLiteral("theme_too_large");
        QJsonObject newer = ok;
        newer.insert(QStringLiteral("version"), 2);
        QTest::newRow("newer version") << json(newer) << QStringLiteral("theme_newer_version");
        for (const char *field : { "id", "name", "description", "defaultStyle", "entries" }) {
            QJsonObject o = ok;
            o.remove(QLatin1String(field));
            QTest::addRow("missing %s", field) << json(o) << QStringLiteral("theme_missing_field");
        }
        QJsonObject numericName = ok;
        numericName.insert(QStringLiteral("name"), 42);
        QTest::newRow("name is a number") << json(numericName) << QStringLiteral("theme_invalid_field");
        QJsonObject entriesObject = ok;
        entriesObject.insert(QStringLiteral("entries"), QJsonObject());
        QTest::newRow("entries is an object") << json(entriesObject) << QStringLiteral("theme_invalid_field");
        QTest::newRow("entry is a string")
            << json(withEntries(ok, [](QJsonArray &a) { a.replace(4, QStringLiteral("April")); }))
            << QStringLiteral("theme_invalid_field");
        for (const char *field : { "month", "title", "prompt", "style", "avoid" })
            QTest::addRow("entry without %s", field)
                << json(withEntryField(ok, 7, QLatin1String(field), QJsonValue::Undefined))
                << QStringLiteral("theme_missing_field");
        QJsonObject badId = ok;
        badId.insert(QStringLiteral("id"), QStringLiteral("../My Theme"));
        QTest::newRow("id with path characters") << json(badId) << QStringLiteral("theme_invalid_id");
        QJsonObject blankName = ok;
        blankName.insert(QStringLiteral("name"), QStringLiteral("   "));
        QTest::newRow("blank name") << json(blankName) << QStringLiteral("theme_invalid_name");
        QTest::newRow("12 entries") << json(withEntries(ok, [](QJsonArray &a) { a.removeLast(); }))
                                    << QStringLiteral("theme_entry_count");
        QTest::newRow("no entries") << json(withEntries(ok, [](QJsonArray &a) { a = QJsonArray(); }))
                                    << QStringLiteral("theme_entry_count");
        QTest::newRow("14 entries") << json(withEntries(ok, [](QJsonArray &a) { a.append(a.at(3)); }))
                                    << QStringLiteral("theme_entry_count");
        QTest::newRow("duplicate month") << json(withEntryField(ok, 6, QStringLiteral("month"), 5))
                                         << QStringLiteral("theme_duplicate_month");
        QTest::newRow("month 13") << json(withEntryField(ok, 12, QStringLiteral("month"), 13))
                                  << QStringLiteral("theme_invalid_month");
        QTest::newRow("month -1") << json(withEntryField(ok, 0, QStringLiteral("month"), -1))
                                  << QStringLiteral("theme_invalid_month");
        QTest::newRow("month 2.5") << json(withEntryField(ok, 2, QStringLiteral("month"), 2.5))
                                   << QStringLiteral("theme_invalid_month");
        QTest::newRow("month as text") << json(withEntryField(ok, 2, QStringLiteral("month"), QStringLiteral("2")))
                                       << QStringLiteral("theme_invalid_month");
        QTest::newRow("prompt over the limit")
            << json(withEntryField(ok, 3, QStringLiteral("prompt"), QString(PromptRules::MaxPromptLength + 1, u'a')))
            << QStringLiteral("theme_prompt_too_long");
        QTest::newRow("empty prompt") << json(withEntryField(ok, 3, QStringLiteral("prompt"), QStringLiteral(" ")))
                                      << QStringLiteral("theme_empty_prompt");
        QTest::newRow("title over the limit") << json(withEntryField(ok, 3, QStringLiteral("title"), QString(41, u't')))
                                              << QStringLiteral("theme_title_too_long");
        QTest::newRow("avoid over the limit")
            << json(withEntryField(ok, 3, QStringLiteral("avoid"), QString(201, u'x')))
            << QStringLiteral("theme_avoid_too_long");
        QTest::newRow("unknown entry style")
            << json(withEntryField(ok, 9, QStringLiteral("style"), QStringLiteral("claymation")))
            << QStringLiteral("theme_unknown_style");
        QJsonObject badDefault = ok;
        badDefault.insert(QStringLiteral("defaultStyle"), QStringLiteral("claymation"));
        QTest::newRow("unknown default style") << json(badDefault) << QStringLiteral("theme_unknown_style");
    }
    void fromJsonRejects()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, code);
        const Result<PromptTheme> theme = PromptTheme::fromJson(input);
        QVERIFY(!theme);
        QCOMPARE(theme.error().code, code);
        QVERIFY(!theme.error().userMessage.isEmpty());
        QVERIFY2(theme.error().userMessage.endsWith(u'.'), qPrintable(theme.error().userMessage));
    }

    void fromJsonAcceptsValid()
    {
        QJsonObject o = validThemeObject();
        o.remove(QLatin1String("version")); // optional, means 1
        // Pages may come in any order; an empty style means "use the theme's default".
        o = withEntries(o, [](QJsonArray &a) {
            QJsonArray reversed;
            for (const QJsonValue &v : std::as_const(a))
                reversed.prepend(v);
            QJsonObject e = reversed.at(0).toObject();
            e.insert(QStringLiteral("style"), QString());
            reversed.replace(0, e);
            a = reversed;
        });
        const Result<PromptTheme> theme = PromptTheme::fromJson(json(o));
        QVERIFY2(theme, qPrintable(theme ? QString() : theme.error().toString()));
        QCOMPARE(theme->id, QStringLiteral("harbour"));
        QCOMPARE(theme->entries.size(), 13);
        QVERIFY(theme->entry(12));
        QCOMPARE(theme->entry(12)->style, QString());
        QVERIFY(!theme->builtIn);
        QVERIFY(!theme->entry(13));
    }

    void fromJsonMessagesNameThePage()
    {
        const QJsonObject ok = validThemeObject();
        const auto missing = PromptTheme::fromJson(json(withEntries(ok, [](QJsonArray &a) { a.removeAt(12); })));
        QVERIFY(!missing);
        QVERIFY2(
            missing.error().userMessage.contains(QLatin1String("December")), qPrintable(missing.error().userMessage));
        const auto duplicate = PromptTheme::fromJson(json(withEntryField(ok, 6, QStringLiteral("month"), 5)));
        QVERIFY(duplicate.error().userMessage.contains(QLatin1String("May")));
        const auto tooLong
            = PromptTheme::fromJson(json(withEntryField(ok, 3, QStringLiteral("prompt"), QString(634, u'a'))));
        QCOMPARE(
            tooLong.error().userMessage, QStringLiteral("March: The scene is 34 characters too long (634 of 600)."));
    }

    void saveReloadRemove()
    {
        QTemporaryDir dir;
        const QString themesDir = dir.filePath(QStringLiteral("themes")); // created on first save
        PromptThemeLibrary library(themesDir);
        QCOMPARE(library.themes().size(), BuiltInIds.size());

        const QList<MonthEntry> entries = ownEntries();
        const Status saved = library.saveUserTheme(QStringLiteral("  Beach Days "), entries);
        QVERIFY2(saved, qPrintable(saved.error().toString()));
        const QString file = QDir(themesDir).filePath(QStringLiteral("beach-days.json"));
        QVERIFY(QFile::exists(file));
        QCOMPARE(QDir(themesDir).entryList(QDir::Files).size(), 1); // no temporary left behind

        auto mine = library.find(QStringLiteral("beach-days"));
        QVERIFY(mine);
        QVERIFY(!mine->builtIn);
        QCOMPARE(mine->name, QStringLiteral("Beach Days"));
        QCOMPARE(mine->defaultStyle, QStringLiteral("cinematic")); // 7 of 13 pages
        QCOMPARE(library.findUserTheme(QStringLiteral("beach days"))->id, mine->id);

        // A new instance (the next start of the studio) reads it back.
        const PromptThemeLibrary reopened(themesDir);
        QVERIFY(reopened.problems().isEmpty());
        const auto loaded = reopened.find(QStringLiteral("beach-days"));
        QVERIFY(loaded);
        QCOMPARE(*loaded, *mine);
        for (int month = 0; month < MonthEntry::PageCount; ++month) {
            MonthEntry expected = entries.at(month);
            expected.masterId = 0;
            QCOMPARE(loaded->entry(month), std::optional<MonthEntry>(expected));
        }

        QVERIFY(library.removeUserTheme(QStringLiteral("beach-days")));
        QVERIFY(!QFile::exists(file));
        QVERIFY(!library.find(QStringLiteral("beach-days")));
        QVERIFY(!PromptThemeLibrary(themesDir).find(QStringLiteral("beach-days")));
        QCOMPARE(library.removeUserTheme(QStringLiteral("beach-days")).error().code, QStringLiteral("theme_not_found"));
    }

    void sameNameOverwrites()
    {
        QTemporaryDir dir;
        PromptThemeLibrary library(dir.path());
        QVERIFY(library.saveUserTheme(QStringLiteral("Beach Days"), ownEntries(QStringLiteral("first"))));
        QVERIFY(library.saveUserTheme(QStringLiteral("BEACH DAYS"), ownEntries(QStringLiteral("second"))));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList { QStringLiteral("beach-days.json") });
        QCOMPARE(library.themes().size(), BuiltInIds.size() + 1);
        QVERIFY(library.find(QStringLiteral("beach-days"))->entry(1)->prompt.contains(QLatin1String("second")));

        // A different name that makes the same id gets its own file instead of replacing the first.
        QVERIFY(library.saveUserTheme(QStringLiteral("Beach days!"), ownEntries(QStringLiteral("third"))));
        QVERIFY(library.find(QStringLiteral("beach-days-2")));
        QVERIFY(library.find(QStringLiteral("beach-days"))->entry(1)->prompt.contains(QLatin1String("second")));
    }

    void builtInsCannotBeReplacedOrRemoved_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("same name") << QStringLiteral("Family");
        QTest::newRow("other case and spaces") << QStringLiteral("  fantasy ");
        QTest::newRow("ampersand name") << QStringLiteral("Wedding & Romance");
    }
    void builtInsCannotBeReplacedOrRemoved()
    {
        QFETCH(QString, name);
        QTemporaryDir dir;
        PromptThemeLibrary library(dir.path());
        const auto before = library.themes();
        const Status saved = library.saveUserTheme(name, ownEntries());
        QVERIFY(!saved);
        QCOMPARE(saved.error().code, QStringLiteral("theme_builtin"));
        QVERIFY(QDir(dir.path()).isEmpty());
        QCOMPARE(library.themes(), before);

        for (const QString &id : BuiltInIds) {
            const Status removed = library.removeUserTheme(id);
            QCOMPARE(removed.error().code, QStringLiteral("theme_builtin"));
            QVERIFY(library.find(id));
        }
    }

    void aNameLikeABuiltInIdGetsItsOwnId()
    {
        QTemporaryDir dir;
        PromptThemeLibrary library(dir.path());
        // "Family!" is not the built-in's name, but it would make the built-in's id.
        QVERIFY(library.saveUserTheme(QStringLiteral("Family!"), ownEntries()));
        QVERIFY(library.find(QStringLiteral("family"))->builtIn);
        QCOMPARE(library.findUserTheme(QStringLiteral("Family!"))->id, QStringLiteral("family-2"));
    }

    void saveRefusesInvalidEntries_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QList<MonthEntry>>("entries");
        QTest::addColumn<QString>("code");
        QList<MonthEntry> twelve = ownEntries();
        twelve.removeFirst();
        QList<MonthEntry> longPrompt = ownEntries();
        longPrompt[5].prompt = QString(700, u'a');
        QList<MonthEntry> empty = ownEntries();
        empty[8].prompt.clear();
        QList<MonthEntry> badStyle = ownEntries();
        badStyle[2].style = QStringLiteral("claymation");
        QTest::newRow("no cover") << QStringLiteral("Mine") << twelve << QStringLiteral("theme_entry_count");
        QTest::newRow("long prompt") << QStringLiteral("Mine") << longPrompt << QStringLiteral("theme_prompt_too_long");
        QTest::newRow("empty August") << QStringLiteral("Mine") << empty << QStringLiteral("theme_empty_prompt");
        QTest::newRow("unknown style") << QStringLiteral("Mine") << badStyle << QStringLiteral("theme_unknown_style");
        QTest::newRow("no name") << QStringLiteral("  ") << ownEntries() << QStringLiteral("theme_invalid_name");
        QTest::newRow("name too long") << QString(61, u'n') << ownEntries() << QStringLiteral("theme_invalid_name");
    }
    void saveRefusesInvalidEntries()
    {
        QFETCH(QString, name);
        QFETCH(QList<MonthEntry>, entries);
        QFETCH(QString, code);
        QTemporaryDir dir;
        PromptThemeLibrary library(dir.path());
        const Status saved = library.saveUserTheme(name, entries);
        QVERIFY(!saved);
        QCOMPARE(saved.error().code, code);
        QVERIFY(QDir(dir.path()).isEmpty());
    }

    void saveFailureIsReported()
    {
        QTemporaryDir dir;
        // A file where the themes folder should be: the folder cannot be created.
        const QString blocked = dir.filePath(QStringLiteral("themes"));
        QVERIFY(writeFile(blocked, "not a folder"));
        PromptThemeLibrary library(blocked);
        const Status saved = library.saveUserTheme(QStringLiteral("Mine"), ownEntries());
        QVERIFY(!saved);
        QCOMPARE(saved.error().code, QStringLiteral("theme_save_failed"));
        QVERIFY(saved.error().userMessage.contains(QLatin1String("disk space")));
        QCOMPARE(readFile(blocked), QByteArray("not a folder"));
    }

    void corruptUserFilesAreSkippedAndReported()
    {
        QTemporaryDir dir;
        const QDir d(dir.path());
        PromptTheme good;
        good.id = QStringLiteral("good");
        good.name = QStringLiteral("Good one");
        good.description = QStringLiteral("Fine.");
        good.defaultStyle = QStringLiteral("pop-art");
        good.entries = ownEntries();
        for (MonthEntry &e : good.entries)
            e.masterId = 0;
        QVERIFY(writeFile(d.filePath(QStringLiteral("good.json")), good.toJson()));
        QVERIFY(writeFile(d.filePath(QStringLiteral("broken.json")), "{ \"id\": \"broken\", "));
        QJsonObject twelve = QJsonDocument::fromJson(good.toJson()).object();
        twelve = withEntries(twelve, [](QJsonArray &a) { a.removeLast(); });
        QVERIFY(writeFile(d.filePath(QStringLiteral("twelve.json")), json(twelve)));
        QVERIFY(writeFile(d.filePath(QStringLiteral("family.json")), good.toJson())); // a built-in's id
        QVERIFY(writeFile(d.filePath(QStringLiteral("huge.json")), QByteArray(PromptTheme::MaxFileSize + 10, ' ')));
        QVERIFY(writeFile(d.filePath(QStringLiteral("notes.txt")), "not a theme, not looked at"));

        PromptThemeLibrary library(dir.path());
        QCOMPARE(ids(library.themes()).mid(BuiltInIds.size()), QStringList { QStringLiteral("good") });
        QVERIFY(library.find(QStringLiteral("family"))->builtIn);
        QStringList problemCodes = codes(library.problems());
        problemCodes.sort();
        QCOMPARE(problemCodes,
            (QStringList { QStringLiteral("theme_duplicate_id"), QStringLiteral("theme_entry_count"),
                QStringLiteral("theme_malformed"), QStringLiteral("theme_too_large") }));
        for (const Error &problem : library.problems()) {
            QVERIFY2(problem.detail.startsWith(dir.path()), qPrintable(problem.detail));
            QVERIFY(problem.userMessage.startsWith(QStringLiteral("Your theme file “")));
        }

        // The user's damaged file is never written over by a save of the same name.
        const QByteArray brokenBytes = readFile(d.filePath(QStringLiteral("broken.json")));
        QVERIFY(library.saveUserTheme(QStringLiteral("Broken"), ownEntries()));
        QCOMPARE(readFile(d.filePath(QStringLiteral("broken.json"))), brokenBytes);
        QVERIFY(library.find(QStringLiteral("broken-2")));

        // Fixing the file and reloading clears its problem.
        QVERIFY(QFile::remove(d.filePath(QStringLiteral("broken.json"))));
        library.reload();
        QCOMPARE(library.problems().size(), 3);
    }

    void renamedFileBecomesItsOwnTheme()
    {
        QTemporaryDir dir;
        PromptThemeLibrary library(dir.path());
        QVERIFY(library.saveUserTheme(QStringLiteral("Beach Days"), ownEntries()));
        QVERIFY(QFile::copy(
            dir.filePath(QStringLiteral("beach-days.json")), dir.filePath(QStringLiteral("Beach Days (copy).json"))));
        library.reload();
        QVERIFY(library.problems().isEmpty());
        QVERIFY(library.find(QStringLiteral("beach-days-copy")));
        QVERIFY(library.removeUserTheme(QStringLiteral("beach-days-copy")));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("Beach Days (copy).json"))));
    }

    void idForName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("id");
        QTest::newRow("words") << QStringLiteral("Beach Days") << QStringLiteral("beach-days");
        QTest::newRow("accents") << QStringLiteral("Été à Nice") << QStringLiteral("ete-a-nice");
        QTest::newRow("sharp s") << QStringLiteral("Straße 2027") << QStringLiteral("strasse-2027");
        QTest::newRow("punctuation") << QStringLiteral("  --Hello, World!!  ") << QStringLiteral("hello-world");
        QTest::newRow("path characters") << QStringLiteral("../../etc/passwd") << QStringLiteral("etc-passwd");
        QTest::newRow("reserved on Windows") << QStringLiteral("CON") << QStringLiteral("con-theme");
        QTest::newRow("long") << QString(80, u'a') << QString(48, u'a');
    }
    void idForName()
    {
        QFETCH(QString, name);
        QFETCH(QString, id);
        QCOMPARE(PromptThemeLibrary::idForName(name), id);
        QVERIFY(PromptTheme::isValidId(id));
    }

    void idForNameWithoutLatinLetters()
    {
        const QString id = PromptThemeLibrary::idForName(QStringLiteral("Москва"));
        QVERIFY2(id.startsWith(QLatin1String("theme-")), qPrintable(id));
        QVERIFY(PromptTheme::isValidId(id));
        QCOMPARE(PromptThemeLibrary::idForName(QStringLiteral("Москва")), id); // stable
        QVERIFY(PromptThemeLibrary::idForName(QStringLiteral("東京")) != id);
    }

    void suggest_data()
    {
        QTest::addColumn<int>("month");
        for (int month = 0; month < MonthEntry::PageCount; ++month)
            QTest::addRow("month %d", month) << month;
    }
    void suggest()
    {
        QFETCH(int, month);
        QTemporaryDir dir;
        const PromptThemeLibrary library(dir.path());
        const QString current = library.find(QStringLiteral("family"))->entry(month)->prompt;

        QSet<QString> prompts;
        for (quint32 seed = 0; seed < 40; ++seed) {
            const MonthEntry s = library.suggest(month, current, seed);
            QCOMPARE(s.month, month);
            QVERIFY(!s.prompt.isEmpty());
            QVERIFY(s.prompt != current);
            QVERIFY(StylePreset::find(s.style));
            QCOMPARE(s.masterId, 0);
            QCOMPARE(library.suggest(month, current, seed), s); // deterministic per seed
            // It is a scene for this very month.
            bool fromLibrary = false;
            for (const PromptTheme &t : library.themes())
                fromLibrary = fromLibrary || t.entry(month) == std::optional<MonthEntry>(s);
            QVERIFY(fromLibrary);
            prompts.insert(s.prompt);
        }
        QVERIFY2(prompts.size() >= 4, "different seeds should give different scenes");

        // Spacing differences do not make the current prompt "different".
        const QString respaced = QStringLiteral("  ") + QString(current).replace(u' ', QLatin1String("  "));
        for (quint32 seed = 0; seed < 40; ++seed)
            QVERIFY(library.suggest(month, respaced, seed).prompt != current);
    }

    void suggestUsesUserThemesAndRejectsBadMonths()
    {
        QTemporaryDir dir;
        PromptThemeLibrary library(dir.path());
        QVERIFY(library.saveUserTheme(QStringLiteral("Harbour"), ownEntries()));
        const QString mine = ownEntries().at(5).prompt;
        bool seen = false;
        for (quint32 seed = 0; seed < 200 && !seen; ++seed)
            seen = library.suggest(5, QString(), seed).prompt == mine;
        QVERIFY(seen);

        QVERIFY(library.suggest(-1, QString(), 1).prompt.isEmpty());
        QVERIFY(library.suggest(13, QString(), 1).prompt.isEmpty());
        QCOMPARE(library.suggest(13, QString(), 1).month, 13);
    }
};

QTEST_GUILESS_MAIN(TestPromptThemeLibrary)
#include "tst_promptthemelibrary.moc"
