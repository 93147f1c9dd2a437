#include "core/project/projectstore.h"

#include "core/project/projectlogging.h"
#include "core/project/schema.h"
#include "core/project/sqlerror.h"
#include "core/project/transaction.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLockFile>
#include <QMutex>
#include <QSqlQuery>
#include <QThread>
#include <QUrl>
#include <QtEndian>

#include <filesystem>
#include <map>
#include <system_error>

namespace CalStudio {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ProjectStore", text);
}

QString newConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("calstudio-project-%1").arg(counter.fetchAndAddRelaxed(1));
}

QString isoNow()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

/// Binds text as TEXT even when empty: a null QString would bind SQL NULL.
QVariant text(const QString &value)
{
    return value.isNull() ? QVariant(QStringLiteral("")) : QVariant(value);
}

QString displayName(const QString &path)
{
    return QFileInfo(path).fileName();
}

/// A connection that removes itself from QSqlDatabase's registry when it goes away.
class Connection {
public:
    enum Mode { ReadWrite, ReadOnly, Immutable };

    Connection(const QString &path, Mode mode)
        : m_name(newConnectionName())
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000");
        if (mode == Immutable) {
            // Nothing is written, not even -wal/-shm beside the file; only
            // valid while no writer has the file open (no WAL exists).
            db.setDatabaseName(QUrl::fromLocalFile(path).toString(QUrl::FullyEncoded)
                               + QStringLiteral("?immutable=1"));
            options += QStringLiteral(";QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI");
        } else {
            db.setDatabaseName(path);
            if (mode == ReadOnly)
                options += QStringLiteral(";QSQLITE_OPEN_READONLY");
        }
        db.setConnectOptions(options);
    }
    ~Connection()
    {
        if (m_name.isEmpty())
            return;
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    /// Hands the registered connection over to a ProjectStore.
    QString release() { return std::exchange(m_name, QString()); }

private:
    QString m_name;
};

Status execPragma(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql))
        return sqlError(q.lastError(), sql);
    return Status::success();
}

/// What the first 100 bytes of a SQLite file say.
struct FileHeader {
    qint32 applicationId = 0;
    int userVersion = 0;
    /// A non-empty WAL sits beside the file: the header may be older than the database.
    bool walPending = false;
};

/**
 * Checks the file itself before SQLite touches it: that it is a file, looks
 * like SQLite, and is not shorter than its header says. Reads 100 bytes.
 */
Result<FileHeader> preflight(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error(QStringLiteral("not_found"),
                     tr("The project “%1” was not found. It may have been moved or deleted.").arg(displayName(path)),
                     path);
    if (!info.isFile())
        return Error(QStringLiteral("not_a_project"),
                     tr("“%1” is a folder, not a Calendar Studio project.").arg(displayName(path)), path);

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error(QStringLiteral("unreadable"),
                     tr("Calendar Studio is not allowed to read “%1”. Check the file's permissions.")
                         .arg(displayName(path)),
                     file.errorString());
    const QByteArray header = file.read(100);
    const qint64 size = file.size();
    file.close();

    static const QByteArray magic("SQLite format 3\0", 16);
    if (header.size() < 100 || !header.startsWith(magic))
        return Error(QStringLiteral("not_a_project"),
                     tr("“%1” is not a Calendar Studio project. Choose a file ending in .calstudio.")
                         .arg(displayName(path)),
                     QStringLiteral("no SQLite header"));

    const auto *h = reinterpret_cast<const uchar *>(header.constData());
    quint32 pageSize = qFromBigEndian<quint16>(h + 16);
    if (pageSize == 1)
        pageSize = 65536;
    const quint32 changeCounter = qFromBigEndian<quint32>(h + 24);
    const quint32 pageCount = qFromBigEndian<quint32>(h + 28);
    const quint32 validFor = qFromBigEndian<quint32>(h + 92);
    const bool pageSizeValid = pageSize >= 512 && (pageSize & (pageSize - 1)) == 0;

    // With a non-empty WAL beside it, the header may describe a checkpoint that
    // was interrupted; SQLite recovers that itself from the WAL.
    const QFileInfo wal(path + QStringLiteral("-wal"));
    const bool walPending = wal.exists() && wal.size() > 32;
    const bool sizeKnown = pageSizeValid && pageCount > 0 && changeCounter == validFor;
    if (!pageSizeValid
        || (!walPending && (size % pageSize != 0 || (sizeKnown && size < qint64(pageSize) * pageCount))))
        return Error(QStringLiteral("truncated"),
                     tr("“%1” is incomplete — it may have been cut off while copying or downloading. Copy it "
                        "again from where it came from, or open a backup.")
                         .arg(displayName(path)),
                     QStringLiteral("file is %1 bytes, header says %2 pages of %3 bytes")
                         .arg(size)
                         .arg(pageCount)
                         .arg(pageSize));
    FileHeader result;
    result.userVersion = int(qFromBigEndian<quint32>(h + 60));
    result.applicationId = qFromBigEndian<qint32>(h + 68);
    result.walPending = walPending;
    return result;
}

/// Whether we may write the file and create the WAL and lock files beside it.
Status checkWritable(const QString &path)
{
    const QFileInfo info(path);
    // Checked by permission bits as well as access(): running as root, access()
    // says yes even for a file its owner marked read-only.
    const auto writeBits = QFileDevice::WriteOwner | QFileDevice::WriteGroup | QFileDevice::WriteOther;
    if (!info.isWritable() || !(info.permissions() & writeBits))
        return Error(QStringLiteral("read_only"),
                     tr("“%1” is read-only. Calendar Studio saves as you work, so it needs a file it can change: "
                        "copy it to a folder of yours (for example Documents) or allow changes to it, then open it "
                        "again.")
                         .arg(displayName(path)),
                     path);
    const QFileInfo dir(info.absolutePath());
    if (!dir.isWritable())
        return Error(QStringLiteral("read_only"),
                     tr("The folder that holds “%1” is read-only. Copy the project to a folder of yours (for "
                        "example Documents), then open the copy.")
                         .arg(displayName(path)),
                     info.absolutePath());
    return Status::success();
}

/// Refuses files that are not ours, are newer than this build, or need an upgrade we may not write.
Status checkIdentity(const QString &path, qint32 applicationId, int version, ProjectStore::Access access)
{
    if (applicationId != Schema::ApplicationId || version < 1)
        return Error(QStringLiteral("not_a_project"),
                     tr("“%1” is a database, but not a Calendar Studio project.").arg(displayName(path)),
                     QStringLiteral("application_id %1, user_version %2").arg(applicationId).arg(version));
    if (version > Schema::currentVersion())
        return Error(QStringLiteral("newer_version"),
                     tr("“%1” was saved by a newer version of Calendar Studio. Update Calendar Studio to open "
                        "it; the file has not been changed.")
                         .arg(displayName(path)),
                     QStringLiteral("schema %1, this build reads up to %2").arg(version).arg(Schema::currentVersion()));
    if (access == ProjectStore::Access::ReadOnly && version < Schema::currentVersion())
        return Error(QStringLiteral("needs_upgrade"),
                     tr("“%1” was made by an older version. Open it once in Calendar Studio to update it.")
                         .arg(displayName(path)),
                     QStringLiteral("schema %1").arg(version));
    return Status::success();
}

Result<std::unique_ptr<QLockFile>> acquireLock(const QString &projectPath)
{
    auto lock = std::make_unique<QLockFile>(ProjectStore::lockFilePath(projectPath));
    // A lock left by a crashed instance names a process that is gone; QLockFile
    // removes it. A live holder's lock is never stolen.
    lock->setStaleLockTime(0);
    if (lock->tryLock(0))
        return lock;

    if (lock->error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host, app;
        if (!lock->getLockInfo(&pid, &host, &app)) {
            // An empty or unreadable lock file names nobody: its writer was killed
            // between creating and filling it (QLockFile does both in microseconds).
            // Give a live writer a moment, then take it over rather than lock the
            // user out of their project for good.
            QThread::msleep(150);
            if (!lock->getLockInfo(&pid, &host, &app) && lock->removeStaleLockFile() && lock->tryLock(0))
                return lock;
        }
        return Error(QStringLiteral("in_use"),
                     tr("“%1” is already open in another Calendar Studio window. Switch to that window, or close "
                        "the project there and try again.")
                         .arg(displayName(projectPath)),
                     QStringLiteral("locked by %1 (pid %2 on %3)").arg(app).arg(pid).arg(host));
    }
    return Error(QStringLiteral("read_only"),
                 tr("Calendar Studio cannot write in the folder that holds “%1”. Copy the project to a folder of "
                    "yours, then open the copy.")
                     .arg(displayName(projectPath)),
                 QStringLiteral("lock file error %1").arg(int(lock->error())));
}

MonthEntry monthFromQuery(const QSqlQuery &q)
{
    MonthEntry m;
    m.month = q.value(0).toInt();
    m.title = q.value(1).toString();
    m.prompt = q.value(2).toString();
    m.style = q.value(3).toString();
    m.avoid = q.value(4).toString();
    m.masterId = q.value(5).toLongLong();
    return m;
}

} // namespace

QString ProjectStore::lockFilePath(const QString &projectPath)
{
    const QFileInfo info(projectPath);
    return info.absolutePath() + QStringLiteral("/.") + info.fileName() + QStringLiteral(".lock");
}

Result<std::unique_ptr<ProjectStore>> ProjectStore::create(const QString &path, const ProjectSettings &settings)
{
    if (auto st = settings.validate(); !st)
        return st.error();
    const QFileInfo info(path);
    if (info.exists())
        return Error(QStringLiteral("exists"),
                     tr("A file named “%1” already exists there. Choose another name.").arg(info.fileName()), path);
    if (!QFileInfo(info.absolutePath()).isDir())
        return Error(QStringLiteral("not_found"),
                     tr("The folder for “%1” does not exist.").arg(info.fileName()), info.absolutePath());

    auto lock = acquireLock(path);
    if (!lock)
        return lock.error();

    // Build the file under a temporary name and move it into place, so a
    // failure (disk full, killed process) never leaves a half-made project.
    const QString partPath = info.absolutePath() + QStringLiteral("/.") + info.fileName() + QStringLiteral(".part");
    QFile::remove(partPath);
    auto build = [&]() -> Status {
        Connection conn(partPath, Connection::ReadWrite);
        QSqlDatabase db = conn.db();
        if (!db.open())
            return sqlError(db.lastError(), QStringLiteral("create project"));
        // The finished file is moved while no connection is open, so it is made
        // in rollback-journal mode; open() switches it to WAL.
        if (auto st = execPragma(db, QStringLiteral("PRAGMA foreign_keys = ON")); !st)
            return st;
        if (auto st = Schema::migrate(db); !st)
            return st;
        Transaction tx(db);
        if (!tx.isActive())
            return tx.error();
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO project (id, title, year, start_month, week_start, locale, "
                                 "holiday_region, page_layout, page_theme, week_numbers, notes_line, spend_cap_usd, "
                                 "created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        const QString now = isoNow();
        q.addBindValue(text(settings.title));
        q.addBindValue(settings.year);
        q.addBindValue(settings.startMonth);
        q.addBindValue(weekStartId(settings.weekStart));
        q.addBindValue(text(settings.locale));
        q.addBindValue(text(settings.holidayRegion));
        q.addBindValue(text(settings.pageLayout));
        q.addBindValue(text(settings.pageTheme));
        q.addBindValue(settings.weekNumbers ? 1 : 0);
        q.addBindValue(settings.notesLine ? 1 : 0);
        q.addBindValue(settings.spendCapUsd);
        q.addBindValue(settings.createdAt.isValid() ? settings.createdAt.toString(Qt::ISODateWithMs) : now);
        q.addBindValue(now);
        if (!q.exec())
            return sqlError(q.lastError(), QStringLiteral("create project"));
        return tx.commit();
    };
    if (auto st = build(); !st) {
        QFile::remove(partPath);
        QFile::remove(partPath + QStringLiteral("-journal"));
        return st.error();
    }
    std::error_code ec;
    std::filesystem::rename(QFile::encodeName(partPath).toStdString(), QFile::encodeName(path).toStdString(), ec);
    if (ec) {
        QFile::remove(partPath);
        return Error(QStringLiteral("io_error"), tr("Calendar Studio could not create “%1”.").arg(info.fileName()),
                     QString::fromStdString(ec.message()));
    }
    qCInfo(lcProject) << "created project" << path;
    return openChecked(path, Access::ReadWrite, std::move(*lock));
}

Result<std::unique_ptr<ProjectStore>> ProjectStore::open(const QString &path, Access access)
{
    const auto header = preflight(path);
    if (!header)
        return header.error();
    // Without a pending WAL the header is the truth: refuse other files and
    // newer versions before SQLite creates anything beside them.
    if (!header->walPending) {
        if (auto st = checkIdentity(path, header->applicationId, header->userVersion, access); !st)
            return st.error();
    }
    std::unique_ptr<QLockFile> lock;
    if (access == Access::ReadWrite) {
        if (auto st = checkWritable(path); !st)
            return st.error();
        auto acquired = acquireLock(path);
        if (!acquired)
            return acquired.error();
        lock = std::move(*acquired);
    }
    return openChecked(path, access, std::move(lock));
}

Result<std::unique_ptr<ProjectStore>> ProjectStore::openChecked(const QString &path, Access access,
                                                                std::unique_ptr<QLockFile> lock)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();

    // With a pending WAL (after a crash, or while a studio has the file open)
    // the header may be stale; ask SQLite through a read-only connection, so
    // nothing below writes to a file we are going to refuse.
    const QFileInfo wal(absolute + QStringLiteral("-wal"));
    const bool walExists = wal.exists();
    int version = 0;
    {
        Connection probe(absolute, walExists ? Connection::ReadOnly : Connection::Immutable);
        QSqlDatabase db = probe.db();
        if (!db.open())
            return sqlError(db.lastError(), QStringLiteral("open project"));
        auto appId = Schema::applicationId(db);
        if (!appId) {
            if (appId.error().code == QLatin1String("corrupt"))
                return Error(QStringLiteral("not_a_project"),
                             tr("“%1” is not a Calendar Studio project, or it is badly damaged.")
                                 .arg(displayName(path)),
                             appId.error().detail);
            return appId.error();
        }
        auto userVersion = Schema::userVersion(db);
        if (!userVersion)
            return userVersion.error();
        version = *userVersion;
        if (auto st = checkIdentity(path, *appId, version, access); !st)
            return st.error();
    }

    std::unique_ptr<ProjectStore> store(new ProjectStore);
    store->m_path = absolute;
    store->m_access = access;
    store->m_lock = std::move(lock);

    Connection conn(absolute,
                    access == Access::ReadWrite ? Connection::ReadWrite
                                                : (walExists ? Connection::ReadOnly : Connection::Immutable));
    QSqlDatabase db = conn.db();
    if (!db.open())
        return sqlError(db.lastError(), QStringLiteral("open project"));

    if (auto st = execPragma(db, QStringLiteral("PRAGMA foreign_keys = ON")); !st)
        return st.error();
    if (access == Access::ReadWrite) {
        // WAL: readers never block the writer and a crash loses at most the
        // transaction in flight. synchronous=FULL also survives power loss;
        // our writes are small and debounced, so the fsync per commit is cheap.
        if (auto st = execPragma(db, QStringLiteral("PRAGMA journal_mode = WAL")); !st)
            return st.error();
        if (auto st = execPragma(db, QStringLiteral("PRAGMA synchronous = FULL")); !st)
            return st.error();
        // Deleted photos must not linger in free pages of the file.
        if (auto st = execPragma(db, QStringLiteral("PRAGMA secure_delete = ON")); !st)
            return st.error();
        if (version < Schema::currentVersion()) {
            if (auto st = Schema::migrate(db); !st)
                return st.error();
            version = Schema::currentVersion();
        }
    }
    store->m_schemaVersion = version;
    store->m_connectionName = conn.release();
    store->m_db = QSqlDatabase::database(store->m_connectionName, false);

    // Reading the settings proves the file is usable before anyone relies on it.
    if (auto settings = store->loadSettings(); !settings)
        return settings.error();
    qCInfo(lcProject) << "opened project" << absolute << "schema" << version
                      << (access == Access::ReadOnly ? "read-only" : "read-write");
    return store;
}

ProjectStore::~ProjectStore()
{
    if (!m_connectionName.isEmpty()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
    // m_lock unlocks in its destructor, after the connection is closed.
}

Result<ProjectSettings> ProjectStore::loadSettings() const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT title, year, start_month, week_start, locale, holiday_region, created_at, "
                             "updated_at, page_layout, page_theme, week_numbers, notes_line, spend_cap_usd "
                             "FROM project WHERE id = 1"));
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("load settings"));
    if (!q.next())
        return Error(QStringLiteral("corrupt"),
                     tr("The project file is missing its settings. Open a backup copy, or keep this file for "
                        "support."),
                     QStringLiteral("no project row"));
    ProjectSettings s;
    s.title = q.value(0).toString();
    s.year = q.value(1).toInt();
    s.startMonth = q.value(2).toInt();
    s.weekStart = weekStartFromId(q.value(3).toString()).value_or(WeekStart::LocaleDefault);
    s.locale = q.value(4).toString();
    s.holidayRegion = q.value(5).toString();
    s.createdAt = QDateTime::fromString(q.value(6).toString(), Qt::ISODateWithMs);
    s.updatedAt = QDateTime::fromString(q.value(7).toString(), Qt::ISODateWithMs);
    s.pageLayout = q.value(8).toString();
    s.pageTheme = q.value(9).toString();
    s.weekNumbers = q.value(10).toInt() != 0;
    s.notesLine = q.value(11).toInt() != 0;
    s.spendCapUsd = q.value(12).toDouble();
    return s;
}

Status ProjectStore::saveSettings(const ProjectSettings &settings)
{
    if (auto st = settings.validate(); !st)
        return st;
    Transaction tx(m_db);
    if (!tx.isActive())
        return tx.error();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE project SET title = ?, year = ?, start_month = ?, week_start = ?, locale = ?, "
                             "holiday_region = ?, page_layout = ?, page_theme = ?, week_numbers = ?, notes_line = ?, "
                             "spend_cap_usd = ?, updated_at = ? WHERE id = 1"));
    q.addBindValue(text(settings.title));
    q.addBindValue(settings.year);
    q.addBindValue(settings.startMonth);
    q.addBindValue(weekStartId(settings.weekStart));
    q.addBindValue(text(settings.locale));
    q.addBindValue(text(settings.holidayRegion));
    q.addBindValue(text(settings.pageLayout));
    q.addBindValue(text(settings.pageTheme));
    q.addBindValue(settings.weekNumbers ? 1 : 0);
    q.addBindValue(settings.notesLine ? 1 : 0);
    q.addBindValue(settings.spendCapUsd);
    q.addBindValue(isoNow());
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("save settings"));
    return tx.commit();
}

Result<QList<MonthEntry>> ProjectStore::loadMonths() const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT month, title, prompt, style, avoid, IFNULL(master_id, 0) FROM month "
                             "ORDER BY month"));
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("load months"));
    QList<MonthEntry> months;
    while (q.next())
        months.append(monthFromQuery(q));
    if (months.size() != MonthEntry::PageCount)
        return Error(QStringLiteral("corrupt"),
                     tr("The project file is missing some of its months. Open a backup copy, or keep this file for "
                        "support."),
                     QStringLiteral("%1 month rows").arg(months.size()));
    return months;
}

Status ProjectStore::saveMonths(const QList<MonthEntry> &months)
{
    Transaction tx(m_db);
    if (!tx.isActive())
        return tx.error();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE month SET title = ?, prompt = ?, style = ?, avoid = ?, master_id = ? "
                             "WHERE month = ?"));
    for (const MonthEntry &m : months) {
        q.addBindValue(text(m.title));
        q.addBindValue(text(m.prompt));
        q.addBindValue(text(m.style));
        q.addBindValue(text(m.avoid));
        q.addBindValue(m.masterId > 0 ? QVariant(m.masterId) : QVariant(QMetaType::fromType<qint64>()));
        q.addBindValue(m.month);
        if (!q.exec())
            return sqlError(q.lastError(), QStringLiteral("save month %1").arg(m.month));
    }
    return tx.commit();
}

Result<QList<SpecialDate>> ProjectStore::loadSpecialDates() const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id, date, label, kind, recurring, leap_rule, show_age FROM special_date "
                             "ORDER BY substr(date, 6), label"));
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("load special dates"));
    QList<SpecialDate> dates;
    while (q.next()) {
        SpecialDate d;
        d.id = q.value(0).toLongLong();
        d.date = QDate::fromString(q.value(1).toString(), Qt::ISODate);
        d.label = q.value(2).toString();
        d.kind = SpecialDate::kindFromId(q.value(3).toString()).value_or(SpecialDate::Kind::Custom);
        d.recurring = q.value(4).toInt() != 0;
        d.leapRule = SpecialDate::leapRuleFromId(q.value(5).toString()).value_or(SpecialDate::LeapRule::February28);
        d.showAge = q.value(6).toInt() != 0;
        dates.append(d);
    }
    return dates;
}

Status ProjectStore::replaceSpecialDates(const QList<SpecialDate> &dates)
{
    Transaction tx(m_db);
    if (!tx.isActive())
        return tx.error();
    QSqlQuery clear(m_db);
    if (!clear.exec(QStringLiteral("DELETE FROM special_date")))
        return sqlError(clear.lastError(), QStringLiteral("save special dates"));
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO special_date (date, label, kind, recurring, leap_rule, show_age) "
                             "VALUES (?, ?, ?, ?, ?, ?)"));
    for (const SpecialDate &d : dates) {
        q.addBindValue(d.date.toString(Qt::ISODate));
        q.addBindValue(text(d.label));
        q.addBindValue(SpecialDate::kindId(d.kind));
        q.addBindValue(d.recurring ? 1 : 0);
        q.addBindValue(SpecialDate::leapRuleId(d.leapRule));
        q.addBindValue(d.showAge ? 1 : 0);
        if (!q.exec())
            return sqlError(q.lastError(), QStringLiteral("save special date"));
    }
    return tx.commit();
}

Result<UserCrops> ProjectStore::loadUserCrops() const
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT month, format_id, x, y, w, h FROM crop WHERE source = 'user'")))
        return sqlError(q.lastError(), QStringLiteral("load crops"));
    UserCrops crops;
    while (q.next()) {
        const QRectF rect(q.value(2).toDouble(), q.value(3).toDouble(), q.value(4).toDouble(), q.value(5).toDouble());
        crops.insert(CropKey{q.value(0).toInt(), q.value(1).toString()}, rect);
    }
    return crops;
}

Status ProjectStore::replaceUserCrops(const UserCrops &crops)
{
    Transaction tx(m_db);
    if (!tx.isActive())
        return tx.error();
    QSqlQuery clear(m_db);
    if (!clear.exec(QStringLiteral("DELETE FROM crop WHERE source = 'user'")))
        return sqlError(clear.lastError(), QStringLiteral("save crops"));
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO crop (month, format_id, x, y, w, h, source) "
                             "VALUES (?, ?, ?, ?, ?, ?, 'user')"));
    for (auto it = crops.cbegin(); it != crops.cend(); ++it) {
        q.addBindValue(it.key().first);
        q.addBindValue(it.key().second);
        q.addBindValue(it.value().x());
        q.addBindValue(it.value().y());
        q.addBindValue(it.value().width());
        q.addBindValue(it.value().height());
        if (!q.exec())
            return sqlError(q.lastError(), QStringLiteral("save crop"));
    }
    return tx.commit();
}

Result<QSet<QString>> ProjectStore::loadHolidaysOff() const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT region, holiday_id FROM holiday_off"));
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("load holiday choices"));
    QSet<QString> off;
    while (q.next())
        off.insert(q.value(0).toString() + QLatin1Char(':') + q.value(1).toString());
    return off;
}

Status ProjectStore::replaceHolidaysOff(const QSet<QString> &off)
{
    Transaction tx(m_db);
    if (!tx.isActive())
        return tx.error();
    QSqlQuery clear(m_db);
    if (!clear.exec(QStringLiteral("DELETE FROM holiday_off")))
        return sqlError(clear.lastError(), QStringLiteral("save holiday choices"));
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO holiday_off (region, holiday_id) VALUES (?, ?)"));
    for (const QString &key : off) {
        const qsizetype colon = key.indexOf(QLatin1Char(':'));
        q.addBindValue(key.left(colon));
        q.addBindValue(key.mid(colon + 1));
        if (!q.exec())
            return sqlError(q.lastError(), QStringLiteral("save holiday choice"));
    }
    return tx.commit();
}

Result<QList<SelfieRecord>> ProjectStore::loadSelfies(bool includeDeleted) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id, blob_id, mime, width, height, position, source_sha256, original_name, "
                             "faces_json, main_face, preferred, deleted, imported_at FROM selfie "
                             "WHERE deleted = 0 OR ? ORDER BY position, id"));
    q.addBindValue(includeDeleted ? 1 : 0);
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("load selfies"));
    QList<SelfieRecord> list;
    while (q.next()) {
        SelfieRecord r;
        r.id = q.value(0).toLongLong();
        r.blobId = q.value(1).toLongLong();
        r.mime = q.value(2).toString();
        r.width = q.value(3).toInt();
        r.height = q.value(4).toInt();
        r.position = q.value(5).toInt();
        r.sourceSha256 = q.value(6).toString();
        r.originalName = q.value(7).toString();
        r.analysisJson = q.value(8).toString().toUtf8();
        r.mainFace = q.value(9).toInt();
        r.preferred = q.value(10).toInt() != 0;
        r.deleted = q.value(11).toInt() != 0;
        r.importedAt = QDateTime::fromString(q.value(12).toString(), Qt::ISODateWithMs);
        list.append(r);
    }
    return list;
}

Result<qint64> ProjectStore::findSelfieBySource(const QString &sourceSha256) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id FROM selfie WHERE source_sha256 = ? AND deleted = 0 LIMIT 1"));
    q.addBindValue(sourceSha256);
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("find selfie"));
    return q.next() ? q.value(0).toLongLong() : qint64(0);
}

Status ProjectStore::addSelfie(SelfieRecord &record, const QByteArray &cleanBytes)
{
    Transaction tx(m_db);
    if (!tx.isActive())
        return tx.error();
    auto blob = insertBlob(cleanBytes);
    if (!blob)
        return blob.error();
    const qint64 blobId = *blob;
    QSqlQuery pos(m_db);
    if (!pos.exec(QStringLiteral("SELECT IFNULL(MAX(position), -1) + 1 FROM selfie")) || !pos.next())
        return sqlError(pos.lastError(), QStringLiteral("order selfie"));
    record.position = pos.value(0).toInt();
    if (!record.importedAt.isValid())
        record.importedAt = QDateTime::currentDateTimeUtc();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO selfie (blob_id, mime, width, height, position, faces_json, quality_json, "
                             "imported_at, source_sha256, original_name, main_face, preferred, deleted) "
                             "VALUES (?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, 0)"));
    q.addBindValue(blobId);
    q.addBindValue(text(record.mime));
    q.addBindValue(record.width);
    q.addBindValue(record.height);
    q.addBindValue(record.position);
    q.addBindValue(record.analysisJson.isEmpty() ? QStringLiteral("{}") : QString::fromUtf8(record.analysisJson));
    q.addBindValue(record.importedAt.toString(Qt::ISODateWithMs));
    q.addBindValue(text(record.sourceSha256));
    q.addBindValue(text(record.originalName));
    q.addBindValue(record.mainFace);
    q.addBindValue(record.preferred ? 1 : 0);
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("store selfie"));
    record.id = q.lastInsertId().toLongLong();
    record.blobId = blobId;
    return tx.commit();
}

Status ProjectStore::saveSelfieStates(const QList<SelfieRecord> &records)
{
    Transaction tx(m_db);
    if (!tx.isActive())
        return tx.error();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE selfie SET position = ?, main_face = ?, preferred = ?, deleted = ? WHERE id = ?"));
    for (const SelfieRecord &r : records) {
        q.addBindValue(r.position);
        q.addBindValue(r.mainFace);
        q.addBindValue(r.preferred ? 1 : 0);
        q.addBindValue(r.deleted ? 1 : 0);
        q.addBindValue(r.id);
        if (!q.exec())
            return sqlError(q.lastError(), QStringLiteral("save selfie"));
    }
    return tx.commit();
}

namespace {
const QString OrphanBlobs = QStringLiteral(
    "DELETE FROM image_blob WHERE id NOT IN (SELECT blob_id FROM selfie UNION SELECT blob_id FROM master "
    "UNION SELECT blob_id FROM candidate WHERE blob_id IS NOT NULL)");
}

Status ProjectStore::purgeDeletedSelfies()
{
    Transaction tx(m_db);
    if (!tx.isActive())
        return tx.error();
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("DELETE FROM selfie WHERE deleted = 1")) || !q.exec(OrphanBlobs))
        return sqlError(q.lastError(), QStringLiteral("remove deleted selfies"));
    return tx.commit();
}

Status ProjectStore::forgetAllSelfies()
{
    {
        Transaction tx(m_db);
        if (!tx.isActive())
            return tx.error();
        QSqlQuery q(m_db);
        if (!q.exec(QStringLiteral("DELETE FROM selfie")) || !q.exec(OrphanBlobs))
            return sqlError(q.lastError(), QStringLiteral("forget selfies"));
        if (auto st = tx.commit(); !st)
            return st;
    }
    // Old page images may survive in the WAL and in free pages: checkpoint and
    // truncate the WAL, then rebuild the file so nothing of the photos remains.
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")))
        return sqlError(q.lastError(), QStringLiteral("checkpoint"));
    q.finish();
    if (!q.exec(QStringLiteral("VACUUM")))
        return sqlError(q.lastError(), QStringLiteral("compact project"));
    q.finish();
    if (!q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")))
        return sqlError(q.lastError(), QStringLiteral("checkpoint"));
    return Status::success();
}

Result<ProjectCounts> ProjectStore::counts() const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT (SELECT COUNT(*) FROM selfie WHERE deleted = 0), (SELECT COUNT(*) FROM candidate), "
                             "(SELECT COUNT(*) FROM month WHERE master_id IS NOT NULL)"));
    if (!q.exec() || !q.next())
        return sqlError(q.lastError(), QStringLiteral("count items"));
    return ProjectCounts{q.value(0).toInt(), q.value(1).toInt(), q.value(2).toInt()};
}

namespace {
/// Columns of a MasterInfo, for `FROM master ma LEFT JOIN candidate c ON c.id = ma.candidate_id`.
const QString MasterColumns = QStringLiteral(
    "ma.id, ma.month, ma.width, ma.height, ma.native_width, ma.native_height, IFNULL(c.provider, ''), "
    "IFNULL(c.model, ''), IFNULL(ma.candidate_id, 0), IFNULL(ma.selfie_id, 0), ma.blob_id");

MasterInfo masterFromQuery(const QSqlQuery &q)
{
    MasterInfo m;
    m.id = q.value(0).toLongLong();
    m.month = q.value(1).toInt();
    m.width = q.value(2).toInt();
    m.height = q.value(3).toInt();
    m.nativeWidth = q.value(4).toInt();
    m.nativeHeight = q.value(5).toInt();
    m.provider = q.value(6).toString();
    m.model = q.value(7).toString();
    m.candidateId = q.value(8).toLongLong();
    m.selfieId = q.value(9).toLongLong();
    m.blobId = q.value(10).toLongLong();
    return m;
}

QVariant idOrNull(qint64 id)
{
    return id > 0 ? QVariant(id) : QVariant(QMetaType::fromType<qint64>());
}

bool validPage(int month)
{
    return month >= 0 && month < MonthEntry::PageCount;
}

Error invalidMonthError(int month)
{
    return Error(QStringLiteral("invalid_month"), tr("There is no month %1 in this project.").arg(month),
                 QString::number(month));
}
} // namespace

Result<QList<MasterInfo>> ProjectStore::masters() const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT ") + MasterColumns
              + QStringLiteral(" FROM month mo JOIN master ma ON ma.id = mo.master_id "
                               "LEFT JOIN candidate c ON c.id = ma.candidate_id ORDER BY mo.month"));
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("list masters"));
    QList<MasterInfo> list;
    while (q.next())
        list.append(masterFromQuery(q));
    return list;
}

namespace {

/// Stores bytes once per hash on `db` inside the caller's transaction.
Result<qint64> insertBlobOn(const QSqlDatabase &db, const QByteArray &bytes)
{
    const QString sha = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    QSqlQuery find(db);
    find.prepare(QStringLiteral("SELECT id FROM image_blob WHERE sha256 = ?"));
    find.addBindValue(sha);
    if (!find.exec())
        return sqlError(find.lastError(), QStringLiteral("find image"));
    if (find.next())
        return find.value(0).toLongLong();
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT INTO image_blob (sha256, size, bytes) VALUES (?, ?, ?)"));
    insert.addBindValue(sha);
    insert.addBindValue(bytes.size());
    insert.addBindValue(bytes);
    if (!insert.exec())
        return sqlError(insert.lastError(), QStringLiteral("store image"));
    return insert.lastInsertId().toLongLong();
}

Result<QByteArray> readBlobOn(const QSqlDatabase &db, qint64 id)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT bytes FROM image_blob WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("read image"));
    if (!q.next())
        return Error(QStringLiteral("not_found"), tr("An image is missing from the project."),
                     QStringLiteral("blob %1").arg(id));
    return q.value(0).toByteArray();
}

} // namespace

Result<qint64> ProjectStore::insertBlob(const QByteArray &bytes)
{
    return insertBlobOn(m_db, bytes);
}

Result<std::unique_ptr<ProjectStore>> ProjectStore::workerConnection(const QString &projectPath)
{
    // A store without lock or checks: the owner opened (and checked, and migrated) the file.
    std::unique_ptr<ProjectStore> store(new ProjectStore);
    store->m_path = projectPath;
    Connection conn(projectPath, Connection::ReadWrite);
    QSqlDatabase db = conn.db();
    if (!db.open())
        return sqlError(db.lastError(), QStringLiteral("open project from a worker"));
    // journal_mode=WAL is a property of the file; these are per connection.
    for (const QString &pragma : {QStringLiteral("PRAGMA foreign_keys = ON"), QStringLiteral("PRAGMA synchronous = FULL"),
                                  QStringLiteral("PRAGMA secure_delete = ON")}) {
        if (auto st = execPragma(db, pragma); !st)
            return st.error();
    }
    store->m_connectionName = conn.release();
    store->m_db = QSqlDatabase::database(store->m_connectionName, false);
    return store;
}

QMutex &ProjectStore::writeGate(const QString &projectPath)
{
    static QMutex registryMutex;
    static std::map<QString, std::unique_ptr<QMutex>> gates; // never shrinks: one small mutex per file ever opened
    const QMutexLocker lock(&registryMutex);
    auto &gate = gates[QFileInfo(projectPath).absoluteFilePath()];
    if (!gate)
        gate = std::make_unique<QMutex>();
    return *gate;
}

Status ProjectStore::addCandidateAt(const QString &projectPath, CandidateRecord &record, const QByteArray &bytes)
{
    const QMutexLocker gate(&writeGate(projectPath));
    auto store = workerConnection(projectPath);
    if (!store)
        return store.error();
    return (*store)->addCandidate(record, bytes);
}

Result<qint64> ProjectStore::addMasterAt(const QString &projectPath, int month, const MasterSource &source,
                                         const QByteArray &png, QSize size, QSize nativeSize)
{
    const QMutexLocker gate(&writeGate(projectPath));
    auto store = workerConnection(projectPath);
    if (!store)
        return store.error();
    return (*store)->addMaster(month, source, png, size, nativeSize);
}

Result<QByteArray> ProjectStore::readBlobAt(const QString &projectPath, qint64 blobId)
{
    Connection conn(projectPath, Connection::ReadOnly);
    QSqlDatabase db = conn.db();
    if (!db.open())
        return sqlError(db.lastError(), QStringLiteral("open project for image bytes"));
    return readBlobOn(db, blobId);
}


Result<qint64> ProjectStore::putBlob(const QByteArray &bytes)
{
    Transaction tx(m_db);
    if (!tx.isActive())
        return tx.error();
    auto id = insertBlob(bytes);
    if (!id)
        return id;
    if (auto st = tx.commit(); !st)
        return st.error();
    return id;
}

Result<QByteArray> ProjectStore::readBlob(qint64 id) const
{
    return readBlobOn(m_db, id);
}

Status ProjectStore::copyTo(const QString &path) const
{
    const QFileInfo target(path);
    if (target.absoluteFilePath() == m_path)
        return Error(QStringLiteral("same_file"), tr("Choose a different name or folder for the copy."));
    if (!QFileInfo(target.absolutePath()).isDir())
        return Error(QStringLiteral("not_found"), tr("The folder for “%1” does not exist.").arg(target.fileName()),
                     target.absolutePath());
    std::unique_ptr<QLockFile> targetLock;
    if (target.exists()) {
        // Never replace a project that another window is working on.
        auto lock = acquireLock(path);
        if (!lock)
            return lock.error();
        targetLock = std::move(*lock);
    }

    const QString partPath =
        target.absolutePath() + QStringLiteral("/.") + target.fileName() + QStringLiteral(".part");
    QFile::remove(partPath);
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("VACUUM INTO ?"));
    q.addBindValue(partPath);
    if (!q.exec()) {
        QFile::remove(partPath);
        return sqlError(q.lastError(), QStringLiteral("copy project"));
    }
    // Stale WAL files of a replaced project must not be applied to the new file
    // (we hold its lock, so no instance is using them).
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
    std::error_code ec;
    std::filesystem::rename(QFile::encodeName(partPath).toStdString(), QFile::encodeName(path).toStdString(), ec);
    if (ec) {
        QFile::remove(partPath);
        return Error(QStringLiteral("io_error"),
                     tr("Calendar Studio could not write “%1”.").arg(target.fileName()),
                     QString::fromStdString(ec.message()));
    }
    qCInfo(lcProject) << "copied project to" << path;
    return Status::success();
}

Result<QString> ProjectStore::integrityCheck() const
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("PRAGMA integrity_check")) || !q.next())
        return sqlError(q.lastError(), QStringLiteral("integrity check"));
    return q.value(0).toString();
}

Status ProjectStore::addCandidate(CandidateRecord &record, const QByteArray &bytes)
{
    Transaction tx(m_db);
    if (!tx.isActive())
        return tx.error();
    qint64 blobId = 0;
    if (!bytes.isEmpty()) {
        auto blob = insertBlob(bytes);
        if (!blob)
            return blob.error();
        blobId = *blob;
    }
    CandidateRecord stored = record;
    if (auto st = insertCandidateRow(stored, blobId); !st)
        return st;
    if (auto st = tx.commit(); !st)
        return st;
    record = stored;
    return {};
}

Status ProjectStore::insertCandidateRow(CandidateRecord &record, qint64 blobId)
{
    if (!record.createdAt.isValid())
        record.createdAt = QDateTime::currentDateTimeUtc();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO candidate (month, provider, model, prompt_sent, seed, blob_id, width, height, "
                             "cost_micros, status, error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(record.month);
    q.addBindValue(text(record.provider));
    q.addBindValue(text(record.model));
    q.addBindValue(text(record.promptSent));
    q.addBindValue(record.seed);
    q.addBindValue(blobId > 0 ? QVariant(blobId) : QVariant(QMetaType(QMetaType::LongLong)));
    q.addBindValue(record.width);
    q.addBindValue(record.height);
    q.addBindValue(record.costMicros);
    q.addBindValue(text(record.status));
    q.addBindValue(text(record.error));
    q.addBindValue(record.createdAt.toString(Qt::ISODateWithMs));
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("store candidate"));
    record.id = q.lastInsertId().toLongLong();
    record.blobId = blobId;
    return {};
}

Result<QList<CandidateRecord>> ProjectStore::loadCandidates(int month) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id, month, provider, model, prompt_sent, IFNULL(seed, 0), IFNULL(blob_id, 0), "
                             "width, height, cost_micros, status, error, created_at FROM candidate WHERE month = ? "
                             "ORDER BY id"));
    q.addBindValue(month);
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("list candidates"));
    QList<CandidateRecord> list;
    while (q.next()) {
        CandidateRecord r;
        r.id = q.value(0).toLongLong();
        r.month = q.value(1).toInt();
        r.provider = q.value(2).toString();
        r.model = q.value(3).toString();
        r.promptSent = q.value(4).toString();
        r.seed = q.value(5).toLongLong();
        r.blobId = q.value(6).toLongLong();
        r.width = q.value(7).toInt();
        r.height = q.value(8).toInt();
        r.costMicros = q.value(9).toLongLong();
        r.status = q.value(10).toString();
        r.error = q.value(11).toString();
        r.createdAt = QDateTime::fromString(q.value(12).toString(), Qt::ISODateWithMs);
        list.append(r);
    }
    return list;
}

Result<qint64> ProjectStore::insertMaster(int month, const MasterSource &source, const QByteArray &png, QSize size,
                                          QSize nativeSize)
{
    if (!validPage(month))
        return invalidMonthError(month);
    if (png.isEmpty())
        return Error(QStringLiteral("empty"), tr("The master image is empty."));
    if (size.isEmpty() || nativeSize.isEmpty())
        return Error(QStringLiteral("bad_size"), tr("The master image has no size."),
                     QStringLiteral("%1x%2, native %3x%4")
                         .arg(size.width())
                         .arg(size.height())
                         .arg(nativeSize.width())
                         .arg(nativeSize.height()));
    if (source.candidateId > 0 && source.selfieId > 0)
        return Error(QStringLiteral("invalid_source"),
                     tr("A master comes from a generated picture or from a photo, not both."),
                     QStringLiteral("candidate %1, selfie %2").arg(source.candidateId).arg(source.selfieId));
    if (source.candidateId > 0) {
        QSqlQuery c(m_db);
        c.prepare(QStringLiteral("SELECT month FROM candidate WHERE id = ?"));
        c.addBindValue(source.candidateId);
        if (!c.exec())
            return sqlError(c.lastError(), QStringLiteral("find candidate"));
        if (!c.next())
            return Error(QStringLiteral("not_found"), tr("That picture is no longer in the project."),
                         QStringLiteral("candidate %1").arg(source.candidateId));
        if (c.value(0).toInt() != month)
            return Error(QStringLiteral("invalid_source"), tr("That picture belongs to another month."),
                         QStringLiteral("candidate %1 is of month %2, not %3")
                             .arg(source.candidateId)
                             .arg(c.value(0).toInt())
                             .arg(month));
    }
    if (source.selfieId > 0) {
        QSqlQuery p(m_db);
        p.prepare(QStringLiteral("SELECT 1 FROM selfie WHERE id = ?"));
        p.addBindValue(source.selfieId);
        if (!p.exec())
            return sqlError(p.lastError(), QStringLiteral("find selfie"));
        if (!p.next())
            return Error(QStringLiteral("not_found"), tr("That photo is no longer in the project."),
                         QStringLiteral("selfie %1").arg(source.selfieId));
    }
    auto blob = insertBlob(png);
    if (!blob)
        return blob.error();
    QSqlQuery insert(m_db);
    insert.prepare(QStringLiteral("INSERT INTO master (month, candidate_id, selfie_id, blob_id, width, height, "
                                  "native_width, native_height, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    insert.addBindValue(month);
    insert.addBindValue(idOrNull(source.candidateId));
    insert.addBindValue(idOrNull(source.selfieId));
    insert.addBindValue(*blob);
    insert.addBindValue(size.width());
    insert.addBindValue(size.height());
    insert.addBindValue(nativeSize.width());
    insert.addBindValue(nativeSize.height());
    insert.addBindValue(isoNow());
    if (!insert.exec())
        return sqlError(insert.lastError(), QStringLiteral("store master"));
    return insert.lastInsertId().toLongLong();
}

Status ProjectStore::pointMonth(int month, qint64 masterId)
{
    if (!validPage(month))
        return invalidMonthError(month);
    if (masterId > 0) {
        QSqlQuery find(m_db);
        find.prepare(QStringLiteral("SELECT month FROM master WHERE id = ?"));
        find.addBindValue(masterId);
        if (!find.exec())
            return sqlError(find.lastError(), QStringLiteral("find master"));
        if (!find.next())
            return Error(QStringLiteral("not_found"), tr("That picture is no longer in the project."),
                         QStringLiteral("master %1").arg(masterId));
        if (find.value(0).toInt() != month)
            return Error(QStringLiteral("wrong_month"), tr("That picture belongs to another month."),
                         QStringLiteral("master %1 is of month %2, not %3")
                             .arg(masterId)
                             .arg(find.value(0).toInt())
                             .arg(month));
    }
    QSqlQuery point(m_db);
    point.prepare(QStringLiteral("UPDATE month SET master_id = ? WHERE month = ?"));
    point.addBindValue(idOrNull(masterId));
    point.addBindValue(month);
    if (!point.exec())
        return sqlError(point.lastError(), QStringLiteral("choose master"));
    if (point.numRowsAffected() != 1)
        return Error(QStringLiteral("corrupt"), tr("There is no month %1 in this project.").arg(month),
                     QStringLiteral("month row %1 missing").arg(month));
    return Status::success();
}

Result<qint64> ProjectStore::addMaster(int month, const MasterSource &source, const QByteArray &png, QSize size,
                                       QSize nativeSize)
{
    Transaction tx(m_db);
    if (!tx.isActive())
        return tx.error();
    auto id = insertMaster(month, source, png, size, nativeSize);
    if (!id)
        return id;
    if (auto st = tx.commit(); !st)
        return st.error();
    return id;
}

Result<qint64> ProjectStore::findMaster(int month, const MasterSource &source) const
{
    if (source.isEmpty())
        return qint64(0);
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id FROM master WHERE month = ? AND IFNULL(candidate_id, 0) = ? "
                             "AND IFNULL(selfie_id, 0) = ? ORDER BY id DESC LIMIT 1"));
    q.addBindValue(month);
    q.addBindValue(qMax<qint64>(0, source.candidateId));
    q.addBindValue(qMax<qint64>(0, source.selfieId));
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("find master"));
    return q.next() ? q.value(0).toLongLong() : qint64(0);
}

Result<MasterInfo> ProjectStore::masterInfo(qint64 masterId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT ") + MasterColumns
              + QStringLiteral(" FROM master ma LEFT JOIN candidate c ON c.id = ma.candidate_id WHERE ma.id = ?"));
    q.addBindValue(masterId);
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("find master"));
    if (!q.next())
        return Error(QStringLiteral("not_found"), tr("That picture is no longer in the project."),
                     QStringLiteral("master %1").arg(masterId));
    return masterFromQuery(q);
}

Result<QByteArray> ProjectStore::readMasterById(qint64 masterId) const
{
    auto info = masterInfo(masterId);
    if (!info)
        return info.error();
    return readBlob(info->blobId);
}

Result<std::optional<QJsonObject>> ProjectStore::masterFaces(qint64 masterId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT faces_json FROM master WHERE id = ?"));
    q.addBindValue(masterId);
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("read master faces"));
    if (!q.next())
        return Error(QStringLiteral("not_found"), tr("That picture is no longer in the project."),
                     QStringLiteral("master %1").arg(masterId));
    if (q.value(0).isNull())
        return std::optional<QJsonObject>();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(q.value(0).toByteArray(), &parseError);
    if (!doc.isObject()) {
        // Faces are derived data: a damaged copy costs one detection, not the project.
        qCWarning(lcProject) << "master" << masterId << "has unreadable faces_json:" << parseError.errorString();
        return std::optional<QJsonObject>();
    }
    return std::optional<QJsonObject>(doc.object());
}

Status ProjectStore::setMasterFaces(qint64 masterId, const QJsonObject &json)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE master SET faces_json = ? WHERE id = ?"));
    q.addBindValue(json.isEmpty() ? QVariant()
                                  : QVariant(QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact))));
    q.addBindValue(masterId);
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("save master faces"));
    if (q.numRowsAffected() != 1)
        return Error(QStringLiteral("not_found"), tr("That picture is no longer in the project."),
                     QStringLiteral("master %1").arg(masterId));
    return Status::success();
}

Status ProjectStore::pointMonthAtMaster(int month, qint64 masterId)
{
    Transaction tx(m_db);
    if (!tx.isActive())
        return tx.error();
    if (auto st = pointMonth(month, masterId); !st)
        return st;
    return tx.commit();
}

Status ProjectStore::purgeUnusedMasters()
{
    Transaction tx(m_db);
    if (!tx.isActive())
        return tx.error();
    QSqlQuery q(m_db);
    // NOT IN with a NULL in the list matches nothing, hence the filter.
    if (!q.exec(QStringLiteral("DELETE FROM master WHERE id NOT IN "
                               "(SELECT master_id FROM month WHERE master_id IS NOT NULL)")))
        return sqlError(q.lastError(), QStringLiteral("remove unused masters"));
    const int removed = q.numRowsAffected();
    if (!q.exec(OrphanBlobs))
        return sqlError(q.lastError(), QStringLiteral("remove unused images"));
    if (auto st = tx.commit(); !st)
        return st;
    if (removed > 0)
        qCInfo(lcProject) << "removed" << removed << "unused master(s)";
    return Status::success();
}

Result<qint64> ProjectStore::setMaster(int month, qint64 candidateId, const QByteArray &masterBytes, int width,
                                       int height, int nativeWidth, int nativeHeight)
{
    Transaction tx(m_db);
    if (!tx.isActive())
        return tx.error();
    auto id = insertMaster(month, MasterSource{candidateId, 0}, masterBytes, QSize(width, height),
                           QSize(nativeWidth, nativeHeight));
    if (!id)
        return id;
    if (auto st = pointMonth(month, *id); !st)
        return st.error();
    if (auto st = tx.commit(); !st)
        return st.error();
    return id;
}

Result<QByteArray> ProjectStore::readMaster(int month) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT ma.blob_id FROM month mo JOIN master ma ON ma.id = mo.master_id WHERE mo.month = ?"));
    q.addBindValue(month);
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("find master"));
    if (!q.next())
        return Error(QStringLiteral("not_found"), tr("This month has no master image yet."),
                     QStringLiteral("month %1").arg(month));
    return readBlob(q.value(0).toLongLong());
}

Status ProjectStore::setSpendCap(double usd)
{
    if (auto st = ProjectSettings::validateSpendCap(usd); !st)
        return st;
    Transaction tx(m_db);
    if (!tx.isActive())
        return tx.error();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE project SET spend_cap_usd = ?, updated_at = ? WHERE id = 1"));
    q.addBindValue(usd);
    q.addBindValue(isoNow());
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("save spend cap"));
    return tx.commit();
}

Result<double> ProjectStore::spendCap() const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT spend_cap_usd FROM project WHERE id = 1"));
    if (!q.exec())
        return sqlError(q.lastError(), QStringLiteral("read spend cap"));
    if (!q.next())
        return Error(QStringLiteral("corrupt"),
                     tr("The project file is missing its settings. Open a backup copy, or keep this file for "
                        "support."),
                     QStringLiteral("no project row"));
    return q.value(0).toDouble();
}

} // namespace CalStudio
