#include "core/project/projectstore.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace CalStudio;

namespace {
int editNumber(const QString &tag)
{
    return tag.startsWith(QLatin1String("edit ")) ? tag.mid(5).toInt() : -1;
}
} // namespace

/**
 * Kills a writer with SIGKILL at random moments, 50 times. After every kill
 * the project must open, pass `PRAGMA integrity_check`, and contain every
 * edit the writer reported as committed. CALSTUDIO_CRASH_SEED replays a run.
 */
class TestCrashSafety : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void killedWriterLosesNothingCommitted()
    {
#ifndef Q_OS_UNIX
        QSKIP("SIGKILL is POSIX");
#endif
        const quint32 seed = qEnvironmentVariableIsSet("CALSTUDIO_CRASH_SEED")
            ? quint32(qEnvironmentVariableIntValue("CALSTUDIO_CRASH_SEED"))
            : QRandomGenerator::system()->generate();
        qInfo("crash seed %u (set CALSTUDIO_CRASH_SEED to replay)", seed);
        QRandomGenerator rng(seed);

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("crash.calstudio"));
        qint64 next = 1;
        int totalCommitted = 0;
        QStringList blobHashes;

        for (int round = 0; round < 50; ++round) {
            QProcess child;
            child.setProcessChannelMode(QProcess::SeparateChannels);
            child.start(QStringLiteral(CRASHWRITER_PATH), {path, QString::number(next)});
            QVERIFY2(child.waitForStarted(5000), qPrintable(child.errorString()));

            // Kill at a random moment: every fifth round while it may still be
            // starting, opening or recovering; otherwise counted from when it has
            // the project open, so a slow start (ASan, a busy machine) still leaves
            // it time to commit in the middle of its edits.
            QByteArray early;
            if (round % 5 != 0) {
                QElapsedTimer opening;
                opening.start();
                while (!early.contains("opened\n") && opening.elapsed() < 15000 && child.state() == QProcess::Running) {
                    child.waitForReadyRead(100);
                    early += child.readAllStandardOutput();
                }
            }
            const int delayMs = int(rng.bounded(5, 250));
            QTest::qWait(delayMs);
            // processId() is 0 once the child has gone, and kill(0) would hit our own process group.
            const qint64 pid = child.processId();
            QVERIFY2(pid > 0, qPrintable(QStringLiteral("writer exited early: %1")
                                             .arg(QString::fromLocal8Bit(child.readAllStandardError()))));
            ::kill(pid_t(pid), SIGKILL);
            QVERIFY(child.waitForFinished(5000));
            QCOMPARE(child.exitStatus(), QProcess::CrashExit);

            // What the child reported as committed.
            qint64 lastCommitted = -1;
            QHash<int, qint64> lastPerMonth;
            const QList<QByteArray> lines = QByteArray(early + child.readAllStandardOutput()).split('\n');
            for (const QByteArray &line : lines) {
                if (line.startsWith("committed ")) {
                    lastCommitted = line.mid(10).toLongLong();
                    lastPerMonth[int(lastCommitted % 13)] = lastCommitted;
                    ++totalCommitted;
                } else if (line.startsWith("blob ")) {
                    blobHashes.append(QString::fromLatin1(line.split(' ').value(2)));
                }
            }

            auto store = ProjectStore::open(path);
            if (!store && store.error().code == QLatin1String("not_found") && lastCommitted < 0)
                continue; // killed before the project file was created: nothing was promised
            QVERIFY2(store, qPrintable(QStringLiteral("round %1 (kill after %2 ms): %3")
                                           .arg(round)
                                           .arg(delayMs)
                                           .arg(store ? QString() : store.error().toString())));
            QCOMPARE(*(*store)->integrityCheck(), QStringLiteral("ok"));

            auto settings = (*store)->loadSettings();
            auto months = (*store)->loadMonths();
            QVERIFY(settings && months);
            const int titleNumber = editNumber(settings->title);
            if (lastCommitted >= 0)
                QVERIFY2(titleNumber >= lastCommitted,
                         qPrintable(QStringLiteral("title is edit %1, edit %2 was committed")
                                        .arg(titleNumber)
                                        .arg(lastCommitted)));
            for (auto it = lastPerMonth.cbegin(); it != lastPerMonth.cend(); ++it)
                QVERIFY2(editNumber(months->at(it.key()).prompt) >= it.value(),
                         qPrintable(QStringLiteral("month %1 lost edit %2").arg(it.key()).arg(it.value())));

            QSqlQuery q((*store)->database());
            q.prepare(QStringLiteral("SELECT COUNT(*) FROM image_blob WHERE sha256 = ?"));
            for (const QString &hash : std::as_const(blobHashes)) {
                q.addBindValue(hash);
                QVERIFY(q.exec() && q.next());
                QVERIFY2(q.value(0).toInt() == 1, qPrintable(QStringLiteral("blob %1 lost").arg(hash)));
            }
            // The next writer continues after anything this one may have committed unreported.
            next = qMax(next, qint64(titleNumber) + 1) + 1000;
        }
        qInfo("%d committed edits verified across 50 kills", totalCommitted);
        QVERIFY2(totalCommitted > 50, "the writer hardly ever got to commit; the test proves nothing");
    }
};

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "tst_crashsafety.moc"
