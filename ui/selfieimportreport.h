#pragma once

#include "core/project/selfieimporter.h"

#include <QFrame>

class QLabel;
class QToolButton;
class QTreeWidget;

namespace CalStudio {

/**
 * The report of the last import, shown in the Selfies page (not modal): one
 * line per file with its result — imported, imported with warnings, already
 * in the project, failed with the plain reason, or not imported because the
 * import was cancelled — under a one-line summary. Esc or the close button
 * hides it.
 */
class SelfieImportReport : public QFrame {
    Q_OBJECT
public:
    enum Column { NameColumn, ResultColumn, DetailsColumn };

    explicit SelfieImportReport(QWidget *parent = nullptr);

    /// Starts a new report (the lines of the previous one go).
    void clear();
    /// Adds the line of one file.
    void addOutcome(const CalStudio::ImportOutcome &outcome);
    [[nodiscard]] const QList<ImportOutcome> &outcomes() const { return m_outcomes; }
    /// "4 imported, 1 already in the project, 2 could not be imported."
    [[nodiscard]] QString summary() const;
    [[nodiscard]] QTreeWidget *list() const { return m_list; }

    /// The words the report uses for a result ("Imported", "Already in the project", …).
    static QString statusText(const CalStudio::ImportOutcome &outcome);

Q_SIGNALS:
    void closed();

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void updateSummary();

    QList<ImportOutcome> m_outcomes;
    QLabel *m_summary;
    QTreeWidget *m_list;
    QToolButton *m_closeButton;
};

} // namespace CalStudio
