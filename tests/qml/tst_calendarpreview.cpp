// Runs the Qt Quick tests of the page preview (tst_calendarpreview.qml) with
// the static CalendarStudio module linked in.

#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(CalendarStudioPlugin)

class CalendarPreviewSetup : public QObject {
    Q_OBJECT
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        // In Qt 6.4 a static module's qmldir is at qrc:/CalendarStudio/; the
        // build tree holds the same module for tools and fallbacks.
        engine->addImportPath(QStringLiteral("qrc:/"));
        engine->addImportPath(QStringLiteral(CALSTUDIO_QML_IMPORT_DIR));
    }
};

QUICK_TEST_MAIN_WITH_SETUP(calendarpreview, CalendarPreviewSetup)

#include "tst_calendarpreview.moc"
