#include "app/cli/clicommands.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("CalendarStudio"));
    QCoreApplication::setApplicationName(QStringLiteral("calstudio-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CALSTUDIO_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList args = app.arguments();
    args.removeFirst();
    const int rc = CalStudio::Cli::run(args, out, err);
    out.flush();
    err.flush();
    return rc;
}
