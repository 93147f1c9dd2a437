#include "ui/selfieimportreport.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace CalStudio {

namespace {

const QColor Good(0x2e, 0x7d, 0x32);
const QColor Attention(0x9a, 0x62, 0x00);
const QColor Bad(0xb3, 0x26, 0x1e);
const QColor Quiet(0x6f, 0x6a, 0x62);

} // namespace

SelfieImportReport::SelfieImportReport(QWidget *parent)
    : QFrame(parent)
    , m_summary(new QLabel(this))
    , m_list(new QTreeWidget(this))
    , m_closeButton(new QToolButton(this))
{
    setObjectName(QStringLiteral("importReport"));
    setFrameShape(QFrame::StyledPanel);
    setStyleSheet(QStringLiteral("#importReport { background: #fbf9f5; border: 1px solid #e0dad0; border-radius: 6px; }"));

    auto *title = new QLabel(tr("Import report"), this);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    m_summary->setObjectName(QStringLiteral("importSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);

    m_closeButton->setObjectName(QStringLiteral("closeReportButton"));
    m_closeButton->setText(tr("Close"));
    m_closeButton->setToolTip(tr("Close the report (Esc)"));
    m_closeButton->setAutoRaise(true);
    connect(m_closeButton, &QToolButton::clicked, this, [this] {
        hide();
        Q_EMIT closed();
    });

    m_list->setObjectName(QStringLiteral("importReportList"));
    m_list->setAccessibleName(tr("Import report"));
    m_list->setColumnCount(3);
    m_list->setHeaderLabels({ tr("Photo"), tr("Result"), tr("Details") });
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(false);
    m_list->setWordWrap(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->header()->setStretchLastSection(true);
    m_list->header()->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    m_list->header()->setSectionResizeMode(ResultColumn, QHeaderView::ResizeToContents);
    m_list->setColumnWidth(NameColumn, 200);
    // About five lines; longer reports scroll, so the selfies keep the room.
    m_list->setMinimumHeight(70);
    m_list->setMaximumHeight(112);

    auto *top = new QHBoxLayout;
    top->setSpacing(10);
    top->addWidget(title);
    top->addWidget(m_summary, 1);
    top->addWidget(m_closeButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 8, 8);
    layout->setSpacing(6);
    layout->addLayout(top);
    layout->addWidget(m_list);
}

void SelfieImportReport::clear()
{
    m_outcomes.clear();
    m_list->clear();
    updateSummary();
}

QString SelfieImportReport::statusText(const ImportOutcome &outcome)
{
    switch (outcome.status) {
    case ImportOutcome::Status::Imported:
        return outcome.warnings.isEmpty() ? tr("Imported") : tr("Imported, with warnings");
    case ImportOutcome::Status::Duplicate:
        return tr("Already in the project");
    case ImportOutcome::Status::Failed:
        return tr("Not imported");
    case ImportOutcome::Status::Cancelled:
        return tr("Cancelled");
    }
    return {};
}

void SelfieImportReport::addOutcome(const ImportOutcome &outcome)
{
    m_outcomes.append(outcome);
    auto *item = new QTreeWidgetItem(m_list);
    item->setText(NameColumn, outcome.name);
    item->setToolTip(NameColumn, outcome.name);
    item->setText(ResultColumn, statusText(outcome));

    QString details;
    QColor colour = Good;
    switch (outcome.status) {
    case ImportOutcome::Status::Imported:
        details = outcome.warnings.join(QLatin1Char('\n'));
        colour = outcome.warnings.isEmpty() ? Good : Attention;
        break;
    case ImportOutcome::Status::Duplicate:
        details = outcome.error.userMessage.isEmpty() ? tr("This photo is already in the project.")
                                                      : outcome.error.userMessage;
        colour = Quiet;
        break;
    case ImportOutcome::Status::Failed:
        details = outcome.error.userMessage;
        colour = Bad;
        break;
    case ImportOutcome::Status::Cancelled:
        details = tr("The import was cancelled before this photo.");
        colour = Quiet;
        break;
    }
    item->setText(DetailsColumn, details);
    item->setToolTip(DetailsColumn, outcome.error.detail.isEmpty() ? details : details + QStringLiteral("\n\n") + outcome.error.detail);
    item->setForeground(ResultColumn, colour);
    QFont bold = m_list->font();
    bold.setBold(true);
    item->setFont(ResultColumn, bold);
    // Problems first catch the eye when the list is long: scroll to the latest failure.
    if (outcome.status == ImportOutcome::Status::Failed)
        m_list->scrollToItem(item);
    updateSummary();
}

QString SelfieImportReport::summary() const
{
    int imported = 0;
    int duplicates = 0;
    int failed = 0;
    int cancelled = 0;
    for (const ImportOutcome &o : m_outcomes) {
        switch (o.status) {
        case ImportOutcome::Status::Imported:
            ++imported;
            break;
        case ImportOutcome::Status::Duplicate:
            ++duplicates;
            break;
        case ImportOutcome::Status::Failed:
            ++failed;
            break;
        case ImportOutcome::Status::Cancelled:
            ++cancelled;
            break;
        }
    }
    QStringList parts;
    parts.append(imported == 1 ? tr("1 photo imported") : tr("%1 photos imported").arg(imported));
    if (duplicates)
        parts.append(tr("%n already in the project", nullptr, duplicates));
    if (failed)
        parts.append(tr("%n could not be imported", nullptr, failed));
    if (cancelled)
        parts.append(tr("%n skipped (cancelled)", nullptr, cancelled));
    return parts.join(QStringLiteral(", ")) + QLatin1Char('.');
}

void SelfieImportReport::updateSummary()
{
    m_summary->setText(summary());
}

void SelfieImportReport::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        hide();
        Q_EMIT closed();
        return;
    }
    QFrame::keyPressEvent(event);
}

} // namespace CalStudio
