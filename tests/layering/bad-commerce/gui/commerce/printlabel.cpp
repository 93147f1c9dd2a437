// Sample input for layering/rejects-commerce-gui: core/commerce must use QtCore only.
#include <QString>
#include <QImage>
