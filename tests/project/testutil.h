#pragma once

#include "core/common/result.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

namespace CalStudio::TestUtil {

/// A fingerprint of a file's bytes, to prove that a refused open wrote nothing.
inline QByteArray fileFingerprint(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArrayLiteral("<unreadable>");
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&f);
    return hash.result().toHex() + '/' + QByteArray::number(QFileInfo(path).lastModified().toMSecsSinceEpoch());
}

/// The error code of a result, or "ok": comparing it never throws when the call unexpectedly succeeded.
template<typename T>
QString errorCode(const Result<T> &result)
{
    return result ? QStringLiteral("ok") : result.error().code;
}

/// Runs one statement on a raw connection to `path` (bypassing ProjectStore), for fixtures.
inline bool rawExec(const QString &path, const QString &sql)
{
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            ok = q.exec(sql);
            q.finish();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    return ok;
}

} // namespace CalStudio::TestUtil
