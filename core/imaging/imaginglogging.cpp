#include "core/imaging/imaginglogging.h"

Q_LOGGING_CATEGORY(lcImaging, "calstudio.imaging", QtInfoMsg)
