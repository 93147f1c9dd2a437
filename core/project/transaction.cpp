#include "core/project/transaction.h"

#include "core/project/sqlerror.h"
#include "core/project/projectlogging.h"

#include <QSqlQuery>

namespace CalStudio {

Transaction::Transaction(QSqlDatabase db)
    : m_db(std::move(db))
{
    QSqlQuery q(m_db);
    if (q.exec(QStringLiteral("BEGIN IMMEDIATE"))) {
        m_active = true;
    } else {
        m_error = sqlError(q.lastError(), QStringLiteral("begin transaction"));
    }
}

Transaction::~Transaction()
{
    if (!m_active)
        return;
    // SQLite may already have rolled back by itself (e.g. after SQLITE_FULL), in
    // which case ROLLBACK reports "no transaction is active"; that is fine.
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("ROLLBACK")))
        qCDebug(lcProject) << "rollback:" << q.lastError().text();
}

Status Transaction::commit()
{
    if (!m_active)
        return m_error.isNull() ? Error(QStringLiteral("internal"), QStringLiteral("No transaction is open."))
                                : m_error;
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("COMMIT"))) {
        // SQLite keeps the transaction open after a failed COMMIT (e.g. SQLITE_FULL);
        // the destructor rolls it back.
        return sqlError(q.lastError(), QStringLiteral("commit"));
    }
    m_active = false;
    return Status::success();
}

} // namespace CalStudio
