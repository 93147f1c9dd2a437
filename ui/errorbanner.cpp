#include "ui/errorbanner.h"

#include "ui/uilogging.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace CalStudio {

ErrorBanner::ErrorBanner(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_message(new QLabel(this))
    , m_detail(new QLabel(this))
    , m_actionButton(new QPushButton(this))
    , m_detailsButton(new QToolButton(this))
    , m_closeButton(new QToolButton(this))
{
    setObjectName(QStringLiteral("errorBanner"));
    setFrameShape(QFrame::NoFrame);
    setAutoFillBackground(true);
    setAccessibleName(tr("Problem"));
    // A warm, quiet colour: noticeable without looking like a crash.
    setStyleSheet(QStringLiteral("#errorBanner { background: #fdf0e6; border-bottom: 1px solid #e9c4a8; }"
                                 "#errorBanner QLabel { color: #4a2a14; }"
                                 "#errorBannerDetail { color: #6d4c36; font-family: monospace; }"));

    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize) * 2;
    m_icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(iconSize, iconSize));
    m_icon->setAlignment(Qt::AlignTop);

    m_message->setObjectName(QStringLiteral("errorBannerMessage"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_detail->setObjectName(QStringLiteral("errorBannerDetail"));
    m_detail->setWordWrap(true);
    m_detail->setTextFormat(Qt::PlainText);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_detail->hide();

    m_actionButton->setObjectName(QStringLiteral("errorBannerAction"));
    m_actionButton->hide();
    connect(m_actionButton, &QPushButton::clicked, this, [this] {
        // Move the action out first: it may show a new error on this banner.
        auto action = std::exchange(m_action, {});
        dismiss();
        if (action)
            action();
    });

    m_detailsButton->setObjectName(QStringLiteral("errorBannerDetails"));
    m_detailsButton->setText(tr("Details"));
    m_detailsButton->setCheckable(true);
    m_detailsButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_detailsButton->setArrowType(Qt::RightArrow);
    m_detailsButton->setAutoRaise(true);
    connect(m_detailsButton, &QToolButton::toggled, this, &ErrorBanner::setDetailsShown);

    m_closeButton->setObjectName(QStringLiteral("errorBannerClose"));
    m_closeButton->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_closeButton->setAutoRaise(true);
    m_closeButton->setToolTip(tr("Close this message"));
    m_closeButton->setAccessibleName(tr("Close this message"));
    connect(m_closeButton, &QToolButton::clicked, this, &ErrorBanner::dismiss);

    auto *text = new QVBoxLayout;
    text->setSpacing(4);
    text->addWidget(m_message);
    auto *detailsRow = new QHBoxLayout;
    detailsRow->addWidget(m_detailsButton);
    detailsRow->addStretch();
    text->addLayout(detailsRow);
    text->addWidget(m_detail);

    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(16, 10, 10, 10);
    row->setSpacing(12);
    row->addWidget(m_icon, 0, Qt::AlignTop);
    row->addLayout(text, 1);
    row->addWidget(m_actionButton, 0, Qt::AlignTop);
    row->addWidget(m_closeButton, 0, Qt::AlignTop);

    hide();
}

void ErrorBanner::showError(const Error &error, const QString &actionText, std::function<void()> action)
{
    qCWarning(lcUi) << "shown to the user:" << error;
    m_error = error;
    m_message->setText(error.userMessage.isEmpty() ? tr("Something went wrong.") : error.userMessage);
    m_detail->setText(error.detail);
    m_detailsButton->setVisible(!error.detail.isEmpty());
    m_detailsButton->setChecked(false);
    setDetailsShown(false);

    m_action = std::move(action);
    m_actionButton->setText(actionText);
    m_actionButton->setVisible(!actionText.isEmpty() && m_action);
    show();
}

void ErrorBanner::dismiss()
{
    if (isHidden())
        return;
    hide();
    m_action = {};
    Q_EMIT dismissed();
}

void ErrorBanner::setDetailsShown(bool shown)
{
    m_detail->setVisible(shown);
    m_detailsButton->setArrowType(shown ? Qt::DownArrow : Qt::RightArrow);
}

} // namespace CalStudio
