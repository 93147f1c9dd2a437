#pragma once

#include "core/project/projectsettings.h"

#include <QUndoCommand>

namespace CalStudio {

class Project;

/**
 * Undoable change of the project settings. Consecutive changes of the same
 * field merge (typing a title is one undo step).
 */
class SettingsCommand : public QUndoCommand {
public:
    enum Field {
        Title = 1,
        Year,
        StartMonth,
        WeekStartField,
        Locale,
        HolidayRegion,
        PageLayoutField,
        PageThemeField,
        WeekNumbersField,
        NotesLineField,
        SpendCapField,
    };

    SettingsCommand(Project *project, ProjectSettings before, ProjectSettings after, Field field,
                    const QString &text);

    void undo() override;
    void redo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    Project *m_project;
    ProjectSettings m_before;
    ProjectSettings m_after;
    Field m_field;
};

} // namespace CalStudio
