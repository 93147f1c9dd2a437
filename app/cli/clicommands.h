#pragma once

#include "core/common/error.h"

#include <QJsonObject>
#include <QStringList>
#include <QTextStream>

namespace CalStudio::Cli {

/// Exit codes of calstudio-cli, stable for scripts.
enum ExitCode {
    Ok = 0,
    Failed = 1, ///< the command ran and failed (message on stderr)
    Usage = 2, ///< bad arguments
};

/// "error: <message>" on `err`, plus "detail: …" with --verbose.
void printError(QTextStream &err, const Error &error, bool verbose);

/// Runs `calstudio-cli <arguments…>` (without the program name); output to out, messages to err.
int run(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace CalStudio::Cli
