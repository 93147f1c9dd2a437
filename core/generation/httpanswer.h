#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace CalStudio {

/// A complete HTTP answer (any status) handed from the network thread to a provider's interpreter.
struct HttpAnswer {
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    /// Case-insensitive header lookup.
    [[nodiscard]] QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
};

} // namespace CalStudio
