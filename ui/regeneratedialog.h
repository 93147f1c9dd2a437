#pragma once

#include "core/project/monthentry.h"

#include <QDialog>

class QPlainTextEdit;
class QSpinBox;

namespace CalStudio {

/**
 * Regenerate one month: its scene prompt to edit before sending (a refused
 * prompt is reworded here) and how many new pictures to make. An edited
 * prompt is saved to the project as an undoable prompt edit.
 */
class RegenerateDialog : public QDialog {
    Q_OBJECT
public:
    RegenerateDialog(const MonthEntry &entry, const QString &pageName, int candidates, QWidget *parent = nullptr);

    [[nodiscard]] QString prompt() const;
    [[nodiscard]] int candidates() const;
    [[nodiscard]] QPlainTextEdit *promptEdit() const { return m_prompt; }

private:
    QPlainTextEdit *m_prompt;
    QSpinBox *m_candidates;
};

} // namespace CalStudio
