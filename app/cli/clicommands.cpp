#include "app/cli/clicommands.h"

#include "app/cli/calendarcommand.h"
#include "app/cli/cropcommand.h"
#include "app/cli/exportpdfcommand.h"
#include "app/cli/generatecommands.h"
#include "app/cli/promptscommand.h"
#include "app/cli/rendercommand.h"
#include "app/cli/pagescommand.h"
#include "app/cli/selfiecommands.h"

#include "core/common/logging.h"
#include "core/project/project.h"
#include "core/project/projectstore.h"
#include "core/project/schema.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace CalStudio::Cli {

namespace {

const char *const UsageText = R"(Usage: calstudio-cli [--verbose] <command> [arguments]

Commands:
  project new FILE [--title T] [--year Y] [--start-month M] [--week-start W]
                   [--locale L] [--holiday-region R]
                        create a project and print its settings as JSON
  project new FILE --from OLD
                        next year's project from OLD: settings one year on,
                        personal dates and holiday choices carried over
  project info FILE     print a project's settings and contents as JSON
  calendar [--year Y] [--start-month M] [--week-start W] [--locale L]
           [--holidays REGION] [--ics FILE] [--week-numbers] [--json]
  calendar --project FILE [--json]
                        print the twelve month grids with holidays and personal dates
  pages PROJECT --out DIR [--size WxH]
                        draw the cover and the twelve month pages as PNG files
  import PROJECT FILE|FOLDER… [--json]
                        import selfies (JPEG, PNG, WebP, HEIC, TIFF); exit 1 if any file failed
  faces IMAGE           faces, landmarks and checks of one photo as JSON
  crop IMAGE --format ID|--aspect W:H [--json]
                        the faces found and the crop chosen for a print format's
                        month page (wall-landscape, wall-portrait, square) or an aspect
  prompts PROJECT [--theme ID] [--page N [--title T] [--prompt TEXT] [--style ID] [--avoid TEXT]] [--json]
                        apply a prompt theme or edit a page's prompt, then print the 13 pages
  prompts --list-themes list the prompt themes (built-in and your own)
  generate PROJECT --provider offline|gemini|openai|replicate|fal [--model ID] [--base-url URL]
           [--months 1-12] [--candidates 2] [--size N] [--spend-cap USD] [--resume]
                        make candidates and masters (keys from CALSTUDIO_<PROVIDER>_KEY);
                        progress on stderr; exit 1 if any month failed
  render PROJECT --format ID --out DIR [--previews] [--print] [--png] [--json]
                        previews (1600 px JPEG) and print files at the format's exact size
                        (JPEG q95, sRGB, 300 DPI) with face-aware crops; warnings on stderr
  export-pdf PROJECT --format ID --out FILE [--crop-marks] [--lossless]
                        the cover and twelve months as one print PDF: pages of trim + bleed,
                        photos at 300 DPI (JPEG; --lossless: deflated); crop marks outside the bleed
  export-masters PROJECT DIR
                        write the masters as 00.png (cover) … 12.png

W is one of: locale, monday, sunday, saturday.
Exit codes: 0 success, 1 the command failed, 2 bad arguments.
)";


QJsonObject projectJson(const ProjectStore &store)
{
    QJsonObject o;
    const auto settings = store.loadSettings();
    if (!settings)
        return o;
    const ProjectSettings &s = *settings;
    o[QStringLiteral("title")] = s.title;
    o[QStringLiteral("year")] = s.year;
    o[QStringLiteral("start_month")] = s.startMonth;
    const auto [endYear, endMonth] = s.endYearMonth();
    o[QStringLiteral("end_year")] = endYear;
    o[QStringLiteral("end_month")] = endMonth;
    o[QStringLiteral("week_start")] = weekStartId(s.weekStart);
    o[QStringLiteral("locale")] = s.locale;
    o[QStringLiteral("holiday_region")] = s.holidayRegion;
    o[QStringLiteral("page_layout")] = s.pageLayout;
    o[QStringLiteral("page_theme")] = s.pageTheme;
    o[QStringLiteral("week_numbers")] = s.weekNumbers;
    o[QStringLiteral("notes_line")] = s.notesLine;
    if (const auto dates = store.loadSpecialDates()) {
        QJsonArray personal;
        for (const SpecialDate &d : *dates)
            personal.append(QJsonObject{{QStringLiteral("date"), d.date.toString(Qt::ISODate)},
                                        {QStringLiteral("label"), d.label},
                                        {QStringLiteral("kind"), SpecialDate::kindId(d.kind)},
                                        {QStringLiteral("recurring"), d.recurring},
                                        {QStringLiteral("leap_rule"), SpecialDate::leapRuleId(d.leapRule)},
                                        {QStringLiteral("show_age"), d.showAge}});
        o[QStringLiteral("personal_dates")] = personal;
    }
    if (const auto off = store.loadHolidaysOff())
    {
        QStringList list(off->begin(), off->end());
        list.sort();
        o[QStringLiteral("holidays_off")] = QJsonArray::fromStringList(list);
    }
    o[QStringLiteral("schema_version")] = store.schemaVersion();
    o[QStringLiteral("path")] = store.path();
    o[QStringLiteral("created_at")] = s.createdAt.toString(Qt::ISODate);
    o[QStringLiteral("updated_at")] = s.updatedAt.toString(Qt::ISODate);

    if (const auto counts = store.counts()) {
        o[QStringLiteral("selfies")] = counts->selfies;
        o[QStringLiteral("candidates")] = counts->candidates;
        o[QStringLiteral("masters")] = counts->masters;
    }

    QHash<int, MasterInfo> masterByMonth;
    if (const auto masters = store.masters()) {
        for (const MasterInfo &m : *masters)
            masterByMonth.insert(m.month, m);
    }
    QJsonArray months;
    if (const auto entries = store.loadMonths()) {
        for (const MonthEntry &m : *entries) {
            QJsonObject mo{{QStringLiteral("month"), m.month},
                           {QStringLiteral("title"), m.title},
                           {QStringLiteral("prompt"), m.prompt},
                           {QStringLiteral("style"), m.style},
                           {QStringLiteral("avoid"), m.avoid}};
            if (masterByMonth.contains(m.month)) {
                const MasterInfo &mi = masterByMonth[m.month];
                mo[QStringLiteral("master")] = QJsonObject{{QStringLiteral("width"), mi.width},
                                                           {QStringLiteral("height"), mi.height},
                                                           {QStringLiteral("native_width"), mi.nativeWidth},
                                                           {QStringLiteral("native_height"), mi.nativeHeight},
                                                           {QStringLiteral("provider"), mi.provider},
                                                           {QStringLiteral("model"), mi.model}};
            } else {
                mo[QStringLiteral("master")] = QJsonValue::Null;
            }
            months.append(mo);
        }
    }
    o[QStringLiteral("months")] = months;
    return o;
}

void printJson(QTextStream &out, const QJsonObject &o)
{
    out << QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
}

int projectNew(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose)
{
    QCommandLineParser p;
    const QCommandLineOption title(QStringLiteral("title"), QStringLiteral("Title"), QStringLiteral("text"));
    const QCommandLineOption year(QStringLiteral("year"), QStringLiteral("Calendar year"), QStringLiteral("year"));
    const QCommandLineOption startMonth(QStringLiteral("start-month"), QStringLiteral("First month 1-12"),
                                        QStringLiteral("month"));
    const QCommandLineOption weekStart(QStringLiteral("week-start"), QStringLiteral("locale|monday|sunday|saturday"),
                                       QStringLiteral("day"));
    const QCommandLineOption locale(QStringLiteral("locale"), QStringLiteral("Language, e.g. de_DE"),
                                    QStringLiteral("name"));
    const QCommandLineOption region(QStringLiteral("holiday-region"), QStringLiteral("Holiday region code"),
                                    QStringLiteral("code"));
    const QCommandLineOption from(QStringLiteral("from"), QStringLiteral("Last year's project"), QStringLiteral("file"));
    p.addOptions({title, year, startMonth, weekStart, locale, region, from});
    p.addPositionalArgument(QStringLiteral("file"), QStringLiteral("Project file to create"));
    if (!p.parse(QStringList{QStringLiteral("project-new")} + args) || p.positionalArguments().size() != 1) {
        err << (p.errorText().isEmpty() ? QStringLiteral("project new needs exactly one FILE") : p.errorText())
            << Qt::endl;
        return ExitCode::Usage;
    }

    if (p.isSet(from)) {
        auto previous = Project::open(p.value(from));
        if (!previous) {
            printError(err, previous.error(), verbose);
            return ExitCode::Failed;
        }
        auto next = (*previous)->createForNextYear(p.positionalArguments().constFirst());
        if (!next) {
            printError(err, next.error(), verbose);
            return ExitCode::Failed;
        }
        printJson(out, projectJson((*next)->store()));
        return ExitCode::Ok;
    }

    ProjectSettings s = ProjectSettings::defaults();
    auto intOption = [&](const QCommandLineOption &opt, int &target) {
        if (!p.isSet(opt))
            return true;
        bool ok = false;
        target = p.value(opt).toInt(&ok);
        if (!ok)
            err << "--" << opt.names().first() << " needs a number, got “" << p.value(opt) << "”" << Qt::endl;
        return ok;
    };
    if (!intOption(year, s.year) || !intOption(startMonth, s.startMonth))
        return ExitCode::Usage;
    if (p.isSet(title))
        s.title = p.value(title);
    else if (!p.isSet(year))
        ; // keep the default title, which names the default year
    else
        s.title = QCoreApplication::translate("ProjectSettings", "My Calendar %1").arg(s.year);
    if (p.isSet(weekStart)) {
        const auto ws = weekStartFromId(p.value(weekStart));
        if (!ws) {
            err << "--week-start must be locale, monday, sunday or saturday" << Qt::endl;
            return ExitCode::Usage;
        }
        s.weekStart = *ws;
    }
    if (p.isSet(locale))
        s.locale = p.value(locale);
    if (p.isSet(region))
        s.holidayRegion = p.value(region);

    auto store = ProjectStore::create(p.positionalArguments().constFirst(), s);
    if (!store) {
        printError(err, store.error(), verbose);
        return ExitCode::Failed;
    }
    printJson(out, projectJson(**store));
    return ExitCode::Ok;
}

int projectInfo(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose)
{
    if (args.size() != 1) {
        err << "project info needs exactly one FILE" << Qt::endl;
        return ExitCode::Usage;
    }
    // Read-only needs no lock, so this works while the studio has the project open.
    auto store = ProjectStore::open(args.constFirst(), ProjectStore::Access::ReadOnly);
    if (!store && store.error().code == QLatin1String("needs_upgrade"))
        store = ProjectStore::open(args.constFirst(), ProjectStore::Access::ReadWrite);
    if (!store) {
        printError(err, store.error(), verbose);
        return ExitCode::Failed;
    }
    printJson(out, projectJson(**store));
    return ExitCode::Ok;
}

} // namespace

int run(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QStringList args = arguments;
    const bool verbose = args.removeAll(QStringLiteral("--verbose")) > 0;
    setLogLevel(verbose ? LogLevel::Verbose : LogLevel::Quiet);

    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h")) {
        (args.isEmpty() ? err : out) << UsageText;
        return args.isEmpty() ? ExitCode::Usage : ExitCode::Ok;
    }
    if (args.first() == QLatin1String("--version")) {
        out << QCoreApplication::applicationVersion() << Qt::endl;
        return ExitCode::Ok;
    }

    const QString command = args.takeFirst();
    if (command == QLatin1String("project") && !args.isEmpty()) {
        const QString sub = args.takeFirst();
        if (sub == QLatin1String("new"))
            return projectNew(args, out, err, verbose);
        if (sub == QLatin1String("info"))
            return projectInfo(args, out, err, verbose);
    }
    if (command == QLatin1String("calendar"))
        return calendarCommand(args, out, err, verbose);
    if (command == QLatin1String("pages"))
        return pagesCommand(args, out, err, verbose);
    if (command == QLatin1String("import"))
        return importCommand(args, out, err, verbose);
    if (command == QLatin1String("faces"))
        return facesCommand(args, out, err, verbose);
    if (command == QLatin1String("crop"))
        return cropCommand(args, out, err, verbose);
    if (command == QLatin1String("render"))
        return renderCommand(args, out, err, verbose);
    if (command == QLatin1String("export-pdf"))
        return exportPdfCommand(args, out, err, verbose);
    if (command == QLatin1String("prompts"))
        return promptsCommand(args, out, err, verbose);
    if (command == QLatin1String("generate"))
        return generateCommand(args, out, err, verbose);
    if (command == QLatin1String("export-masters"))
        return exportMastersCommand(args, out, err, verbose);
    err << "unknown command: " << (QStringList{command} + args).join(QLatin1Char(' ')) << "\n\n" << UsageText;
    return ExitCode::Usage;
}


void printError(QTextStream &err, const Error &error, bool verbose)
{
    err << "error: " << error.userMessage << Qt::endl;
    if (verbose && !error.detail.isEmpty())
        err << "detail: " << error.detail << Qt::endl;
}

std::optional<PrintFormat> findFormat(const QString &id, QTextStream &err)
{
    if (auto format = PrintFormat::find(id))
        return format;
    QStringList ids;
    for (const PrintFormat &f : PrintFormat::builtIn())
        ids.append(f.id);
    err << "error: unknown format “" << id << "”; use " << ids.join(QStringLiteral(", ")) << Qt::endl;
    return std::nullopt;
}

} // namespace CalStudio::Cli
