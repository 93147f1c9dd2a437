#pragma once

#include "core/generation/ledgerentry.h"

#include <QDialog>

class QTableWidget;

namespace CalStudio {

/// The project's spending: every generated picture with its service, model, size and estimated price, and a total.
class LedgerDialog : public QDialog {
    Q_OBJECT
public:
    explicit LedgerDialog(const QList<LedgerEntry> &entries, QWidget *parent = nullptr);

    [[nodiscard]] QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table;
};

} // namespace CalStudio
