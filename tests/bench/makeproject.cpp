// Makes a large project for the open benchmark: 12 masters and 48 candidates
// of incompressible bytes of the given size, as a real project holds them.
//
//   bench_makeproject OUT.calstudio [MB per image, default 25]
//   bench_makeproject --open FILE      time opening it in-process, and bytes read

#include "core/project/projectstore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSqlQuery>

#include <cstdio>

using namespace CalStudio;

static qint64 bytesRead()
{
    QFile io(QStringLiteral("/proc/self/io"));
    if (!io.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : io.readAll().split('\n')) {
        if (line.startsWith("rchar:"))
            return line.mid(6).trimmed().toLongLong();
    }
    return -1;
}

static int timeOpen(const QString &path)
{
    const qint64 before = bytesRead();
    QElapsedTimer timer;
    timer.start();
    auto store = ProjectStore::open(path);
    if (!store || !(*store)->loadMonths() || !(*store)->counts() || !(*store)->masters())
        return 1;
    const qint64 ns = timer.nsecsElapsed();
    std::printf("in-process open + settings + months + counts + masters: %.1f ms, %lld KB read\n", ns / 1e6,
                (bytesRead() - before) / 1024);
    return 0;
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc < 2)
        return 2;
    if (argc == 3 && QByteArray(argv[1]) == "--open")
        return timeOpen(QString::fromLocal8Bit(argv[2]));
    const int megabytes = argc > 2 ? std::atoi(argv[2]) : 25;
    auto store = ProjectStore::create(QString::fromLocal8Bit(argv[1]), ProjectSettings::defaults());
    if (!store) {
        std::fprintf(stderr, "%s\n", qPrintable(store.error().toString()));
        return 1;
    }
    QSqlDatabase db = (*store)->database();
    QByteArray bytes(megabytes * 1024 * 1024, Qt::Uninitialized);
    QRandomGenerator rng(42);
    auto fresh = [&] {
        rng.fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
        return (*store)->putBlob(bytes);
    };
    for (int month = 1; month <= 12; ++month) {
        qint64 lastCandidate = 0;
        for (int c = 0; c < 4; ++c) {
            auto blob = fresh();
            if (!blob)
                return 1;
            QSqlQuery q(db);
            q.prepare(QStringLiteral("INSERT INTO candidate (month, provider, model, prompt_sent, blob_id, width, "
                                     "height, status, created_at) VALUES (?, 'offline', 'bench', 'prompt', ?, 4096, "
                                     "4096, 'done', 'now')"));
            q.addBindValue(month);
            q.addBindValue(*blob);
            if (!q.exec())
                return 1;
            lastCandidate = q.lastInsertId().toLongLong();
        }
        auto blob = fresh();
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO master (month, candidate_id, blob_id, width, height, native_width, "
                                 "native_height, created_at) VALUES (?, ?, ?, 4096, 4096, 4096, 4096, 'now')"));
        q.addBindValue(month);
        q.addBindValue(lastCandidate);
        q.addBindValue(*blob);
        if (!q.exec())
            return 1;
        QSqlQuery link(db);
        link.prepare(QStringLiteral("UPDATE month SET master_id = ? WHERE month = ?"));
        link.addBindValue(q.lastInsertId());
        link.addBindValue(month);
        if (!link.exec())
            return 1;
        std::fprintf(stderr, "month %d done\n", month);
    }
    return 0;
}
