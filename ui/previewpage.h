#pragma once

#include "core/common/error.h"

#include <QDialog>
#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QQuickWidget;
class QTabBar;

namespace CalStudio {

class CropEditorModel;
class PagePreviewModel;
class Project;

/**
 * The Preview step: every page as it will print, per print format.
 *
 * A tab per format (the built-in ones; the tab says how many pages need
 * attention), and below it the QML view (FormatPreview.qml on a
 * PagePreviewModel): the cover and twelve months composed with the real
 * calendar grid and the picture cut by each page's crop, a warning badge
 * per page, and the selected page large with its warnings. Pages are made
 * off the UI thread; placeholders stand in meanwhile.
 *
 * "Edit Crop…" (the button, a double-click or Enter on a page) opens the
 * crop editor (CropEditor.qml on a CropEditorModel) for the selected page
 * in the current format, in a window-modal dialog. OK stores the crop in
 * the project as an undo step; the page follows through
 * Project::cropsChanged, at once from the master's reduced copy.
 */
class PreviewPage : public QWidget {
    Q_OBJECT
public:
    explicit PreviewPage(QWidget *parent = nullptr);
    ~PreviewPage() override;

    void setProject(Project *project);
    [[nodiscard]] PagePreviewModel *model() const { return m_model; }

    /**
     * Opens the crop editor for `page` (calendar order: 0 cover, 1–12) of
     * the current format and returns its model (the dialog is open when this
     * returns; it closes on OK or Cancel). Nullptr when the page has no
     * picture yet or its plan is still being made.
     */
    CropEditorModel *editCrop(int page);

    /**
     * Exports the current format as a print PDF to `path` (trim + bleed pages,
     * optional crop marks) on a worker, with a progress dialog that can cancel.
     * Returns at once; exportFinished() follows. An empty `path` asks with a
     * file dialog.
     */
    void exportPdf(const QString &path = {}, bool cropMarks = false);
    /// The open crop editor's model and dialog, or nullptr.
    [[nodiscard]] CropEditorModel *cropEditor() const { return m_editorDialog ? m_editor : nullptr; }
    [[nodiscard]] QDialog *cropEditorDialog() const { return m_editorDialog; }

    // Controls, for the window's tests.
    [[nodiscard]] QTabBar *formatTabs() const { return m_tabs; }
    [[nodiscard]] QPushButton *editCropButton() const { return m_editButton; }
    [[nodiscard]] QPushButton *exportPdfButton() const { return m_exportButton; }
    [[nodiscard]] QQuickWidget *view() const { return m_view; }

Q_SIGNALS:
    void errorOccurred(const CalStudio::Error &error);
    /// A PDF export ended: `path` is empty when it failed or was cancelled.
    void exportFinished(const QString &path, const QString &summary);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void updateTabs();
    void updateEditButton();

    PagePreviewModel *m_model;
    QPointer<Project> m_project;
    QTabBar *m_tabs;
    QPushButton *m_editButton;
    QPushButton *m_exportButton;
    bool m_exporting = false;
    QLabel *m_status;
    QQuickWidget *m_view;
    QPointer<QDialog> m_editorDialog;
    CropEditorModel *m_editor = nullptr; ///< a child of m_editorDialog
};

} // namespace CalStudio
