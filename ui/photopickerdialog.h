#pragma once

#include <QDialog>

class QListWidget;

namespace CalStudio {

class Project;
class SelfieImageCache;

/// Chooses one of the project's own photos (its selfies) to use as a month's picture instead of a generated one.
class PhotoPickerDialog : public QDialog {
    Q_OBJECT
public:
    PhotoPickerDialog(Project *project, const QString &title, QWidget *parent = nullptr);

    /// The chosen selfie's id, 0 when none is selected.
    [[nodiscard]] qint64 selectedSelfie() const;
    [[nodiscard]] QListWidget *list() const { return m_list; }

private:
    QListWidget *m_list;
    SelfieImageCache *m_cache;
};

} // namespace CalStudio
