#pragma once

#include "core/common/result.h"
#include "core/project/jobrecord.h"

#include <QList>
#include <QStringList>

namespace CalStudio {

class ProjectStore;

/// The `job` table of a project: durable queue entries that survive quitting and crashes.
class JobStore {
public:
    explicit JobStore(ProjectStore &store);

    Status add(JobRecord &job); ///< fills id and timestamps
    Status update(const JobRecord &job);
    /// Jobs in one of `states` (all when empty), oldest first.
    [[nodiscard]] Result<QList<JobRecord>> load(const QStringList &states = {}) const;

private:
    ProjectStore &m_store;
};

} // namespace CalStudio
