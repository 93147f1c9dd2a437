#include "ui/selfiespage.h"
#include "ui/pagewidgets.h"

#include "core/imaging/selfieanalyzer.h"
#include "core/project/project.h"
#include "ui/selfiebadge.h"
#include "ui/selfiedetailview.h"
#include "ui/selfiegriddelegate.h"
#include "ui/selfiegridmodel.h"
#include "ui/selfieimagecache.h"
#include "ui/selfieimportreport.h"
#include "ui/uilogging.h"

#include <QAction>
#include <QBuffer>
#include <QClipboard>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QImageWriter>
#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QStandardPaths>
#include <QVBoxLayout>

#include <algorithm>

namespace CalStudio {

namespace {

const QString QuietStyle = QStringLiteral("color: #6f6a62;");
const QString LastFolderKey = QStringLiteral("selfies/lastFolder");
const QColor GoodColour(0x2e, 0x7d, 0x32);
const QColor AttentionColour(0x9a, 0x62, 0x00);
const QColor ErrorColour(0xb3, 0x26, 0x1e);

enum StackPage { NoProjectPage, EmptyPage, SelfiesContentPage };



QString imageFilter()
{
    return QCoreApplication::translate("CalStudio::SelfiesPage",
               "Photos (*.jpg *.jpeg *.png *.webp *.heic *.heif *.tif *.tiff "
               "*.JPG *.JPEG *.PNG *.WEBP *.HEIC *.HEIF *.TIF *.TIFF)")
        + QStringLiteral(";;") + QCoreApplication::translate("CalStudio::SelfiesPage", "All files (*)");
}

QString dropZoneStyle(bool highlighted)
{
    return QStringLiteral("#selfieDropZone { border: 2px dashed %1; border-radius: 14px; background: %2; }")
        .arg(highlighted ? QStringLiteral("#c2562f") : QStringLiteral("#cfc6b8"),
            highlighted ? QStringLiteral("#f7e9e2") : QStringLiteral("#fbf9f5"));
}

QString gridStyle(bool highlighted)
{
    return QStringLiteral("#selfieGrid { background: #fbf9f5; border: %1; border-radius: 8px; outline: 0; }")
        .arg(highlighted ? QStringLiteral("2px dashed #c2562f") : QStringLiteral("1px solid #e0dad0"));
}

/// A stack of two photos with a face on the top one: the picture of "drop selfies here".
QPixmap dropIconPixmap(qreal dpr)
{
    const QSize size(112, 92);
    QPixmap pixmap(size * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    auto photo = [&p](const QPointF &centre, qreal angle, const QColor &paper) {
        p.save();
        p.translate(centre);
        p.rotate(angle);
        p.setPen(QPen(QColor(0xcf, 0xc6, 0xb8), 1.5));
        p.setBrush(paper);
        p.drawRoundedRect(QRectF(-30, -36, 60, 72), 6, 6);
        p.restore();
    };
    photo(QPointF(44, 48), -10, QColor(0xf1, 0xec, 0xe4));
    photo(QPointF(66, 46), 6, Qt::white);
    p.save();
    p.translate(66, 46);
    p.rotate(6);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0xc2, 0x56, 0x2f, 200));
    p.drawEllipse(QPointF(0, -8), 11, 13);
    p.drawRoundedRect(QRectF(-19, 9, 38, 22), 11, 11);
    p.restore();
    return pixmap;
}

QString importingText(int count)
{
    return count == 1 ? QCoreApplication::translate("CalStudio::SelfiesPage", "Importing 1 photo…")
                      : QCoreApplication::translate("CalStudio::SelfiesPage", "Importing %1 photos…").arg(count);
}

ImportOutcome failedOutcome(const QString &name, const Error &error)
{
    ImportOutcome o;
    o.name = name;
    o.status = ImportOutcome::Status::Failed;
    o.error = error;
    return o;
}

} // namespace

SelfiesPage::SelfiesPage(QWidget *parent)
    : QWidget(parent)
    , m_cache(new SelfieImageCache(this))
    , m_model(new SelfieGridModel(m_cache, this))
    , m_stack(new QStackedWidget(this))
    , m_advice(new QLabel(this))
    , m_adviceTips(new QLabel(this))
    , m_progressRow(new QWidget(this))
    , m_progress(new QProgressBar(this))
    , m_progressLabel(new QLabel(this))
    , m_cancelButton(new QPushButton(tr("Cancel"), this))
    , m_report(new SelfieImportReport(this))
    , m_dropZone(new QFrame(this))
    , m_grid(new QListView(this))
    , m_detail(new SelfieDetailView(this))
    , m_detailName(new QLabel(this))
    , m_detailInfo(PageWidgets::noteLabel({}, this))
    , m_faceHint(new QLabel(this))
    , m_checks(new QLabel(this))
    , m_addButton(new QPushButton(tr("&Add Photos…"), this))
    , m_emptyAddButton(new QPushButton(tr("Add Photos…"), this))
    , m_forgetButton(new QPushButton(tr("Fo&rget Selfies…"), this))
    , m_preferButton(new QPushButton(this))
    , m_earlierButton(new QPushButton(tr("Mo&ve Earlier"), this))
    , m_laterButton(new QPushButton(tr("Move &Later"), this))
    , m_deleteButton(new QPushButton(tr("&Delete"), this))
    , m_addAction(new QAction(tr("Add Photos…"), this))
    , m_deleteAction(new QAction(tr("Delete"), this))
    , m_earlierAction(new QAction(tr("Move Earlier"), this))
    , m_laterAction(new QAction(tr("Move Later"), this))
    , m_preferAction(new QAction(tr("Preferred"), this))
    , m_cancelAction(new QAction(tr("Cancel Import"), this))
{
    setObjectName(QStringLiteral("selfiesPage"));
    setAcceptDrops(true);

    // --- Actions. They work while the keyboard is anywhere in this page.
    m_addAction->setObjectName(QStringLiteral("actionAddPhotos"));
    m_addAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_deleteAction->setObjectName(QStringLiteral("actionDeleteSelfie"));
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_earlierAction->setObjectName(QStringLiteral("actionMoveEarlier"));
    m_earlierAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Up));
    m_laterAction->setObjectName(QStringLiteral("actionMoveLater"));
    m_laterAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Down));
    m_preferAction->setObjectName(QStringLiteral("actionPreferSelfie"));
    m_preferAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_preferAction->setCheckable(true);
    m_cancelAction->setObjectName(QStringLiteral("actionCancelImport"));
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    for (QAction *action : { m_addAction, m_deleteAction, m_earlierAction, m_laterAction, m_preferAction, m_cancelAction }) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }
    connect(m_addAction, &QAction::triggered, this, &SelfiesPage::addPhotosInteractive);
    connect(m_deleteAction, &QAction::triggered, this, [this] { (void)deleteSelected(); });
    connect(m_earlierAction, &QAction::triggered, this, [this] { (void)moveCurrent(-1); });
    connect(m_laterAction, &QAction::triggered, this, [this] { (void)moveCurrent(1); });
    connect(m_preferAction, &QAction::triggered, this, [this] { (void)togglePreferred(); });
    connect(m_cancelAction, &QAction::triggered, this, &SelfiesPage::cancelImport);

    m_addButton->setObjectName(QStringLiteral("addPhotosButton"));
    m_addButton->setToolTip(PageWidgets::shortcutHint(tr("Choose photos or a folder of photos of you"), m_addAction));
    m_emptyAddButton->setObjectName(QStringLiteral("emptyAddPhotosButton"));
    m_forgetButton->setObjectName(QStringLiteral("forgetSelfiesButton"));
    m_forgetButton->setToolTip(tr("Remove all selfies from this calendar's file for good"));
    m_preferButton->setObjectName(QStringLiteral("preferSelfieButton"));
    m_preferButton->setCheckable(true);
    m_preferButton->setToolTip(
        PageWidgets::shortcutHint(tr("Preferred selfies are sent first when the pictures are made"), m_preferAction));
    m_earlierButton->setObjectName(QStringLiteral("moveEarlierButton"));
    m_earlierButton->setToolTip(PageWidgets::shortcutHint(tr("Move the selected selfie one place earlier"), m_earlierAction));
    m_laterButton->setObjectName(QStringLiteral("moveLaterButton"));
    m_laterButton->setToolTip(PageWidgets::shortcutHint(tr("Move the selected selfie one place later"), m_laterAction));
    m_deleteButton->setObjectName(QStringLiteral("deleteSelfieButton"));
    m_deleteButton->setToolTip(PageWidgets::shortcutHint(tr("Remove the selected selfies (Undo brings them back)"), m_deleteAction));
    m_cancelButton->setObjectName(QStringLiteral("cancelImportButton"));
    m_cancelButton->setToolTip(tr("Stop importing (Esc); photos already imported stay"));
    connect(m_addButton, &QPushButton::clicked, m_addAction, &QAction::trigger);
    connect(m_emptyAddButton, &QPushButton::clicked, m_addAction, &QAction::trigger);
    connect(m_forgetButton, &QPushButton::clicked, this, &SelfiesPage::forgetSelfiesInteractive);
    connect(m_preferButton, &QPushButton::clicked, m_preferAction, &QAction::trigger);
    connect(m_earlierButton, &QPushButton::clicked, m_earlierAction, &QAction::trigger);
    connect(m_laterButton, &QPushButton::clicked, m_laterAction, &QAction::trigger);
    connect(m_deleteButton, &QPushButton::clicked, m_deleteAction, &QAction::trigger);
    connect(m_cancelButton, &QPushButton::clicked, m_cancelAction, &QAction::trigger);

    // --- Header.
    auto *heading = PageWidgets::heading(tr("Selfies"), 1.6, this);
    heading->setObjectName(QStringLiteral("pageHeading"));
    auto *intro = PageWidgets::noteLabel(tr("The photos of you that the pictures are made from. 5 to 10 clear selfies "
                                   "with different head angles and light give the best likeness. They stay on "
                                   "this computer until you generate pictures."),
        this);
    auto *headerText = new QVBoxLayout;
    headerText->setSpacing(4);
    headerText->addWidget(heading);
    headerText->addWidget(intro);
    auto *header = new QHBoxLayout;
    header->setSpacing(8);
    header->addLayout(headerText, 1);
    header->addSpacing(16);
    header->addWidget(m_addButton, 0, Qt::AlignBottom);
    header->addWidget(m_forgetButton, 0, Qt::AlignBottom);

    // --- Set advice: a line with a coloured edge, green when the set is ready.
    auto *advicePanel = new QFrame(this);
    advicePanel->setObjectName(QStringLiteral("advicePanel"));
    m_advice->setObjectName(QStringLiteral("adviceLabel"));
    m_advice->setTextFormat(Qt::PlainText);
    m_advice->setWordWrap(true);
    QFont adviceFont = m_advice->font();
    adviceFont.setBold(true);
    m_advice->setFont(adviceFont);
    m_adviceTips->setObjectName(QStringLiteral("adviceTips"));
    m_adviceTips->setTextFormat(Qt::PlainText);
    m_adviceTips->setWordWrap(true);
    auto *adviceLayout = new QVBoxLayout(advicePanel);
    adviceLayout->setContentsMargins(12, 8, 12, 8);
    adviceLayout->setSpacing(2);
    adviceLayout->addWidget(m_advice);
    adviceLayout->addWidget(m_adviceTips);

    // --- Progress of a running import.
    m_progressRow->setObjectName(QStringLiteral("importProgressRow"));
    m_progress->setObjectName(QStringLiteral("importProgress"));
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(10);
    m_progress->setAccessibleName(tr("Import progress"));
    m_progressLabel->setObjectName(QStringLiteral("importProgressLabel"));
    m_progressLabel->setTextFormat(Qt::PlainText);
    auto *progressLayout = new QHBoxLayout(m_progressRow);
    progressLayout->setContentsMargins(0, 0, 0, 0);
    progressLayout->setSpacing(10);
    auto *progressText = new QVBoxLayout;
    progressText->setSpacing(4);
    progressText->addWidget(m_progressLabel);
    progressText->addWidget(m_progress);
    progressLayout->addLayout(progressText, 1);
    progressLayout->addWidget(m_cancelButton, 0, Qt::AlignVCenter);
    m_progressRow->hide();

    m_report->hide();

    // --- Empty state: a drop zone.
    m_dropZone->setObjectName(QStringLiteral("selfieDropZone"));
    m_dropZone->setStyleSheet(dropZoneStyle(false));
    auto *dropTitle = new QLabel(tr("Drop 5–10 selfies here, or choose Add Photos…"), m_dropZone);
    dropTitle->setObjectName(QStringLiteral("dropZoneTitle"));
    dropTitle->setAlignment(Qt::AlignCenter);
    dropTitle->setWordWrap(true);
    QFont dropFont = dropTitle->font();
    dropFont.setPointSizeF(dropFont.pointSizeF() * 1.35);
    dropFont.setBold(true);
    dropTitle->setFont(dropFont);
    auto *dropNote = PageWidgets::noteLabel(tr("Photos straight from your phone work best: your face clearly visible, "
                                      "in focus and in good light, from a few different angles. JPEG, PNG, "
                                      "HEIC, WebP or TIFF; whole folders too. You can also paste a photo "
                                      "with Ctrl+V."),
        m_dropZone);
    dropNote->setAlignment(Qt::AlignCenter);
    // A fixed width lets the wrapped note report its real height (an aligned item would be cut short).
    dropNote->setFixedWidth(480);
    auto *dropIcon = new QLabel(m_dropZone);
    dropIcon->setPixmap(dropIconPixmap(devicePixelRatioF()));
    dropIcon->setAlignment(Qt::AlignCenter);
    auto *noteRow = new QHBoxLayout;
    noteRow->addStretch(1);
    noteRow->addWidget(dropNote);
    noteRow->addStretch(1);
    auto *dropLayout = new QVBoxLayout(m_dropZone);
    dropLayout->setContentsMargins(32, 32, 32, 32);
    dropLayout->setSpacing(14);
    dropLayout->addStretch(1);
    dropLayout->addWidget(dropIcon);
    dropLayout->addWidget(dropTitle);
    dropLayout->addLayout(noteRow);
    dropLayout->addSpacing(6);
    dropLayout->addWidget(m_emptyAddButton, 0, Qt::AlignHCenter);
    dropLayout->addStretch(2);

    // --- Left: the grid and what can be done with the selection.
    m_grid->setObjectName(QStringLiteral("selfieGrid"));
    m_grid->setAccessibleName(tr("Selfies"));
    m_grid->setModel(m_model);
    m_grid->setItemDelegate(new SelfieGridDelegate(m_grid));
    m_grid->setViewMode(QListView::IconMode);
    m_grid->setMovement(QListView::Static);
    m_grid->setResizeMode(QListView::Adjust);
    m_grid->setFlow(QListView::LeftToRight);
    m_grid->setWrapping(true);
    m_grid->setUniformItemSizes(true);
    m_grid->setGridSize(SelfieGridDelegate::cellSize() + QSize(4, 6));
    m_grid->setSpacing(0);
    m_grid->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_grid->setSelectionRectVisible(true);
    m_grid->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // IconMode turns on item dragging; drops of photos must reach the page instead.
    m_grid->setDragDropMode(QAbstractItemView::NoDragDrop);
    m_grid->setDragEnabled(false);
    m_grid->setAcceptDrops(false);
    m_grid->viewport()->setAcceptDrops(false);
    m_grid->setMinimumWidth(SelfieGridDelegate::cellSize().width() * 2 + 40);
    m_grid->setStyleSheet(gridStyle(false));
    m_grid->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_grid->addActions({ m_preferAction, m_earlierAction, m_laterAction, m_deleteAction });

    auto *gridButtons = new QHBoxLayout;
    gridButtons->setSpacing(6);
    gridButtons->addWidget(m_preferButton);
    gridButtons->addWidget(m_earlierButton);
    gridButtons->addWidget(m_laterButton);
    gridButtons->addStretch(1);
    gridButtons->addWidget(m_deleteButton);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(8);
    leftLayout->addWidget(m_grid, 1);
    leftLayout->addLayout(gridButtons);

    // --- Right: the selected selfie.
    m_detailName->setObjectName(QStringLiteral("selfieName"));
    m_detailName->setTextFormat(Qt::PlainText);
    QFont nameFont = m_detailName->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.2);
    nameFont.setBold(true);
    m_detailName->setFont(nameFont);
    m_detailInfo->setObjectName(QStringLiteral("selfieInfo"));
    m_faceHint->setObjectName(QStringLiteral("faceHint"));
    m_faceHint->setWordWrap(true);
    m_faceHint->setTextFormat(Qt::PlainText);
    m_faceHint->setStyleSheet(QStringLiteral("color: #9a6200;"));
    m_checks->setObjectName(QStringLiteral("selfieChecks"));
    m_checks->setWordWrap(true);
    m_checks->setTextFormat(Qt::RichText);
    m_checks->setTextInteractionFlags(Qt::NoTextInteraction);
    m_checks->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    connect(m_detail, &SelfieDetailView::faceChosen, this, [this](int index) { (void)chooseFace(index); });

    auto *right = new QWidget(this);
    right->setObjectName(QStringLiteral("selfieDetailPanel"));
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(16, 0, 0, 0);
    rightLayout->setSpacing(6);
    rightLayout->addWidget(m_detail, 1);
    rightLayout->addSpacing(4);
    rightLayout->addWidget(m_detailName);
    rightLayout->addWidget(m_detailInfo);
    rightLayout->addWidget(m_faceHint);
    rightLayout->addWidget(m_checks);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("selfiesSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 520, 380 });

    auto *noProject = new QLabel(tr("Open or create a project to add your selfies."), this);
    noProject->setObjectName(QStringLiteral("noProjectLabel"));
    noProject->setAlignment(Qt::AlignCenter);
    noProject->setWordWrap(true);
    noProject->setStyleSheet(QuietStyle);

    m_stack->addWidget(noProject);
    m_stack->addWidget(m_dropZone);
    m_stack->addWidget(splitter);

    auto *content = new QVBoxLayout(this);
    content->setContentsMargins(32, 24, 32, 16);
    content->setSpacing(10);
    content->addLayout(header);
    content->addSpacing(4);
    content->addWidget(advicePanel);
    content->addWidget(m_progressRow);
    content->addWidget(m_report);
    content->addWidget(m_stack, 1);
    advicePanel->hide();

    // Keyboard: top to bottom, left to right, starting right after the page so that showing the
    // step (MainWindow focuses the first stop) lands on "Add Photos…". setTabOrder() skips
    // widgets that take no focus, so the picture is ordered while it takes focus.
    m_detail->setFocusPolicy(Qt::StrongFocus);
    QWidget *previous = m_stack;
    for (QWidget *w : std::initializer_list<QWidget *> { m_addButton, m_forgetButton, m_cancelButton,
             m_report->list(), m_report->findChild<QWidget *>(QStringLiteral("closeReportButton")), m_emptyAddButton,
             m_grid, m_preferButton, m_earlierButton, m_laterButton, m_deleteButton, m_detail }) {
        setTabOrder(previous, w);
        previous = w;
    }
    m_detail->setFocusPolicy(Qt::NoFocus);

    connect(m_grid->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        refreshDetail();
        refreshActions();
    });
    connect(m_grid->selectionModel(), &QItemSelectionModel::selectionChanged, this, &SelfiesPage::refreshActions);
    // Enter on a selfie with several faces goes to the picture, where the arrow keys pick a face.
    connect(m_grid, &QListView::activated, this, [this] {
        if (m_detail->focusPolicy() != Qt::NoFocus)
            m_detail->setFocus(Qt::OtherFocusReason);
    });
    connect(m_cache, &SelfieImageCache::largeReady, this, [this](qint64 id) {
        if (id == currentSelfieId())
            refreshDetail();
    });
    connect(m_cache, &SelfieImageCache::analysisReady, this, [this](qint64 id) {
        if (id == currentSelfieId())
            refreshDetail();
        refreshAdvice();
    });

    setProject(nullptr);
}

SelfiesPage::~SelfiesPage()
{
    // The importer's workers finish before the page's members go.
    m_importer.reset();
}

void SelfiesPage::setProject(Project *project)
{
    for (const QMetaObject::Connection &c : std::as_const(m_projectConnections))
        disconnect(c);
    m_projectConnections.clear();
    if (m_importer) {
        m_importer->cancel();
        m_importer.reset();
    }
    m_pendingBatches.clear();
    m_progressRow->hide();
    m_report->clear();
    m_report->hide();

    m_project = project;
    m_cache->setProject(project);
    if (m_project) {
        m_importer = std::make_unique<SelfieImporter>(m_project.data());
        connect(m_importer.get(), &SelfieImporter::progressChanged, this, &SelfiesPage::onProgress);
        connect(m_importer.get(), &SelfieImporter::itemFinished, this, [this](const ImportOutcome &outcome) {
            m_report->addOutcome(outcome);
            if (outcome.status == ImportOutcome::Status::Imported && !m_selectAfterImport)
                m_selectAfterImport = outcome.selfieId;
        });
        connect(m_importer.get(), &SelfieImporter::finished, this, &SelfiesPage::onImportFinished);
        m_projectConnections.append(connect(m_project.data(), &Project::selfiesChanged, this, &SelfiesPage::refresh));
        m_projectConnections.append(
            connect(m_project.data(), &QObject::destroyed, this, [this] { setProject(nullptr); }));
    }
    setEnabled(m_project);
    refresh();
}

// --- Import -----------------------------------------------------------------

void SelfiesPage::addPhotosInteractive()
{
    if (!m_project)
        return;
    QSettings settings;
    QString folder = settings.value(LastFolderKey).toString();
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add Photos of You"), folder, imageFilter());
    if (files.isEmpty())
        return;
    settings.setValue(LastFolderKey, QFileInfo(files.first()).absolutePath());
    (void)importPaths(files);
}

bool SelfiesPage::importPaths(const QStringList &paths)
{
    if (!m_project)
        return false;
    QList<ImportItem> items;
    QList<ImportOutcome> refused;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (info.isDir()) {
            const QStringList files = SelfieImporter::imageFilesIn(info.absoluteFilePath());
            if (files.isEmpty())
                refused.append(failedOutcome(info.fileName(),
                    Error(QStringLiteral("empty_folder"),
                        tr("This folder has no photos in it that can be imported (JPEG, PNG, HEIC, WebP or "
                           "TIFF). Photos in folders inside it are not included."),
                        info.absoluteFilePath())));
            for (const QString &file : files)
                items.append({ QFileInfo(file).fileName(), file, {} });
        } else {
            // Missing and unreadable files get their own line in the report from the importer.
            items.append({ info.fileName(), info.absoluteFilePath(), {} });
        }
    }
    if (items.isEmpty() && !refused.isEmpty() && !isImporting()) {
        m_report->clear();
        for (const ImportOutcome &o : std::as_const(refused))
            m_report->addOutcome(o);
        m_report->show();
        Q_EMIT importFinished();
        return false;
    }
    const bool started = importItems(items);
    for (const ImportOutcome &o : std::as_const(refused))
        m_report->addOutcome(o);
    return started;
}

bool SelfiesPage::importItems(const QList<ImportItem> &items)
{
    if (!m_project || !m_importer || items.isEmpty())
        return false;
    const bool running = isImporting();
    m_pendingBatches.append(items);
    if (running) {
        m_runTotal += int(items.size());
        m_progress->setMaximum(m_runTotal);
        qCInfo(lcUi) << "queued" << items.size() << "photos behind the running import";
        return true;
    }
    // A new run: a new report.
    m_report->clear();
    m_report->hide();
    m_batchOffset = 0;
    m_runTotal = int(items.size());
    m_selectAfterImport = 0;
    m_progress->setRange(0, m_runTotal);
    m_progress->setValue(0);
    m_progressLabel->setText(importingText(m_runTotal));
    m_progressRow->show();
    m_cancelAction->setEnabled(true);
    m_cancelButton->setEnabled(true);
    startNextBatch();
    return true;
}

void SelfiesPage::startNextBatch()
{
    if (!m_importer || m_importer->isRunning() || m_pendingBatches.isEmpty())
        return;
    const QList<ImportItem> batch = m_pendingBatches.takeFirst();
    qCInfo(lcUi) << "importing" << batch.size() << "photos";
    m_importer->start(batch);
}

bool SelfiesPage::isImporting() const
{
    return m_importer && (m_importer->isRunning() || !m_pendingBatches.isEmpty());
}

void SelfiesPage::cancelImport()
{
    if (!isImporting())
        return;
    // Queued batches never started: they appear in the report as skipped.
    for (const QList<ImportItem> &batch : std::as_const(m_pendingBatches)) {
        for (const ImportItem &item : batch) {
            ImportOutcome o;
            o.name = item.name;
            o.status = ImportOutcome::Status::Cancelled;
            m_report->addOutcome(o);
        }
    }
    m_pendingBatches.clear();
    m_importer->cancel();
    m_progressLabel->setText(tr("Cancelling…"));
    m_cancelButton->setEnabled(false);
    m_cancelAction->setEnabled(false);
}

void SelfiesPage::onProgress(int done, int total, const QString &lastName)
{
    Q_UNUSED(total);
    const int overall = m_batchOffset + done;
    m_progress->setValue(overall);
    if (!m_cancelButton->isEnabled())
        return; // keeps saying "Cancelling…"
    if (lastName.isEmpty())
        m_progressLabel->setText(importingText(m_runTotal));
    else
        m_progressLabel->setText(tr("Importing %1 of %2 — %3").arg(overall).arg(m_runTotal).arg(lastName));
}

void SelfiesPage::onImportFinished()
{
    m_batchOffset += m_importer ? m_importer->total() : 0;
    if (!m_pendingBatches.isEmpty()) {
        startNextBatch();
        return;
    }
    m_progressRow->hide();
    m_cancelAction->setEnabled(false);
    m_report->show();
    if (m_selectAfterImport) {
        (void)selectSelfie(m_selectAfterImport);
        m_selectAfterImport = 0;
    }
    qCInfo(lcUi) << "import report:" << m_report->summary();
    Q_EMIT importFinished();
}

bool SelfiesPage::canImport(const QMimeData *mime)
{
    if (!mime)
        return false;
    if (mime->hasUrls()) {
        const QList<QUrl> urls = mime->urls();
        if (std::any_of(urls.cbegin(), urls.cend(), [](const QUrl &u) { return u.isLocalFile(); }))
            return true;
    }
    return mime->hasImage();
}

bool SelfiesPage::importMimeData(const QMimeData *mime, const QString &imageName)
{
    if (!m_project || !mime)
        return false;
    if (mime->hasUrls()) {
        QStringList paths;
        int remote = 0;
        const QList<QUrl> urls = mime->urls();
        for (const QUrl &url : urls) {
            if (url.isLocalFile())
                paths.append(url.toLocalFile());
            else
                ++remote;
        }
        if (!paths.isEmpty()) {
            const bool started = importPaths(paths);
            if (remote > 0)
                m_report->addOutcome(failedOutcome(remote == 1 ? tr("A web link") : tr("%1 web links").arg(remote),
                    Error(QStringLiteral("not_local"),
                        tr("Only photos on this computer can be imported. Save the photo first, then add it."))));
            return started;
        }
    }
    if (mime->hasImage()) {
        const QImage image = qvariant_cast<QImage>(mime->imageData());
        if (image.isNull())
            return false;
        // PNG keeps every pixel of a screenshot or copied photo; the importer makes the clean JPEG.
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        if (!image.save(&buffer, "PNG")) {
            Q_EMIT errorOccurred(Error(QStringLiteral("paste_failed"),
                tr("The picture could not be taken from the clipboard. Save it as a file, then add it.")));
            return false;
        }
        return importItems({ { imageName.isEmpty() ? tr("Pasted image") : imageName, {}, bytes } });
    }
    return false;
}

bool SelfiesPage::pasteFromClipboard()
{
    const QMimeData *mime = QGuiApplication::clipboard()->mimeData();
    if (!canImport(mime))
        return false;
    return importMimeData(mime, tr("Pasted image"));
}

void SelfiesPage::setDropHighlight(bool on)
{
    m_dropZone->setStyleSheet(dropZoneStyle(on));
    m_grid->setStyleSheet(gridStyle(on));
}

void SelfiesPage::dragEnterEvent(QDragEnterEvent *event)
{
    if (m_project && canImport(event->mimeData())) {
        event->acceptProposedAction();
        setDropHighlight(true);
        return;
    }
    event->ignore();
}

void SelfiesPage::dragMoveEvent(QDragMoveEvent *event)
{
    if (m_project && canImport(event->mimeData()))
        event->acceptProposedAction();
    else
        event->ignore();
}

void SelfiesPage::dragLeaveEvent(QDragLeaveEvent *event)
{
    setDropHighlight(false);
    QWidget::dragLeaveEvent(event);
}

void SelfiesPage::dropEvent(QDropEvent *event)
{
    setDropHighlight(false);
    if (!m_project || !canImport(event->mimeData())) {
        event->ignore();
        return;
    }
    event->acceptProposedAction();
    (void)importMimeData(event->mimeData(), tr("Dropped image"));
}

// --- Editing ----------------------------------------------------------------

bool SelfiesPage::commit(const QList<SelfieRecord> &changed, const QString &undoText)
{
    if (!m_project)
        return false;
    const Status st = m_project->setSelfies(changed, undoText);
    if (!st) {
        Q_EMIT errorOccurred(st.error());
        return false;
    }
    return true;
}

int SelfiesPage::currentRow() const
{
    const QModelIndex current = m_grid->currentIndex();
    return current.isValid() ? current.row() : -1;
}

qint64 SelfiesPage::currentSelfieId() const
{
    const int row = currentRow();
    return row >= 0 ? m_model->record(row).id : 0;
}

bool SelfiesPage::selectSelfie(qint64 id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row);
    m_grid->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    m_grid->scrollTo(index);
    return true;
}

QList<qint64> SelfiesPage::selectedIds() const
{
    QList<qint64> ids;
    const QModelIndexList rows = m_grid->selectionModel()->selectedIndexes();
    for (const QModelIndex &index : rows)
        ids.append(m_model->record(index.row()).id);
    if (ids.isEmpty() && currentSelfieId())
        ids.append(currentSelfieId());
    return ids;
}

bool SelfiesPage::deleteSelected()
{
    const QList<qint64> ids = selectedIds();
    if (!m_project || ids.isEmpty())
        return false;
    QList<SelfieRecord> changed;
    int lastRow = -1;
    int firstRow = int(m_model->rowCount());
    for (qint64 id : ids) {
        const int row = m_model->rowOf(id);
        SelfieRecord r = m_model->record(row);
        r.deleted = true;
        changed.append(r);
        lastRow = std::max(lastRow, row);
        firstRow = std::min(firstRow, row);
    }
    // The selection goes to the next selfie that stays, or the one before when the last went.
    qint64 next = 0;
    for (int row = lastRow + 1; row < m_model->rowCount() && !next; ++row) {
        if (!ids.contains(m_model->record(row).id))
            next = m_model->record(row).id;
    }
    for (int row = firstRow - 1; row >= 0 && !next; --row) {
        if (!ids.contains(m_model->record(row).id))
            next = m_model->record(row).id;
    }
    const QString text = changed.size() == 1 ? tr("Delete selfie “%1”").arg(changed.first().originalName)
                                             : tr("Delete %n selfies", nullptr, int(changed.size()));
    if (!commit(changed, text))
        return false;
    if (next)
        (void)selectSelfie(next);
    return true;
}

bool SelfiesPage::moveCurrent(int delta)
{
    const int row = currentRow();
    const int target = row + delta;
    if (!m_project || row < 0 || delta == 0 || target < 0 || target >= m_model->rowCount())
        return false;
    QList<SelfieRecord> live = m_model->selfies();
    // Reuse the positions the live selfies hold, strictly increasing, so deleted ones keep their places for undo.
    QList<int> positions;
    for (const SelfieRecord &r : std::as_const(live))
        positions.append(r.position);
    for (int i = 1; i < positions.size(); ++i)
        positions[i] = std::max(positions.at(i), positions.at(i - 1) + 1);
    live.move(row, target);
    for (int i = 0; i < live.size(); ++i)
        live[i].position = positions.at(i);
    const qint64 id = live.at(target).id;
    if (!commit(live, delta < 0 ? tr("Move selfie earlier") : tr("Move selfie later")))
        return false;
    (void)selectSelfie(id);
    return true;
}

bool SelfiesPage::togglePreferred()
{
    const int row = currentRow();
    if (!m_project || row < 0)
        return false;
    SelfieRecord r = m_model->record(row);
    r.preferred = !r.preferred;
    return commit({ r }, r.preferred ? tr("Prefer selfie “%1”").arg(r.originalName)
                                     : tr("Stop preferring selfie “%1”").arg(r.originalName));
}

bool SelfiesPage::chooseFace(int index)
{
    const int row = currentRow();
    if (!m_project || row < 0)
        return false;
    SelfieRecord r = m_model->record(row);
    const std::optional<SelfieAnalysis> stored = m_cache->storedAnalysis(r);
    if (!stored || index < 0 || index >= stored->faces.size() || index == r.mainFace)
        return false;
    r.mainFace = index;
    return commit({ r }, tr("Choose your face in “%1”").arg(r.originalName));
}

QString SelfiesPage::referenceCacheDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/references");
}

void SelfiesPage::forgetSelfiesInteractive()
{
    if (!m_project)
        return;
    const int count = int(m_project->selfies().size());
    QMessageBox box(QMessageBox::Warning, tr("Forget Selfies"),
        count > 1 ? tr("Forget all %1 selfies of this calendar?").arg(count)
                  : tr("Forget the selfies of this calendar?"),
        QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("forgetSelfiesBox"));
    box.setInformativeText(tr("They are removed from the project file and from this computer's cache for good, "
                              "including the ones you deleted earlier. This cannot be undone, and the Undo "
                              "history of this calendar is cleared. Your original photos are not touched."));
    QPushButton *forget = box.addButton(tr("Forget Selfies"), QMessageBox::DestructiveRole);
    forget->setObjectName(QStringLiteral("confirmForgetButton"));
    QPushButton *cancel = box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(cancel);
    box.setEscapeButton(cancel);
    box.exec();
    if (box.clickedButton() == forget)
        (void)forgetSelfies();
}

bool SelfiesPage::forgetSelfies()
{
    if (!m_project)
        return false;
    if (isImporting()) {
        cancelImport();
        // Cancelled work still reports back; it must not store a photo after the forgetting.
        m_importer->waitForFinished();
    }
    const Status st = m_project->forgetSelfies();
    if (!st) {
        Q_EMIT errorOccurred(Error(st.error().code,
            tr("The selfies could not be removed from the project file. %1").arg(st.error().userMessage),
            st.error().detail));
        return false;
    }
    m_cache->clear();
    m_report->clear();
    m_report->hide();
    refresh();

    const QString cacheDir = referenceCacheDir();
    if (QFileInfo::exists(cacheDir) && !QDir(cacheDir).removeRecursively()) {
        Q_EMIT errorOccurred(Error(QStringLiteral("cache_not_removed"),
            tr("The selfies are gone from the calendar, but some copies made from them could not be deleted from "
               "this computer's cache. Delete the folder shown under Details by hand."),
            QDir::toNativeSeparators(cacheDir)));
        return false;
    }
    qCInfo(lcUi) << "forgot all selfies";
    return true;
}

// --- Showing ----------------------------------------------------------------

void SelfiesPage::refresh()
{
    const qint64 current = currentSelfieId();
    const QList<qint64> selected = m_model->rowCount() ? selectedIds() : QList<qint64>();
    m_model->setSelfies(m_project ? m_project->selfies() : QList<SelfieRecord>());

    if (m_model->rowCount() > 0 && !m_grid->currentIndex().isValid()) {
        // After a reset: put back what was selected, or start at the first selfie.
        QItemSelection selection;
        for (qint64 id : selected) {
            const int row = m_model->rowOf(id);
            if (row >= 0)
                selection.select(m_model->index(row), m_model->index(row));
        }
        const int currentRow = m_model->rowOf(current);
        const QModelIndex index = m_model->index(currentRow >= 0 ? currentRow : 0);
        m_grid->selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
        m_grid->selectionModel()->select(
            selection.isEmpty() ? QItemSelection(index, index) : selection, QItemSelectionModel::ClearAndSelect);
    }

    m_stack->setCurrentIndex(!m_project ? NoProjectPage : (m_model->rowCount() == 0 ? EmptyPage : SelfiesContentPage));
    refreshAdvice();
    refreshDetail();
    refreshActions();
}

void SelfiesPage::refreshActions()
{
    const bool open = m_project;
    const int row = currentRow();
    const bool has = open && row >= 0;
    m_addAction->setEnabled(open);
    m_addButton->setEnabled(open);
    // Selfies deleted in this session are still in the file until it closes: Forget reaches them too.
    m_forgetButton->setEnabled(open && (m_model->rowCount() > 0 || m_project->undoStack()->count() > 0));
    m_deleteAction->setEnabled(has);
    m_earlierAction->setEnabled(has && row > 0);
    m_laterAction->setEnabled(has && row + 1 < m_model->rowCount());
    m_preferAction->setEnabled(has);
    m_cancelAction->setEnabled(isImporting() && m_cancelButton->isEnabled());
    const bool preferred = has && m_model->record(row).preferred;
    m_preferAction->setChecked(preferred);
    m_preferButton->setChecked(preferred);
    m_preferButton->setText(preferred ? tr("★ &Preferred") : tr("☆ &Prefer"));
    m_preferButton->setEnabled(has);
    m_earlierButton->setEnabled(m_earlierAction->isEnabled());
    m_laterButton->setEnabled(m_laterAction->isEnabled());
    m_deleteButton->setEnabled(has);
    const int selected = has ? int(selectedIds().size()) : 0;
    m_deleteButton->setText(selected > 1 ? tr("&Delete %1").arg(selected) : tr("&Delete"));
}

void SelfiesPage::refreshAdvice()
{
    QWidget *panel = m_advice->parentWidget();
    if (!m_project || m_model->rowCount() == 0) {
        panel->hide();
        m_advice->clear();
        m_adviceTips->clear();
        return;
    }
    QList<SelfieAnalysis> analyses;
    int unchecked = 0;
    for (const SelfieRecord &r : m_model->selfies()) {
        if (auto a = m_cache->analysis(r))
            analyses.append(*a);
        else
            ++unchecked;
    }
    const SelfieSetAdvice advice = SelfieAnalyzer::adviseSet(analyses);
    const int count = int(m_model->rowCount());
    const QString selfies = count == 1 ? tr("1 selfie") : tr("%1 selfies").arg(count);
    QString line = advice.usableCount == count ? tr("%1, all usable").arg(selfies)
                                               : tr("%1, %2 usable").arg(selfies).arg(advice.usableCount);
    QStringList tips;
    for (const SelfieCheck &tip : advice.tips)
        tips.append(tip.message);
    if (unchecked > 0)
        tips.append(unchecked == 1 ? tr("1 selfie could not be checked; delete it and import it again.")
                                   : tr("%1 selfies could not be checked; delete and import them again.").arg(unchecked));
    line += tips.isEmpty() ? tr(" — ready for your pictures.") : QStringLiteral(".");
    m_advice->setText(line);
    m_adviceTips->setText(tips.join(QLatin1Char('\n')));
    m_adviceTips->setVisible(!tips.isEmpty());
    const QColor edge = tips.isEmpty() ? GoodColour : AttentionColour;
    panel->setStyleSheet(QStringLiteral("#advicePanel { background: %1; border-left: 4px solid %2; border-radius: 4px; }")
                             .arg(tips.isEmpty() ? QStringLiteral("#eef5ec") : QStringLiteral("#fbf3e4"), edge.name()));
    m_advice->setStyleSheet(QStringLiteral("color: %1;").arg(edge.darker(115).name()));
    panel->setAccessibleName(tr("Advice"));
    panel->setAccessibleDescription(adviceText());
    panel->show();
}

QString SelfiesPage::adviceText() const
{
    if (m_adviceTips->text().isEmpty())
        return m_advice->text();
    return m_advice->text() + QLatin1Char(' ') + m_adviceTips->text().replace(QLatin1Char('\n'), QLatin1Char(' '));
}

void SelfiesPage::refreshDetail()
{
    const int row = currentRow();
    if (!m_project || row < 0) {
        m_detail->clear();
        m_detailName->clear();
        m_detailInfo->clear();
        m_faceHint->hide();
        m_checks->clear();
        return;
    }
    const SelfieRecord &r = m_model->record(row);
    const std::optional<SelfieAnalysis> analysis = m_cache->analysis(r);
    const int faces = analysis ? int(analysis->faces.size()) : 0;
    const int mainFace = faces > 0 ? std::clamp(r.mainFace, 0, faces - 1) : -1;
    m_detail->setSelfie(m_cache->large(r), analysis, mainFace);

    m_detailName->setText(r.originalName);
    QStringList info { tr("%1 × %2 pixels").arg(r.width).arg(r.height) };
    if (r.importedAt.isValid())
        info.append(tr("added %1").arg(QLocale().toString(r.importedAt.toLocalTime().date(), QLocale::ShortFormat)));
    if (r.preferred)
        info.append(tr("preferred"));
    m_detailInfo->setText(info.join(QStringLiteral(" · ")));

    if (faces > 1) {
        m_faceHint->setText(m_cache->isAnalysing(r)
                ? tr("Checking the photo with the face you chose…")
                : tr("Not you? Click your face in the picture, or press Enter on the selfie, then the arrow keys "
                     "and Enter."));
        m_faceHint->show();
    } else {
        m_faceHint->hide();
    }

    // The checks: each problem with its tip, then what is fine in one short line (the room goes to the picture).
    const SelfieBadge badge = SelfieBadge::of(analysis);
    QString html = QStringLiteral("<div style='margin-bottom:3px'><span style='color:%1; font-weight:600'>%2</span></div>")
                       .arg(badge.colour().name(), badge.text.toHtmlEscaped());
    if (analysis) {
        QStringList fine;
        QString problems;
        for (const SelfieCheck &c : analysis->checks) {
            if (c.ok) {
                fine.append(SelfieBadge::okText(c.id, *analysis).toHtmlEscaped());
                continue;
            }
            const bool warning = SelfieBadge::isWarningOnly(c.id);
            problems += QStringLiteral("<tr><td width='18' style='color:%1; font-weight:700'>%2</td><td>%3</td></tr>")
                            .arg((warning ? AttentionColour : ErrorColour).name(),
                                warning ? QStringLiteral("!") : QStringLiteral("✕"), c.message.toHtmlEscaped());
        }
        if (!problems.isEmpty())
            html += QStringLiteral("<table cellspacing='0' cellpadding='1'>") + problems + QStringLiteral("</table>");
        if (!fine.isEmpty())
            html += QStringLiteral("<div style='color:#6f6a62; margin-top:2px'><span style='color:%1; font-weight:700'>✓</span>&nbsp;%2</div>")
                        .arg(GoodColour.name(), fine.join(QStringLiteral(" · ")));
    } else {
        html += QStringLiteral("<div>%1</div>").arg(badge.details.toHtmlEscaped());
    }
    m_checks->setText(html);
    m_checks->setAccessibleName(tr("Checks"));
    m_checks->setAccessibleDescription(badge.description());
}

} // namespace CalStudio
