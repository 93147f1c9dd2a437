#include "ui/previewpage.h"

#include "core/project/pdfexporter.h"
#include "core/project/project.h"
#include "core/project/projectstore.h"
#include "qml/cropeditormodel.h"
#include "qml/pagepreviewmodel.h"
#include "qml/thumbnailimageprovider.h"
#include "ui/pagewidgets.h"
#include "ui/uilogging.h"

#include <QDialog>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QPixmap>
#include <QProgressDialog>
#include <QPushButton>
#include <QQmlEngine>
#include <QQmlError>
#include <QQuickItem>
#include <QQuickWidget>
#include <QScreen>
#include <QTabBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>

namespace CalStudio {

namespace {

/// Loads `qml` into `view` and hands `model` to its root's `model` property; false (logged) when it fails.
bool loadView(QQuickWidget *view, const QString &qml, QObject *model, const char *what)
{
    view->setSource(QUrl(qml));
    if (QQuickItem *root = view->rootObject(); root && view->status() == QQuickWidget::Ready) {
        root->setProperty("model", QVariant::fromValue(model));
        return true;
    }
    QStringList messages;
    for (const QQmlError &e : view->errors())
        messages.append(e.toString());
    qCCritical(lcUi) << what << "failed to load:" << messages;
    return false;
}

/// A dot in the colour of the QML badges (FormatPreview.qml) for "mild" or "strong".
QIcon levelIcon(const QString &level)
{
    QPixmap pixmap(24, 24);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(level == QLatin1String("strong") ? QColor(0xb5, 0x3f, 0x3f) : QColor(0xc9, 0x8a, 0x1b));
    painter.drawEllipse(QRectF(4, 4, 16, 16));
    return QIcon(pixmap);
}

} // namespace

PreviewPage::PreviewPage(QWidget *parent)
    : QWidget(parent)
    , m_model(new PagePreviewModel(this))
    , m_tabs(new QTabBar(this))
    , m_editButton(new QPushButton(tr("Edit &Crop…"), this))
    , m_exportButton(new QPushButton(tr("Export &PDF…"), this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("previewPage"));
    m_tabs->setObjectName(QStringLiteral("formatTabs"));
    m_tabs->setAccessibleName(tr("Print format"));
    m_tabs->setExpanding(false);
    m_tabs->setDrawBase(false);
    m_tabs->setUsesScrollButtons(false);
    m_tabs->setElideMode(Qt::ElideMiddle);
    for (const PrintFormat &format : PagePreviewModel::formats()) {
        const int i = m_tabs->addTab(format.title);
        m_tabs->setTabData(i, format.id);
    }
    m_editButton->setObjectName(QStringLiteral("editCropButton"));
    m_editButton->setToolTip(tr("Move and zoom the picture of the selected page in this format (Enter)"));
    m_status->setObjectName(QStringLiteral("previewStatus"));
    m_status->setStyleSheet(QStringLiteral("color: #6f6a62;"));

    m_view = new QQuickWidget(this);
    m_view->setObjectName(QStringLiteral("formatPreview"));
    m_view->setResizeMode(QQuickWidget::SizeRootObjectToView);
    m_view->setClearColor(QColor(0xf3, 0xef, 0xe8));
    m_view->setMinimumSize(320, 300);
    m_view->setFocusPolicy(Qt::StrongFocus);
    // Pages come from the model's memory (composed off the UI thread), never from files.
    m_view->engine()->addImageProvider(
        QLatin1String(PagePreviewModel::ProviderId), new ThumbnailImageProvider(m_model->thumbnailCache()));
    loadView(m_view, QStringLiteral("qrc:/CalendarStudio/FormatPreview.qml"), m_model, "format preview");

    auto *tabRow = new QHBoxLayout;
    tabRow->addWidget(m_tabs, 1);
    tabRow->addWidget(m_status);
    tabRow->addWidget(m_editButton);
    tabRow->addWidget(m_exportButton);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(PageWidgets::heading(tr("Preview"), 1.6, this));
    layout->addWidget(PageWidgets::noteLabel(
        tr("Every page as it will print, in each format. A red or orange badge marks a page to look at: a face "
           "cut or in the binding, or a picture that may print soft. Select a page and choose Edit Crop to move "
           "or zoom its picture; Edit ▸ Undo takes a change back."),
        this));
    layout->addLayout(tabRow);
    layout->addWidget(m_view, 1);

    connect(m_tabs, &QTabBar::currentChanged, m_model, &PagePreviewModel::setFormatIndex);
    connect(m_model, &PagePreviewModel::formatChanged, this, [this] {
        if (m_tabs->currentIndex() != m_model->formatIndex())
            m_tabs->setCurrentIndex(m_model->formatIndex());
        updateTabs();
    });
    connect(m_model, &PagePreviewModel::warningsChanged, this, &PreviewPage::updateTabs);
    connect(m_model, &PagePreviewModel::busyChanged, this, &PreviewPage::updateTabs);
    connect(m_model, &PagePreviewModel::selectionChanged, this, &PreviewPage::updateEditButton);
    connect(m_model, &PagePreviewModel::editCropRequested, this, [this](int page) { (void)editCrop(page); });
    connect(m_model, &PagePreviewModel::errorOccurred, this, &PreviewPage::errorOccurred);
    connect(m_editButton, &QPushButton::clicked, this, [this] { (void)editCrop(m_model->selectedPage()); });
    m_exportButton->setObjectName(QStringLiteral("exportPdfButton"));
    m_exportButton->setToolTip(tr("A print-ready PDF of this format: the cover and twelve months at trim + bleed"));
    connect(m_exportButton, &QPushButton::clicked, this, [this] { exportPdf(); });
    setProject(nullptr);
}

PreviewPage::~PreviewPage()
{
    // The QML refers to the model; the editor's dialog to the project.
    delete m_editorDialog;
    delete m_view;
    m_view = nullptr;
    m_model->setProject(nullptr);
}

void PreviewPage::setProject(Project *project)
{
    if (m_editorDialog)
        m_editorDialog->reject();
    delete m_editorDialog;
    m_project = project;
    m_model->setProject(project);
    setEnabled(project != nullptr);
    updateTabs();
    updateEditButton();
}

void PreviewPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_model->setActive(true);
}

void PreviewPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_model->setActive(false);
}

void PreviewPage::updateTabs()
{
    const QList<PrintFormat> &formats = PagePreviewModel::formats();
    for (int i = 0; i < formats.size() && i < m_tabs->count(); ++i) {
        // A dot in the badges' colours says a format has pages to look at; the tooltip says how many.
        const int warnings = m_model->warningCount(i);
        const QString level = m_model->warningLevel(i);
        const QString title = formats.at(i).title;
        const QString toCheck = warnings == 1 ? tr("1 page to check") : tr("%1 pages to check").arg(warnings);
        m_tabs->setTabIcon(i, level == QLatin1String("none") ? QIcon() : levelIcon(level));
        m_tabs->setTabToolTip(
            i, warnings == 0 ? tr("%1: no page has a warning.").arg(title) : tr("%1: %2.").arg(title, toCheck));
        m_tabs->setAccessibleTabName(i, warnings == 0 ? title : tr("%1, %2").arg(title, toCheck));
    }
    m_status->setText(m_model->busy() && m_project ? tr("Making the pages…") : QString());
}

void PreviewPage::updateEditButton()
{
    m_editButton->setEnabled(m_project && m_model->selection().value(QStringLiteral("editable")).toBool());
}

CropEditorModel *PreviewPage::editCrop(int page)
{
    if (m_editorDialog)
        return cropEditor();
    if (!m_project)
        return nullptr;
    const auto source = m_model->editSource(m_model->formatIndex(), page);
    if (!source)
        return nullptr;
    m_model->setSelectedPage(page);

    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("cropEditorDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Edit Crop — %1").arg(source->pageTitle));
    dialog->setWindowModality(Qt::WindowModal);
    // The view first: children go in creation order, so the QML is gone before its model.
    auto *view = new QQuickWidget(dialog);
    view->setObjectName(QStringLiteral("cropEditorView"));
    view->setResizeMode(QQuickWidget::SizeRootObjectToView);
    view->setClearColor(QColor(0xf3, 0xef, 0xe8));
    view->setFocusPolicy(Qt::StrongFocus);
    auto *editor = new CropEditorModel(dialog);
    editor->setSource(*source);
    editor->setProject(m_project);
    view->engine()->addImageProvider(
        QLatin1String(CropEditorModel::ProviderId), new ThumbnailImageProvider(editor->imageCache()));
    // The reduced copy in memory, or made now (the editor shows a busy sign meanwhile).
    const qint64 masterId = source->master.id;
    const QImage copy = m_model->reducedCopy(masterId);
    if (!copy.isNull()) {
        editor->setImage(copy);
    } else {
        connect(m_model, &PagePreviewModel::reducedCopyReady, editor, [this, editor, masterId](qint64 id) {
            if (id == masterId)
                editor->setImage(m_model->reducedCopy(id));
        });
    }
    loadView(view, QStringLiteral("qrc:/CalendarStudio/CropEditor.qml"), editor, "crop editor");

    auto *layout = new QVBoxLayout(dialog);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view);
    QSize size(1100, 720);
    if (const QScreen *where = screen() ? screen() : QGuiApplication::primaryScreen())
        size = size.boundedTo(where->availableSize() * 0.9);
    dialog->resize(size);

    connect(editor, &CropEditorModel::accepted, dialog, &QDialog::accept);
    connect(editor, &CropEditorModel::cancelled, dialog, &QDialog::reject);
    connect(editor, &CropEditorModel::errorOccurred, this, &PreviewPage::errorOccurred);
    // Back to the pages afterwards, so Ctrl+Z (undo the crop) and the arrow keys work at once.
    connect(dialog, &QDialog::finished, this, [this] {
        if (m_view)
            m_view->setFocus(Qt::OtherFocusReason);
    });
    m_editorDialog = dialog;
    m_editor = editor;
    dialog->open();
    view->setFocus(Qt::OtherFocusReason);
    return editor;
}

void PreviewPage::exportPdf(const QString &chosenPath, bool cropMarks)
{
    if (!m_project || m_exporting)
        return;
    const PrintFormat format = PagePreviewModel::formats().at(m_model->formatIndex());
    QString path = chosenPath;
    if (path.isEmpty()) {
        const QFileInfo project(m_project->path());
        const QString suggestion = project.dir().filePath(
            QStringLiteral("%1 – %2.pdf")
                .arg(project.completeBaseName(), format.title.section(QLatin1Char('('), 0, 0).trimmed()));
        path = QFileDialog::getSaveFileName(this, tr("Export PDF"), suggestion, tr("PDF documents (*.pdf)"));
        if (path.isEmpty())
            return;
        if (!path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive))
            path += QStringLiteral(".pdf");
        cropMarks = QMessageBox::question(this, tr("Export PDF"),
                        tr("Add crop marks outside the bleed? Printers that trim by hand use them; "
                           "online print shops usually do not want them."),
                        QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
            == QMessageBox::Yes;
    }
    PdfExportOptions options;
    options.cropMarks = cropMarks;
    auto request = PdfExporter::request(*m_project, format, path, options);
    if (!request) {
        Q_EMIT errorOccurred(request.error());
        return;
    }
    m_exporting = true;
    m_exportButton->setEnabled(false);
    auto *progress = new QProgressDialog(tr("Exporting the PDF…"), tr("Cancel"), 0, 13, this);
    progress->setObjectName(QStringLiteral("pdfProgress"));
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(300);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    auto cancelled = std::make_shared<std::atomic_bool>(false);
    connect(progress, &QProgressDialog::canceled, this, [cancelled] { *cancelled = true; });
    QPointer<QProgressDialog> guard(progress);
    auto *watcher = new QFutureWatcher<void>(this);
    auto result = std::make_shared<std::optional<Result<PdfExportResult>>>();
    connect(watcher, &QFutureWatcher<void>::finished, this, [this, watcher, result, guard, format] {
        watcher->deleteLater();
        if (guard)
            guard->close();
        m_exporting = false;
        m_exportButton->setEnabled(m_project != nullptr);
        const Result<PdfExportResult> &r = **result;
        if (!r) {
            if (r.error().code != QLatin1String("cancelled"))
                Q_EMIT errorOccurred(r.error());
            Q_EMIT exportFinished({}, {});
            return;
        }
        // Faces found on the way are kept, so the next export or preview needs no detection.
        if (m_project) {
            for (auto it = r->detectedFaces.cbegin(); it != r->detectedFaces.cend(); ++it)
                (void)m_project->store().setMasterFaces(it.key(), it.value());
        }
        int warnings = 0;
        for (const auto &page : r->pages)
            warnings += page.warnings.isEmpty() ? 0 : 1;
        QString summary = tr("Saved “%1” (%2 MB, %3).")
                              .arg(QFileInfo(r->path).fileName())
                              .arg(double(r->bytes) / (1024.0 * 1024.0), 0, 'f', 1)
                              .arg(format.title);
        if (warnings > 0)
            summary += tr(" %n page(s) have warnings; see the badges.", nullptr, warnings);
        Q_EMIT exportFinished(r->path, summary);
    });
    // The export reads masters through its own connection and draws on a worker.
    watcher->setFuture(QtConcurrent::run([request = std::move(*request), result, cancelled, guard]() {
        *result = PdfExporter::exportPdf(request, [cancelled, guard](int done, int total) {
            if (guard)
                QMetaObject::invokeMethod(
                    guard,
                    [guard, done, total] {
                        if (guard) {
                            guard->setMaximum(total);
                            guard->setValue(done);
                        }
                    },
                    Qt::QueuedConnection);
            return !*cancelled;
        });
    }));
}

} // namespace CalStudio
