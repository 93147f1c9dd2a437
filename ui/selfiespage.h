#pragma once

#include "core/common/error.h"
#include "core/project/selfieimporter.h"

#include <QPointer>
#include <QWidget>

#include <memory>

class QAction;
class QLabel;
class QListView;
class QMimeData;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace CalStudio {

class Project;
class SelfieDetailView;
class SelfieGridModel;
class SelfieImageCache;
class SelfieImportReport;

/**
 * The "Selfies" step: the photos of the person that the pictures are made
 * from.
 *
 * Photos come in through "Add Photos…", drops of files and folders, and the
 * clipboard; SelfieImporter does the work off the UI thread while a progress
 * row (with Cancel) shows where it is, and an import report lists every file
 * with its result when it is done. The grid shows each selfie with a badge
 * from its checks; the large view shows the selected one with its faces, the
 * checks and their tips, and lets the person say which face is theirs. Delete,
 * reorder, prefer and the face choice go through Project::setSelfies(), so
 * each is one undo step. "Forget Selfies…" removes them from the project file
 * (and the reference cache) for good, after asking.
 *
 * Failures the person must see are reported through errorOccurred() for the
 * window's banner; a file that cannot be imported is only a line in the report.
 */
class SelfiesPage : public QWidget {
    Q_OBJECT
public:
    explicit SelfiesPage(QWidget *parent = nullptr);
    ~SelfiesPage() override;

    /// Shows and edits `project`; nullptr empties and disables the page (a running import is cancelled).
    void setProject(CalStudio::Project *project);
    [[nodiscard]] Project *project() const { return m_project; }

    /// Opens the file dialog ("Add Photos…", Ctrl+I); the chosen files go to importPaths().
    void addPhotosInteractive();
    /**
     * Imports files and folders (a folder gives the images directly in it).
     * Returns false when there is nothing to import or no project. While an
     * import runs, the new files are queued behind it.
     */
    bool importPaths(const QStringList &paths);
    /// Imports prepared items (files or bytes); see importPaths().
    bool importItems(const QList<CalStudio::ImportItem> &items);
    /// Whether `mime` holds something importMimeData() can import: local files or folders, or an image.
    [[nodiscard]] static bool canImport(const QMimeData *mime);
    /// Imports what a drop or the clipboard holds: local files and folders, else image data (as PNG).
    bool importMimeData(const QMimeData *mime, const QString &imageName = {});
    /// Imports the clipboard's image or files (Edit ▸ Paste Photos, Ctrl+V). Returns false if it holds neither.
    bool pasteFromClipboard();
    [[nodiscard]] bool isImporting() const;
    void cancelImport();

    /// Deletes the selected selfies as one undo step; the selection moves to a neighbour.
    bool deleteSelected();
    /// Moves the current selfie `delta` places (−1 earlier, +1 later) as one undo step.
    bool moveCurrent(int delta);
    /// Marks or unmarks the current selfie as preferred, as one undo step.
    bool togglePreferred();
    /// Records face `index` of the current selfie as the person's, as one undo step.
    bool chooseFace(int index);
    /// Asks, then calls forgetSelfies().
    void forgetSelfiesInteractive();
    /// Removes every selfie from the project file and deletes the reference cache. Not undoable.
    bool forgetSelfies();
    /// Where generation caches references made from the selfies: CacheLocation + "/references".
    [[nodiscard]] static QString referenceCacheDir();

    /// The selected selfie, 0 when none.
    [[nodiscard]] qint64 currentSelfieId() const;
    /// Selects the selfie `id`; returns false when it is not shown.
    bool selectSelfie(qint64 id);

    [[nodiscard]] SelfieGridModel *model() const { return m_model; }
    [[nodiscard]] QListView *grid() const { return m_grid; }
    [[nodiscard]] SelfieDetailView *detailView() const { return m_detail; }
    [[nodiscard]] SelfieImportReport *importReport() const { return m_report; }
    [[nodiscard]] SelfieImageCache *imageCache() const { return m_cache; }
    /// The summary line of the set advice ("6 selfies, 5 usable — …").
    [[nodiscard]] QString adviceText() const;

Q_SIGNALS:
    void errorOccurred(const CalStudio::Error &error);
    /// A batch (with what was queued behind it) finished; the report lists its files.
    void importFinished();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void refresh();
    void refreshDetail();
    void refreshAdvice();
    void refreshActions();
    void startNextBatch();
    void onProgress(int done, int total, const QString &lastName);
    void onImportFinished();
    void setDropHighlight(bool on);
    bool commit(const QList<SelfieRecord> &changed, const QString &undoText);
    [[nodiscard]] QList<qint64> selectedIds() const;
    [[nodiscard]] int currentRow() const;

    QPointer<Project> m_project;
    QList<QMetaObject::Connection> m_projectConnections;
    std::unique_ptr<SelfieImporter> m_importer;
    QList<QList<ImportItem>> m_pendingBatches;
    int m_batchOffset = 0; ///< files of earlier batches in this run, for "Importing 23 of 30"
    int m_runTotal = 0; ///< files of all batches of this run
    qint64 m_selectAfterImport = 0;

    SelfieImageCache *m_cache;
    SelfieGridModel *m_model;

    QStackedWidget *m_stack; ///< no project | empty drop zone | selfies
    QLabel *m_advice;
    QLabel *m_adviceTips;
    QWidget *m_progressRow;
    QProgressBar *m_progress;
    QLabel *m_progressLabel;
    QPushButton *m_cancelButton;
    SelfieImportReport *m_report;
    QWidget *m_dropZone;
    QListView *m_grid;
    SelfieDetailView *m_detail;
    QLabel *m_detailName;
    QLabel *m_detailInfo;
    QLabel *m_faceHint;
    QLabel *m_checks;

    QPushButton *m_addButton;
    QPushButton *m_emptyAddButton;
    QPushButton *m_forgetButton;
    QPushButton *m_preferButton;
    QPushButton *m_earlierButton;
    QPushButton *m_laterButton;
    QPushButton *m_deleteButton;
    QAction *m_addAction;
    QAction *m_deleteAction;
    QAction *m_earlierAction;
    QAction *m_laterAction;
    QAction *m_preferAction;
    QAction *m_cancelAction;
};

} // namespace CalStudio
