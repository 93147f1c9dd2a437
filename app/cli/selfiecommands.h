#pragma once

#include <QStringList>
#include <QTextStream>

namespace CalStudio::Cli {

/// `calstudio-cli import PROJECT FILE|FOLDER…`: imports selfies, prints a report, exit 1 if any file failed.
int importCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose);

/// `calstudio-cli faces IMAGE`: faces, landmarks and checks of one photo as JSON.
int facesCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose);

} // namespace CalStudio::Cli
