#include "ui/photopickerdialog.h"

#include "core/project/project.h"
#include "ui/pagewidgets.h"
#include "ui/selfieimagecache.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace CalStudio {

namespace {
constexpr int IdRole = Qt::UserRole + 1;
const QSize IconSize(120, 120);
} // namespace

PhotoPickerDialog::PhotoPickerDialog(Project *project, const QString &title, QWidget *parent)
    : QDialog(parent)
    , m_list(new QListWidget(this))
    , m_cache(new SelfieImageCache(this))
{
    setWindowTitle(title);
    m_list->setObjectName(QStringLiteral("photoList"));
    m_list->setViewMode(QListView::IconMode);
    m_list->setIconSize(IconSize);
    m_list->setResizeMode(QListView::Adjust);
    m_list->setMovement(QListView::Static);
    m_list->setSpacing(6);
    m_list->setGridSize(IconSize + QSize(28, 40)); // portrait and landscape photos never overlap
    m_list->setMinimumSize(560, 300);
    m_cache->setProject(project);

    const QList<SelfieRecord> selfies = project->selfies();
    for (const SelfieRecord &record : selfies) {
        auto *item = new QListWidgetItem(record.originalName, m_list);
        item->setData(IdRole, record.id);
        item->setToolTip(QStringLiteral("%1 (%2×%3)").arg(record.originalName).arg(record.width).arg(record.height));
        if (const QImage thumb = m_cache->thumbnail(record); !thumb.isNull())
            item->setIcon(QPixmap::fromImage(thumb.scaled(IconSize, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
    }
    connect(m_cache, &SelfieImageCache::thumbnailReady, this, [this, selfies](qint64 id) {
        for (const SelfieRecord &record : selfies) {
            if (record.id != id)
                continue;
            for (int row = 0; row < m_list->count(); ++row) {
                QListWidgetItem *item = m_list->item(row);
                if (item->data(IdRole).toLongLong() == id)
                    item->setIcon(QPixmap::fromImage(
                        m_cache->thumbnail(record).scaled(IconSize, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
            }
        }
    });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Use This Photo"));
    buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    connect(m_list, &QListWidget::currentItemChanged, this,
            [buttons](QListWidgetItem *current) { buttons->button(QDialogButtonBox::Ok)->setEnabled(current != nullptr); });
    connect(m_list, &QListWidget::itemActivated, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(PageWidgets::noteLabel(
        tr("The photo is cropped to a square around your face and enlarged to the print size if needed. Print "
           "sharpness depends on the photo's resolution."),
        this));
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);
}

qint64 PhotoPickerDialog::selectedSelfie() const
{
    const QListWidgetItem *item = m_list->currentItem();
    return item ? item->data(IdRole).toLongLong() : 0;
}

} // namespace CalStudio
