#include "core/project/monthcommand.h"

#include "core/project/project.h"

namespace CalStudio {

MonthCommand::MonthCommand(Project *project, MonthEntry before, MonthEntry after, const QString &text)
    : QUndoCommand(text)
    , m_project(project)
    , m_before(std::move(before))
    , m_after(std::move(after))
{
}

void MonthCommand::undo()
{
    m_project->applyMonth(m_before);
}

void MonthCommand::redo()
{
    m_project->applyMonth(m_after);
}

int MonthCommand::id() const
{
    return 0x307000 + m_after.month;
}

bool MonthCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const MonthCommand *>(other);
    if (o->m_after.month != m_after.month || o->text() != text())
        return false;
    m_after = o->m_after;
    setObsolete(m_after.sameContent(m_before));
    return true;
}

} // namespace CalStudio
