#include "app/cli/clicommands.h"

#include <QGuiApplication>

#include <cstdio>
#include <cstring>
#include <memory>

namespace {
/// Commands that draw pages need fonts, i.e. a QGuiApplication; the others stay lean.
bool needsGui(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "pages") == 0 || std::strcmp(argv[i], "export-pdf") == 0)
            return true;
    }
    return false;
}
} // namespace

int main(int argc, char *argv[])
{
    std::unique_ptr<QCoreApplication> app;
    if (needsGui(argc, argv)) {
        // Without a display the offscreen platform serves, so the CLI works on headless machines.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")
            && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setOrganizationName(QStringLiteral("CalendarStudio"));
    QCoreApplication::setApplicationName(QStringLiteral("calstudio-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CALSTUDIO_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    const int rc = CalStudio::Cli::run(args, out, err);
    out.flush();
    err.flush();
    return rc;
}
