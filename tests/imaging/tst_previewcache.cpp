#include "core/imaging/imagedecoder.h"
#include "core/imaging/previewcache.h"

#include <QColorSpace>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <thread>

using namespace CalStudio;

namespace {

/// Why a result failed, for QVERIFY2 (which evaluates its message even on success).
template<typename T>
QByteArray why(const Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().toString().toUtf8();
}

QByteArray makeMaster()
{
    QImage image(800, 600, QImage::Format_RGB888);
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            image.setPixelColor(x, y, QColor(x % 256, y % 256, (x + y) % 256));
    image.setColorSpace(QColorSpace::SRgb);
    auto png = ImageDecoder::encodeImage(image, true);
    if (!png)
        qFatal("cannot encode test master");
    return *png;
}

PreviewRequest baseRequest()
{
    PreviewRequest r;
    r.masterHash = QByteArrayLiteral("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    r.crop = QRect(100, 0, 400, 600);
    r.size = QSize(200, 300);
    r.formatId = QStringLiteral("wall-portrait/3");
    return r;
}

/// A loader that counts its calls.
struct CountingLoader {
    QByteArray bytes;
    std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);
    int delayMs = 0;

    PreviewCache::MasterLoader loader() const
    {
        return [bytes = bytes, calls = calls, delay = delayMs]() -> Result<QByteArray> {
            ++*calls;
            if (delay > 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(delay));
            return bytes;
        };
    }
    int count() const { return calls->load(); }
};

void setAge(const QString &path, int secondsAgo)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-secondsAgo), QFileDevice::FileModificationTime));
}

} // namespace

class TestPreviewCache : public QObject {
    Q_OBJECT

private:
    QByteArray m_master;

private Q_SLOTS:
    void initTestCase() { m_master = makeMaster(); }

    void missThenHit()
    {
        QTemporaryDir dir;
        PreviewCache cache(dir.filePath(QStringLiteral("previews")));
        CountingLoader master { m_master };

        auto first = cache.get(baseRequest(), master.loader());
        QVERIFY2(first.ok(), why(first).constData());
        QVERIFY(!first->fromCache);
        QCOMPARE(master.count(), 1);
        QCOMPARE(first->key, PreviewCache::key(baseRequest()));
        QCOMPARE(first->path, cache.path(first->key));
        QVERIFY(QFileInfo::exists(first->path));
        const QImage image = QImage::fromData(first->bytes, "JPEG");
        QCOMPARE(image.size(), QSize(200, 300));

        auto second = cache.get(baseRequest(), master.loader());
        QVERIFY(second.ok());
        QVERIFY(second->fromCache);
        QCOMPARE(master.count(), 1); // not even loaded
        QCOMPARE(second->bytes, first->bytes);

        auto found = cache.lookup(baseRequest());
        QVERIFY(found.has_value());
        QCOMPARE(found->bytes, first->bytes);
        QVERIFY(cache.diskUsage() > 0);
    }

    void keyChangesWithEveryPart_data()
    {
        QTest::addColumn<int>("part");
        QTest::newRow("master content") << 0;
        QTest::newRow("crop x") << 1;
        QTest::newRow("crop width") << 2;
        QTest::newRow("output size") << 3;
        QTest::newRow("kind") << 4;
        QTest::newRow("format id") << 5;
        QTest::newRow("format id case") << 6;
    }

    void keyChangesWithEveryPart()
    {
        QFETCH(int, part);
        const PreviewRequest base = baseRequest();
        PreviewRequest changed = base;
        switch (part) {
        case 0:
            changed.masterHash[0] = '1';
            break;
        case 1:
            changed.crop.translate(1, 0);
            break;
        case 2:
            changed.crop.setWidth(changed.crop.width() + 1);
            break;
        case 3:
            changed.size = QSize(201, 300);
            break;
        case 4:
            changed.kind = RenderKind::PrintJpeg;
            break;
        case 5:
            changed.formatId = QStringLiteral("wall-portrait/4");
            break;
        case 6:
            changed.formatId = QStringLiteral("Wall-portrait/3");
            break;
        }
        QCOMPARE(PreviewCache::key(base), PreviewCache::key(baseRequest())); // deterministic
        QCOMPARE(PreviewCache::key(base).size(), 40);
        QVERIFY(PreviewCache::key(changed) != PreviewCache::key(base));

        // And a changed request is a miss, rendered anew, never the old file.
        QTemporaryDir dir;
        PreviewCache cache(dir.path());
        CountingLoader master { m_master };
        QVERIFY(cache.get(base, master.loader()).ok());
        auto again = cache.get(changed, master.loader());
        QVERIFY2(again.ok(), why(again).constData());
        QVERIFY(!again->fromCache);
        QCOMPARE(master.count(), 2);
        QVERIFY(again->path != cache.path(PreviewCache::key(base)));
    }

    void keyIncludesRendererVersion()
    {
        // The version is a compile-time constant; the key must change with it,
        // which it does because it is serialised into the key (see key()).
        static_assert(Renderer::Version >= 1);
        static_assert(PreviewCache::FormatVersion >= 1);
        QVERIFY(PreviewCache::key(baseRequest()).contains(QRegularExpression(QStringLiteral("^[0-9a-f]{40}$"))));
    }

    void corruptFileIsRenderedAgain_data()
    {
        QTest::addColumn<int>("damage");
        QTest::newRow("truncated") << 0;
        QTest::newRow("one bit flipped in the middle") << 1;
        QTest::newRow("empty") << 2;
        QTest::newRow("one bit flipped near the end") << 3;
        QTest::newRow("garbage") << 4;
    }

    void corruptFileIsRenderedAgain()
    {
        QFETCH(int, damage);
        QTemporaryDir dir;
        PreviewCache cache(dir.path());
        CountingLoader master { m_master };
        auto first = cache.get(baseRequest(), master.loader());
        QVERIFY(first.ok());

        QFile file(first->path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray bytes = file.readAll();
        file.close();
        switch (damage) {
        case 0:
            bytes.truncate(bytes.size() / 2);
            break;
        case 1:
            bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x10);
            break;
        case 2:
            bytes.clear();
            break;
        case 3:
            bytes[bytes.size() - 10] = char(bytes[bytes.size() - 10] ^ 1); // near the end
            break;
        case 4:
            bytes = QByteArray(5000, 'x');
            break;
        }
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(bytes);
        file.close();

        const int before = master.count();
        QVERIFY(!cache.lookup(baseRequest()).has_value()); // and the damaged file is gone
        QVERIFY(!QFileInfo::exists(first->path));
        auto again = cache.get(baseRequest(), master.loader());
        QVERIFY(again.ok());
        QVERIFY(!again->fromCache);
        QCOMPARE(master.count(), before + 1);
        QCOMPARE(again->bytes, first->bytes); // rendering is deterministic
        QVERIFY(cache.get(baseRequest(), master.loader())->fromCache);
    }

    void getAllDecodesTheMasterOnce()
    {
        QTemporaryDir dir;
        PreviewCache cache(dir.path());
        CountingLoader master { m_master };
        PreviewRequest a = baseRequest();
        QVERIFY(cache.get(a, master.loader()).ok());
        QCOMPARE(master.count(), 1);

        PreviewRequest b = a;
        b.crop = QRect(0, 0, 800, 533);
        b.size = QSize(800, 533);
        b.formatId = QStringLiteral("wall-landscape/3");
        PreviewRequest c = a;
        c.crop = QRect(100, 0, 600, 600);
        c.size = QSize(400, 400);
        c.formatId = QStringLiteral("square/3");
        auto all = cache.getAll({ b, a, c }, master.loader());
        QVERIFY2(all.ok(), why(all).constData());
        QCOMPARE(master.count(), 2); // one more load for both misses
        QCOMPARE(all->size(), 3);
        QVERIFY(!(*all)[0].fromCache);
        QVERIFY((*all)[1].fromCache);
        QVERIFY(!(*all)[2].fromCache);
        QCOMPARE(QImage::fromData((*all)[0].bytes).size(), QSize(800, 533));
        QCOMPARE(QImage::fromData((*all)[1].bytes).size(), QSize(200, 300));
        QCOMPARE(QImage::fromData((*all)[2].bytes).size(), QSize(400, 400));
    }

    void rendersFromAnOpenMaster()
    {
        QTemporaryDir dir;
        PreviewCache cache(dir.path());
        auto master = Renderer::load(m_master);
        QVERIFY(master.ok());
        auto fromOpen = cache.get(baseRequest(), *master);
        QVERIFY2(fromOpen.ok(), why(fromOpen).constData());
        QVERIFY(!fromOpen->fromCache);
        QVERIFY(cache.get(baseRequest(), *master)->fromCache);

        // The same bytes as rendering from the encoded master.
        QTemporaryDir other;
        PreviewCache second(other.path());
        CountingLoader loader { m_master };
        QCOMPARE(second.get(baseRequest(), loader.loader())->bytes, fromOpen->bytes);

        // A crop edit: a new key, rendered from the open master.
        PreviewRequest moved = baseRequest();
        moved.crop.translate(37, 0);
        auto edited = cache.getAll({ baseRequest(), moved }, *master);
        QVERIFY(edited.ok());
        QVERIFY((*edited)[0].fromCache);
        QVERIFY(!(*edited)[1].fromCache);
        QVERIFY(master->size() == QSize(800, 600)); // still open for the next edit
    }

    void imageIsDecoded()
    {
        QTemporaryDir dir;
        PreviewCache cache(dir.path());
        CountingLoader master { m_master };
        auto image = cache.image(baseRequest(), master.loader());
        QVERIFY(image.ok());
        QCOMPARE(image->size(), QSize(200, 300));
        QCOMPARE(image->colorSpace(), QColorSpace(QColorSpace::SRgb));
        // The crop starts at x=100 of a pattern whose red channel is x % 256.
        QVERIFY(std::abs(qRed(image->pixel(0, 0)) - 100) <= 8);
    }

    void errors()
    {
        QTemporaryDir dir;
        PreviewCache cache(dir.path());
        CountingLoader master { m_master };

        PreviewRequest noHash = baseRequest();
        noHash.masterHash.clear();
        QCOMPARE(cache.get(noHash, master.loader()).error().code, QStringLiteral("bad_request"));
        PreviewRequest png = baseRequest();
        png.kind = RenderKind::PrintPng;
        QCOMPARE(cache.get(png, master.loader()).error().code, QStringLiteral("bad_request"));
        QCOMPARE(master.count(), 0);

        const auto failing = []() -> Result<QByteArray> {
            return Error(QStringLiteral("project_closed"), QStringLiteral("The project was closed."));
        };
        QCOMPARE(cache.get(baseRequest(), failing).error().code, QStringLiteral("project_closed"));
        const auto corrupt = []() -> Result<QByteArray> { return QByteArray("not a png"); };
        QCOMPARE(cache.get(baseRequest(), corrupt).error().code, QStringLiteral("corrupt_master"));
        PreviewRequest outside = baseRequest();
        outside.crop = QRect(700, 0, 400, 600);
        QCOMPARE(cache.get(outside, master.loader()).error().code, QStringLiteral("bad_output"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList());

        // A failed render releases its claim: the next call renders.
        QVERIFY(cache.get(baseRequest(), master.loader()).ok());
    }

    void unwritableCacheStillGivesThePreview()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        PreviewCache cache(dir.filePath(QStringLiteral("file/previews")));
        CountingLoader master { m_master };
        auto preview = cache.get(baseRequest(), master.loader());
        QVERIFY2(preview.ok(), why(preview).constData());
        QVERIFY(preview->path.isEmpty());
        QCOMPARE(QImage::fromData(preview->bytes).size(), QSize(200, 300));
    }

    void cleanupRemovesLeastRecentlyUsedFirst()
    {
        QTemporaryDir dir;
        PreviewCache cache(dir.path());
        CountingLoader master { m_master };
        QList<QString> paths;
        for (int i = 0; i < 5; ++i) {
            PreviewRequest r = baseRequest();
            r.formatId = QStringLiteral("format-%1").arg(i);
            auto p = cache.get(r, master.loader());
            QVERIFY(p.ok());
            paths.append(p->path);
            setAge(p->path, 1000 * (5 - i)); // 0 is the oldest
        }
        // Using preview 0 makes it the most recent.
        PreviewRequest used = baseRequest();
        used.formatId = QStringLiteral("format-0");
        QVERIFY(cache.lookup(used).has_value());

        // A stale temporary file of a crashed write goes; a fresh one (a write in progress) stays.
        const QString staleTemp = dir.filePath(QStringLiteral("abc.jpg.XyZ123"));
        const QString freshTemp = dir.filePath(QStringLiteral("def.jpg.AbC456"));
        for (const QString &p : { staleTemp, freshTemp }) {
            QFile f(p);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("partial");
        }
        setAge(staleTemp, 2 * 3600);

        const qint64 size = QFileInfo(paths[1]).size();
        const qint64 total = cache.diskUsage();
        const qint64 removed = cache.cleanup(total - size - 1); // needs two files gone
        QVERIFY(removed >= 2 * size / 2);
        QVERIFY(QFileInfo::exists(paths[0])); // recently used
        QVERIFY(!QFileInfo::exists(paths[1]));
        QVERIFY(!QFileInfo::exists(paths[2]));
        QVERIFY(QFileInfo::exists(paths[3]));
        QVERIFY(QFileInfo::exists(paths[4]));
        QVERIFY(!QFileInfo::exists(staleTemp));
        QVERIFY(QFileInfo::exists(freshTemp));
        QVERIFY(cache.diskUsage() <= total - size - 1);

        QCOMPARE(cache.cleanup(0) > 0, true);
        QCOMPARE(cache.diskUsage(), 0);
    }

    void cleanupRunsByItself()
    {
        QTemporaryDir dir;
        // A budget of one preview: every write is over an eighth of it.
        PreviewCache cache(dir.path(), 20 * 1024);
        CountingLoader master { m_master };
        for (int i = 0; i < 6; ++i) {
            PreviewRequest r = baseRequest();
            r.formatId = QStringLiteral("format-%1").arg(i);
            QVERIFY(cache.get(r, master.loader()).ok());
        }
        QVERIFY2(cache.diskUsage() <= 20 * 1024, qPrintable(QString::number(cache.diskUsage())));
    }

    void concurrentRequestsRenderOnce()
    {
        QTemporaryDir dir;
        PreviewCache cache(dir.path());
        CountingLoader master { m_master, std::make_shared<std::atomic<int>>(0), 200 };
        QList<QByteArray> results(4);
        QList<bool> fromCache(4);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                auto p = cache.get(baseRequest(), master.loader());
                if (p) {
                    results[t] = p->bytes;
                    fromCache[t] = p->fromCache;
                }
            });
        for (auto &t : threads)
            t.join();
        QCOMPARE(master.count(), 1);
        QCOMPARE(fromCache.count(false), 1);
        for (const QByteArray &bytes : results)
            QCOMPARE(bytes, results.first());
        QVERIFY(!results.first().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPreviewCache)
#include "tst_previewcache.moc"
