#include "ui/selfiegridmodel.h"

#include "ui/selfieimagecache.h"

namespace CalStudio {

SelfieGridModel::SelfieGridModel(SelfieImageCache *cache, QObject *parent)
    : QAbstractListModel(parent)
    , m_cache(cache)
{
    Q_ASSERT(m_cache);
    connect(m_cache, &SelfieImageCache::thumbnailReady, this,
        [this](qint64 id) { refreshSelfie(id, { ThumbnailRole, ThumbnailFailedRole, Qt::DecorationRole }); });
    connect(m_cache, &SelfieImageCache::analysisReady, this, [this](qint64 id) {
        refreshSelfie(id,
            { BadgeTextRole, BadgeColorRole, BadgeLevelRole, Qt::ToolTipRole, Qt::AccessibleTextRole,
                Qt::AccessibleDescriptionRole });
    });
}

void SelfieGridModel::setSelfies(const QList<SelfieRecord> &selfies)
{
    bool sameRows = selfies.size() == m_selfies.size();
    for (int i = 0; sameRows && i < selfies.size(); ++i)
        sameRows = selfies.at(i).id == m_selfies.at(i).id;
    if (sameRows) {
        // A preference or face choice: repaint in place so the selection and scroll position stay.
        m_selfies = selfies;
        if (!m_selfies.isEmpty())
            Q_EMIT dataChanged(index(0), index(int(m_selfies.size()) - 1));
        return;
    }
    beginResetModel();
    m_selfies = selfies;
    endResetModel();
}

int SelfieGridModel::rowOf(qint64 id) const
{
    for (int row = 0; row < m_selfies.size(); ++row) {
        if (m_selfies.at(row).id == id)
            return row;
    }
    return -1;
}

SelfieBadge SelfieGridModel::badge(int row) const
{
    return SelfieBadge::of(m_cache->analysis(m_selfies.at(row)));
}

void SelfieGridModel::refreshSelfie(qint64 id, const QList<int> &roles)
{
    const int row = rowOf(id);
    if (row >= 0)
        Q_EMIT dataChanged(index(row), index(row), roles);
}

int SelfieGridModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_selfies.size());
}

QVariant SelfieGridModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SelfieRecord &r = m_selfies.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return r.originalName;
    case SelfieIdRole:
        return r.id;
    case PreferredRole:
        return r.preferred;
    case ThumbnailRole:
    case Qt::DecorationRole:
        return m_cache->thumbnail(r);
    case ThumbnailFailedRole:
        return m_cache->failed(r);
    case BadgeTextRole:
        return badge(index.row()).text;
    case BadgeColorRole:
        return badge(index.row()).colour();
    case BadgeLevelRole:
        return int(badge(index.row()).level);
    case Qt::ToolTipRole:
    case Qt::AccessibleDescriptionRole:
        return badge(index.row()).description();
    case Qt::AccessibleTextRole: {
        QStringList parts { r.originalName, badge(index.row()).text };
        if (r.preferred)
            parts.append(tr("preferred"));
        return parts.join(QStringLiteral(", "));
    }
    default:
        return {};
    }
}

QHash<int, QByteArray> SelfieGridModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(SelfieIdRole, "selfieId");
    names.insert(BadgeTextRole, "badgeText");
    names.insert(BadgeColorRole, "badgeColor");
    names.insert(BadgeLevelRole, "badgeLevel");
    names.insert(PreferredRole, "preferred");
    names.insert(ThumbnailRole, "thumbnail");
    names.insert(ThumbnailFailedRole, "thumbnailFailed");
    return names;
}

} // namespace CalStudio
