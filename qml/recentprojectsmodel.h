#pragma once

#include "core/project/recentprojects.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QtQml/qqmlregistration.h>

namespace CalStudio {

/**
 * The recently used projects for QML lists, newest first.
 *
 * Roles: `path` (absolute file path), `name` (file name without suffix),
 * `folder` (the folder, native separators) and `modified` (the file's last
 * modification, formatted for the UI language).
 */
class RecentProjectsModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role { PathRole = Qt::UserRole + 1, NameRole, FolderRole, ModifiedRole };
    Q_ENUM(Role)

    explicit RecentProjectsModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    [[nodiscard]] int count() const { return int(m_entries.size()); }

    /// Re-reads the list (files that are gone are dropped).
    Q_INVOKABLE void refresh();
    /// Forgets one entry; the file itself is not touched.
    Q_INVOKABLE void remove(const QString &path);

Q_SIGNALS:
    void countChanged();

private:
    struct Entry {
        QString path;
        QString name;
        QString folder;
        QDateTime modified;
    };

    RecentProjects m_recent;
    QList<Entry> m_entries;
};

} // namespace CalStudio
