#pragma once

#include <QStringList>
#include <QTextStream>

namespace CalStudio::Cli {

/**
 * `calstudio-cli crop IMAGE --format ID|--aspect W:H [--json]`: detects the
 * faces of one picture and prints the crop SmartCrop chooses for the
 * format's month-1 position (or the plain aspect). With --json the contract
 * for scripts, one line, integers in pixels of the upright image:
 * `{"width":W,"height":H,"faces":[{"x","y","w","h"}],"crop":{"x","y","w","h"},"cut_faces":[i…]}`
 * where cut_faces are indices into faces. Exit 0 ok, 1 failed (unreadable
 * image…), 2 usage (unknown format, bad aspect).
 */
int cropCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose);

} // namespace CalStudio::Cli
