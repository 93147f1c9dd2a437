#pragma once

#include "core/common/result.h"
#include "core/project/monthentry.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace CalStudio {

/**
 * A named set of thirteen prompts — cover (month 0) and January–December —
 * that fills a calendar in one step.
 *
 * Built-in themes ship as `:/calstudio/themes/<id>.json`; the user's own
 * themes are files of the same format in PromptThemeLibrary's directory.
 * The JSON format (version 1):
 *
 *     { "version": 1, "id": "travel", "name": "Travel", "description": "…",
 *       "defaultStyle": "photorealistic",
 *       "entries": [ { "month": 0, "title": "…", "prompt": "…",
 *                      "style": "photorealistic", "avoid": "…" }, … ] }
 *
 * `version` may be omitted (1). Every other key is required; `style` and
 * `avoid` of an entry may be empty strings. `masterId` and `builtIn` are not
 * part of the file.
 */
struct PromptTheme {
    static constexpr int FormatVersion = 1;
    /// Theme files larger than this are refused before parsing; a real one is ~10 KiB.
    static constexpr qsizetype MaxFileSize = 256 * 1024;
    static constexpr int MaxIdLength = 64;
    static constexpr int MaxNameLength = 60;
    static constexpr int MaxDescriptionLength = 300;

    QString id; ///< lowercase letters, digits and hyphens; also the file name
    QString name; ///< display name
    QString description; ///< one or two sentences for the theme picker
    QString defaultStyle; ///< StylePreset id used when an entry has none
    QList<MonthEntry> entries; ///< exactly 13, sorted by month 0–12
    bool builtIn = false; ///< shipped with the app (cannot be replaced or removed)

    /**
     * Parses and validates a theme file. Errors (codes): `theme_too_large`,
     * `theme_malformed` (not JSON / not an object), `theme_newer_version`,
     * `theme_missing_field`, `theme_invalid_field` (wrong type),
     * `theme_invalid_id`, `theme_invalid_name`, `theme_invalid_month`,
     * `theme_entry_count`, `theme_duplicate_month`, `theme_empty_prompt`,
     * `theme_prompt_too_long`, `theme_title_too_long`, `theme_avoid_too_long`,
     * `theme_unknown_style`.
     */
    [[nodiscard]] static Result<PromptTheme> fromJson(const QByteArray &json);

    /// The file form (indented UTF-8 JSON, entries sorted by month).
    [[nodiscard]] QByteArray toJson() const;

    /// The checks of fromJson() that apply to an already-built value.
    [[nodiscard]] Status validate() const;

    /// The entry of `month` (0–12), if present.
    [[nodiscard]] std::optional<MonthEntry> entry(int month) const;

    /**
     * `current` pages with this theme's title, scene, style (the theme's
     * default where a page has none) and "avoid" text; everything else —
     * the chosen picture above all — stays. Pages the theme lacks are left out.
     */
    [[nodiscard]] QList<MonthEntry> appliedTo(const QList<MonthEntry> &current) const;

    /// True for a non-empty id of [a-z0-9-], not starting or ending with '-'.
    [[nodiscard]] static bool isValidId(const QString &id);

    friend bool operator==(const PromptTheme &, const PromptTheme &) = default;
};

} // namespace CalStudio
