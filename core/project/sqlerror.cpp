#include "core/project/sqlerror.h"

#include <QCoreApplication>

namespace CalStudio {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ProjectStore", text);
}
} // namespace

Error sqlError(const QSqlError &error, const QString &what)
{
    // QSQLITE reports the extended result code; the primary code is its low byte.
    bool ok = false;
    const int extended = error.nativeErrorCode().toInt(&ok);
    const int primary = ok ? (extended & 0xff) : -1;
    const QString detail = what + QStringLiteral(": ") + error.text();
    switch (primary) {
    case 13: // SQLITE_FULL
        return {QStringLiteral("disk_full"),
                tr("The disk is full, so your latest changes could not be saved. Free some space; "
                   "Calendar Studio keeps the changes and saves them as soon as it can."),
                detail};
    case 8: // SQLITE_READONLY
        return {QStringLiteral("read_only"),
                tr("The project file can no longer be written. Check that the disk is still connected and "
                   "the file is not read-only, then try again."),
                detail};
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
        return {QStringLiteral("locked"),
                tr("Another program is using the project file right now. Close it there and try again."), detail};
    case 11: // SQLITE_CORRUPT
    case 26: // SQLITE_NOTADB
        return {QStringLiteral("corrupt"),
                tr("The project file is damaged. Open a backup copy, or keep this file for support."), detail};
    case 10: // SQLITE_IOERR
    case 14: // SQLITE_CANTOPEN
        return {QStringLiteral("io_error"),
                tr("Calendar Studio could not read or write the project file. Check that the disk is "
                   "connected and has free space, then try again."),
                detail};
    default:
        return {QStringLiteral("database_error"),
                tr("Something went wrong while saving or reading the project. Your saved work is safe; "
                   "try again, and if it keeps happening, restart Calendar Studio."),
                detail};
    }
}

} // namespace CalStudio
