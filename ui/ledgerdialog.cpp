#include "ui/ledgerdialog.h"

#include "core/generation/apikeystore.h"
#include "core/generation/costestimate.h"
#include "ui/pagewidgets.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>

namespace CalStudio {

LedgerDialog::LedgerDialog(const QList<LedgerEntry> &entries, QWidget *parent)
    : QDialog(parent)
    , m_table(new QTableWidget(int(entries.size()), 6, this))
{
    setWindowTitle(tr("Spending on This Project"));
    m_table->setObjectName(QStringLiteral("ledgerTable"));
    m_table->setHorizontalHeaderLabels({tr("When"), tr("Page"), tr("Service"), tr("Model"), tr("Size"), tr("Price")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    double total = 0;
    double uncertain = 0;
    for (int row = 0; row < entries.size(); ++row) {
        const LedgerEntry &e = entries.at(row);
        const QString page = e.month == 0 ? tr("Cover") : QLocale().standaloneMonthName(e.month);
        const QString size = e.maybeBilled ? tr("answer lost") : QStringLiteral("%1×%2").arg(e.nativeSize.width()).arg(e.nativeSize.height());
        const QString price = CostEstimate::formatUsd(e.usd) + (e.maybeBilled ? tr(" (may have been billed)") : QString());
        const QStringList cells{QLocale().toString(e.at.toLocalTime(), QLocale::ShortFormat), page,
                                ApiKeyStore::displayName(e.provider), e.model, size, price};
        for (int col = 0; col < cells.size(); ++col)
            m_table->setItem(row, col, new QTableWidgetItem(cells.at(col)));
        (e.maybeBilled ? uncertain : total) += e.usd;
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setStretchLastSection(true);

    QString summary = entries.isEmpty() ? tr("Nothing has been paid for in this project yet. Offline drafts are free.")
                                        : tr("Total: about %1 (estimates from the price table; your service's bill "
                                             "is what counts).").arg(CostEstimate::formatUsd(total));
    if (uncertain > 0)
        summary += tr(" Up to %1 more for answers that were lost and may have been billed.")
                       .arg(CostEstimate::formatUsd(uncertain));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    auto *label = PageWidgets::noteLabel(summary, this);
    label->setObjectName(QStringLiteral("ledgerTotal"));
    layout->addWidget(label);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(720, 420);
}

} // namespace CalStudio
