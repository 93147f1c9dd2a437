#pragma once

#include <QLoggingCategory>

namespace CalStudio {

enum class LogLevel {
    Quiet, ///< warnings and errors only (command-line tools)
    Normal, ///< plus info messages (the studio and the server)
    Verbose, ///< plus debug messages (`--verbose`)
};

/**
 * Sets which messages of the `calstudio.*` categories are printed.
 * Executables call this once, `--verbose` selecting Verbose;
 * QT_LOGGING_RULES still wins when set.
 */
void setLogLevel(LogLevel level);

} // namespace CalStudio
