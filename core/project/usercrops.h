#pragma once

#include <QMap>
#include <QRectF>
#include <QString>

#include <utility>

namespace CalStudio {

/// Which crop: a page (0 cover, 1–12) in a print format (PrintFormat::id).
using CropKey = std::pair<int, QString>;

/**
 * The crops the user set by hand in the crop editor, per page and format,
 * as fractions of the master (0–1, so a master rebuilt at another size keeps
 * them). Pages without an entry use the automatic SmartCrop plan.
 */
using UserCrops = QMap<CropKey, QRectF>;

} // namespace CalStudio
