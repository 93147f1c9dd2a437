#pragma once

#include "core/commerce/printformat.h"
#include "core/common/result.h"
#include "core/imaging/masterfaces.h"
#include "core/project/masterinfo.h"

#include <QList>
#include <QRect>
#include <QRectF>
#include <QString>

#include <optional>

namespace CalStudio {

/// Something the user should know about one page in one format before printing.
struct CropWarning {
    enum class Kind {
        LowResolution, ///< 200–300 effective DPI: may print slightly soft
        VeryLowResolution, ///< under 200 effective DPI: will print visibly soft
        FaceCut, ///< a face is not whole inside the printed area
        FaceInBinding, ///< a face reaches into the binding/hanger zone
    };
    Kind kind = Kind::LowResolution;
    QString message; ///< for the user
    [[nodiscard]] bool strong() const { return kind != Kind::LowResolution; }
};

/// How one page of one format is cut from its master, and what to warn about.
struct PagePlan {
    int page = 0;
    QString formatId;
    QSize outputPixels; ///< the position's exact print size
    QRect crop; ///< in master pixels, exactly the output's aspect
    bool userCrop = false; ///< set by hand in the crop editor (else SmartCrop's)
    QList<QRectF> faces; ///< in master pixels
    QList<int> cutFaces; ///< indices into `faces`
    double effectiveDpi = 0; ///< from the master's native (pre-upscale) resolution, the smaller axis
    QList<CropWarning> warnings;
};

/**
 * Decides, per page and print format, which part of the master is printed:
 * the user's crop from the crop editor when there is one, else SmartCrop's
 * plan from the faces found on the master; and says what may go wrong
 * (effective DPI below 300 or 200, a face cut, a face in the binding zone).
 *
 * plan() is a pure function of its inputs (thread-safe, no I/O). Faces are
 * detected once per master and stored in the project (ProjectStore::
 * masterFaces); facesFor() reads them or detects them — from a worker's own
 * connection, so it may run off the UI thread.
 */
class CropPlanner {
public:
    static constexpr double GoodDpi = 300;
    static constexpr double PoorDpi = 200;

    /**
     * The plan for `page` of `format` — the month entry (0 cover, 1–12
     * January–December, as positions and crops are keyed), not the page's
     * place in a calendar that starts in another month. `userCrop` is in fractions of the
     * master; it is fitted to the output's exact aspect around its centre
     * and kept inside the master. Errors: "no_position" (the format has no
     * such page), SmartCrop's errors.
     */
    static Result<PagePlan> plan(const MasterInfo &master, const MasterFaces &faces, const PrintFormat &format,
                                 int page, const std::optional<QRectF> &userCrop);

    /// `userCrop` (fractions) as a crop of exactly `aspect` in a master of `masterSize`, centred where it was.
    static QRect fitUserCrop(const QRectF &userCrop, QSize masterSize, QSize aspect);

    /**
     * The faces of `master`: the stored JSON when there is (a valid) one,
     * else detected now on a ≤1024 px copy read through `projectPath`'s own
     * connection. `detected` tells the caller to store the result
     * (ProjectStore::setMasterFaces). Any thread.
     */
    static Result<MasterFaces> facesFor(const QString &projectPath, const MasterInfo &master,
                                        const std::optional<QJsonObject> &stored, bool *detected = nullptr);
};

} // namespace CalStudio
