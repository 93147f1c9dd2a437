#include "core/common/error.h"

namespace CalStudio {

QString Error::toString() const
{
    if (detail.isEmpty())
        return userMessage;
    return userMessage + QStringLiteral(" (") + detail + QLatin1Char(')');
}

QDebug operator<<(QDebug dbg, const Error &error)
{
    QDebugStateSaver saver(dbg);
    dbg.nospace() << "Error(" << error.code << ": " << error.userMessage;
    if (!error.detail.isEmpty())
        dbg << " — " << error.detail;
    dbg << ')';
    return dbg;
}

} // namespace CalStudio
