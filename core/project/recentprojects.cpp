#include "core/project/recentprojects.h"

#include <QFileInfo>

namespace CalStudio {

namespace {
const QString Key = QStringLiteral("recentProjects");
}

RecentProjects::RecentProjects(QSettings *settings)
    : m_settings(settings)
{
}

QSettings *RecentProjects::settings() const
{
    return m_settings ? m_settings : &m_default;
}

QStringList RecentProjects::paths() const
{
    QStringList result;
    const QStringList stored = settings()->value(Key).toStringList();
    for (const QString &p : stored) {
        if (QFileInfo(p).isFile() && !result.contains(p))
            result.append(p);
    }
    return result;
}

void RecentProjects::add(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = settings()->value(Key).toStringList();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > MaxEntries)
        list.removeLast();
    write(list);
}

void RecentProjects::remove(const QString &path)
{
    QStringList list = settings()->value(Key).toStringList();
    list.removeAll(QFileInfo(path).absoluteFilePath());
    write(list);
}

void RecentProjects::clear()
{
    write({});
}

void RecentProjects::write(const QStringList &paths)
{
    settings()->setValue(Key, paths);
    settings()->sync();
}

} // namespace CalStudio
