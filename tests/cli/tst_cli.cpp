#include "core/project/projectstore.h"
#include "core/project/schema.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace CalStudio;

namespace {
struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run cli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(CALSTUDIO_CLI_PATH), args);
    Run r;
    if (!p.waitForFinished(30000))
        return r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}
} // namespace

/// calstudio-cli is a contract for scripts: its JSON keys and exit codes are tested as such.
class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void projectNewAndInfo()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("family.calstudio"));
        const Run created = cli({QStringLiteral("project"), QStringLiteral("new"), path, QStringLiteral("--title"),
                                 QStringLiteral("Family 2027"), QStringLiteral("--year"), QStringLiteral("2027"),
                                 QStringLiteral("--start-month"), QStringLiteral("7"), QStringLiteral("--week-start"),
                                 QStringLiteral("monday"), QStringLiteral("--locale"), QStringLiteral("de_DE"),
                                 QStringLiteral("--holiday-region"), QStringLiteral("DE")});
        QCOMPARE(created.exitCode, 0);
        QVERIFY2(created.err.isEmpty(), created.err.constData());

        const Run info = cli({QStringLiteral("project"), QStringLiteral("info"), path});
        QCOMPARE(info.exitCode, 0);
        QJsonParseError parseError;
        const QJsonObject o = QJsonDocument::fromJson(info.out, &parseError).object();
        QCOMPARE(parseError.error, QJsonParseError::NoError);
        QCOMPARE(o.value(QStringLiteral("title")).toString(), QStringLiteral("Family 2027"));
        QCOMPARE(o.value(QStringLiteral("year")).toInt(), 2027);
        QCOMPARE(o.value(QStringLiteral("start_month")).toInt(), 7);
        QCOMPARE(o.value(QStringLiteral("end_year")).toInt(), 2028);
        QCOMPARE(o.value(QStringLiteral("end_month")).toInt(), 6);
        QCOMPARE(o.value(QStringLiteral("week_start")).toString(), QStringLiteral("monday"));
        QCOMPARE(o.value(QStringLiteral("locale")).toString(), QStringLiteral("de_DE"));
        QCOMPARE(o.value(QStringLiteral("holiday_region")).toString(), QStringLiteral("DE"));
        QCOMPARE(o.value(QStringLiteral("schema_version")).toInt(), Schema::currentVersion());
        QCOMPARE(o.value(QStringLiteral("selfies")).toInt(), 0);
        const QJsonArray months = o.value(QStringLiteral("months")).toArray();
        QCOMPARE(months.size(), 13);
        QVERIFY(months.at(1).toObject().value(QStringLiteral("master")).isNull());

        // The new command printed the same document.
        QCOMPARE(QJsonDocument::fromJson(created.out).object().value(QStringLiteral("title")),
                 o.value(QStringLiteral("title")));
    }

    void infoWorksWhileTheStudioHasTheProjectOpen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("open.calstudio"));
        auto store = ProjectStore::create(path, ProjectSettings::defaults());
        QVERIFY(store);
        const Run info = cli({QStringLiteral("project"), QStringLiteral("info"), path});
        QCOMPARE(info.exitCode, 0);
        QVERIFY(QJsonDocument::fromJson(info.out).isObject());
    }

    void failuresHaveMessagesAndExitCodes_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("no command") << QStringList() << 2 << QStringLiteral("Usage");
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << 2
                                         << QStringLiteral("unknown command");
        QTest::newRow("info without file") << QStringList{QStringLiteral("project"), QStringLiteral("info")} << 2
                                           << QStringLiteral("FILE");
        QTest::newRow("missing file") << QStringList{QStringLiteral("project"), QStringLiteral("info"),
                                                     QStringLiteral("@DIR@/nope.calstudio")}
                                      << 1 << QStringLiteral("was not found");
        QTest::newRow("not a project") << QStringList{QStringLiteral("project"), QStringLiteral("info"),
                                                      QStringLiteral("@DIR@/notes.txt")}
                                       << 1 << QStringLiteral("is not a Calendar Studio project");
        QTest::newRow("bad year") << QStringList{QStringLiteral("project"), QStringLiteral("new"),
                                                 QStringLiteral("@DIR@/y.calstudio"), QStringLiteral("--year"),
                                                 QStringLiteral("1800")}
                                  << 1 << QStringLiteral("between 1970 and 2200");
        QTest::newRow("year not a number") << QStringList{QStringLiteral("project"), QStringLiteral("new"),
                                                          QStringLiteral("@DIR@/y.calstudio"), QStringLiteral("--year"),
                                                          QStringLiteral("soon")}
                                           << 2 << QStringLiteral("needs a number");
        QTest::newRow("bad week start") << QStringList{QStringLiteral("project"), QStringLiteral("new"),
                                                       QStringLiteral("@DIR@/w.calstudio"),
                                                       QStringLiteral("--week-start"), QStringLiteral("friday")}
                                        << 2 << QStringLiteral("--week-start");
        QTest::newRow("file exists") << QStringList{QStringLiteral("project"), QStringLiteral("new"),
                                                    QStringLiteral("@DIR@/notes.txt")}
                                     << 1 << QStringLiteral("already exists");
    }
    void failuresHaveMessagesAndExitCodes()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QFile notes(dir.filePath(QStringLiteral("notes.txt")));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("shopping list\n");
        notes.close();
        for (QString &a : args)
            a.replace(QLatin1String("@DIR@"), dir.path());
        const Run r = cli(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
