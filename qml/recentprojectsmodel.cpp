#include "qml/recentprojectsmodel.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>

namespace CalStudio {

RecentProjectsModel::RecentProjectsModel(QObject *parent)
    : QAbstractListModel(parent)
{
    refresh();
}

int RecentProjectsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant RecentProjectsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return e.name;
    case PathRole:
        return e.path;
    case FolderRole:
        return e.folder;
    case ModifiedRole:
        return QLocale().toString(e.modified.toLocalTime(), QLocale::ShortFormat);
    default:
        return {};
    }
}

QHash<int, QByteArray> RecentProjectsModel::roleNames() const
{
    return {
        { PathRole, QByteArrayLiteral("path") },
        { NameRole, QByteArrayLiteral("name") },
        { FolderRole, QByteArrayLiteral("folder") },
        { ModifiedRole, QByteArrayLiteral("modified") },
    };
}

void RecentProjectsModel::refresh()
{
    const int before = count();
    beginResetModel();
    m_entries.clear();
    const QString home = QDir::homePath();
    const QStringList paths = m_recent.paths();
    for (const QString &path : paths) {
        const QFileInfo info(path);
        QString folder = info.absolutePath();
        // "~/Documents/Calendar Studio" reads better than a long absolute path.
        if (folder == home || folder.startsWith(home + QLatin1Char('/')))
            folder = QLatin1Char('~') + folder.mid(home.size());
        m_entries.append({ info.absoluteFilePath(), info.completeBaseName(), QDir::toNativeSeparators(folder),
            info.lastModified() });
    }
    endResetModel();
    if (before != count())
        Q_EMIT countChanged();
}

void RecentProjectsModel::remove(const QString &path)
{
    m_recent.remove(path);
    for (int row = 0; row < m_entries.size(); ++row) {
        if (m_entries.at(row).path == QFileInfo(path).absoluteFilePath()) {
            beginRemoveRows({}, row, row);
            m_entries.removeAt(row);
            endRemoveRows();
            Q_EMIT countChanged();
            return;
        }
    }
}

} // namespace CalStudio
