// Stripe webhook signatures: the vector and every negative case of EXTERNAL_APIS.md 2.8, plus malformed headers.
#include "core/companion/stripesignature.h"

#include <QSet>
#include <QTest>

using namespace CalStudio;
using Verdict = StripeSignature::Verdict;

namespace {

const QByteArray kSecret = "whsec_test_secret_0123456789abcdef";
const QByteArray kOtherSecret = "whsec_rolled_new_secret_fedcba9876543210";
const qint64 kT = 1735689600;
const QByteArray kBody
    = R"({"id":"evt_test_1","object":"event","type":"checkout.session.completed","data":{"object":{"id":"cs_test_a1","object":"checkout.session","status":"complete","payment_status":"paid"}}})";
const QByteArray kV1 = "ed12acce85ecd70efb4850f770f067abcb11f5aa8a720c8bbd95bbd07ff7b0b9";

QByteArray vectorHeader()
{
    return "t=" + QByteArray::number(kT) + ",v1=" + kV1;
}

} // namespace

class TestStripeSignature : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void vector()
    {
        QCOMPARE(kBody.size(), 182);
        QCOMPARE(StripeSignature::signature(kBody, kSecret, kT), kV1);
        QCOMPARE(StripeSignature::header(kBody, { kSecret }, kT), vectorHeader());
        QCOMPARE(StripeSignature::verify(vectorHeader(), kBody, { kSecret }, kT), Verdict::Valid);
        // Within the tolerance on both sides, including the edges.
        QCOMPARE(StripeSignature::verify(vectorHeader(), kBody, { kSecret }, kT + 300), Verdict::Valid);
        QCOMPARE(StripeSignature::verify(vectorHeader(), kBody, { kSecret }, kT - 300), Verdict::Valid);
        // Whitespace around items and a v0 or unknown scheme do not matter.
        QCOMPARE(
            StripeSignature::verify("t=1735689600, v1=" + kV1 + ", v0=abc", kBody, { kSecret }, kT), Verdict::Valid);
        QCOMPARE(StripeSignature::verify("v0=00,t=1735689600,x9=zz,v1=" + kV1, kBody, { kSecret }, kT), Verdict::Valid);
    }

    void tamperedBodyByte()
    {
        for (qsizetype i : { qsizetype(0), kBody.size() / 2, kBody.size() - 1 }) {
            QByteArray tampered = kBody;
            tampered[i] = char(tampered[i] ^ 0x01);
            QCOMPARE(StripeSignature::verify(vectorHeader(), tampered, { kSecret }, kT), Verdict::Mismatch);
        }
        // A trailing newline (re-serialised body) is a different body too.
        QCOMPARE(StripeSignature::verify(vectorHeader(), kBody + '\n', { kSecret }, kT), Verdict::Mismatch);
    }

    void wrongSecret()
    {
        QCOMPARE(StripeSignature::verify(vectorHeader(), kBody, { kOtherSecret }, kT), Verdict::Mismatch);
        // The key is the whole string, "whsec_" included.
        QCOMPARE(StripeSignature::verify(vectorHeader(), kBody, { kSecret.mid(6) }, kT), Verdict::Mismatch);
    }

    void tamperedSignature()
    {
        QByteArray v1 = kV1;
        v1[63] = v1[63] == '9' ? '8' : '9';
        QCOMPARE(StripeSignature::verify("t=1735689600,v1=" + v1, kBody, { kSecret }, kT), Verdict::Mismatch);
        // Truncated or upper-case hex are not the signature.
        QCOMPARE(StripeSignature::verify("t=1735689600,v1=" + kV1.left(63), kBody, { kSecret }, kT), Verdict::Mismatch);
        QCOMPARE(
            StripeSignature::verify("t=1735689600,v1=" + kV1.toUpper(), kBody, { kSecret }, kT), Verdict::Mismatch);
        // The timestamp is signed: the same v1 with another t does not match.
        QCOMPARE(StripeSignature::verify("t=1735689601,v1=" + kV1, kBody, { kSecret }, kT), Verdict::Mismatch);
    }

    void timestampOutsideTolerance()
    {
        QCOMPARE(
            StripeSignature::verify(vectorHeader(), kBody, { kSecret }, kT + 301), Verdict::TimestampOutsideTolerance);
        // Future timestamps too.
        QCOMPARE(
            StripeSignature::verify(vectorHeader(), kBody, { kSecret }, kT - 301), Verdict::TimestampOutsideTolerance);
        // A stale header signed freshly for an old t (a replay) is refused.
        const QByteArray old = StripeSignature::header(kBody, { kSecret }, kT - 3600);
        QCOMPARE(StripeSignature::verify(old, kBody, { kSecret }, kT), Verdict::TimestampOutsideTolerance);
        // Custom tolerance.
        QCOMPARE(StripeSignature::verify(vectorHeader(), kBody, { kSecret }, kT + 60, 30),
            Verdict::TimestampOutsideTolerance);
        QCOMPARE(StripeSignature::verify(vectorHeader(), kBody, { kSecret }, kT + 30, 30), Verdict::Valid);
    }

    void missingV1()
    {
        QCOMPARE(StripeSignature::verify("t=1735689600", kBody, { kSecret }, kT), Verdict::NoV1Signature);
        QCOMPARE(StripeSignature::verify("t=1735689600,v0=" + kV1, kBody, { kSecret }, kT), Verdict::NoV1Signature);
    }

    void secondV1Matches()
    {
        const QByteArray bogus(64, 'a');
        QCOMPARE(
            StripeSignature::verify("t=1735689600,v1=" + bogus + ",v1=" + kV1, kBody, { kSecret }, kT), Verdict::Valid);
        QCOMPARE(
            StripeSignature::verify("t=1735689600,v1=" + kV1 + ",v1=" + bogus, kBody, { kSecret }, kT), Verdict::Valid);
    }

    void secretRoll()
    {
        // Stripe signs with both secrets during a roll; the server may know either or both.
        const QByteArray both = StripeSignature::header(kBody, { kOtherSecret, kSecret }, kT);
        QVERIFY(both.startsWith("t=1735689600,v1="));
        QCOMPARE(both.count(",v1="), 2);
        QVERIFY(both.endsWith(QByteArray(",v1=" + kV1)));
        QCOMPARE(StripeSignature::verify(both, kBody, { kSecret }, kT), Verdict::Valid);
        QCOMPARE(StripeSignature::verify(both, kBody, { kOtherSecret }, kT), Verdict::Valid);
        // A server configured with old and new secrets accepts an event signed with only one of them.
        QCOMPARE(StripeSignature::verify(vectorHeader(), kBody, { kOtherSecret, kSecret }, kT), Verdict::Valid);
        const QByteArray onlyNew = StripeSignature::header(kBody, { kOtherSecret }, kT);
        QCOMPARE(StripeSignature::verify(onlyNew, kBody, { kSecret, kOtherSecret }, kT), Verdict::Valid);
        // Neither secret → mismatch.
        const QByteArray foreign = StripeSignature::header(kBody, { "whsec_someone_else" }, kT);
        QCOMPARE(StripeSignature::verify(foreign, kBody, { kSecret, kOtherSecret }, kT), Verdict::Mismatch);
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<int>("verdict");
        const int missing = int(Verdict::MissingHeader);
        const int malformed = int(Verdict::MalformedHeader);
        QTest::newRow("empty") << QByteArray() << missing;
        QTest::newRow("blank") << QByteArray("   ") << missing;
        QTest::newRow("no t") << QByteArray("v1=" + kV1) << malformed;
        QTest::newRow("t empty") << QByteArray("t=,v1=" + kV1) << malformed;
        QTest::newRow("t not numeric") << QByteArray("t=abc,v1=" + kV1) << malformed;
        QTest::newRow("t negative") << QByteArray("t=-1735689600,v1=" + kV1) << malformed;
        QTest::newRow("t with fraction") << QByteArray("t=1735689600.5,v1=" + kV1) << malformed;
        QTest::newRow("t huge") << QByteArray("t=99999999999999999999999,v1=" + kV1) << malformed;
        QTest::newRow("two t") << QByteArray("t=1735689600,t=1735689600,v1=" + kV1) << malformed;
        QTest::newRow("item without =") << QByteArray("t=1735689600,v1" + kV1) << malformed;
        QTest::newRow("empty item") << QByteArray("t=1735689600,,v1=" + kV1) << malformed;
        QTest::newRow("garbage") << QByteArray("not a signature") << malformed;
    }

    void malformed()
    {
        QFETCH(QByteArray, header);
        QFETCH(int, verdict);
        QCOMPARE(int(StripeSignature::verify(header, kBody, { kSecret }, kT)), verdict);
    }

    void noSecretConfigured()
    {
        QCOMPARE(StripeSignature::verify(vectorHeader(), kBody, {}, kT), Verdict::NoSecretConfigured);
        QCOMPARE(StripeSignature::verify(vectorHeader(), kBody, { QByteArray() }, kT), Verdict::NoSecretConfigured);
        // An empty entry next to a real secret is skipped, not used as a key.
        QCOMPARE(StripeSignature::verify(vectorHeader(), kBody, { QByteArray(), kSecret }, kT), Verdict::Valid);
        const QByteArray emptyKeyHeader = StripeSignature::header(kBody, { QByteArray() }, kT);
        QCOMPARE(StripeSignature::verify(emptyKeyHeader, kBody, { QByteArray(), kSecret }, kT), Verdict::Mismatch);
    }

    void constantTimeEquals()
    {
        QVERIFY(StripeSignature::constantTimeEquals("abc", "abc"));
        QVERIFY(StripeSignature::constantTimeEquals({}, {}));
        QVERIFY(!StripeSignature::constantTimeEquals("abc", "abd"));
        QVERIFY(!StripeSignature::constantTimeEquals("abc", "xbc"));
        QVERIFY(!StripeSignature::constantTimeEquals("abc", "abcd"));
        QVERIFY(!StripeSignature::constantTimeEquals("abc", {}));
    }

    void describe()
    {
        const QList<Verdict> all { Verdict::Valid, Verdict::MissingHeader, Verdict::MalformedHeader,
            Verdict::NoV1Signature, Verdict::TimestampOutsideTolerance, Verdict::Mismatch,
            Verdict::NoSecretConfigured };
        QSet<QString> texts;
        for (Verdict v : all) {
            const QString text = StripeSignature::describe(v);
            QVERIFY(!text.isEmpty());
            texts.insert(text);
        }
        QCOMPARE(texts.size(), all.size());
    }
};

QTEST_GUILESS_MAIN(TestStripeSignature)
#include "tst_stripesignature.moc"
