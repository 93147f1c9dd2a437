#pragma once

#include "core/project/selfierecord.h"
#include "ui/selfiebadge.h"

#include <QAbstractListModel>

namespace CalStudio {

class SelfieImageCache;

/**
 * The project's live selfies in their order, for the Selfies page's grid:
 * the name as display text, the thumbnail as decoration (a null pixmap until
 * SelfieImageCache has decoded it), the badge, the preferred flag, and the
 * badge's messages as tooltip and accessible text.
 */
class SelfieGridModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        SelfieIdRole = Qt::UserRole + 1, ///< qint64
        BadgeTextRole, ///< QString: "Good", "Blurry", …
        BadgeColorRole, ///< QColor
        BadgeLevelRole, ///< int (SelfieBadge::Level)
        PreferredRole, ///< bool
        ThumbnailRole, ///< QImage, null while decoding
        ThumbnailFailedRole, ///< bool: the picture cannot be shown
    };

    /// `cache` must outlive the model.
    explicit SelfieGridModel(SelfieImageCache *cache, QObject *parent = nullptr);

    /// Shows `selfies` (Project::selfies(): live, in order). Rows keep their identity where ids do.
    void setSelfies(const QList<SelfieRecord> &selfies);
    [[nodiscard]] const QList<SelfieRecord> &selfies() const { return m_selfies; }
    [[nodiscard]] const SelfieRecord &record(int row) const { return m_selfies.at(row); }
    /// The row of the selfie `id`, or -1.
    [[nodiscard]] int rowOf(qint64 id) const;
    [[nodiscard]] SelfieBadge badge(int row) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

private:
    void refreshSelfie(qint64 id, const QList<int> &roles);

    SelfieImageCache *m_cache;
    QList<SelfieRecord> m_selfies;
};

} // namespace CalStudio
