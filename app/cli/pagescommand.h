#pragma once

#include <QStringList>
#include <QTextStream>

namespace CalStudio::Cli {

/// `calstudio-cli pages PROJECT --out DIR [--size WxH]`: the cover and twelve month pages as PNG files.
int pagesCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose);

} // namespace CalStudio::Cli
