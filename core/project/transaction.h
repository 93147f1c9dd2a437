#pragma once

#include "core/common/result.h"

#include <QSqlDatabase>

namespace CalStudio {

/**
 * RAII write transaction on a SQLite connection.
 *
 * Starts with BEGIN IMMEDIATE so the write lock is taken up front (a deferred
 * transaction that later upgrades can fail with SQLITE_BUSY half-way through).
 * Rolls back in the destructor unless commit() succeeded, so an early return
 * on error never leaves half an edit in the file.
 */
class Transaction {
public:
    explicit Transaction(QSqlDatabase db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    /// Whether BEGIN succeeded; if not, error() says why and nothing was started.
    [[nodiscard]] bool isActive() const { return m_active; }
    [[nodiscard]] const Error &error() const { return m_error; }

    Status commit();

private:
    QSqlDatabase m_db;
    bool m_active = false;
    Error m_error;
};

} // namespace CalStudio
