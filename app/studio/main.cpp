// The desktop studio: parses the command line and shows the main window.

#include "core/common/logging.h"
#include "ui/mainwindow.h"
#include "ui/uilogging.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(CalendarStudioPlugin)

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CalendarStudio"));
    QApplication::setApplicationName(QStringLiteral("Calendar Studio"));
    QApplication::setApplicationVersion(QStringLiteral(CALSTUDIO_VERSION));
    QApplication::setApplicationDisplayName(QStringLiteral("Calendar Studio"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Make a personal photo calendar."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption verbose(
        QStringLiteral("verbose"), QApplication::translate("main", "Print debug messages."));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QApplication::translate("main", "Save a picture of the window to <file> once it is shown, then quit."),
        QStringLiteral("file"));
    parser.addOption(verbose);
    parser.addOption(screenshot);
    parser.addPositionalArgument(QStringLiteral("project"),
        QApplication::translate("main", "Calendar project (.calstudio) to open."), QStringLiteral("[project]"));
    parser.process(app);

    CalStudio::setLogLevel(parser.isSet(verbose) ? CalStudio::LogLevel::Verbose : CalStudio::LogLevel::Normal);

    CalStudio::MainWindow window;
    const QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty())
        (void)window.openProject(QFileInfo(positional.constFirst()).absoluteFilePath());
    else
        (void)window.reopenLastProject();
    window.show();

    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        // Give Qt Quick time for its first frames before grabbing.
        QTimer::singleShot(1500, &window, [&window, file] {
            const bool saved = window.grab().save(file);
            if (saved)
                qCInfo(lcUi) << "screenshot saved to" << file;
            else
                qCCritical(lcUi) << "could not save the screenshot to" << file;
            window.close();
            QApplication::exit(saved ? 0 : 1);
        });
    }
    return QApplication::exec();
}
