#pragma once

#include <QStyledItemDelegate>

namespace CalStudio {

/**
 * Paints one cell of the Selfies grid: the thumbnail cropped to a square
 * with rounded corners, the badge as a coloured pill on it, a star when the
 * selfie is preferred, and the file name underneath. Reads
 * SelfieGridModel's roles.
 */
class SelfieGridDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    /// Side of the square thumbnail in device-independent pixels.
    static constexpr int ThumbnailSide = 120;

    explicit SelfieGridDelegate(QObject *parent = nullptr);

    /// The size of every cell (the grid uses uniform cells).
    [[nodiscard]] static QSize cellSize();

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    [[nodiscard]] QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace CalStudio
