#include "core/generation/httponeshotbody.h"

#include <cstring>

namespace CalStudio {

HttpOneShotBody::HttpOneShotBody(QByteArray data, QObject *parent)
    : QIODevice(parent)
    , m_data(std::move(data))
{
    open(QIODevice::ReadOnly);
}

qint64 HttpOneShotBody::bytesAvailable() const
{
    return m_data.size() - m_position + QIODevice::bytesAvailable();
}

qint64 HttpOneShotBody::readData(char *data, qint64 maxSize)
{
    const qint64 count = qMin(maxSize, qint64(m_data.size()) - m_position);
    if (count <= 0)
        return -1; // end of body
    std::memcpy(data, m_data.constData() + m_position, size_t(count));
    m_position += count;
    if (m_position == m_data.size())
        m_data = QByteArray(); // sent: do not keep a second copy of up to 20 MB of references
    return count;
}

qint64 HttpOneShotBody::writeData(const char *, qint64)
{
    return -1;
}

} // namespace CalStudio
