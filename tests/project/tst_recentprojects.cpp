#include "core/project/recentprojects.h"

#include <QTemporaryDir>
#include <QTest>

using namespace CalStudio;

class TestRecentProjects : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void newestFirstWithoutDuplicatesOrMissingFiles()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        RecentProjects recent(&settings);
        auto touch = [&](const QString &name) {
            QFile f(dir.filePath(name));
            f.open(QIODevice::WriteOnly);
            return QFileInfo(f).absoluteFilePath();
        };
        const QString a = touch(QStringLiteral("a.calstudio"));
        const QString b = touch(QStringLiteral("b.calstudio"));
        const QString c = touch(QStringLiteral("c.calstudio"));
        recent.add(a);
        recent.add(b);
        recent.add(c);
        recent.add(a);
        QCOMPARE(recent.paths(), (QStringList{a, c, b}));

        QFile::remove(c);
        QCOMPARE(recent.paths(), (QStringList{a, b}));

        recent.remove(a);
        QCOMPARE(recent.paths(), QStringList{b});

        // Persisted: a second instance over the same settings sees the list.
        RecentProjects again(&settings);
        QCOMPARE(again.paths(), QStringList{b});
        again.clear();
        QVERIFY(recent.paths().isEmpty());
    }

    void keepsAtMostTen()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        RecentProjects recent(&settings);
        QStringList added;
        for (int i = 0; i < 15; ++i) {
            const QString path = dir.filePath(QStringLiteral("p%1.calstudio").arg(i));
            QFile f(path);
            f.open(QIODevice::WriteOnly);
            recent.add(path);
            added.prepend(QFileInfo(path).absoluteFilePath());
        }
        QCOMPARE(recent.paths().size(), RecentProjects::MaxEntries);
        QCOMPARE(recent.paths(), added.mid(0, RecentProjects::MaxEntries));
    }
};

QTEST_GUILESS_MAIN(TestRecentProjects)
#include "tst_recentprojects.moc"
