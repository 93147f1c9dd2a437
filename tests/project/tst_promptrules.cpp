#include "core/project/promptrules.h"

#include <QTest>

using namespace CalStudio;

Q_DECLARE_METATYPE(CalStudio::MonthEntry)

namespace {

QList<int> kinds(const QList<PromptIssue> &issues)
{
    QList<int> result;
    for (const PromptIssue &issue : issues)
        result.append(issue.kind);
    return result;
}

MonthEntry entry(const QString &prompt, const QString &title = {}, const QString &style = {}, const QString &avoid = {})
{
    MonthEntry e;
    e.month = 3;
    e.prompt = prompt;
    e.title = title;
    e.style = style;
    e.avoid = avoid;
    return e;
}

const QString Scene = QStringLiteral("The person from the reference photos on a windy hill in March.");

} // namespace

class TestPromptRules : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void limits()
    {
        QCOMPARE(PromptRules::MaxPromptLength, 600);
        QCOMPARE(PromptRules::MaxTitleLength, 40);
        QCOMPARE(PromptRules::MaxAvoidLength, 200);
    }

    void check_data()
    {
        QTest::addColumn<MonthEntry>("entry");
        QTest::addColumn<QList<int>>("expectedKinds");

        const QString ok600 = QString(600, u'a');
        QTest::newRow("fine") << entry(
            Scene, QStringLiteral("Kite day"), QStringLiteral("watercolor"), QStringLiteral("text, logos"))
                              << QList<int> {};
        QTest::newRow("no style is fine") << entry(Scene) << QList<int> {};
        QTest::newRow("empty prompt") << entry(QString()) << QList<int> { PromptIssue::EmptyPrompt };
        QTest::newRow("whitespace prompt")
            << entry(QStringLiteral(" \n\t ")) << QList<int> { PromptIssue::EmptyPrompt };
        QTest::newRow("prompt at the limit") << entry(ok600) << QList<int> {};
        QTest::newRow("prompt one over") << entry(ok600 + u'a') << QList<int> { PromptIssue::PromptTooLong };
        QTest::newRow("surrounding spaces do not count")
            << entry(QStringLiteral("   ") + ok600 + QStringLiteral("  \n")) << QList<int> {};
        QTest::newRow("title too long") << entry(Scene, QString(41, u't')) << QList<int> { PromptIssue::TitleTooLong };
        QTest::newRow("title at the limit") << entry(Scene, QString(40, u't')) << QList<int> {};
        QTest::newRow("avoid too long") << entry(Scene, {}, {}, QString(201, u'x'))
                                        << QList<int> { PromptIssue::AvoidTooLong };
        QTest::newRow("unknown style") << entry(Scene, {}, QStringLiteral("claymation"))
                                       << QList<int> { PromptIssue::UnknownStyle };
        QTest::newRow("style ids are case-sensitive")
            << entry(Scene, {}, QStringLiteral("Watercolor")) << QList<int> { PromptIssue::UnknownStyle };
        QTest::newRow("everything wrong at once")
            << entry(QString(), QString(50, u't'), QStringLiteral("nope"), QString(300, u'x'))
            << QList<int> { PromptIssue::EmptyPrompt, PromptIssue::TitleTooLong, PromptIssue::AvoidTooLong,
                   PromptIssue::UnknownStyle };
    }
    void check()
    {
        QFETCH(MonthEntry, entry);
        QFETCH(QList<int>, expectedKinds);
        const QList<PromptIssue> issues = PromptRules::check(entry);
        QCOMPARE(kinds(issues), expectedKinds);
        for (const PromptIssue &issue : issues)
            QVERIFY2(!issue.message.isEmpty() && issue.message.endsWith(u'.'), qPrintable(issue.message));
    }

    void messages_data()
    {
        QTest::addColumn<MonthEntry>("entry");
        QTest::addColumn<QString>("message");
        QTest::newRow("scene 34 over") << entry(QString(634, u'a'))
                                       << QStringLiteral("The scene is 34 characters too long (634 of 600).");
        QTest::newRow("scene 1 over, singular")
            << entry(QString(601, u'a')) << QStringLiteral("The scene is 1 character too long (601 of 600).");
        QTest::newRow("title 5 over") << entry(Scene, QString(45, u't'))
                                      << QStringLiteral("The title is 5 characters too long (45 of 40).");
        QTest::newRow("avoid 10 over") << entry(Scene, {}, {}, QString(210, u'x'))
                                       << QStringLiteral("The “avoid” list is 10 characters too long (210 of 200).");
        QTest::newRow("unknown style names it")
            << entry(Scene, {}, QStringLiteral("claymation"))
            << QStringLiteral("The style “claymation” is not available in this version. Pick a style from the list.");
        QTest::newRow("empty") << entry(QString())
                               << QStringLiteral("Describe a scene for this page, or pick a suggestion.");
    }
    void messages()
    {
        QFETCH(MonthEntry, entry);
        QFETCH(QString, message);
        const QList<PromptIssue> issues = PromptRules::check(entry);
        QCOMPARE(issues.size(), 1);
        QCOMPARE(issues.first().message, message);
    }

    void characterCount_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("count");
        QTest::newRow("empty") << QString() << 0;
        QTest::newRow("ascii") << QStringLiteral("snow") << 4;
        QTest::newRow("trimmed") << QStringLiteral("  snow \n") << 4;
        QTest::newRow("accents") << QStringLiteral("Été") << 3;
        // U+1F600 is two UTF-16 units but one character to the person typing it.
        QTest::newRow("emoji") << QString::fromUtf8("sun \xF0\x9F\x98\x80") << 5;
    }
    void characterCount()
    {
        QFETCH(QString, text);
        QFETCH(int, count);
        QCOMPARE(PromptRules::characterCount(text), count);
    }

    void emojiCountsOnceAgainstTheLimit()
    {
        // 600 emoji are 1200 UTF-16 units but exactly at the limit.
        QString text;
        for (int i = 0; i < 600; ++i)
            text += QString::fromUtf8("\xF0\x9F\x8C\xB8");
        QVERIFY(PromptRules::check(entry(text)).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPromptRules)
#include "tst_promptrules.moc"
