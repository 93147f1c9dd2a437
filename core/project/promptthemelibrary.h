#pragma once

#include "core/common/result.h"
#include "core/project/monthentry.h"
#include "core/project/prompttheme.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace CalStudio {

/**
 * The prompt themes a person can choose from: the built-in ones compiled
 * into the app, then their own, saved as `<id>.json` in a directory of
 * their choice (the studio passes AppDataLocation + "/themes").
 *
 * The user directory is read when the library is constructed and on
 * reload(). A file that cannot be used (damaged, wrong format, an id that a
 * built-in theme already has) is skipped and reported in problems(); it
 * never stops the other themes from loading and is never modified.
 *
 * Not thread-safe; use one instance per thread.
 */
class PromptThemeLibrary {
public:
    /// Reads the built-in themes and the user's themes in `userDirectory`
    /// (which need not exist yet; saveUserTheme() creates it).
    explicit PromptThemeLibrary(QString userDirectory);

    [[nodiscard]] QString userDirectory() const { return m_userDirectory; }

    /// Built-in themes first, then the user's, each group sorted by name.
    [[nodiscard]] QList<PromptTheme> themes() const;

    /// The theme with `id`, built-in or the user's.
    [[nodiscard]] std::optional<PromptTheme> find(const QString &id) const;

    /// The user theme called `name` (case-insensitive, surrounding spaces ignored).
    [[nodiscard]] std::optional<PromptTheme> findUserTheme(const QString &name) const;

    /// What went wrong while loading, one Error per skipped file (detail: its path).
    [[nodiscard]] QList<Error> problems() const { return m_problems; }

    /// Reads the user directory again (after another process or window changed it).
    void reload();

    /**
     * Saves the 13 `entries` (cover and January–December) as a user theme
     * called `name`, written atomically so a crash never leaves half a file.
     * A user theme of the same name is replaced; a new one gets an id made
     * from the name (unique among all themes). A built-in theme's name is
     * refused (`theme_builtin`), as are entries that fail
     * PromptTheme::validate() (its codes). Write failures: `theme_save_failed`.
     */
    Status saveUserTheme(const QString &name, const QList<MonthEntry> &entries);

    /// Deletes the user theme `id`. Built-in themes cannot be removed
    /// (`theme_builtin`); an unknown id is `theme_not_found`.
    Status removeUserTheme(const QString &id);

    /**
     * A different scene for page `month` (0–12), picked from every theme's
     * prompt for that page that differs from `currentPrompt` (ignoring
     * surrounding and repeated whitespace). The same seed on the same library
     * gives the same pick, so "Suggest another" can step through seeds.
     * The returned entry has `month` set and `masterId` 0; its prompt is
     * empty when the month is out of range or nothing different exists.
     */
    [[nodiscard]] MonthEntry suggest(int month, const QString &currentPrompt, quint32 seed) const;

    /// An id made from a display name: lowercase ASCII letters, digits and
    /// hyphens, accents folded ("Été à Nice" → "ete-a-nice"); names without
    /// such characters get "theme-" plus a short hash of the name. Stable.
    [[nodiscard]] static QString idForName(const QString &name);

private:
    void loadUserThemes();
    [[nodiscard]] bool idTaken(const QString &id) const;

    QString m_userDirectory;
    QList<PromptTheme> m_builtIn;
    QList<PromptTheme> m_user;
    QHash<QString, QString> m_userFiles; ///< user theme id → file path
    QList<Error> m_problems;
    QList<Error> m_builtInProblems;
};

} // namespace CalStudio
