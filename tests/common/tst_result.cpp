#include "core/common/result.h"

#include <QTest>

#include <memory>

using namespace CalStudio;

class TestResult : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void valueAndError()
    {
        Result<int> good = 42;
        QVERIFY(good.ok());
        QCOMPARE(*good, 42);
        QCOMPARE(good.valueOr(7), 42);

        Result<int> bad = Error(QStringLiteral("disk_full"), QStringLiteral("The disk is full."),
                                QStringLiteral("SQLITE_FULL"));
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, QStringLiteral("disk_full"));
        QCOMPARE(bad.valueOr(7), 7);
        QCOMPARE(bad.error().toString(), QStringLiteral("The disk is full. (SQLITE_FULL)"));
    }

    void moveOnlyValue()
    {
        Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
        QVERIFY(r.ok());
        std::unique_ptr<int> taken = std::move(*r);
        QCOMPARE(*taken, 5);
    }

    void status()
    {
        Status ok = Status::success();
        QVERIFY(ok.ok());
        QVERIFY(ok.error().isNull());
        Status failed = Error(QStringLiteral("x"), QStringLiteral("Failed."));
        QVERIFY(!failed);
        QCOMPARE(failed.error().userMessage, QStringLiteral("Failed."));
        QCOMPARE(failed.error().toString(), QStringLiteral("Failed."));
    }
};

QTEST_GUILESS_MAIN(TestResult)
#include "tst_result.moc"
