// Child process of tst_crashsafety: opens (or creates) a project and edits it
// as fast as it can through Project, the studio's own edit path. After each
// edit is committed it prints "committed <n>" so the parent knows what must
// survive a SIGKILL.
//
//   crashwriter PROJECT FIRST_EDIT_NUMBER

#include "core/project/project.h"
#include "core/project/projectstore.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>

#include <cstdio>
#include <cstring>

using namespace CalStudio;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc != 3)
        return 2;
    const QString path = QString::fromLocal8Bit(argv[1]);
    const qint64 first = QByteArray(argv[2]).toLongLong();

    auto project = QFile::exists(path)
        ? Project::open(path)
        : Project::create(path, ProjectSettings::defaults(QDate(2026, 1, 1), QLocale(QStringLiteral("en_US"))));
    if (!project) {
        std::fprintf(stderr, "open failed: %s\n", qPrintable(project.error().toString()));
        return 1;
    }
    Project &p = **project;
    std::printf("opened\n");
    std::fflush(stdout);

    for (qint64 n = first;; ++n) {
        const QString tag = QStringLiteral("edit %1").arg(n);
        if (!p.setTitle(tag))
            return 1;
        MonthEntry m = p.month(int(n % MonthEntry::PageCount));
        m.prompt = tag;
        if (!p.setMonth(m))
            return 1;
        if (auto st = p.flush(); !st) {
            std::fprintf(stderr, "flush failed: %s\n", qPrintable(st.error().toString()));
            return 1;
        }
        // Every tenth edit also stores an image-sized blob, so kills land in big writes too.
        if (n % 10 == 0) {
            QByteArray bytes(256 * 1024, Qt::Uninitialized);
            QByteArray seed = tag.toUtf8();
            for (int i = 0; i < bytes.size(); i += 32) {
                seed = QCryptographicHash::hash(seed, QCryptographicHash::Sha256);
                std::memcpy(bytes.data() + i, seed.constData(), qMin(32, int(bytes.size() - i)));
            }
            // Stored as a selfie, as real image bytes always are: unreferenced blobs are
            // garbage-collected when a project opens.
            SelfieRecord record;
            record.mime = QStringLiteral("image/jpeg");
            record.sourceSha256 = tag;
            if (!p.store().addSelfie(record, bytes))
                return 1;
            std::printf("blob %lld %s\n", n,
                        QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex().constData());
        }
        std::printf("committed %lld\n", n);
        std::fflush(stdout);
    }
}
