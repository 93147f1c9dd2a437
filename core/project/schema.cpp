#include "core/project/schema.h"

#include "core/project/projectlogging.h"
#include "core/project/sqlerror.h"
#include "core/project/transaction.h"

#include <QSqlQuery>

namespace CalStudio {

namespace {

QList<Schema::Step> buildSteps()
{
    QList<Schema::Step> steps;

    // v1 — the first release: project settings and the thirteen pages (0 = cover).
    steps.append({1,
                  "project settings and months",
                  {
                      QStringLiteral("CREATE TABLE project ("
                                     " id INTEGER PRIMARY KEY CHECK (id = 1),"
                                     " title TEXT NOT NULL,"
                                     " year INTEGER NOT NULL CHECK (year BETWEEN 1970 AND 2200),"
                                     " start_month INTEGER NOT NULL CHECK (start_month BETWEEN 1 AND 12),"
                                     " week_start TEXT NOT NULL,"
                                     " locale TEXT NOT NULL,"
                                     " holiday_region TEXT NOT NULL DEFAULT '',"
                                     " created_at TEXT NOT NULL,"
                                     " updated_at TEXT NOT NULL)"),
                      QStringLiteral("CREATE TABLE month ("
                                     " month INTEGER PRIMARY KEY CHECK (month BETWEEN 0 AND 12),"
                                     " title TEXT NOT NULL DEFAULT '',"
                                     " prompt TEXT NOT NULL DEFAULT '',"
                                     " style TEXT NOT NULL DEFAULT '')"),
                      QStringLiteral("WITH RECURSIVE m(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM m WHERE n < 12)"
                                     " INSERT INTO month (month) SELECT n FROM m"),
                  }});

    // v2 — images. Bytes live in image_blob only, so listing selfies,
    // candidates or masters never reads image data; the UI fetches bytes one
    // image at a time when it needs pixels. Identical bytes are stored once.
    steps.append({2,
                  "selfies, candidates, masters and their image bytes",
                  {
                      QStringLiteral("CREATE TABLE image_blob ("
                                     " id INTEGER PRIMARY KEY,"
                                     " sha256 TEXT NOT NULL UNIQUE,"
                                     " size INTEGER NOT NULL,"
                                     " bytes BLOB NOT NULL)"),
                      QStringLiteral("CREATE TABLE selfie ("
                                     " id INTEGER PRIMARY KEY,"
                                     " blob_id INTEGER NOT NULL REFERENCES image_blob(id),"
                                     " mime TEXT NOT NULL,"
                                     " width INTEGER NOT NULL,"
                                     " height INTEGER NOT NULL,"
                                     " position INTEGER NOT NULL DEFAULT 0,"
                                     " faces_json TEXT NOT NULL DEFAULT '[]',"
                                     " quality_json TEXT NOT NULL DEFAULT '{}',"
                                     " imported_at TEXT NOT NULL)"),
                      QStringLiteral("CREATE TABLE candidate ("
                                     " id INTEGER PRIMARY KEY,"
                                     " month INTEGER NOT NULL REFERENCES month(month),"
                                     " provider TEXT NOT NULL,"
                                     " model TEXT NOT NULL DEFAULT '',"
                                     " prompt_sent TEXT NOT NULL DEFAULT '',"
                                     " seed INTEGER,"
                                     " blob_id INTEGER REFERENCES image_blob(id),"
                                     " width INTEGER NOT NULL DEFAULT 0,"
                                     " height INTEGER NOT NULL DEFAULT 0,"
                                     " cost_micros INTEGER NOT NULL DEFAULT 0,"
                                     " status TEXT NOT NULL,"
                                     " error TEXT NOT NULL DEFAULT '',"
                                     " created_at TEXT NOT NULL)"),
                      QStringLiteral("CREATE INDEX candidate_month ON candidate(month)"),
                      QStringLiteral("CREATE TABLE master ("
                                     " id INTEGER PRIMARY KEY,"
                                     " month INTEGER NOT NULL REFERENCES month(month),"
                                     " candidate_id INTEGER REFERENCES candidate(id) ON DELETE SET NULL,"
                                     " blob_id INTEGER NOT NULL REFERENCES image_blob(id),"
                                     " width INTEGER NOT NULL,"
                                     " height INTEGER NOT NULL,"
                                     " native_width INTEGER NOT NULL,"
                                     " native_height INTEGER NOT NULL,"
                                     " created_at TEXT NOT NULL)"),
                      QStringLiteral("ALTER TABLE month ADD COLUMN master_id INTEGER REFERENCES master(id) "
                                     "ON DELETE SET NULL"),
                  }});

    // v3 — crops, personal dates, durable jobs, local orders, and the month's "avoid" text.
    steps.append({3,
                  "crops, special dates, jobs, local orders",
                  {
                      QStringLiteral("ALTER TABLE month ADD COLUMN avoid TEXT NOT NULL DEFAULT ''"),
                      QStringLiteral("CREATE TABLE crop ("
                                     " month INTEGER NOT NULL REFERENCES month(month),"
                                     " format_id TEXT NOT NULL,"
                                     " x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL,"
                                     " source TEXT NOT NULL CHECK (source IN ('auto', 'user')),"
                                     " PRIMARY KEY (month, format_id))"),
                      QStringLiteral("CREATE TABLE special_date ("
                                     " id INTEGER PRIMARY KEY,"
                                     " date TEXT NOT NULL,"
                                     " label TEXT NOT NULL,"
                                     " kind TEXT NOT NULL CHECK (kind IN ('birthday', 'anniversary', 'holiday', "
                                     "'custom')),"
                                     " recurring INTEGER NOT NULL DEFAULT 1)"),
                      QStringLiteral("CREATE TABLE job ("
                                     " id INTEGER PRIMARY KEY,"
                                     " kind TEXT NOT NULL,"
                                     " month INTEGER REFERENCES month(month),"
                                     " request_json TEXT NOT NULL DEFAULT '{}',"
                                     " state TEXT NOT NULL,"
                                     " attempts INTEGER NOT NULL DEFAULT 0,"
                                     " next_attempt_at TEXT,"
                                     " last_error TEXT NOT NULL DEFAULT '',"
                                     " created_at TEXT NOT NULL,"
                                     " updated_at TEXT NOT NULL)"),
                      QStringLiteral("CREATE TABLE local_order ("
                                     " id INTEGER PRIMARY KEY,"
                                     " companion_url TEXT NOT NULL,"
                                     " order_id TEXT NOT NULL,"
                                     " order_token TEXT NOT NULL,"
                                     " format_id TEXT NOT NULL,"
                                     " quantity INTEGER NOT NULL DEFAULT 1,"
                                     " amount_minor INTEGER,"
                                     " currency TEXT,"
                                     " status TEXT NOT NULL,"
                                     " history_json TEXT NOT NULL DEFAULT '[]',"
                                     " tracking_json TEXT NOT NULL DEFAULT '[]',"
                                     " created_at TEXT NOT NULL,"
                                     " updated_at TEXT NOT NULL)"),
                  }});

    // v4 — page design, personal-date options and holidays switched off by the user.
    steps.append({4,
                  "page layout and theme, personal-date options, holiday overrides",
                  {
                      QStringLiteral("ALTER TABLE project ADD COLUMN page_layout TEXT NOT NULL DEFAULT 'photo-above'"),
                      QStringLiteral("ALTER TABLE project ADD COLUMN page_theme TEXT NOT NULL DEFAULT 'classic'"),
                      QStringLiteral("ALTER TABLE project ADD COLUMN week_numbers INTEGER NOT NULL DEFAULT 0"),
                      QStringLiteral("ALTER TABLE project ADD COLUMN notes_line INTEGER NOT NULL DEFAULT 0"),
                      QStringLiteral("ALTER TABLE special_date ADD COLUMN leap_rule TEXT NOT NULL DEFAULT 'feb28' "
                                     "CHECK (leap_rule IN ('feb28', 'mar1'))"),
                      QStringLiteral("ALTER TABLE special_date ADD COLUMN show_age INTEGER NOT NULL DEFAULT 0"),
                      QStringLiteral("CREATE TABLE holiday_off ("
                                     " region TEXT NOT NULL,"
                                     " holiday_id TEXT NOT NULL,"
                                     " PRIMARY KEY (region, holiday_id))"),
                  }});

    // v5 — selfies as imported: duplicate detection by the original's hash, the
    // file name shown to the user, the chosen face, preference, and soft delete
    // (undoable within a session; purged for good when the project closes).
    steps.append({5,
                  "selfie import details",
                  {
                      QStringLiteral("ALTER TABLE selfie ADD COLUMN source_sha256 TEXT NOT NULL DEFAULT ''"),
                      QStringLiteral("ALTER TABLE selfie ADD COLUMN original_name TEXT NOT NULL DEFAULT ''"),
                      QStringLiteral("ALTER TABLE selfie ADD COLUMN main_face INTEGER NOT NULL DEFAULT 0"),
                      QStringLiteral("ALTER TABLE selfie ADD COLUMN preferred INTEGER NOT NULL DEFAULT 0"),
                      QStringLiteral("ALTER TABLE selfie ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0"),
                      QStringLiteral("CREATE INDEX selfie_source ON selfie(source_sha256)"),
                  }});

    // v6 — the user's own photo as a master, masters kept per month (the one
    // chosen is month.master_id; the others stay for undo until the project
    // closes), and a spend cap for generation.
    steps.append({6,
                  "masters from selfies, spend cap",
                  {
                      QStringLiteral("ALTER TABLE master ADD COLUMN selfie_id INTEGER REFERENCES selfie(id) "
                                     "ON DELETE SET NULL"),
                      QStringLiteral("CREATE INDEX master_month ON master(month)"),
                      QStringLiteral("ALTER TABLE project ADD COLUMN spend_cap_usd REAL NOT NULL DEFAULT 0 "
                                     "CHECK (spend_cap_usd >= 0)"),
                  }});

    // v7 — faces found on each master (MasterFaces JSON, in the master's
    // pixels), so crops for every format are planned without detecting
    // again. NULL means "not detected yet": detection runs lazily where crops
    // are planned, and old files simply start without.
    steps.append({7,
                  "faces on masters",
                  {
                      QStringLiteral("ALTER TABLE master ADD COLUMN faces_json TEXT"),
                  }});

    return steps;
}

Status exec(const QSqlDatabase &db, const QString &sql, const QString &what)
{
    QSqlQuery q(db);
    if (!q.prepare(sql) || !q.exec())
        return sqlError(q.lastError(), what);
    return Status::success();
}

} // namespace

const QList<Schema::Step> &Schema::steps()
{
    static const QList<Step> s = buildSteps();
    return s;
}

int Schema::currentVersion()
{
    return steps().size();
}

Result<int> Schema::userVersion(const QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return sqlError(q.lastError(), QStringLiteral("read schema version"));
    return q.value(0).toInt();
}

Result<qint32> Schema::applicationId(const QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA application_id")) || !q.next())
        return sqlError(q.lastError(), QStringLiteral("read application id"));
    return static_cast<qint32>(q.value(0).toLongLong());
}

Status Schema::migrate(const QSqlDatabase &db, int targetVersion)
{
    if (targetVersion < 0)
        targetVersion = currentVersion();
    Q_ASSERT(targetVersion <= currentVersion());

    auto version = userVersion(db);
    if (!version)
        return version.error();

    for (int v = *version; v < targetVersion; ++v) {
        const Step &step = steps().at(v);
        Q_ASSERT(step.version == v + 1);
        qCInfo(lcProject) << "upgrading project schema" << v << "→" << step.version << step.description;

        Transaction tx(db);
        if (!tx.isActive())
            return tx.error();
        for (const QString &sql : step.statements) {
            if (auto st = exec(db, sql, QStringLiteral("schema step %1").arg(step.version)); !st)
                return st;
        }
        // Both pragmas are stored in the file header and are part of the transaction.
        if (auto st = exec(db, QStringLiteral("PRAGMA application_id = %1").arg(ApplicationId),
                           QStringLiteral("set application id"));
            !st)
            return st;
        if (auto st = exec(db, QStringLiteral("PRAGMA user_version = %1").arg(step.version),
                           QStringLiteral("set schema version"));
            !st)
            return st;
        if (auto st = tx.commit(); !st)
            return st;
    }
    return Status::success();
}

} // namespace CalStudio
