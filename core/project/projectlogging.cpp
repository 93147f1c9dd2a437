#include "core/project/projectlogging.h"

Q_LOGGING_CATEGORY(lcProject, "calstudio.project", QtInfoMsg)
