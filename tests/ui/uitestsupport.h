#pragma once

// Helpers shared by the widget tests (tst_*.cpp in tests/ui).

#include <QCoreApplication>
#include <QDir>
#include <QString>

namespace CalStudio::UiTestSupport {

/// Where tests save screenshots for a person to look at: <build dir>/screenshots.
inline QString screenshotDir()
{
    const QString build = qEnvironmentVariable("CALSTUDIO_BUILD_DIR");
    const QString dir
        = (build.isEmpty() ? QCoreApplication::applicationDirPath() : build) + QStringLiteral("/screenshots");
    QDir().mkpath(dir);
    return dir;
}

} // namespace CalStudio::UiTestSupport
