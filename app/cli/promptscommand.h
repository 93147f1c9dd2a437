#pragma once

#include <QStringList>
#include <QTextStream>

namespace CalStudio::Cli {

/// `calstudio-cli prompts PROJECT [--theme ID] [--page N --prompt TEXT …] [--list-themes]`.
int promptsCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose);

} // namespace CalStudio::Cli
