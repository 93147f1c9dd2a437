#pragma once

#include <QStringList>
#include <QTextStream>

namespace CalStudio::Cli {

/**
 * `calstudio-cli generate PROJECT --provider offline [--months 1-12] [--candidates 2] [--size N] [--seed S]`:
 * generates candidates month by month, stores them with their provenance and
 * makes the first good candidate of a month without a master its master.
 * Progress on stderr; exit 1 when any month failed.
 */
int generateCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose);

/// `calstudio-cli export-masters PROJECT DIR`: writes 00.png (cover) … 12.png for the months that have a master.
int exportMastersCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose);

} // namespace CalStudio::Cli
