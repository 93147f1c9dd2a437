#pragma once

#include <QSettings>
#include <QStringList>

namespace CalStudio {

/**
 * The list of recently used project files, newest first, kept in QSettings
 * (paths only; never secrets). Entries whose file is gone are dropped when
 * the list is read.
 */
class RecentProjects {
public:
    static constexpr int MaxEntries = 10;

    /// Uses the application's default QSettings unless a settings object is given.
    explicit RecentProjects(QSettings *settings = nullptr);

    [[nodiscard]] QStringList paths() const;
    void add(const QString &path);
    void remove(const QString &path);
    void clear();

private:
    QSettings *settings() const;
    void write(const QStringList &paths);

    QSettings *m_settings;
    mutable QSettings m_default;
};

} // namespace CalStudio
