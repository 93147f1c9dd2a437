#include "ui/regeneratedialog.h"

#include "ui/pagewidgets.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QFormLayout>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace CalStudio {

RegenerateDialog::RegenerateDialog(const MonthEntry &entry, const QString &pageName, int candidates, QWidget *parent)
    : QDialog(parent)
    , m_prompt(new QPlainTextEdit(entry.prompt, this))
    , m_candidates(new QSpinBox(this))
{
    setWindowTitle(tr("Regenerate %1").arg(pageName));
    m_prompt->setObjectName(QStringLiteral("regeneratePrompt"));
    m_prompt->setTabChangesFocus(true);
    m_prompt->setMinimumSize(420, 120);
    m_candidates->setRange(1, 4);
    m_candidates->setValue(qBound(1, candidates, 4));
    auto *form = new QFormLayout;
    form->addRow(tr("&Scene:"), m_prompt);
    form->addRow(tr("&New pictures:"), m_candidates);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Generate"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(PageWidgets::noteLabel(
        tr("The pictures you have stay; the new ones are added to choose from. A refused prompt usually passes when "
           "it describes the scene plainly, without names of real people or brands."),
        this));
    layout->addLayout(form);
    layout->addWidget(buttons);
}

QString RegenerateDialog::prompt() const
{
    return m_prompt->toPlainText().trimmed();
}

int RegenerateDialog::candidates() const
{
    return m_candidates->value();
}

} // namespace CalStudio
