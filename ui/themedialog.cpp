#include "ui/themedialog.h"

#include "core/project/stylepreset.h"
#include "ui/promptlistdelegate.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace CalStudio {

namespace {

QString styleName(const QString &id)
{
    if (id.isEmpty())
        return {};
    const std::optional<StylePreset> preset = StylePreset::find(id);
    return preset ? preset->name : id;
}

} // namespace

ThemeDialog::ThemeDialog(const QList<PromptTheme> &themes, const QList<std::pair<int, QString>> &pages, QWidget *parent)
    : QDialog(parent)
    , m_themes(themes)
    , m_pages(pages)
    , m_list(new QListWidget(this))
    , m_name(new QLabel(this))
    , m_description(new QLabel(this))
    , m_preview(new QTextBrowser(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("themeDialog"));
    setWindowTitle(tr("Apply Theme"));
    setModal(true);
    resize(940, 620);
    setMinimumSize(680, 460);

    m_list->setObjectName(QStringLiteral("themeList"));
    m_list->setAccessibleName(tr("Themes"));
    PromptListDelegate::install(m_list);
    m_list->setMinimumWidth(240);
    m_list->setStyleSheet(QStringLiteral("#themeList { outline: 0; }"));
    for (const PromptTheme &theme : std::as_const(m_themes)) {
        auto *item = new QListWidgetItem(theme.name, m_list);
        item->setData(PromptListDelegate::SecondaryTextRole, theme.description);
        item->setToolTip(theme.description);
        item->setData(Qt::UserRole, theme.id);
        if (!theme.builtIn) {
            item->setData(PromptListDelegate::BadgeTextRole, tr("Yours"));
            item->setData(PromptListDelegate::BadgeColorRole, QColor(0x2f, 0x6f, 0x9f));
        }
    }

    auto *listLabel = new QLabel(tr("&Themes"), this);
    listLabel->setBuddy(m_list);

    m_name->setObjectName(QStringLiteral("themeName"));
    QFont nameFont = m_name->font();
    nameFont.setPointSizeF(nameFont.pointSizeF() * 1.3);
    nameFont.setBold(true);
    m_name->setFont(nameFont);
    m_name->setTextFormat(Qt::PlainText);
    m_description->setObjectName(QStringLiteral("themeDescription"));
    m_description->setWordWrap(true);
    m_description->setTextFormat(Qt::PlainText);
    m_description->setStyleSheet(QStringLiteral("color: #6f6a62;"));

    m_preview->setObjectName(QStringLiteral("themePreview"));
    m_preview->setAccessibleName(tr("Preview of the theme's pages"));
    m_preview->setOpenLinks(false);
    m_preview->setFrameShape(QFrame::StyledPanel);
    m_preview->document()->setDocumentMargin(12);

    // The one thing a person must know before pressing the button: it is not a merge.
    auto *warning = new QLabel(tr("Applying a theme replaces the title, scene, style and “avoid” text of all "
                                  "13 pages. Your current prompts are not lost: Edit ▸ Undo (Ctrl+Z) brings "
                                  "them back."),
        this);
    warning->setObjectName(QStringLiteral("themeWarning"));
    warning->setWordWrap(true);
    warning->setStyleSheet(QStringLiteral("QLabel#themeWarning { background: #fbf1dc; border: 1px solid #e8d3a6; "
                                          "border-radius: 6px; padding: 8px 10px; color: #5c4714; }"));

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(6);
    leftLayout->addWidget(listLabel);
    leftLayout->addWidget(m_list, 1);

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->setSpacing(6);
    rightLayout->addWidget(m_name);
    rightLayout->addWidget(m_description);
    rightLayout->addSpacing(4);
    rightLayout->addWidget(m_preview, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 300, 620 });

    QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setText(tr("&Apply Theme"));
    ok->setObjectName(QStringLiteral("applyThemeButton"));
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelThemeButton"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(18, 16, 18, 14);
    layout->setSpacing(12);
    layout->addWidget(splitter, 1);
    layout->addWidget(warning);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::currentRowChanged, this, &ThemeDialog::showPreview);
    connect(m_list, &QListWidget::itemActivated, this, [this] {
        if (selectedTheme())
            accept();
    });

    // The first theme is shown at once, so the preview never starts empty and
    // Up/Down in the list flips through the themes.
    m_list->setCurrentRow(m_themes.isEmpty() ? -1 : 0);
    showPreview(m_list->currentRow());
    m_list->setFocus();
}

std::optional<PromptTheme> ThemeDialog::selectedTheme() const
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= m_themes.size())
        return std::nullopt;
    return m_themes.at(row);
}

bool ThemeDialog::selectTheme(const QString &id)
{
    for (int row = 0; row < m_themes.size(); ++row) {
        if (m_themes.at(row).id == id) {
            m_list->setCurrentRow(row);
            return true;
        }
    }
    return false;
}

void ThemeDialog::showPreview(int row)
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(row >= 0 && row < m_themes.size());
    if (row < 0 || row >= m_themes.size()) {
        m_name->setText(m_themes.isEmpty() ? tr("No themes available") : QString());
        m_description->clear();
        m_preview->clear();
        return;
    }
    const PromptTheme &theme = m_themes.at(row);
    m_name->setText(theme.name);
    m_description->setText(theme.description);

    // Rich text from our own markup only; every value from a theme file is escaped.
    QString html = QStringLiteral("<html><body>");
    for (const auto &[month, pageName] : std::as_const(m_pages)) {
        const std::optional<MonthEntry> entry = theme.entry(month);
        if (!entry)
            continue;
        const QString style = styleName(entry->style.isEmpty() ? theme.defaultStyle : entry->style);
        html += QStringLiteral(
            "<p style=\"margin-bottom: 12px; line-height: 125%;\"><span style=\"color: #c2562f; font-weight: 600;\">"
            "%1</span>")
                    .arg(pageName.toHtmlEscaped());
        if (!entry->title.isEmpty())
            html += QStringLiteral(" &nbsp;<b>%1</b>").arg(entry->title.toHtmlEscaped());
        html += QStringLiteral("<br>%1").arg(entry->prompt.toHtmlEscaped());
        QStringList notes;
        if (!style.isEmpty())
            notes.append(tr("Style: %1").arg(style).toHtmlEscaped());
        if (!entry->avoid.isEmpty())
            notes.append(tr("Avoid: %1").arg(entry->avoid).toHtmlEscaped());
        if (!notes.isEmpty())
            html += QStringLiteral("<br><span style=\"color: #6f6a62;\">%1</span>")
                        .arg(notes.join(QStringLiteral(" &nbsp;·&nbsp; ")));
        html += QStringLiteral("</p>");
    }
    html += QStringLiteral("</body></html>");
    m_preview->setHtml(html);
}

} // namespace CalStudio
