#include "core/project/promptthemelibrary.h"

#include "core/project/projectlogging.h"
#include "core/project/stylepreset.h"

#include <QCollator>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>

#include <algorithm>

namespace CalStudio {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("PromptThemeLibrary", text);
}

const QString BuiltInDirectory = QStringLiteral(":/calstudio/themes");
const QString FileSuffix = QStringLiteral(".json");
// Short enough that "<id>-99.json" stays far below every file system's name limit.
constexpr int MaxGeneratedIdLength = 48;

void sortByName(QList<PromptTheme> &themes)
{
    // People expect "apple" before "Zebra" and "Été" next to "Ete", whatever the locale's byte order.
    QCollator collator;
    collator.setCaseSensitivity(Qt::CaseInsensitive);
    collator.setNumericMode(true);
    std::sort(themes.begin(), themes.end(), [&](const PromptTheme &a, const PromptTheme &b) {
        const int byName = collator.compare(a.name, b.name);
        return byName != 0 ? byName < 0 : a.id < b.id;
    });
}

struct BuiltIns {
    QList<PromptTheme> themes;
    QList<Error> problems;
};

BuiltIns loadBuiltIns()
{
    BuiltIns result;
    const QFileInfoList files = QDir(BuiltInDirectory).entryInfoList({ QStringLiteral("*.json") }, QDir::Files);
    for (const QFileInfo &info : files) {
        QFile file(info.filePath());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        Result<PromptTheme> theme = PromptTheme::fromJson(file.readAll());
        // Built-in themes are checked by tests; a failure here is a packaging bug.
        if (!theme) {
            qCCritical(lcProject) << "Built-in theme" << info.fileName() << "is invalid:" << theme.error();
            result.problems.append(Error(theme.error().code, theme.error().userMessage,
                info.filePath() + QLatin1String(": ") + theme.error().detail));
            continue;
        }
        theme->builtIn = true;
        result.themes.append(std::move(theme).value());
    }
    if (result.themes.isEmpty()) {
        qCCritical(lcProject) << "No built-in themes found under" << BuiltInDirectory;
        result.problems.append(Error(QStringLiteral("theme_builtin_missing"),
            tr("The themes that come with Calendar Studio are missing. "
               "Reinstall Calendar Studio to get them back."),
            BuiltInDirectory));
    }
    sortByName(result.themes);
    return result;
}

/// Parsed once per process: the resources cannot change while it runs.
const BuiltIns &builtIns()
{
    static const BuiltIns instance = loadBuiltIns();
    return instance;
}

bool isReservedFileName(const QString &id)
{
    // Windows refuses these as file names, with or without an extension.
    static const QRegularExpression reserved(QStringLiteral("^(con|prn|aux|nul|com[1-9]|lpt[1-9])$"));
    return reserved.match(id).hasMatch();
}

/// The style most of the entries use, so a saved theme's default matches its pages.
QString mostCommonStyle(const QList<MonthEntry> &entries)
{
    QHash<QString, int> counts;
    for (const MonthEntry &e : entries) {
        if (!e.style.isEmpty())
            ++counts[e.style];
    }
    // Ties go to the preset listed first, so the result does not depend on hash order.
    QString best = StylePreset::all().isEmpty() ? QString() : StylePreset::all().constFirst().id;
    int bestCount = 0;
    for (const StylePreset &preset : StylePreset::all()) {
        const int count = counts.value(preset.id);
        if (count > bestCount) {
            best = preset.id;
            bestCount = count;
        }
    }
    return best;
}

} // namespace

PromptThemeLibrary::PromptThemeLibrary(QString userDirectory)
    : m_userDirectory(std::move(userDirectory))
    , m_builtIn(builtIns().themes)
    , m_builtInProblems(builtIns().problems)
{
    loadUserThemes();
}

QString PromptThemeLibrary::idForName(const QString &name)
{
    // Decomposing first turns "é" into "e" + a combining accent, which is then dropped.
    QString decomposed = name.normalized(QString::NormalizationForm_KD).toLower();
    // Latin letters that have no decomposition but an obvious ASCII spelling.
    static const std::pair<char16_t, const char *> spelled[] = {
        { u'ß', "ss" },
        { u'æ', "ae" },
        { u'œ', "oe" },
        { u'ø', "o" },
        { u'ł', "l" },
        { u'đ', "d" },
        { u'þ', "th" },
        { u'ð', "d" },
    };
    for (const auto &[letter, ascii] : spelled)
        decomposed.replace(QChar(letter), QLatin1String(ascii));
    QString id;
    bool pendingHyphen = false;
    for (const QChar c : std::as_const(decomposed)) {
        if ((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9')) {
            if (pendingHyphen && !id.isEmpty())
                id.append(u'-');
            pendingHyphen = false;
            id.append(c);
        } else if (c.category() != QChar::Mark_NonSpacing) {
            pendingHyphen = true;
        }
    }
    if (id.size() > MaxGeneratedIdLength) {
        id.truncate(MaxGeneratedIdLength);
        while (id.endsWith(u'-'))
            id.chop(1);
    }
    if (id.isEmpty()) {
        // Names in scripts without a Latin transliteration still need a stable, safe file name.
        const QByteArray hash
            = QCryptographicHash::hash(name.trimmed().toLower().toUtf8(), QCryptographicHash::Sha1).toHex().left(8);
        return QStringLiteral("theme-") + QString::fromLatin1(hash);
    }
    if (isReservedFileName(id))
        id += QStringLiteral("-theme");
    return id;
}

QList<PromptTheme> PromptThemeLibrary::themes() const
{
    return m_builtIn + m_user;
}

std::optional<PromptTheme> PromptThemeLibrary::find(const QString &id) const
{
    for (const PromptTheme &theme : m_builtIn) {
        if (theme.id == id)
            return theme;
    }
    for (const PromptTheme &theme : m_user) {
        if (theme.id == id)
            return theme;
    }
    return std::nullopt;
}

std::optional<PromptTheme> PromptThemeLibrary::findUserTheme(const QString &name) const
{
    const QString wanted = name.trimmed();
    for (const PromptTheme &theme : m_user) {
        if (theme.name.trimmed().compare(wanted, Qt::CaseInsensitive) == 0)
            return theme;
    }
    return std::nullopt;
}

void PromptThemeLibrary::reload()
{
    loadUserThemes();
}

bool PromptThemeLibrary::idTaken(const QString &id) const
{
    if (m_userFiles.contains(id))
        return true;
    return std::any_of(m_builtIn.cbegin(), m_builtIn.cend(), [&](const PromptTheme &t) { return t.id == id; });
}

void PromptThemeLibrary::loadUserThemes()
{
    m_user.clear();
    m_userFiles.clear();
    m_problems = m_builtInProblems;

    const QDir dir(m_userDirectory);
    if (m_userDirectory.isEmpty() || !dir.exists())
        return;

    const QFileInfoList files
        = dir.entryInfoList({ QStringLiteral("*") + FileSuffix }, QDir::Files | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo &info : files) {
        auto skip = [&](const Error &why) {
            qCWarning(lcProject) << "Skipping user theme" << info.filePath() << why;
            m_problems.append(
                Error(why.code, tr("Your theme file “%1” was skipped. %2").arg(info.fileName(), why.userMessage),
                    why.detail.isEmpty() ? info.filePath() : info.filePath() + QLatin1String(": ") + why.detail));
        };

        // Checked before reading so a huge file dropped here by mistake costs nothing.
        if (info.size() > PromptTheme::MaxFileSize) {
            skip(Error(QStringLiteral("theme_too_large"),
                tr("It is too large to be a theme; move it out of the themes folder.")));
            continue;
        }
        QFile file(info.filePath());
        if (!file.open(QIODevice::ReadOnly)) {
            skip(Error(QStringLiteral("theme_unreadable"),
                tr("Calendar Studio may not read it; check the file’s permissions."), file.errorString()));
            continue;
        }
        Result<PromptTheme> theme = PromptTheme::fromJson(file.readAll());
        if (!theme) {
            skip(theme.error());
            continue;
        }

        // The file name is the id, so renaming or copying a file behaves the way a
        // person expects: "beach (copy).json" becomes a second theme.
        const QString baseName = info.completeBaseName();
        const QString id = PromptTheme::isValidId(baseName) ? baseName : idForName(baseName);
        if (idTaken(id)) {
            skip(Error(QStringLiteral("theme_duplicate_id"),
                tr("Another theme already uses the id “%1”; rename the file.").arg(id)));
            continue;
        }
        theme->id = id;
        theme->builtIn = false;
        m_userFiles.insert(id, info.filePath());
        m_user.append(std::move(theme).value());
    }
    sortByName(m_user);
}

Status PromptThemeLibrary::saveUserTheme(const QString &name, const QList<MonthEntry> &entries)
{
    const QString trimmedName = name.trimmed();
    for (const PromptTheme &builtIn : m_builtIn) {
        if (builtIn.name.compare(trimmedName, Qt::CaseInsensitive) == 0)
            return Error(QStringLiteral("theme_builtin"),
                tr("“%1” is a theme that comes with Calendar Studio and cannot be replaced. "
                   "Save yours under another name.")
                    .arg(builtIn.name),
                builtIn.id);
    }

    PromptTheme theme;
    theme.name = trimmedName;
    QString path;
    if (const auto existing = findUserTheme(trimmedName)) {
        theme.id = existing->id;
        theme.description = existing->description;
        path = m_userFiles.value(existing->id);
    } else {
        const QString base = idForName(trimmedName);
        theme.id = base;
        const QDir dir(m_userDirectory);
        // A damaged file that was skipped on load still belongs to the user: never overwrite it.
        for (int n = 2; idTaken(theme.id) || dir.exists(theme.id + FileSuffix); ++n)
            theme.id = base + QLatin1Char('-') + QString::number(n);
        path = dir.filePath(theme.id + FileSuffix);
    }

    for (const MonthEntry &e : entries) {
        MonthEntry copy = e;
        copy.masterId = 0; // a theme carries prompts, never a project's pictures
        copy.prompt = copy.prompt.trimmed();
        copy.title = copy.title.trimmed();
        copy.avoid = copy.avoid.trimmed();
        theme.entries.append(copy);
    }
    std::sort(theme.entries.begin(), theme.entries.end(),
        [](const MonthEntry &a, const MonthEntry &b) { return a.month < b.month; });
    theme.defaultStyle = mostCommonStyle(theme.entries);
    if (Status valid = theme.validate(); !valid)
        return valid;

    auto saveFailed = [&](const QString &detail) {
        qCWarning(lcProject) << "Saving theme failed:" << path << detail;
        return Error(QStringLiteral("theme_save_failed"),
            tr("The theme could not be saved. Check that there is free disk space and that you may "
               "write to the folder %1.")
                .arg(QDir::toNativeSeparators(m_userDirectory)),
            path + QLatin1String(": ") + detail);
    };
    if (!QDir().mkpath(m_userDirectory))
        return saveFailed(QStringLiteral("cannot create the folder"));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return saveFailed(file.errorString());
    const QByteArray json = theme.toJson();
    if (file.write(json) != json.size() || !file.commit())
        return saveFailed(file.errorString());

    qCInfo(lcProject) << "Saved user theme" << theme.id << "to" << path;
    loadUserThemes();
    return Status::success();
}

Status PromptThemeLibrary::removeUserTheme(const QString &id)
{
    for (const PromptTheme &builtIn : m_builtIn) {
        if (builtIn.id == id)
            return Error(QStringLiteral("theme_builtin"),
                tr("“%1” comes with Calendar Studio and cannot be removed.").arg(builtIn.name), id);
    }
    const QString path = m_userFiles.value(id);
    if (path.isEmpty())
        return Error(QStringLiteral("theme_not_found"),
            tr("That theme no longer exists. It may have been removed in another window."), id);
    QFile file(path);
    if (!file.remove())
        return Error(QStringLiteral("theme_remove_failed"),
            tr("The theme could not be removed. Check that you may change the folder %1.")
                .arg(QDir::toNativeSeparators(m_userDirectory)),
            path + QLatin1String(": ") + file.errorString());
    qCInfo(lcProject) << "Removed user theme" << id;
    loadUserThemes();
    return Status::success();
}

MonthEntry PromptThemeLibrary::suggest(int month, const QString &currentPrompt, quint32 seed) const
{
    MonthEntry none;
    none.month = month;
    if (month < 0 || month >= MonthEntry::PageCount)
        return none;

    // simplified(): a prompt that differs only in spacing is the same scene to the person.
    const QString current = currentPrompt.simplified();
    QList<MonthEntry> candidates;
    QSet<QString> seen;
    for (const PromptTheme &theme : themes()) {
        const std::optional<MonthEntry> e = theme.entry(month);
        if (!e || e->prompt.trimmed().isEmpty())
            continue;
        const QString key = e->prompt.simplified();
        if (key == current || seen.contains(key))
            continue;
        seen.insert(key);
        MonthEntry candidate = *e;
        if (candidate.style.isEmpty())
            candidate.style = theme.defaultStyle;
        candidate.masterId = 0;
        candidates.append(candidate);
    }
    if (candidates.isEmpty())
        return none;
    // A seeded QRandomGenerator is a Mersenne Twister: the same pick on every platform.
    QRandomGenerator random(seed);
    return candidates.at(qsizetype(random.bounded(quint32(candidates.size()))));
}

} // namespace CalStudio
