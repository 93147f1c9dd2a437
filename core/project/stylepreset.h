#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace CalStudio {

/**
 * A visual style a month's picture can be generated in ("watercolor",
 * "cinematic", …), read from the built-in resource `:/calstudio/styles.json`.
 *
 * A generation request appends `promptSuffix` to the month's scene, so the
 * scene says *what* happens and the preset says *how it looks*. The ids are
 * stored in project files and themes; they never change once shipped.
 */
struct StylePreset {
    QString id; ///< stable id, e.g. "oil-painting"
    QString name; ///< display name, e.g. "Oil painting"
    QString description; ///< one line for the style picker
    QString promptSuffix; ///< style instructions appended to the scene prompt

    /// Every built-in preset in the order the style picker shows them. Parsed
    /// once per process; empty only if the resource is missing (a build error,
    /// logged as critical).
    [[nodiscard]] static const QList<StylePreset> &all();

    /// The preset with `id` (exact, case-sensitive), or nothing.
    [[nodiscard]] static std::optional<StylePreset> find(const QString &id);

    friend bool operator==(const StylePreset &, const StylePreset &) = default;
};

} // namespace CalStudio
