#pragma once

#include "core/common/error.h"

#include <QSqlError>

namespace CalStudio {

/**
 * Turns a driver error into an Error a person can act on. SQLite's result
 * codes (disk full, read-only, locked, corrupt, I/O) get their own codes and
 * messages; everything else becomes "database_error". `what` names the
 * operation for the technical detail.
 */
Error sqlError(const QSqlError &error, const QString &what);

} // namespace CalStudio
