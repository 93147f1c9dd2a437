#pragma once

#include "core/commerce/printformat.h"
#include "core/common/error.h"

#include <QJsonObject>
#include <QStringList>
#include <QTextStream>

#include <optional>

namespace CalStudio::Cli {

/// Exit codes of calstudio-cli, stable for scripts.
enum ExitCode {
    Ok = 0,
    Failed = 1, ///< the command ran and failed (message on stderr)
    Usage = 2, ///< bad arguments
};

/// "error: <message>" on `err`, plus "detail: …" with --verbose.
void printError(QTextStream &err, const Error &error, bool verbose);

/// The built-in print format `id`, or nothing after telling `err` which ids exist.
std::optional<PrintFormat> findFormat(const QString &id, QTextStream &err);

/// Runs `calstudio-cli <arguments…>` (without the program name); output to out, messages to err.
int run(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace CalStudio::Cli
