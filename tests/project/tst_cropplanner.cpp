// CropPlanner: automatic plans keep faces whole, hand-made crops are kept
// (fitted to the exact aspect), and the warnings — effective DPI from the
// master's native size, cut faces, faces in the binding zone — appear
// exactly when they should. Project keeps hand-made crops undoably.

#include "core/imaging/facedetector.h"
#include "core/project/cropplanner.h"
#include "core/project/project.h"
#include "core/project/projectstore.h"

#include <QBuffer>
#include <QPainter>
#include <QTemporaryDir>
#include <QTest>

using namespace CalStudio;

namespace {

MasterInfo master(int side, int native)
{
    MasterInfo m;
    m.id = 1;
    m.width = side;
    m.height = side;
    m.nativeWidth = native;
    m.nativeHeight = native;
    return m;
}

/// One face of `size` px with its top-left at (x, y) in a 4096² master.
MasterFaces oneFace(double x, double y, double size)
{
    MasterFaces f;
    f.imageSize = QSize(4096, 4096);
    Face face;
    face.box = QRectF(x, y, size, size);
    face.score = 0.9f;
    f.faces.append(face);
    return f;
}

bool hasWarning(const PagePlan &plan, CropWarning::Kind kind)
{
    return std::any_of(plan.warnings.begin(), plan.warnings.end(), [kind](const CropWarning &w) { return w.kind == kind; });
}

const PrintFormat &landscape()
{
    static const PrintFormat f = *PrintFormat::find(QStringLiteral("wall-landscape"));
    return f;
}

} // namespace

class TestCropPlanner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void automaticPlanKeepsTheFaceWholeAtGoodResolution()
    {
        const auto plan = CropPlanner::plan(master(4096, 4096), oneFace(1800, 1200, 500), landscape(), 3, std::nullopt);
        QVERIFY(plan);
        QVERIFY(!plan->userCrop);
        QCOMPARE(plan->outputPixels, QSize(3375, 2625));
        QVERIFY(plan->crop.contains(QRectF(1800, 1200, 500, 500).toRect()));
        QVERIFY(QRect(0, 0, 4096, 4096).contains(plan->crop));
        // Exact aspect to a pixel.
        QVERIFY(std::abs(double(plan->crop.width()) / plan->crop.height() - 3375.0 / 2625.0) < 1.0 / plan->crop.height());
        QVERIFY(plan->cutFaces.isEmpty());
        QVERIFY(plan->effectiveDpi >= 300);
        QVERIFY(plan->warnings.isEmpty());
    }

    void effectiveDpiFollowsTheNativeResolution()
    {
        // A 2K picture enlarged to 4096: about 182 DPI across 11.25 in — a strong warning.
        const auto low = CropPlanner::plan(master(4096, 2048), oneFace(1800, 1500, 500), landscape(), 1, std::nullopt);
        QVERIFY(low);
        QVERIFY(low->effectiveDpi < 200);
        QVERIFY(hasWarning(*low, CropWarning::Kind::VeryLowResolution));
        QVERIFY(low->warnings.first().strong());
        // 3072 native: between 200 and 300 — the mild warning only.
        const auto mid = CropPlanner::plan(master(4096, 3072), oneFace(1800, 1500, 500), landscape(), 1, std::nullopt);
        QVERIFY(mid->effectiveDpi >= 200 && mid->effectiveDpi < 300);
        QVERIFY(hasWarning(*mid, CropWarning::Kind::LowResolution));
        QVERIFY(!hasWarning(*mid, CropWarning::Kind::VeryLowResolution));
    }

    void userCropIsKeptAndChecked()
    {
        // The right half of the picture, while the face is on the left: the face is cut.
        const QRectF rightHalf(0.5, 0.2, 0.5, 0.5 * 2625.0 / 3375.0);
        const auto plan = CropPlanner::plan(master(4096, 4096), oneFace(400, 1500, 600), landscape(), 5, rightHalf);
        QVERIFY(plan);
        QVERIFY(plan->userCrop);
        QCOMPARE(plan->cutFaces, QList<int>{0});
        QVERIFY(hasWarning(*plan, CropWarning::Kind::FaceCut));
        QVERIFY(std::abs(plan->crop.x() - 2048) <= 2);
        // Zoomed in to half the width: half the DPI of the full crop.
        QVERIFY(plan->effectiveDpi < 200);

        // A crop with the face at its very top: inside the binding/hanger zone of a wall calendar.
        const double w = 0.4;
        const double h = w * 2625.0 / 3375.0;
        const QRectF faceAtTop(400.0 / 4096 - 0.05, 1500.0 / 4096 - 0.005, w, h);
        const auto top = CropPlanner::plan(master(4096, 4096), oneFace(400, 1500, 600), landscape(), 5, faceAtTop);
        QVERIFY(hasWarning(*top, CropWarning::Kind::FaceInBinding));
    }

    void fitUserCropKeepsTheAspectInsideTheMaster()
    {
        for (const QRectF &r : {QRectF(0.9, 0.9, 0.5, 0.4), QRectF(0, 0, 1, 1), QRectF(0.2, 0.3, 0.31, 0.2)}) {
            const QRect crop = CropPlanner::fitUserCrop(r, QSize(4096, 4096), QSize(3375, 2625));
            QVERIFY(QRect(0, 0, 4096, 4096).contains(crop));
            QVERIFY(std::abs(double(crop.width()) / crop.height() - 3375.0 / 2625.0) < 1.0 / crop.height());
        }
    }

    void noPositionIsAnError()
    {
        PrintFormat f = landscape();
        f.positions.removeFirst(); // no cover
        const auto plan = CropPlanner::plan(master(4096, 4096), MasterFaces{}, f, 0, std::nullopt);
        QVERIFY(!plan);
        QCOMPARE(plan.error().code, QStringLiteral("no_position"));
    }

    void projectKeepsUserCropsUndoably()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("c.calstudio"));
        {
            auto project = Project::create(path, ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(QStringLiteral("en_US"))));
            QVERIFY(project);
            Project &p = **project;
            QVERIFY(!p.userCrop(2, QStringLiteral("square")));
            QVERIFY(p.setUserCrop(2, QStringLiteral("square"), QRectF(0.1, 0.1, 0.5, 0.5)));
            QCOMPARE(*p.userCrop(2, QStringLiteral("square")), QRectF(0.1, 0.1, 0.5, 0.5));
            QVERIFY(p.setUserCrop(2, QStringLiteral("square"), QRectF(0.2, 0.1, 0.5, 0.5)));
            p.undoStack()->undo();
            QCOMPARE(*p.userCrop(2, QStringLiteral("square")), QRectF(0.1, 0.1, 0.5, 0.5));
            p.resetUserCrop(2, QStringLiteral("square"));
            QVERIFY(!p.userCrop(2, QStringLiteral("square")));
            p.undoStack()->undo();
            QVERIFY(p.userCrop(2, QStringLiteral("square")));
            // Outside the picture or empty: refused, nothing changes.
            QCOMPARE(p.setUserCrop(2, QStringLiteral("square"), QRectF(0.8, 0.8, 0.5, 0.5)).error().code,
                     QStringLiteral("invalid_crop"));
            QCOMPARE(p.setUserCrop(2, QStringLiteral("square"), QRectF()).error().code, QStringLiteral("invalid_crop"));
            QCOMPARE(p.setUserCrop(13, QStringLiteral("square"), QRectF(0, 0, 1, 1)).error().code,
                     QStringLiteral("invalid_month"));
            QVERIFY(p.flush());
        }
        // Saved with the project.
        auto reopened = Project::open(path);
        QVERIFY(reopened);
        QCOMPARE(*(*reopened)->userCrop(2, QStringLiteral("square")), QRectF(0.1, 0.1, 0.5, 0.5));
        QCOMPARE((*reopened)->userCrops().size(), 1);
    }

    // Faces are read from the project when stored, detected (and reported for storing) when not.
    void facesAreDetectedOnceThenRead()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("f.calstudio"));
        auto project = Project::create(path, ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(QStringLiteral("en_US"))));
        QVERIFY(project);
        QImage picture(1024, 1024, QImage::Format_RGB888);
        picture.fill(QColor(90, 120, 160));
        {
            QPainter painter(&picture);
            painter.drawImage(QRect(312, 200, 400, 400), QImage(QStringLiteral(CALSTUDIO_TEST_DATA_DIR "/faces/astronaut.png")));
        }
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        picture.save(&buffer, "PNG");
        ProjectStore &store = (*project)->store();
        CandidateRecord candidate;
        candidate.month = 1;
        candidate.provider = QStringLiteral("offline");
        candidate.status = QStringLiteral("done");
        QVERIFY(store.addCandidate(candidate, png));
        const auto id = store.addMaster(1, MasterSource{candidate.id, 0}, png, QSize(1024, 1024), QSize(1024, 1024));
        QVERIFY(id);
        const MasterInfo info = *store.masterInfo(*id);
        QVERIFY(!*store.masterFaces(*id)); // not detected yet

        bool detected = false;
        const auto faces = CropPlanner::facesFor(path, info, *store.masterFaces(*id), &detected);
        QVERIFY(faces);
        QVERIFY(detected);
        QCOMPARE(faces->faces.size(), 1);
        QVERIFY(QRectF(312, 200, 400, 400).intersects(faces->faces.first().box));
        QVERIFY(store.setMasterFaces(*id, faces->toJson()));

        const auto again = CropPlanner::facesFor(path, info, *store.masterFaces(*id), &detected);
        QVERIFY(again);
        QVERIFY(!detected); // read, not detected again
        QCOMPARE(again->faces.size(), 1);
        QCOMPARE(again->faces.first().box, faces->faces.first().box);

        // And the plan keeps that face whole.
        const auto plan = CropPlanner::plan(info, *again, landscape(), 1, std::nullopt);
        QVERIFY(plan);
        QVERIFY(plan->cutFaces.isEmpty());
        QVERIFY(QRectF(plan->crop).contains(again->faces.first().box));
    }
};

QTEST_MAIN(TestCropPlanner)
#include "tst_cropplanner.moc"
