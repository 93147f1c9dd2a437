#pragma once

#include "core/project/monthentry.h"

#include <QUndoCommand>

namespace CalStudio {

class Project;

/**
 * Undoable change of one calendar page's words (title, prompt, style,
 * avoid). Consecutive edits of the same page merge. The chosen master is
 * not part of it: Project::applyMonth keeps the month's current master, so
 * undoing a prompt edit never brings back an old picture.
 */
class MonthCommand : public QUndoCommand {
public:
    MonthCommand(Project *project, MonthEntry before, MonthEntry after, const QString &text);

    void undo() override;
    void redo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    Project *m_project;
    MonthEntry m_before;
    MonthEntry m_after;
};

} // namespace CalStudio
