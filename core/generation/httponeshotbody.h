#pragma once

#include <QByteArray>
#include <QIODevice>

namespace CalStudio {

/**
 * A request body that can be read exactly once (a sequential QIODevice).
 *
 * Why: when a server closes the connection before any answer byte,
 * QNetworkAccessManager silently re-sends the request (up to twice) if it
 * can rewind the body. For image generation that means a second, billed
 * generation of the same image. Posted with DoNotBufferUploadDataAttribute,
 * this body cannot be rewound, so QNAM reports ContentReSendError instead,
 * which HttpImageProvider maps to ResponseLost. Measured with the sandbox's
 * "drop" fault: with a QByteArray body the fake saw the POST twice.
 */
class HttpOneShotBody : public QIODevice {
    Q_OBJECT
public:
    explicit HttpOneShotBody(QByteArray data, QObject *parent = nullptr);

    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override;
    /// Total body size, for the Content-Length header.
    [[nodiscard]] qint64 totalSize() const { return m_data.size(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    QByteArray m_data;
    qint64 m_position = 0;
};

} // namespace CalStudio
