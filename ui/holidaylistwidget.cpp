#include "ui/holidaylistwidget.h"

#include "core/project/project.h"
#include "ui/uilogging.h"

#include <QLabel>
#include <QListWidget>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace CalStudio {

HolidayListWidget::HolidayListWidget(QWidget *parent)
    : QWidget(parent)
    , m_list(new QListWidget(this))
    , m_empty(new QLabel(this))
    , m_source(new QLabel(this))
{
    setObjectName(QStringLiteral("holidayListWidget"));
    m_list->setObjectName(QStringLiteral("holidayList"));
    m_list->setAccessibleName(tr("Public holidays shown"));
    m_list->setUniformItemSizes(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setStyleSheet(QStringLiteral("#holidayList { background: white; border: 1px solid #ddd6cb; "
                                         "border-radius: 4px; } #holidayList::item { padding: 2px 4px; }"));

    m_empty->setObjectName(QStringLiteral("holidayListEmpty"));
    m_empty->setWordWrap(true);
    m_empty->setStyleSheet(QStringLiteral("color: #6f6a62;"));

    m_source->setObjectName(QStringLiteral("holidaySource"));
    m_source->setWordWrap(true);
    m_source->setTextFormat(Qt::PlainText);
    m_source->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont small = m_source->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_source->setFont(small);
    m_source->setStyleSheet(QStringLiteral("color: #6f6a62;"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_list);
    layout->addWidget(m_empty);
    layout->addWidget(m_source);

    connect(m_list, &QListWidget::itemChanged, this, &HolidayListWidget::itemChanged);
    rebuild();
}

void HolidayListWidget::setProject(Project *project)
{
    for (const QMetaObject::Connection &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_project = project;
    if (m_project) {
        m_connections.append(connect(m_project.data(), &Project::settingsChanged, this, &HolidayListWidget::rebuild));
        m_connections.append(
            connect(m_project.data(), &Project::holidaysChanged, this, &HolidayListWidget::updateChecks));
    }
    m_shownKey.clear();
    rebuild();
}

void HolidayListWidget::rebuild()
{
    const QString region = m_project ? m_project->settings().holidayRegion : QString();
    QDate from;
    QDate to;
    QString language;
    if (m_project) {
        const ProjectSettings &s = m_project->settings();
        from = QDate(s.year, s.startMonth, 1);
        const QDate last = from.addMonths(11);
        to = QDate(last.year(), last.month(), last.daysInMonth());
        language = s.locale;
    }
    const QString key = QStringLiteral("%1|%2|%3").arg(region, from.toString(Qt::ISODate), language);
    if (key == m_shownKey)
        return; // a title edit must not rebuild (and scroll) the list
    m_shownKey = key;

    if (region != m_calendarRegion) {
        m_calendarRegion = region;
        m_calendar.reset();
        m_calendarError.clear();
        if (!region.isEmpty()) {
            auto calendar = HolidayCalendar::load(region);
            if (calendar) {
                m_calendar = std::move(*calendar);
            } else {
                qCWarning(lcUi) << "holidays of" << region << "unavailable:" << calendar.error().detail;
                m_calendarError = calendar.error().userMessage;
            }
        }
    }

    m_holidays = m_calendar ? m_calendar->between(from, to, language) : QList<Holiday>();
    {
        const QSignalBlocker blocker(m_list);
        m_list->clear();
        // Dates in the UI's language; the names are those printed on the pages.
        const QLocale ui;
        for (const Holiday &h : std::as_const(m_holidays)) {
            auto *item = new QListWidgetItem(
                QStringLiteral("%1   %2").arg(ui.toString(h.date, QStringLiteral("ddd d MMM yyyy")), h.name), m_list);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
            item->setData(Qt::UserRole, h.id);
            item->setToolTip(h.observed
                    ? tr("%1: a day off in place of the holiday, shown and hidden with it.").arg(h.name)
                    : h.name);
        }
    }
    updateChecks();

    const bool any = !m_holidays.isEmpty();
    m_list->setVisible(any);
    if (any) {
        // The whole list is visible; the page scrolls, not a box inside it.
        const int rowHeight = m_list->sizeHintForRow(0);
        m_list->setFixedHeight(rowHeight * int(m_holidays.size()) + 2 * m_list->frameWidth() + 4);
    }
    if (!m_calendarError.isEmpty())
        m_empty->setText(m_calendarError);
    else if (region.isEmpty())
        m_empty->setText(tr("No public holidays are marked. Choose a country to see its holidays here."));
    else
        m_empty->setText(any ? QString() : tr("No public holidays fall within this calendar."));
    m_empty->setVisible(!m_empty->text().isEmpty());

    if (m_calendar) {
        QString text = tr("Source: %1").arg(m_calendar->source());
        if (!m_calendar->note().isEmpty())
            text += QLatin1Char('\n') + m_calendar->note();
        m_source->setText(text);
    } else {
        m_source->clear();
    }
    m_source->setVisible(m_calendar.has_value());
}

void HolidayListWidget::updateChecks()
{
    if (!m_project)
        return;
    const QString region = m_project->settings().holidayRegion;
    m_updating = true;
    for (int row = 0; row < m_list->count(); ++row) {
        QListWidgetItem *item = m_list->item(row);
        const bool on = m_project->isHolidayEnabled(region, item->data(Qt::UserRole).toString());
        item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    }
    m_updating = false;
}

void HolidayListWidget::itemChanged(QListWidgetItem *item)
{
    if (m_updating || !m_project)
        return;
    const bool on = item->checkState() == Qt::Checked;
    const QString id = item->data(Qt::UserRole).toString();
    // Emits holidaysChanged → updateChecks(), which ticks the holiday's observed day the same way.
    m_project->setHolidayEnabled(m_project->settings().holidayRegion, id, on);
}

} // namespace CalStudio
