#pragma once

#include <QUndoCommand>

#include <functional>

namespace CalStudio {

/**
 * Undoable replacement of a small collection (personal dates, holidays
 * switched off): keeps the whole value before and after, and calls `apply`
 * with one or the other. The collections are tens of entries, so keeping
 * copies is cheaper than diffing and cannot go out of step.
 */
template<typename T>
class ReplaceCommand : public QUndoCommand {
public:
    ReplaceCommand(std::function<void(const T &)> apply, T before, T after, const QString &text)
        : QUndoCommand(text)
        , m_apply(std::move(apply))
        , m_before(std::move(before))
        , m_after(std::move(after))
    {
    }
    void undo() override { m_apply(m_before); }
    void redo() override { m_apply(m_after); }

private:
    std::function<void(const T &)> m_apply;
    T m_before;
    T m_after;
};

} // namespace CalStudio
