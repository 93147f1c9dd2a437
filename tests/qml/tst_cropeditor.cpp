// Runs the Qt Quick tests of the crop editor (tst_cropeditor.qml) with the
// static CalendarStudio module linked in, on a CropEditorModel made here: a
// 1000² master (a drawn gradient) with one face, the landscape wall
// calendar's January position, no project (accept() only signals).

#include "core/commerce/printformat.h"
#include "core/project/cropplanner.h"
#include "qml/cropeditormodel.h"

#include <QImage>
#include <QLinearGradient>
#include <QPainter>
#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(CalendarStudioPlugin)

using namespace CalStudio;

/// What the QML test reaches as the `Fixture` singleton: the editor's model and what it signalled.
class CropEditorFixture : public QObject {
    Q_OBJECT
    Q_PROPERTY(CalStudio::CropEditorModel *model READ model CONSTANT)
    Q_PROPERTY(int accepted MEMBER m_accepted NOTIFY countsChanged)
    Q_PROPERTY(int cancelled MEMBER m_cancelled NOTIFY countsChanged)
public:
    CropEditorFixture()
    {
        connect(&m_model, &CropEditorModel::accepted, this, [this] {
            ++m_accepted;
            Q_EMIT countsChanged();
        });
        connect(&m_model, &CropEditorModel::cancelled, this, [this] {
            ++m_cancelled;
            Q_EMIT countsChanged();
        });
        QImage copy(500, 500, QImage::Format_RGB888);
        QPainter painter(&copy);
        QLinearGradient gradient(0, 0, 500, 500);
        gradient.setColorAt(0, QColor(120, 160, 210));
        gradient.setColorAt(1, QColor(90, 140, 80));
        painter.fillRect(copy.rect(), gradient);
        painter.fillRect(QRect(200, 150, 100, 120), QColor(230, 190, 160));
        painter.end();
        m_model.setImage(copy);
        reset();
    }

    CropEditorModel *model() { return &m_model; }

    /// The editor as it opens on the automatic crop.
    Q_INVOKABLE void reset()
    {
        CropEditorSource source;
        source.master.id = 1;
        source.master.width = 1000;
        source.master.height = 1000;
        source.master.nativeWidth = 4096;
        source.master.nativeHeight = 4096;
        source.faces.imageSize = QSize(1000, 1000);
        Face face;
        face.box = QRectF(400, 300, 200, 240);
        face.score = 0.9F;
        source.faces.faces.append(face);
        source.format = PrintFormat::builtIn().at(0);
        source.cropPage = 1;
        source.pageTitle = QStringLiteral("January 2027");
        source.photoArea = QRectF(0, 0, 1, 0.56);
        const auto plan = CropPlanner::plan(source.master, source.faces, source.format, 1, std::nullopt);
        source.autoCrop = plan ? plan->crop : QRect(0, 0, 1000, 777);
        m_model.setSource(source);
        m_accepted = 0;
        m_cancelled = 0;
        Q_EMIT countsChanged();
    }

Q_SIGNALS:
    void countsChanged();

private:
    CropEditorModel m_model;
    int m_accepted = 0;
    int m_cancelled = 0;
};

class CropEditorSetup : public QObject {
    Q_OBJECT
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        // In Qt 6.4 a static module's qmldir is at qrc:/CalendarStudio/; the
        // build tree holds the same module for tools and fallbacks.
        engine->addImportPath(QStringLiteral("qrc:/"));
        engine->addImportPath(QStringLiteral(CALSTUDIO_QML_IMPORT_DIR));
        engine->addImageProvider(
            QLatin1String(CropEditorModel::ProviderId), new ThumbnailImageProvider(m_fixture.model()->imageCache()));
        qmlRegisterSingletonInstance("CropEditorTest", 1, 0, "Fixture", &m_fixture);
    }

private:
    CropEditorFixture m_fixture;
};

QUICK_TEST_MAIN_WITH_SETUP(cropeditor, CropEditorSetup)

#include "tst_cropeditor.moc"
