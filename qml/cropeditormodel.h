#pragma once

#include "core/commerce/printformat.h"
#include "core/common/error.h"
#include "core/imaging/masterfaces.h"
#include "core/project/cropplanner.h"
#include "core/project/masterinfo.h"
#include "qml/thumbnailimageprovider.h"

#include <QImage>
#include <QObject>
#include <QPointer>
#include <QRectF>
#include <QSize>
#include <QStringList>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <memory>
#include <optional>

namespace CalStudio {

class Project;

/// What the crop editor needs for one page of one print format.
struct CropEditorSource {
    MasterInfo master;
    MasterFaces faces;
    PrintFormat format;
    int cropPage = 0; ///< the month entry: 0 cover, 1–12 January–December (Project::userCrop's page)
    QString pageTitle; ///< "March 2027"
    QRect autoCrop; ///< SmartCrop's crop in master pixels ("Reset to Automatic")
    std::optional<QRectF> userCrop; ///< the stored hand-made crop (fractions of the master), if any
    QRectF photoArea { 0, 0, 1, 1 }; ///< where the layout shows the picture, as fractions of the page
};

/**
 * The crop editor of one page in one print format (CropEditor.qml): the
 * master (a reduced copy, shown through imageUrl) and a crop rectangle of
 * exactly the print position's aspect that the user moves and zooms inside
 * it.
 *
 * The crop lives in master pixels (`crop` gives it as fractions of the
 * master). Zoom 1 is the largest crop the master allows; maxZoom is the
 * smallest crop allowed (MaxZoom, or less on a small master). Moves and
 * zooms keep the crop inside the master and its aspect exact.
 *
 * Overlays are in fractions of the crop (= of the printed page, bleed
 * included): the trim line (outside it is bleed), the safe area, the
 * binding or hanger zone, and the part the page layout shows (photoRect,
 * the whole crop for full-bleed pages). Faces are fractions of the master,
 * each with "cut" when the current crop cuts it. Warnings are the plan's
 * (CropPlanner: effective DPI, cut faces, faces in the binding), made again
 * on every change — planning a given crop is a few comparisons.
 *
 * accept() stores the crop with Project::setUserCrop (undoable), or
 * Project::resetUserCrop after "Reset to Automatic", or nothing when
 * nothing changed; then `accepted` is emitted. cancel() stores nothing.
 */
class CropEditorModel : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Made by the Preview page")
    Q_PROPERTY(QString title READ title NOTIFY sourceChanged)
    Q_PROPERTY(QString imageUrl READ imageUrl NOTIFY imageChanged)
    Q_PROPERTY(bool ready READ ready NOTIFY imageChanged)
    /// Width / height of the master.
    Q_PROPERTY(qreal masterAspect READ masterAspect NOTIFY sourceChanged)
    Q_PROPERTY(QRectF crop READ crop NOTIFY cropChanged)
    Q_PROPERTY(qreal zoom READ zoom WRITE setZoom NOTIFY cropChanged)
    Q_PROPERTY(qreal maxZoom READ maxZoom NOTIFY sourceChanged)
    Q_PROPERTY(QRectF trimRect READ trimRect NOTIFY sourceChanged)
    Q_PROPERTY(QRectF safeRect READ safeRect NOTIFY sourceChanged)
    Q_PROPERTY(QRectF bindingRect READ bindingRect NOTIFY sourceChanged)
    Q_PROPERTY(QRectF photoRect READ photoRect NOTIFY cropChanged)
    /// [{x, y, width, height (fractions of the master), cut (bool)}]
    Q_PROPERTY(QVariantList faces READ faces NOTIFY cropChanged)
    Q_PROPERTY(QStringList warnings READ warnings NOTIFY cropChanged)
    /// "none", "mild", "strong"
    Q_PROPERTY(QString level READ level NOTIFY cropChanged)
    Q_PROPERTY(int effectiveDpi READ effectiveDpi NOTIFY cropChanged)
    /// The crop is SmartCrop's: nothing moved since the editor opened on an automatic crop, or it was reset.
    Q_PROPERTY(bool automatic READ isAutomatic NOTIFY cropChanged)
public:
    /// The image provider id the editor's engine registers imageCache() under.
    static constexpr auto ProviderId = "calstudio-crop";
    static constexpr qreal MaxZoom = 4;
    /// The smallest crop: its short side in master pixels (a tiny master zooms less).
    static constexpr int MinCropSide = 64;

    explicit CropEditorModel(QObject *parent = nullptr);

    /// The page to edit; the crop starts as the stored one or the automatic one.
    void setSource(const CropEditorSource &source);
    [[nodiscard]] const CropEditorSource &source() const { return m_source; }
    /// The master reduced for the screen (any size; only its aspect must match the master's).
    void setImage(const QImage &copy);
    /// Where accept() stores the crop (none: accept() only emits `accepted`).
    void setProject(Project *project);

    [[nodiscard]] QString title() const;
    [[nodiscard]] QString imageUrl() const;
    [[nodiscard]] bool ready() const { return m_imageRevision > 0; }
    [[nodiscard]] qreal masterAspect() const;
    [[nodiscard]] QRectF crop() const;
    /// The crop in master pixels (exact aspect, not rounded).
    [[nodiscard]] QRectF cropPixels() const { return m_crop; }
    [[nodiscard]] qreal zoom() const;
    void setZoom(qreal zoom);
    [[nodiscard]] qreal maxZoom() const;
    [[nodiscard]] QRectF trimRect() const { return m_trim; }
    [[nodiscard]] QRectF safeRect() const { return m_safe; }
    [[nodiscard]] QRectF bindingRect() const { return m_binding; }
    [[nodiscard]] QRectF photoRect() const { return m_photo; }
    [[nodiscard]] QVariantList faces() const;
    [[nodiscard]] QStringList warnings() const;
    [[nodiscard]] QString level() const;
    [[nodiscard]] int effectiveDpi() const;
    [[nodiscard]] bool isAutomatic() const { return m_automatic; }
    /// The plan for the crop as it is now.
    [[nodiscard]] const std::optional<PagePlan> &plan() const { return m_plan; }
    [[nodiscard]] std::shared_ptr<ThumbnailCache> imageCache() const { return m_images; }

    /// Moves the crop by fractions of the master (kept inside).
    Q_INVOKABLE void moveBy(qreal dx, qreal dy);
    /// Puts the crop's top-left corner at fractions of the master (kept inside).
    Q_INVOKABLE void moveTo(qreal x, qreal y);
    /// Zooms by `factor` (> 1 in: a smaller crop) around the crop's centre.
    Q_INVOKABLE void zoomBy(qreal factor);
    /// Back to SmartCrop's crop; accept() then removes the hand-made one.
    Q_INVOKABLE void resetToAutomatic();
    Q_INVOKABLE void accept();
    Q_INVOKABLE void cancel();

Q_SIGNALS:
    void sourceChanged();
    void imageChanged();
    void cropChanged();
    void accepted();
    void cancelled();
    void errorOccurred(const CalStudio::Error &error);

private:
    [[nodiscard]] QSizeF largestCrop() const;
    /// The user's move or zoom (master pixels, exact aspect), kept inside the master; ends automatic mode.
    void setCrop(QRectF crop);
    void replan();

    CropEditorSource m_source;
    QPointer<Project> m_project;
    std::shared_ptr<ThumbnailCache> m_images;
    int m_imageRevision = 0;
    QRectF m_crop; ///< master pixels
    bool m_automatic = true;
    bool m_edited = false; ///< moved, zoomed or reset since setSource()
    std::optional<PagePlan> m_plan;
    QRectF m_trim;
    QRectF m_safe;
    QRectF m_binding;
    QRectF m_photo;
};

} // namespace CalStudio
