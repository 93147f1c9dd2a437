#include "core/companion/httpexchange.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QIODevice>
#include <QNetworkAccessManager>
#include <QTimer>

#include <cmath>
#include <cstring>
#include <memory>

namespace CalStudio {

namespace {

/// A request body that can be read exactly once (see HttpExchange::Body::OneShot).
class OneShotBody : public QIODevice {
public:
    explicit OneShotBody(QByteArray data)
        : m_data(std::move(data))
    {
        open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    }

    [[nodiscard]] bool isSequential() const override { return false; }
    [[nodiscard]] qint64 size() const override { return m_data.size(); }
    bool seek(qint64 position) override
    {
        if (m_read && position != pos())
            return false; // no rewinding once sent
        return QIODevice::seek(position);
    }
    bool reset() override { return seek(0); }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        m_read = true;
        const qint64 count = std::min<qint64>(maxSize, m_data.size() - pos());
        if (count <= 0)
            return 0;
        std::memcpy(data, m_data.constData() + pos(), size_t(count));
        return count;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    bool m_read = false;
};

} // namespace

QByteArray HttpExchange::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

HttpExchange HttpExchange::run(const QNetworkRequest &request, const QByteArray &method, const QByteArray &payload,
    Body body, std::chrono::milliseconds timeout)
{
    QNetworkAccessManager manager;
    OneShotBody device(payload); // outlives the reply (declared before it)
    std::unique_ptr<QNetworkReply> reply;
    if (body == Body::OneShot) {
        reply.reset(method == "POST" ? manager.post(request, &device)
                : method == "PUT"    ? manager.put(request, &device)
                                     : manager.sendCustomRequest(request, method, &device));
    } else if (body == Body::Rewindable) {
        reply.reset(method == "POST" ? manager.post(request, payload)
                : method == "PUT"    ? manager.put(request, payload)
                                     : manager.sendCustomRequest(request, method, payload));
    } else if (method == "GET") {
        reply.reset(manager.get(request));
    } else {
        reply.reset(manager.sendCustomRequest(request, method));
    }
    HttpExchange exchange;
    if (!reply->isFinished()) {
        QEventLoop loop;
        QTimer deadline;
        deadline.setSingleShot(true);
        QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QObject::connect(&deadline, &QTimer::timeout, &loop, [&] {
            exchange.timedOut = true;
            reply->abort(); // emits finished() → quit
            loop.quit();
        });
        deadline.start(timeout);
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    }
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QNetworkReply::NetworkError error = reply->error();
    if (exchange.timedOut || !status.isValid() || (error != QNetworkReply::NoError && error < QNetworkReply::ContentAccessDenied)) {
        exchange.transportFailed = true;
        exchange.neverSent = !exchange.timedOut
            && (error == QNetworkReply::ConnectionRefusedError || error == QNetworkReply::HostNotFoundError);
        exchange.transportError = exchange.timedOut ? QStringLiteral("no answer within %1 ms").arg(timeout.count())
            : error == QNetworkReply::ContentReSendError ? QStringLiteral("connection closed without an answer")
                                                         : reply->errorString();
        return exchange;
    }
    exchange.status = status.toInt();
    exchange.body = reply->readAll();
    exchange.headers = reply->rawHeaderPairs();
    return exchange;
}

QByteArray HttpExchange::userAgent(const QString &version)
{
    QString v = version;
    if (v.isEmpty() && QCoreApplication::instance())
        v = QCoreApplication::applicationVersion();
    if (v.isEmpty())
        v = QStringLiteral("0");
    return "calstudio-companion/" + v.toUtf8();
}

QUrl HttpExchange::endpoint(const QUrl &base, const QString &path)
{
    QUrl url = base;
    QString prefix = url.path();
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    if (prefix.endsWith(QLatin1String("/v1")) && path.startsWith(QLatin1String("/v1/")))
        prefix.chop(3);
    const qsizetype question = path.indexOf(QLatin1Char('?'));
    url.setPath(prefix + path.left(question));
    url.setQuery(question < 0 ? QString() : path.mid(question + 1));
    return url;
}

std::chrono::milliseconds HttpExchange::retryAfter(const QByteArray &value)
{
    using std::chrono::milliseconds;
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return milliseconds(0);
    bool ok = false;
    const double seconds = trimmed.toDouble(&ok);
    if (ok)
        return milliseconds(std::max<qint64>(0, qint64(std::llround(std::min(seconds, 1e9) * 1000))));
    const QDateTime when = QDateTime::fromString(QString::fromLatin1(trimmed), Qt::RFC2822Date);
    if (when.isValid())
        return milliseconds(std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(when)));
    return milliseconds(0);
}

} // namespace CalStudio
