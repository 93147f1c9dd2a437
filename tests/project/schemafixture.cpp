// Writes a project file at an earlier schema version, filled with the data a
// file of that version would hold. Used once per schema version to make the
// committed fixtures in tests/data/schema/, which tst_schema upgrades.
//
//   schemafixture VERSION OUT.calstudio

#include "core/project/schema.h"

#include <QCoreApplication>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <cstdio>

using namespace CalStudio;

static bool run(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        std::fprintf(stderr, "%s: %s\n", qPrintable(sql), qPrintable(q.lastError().text()));
        return false;
    }
    return true;
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: schemafixture VERSION OUT\n");
        return 2;
    }
    const int version = QString::fromLocal8Bit(argv[1]).toInt();
    const QString out = QString::fromLocal8Bit(argv[2]);
    if (version < 1 || version > Schema::currentVersion() || QFile::exists(out)) {
        std::fprintf(stderr, "bad version or output exists\n");
        return 2;
    }
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"));
        db.setDatabaseName(out);
        if (!db.open() || !Schema::migrate(db, version))
            return 1;
        // Name the columns in every INSERT: later versions add columns to these tables.
        ok = run(db,
                 QStringLiteral("INSERT INTO project (id, title, year, start_month, week_start, locale, "
                                "holiday_region, created_at, updated_at) VALUES (1, 'Fixture v%1', 2025, 7, "
                                "'monday', 'fr_FR', 'FR', '2025-01-02T03:04:05.000Z', '2025-01-02T03:04:05.000Z')")
                     .arg(version))
            && run(db,
                QStringLiteral("UPDATE month SET title = 'Mars', prompt = 'v1 march prompt', style = "
                               "'watercolor' WHERE month = 3"));
        if (ok && version >= 2) {
            ok = run(db,
                     QStringLiteral(
                         "INSERT INTO image_blob (id, sha256, size, bytes) VALUES (1, 'aa', 4, x'89504e47')"))
                && run(db,
                    QStringLiteral("INSERT INTO selfie (id, blob_id, mime, width, height, position, faces_json, "
                                   "quality_json, imported_at) VALUES (1, 1, 'image/png', 1200, 1600, 0, '[]', '{}', "
                                   "'2025-01-02T03:04:05Z')"))
                && run(db,
                    QStringLiteral(
                        "INSERT INTO candidate (id, month, provider, model, prompt_sent, seed, blob_id, width, height, "
                        "cost_micros, status, error, created_at) VALUES (1, 4, 'offline', 'draft-v1', 'prompt', 7, 1, "
                        "1024, 1024, 0, 'done', '', '2025-01-02T03:04:05Z')"))
                && run(db,
                    QStringLiteral("INSERT INTO master (id, month, candidate_id, blob_id, width, height, native_width, "
                                   "native_height, created_at) VALUES (1, 4, 1, 1, 4096, 4096, 1024, 1024, "
                                   "'2025-01-02T03:04:05Z')"))
                && run(db, QStringLiteral("UPDATE month SET master_id = 1 WHERE month = 4"));
        }
        if (ok && version >= 3) {
            ok = run(db, QStringLiteral("UPDATE month SET avoid = 'no text' WHERE month = 3"))
                && run(db,
                    QStringLiteral("INSERT INTO special_date (id, date, label, kind, recurring) VALUES (1, "
                                   "'2000-02-29', 'Ann', 'birthday', 1)"))
                && run(db,
                    QStringLiteral("INSERT INTO crop (month, format_id, x, y, w, h, source) VALUES (4, "
                                   "'wall-landscape', 0.1, 0.2, 0.8, 0.6, 'user')"));
        }
        if (ok && version >= 4) {
            ok = run(db,
                     QStringLiteral("UPDATE project SET page_layout = 'side-by-side', page_theme = 'warm', "
                                    "week_numbers = 1 WHERE id = 1"))
                && run(db, QStringLiteral("UPDATE special_date SET leap_rule = 'mar1', show_age = 1 WHERE id = 1"))
                && run(db, QStringLiteral("INSERT INTO holiday_off (region, holiday_id) VALUES ('FR', 'assumption')"));
        }
        if (ok && version >= 5) {
            ok = run(db,
                QStringLiteral("UPDATE selfie SET source_sha256 = 'abc', original_name = 'IMG_0001.HEIC', "
                               "preferred = 1 WHERE id = 1"));
        }
        if (ok && version >= 6) {
            // The cover's master is the user's own photo; month 4 keeps an
            // older master row that only undo would choose again.
            ok = run(db, QStringLiteral("UPDATE project SET spend_cap_usd = 25.5 WHERE id = 1"))
                && run(db,
                    QStringLiteral("INSERT INTO master (id, month, candidate_id, selfie_id, blob_id, width, height, "
                                   "native_width, native_height, created_at) VALUES (2, 0, NULL, 1, 1, 4096, 4096, "
                                   "1200, 1200, '2025-01-02T03:04:05Z')"))
                && run(db, QStringLiteral("UPDATE month SET master_id = 2 WHERE month = 0"))
                && run(db,
                    QStringLiteral("INSERT INTO master (id, month, candidate_id, selfie_id, blob_id, width, height, "
                                   "native_width, native_height, created_at) VALUES (3, 4, 1, NULL, 1, 2048, 2048, "
                                   "1024, 1024, '2025-01-01T03:04:05Z')"));
        }
        if (ok && version >= 7) {
            // April's master has its faces detected; the others do not yet (NULL).
            ok = run(db,
                QStringLiteral("UPDATE master SET faces_json = '{\"width\":4096,\"height\":4096,\"faces\":[{\"x\":"
                               "1500.5,\"y\":900,\"w\":600,\"h\":760,\"score\":0.95,\"landmarks\":[[1650,1200],"
                               "[1950,1200],[1800,1350],[1680,1500],[1920,1500]]}]}' WHERE id = 1"));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QLatin1String(QSqlDatabase::defaultConnection));
    return ok ? 0 : 1;
}
