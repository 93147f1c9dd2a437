#pragma once

#include <QStringList>
#include <QTextStream>

namespace CalStudio::Cli {

/// `calstudio-cli export-pdf PROJECT --format ID --out FILE [--crop-marks] [--lossless]`.
int exportPdfCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose);

} // namespace CalStudio::Cli
