#include "core/project/jobstore.h"

#include "core/project/projectstore.h"
#include "core/project/sqlerror.h"

#include <QSqlQuery>

namespace CalStudio {

namespace {
QString iso(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}
} // namespace

JobStore::JobStore(ProjectStore &store)
    : m_store(store)
{
}

Status JobStore::add(JobRecord &job)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    job.createdAt = job.updatedAt = now;
    QSqlQuery q(m_store.database());
    q.prepare(QStringLiteral("INSERT INTO job (kind, month, request_json, state, attempts, next_attempt_at, "
                             "last_error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(job.kind);
    q.addBindValue(job.month);
    q.addBindValue(QString::fromUtf8(job.requestJson));
    q.addBindValue(job.state);
    q.addBindValue(job.attempts);
    q.addBindValue(job.nextAttemptAt.isValid() ? QVariant(iso(job.nextAttemptAt)) : QVariant(QMetaType::fromType<QString>()));
    q.addBindValue(job.lastError.isNull() ? QStringLiteral("") : job.lastError);
    q.addBindValue(iso(now));
    q.addBindValue(iso(now));
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("add job"));
    job.id = q.lastInsertId().toLongLong();
    return Status::success();
}

Status JobStore::update(const JobRecord &job)
{
    QSqlQuery q(m_store.database());
    q.prepare(QStringLiteral("UPDATE job SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, "
                             "request_json = ?, updated_at = ? WHERE id = ?"));
    q.addBindValue(job.state);
    q.addBindValue(job.attempts);
    q.addBindValue(job.nextAttemptAt.isValid() ? QVariant(iso(job.nextAttemptAt)) : QVariant(QMetaType::fromType<QString>()));
    q.addBindValue(job.lastError.isNull() ? QStringLiteral("") : job.lastError);
    q.addBindValue(QString::fromUtf8(job.requestJson));
    q.addBindValue(iso(QDateTime::currentDateTimeUtc()));
    q.addBindValue(job.id);
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("update job"));
    return Status::success();
}

Result<QList<JobRecord>> JobStore::load(const QStringList &states) const
{
    QSqlQuery q(m_store.database());
    q.prepare(QStringLiteral("SELECT id, kind, IFNULL(month, 0), request_json, state, attempts, next_attempt_at, "
                             "last_error, created_at, updated_at FROM job ORDER BY id"));
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("load jobs"));
    QList<JobRecord> jobs;
    while (q.next()) {
        JobRecord j;
        j.id = q.value(0).toLongLong();
        j.kind = q.value(1).toString();
        j.month = q.value(2).toInt();
        j.requestJson = q.value(3).toString().toUtf8();
        j.state = q.value(4).toString();
        j.attempts = q.value(5).toInt();
        j.nextAttemptAt = QDateTime::fromString(q.value(6).toString(), Qt::ISODateWithMs);
        j.lastError = q.value(7).toString();
        j.createdAt = QDateTime::fromString(q.value(8).toString(), Qt::ISODateWithMs);
        j.updatedAt = QDateTime::fromString(q.value(9).toString(), Qt::ISODateWithMs);
        if (states.isEmpty() || states.contains(j.state))
            jobs.append(j);
    }
    return jobs;
}

} // namespace CalStudio
