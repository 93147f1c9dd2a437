#include "core/project/project.h"

#include "core/project/monthcommand.h"
#include "core/project/projectlogging.h"
#include "core/project/projectstore.h"
#include "core/project/replacecommand.h"
#include "core/project/settingscommand.h"

#include <QFile>
#include <QMutex>

namespace CalStudio {

namespace {
// After a failed save, wait longer before trying again (the disk won't empty itself in 300 ms).
constexpr int RetryDelayMs = 5000;
// While a worker stores a picture, autosave looks again this soon.
constexpr int GateRetryMs = 50;
} // namespace

Project::Project(std::unique_ptr<ProjectStore> store, ProjectSettings settings, QList<MonthEntry> months,
                 QList<SpecialDate> specialDates, QSet<QString> holidaysOff, QList<SelfieRecord> selfies)
    : m_store(std::move(store))
    , m_settings(std::move(settings))
    , m_months(std::move(months))
    , m_specialDates(std::move(specialDates))
    , m_holidaysOff(std::move(holidaysOff))
    , m_selfies(std::move(selfies))
{
    m_autosave.setSingleShot(true);
    connect(&m_autosave, &QTimer::timeout, this, [this] {
        // A worker is storing a picture (ProjectStore::writeGate): saving now would wait for its lock on
        // this (the UI) thread. The edits are safe in memory; try again shortly.
        QMutex &gate = ProjectStore::writeGate(m_store->path());
        if (!gate.tryLock()) {
            m_autosave.start(GateRetryMs);
            return;
        }
        // Held while saving, so no worker starts a long write in between.
        (void)flush();
        gate.unlock();
    });
}

Project::~Project()
{
    // Commands hold a pointer to us; drop them before anything else goes.
    m_undoStack.clear();
    if (hasUnsavedChanges()) {
        if (auto st = flush(); !st)
            qCWarning(lcProject) << "could not save on close:" << st.error();
    }
    // Selfies deleted in this session, and masters only undo could choose
    // again, leave the file now that undo cannot bring them back.
    if (m_store->access() == ProjectStore::Access::ReadWrite) {
        if (auto st = m_store->purgeDeletedSelfies(); !st)
            qCWarning(lcProject) << "could not remove deleted selfies:" << st.error();
        if (auto st = m_store->purgeUnusedMasters(); !st)
            qCWarning(lcProject) << "could not remove unused masters:" << st.error();
    }
}

Result<std::unique_ptr<Project>> Project::create(const QString &path, const ProjectSettings &settings)
{
    auto store = ProjectStore::create(path, settings);
    if (!store)
        return store.error();
    return fromStore(std::move(*store));
}

Result<std::unique_ptr<Project>> Project::open(const QString &path)
{
    auto store = ProjectStore::open(path);
    if (!store)
        return store.error();
    return fromStore(std::move(*store));
}

Result<std::unique_ptr<Project>> Project::fromStore(std::unique_ptr<ProjectStore> store)
{
    auto settings = store->loadSettings();
    if (!settings)
        return settings.error();
    auto months = store->loadMonths();
    if (!months)
        return months.error();
    auto dates = store->loadSpecialDates();
    if (!dates)
        return dates.error();
    auto off = store->loadHolidaysOff();
    if (!off)
        return off.error();
    // Left over from a session that ended without closing (a crash): finish the delete.
    if (auto st = store->purgeDeletedSelfies(); !st)
        return st.error();
    if (auto st = store->purgeUnusedMasters(); !st)
        return st.error();
    auto selfies = store->loadSelfies();
    if (!selfies)
        return selfies.error();
    auto crops = store->loadUserCrops();
    if (!crops)
        return crops.error();
    std::unique_ptr<Project> project(new Project(std::move(store), std::move(*settings), std::move(*months),
                                                 std::move(*dates), std::move(*off), std::move(*selfies)));
    project->m_userCrops = std::move(*crops);
    return project;
}

Result<std::unique_ptr<Project>> Project::createForNextYear(const QString &path)
{
    (void)flush(); // best effort: what follows uses memory, not the file
    ProjectSettings next = m_settings;
    next.year = m_settings.year + 1;
    const QString oldYear = QString::number(m_settings.year);
    if (next.title.contains(oldYear))
        next.title.replace(oldYear, QString::number(next.year));
    next.createdAt = QDateTime();
    if (auto st = next.validate(); !st)
        return st.error();
    auto store = ProjectStore::create(path, next);
    if (!store)
        return store.error();
    if (auto st = (*store)->replaceSpecialDates(m_specialDates); !st)
        return st.error();
    if (auto st = (*store)->replaceHolidaysOff(m_holidaysOff); !st)
        return st.error();
    return fromStore(std::move(*store));
}

QString Project::path() const
{
    return m_store->path();
}

template<typename T>
Status Project::pushSetting(T ProjectSettings::*member, const T &value, int field, const QString &text)
{
    ProjectSettings changed = m_settings;
    changed.*member = value;
    if (changed.sameContent(m_settings))
        return Status::success();
    if (auto st = changed.validate(); !st)
        return st;
    m_undoStack.push(
        new SettingsCommand(this, m_settings, changed, static_cast<SettingsCommand::Field>(field), text));
    return Status::success();
}

Status Project::setTitle(const QString &title)
{
    return pushSetting(&ProjectSettings::title, title, SettingsCommand::Title, tr("Change title"));
}

Status Project::setYear(int year)
{
    return pushSetting(&ProjectSettings::year, year, SettingsCommand::Year, tr("Change year"));
}

Status Project::setStartMonth(int month)
{
    return pushSetting(&ProjectSettings::startMonth, month, SettingsCommand::StartMonth, tr("Change first month"));
}

Status Project::setWeekStart(WeekStart weekStart)
{
    return pushSetting(&ProjectSettings::weekStart, weekStart, SettingsCommand::WeekStartField,
                       tr("Change week start"));
}

Status Project::setLocale(const QString &locale)
{
    return pushSetting(&ProjectSettings::locale, locale, SettingsCommand::Locale, tr("Change language"));
}

Status Project::setHolidayRegion(const QString &region)
{
    return pushSetting(&ProjectSettings::holidayRegion, region, SettingsCommand::HolidayRegion,
                       tr("Change holidays"));
}

Status Project::setPageLayout(const QString &layoutId)
{
    return pushSetting(&ProjectSettings::pageLayout, layoutId, SettingsCommand::PageLayoutField,
                       tr("Change page layout"));
}

Status Project::setPageTheme(const QString &themeId)
{
    return pushSetting(&ProjectSettings::pageTheme, themeId, SettingsCommand::PageThemeField,
                       tr("Change page theme"));
}

Status Project::setWeekNumbers(bool on)
{
    return pushSetting(&ProjectSettings::weekNumbers, on, SettingsCommand::WeekNumbersField,
                       tr("Show week numbers"));
}

Status Project::setNotesLine(bool on)
{
    return pushSetting(&ProjectSettings::notesLine, on, SettingsCommand::NotesLineField, tr("Show notes line"));
}

Status Project::setSpendCap(double usd)
{
    return pushSetting(&ProjectSettings::spendCapUsd, usd, SettingsCommand::SpendCapField,
                       tr("Change spend limit"));
}

Status Project::setMonths(const QList<MonthEntry> &entries, const QString &undoText)
{
    for (const MonthEntry &e : entries) {
        if (e.month < 0 || e.month >= MonthEntry::PageCount)
            return Error(QStringLiteral("invalid_month"), tr("There is no such page in the calendar."),
                         QString::number(e.month));
    }
    m_undoStack.beginMacro(undoText);
    for (MonthEntry e : entries) {
        const MonthEntry &current = m_months.at(e.month);
        e.masterId = current.masterId; // words only (a theme carries no pictures)
        if (!e.sameContent(current))
            m_undoStack.push(new MonthCommand(this, current, e, undoText));
    }
    m_undoStack.endMacro();
    return Status::success();
}

Status Project::checkMaster(int month, qint64 masterId) const
{
    if (month < 0 || month >= MonthEntry::PageCount)
        return Error(QStringLiteral("invalid_month"), tr("There is no such page in the calendar."),
                     QString::number(month));
    if (masterId < 0)
        return Error(QStringLiteral("not_found"), tr("That picture is no longer in the project."),
                     QString::number(masterId));
    if (masterId == 0)
        return Status::success();
    auto info = m_store->masterInfo(masterId);
    if (!info)
        return info.error();
    if (info->month != month)
        return Error(QStringLiteral("wrong_month"), tr("That picture belongs to another month."),
                     QStringLiteral("master %1 is of month %2, not %3").arg(masterId).arg(info->month).arg(month));
    return Status::success();
}

Status Project::setMaster(int month, qint64 masterId, const QString &undoText)
{
    if (auto st = checkMaster(month, masterId); !st)
        return st;
    const qint64 current = m_months.at(month).masterId;
    if (masterId == current)
        return Status::success();
    m_undoStack.push(new ReplaceCommand<qint64>([this, month](const qint64 &id) { applyMaster(month, id); },
                                                current, masterId,
                                                undoText.isEmpty() ? tr("Choose picture") : undoText));
    return Status::success();
}

void Project::assignMaster(int month, qint64 masterId)
{
    if (auto st = checkMaster(month, masterId); !st) {
        qCWarning(lcProject) << "not assigning master" << masterId << "to month" << month << st.error();
        return;
    }
    if (m_months.at(month).masterId != masterId)
        applyMaster(month, masterId);
}

Status Project::setSpecialDates(const QList<SpecialDate> &dates, const QString &undoText)
{
    for (const SpecialDate &d : dates) {
        if (!d.date.isValid() || d.label.trimmed().isEmpty())
            return Error(QStringLiteral("invalid_date"), tr("Each date needs a day and a name."));
    }
    if (dates == m_specialDates)
        return Status::success();
    m_undoStack.push(new ReplaceCommand<QList<SpecialDate>>([this](const QList<SpecialDate> &v) { applySpecialDates(v); },
                                                            m_specialDates, dates, undoText));
    return Status::success();
}

bool Project::isHolidayEnabled(const QString &region, const QString &holidayId) const
{
    return !m_holidaysOff.contains(region + QLatin1Char(':') + holidayId);
}

void Project::setHolidayEnabled(const QString &region, const QString &holidayId, bool enabled)
{
    QSet<QString> off = m_holidaysOff;
    const QString key = region + QLatin1Char(':') + holidayId;
    if (enabled)
        off.remove(key);
    else
        off.insert(key);
    if (off == m_holidaysOff)
        return;
    m_undoStack.push(new ReplaceCommand<QSet<QString>>([this](const QSet<QString> &v) { applyHolidaysOff(v); },
                                                       m_holidaysOff, off,
                                                       enabled ? tr("Show holiday") : tr("Hide holiday")));
}

QList<SelfieRecord> Project::selfies() const
{
    QList<SelfieRecord> live;
    for (const SelfieRecord &r : m_selfies) {
        if (!r.deleted)
            live.append(r);
    }
    std::stable_sort(live.begin(), live.end(),
                     [](const SelfieRecord &a, const SelfieRecord &b) { return a.position < b.position; });
    return live;
}

void Project::addImportedSelfie(const SelfieRecord &record)
{
    m_selfies.append(record);
    Q_EMIT selfiesChanged();
}

void Project::recordImportedSelfies(const QList<SelfieRecord> &records)
{
    if (records.isEmpty())
        return;
    QSet<qint64> ids;
    for (const SelfieRecord &r : records) {
        ids.insert(r.id);
        const bool known = std::any_of(m_selfies.begin(), m_selfies.end(),
                                       [&](const SelfieRecord &s) { return s.id == r.id; });
        if (!known)
            m_selfies.append(r);
    }
    QList<SelfieRecord> before = m_selfies;
    for (SelfieRecord &r : before) {
        if (ids.contains(r.id))
            r.deleted = true;
    }
    m_undoStack.push(new ReplaceCommand<QList<SelfieRecord>>([this](const QList<SelfieRecord> &v) { applySelfies(v); },
                                                             before, m_selfies,
                                                             tr("Import %n selfie(s)", nullptr, int(records.size()))));
}

Status Project::setSelfies(const QList<SelfieRecord> &live, const QString &undoText)
{
    QList<SelfieRecord> after = m_selfies;
    for (const SelfieRecord &changed : live) {
        auto it = std::find_if(after.begin(), after.end(), [&](const SelfieRecord &r) { return r.id == changed.id; });
        if (it == after.end())
            return Error(QStringLiteral("not_found"), tr("That selfie is no longer in the project."),
                         QString::number(changed.id));
        *it = changed;
    }
    if (after == m_selfies)
        return Status::success();
    m_undoStack.push(new ReplaceCommand<QList<SelfieRecord>>([this](const QList<SelfieRecord> &v) { applySelfies(v); },
                                                             m_selfies, after, undoText));
    return Status::success();
}

Status Project::forgetSelfies()
{
    if (auto st = flush(); !st)
        return st;
    if (auto st = m_store->forgetAllSelfies(); !st)
        return st;
    m_undoStack.clear();
    m_selfies.clear();
    m_selfiesDirty = false;
    Q_EMIT selfiesChanged();
    return Status::success();
}

void Project::applySelfies(const QList<SelfieRecord> &all)
{
    m_selfies = all;
    m_selfiesDirty = true;
    scheduleSave();
    Q_EMIT selfiesChanged();
}

void Project::applySpecialDates(const QList<SpecialDate> &dates)
{
    m_specialDates = dates;
    m_specialDatesDirty = true;
    scheduleSave();
    Q_EMIT specialDatesChanged();
}

void Project::applyHolidaysOff(const QSet<QString> &off)
{
    m_holidaysOff = off;
    m_holidaysOffDirty = true;
    scheduleSave();
    Q_EMIT holidaysChanged();
}

Status Project::setMonth(const MonthEntry &entry, const QString &undoText)
{
    if (entry.month < 0 || entry.month >= MonthEntry::PageCount)
        return Error(QStringLiteral("invalid_month"), tr("There is no such page in the calendar."),
                     QString::number(entry.month));
    const MonthEntry &current = m_months.at(entry.month);
    if (entry.sameContent(current))
        return Status::success();
    MonthEntry after = entry;
    after.masterId = current.masterId;
    m_undoStack.push(new MonthCommand(this, current, after, undoText.isEmpty() ? tr("Edit page") : undoText));
    return Status::success();
}

void Project::applySettings(const ProjectSettings &settings)
{
    const QDateTime created = m_settings.createdAt;
    m_settings = settings;
    m_settings.createdAt = created;
    m_settingsDirty = true;
    scheduleSave();
    Q_EMIT settingsChanged();
}

void Project::applyMonth(const MonthEntry &entry)
{
    // Only setMaster/assignMaster choose pictures: an undo of a prompt edit
    // made before a master arrived must not take it away again.
    MonthEntry &page = m_months[entry.month];
    const qint64 masterId = page.masterId;
    page = entry;
    page.masterId = masterId;
    m_dirtyMonths.insert(entry.month);
    scheduleSave();
    Q_EMIT monthChanged(entry.month);
}

void Project::applyMaster(int month, qint64 masterId)
{
    m_months[month].masterId = masterId;
    m_dirtyMonths.insert(month);
    scheduleSave();
    Q_EMIT masterChanged(month);
}

void Project::setAutosaveDelay(int ms)
{
    m_autosaveDelay = qMax(0, ms);
}

void Project::scheduleSave()
{
    // Restarting the timer debounces; after a failure the retry delay stands.
    if (!m_lastSaveFailed || !m_autosave.isActive())
        m_autosave.start(m_lastSaveFailed ? RetryDelayMs : m_autosaveDelay);
}

Status Project::flush()
{
    m_autosave.stop();
    if (!hasUnsavedChanges())
        return Status::success();

    Status result;
    if (m_settingsDirty) {
        result = m_store->saveSettings(m_settings);
        if (result)
            m_settingsDirty = false;
    }
    if (result && !m_dirtyMonths.isEmpty()) {
        QList<MonthEntry> dirty;
        for (int m : std::as_const(m_dirtyMonths))
            dirty.append(m_months.at(m));
        result = m_store->saveMonths(dirty);
        if (result)
            m_dirtyMonths.clear();
    }

    if (result && m_specialDatesDirty) {
        result = m_store->replaceSpecialDates(m_specialDates);
        if (result)
            m_specialDatesDirty = false;
    }
    if (result && m_userCropsDirty) {
        result = m_store->replaceUserCrops(m_userCrops);
        if (result)
            m_userCropsDirty = false;
    }
    if (result && m_selfiesDirty) {
        result = m_store->saveSelfieStates(m_selfies);
        if (result)
            m_selfiesDirty = false;
    }
    if (result && m_holidaysOffDirty) {
        result = m_store->replaceHolidaysOff(m_holidaysOff);
        if (result)
            m_holidaysOffDirty = false;
    }

    if (!result) {
        qCWarning(lcProject) << "autosave failed:" << result.error();
        m_lastSaveFailed = true;
        m_autosave.start(RetryDelayMs);
        Q_EMIT saveFailed(result.error());
        return result;
    }
    m_lastSaveFailed = false;
    qCDebug(lcProject) << "saved" << path();
    Q_EMIT saved();
    return result;
}

Status Project::saveAs(const QString &path)
{
    // If the current file cannot take the pending edits (its disk is full or
    // gone), the copy still gets them: it is made from what is saved, then the
    // edits in memory are written into it. That is how a user rescues work.
    const bool flushed = flush().ok();
    if (auto st = m_store->copyTo(path); !st)
        return st;
    auto store = ProjectStore::open(path);
    if (!store)
        return store.error();
    std::unique_ptr<ProjectStore> previous = std::exchange(m_store, std::move(*store));
    if (!flushed) {
        m_settingsDirty = true;
        m_specialDatesDirty = true;
        m_holidaysOffDirty = true;
        m_selfiesDirty = true;
        for (int m = 0; m < MonthEntry::PageCount; ++m)
            m_dirtyMonths.insert(m);
        if (auto st = flush(); !st) {
            m_store = std::move(previous);
            QFile::remove(path);
            return st;
        }
    }
    Q_EMIT pathChanged(m_store->path());
    return Status::success();
}

std::optional<QRectF> Project::userCrop(int page, const QString &formatId) const
{
    const auto it = m_userCrops.constFind(CropKey{page, formatId});
    if (it == m_userCrops.cend())
        return std::nullopt;
    return *it;
}

Status Project::setUserCrop(int page, const QString &formatId, const QRectF &rect, const QString &undoText)
{
    if (page < 0 || page >= MonthEntry::PageCount)
        return Error(QStringLiteral("invalid_month"), tr("There is no page %1.").arg(page));
    // Fractions of the master: inside 0–1 and not empty.
    const bool valid = rect.isValid() && rect.width() > 0.01 && rect.height() > 0.01 && rect.left() >= -1e-9
        && rect.top() >= -1e-9 && rect.right() <= 1 + 1e-9 && rect.bottom() <= 1 + 1e-9;
    if (formatId.isEmpty() || !valid)
        return Error(QStringLiteral("invalid_crop"), tr("That crop is outside the picture."),
                     QStringLiteral("page %1 format %2 rect %3,%4 %5x%6")
                         .arg(page)
                         .arg(formatId)
                         .arg(rect.x())
                         .arg(rect.y())
                         .arg(rect.width())
                         .arg(rect.height()));
    UserCrops after = m_userCrops;
    after.insert(CropKey{page, formatId}, rect);
    if (after == m_userCrops)
        return Status::success();
    m_undoStack.push(new ReplaceCommand<UserCrops>([this](const UserCrops &c) { applyUserCrops(c); }, m_userCrops,
                                                   after, undoText.isEmpty() ? tr("Adjust Crop") : undoText));
    return Status::success();
}

void Project::resetUserCrop(int page, const QString &formatId)
{
    if (!m_userCrops.contains(CropKey{page, formatId}))
        return;
    UserCrops after = m_userCrops;
    after.remove(CropKey{page, formatId});
    m_undoStack.push(new ReplaceCommand<UserCrops>([this](const UserCrops &c) { applyUserCrops(c); }, m_userCrops,
                                                   after, tr("Reset Crop to Automatic")));
}

void Project::applyUserCrops(const UserCrops &crops)
{
    m_userCrops = crops;
    m_userCropsDirty = true;
    Q_EMIT cropsChanged();
    scheduleSave();
}

} // namespace CalStudio
