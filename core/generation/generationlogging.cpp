#include "core/generation/generationlogging.h"

Q_LOGGING_CATEGORY(lcGeneration, "calstudio.generation", QtInfoMsg)
