#include "qml/qmllogging.h"

Q_LOGGING_CATEGORY(lcQml, "calstudio.qml")
