#pragma once

#include <QStringList>
#include <QTextStream>

namespace CalStudio::Cli {

/// `calstudio-cli render PROJECT --format ID --out DIR [--previews] [--print] [--png] [--json]`.
int renderCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose);

} // namespace CalStudio::Cli
