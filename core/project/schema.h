#pragma once

#include "core/common/result.h"

#include <QSqlDatabase>
#include <QStringList>

namespace CalStudio {

/**
 * The project file's schema and its migrations.
 *
 * The schema version lives in `PRAGMA user_version`; a Calendar Studio file
 * also carries `PRAGMA application_id` = ApplicationId so that other SQLite
 * files are recognised as "not a project". Each migration step upgrades from
 * version N-1 to N inside one transaction, so a crash mid-upgrade leaves the
 * file at N-1, never in between.
 *
 * Adding a table or column: append a step to the list in schema.cpp, add a
 * fixture of the new version to tests/data/schema/ (tests/project/schemafixture),
 * and extend tst_schema's checks. Never edit a step that has shipped.
 */
class Schema {
public:
    /// 'CALS' — identifies Calendar Studio project files.
    static constexpr qint32 ApplicationId = 0x43414C53;

    struct Step {
        int version;
        const char *description;
        QStringList statements;
    };

    /// The newest schema this build writes.
    static int currentVersion();
    /// All steps, oldest first; step i upgrades to version i + 1.
    static const QList<Step> &steps();

    static Result<int> userVersion(const QSqlDatabase &db);
    static Result<qint32> applicationId(const QSqlDatabase &db);

    /**
     * Applies every step above the file's version up to `targetVersion`
     * (default: current). A fresh, empty database starts at version 0.
     */
    static Status migrate(const QSqlDatabase &db, int targetVersion = -1);
};

} // namespace CalStudio
