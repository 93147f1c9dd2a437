// Sample input for layering/rejects-bad-includes: a core file that must be rejected.
#include <QWidget>
