#include "app/cli/promptscommand.h"

#include "app/cli/clicommands.h"
#include "core/project/project.h"
#include "core/project/promptthemelibrary.h"
#include "core/project/stylepreset.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace CalStudio::Cli {

namespace {

const char *PromptsUsage = "usage: calstudio-cli prompts PROJECT [--theme ID] [--page N [--title T] [--prompt TEXT] "
                    "[--style ID] [--avoid TEXT]] [--json]\n"
                    "       calstudio-cli prompts --list-themes";

QJsonObject pageJson(const MonthEntry &e)
{
    return QJsonObject{{QStringLiteral("page"), e.month},
                       {QStringLiteral("title"), e.title},
                       {QStringLiteral("prompt"), e.prompt},
                       {QStringLiteral("style"), e.style},
                       {QStringLiteral("avoid"), e.avoid}};
}

} // namespace

int promptsCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose)
{
    QCommandLineParser p;
    const QCommandLineOption themeOption(QStringLiteral("theme"), QStringLiteral("Apply a prompt theme."), QStringLiteral("id"));
    const QCommandLineOption pageOption(QStringLiteral("page"), QStringLiteral("Page to edit (0 = cover)."), QStringLiteral("n"));
    const QCommandLineOption titleOption(QStringLiteral("title"), QStringLiteral("Page title."), QStringLiteral("text"));
    const QCommandLineOption promptOption(QStringLiteral("prompt"), QStringLiteral("Scene prompt."), QStringLiteral("text"));
    const QCommandLineOption styleOption(QStringLiteral("style"), QStringLiteral("Style preset id."), QStringLiteral("id"));
    const QCommandLineOption avoidOption(QStringLiteral("avoid"), QStringLiteral("What to leave out."), QStringLiteral("text"));
    const QCommandLineOption listOption(QStringLiteral("list-themes"), QStringLiteral("List the themes."));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("JSON output."));
    p.addOptions({themeOption, pageOption, titleOption, promptOption, styleOption, avoidOption, listOption, jsonOption});
    if (!p.parse(QStringList{QStringLiteral("prompts")} + args)) {
        err << p.errorText() << '\n' << PromptsUsage << Qt::endl;
        return ExitCode::Usage;
    }
    // The same library the studio reads: built-in themes plus the user's own.
    const PromptThemeLibrary library(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                                     + QStringLiteral("/themes"));
    if (p.isSet(listOption)) {
        for (const PromptTheme &theme : library.themes())
            out << theme.id << "\t" << theme.name << (theme.builtIn ? "" : " (yours)") << Qt::endl;
        return ExitCode::Ok;
    }
    const bool editsPage = p.isSet(titleOption) || p.isSet(promptOption) || p.isSet(styleOption) || p.isSet(avoidOption);
    if (p.positionalArguments().size() != 1 || (editsPage && !p.isSet(pageOption))) {
        err << PromptsUsage << Qt::endl;
        return ExitCode::Usage;
    }
    auto project = Project::open(p.positionalArguments().constFirst());
    if (!project) {
        printError(err, project.error(), verbose);
        return ExitCode::Failed;
    }
    Project &pr = **project;
    if (p.isSet(themeOption)) {
        const auto theme = library.find(p.value(themeOption));
        if (!theme) {
            err << "error: no theme “" << p.value(themeOption) << "”; see calstudio-cli prompts --list-themes" << Qt::endl;
            return ExitCode::Usage;
        }
        if (auto st = pr.setMonths(theme->appliedTo(pr.months()), QStringLiteral("Apply theme")); !st) {
            printError(err, st.error(), verbose);
            return ExitCode::Failed;
        }
    }
    if (editsPage) {
        bool ok = false;
        const int page = p.value(pageOption).toInt(&ok);
        if (!ok || page < 0 || page >= MonthEntry::PageCount) {
            err << "error: --page takes 0 (the cover) to 12" << Qt::endl;
            return ExitCode::Usage;
        }
        MonthEntry entry = pr.month(page);
        if (p.isSet(titleOption))
            entry.title = p.value(titleOption);
        if (p.isSet(promptOption))
            entry.prompt = p.value(promptOption);
        if (p.isSet(styleOption)) {
            if (!p.value(styleOption).isEmpty() && !StylePreset::find(p.value(styleOption))) {
                err << "error: no style preset “" << p.value(styleOption) << "”" << Qt::endl;
                return ExitCode::Usage;
            }
            entry.style = p.value(styleOption);
        }
        if (p.isSet(avoidOption))
            entry.avoid = p.value(avoidOption);
        if (auto st = pr.setMonth(entry); !st) {
            printError(err, st.error(), verbose);
            return ExitCode::Failed;
        }
    }
    if (auto st = pr.flush(); !st) {
        printError(err, st.error(), verbose);
        return ExitCode::Failed;
    }
    if (p.isSet(jsonOption)) {
        QJsonArray pages;
        for (const MonthEntry &e : pr.months())
            pages.append(pageJson(e));
        out << QJsonDocument(QJsonObject{{QStringLiteral("pages"), pages}}).toJson(QJsonDocument::Indented);
    } else {
        for (const MonthEntry &e : pr.months())
            out << (e.month == 0 ? QStringLiteral("Cover") : QString::number(e.month)) << "\t" << e.title << "\t"
                << e.prompt << Qt::endl;
    }
    return ExitCode::Ok;
}

} // namespace CalStudio::Cli
