// Imports 20 photos of 12 MP (4000×3000 JPEG) into a new project through
// SelfieImporter while a 5 ms timer on the UI thread measures how long that
// thread is ever kept busy. Prints wall time, the longest UI-thread stall
// and peak memory.
//
//   bench_import [COUNT=20]

#include "core/project/project.h"
#include "core/project/selfieimporter.h"

#include <QDir>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

using namespace CalStudio;

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const int count = argc > 1 ? std::atoi(argv[1]) : 20;
    QTemporaryDir dir;

    // Not timed: make the photos (the astronaut, different each time, on a 12 MP canvas).
    const QImage face(QStringLiteral(CALSTUDIO_TEST_DATA_DIR "/faces/astronaut.png"));
    QList<ImportItem> items;
    for (int i = 0; i < count; ++i) {
        QImage photo(4000, 3000, QImage::Format_RGB32);
        photo.fill(QColor::fromHsv((i * 37) % 360, 60, 200));
        QPainter p(&photo);
        p.drawImage(QRect(900 + 40 * i, 400, 2200, 2200), face);
        p.end();
        const QString path = dir.filePath(QStringLiteral("IMG_%1.jpg").arg(i, 4, 10, QLatin1Char('0')));
        photo.save(path, "JPEG", 90);
        items.append({QFileInfo(path).fileName(), path, {}});
    }

    auto project = Project::create(dir.filePath(QStringLiteral("bench.calstudio")), ProjectSettings::defaults());
    if (!project)
        return 1;

    QElapsedTimer clock;
    QList<qint64> gaps;
    qint64 last = 0;
    QTimer ticker;
    ticker.setInterval(5);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        gaps.append(now - last);
        last = now;
    });

    SelfieImporter importer(project->get());
    clock.start();
    ticker.start();
    importer.start(items);
    importer.waitForFinished();
    ticker.stop();
    const double seconds = clock.nsecsElapsed() / 1e9;

    std::sort(gaps.begin(), gaps.end());
    const double maxGap = gaps.isEmpty() ? 0 : gaps.last() / 1e6;
    const double p99 = gaps.isEmpty() ? 0 : gaps.at(qMin(gaps.size() - 1, qsizetype(gaps.size() * 0.99))) / 1e6;
    int imported = 0;
    for (const ImportOutcome &o : importer.outcomes())
        imported += o.status == ImportOutcome::Status::Imported;
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("%d × 12 MP JPEG: %d imported in %.1f s (%.2f s a photo on %d threads); "
                "UI thread longest busy stretch %.1f ms (5 ms timer, p99 gap %.1f ms); peak RSS %.0f MB\n",
                count, imported, seconds, seconds / count, 2, maxGap - 5.0, p99, usage.ru_maxrss / 1024.0);
    return imported == count ? 0 : 1;
}
