#pragma once

#include "core/imaging/selfieanalysis.h"

#include <QImage>
#include <QWidget>

#include <optional>

namespace CalStudio {

/**
 * The large picture of one selfie with its detected faces drawn on it. The
 * main face has a solid accent frame; when there are several faces the
 * others have a dashed frame and can be chosen as "this is me": by clicking
 * one, or (the view takes keyboard focus then) with the arrow keys and
 * Enter/Space. The choice is reported by faceChosen(); the page stores it.
 */
class SelfieDetailView : public QWidget {
    Q_OBJECT
public:
    explicit SelfieDetailView(QWidget *parent = nullptr);

    /**
     * Shows `image` (any scale of the selfie; null while it loads) with the
     * faces of `analysis` (pixels of analysis->imageSize) and `mainFace` as
     * the person's.
     */
    void setSelfie(const QImage &image, const std::optional<SelfieAnalysis> &analysis, int mainFace);
    void clear();

    [[nodiscard]] int faceCount() const { return m_analysis ? int(m_analysis->faces.size()) : 0; }
    [[nodiscard]] int mainFace() const { return m_mainFace; }
    /// The face the keyboard is on (-1 when the faces cannot be chosen).
    [[nodiscard]] int focusedFace() const { return m_focusedFace; }
    /// Where face `index` is drawn, in widget coordinates (empty when not shown).
    [[nodiscard]] QRectF faceRect(int index) const;

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

Q_SIGNALS:
    /// The user picked face `index` as theirs.
    void faceChosen(int index);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;

private:
    [[nodiscard]] QRectF imageRect() const;
    [[nodiscard]] int faceAt(const QPointF &pos) const;
    [[nodiscard]] bool choosable() const { return faceCount() > 1; }
    void updateAccessibility();

    QImage m_image;
    std::optional<SelfieAnalysis> m_analysis;
    int m_mainFace = -1;
    int m_focusedFace = -1;
    int m_hoveredFace = -1;
};

} // namespace CalStudio
