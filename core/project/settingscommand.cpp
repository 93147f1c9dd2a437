#include "core/project/settingscommand.h"

#include "core/project/project.h"

namespace CalStudio {

namespace {
// Undo command ids are shared by every command type in the stack; keep ours apart.
constexpr int SettingsIdBase = 0x5E7000;
} // namespace

SettingsCommand::SettingsCommand(Project *project, ProjectSettings before, ProjectSettings after, Field field,
                                 const QString &text)
    : QUndoCommand(text)
    , m_project(project)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_field(field)
{
}

void SettingsCommand::undo()
{
    m_project->applySettings(m_before);
}

void SettingsCommand::redo()
{
    m_project->applySettings(m_after);
}

int SettingsCommand::id() const
{
    // Only free text merges; every pick from a list is its own step.
    return m_field == Title ? SettingsIdBase + m_field : -1;
}

bool SettingsCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const SettingsCommand *>(other);
    if (o->m_field != m_field)
        return false;
    m_after = o->m_after;
    setObsolete(m_after.sameContent(m_before));
    return true;
}

} // namespace CalStudio
