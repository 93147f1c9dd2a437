// Printify webhook signatures: the vector of EXTERNAL_APIS.md 1.10 and its negative cases.
#include "core/companion/printifysignature.h"

#include <QTest>

using namespace CalStudio;

namespace {

const QByteArray kSecret = "pfy_test_secret";
const QByteArray kBody
    = R"({"id":"653b6be8-2ff7-4ab5-a7a6-6889a8b3bbf5","type":"order:shipment:created","created_at":"2026-01-05 10:00:00+00:00","resource":{"id":"5a96f649b2439217d070f507","type":"order","data":{"shop_id":12345,"shipped_at":"2026-01-05 09:59:00+00:00","carrier":{"code":"usps","tracking_number":"9400110200828911663274","tracking_url":"https://example.com/track/9400110200828911663274"},"skus":["12345678"]}}})";
const QByteArray kHex = "a3d9ae61468355dfe0ca73c3f60856f601b8c517adbd8db291c8754f80d6e26b";
const QByteArray kHeader = "sha256=" + kHex;

} // namespace

class TestPrintifySignature : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void vector()
    {
        QCOMPARE(kBody.size(), 399);
        QCOMPARE(PrintifySignature::signature(kBody, kSecret), kHex);
        QCOMPARE(PrintifySignature::header(kBody, kSecret), kHeader);
        QVERIFY(PrintifySignature::verify(kHeader, kBody, kSecret));
    }

    void formsOfTheHeader()
    {
        // The prefix is optional; whitespace around the value does not matter; hex case names the same bytes.
        QVERIFY(PrintifySignature::verify(kHex, kBody, kSecret));
        QVERIFY(PrintifySignature::verify(" " + kHeader + "\r\n", kBody, kSecret));
        QVERIFY(PrintifySignature::verify("sha256=" + kHex.toUpper(), kBody, kSecret));
        QVERIFY(PrintifySignature::verify(kHex.toUpper(), kBody, kSecret));
        QVERIFY(PrintifySignature::verify("SHA256=" + kHex, kBody, kSecret));
    }

    void tamperedBody()
    {
        for (qsizetype i : { qsizetype(0), kBody.size() / 2, kBody.size() - 1 }) {
            QByteArray tampered = kBody;
            tampered[i] = char(tampered[i] ^ 0x01);
            QVERIFY(!PrintifySignature::verify(kHeader, tampered, kSecret));
        }
        // Re-serialised JSON (a trailing newline, other spacing) is a different body.
        QVERIFY(!PrintifySignature::verify(kHeader, kBody + '\n', kSecret));
        QVERIFY(!PrintifySignature::verify(kHeader, QByteArray(kBody).replace(",", ", "), kSecret));
        QVERIFY(!PrintifySignature::verify(kHeader, QByteArray(), kSecret));
    }

    void wrongSecret()
    {
        QVERIFY(!PrintifySignature::verify(kHeader, kBody, "pfy_test_secreT"));
        QVERIFY(!PrintifySignature::verify(kHeader, kBody, kSecret + ' '));
        QVERIFY(!PrintifySignature::verify(kHeader, kBody, QByteArray("pfy_other_secret")));
    }

    void missingOrEmptyHeader()
    {
        QVERIFY(!PrintifySignature::verify(QByteArray(), kBody, kSecret));
        QVERIFY(!PrintifySignature::verify("   ", kBody, kSecret));
        QVERIFY(!PrintifySignature::verify("sha256=", kBody, kSecret));
    }

    void emptySecret()
    {
        // Nothing can be verified without a secret — not even a header made with the empty key.
        QVERIFY(!PrintifySignature::verify(kHeader, kBody, QByteArray()));
        QVERIFY(!PrintifySignature::verify(PrintifySignature::header(kBody, QByteArray()), kBody, QByteArray()));
    }

    void malformedHeader()
    {
        QVERIFY(!PrintifySignature::verify(kHeader.chopped(1), kBody, kSecret)); // 63 digits
        QVERIFY(!PrintifySignature::verify(kHeader + "0", kBody, kSecret)); // 65 digits
        QVERIFY(!PrintifySignature::verify("sha1=" + kHex, kBody, kSecret)); // another scheme
        QVERIFY(!PrintifySignature::verify("sha256=sha256=" + kHex, kBody, kSecret));
        QByteArray notHex = kHex;
        notHex[10] = 'g';
        QVERIFY(!PrintifySignature::verify(notHex, kBody, kSecret));
        // Base64 of the raw MAC is not the hex form.
        QVERIFY(!PrintifySignature::verify(QByteArray::fromHex(kHex).toBase64(), kBody, kSecret));
        // One flipped digit.
        QByteArray flipped = kHex;
        flipped[63] = flipped[63] == '0' ? '1' : '0';
        QVERIFY(!PrintifySignature::verify(flipped, kBody, kSecret));
    }

    void roundTrip()
    {
        const QByteArray secret = "päss wörd ✓"; // the secret's UTF-8 bytes are the key
        const QByteArray body = R"({"id":"e1","type":"order:updated"})";
        QVERIFY(PrintifySignature::verify(PrintifySignature::header(body, secret), body, secret));
        QVERIFY(!PrintifySignature::verify(PrintifySignature::header(body, secret), body, "pass word"));
    }
};

QTEST_GUILESS_MAIN(TestPrintifySignature)
#include "tst_printifysignature.moc"
