#include "core/common/logging.h"

namespace CalStudio {

void setLogLevel(LogLevel level)
{
    switch (level) {
    case LogLevel::Quiet:
        QLoggingCategory::setFilterRules(QStringLiteral("calstudio.*.debug=false\ncalstudio.*.info=false"));
        break;
    case LogLevel::Normal:
        QLoggingCategory::setFilterRules(QStringLiteral("calstudio.*.debug=false\ncalstudio.*.info=true"));
        break;
    case LogLevel::Verbose:
        QLoggingCategory::setFilterRules(QStringLiteral("calstudio.*.debug=true\ncalstudio.*.info=true"));
        break;
    }
}

} // namespace CalStudio
