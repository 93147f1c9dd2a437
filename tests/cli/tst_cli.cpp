#include "core/project/project.h"
#include "core/project/projectstore.h"
#include "core/project/schema.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace CalStudio;

namespace {
struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run cli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(CALSTUDIO_CLI_PATH), args);
    Run r;
    // Generous: under ASan on a busy machine a generate or render run takes tens of seconds.
    if (!p.waitForFinished(180000))
        return r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}
} // namespace

/// calstudio-cli is a contract for scripts: its JSON keys and exit codes are tested as such.
class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void projectNewAndInfo()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("family.calstudio"));
        const Run created = cli({QStringLiteral("project"), QStringLiteral("new"), path, QStringLiteral("--title"),
                                 QStringLiteral("Family 2027"), QStringLiteral("--year"), QStringLiteral("2027"),
                                 QStringLiteral("--start-month"), QStringLiteral("7"), QStringLiteral("--week-start"),
                                 QStringLiteral("monday"), QStringLiteral("--locale"), QStringLiteral("de_DE"),
                                 QStringLiteral("--holiday-region"), QStringLiteral("DE")});
        QCOMPARE(created.exitCode, 0);
        QVERIFY2(created.err.isEmpty(), created.err.constData());

        const Run info = cli({QStringLiteral("project"), QStringLiteral("info"), path});
        QCOMPARE(info.exitCode, 0);
        QJsonParseError parseError;
        const QJsonObject o = QJsonDocument::fromJson(info.out, &parseError).object();
        QCOMPARE(parseError.error, QJsonParseError::NoError);
        QCOMPARE(o.value(QStringLiteral("title")).toString(), QStringLiteral("Family 2027"));
        QCOMPARE(o.value(QStringLiteral("year")).toInt(), 2027);
        QCOMPARE(o.value(QStringLiteral("start_month")).toInt(), 7);
        QCOMPARE(o.value(QStringLiteral("end_year")).toInt(), 2028);
        QCOMPARE(o.value(QStringLiteral("end_month")).toInt(), 6);
        QCOMPARE(o.value(QStringLiteral("week_start")).toString(), QStringLiteral("monday"));
        QCOMPARE(o.value(QStringLiteral("locale")).toString(), QStringLiteral("de_DE"));
        QCOMPARE(o.value(QStringLiteral("holiday_region")).toString(), QStringLiteral("DE"));
        QCOMPARE(o.value(QStringLiteral("schema_version")).toInt(), Schema::currentVersion());
        QCOMPARE(o.value(QStringLiteral("selfies")).toInt(), 0);
        const QJsonArray months = o.value(QStringLiteral("months")).toArray();
        QCOMPARE(months.size(), 13);
        QVERIFY(months.at(1).toObject().value(QStringLiteral("master")).isNull());

        // The new command printed the same document.
        QCOMPARE(QJsonDocument::fromJson(created.out).object().value(QStringLiteral("title")),
                 o.value(QStringLiteral("title")));
    }

    // Prompts from the command line: a theme for all pages, then one page edited; the studio's same rules.
    void promptsThemeAndPageEdit()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.calstudio"));
        QCOMPARE(cli({QStringLiteral("project"), QStringLiteral("new"), path}).exitCode, 0);
        const Run themes = cli({QStringLiteral("prompts"), QStringLiteral("--list-themes")});
        QCOMPARE(themes.exitCode, 0);
        QVERIFY(themes.out.contains("family\tFamily"));

        const Run applied = cli({QStringLiteral("prompts"), path, QStringLiteral("--theme"), QStringLiteral("family"),
                                 QStringLiteral("--json")});
        QCOMPARE(applied.exitCode, 0);
        const QJsonArray pages = QJsonDocument::fromJson(applied.out).object().value(QStringLiteral("pages")).toArray();
        QCOMPARE(pages.size(), 13);
        for (const QJsonValue &page : pages)
            QVERIFY(!page.toObject().value(QStringLiteral("prompt")).toString().isEmpty());

        const Run edited = cli({QStringLiteral("prompts"), path, QStringLiteral("--page"), QStringLiteral("3"),
                                QStringLiteral("--prompt"), QStringLiteral("A kite on a windy hill"),
                                QStringLiteral("--json")});
        QCOMPARE(edited.exitCode, 0);
        const QJsonArray after = QJsonDocument::fromJson(edited.out).object().value(QStringLiteral("pages")).toArray();
        QCOMPARE(after.at(3).toObject().value(QStringLiteral("prompt")).toString(), QStringLiteral("A kite on a windy hill"));
        QCOMPARE(after.at(4).toObject(), pages.at(4).toObject()); // the rest untouched
        // Saved in the project, where generate reads it.
        auto store = ProjectStore::open(path, ProjectStore::Access::ReadOnly);
        QVERIFY(store);
        QCOMPARE((*store)->loadMonths()->at(3).prompt, QStringLiteral("A kite on a windy hill"));

        QCOMPARE(cli({QStringLiteral("prompts"), path, QStringLiteral("--theme"), QStringLiteral("nope")}).exitCode, 2);
        QCOMPARE(cli({QStringLiteral("prompts"), path, QStringLiteral("--prompt"), QStringLiteral("x")}).exitCode, 2);
        QCOMPARE(cli({QStringLiteral("prompts"), path, QStringLiteral("--page"), QStringLiteral("13"),
                      QStringLiteral("--prompt"), QStringLiteral("x")}).exitCode, 2);
    }

    void infoWorksWhileTheStudioHasTheProjectOpen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("open.calstudio"));
        auto store = ProjectStore::create(path, ProjectSettings::defaults());
        QVERIFY(store);
        const Run info = cli({QStringLiteral("project"), QStringLiteral("info"), path});
        QCOMPARE(info.exitCode, 0);
        QVERIFY(QJsonDocument::fromJson(info.out).isObject());
    }

    // The contract from the issue: months with ISO-dated weeks starting on the week start, holidays by name.
    void calendarJson()
    {
        const Run r = cli({QStringLiteral("calendar"), QStringLiteral("--year"), QStringLiteral("2027"),
                           QStringLiteral("--start-month"), QStringLiteral("7"), QStringLiteral("--week-start"),
                           QStringLiteral("monday"), QStringLiteral("--locale"), QStringLiteral("de_DE"),
                           QStringLiteral("--holidays"), QStringLiteral("DE"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        const QJsonArray months = o.value(QStringLiteral("months")).toArray();
        QCOMPARE(months.size(), 12);
        const QJsonObject july = months.first().toObject();
        QCOMPARE(july.value(QStringLiteral("year")).toInt(), 2027);
        QCOMPARE(july.value(QStringLiteral("month")).toInt(), 7);
        QCOMPARE(july.value(QStringLiteral("name")).toString(), QStringLiteral("Juli"));
        const QJsonArray firstWeek = july.value(QStringLiteral("weeks")).toArray().first().toArray();
        QCOMPARE(firstWeek.size(), 7);
        QCOMPARE(firstWeek.first().toString(), QStringLiteral("2027-06-28"));
        QCOMPARE(firstWeek.last().toString(), QStringLiteral("2027-07-04"));
        const QJsonObject june = months.last().toObject();
        QCOMPARE(june.value(QStringLiteral("year")).toInt(), 2028);
        QCOMPARE(june.value(QStringLiteral("month")).toInt(), 6);
        bool unity = false;
        for (const QJsonValue &h : o.value(QStringLiteral("holidays")).toArray()) {
            const QJsonObject ho = h.toObject();
            QCOMPARE(ho.value(QStringLiteral("region")).toString(), QStringLiteral("DE"));
            if (ho.value(QStringLiteral("date")).toString() == QLatin1String("2027-10-03")) {
                QCOMPARE(ho.value(QStringLiteral("name")).toString(), QStringLiteral("Tag der Deutschen Einheit"));
                unity = true;
            }
            // Only the calendar's span.
            QVERIFY(ho.value(QStringLiteral("date")).toString() >= QLatin1String("2027-07-01"));
            QVERIFY(ho.value(QStringLiteral("date")).toString() <= QLatin1String("2028-06-30"));
        }
        QVERIFY(unity);
        QVERIFY(o.value(QStringLiteral("personal")).isArray());
    }

    void calendarText()
    {
        const Run r = cli({QStringLiteral("calendar"), QStringLiteral("--year"), QStringLiteral("2027"),
                           QStringLiteral("--locale"), QStringLiteral("en_US"), QStringLiteral("--holidays"),
                           QStringLiteral("US")});
        QCOMPARE(r.exitCode, 0);
        const QString text = QString::fromUtf8(r.out);
        QVERIFY(text.contains(QLatin1String("January 2027")));
        QVERIFY(text.contains(QLatin1String("December 2027")));
        QVERIFY(text.contains(QLatin1String("Independence Day")));
        QCOMPARE(cli({QStringLiteral("calendar"), QStringLiteral("--holidays"), QStringLiteral("XX")}).exitCode, 1);
    }

    // Personal dates and holiday choices come from the project; next year's project carries them over.
    void calendarFromProjectAndNextYear()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("this.calstudio"));
        {
            ProjectSettings s = ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(QStringLiteral("en_GB")));
            s.title = QStringLiteral("Smiths 2027");
            s.year = 2027;
            s.holidayRegion = QStringLiteral("GB");
            auto project = Project::create(path, s);
            QVERIFY(project);
            SpecialDate leo;
            leo.date = QDate(2000, 2, 29);
            leo.label = QStringLiteral("Leo");
            leo.kind = SpecialDate::Kind::Birthday;
            leo.showAge = true;
            QVERIFY((*project)->setSpecialDates({leo}, QStringLiteral("Add")));
            (*project)->setHolidayEnabled(QStringLiteral("GB"), QStringLiteral("boxing-day"), false);
        }
        const Run r = cli({QStringLiteral("calendar"), QStringLiteral("--project"), path, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        const QJsonArray personal = o.value(QStringLiteral("personal")).toArray();
        QCOMPARE(personal.size(), 1);
        QCOMPARE(personal.first().toObject().value(QStringLiteral("date")).toString(), QStringLiteral("2027-02-28"));
        QCOMPARE(personal.first().toObject().value(QStringLiteral("name")).toString(), QStringLiteral("Leo turns 27"));
        // Boxing Day is switched off, and so is its substitute day.
        QVERIFY(!o.value(QStringLiteral("holidays")).toArray().isEmpty());
        for (const QJsonValue &h : o.value(QStringLiteral("holidays")).toArray())
            QVERIFY(!h.toObject().value(QStringLiteral("name")).toString().startsWith(QLatin1String("Boxing")));

        const QString next = dir.filePath(QStringLiteral("next.calstudio"));
        const Run created = cli({QStringLiteral("project"), QStringLiteral("new"), next, QStringLiteral("--from"), path});
        QCOMPARE(created.exitCode, 0);
        const QJsonObject n = QJsonDocument::fromJson(created.out).object();
        QCOMPARE(n.value(QStringLiteral("year")).toInt(), 2028);
        QCOMPARE(n.value(QStringLiteral("title")).toString(), QStringLiteral("Smiths 2028"));
        QCOMPARE(n.value(QStringLiteral("personal_dates")).toArray().size(), 1);
        QCOMPARE(n.value(QStringLiteral("holidays_off")).toArray().first().toString(), QStringLiteral("GB:boxing-day"));
        // In 2028, a leap year, Leo's birthday is on the 29th again.
        const Run r2 = cli({QStringLiteral("calendar"), QStringLiteral("--project"), next, QStringLiteral("--json")});
        QCOMPARE(QJsonDocument::fromJson(r2.out).object().value(QStringLiteral("personal")).toArray().first()
                     .toObject().value(QStringLiteral("date")).toString(),
                 QStringLiteral("2028-02-29"));
    }

    void pagesArePngFilesOfTheRightSize()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.calstudio"));
        QCOMPARE(cli({QStringLiteral("project"), QStringLiteral("new"), path, QStringLiteral("--year"),
                      QStringLiteral("2027"), QStringLiteral("--start-month"), QStringLiteral("7")})
                     .exitCode,
                 0);
        const QString out = dir.filePath(QStringLiteral("pages"));
        const Run r = cli({QStringLiteral("pages"), path, QStringLiteral("--out"), out, QStringLiteral("--size"),
                           QStringLiteral("330x255")});
        QCOMPARE(r.exitCode, 0);
        const QStringList files = QDir(out).entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name);
        QCOMPARE(files.size(), 13);
        QCOMPARE(files.first(), QStringLiteral("00-cover.png"));
        QCOMPARE(files.at(1), QStringLiteral("01-2027-07.png"));
        QCOMPARE(files.last(), QStringLiteral("12-2028-06.png"));
        QCOMPARE(QImage(QDir(out).filePath(files.last())).size(), QSize(330, 255));
        QCOMPARE(cli({QStringLiteral("pages"), path, QStringLiteral("--out"), out, QStringLiteral("--size"),
                      QStringLiteral("huge")})
                     .exitCode,
                 2);
    }

    // `crop` is a contract for scripts and external checks: keys, integers,
    // and a crop that keeps the face and has the target's aspect.
    // Print files at the format's exact size and screen previews, with the plan and its warnings as JSON.
    void renderWritesPrintFilesAndPreviews()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("r.calstudio"));
        QCOMPARE(cli({QStringLiteral("project"), QStringLiteral("new"), path}).exitCode, 0);
        const Run generated = cli({QStringLiteral("generate"), path, QStringLiteral("--provider"), QStringLiteral("offline"),
                                   QStringLiteral("--months"), QStringLiteral("2"), QStringLiteral("--candidates"),
                                   QStringLiteral("1"), QStringLiteral("--size"), QStringLiteral("512")});
        QCOMPARE(generated.exitCode, 0);

        const QString out = dir.filePath(QStringLiteral("out"));
        const Run rendered = cli({QStringLiteral("render"), path, QStringLiteral("--format"), QStringLiteral("square"),
                                  QStringLiteral("--out"), out, QStringLiteral("--json")});
        QVERIFY2(rendered.exitCode == 0, rendered.err.constData());
        const QJsonObject doc = QJsonDocument::fromJson(rendered.out).object();
        QCOMPARE(doc.value(QStringLiteral("format")).toString(), QStringLiteral("square"));
        const QJsonArray pages = doc.value(QStringLiteral("pages")).toArray();
        QCOMPARE(pages.size(), 1); // only February has a picture
        const QJsonObject feb = pages.first().toObject();
        QCOMPARE(feb.value(QStringLiteral("page")).toInt(), 2);
        QCOMPARE(feb.value(QStringLiteral("width")).toInt(), 3675);
        QCOMPARE(feb.value(QStringLiteral("source")).toString(), QStringLiteral("auto"));
        // A 512 px picture enlarged to 4096 prints at about 42 DPI on 12.25 in: a strong warning.
        QVERIFY(feb.value(QStringLiteral("effective_dpi")).toInt() < 200);
        QCOMPARE(feb.value(QStringLiteral("warnings")).toArray().first().toObject().value(QStringLiteral("kind")).toString(),
                 QStringLiteral("very_low_dpi"));

        const QImage print(QDir(out).filePath(QStringLiteral("print/02.jpg")));
        QCOMPARE(print.size(), QSize(3675, 3675));
        QCOMPARE(qRound(print.dotsPerMeterX() * 0.0254), 300);
        const QImage preview(QDir(out).filePath(QStringLiteral("previews/02.jpg")));
        QCOMPARE(preview.size(), QSize(1600, 1600));
        QVERIFY(!QFileInfo::exists(QDir(out).filePath(QStringLiteral("print/01.jpg"))));

        QCOMPARE(cli({QStringLiteral("render"), path, QStringLiteral("--format"), QStringLiteral("a4-desk"),
                      QStringLiteral("--out"), out}).exitCode, 2);
        QCOMPARE(cli({QStringLiteral("render"), path, QStringLiteral("--out"), out}).exitCode, 2);
    }

    void cropPrintsFacesAndTheChosenCrop()
    {
        const QString astronaut = QStringLiteral(CALSTUDIO_TEST_DATA_DIR "/faces/astronaut.png");
        const struct {
            QStringList target;
            QSize aspect;
        } cases[] = {
            { { QStringLiteral("--format"), QStringLiteral("wall-landscape") }, QSize(3375, 2625) },
            { { QStringLiteral("--format"), QStringLiteral("wall-portrait") }, QSize(2625, 3375) },
            { { QStringLiteral("--format"), QStringLiteral("square") }, QSize(1, 1) },
            { { QStringLiteral("--aspect"), QStringLiteral("2:3") }, QSize(2, 3) },
            { { QStringLiteral("--aspect"), QStringLiteral("16:9") }, QSize(16, 9) },
        };
        for (const auto &c : cases) {
            const QString name = c.target.join(QLatin1Char(' '));
            const Run r = cli(QStringList { QStringLiteral("crop"), astronaut } + c.target + QStringList { QStringLiteral("--json") });
            QVERIFY2(r.exitCode == 0, qPrintable(name + QLatin1Char(' ') + QString::fromUtf8(r.err)));
            QVERIFY2(r.out.trimmed().count('\n') == 0, "one line of JSON");
            // The contract's key order, as printed.
            QVERIFY2(r.out.startsWith("{\"width\":512,\"height\":512,\"faces\":[{\"x\":"), r.out.constData());
            QJsonParseError parseError;
            const QJsonObject o = QJsonDocument::fromJson(r.out, &parseError).object();
            QCOMPARE(parseError.error, QJsonParseError::NoError);
            QStringList keys = o.keys();
            keys.sort();
            QCOMPARE(keys, (QStringList { QStringLiteral("crop"), QStringLiteral("cut_faces"), QStringLiteral("faces"),
                               QStringLiteral("height"), QStringLiteral("width") }));
            QCOMPARE(o.value(QStringLiteral("width")).toInt(), 512);
            QCOMPARE(o.value(QStringLiteral("height")).toInt(), 512);

            const auto integers = [](const QJsonObject &j) {
                const char *const keys[] = { "x", "y", "w", "h" };
                return std::all_of(std::begin(keys), std::end(keys), [&](const char *key) {
                    const QJsonValue v = j.value(QLatin1String(key));
                    return v.isDouble() && v.toDouble() == double(v.toInt());
                });
            };
            const auto rectOf = [](const QJsonObject &j) {
                return QRect(j.value(QStringLiteral("x")).toInt(), j.value(QStringLiteral("y")).toInt(),
                    j.value(QStringLiteral("w")).toInt(), j.value(QStringLiteral("h")).toInt());
            };
            const QJsonArray faces = o.value(QStringLiteral("faces")).toArray();
            QCOMPARE(faces.size(), 1);
            QVERIFY2(integers(faces.first().toObject()) && integers(o.value(QStringLiteral("crop")).toObject()),
                qPrintable(name));
            const QRect faceBox = rectOf(faces.first().toObject());
            // The astronaut's face, forehead to chin (tests/imaging/facefixtures.h), give or take the detector.
            QVERIFY2(faceBox.intersects(QRect(178, 58, 94, 117)) && faceBox.width() > 60 && faceBox.width() < 140,
                qPrintable(name));
            const QRect crop = rectOf(o.value(QStringLiteral("crop")).toObject());
            QVERIFY2(QRect(0, 0, 512, 512).contains(crop), qPrintable(name));
            QVERIFY2(crop.contains(faceBox), qPrintable(name));
            QVERIFY(o.value(QStringLiteral("cut_faces")).isArray());
            QVERIFY2(o.value(QStringLiteral("cut_faces")).toArray().isEmpty(), qPrintable(name));
            // Exact aspect: the long side is the short side scaled and rounded, so within half a pixel.
            const double wanted = double(c.aspect.width()) / c.aspect.height();
            if (wanted >= 1)
                QVERIFY2(std::abs(crop.width() - crop.height() * wanted) <= 0.5, qPrintable(name));
            else
                QVERIFY2(std::abs(crop.height() - crop.width() / wanted) <= 0.5, qPrintable(name));
            // The largest crop of that aspect: nothing upscaled that need not be.
            QVERIFY2(crop.width() == 512 || crop.height() == 512, qPrintable(name));
        }

        // Without --json: one readable line.
        const Run text = cli({ QStringLiteral("crop"), astronaut, QStringLiteral("--aspect"), QStringLiteral("1:1") });
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.startsWith("crop 0,0 512x512 of 512x512; 1 face(s)"), text.out.constData());

        // Usage errors exit 2, failures 1, each with a message on stderr and nothing on stdout.
        QTemporaryDir dir;
        QFile notes(dir.filePath(QStringLiteral("notes.txt")));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("shopping list\n");
        notes.close();
        const struct {
            QStringList args;
            int exitCode;
            const char *message;
        } failures[] = {
            { { astronaut, QStringLiteral("--format"), QStringLiteral("poster") }, 2, "unknown format" },
            { { astronaut, QStringLiteral("--aspect"), QStringLiteral("wide") }, 2, "not an aspect ratio" },
            { { astronaut, QStringLiteral("--aspect"), QStringLiteral("0:1") }, 2, "not an aspect ratio" },
            { { astronaut }, 2, "usage: calstudio-cli crop" },
            { { astronaut, QStringLiteral("--format"), QStringLiteral("square"), QStringLiteral("--aspect"),
                  QStringLiteral("1:1") },
                2, "usage: calstudio-cli crop" },
            { { dir.filePath(QStringLiteral("missing.png")), QStringLiteral("--aspect"), QStringLiteral("1:1") }, 1,
                "cannot read" },
            { { notes.fileName(), QStringLiteral("--format"), QStringLiteral("square"), QStringLiteral("--json") }, 1,
                "not a picture" },
        };
        for (const auto &f : failures) {
            const Run r = cli(QStringList { QStringLiteral("crop") } + f.args);
            QVERIFY2(r.exitCode == f.exitCode, qPrintable(f.args.join(QLatin1Char(' ')) + QStringLiteral(" → %1").arg(r.exitCode)));
            QVERIFY2(r.err.contains(f.message), r.err.constData());
            QVERIFY(r.out.isEmpty());
        }
    }

    // export-pdf: one PDF of 13 pages at trim + bleed (crop marks grow them), a note for every
    // page still waiting for its picture, and nothing written for a folder that is not there.
    void exportPdfWritesThePrintPdf()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("e.calstudio"));
        QCOMPARE(cli({QStringLiteral("project"), QStringLiteral("new"), path}).exitCode, 0);
        const Run generated = cli({QStringLiteral("generate"), path, QStringLiteral("--provider"), QStringLiteral("offline"),
                                   QStringLiteral("--months"), QStringLiteral("2"), QStringLiteral("--candidates"),
                                   QStringLiteral("1"), QStringLiteral("--size"), QStringLiteral("512")});
        QCOMPARE(generated.exitCode, 0);

        // "/MediaBox [0 0 W H]" of every page, as "WxH" in points.
        const auto mediaBoxes = [](const QString &pdf) {
            QFile file(pdf);
            QStringList boxes;
            if (!file.open(QIODevice::ReadOnly))
                return boxes;
            const QByteArray bytes = file.readAll();
            const QByteArray key("/MediaBox [0 0 ");
            for (qsizetype at = bytes.indexOf(key); at >= 0; at = bytes.indexOf(key, at + 1)) {
                const qsizetype start = at + key.size();
                const QList<QByteArray> size = bytes.mid(start, bytes.indexOf(']', start) - start).split(' ');
                boxes.append(QStringLiteral("%1x%2").arg(size.value(0).toDouble()).arg(size.value(1).toDouble()));
            }
            return boxes;
        };

        const QString out = dir.filePath(QStringLiteral("calendar.pdf"));
        const Run exported = cli({QStringLiteral("export-pdf"), path, QStringLiteral("--format"), QStringLiteral("square"),
                                  QStringLiteral("--out"), out});
        QVERIFY2(exported.exitCode == 0, exported.err.constData());
        QVERIFY(exported.out.contains("13 pages (1 with pictures)"));
        // Twelve pages without a picture, each named; February's low resolution is warned about.
        QCOMPARE(exported.err.count("no picture yet"), 12);
        QVERIFY(exported.err.contains("January 2027: no picture yet"));
        QVERIFY(exported.err.contains("February 2027: warning:"));
        QCOMPARE(mediaBoxes(out), QStringList(13, QStringLiteral("882x882"))); // 12.25 in × 72

        const QString marked = dir.filePath(QStringLiteral("marked.pdf"));
        const Run withMarks = cli({QStringLiteral("export-pdf"), path, QStringLiteral("--format"),
                                   QStringLiteral("wall-portrait"), QStringLiteral("--out"), marked,
                                   QStringLiteral("--crop-marks")});
        QVERIFY2(withMarks.exitCode == 0, withMarks.err.constData());
        QCOMPARE(mediaBoxes(marked), QStringList(13, QStringLiteral("684x864"))); // (8.75 + 0.75) × (11.25 + 0.75) in

        const QString nowhere = dir.filePath(QStringLiteral("missing/calendar.pdf"));
        const Run failed = cli({QStringLiteral("export-pdf"), path, QStringLiteral("--format"), QStringLiteral("square"),
                                QStringLiteral("--out"), nowhere});
        QCOMPARE(failed.exitCode, 1);
        QVERIFY2(failed.err.contains("error:"), failed.err.constData());
        QVERIFY(!QFileInfo::exists(nowhere));
        QVERIFY(failed.out.isEmpty());

        QCOMPARE(cli({QStringLiteral("export-pdf"), path, QStringLiteral("--format"), QStringLiteral("a4-desk"),
                      QStringLiteral("--out"), out}).exitCode, 2);
        QCOMPARE(cli({QStringLiteral("export-pdf"), path, QStringLiteral("--format"), QStringLiteral("square")}).exitCode, 2);
    }

    void failuresHaveMessagesAndExitCodes_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("no command") << QStringList() << 2 << QStringLiteral("Usage");
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << 2
                                         << QStringLiteral("unknown command");
        QTest::newRow("info without file") << QStringList{QStringLiteral("project"), QStringLiteral("info")} << 2
                                           << QStringLiteral("FILE");
        QTest::newRow("missing file") << QStringList{QStringLiteral("project"), QStringLiteral("info"),
                                                     QStringLiteral("@DIR@/nope.calstudio")}
                                      << 1 << QStringLiteral("was not found");
        QTest::newRow("not a project") << QStringList{QStringLiteral("project"), QStringLiteral("info"),
                                                      QStringLiteral("@DIR@/notes.txt")}
                                       << 1 << QStringLiteral("is not a Calendar Studio project");
        QTest::newRow("bad year") << QStringList{QStringLiteral("project"), QStringLiteral("new"),
                                                 QStringLiteral("@DIR@/y.calstudio"), QStringLiteral("--year"),
                                                 QStringLiteral("1800")}
                                  << 1 << QStringLiteral("between 1970 and 2200");
        QTest::newRow("year not a number") << QStringList{QStringLiteral("project"), QStringLiteral("new"),
                                                          QStringLiteral("@DIR@/y.calstudio"), QStringLiteral("--year"),
                                                          QStringLiteral("soon")}
                                           << 2 << QStringLiteral("needs a number");
        QTest::newRow("bad week start") << QStringList{QStringLiteral("project"), QStringLiteral("new"),
                                                       QStringLiteral("@DIR@/w.calstudio"),
                                                       QStringLiteral("--week-start"), QStringLiteral("friday")}
                                        << 2 << QStringLiteral("--week-start");
        QTest::newRow("file exists") << QStringList{QStringLiteral("project"), QStringLiteral("new"),
                                                    QStringLiteral("@DIR@/notes.txt")}
                                     << 1 << QStringLiteral("already exists");
    }
    void failuresHaveMessagesAndExitCodes()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QFile notes(dir.filePath(QStringLiteral("notes.txt")));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("shopping list\n");
        notes.close();
        for (QString &a : args)
            a.replace(QLatin1String("@DIR@"), dir.path());
        const Run r = cli(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
