#pragma once

#include <QDebug>
#include <QString>

namespace CalStudio {

/**
 * A failure that core reports to its callers.
 *
 * `code` is stable and machine-readable (tests and the CLI's JSON use it);
 * `userMessage` is one or two plain sentences for a non-programmer that say
 * what happened and what to do next; `detail` carries technical context
 * (driver text, paths) for logs and "Details…" views. None of the three may
 * contain secrets.
 */
struct Error {
    QString code;
    QString userMessage;
    QString detail;

    Error() = default;
    Error(QString code_, QString userMessage_, QString detail_ = {})
        : code(std::move(code_))
        , userMessage(std::move(userMessage_))
        , detail(std::move(detail_))
    {
    }

    [[nodiscard]] bool isNull() const { return code.isEmpty(); }
    /// The user message followed by the detail, for logs and the CLI.
    [[nodiscard]] QString toString() const;
};

QDebug operator<<(QDebug dbg, const Error &error);

} // namespace CalStudio
