#pragma once

#include "core/imaging/selfieanalysis.h"

#include <QColor>
#include <QString>

#include <optional>

namespace CalStudio {

/**
 * The verdict the Selfies page shows on a selfie: a colour, one or two words
 * and the messages behind them. Green "Good" when every check passed; amber
 * when the selfie is usable but worth a look (several faces, low
 * resolution); red when generation would not use it (no face, face too
 * small, blurry, too dark or too bright). Pure function of the analysis.
 */
struct SelfieBadge {
    enum class Level { Good, Warning, Problem, Unknown };

    Level level = Level::Unknown;
    QString text; ///< "Good", "Blurry", "Several faces", …
    QString details; ///< the failed checks' messages (the tips), one a line; the confirmation when good

    [[nodiscard]] QColor colour() const;
    /// Text for screen readers and tooltips: the badge and its details.
    [[nodiscard]] QString description() const;

    /// The badge of `analysis`; Unknown when the selfie has not been checked (analysis missing).
    static SelfieBadge of(const std::optional<SelfieAnalysis> &analysis);
    /// A short name for the check `id` failing ("Blurry").
    static QString shortText(const QString &checkId);
    /// A few words for the check `id` passing ("Sharp", "Your face picked").
    static QString okText(const QString &checkId, const SelfieAnalysis &analysis);
    /// Whether a failed check `id` only warns (the selfie is still usable).
    static bool isWarningOnly(const QString &checkId);
};

} // namespace CalStudio
