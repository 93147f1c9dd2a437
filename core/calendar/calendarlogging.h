#pragma once

#include <QLoggingCategory>

/// Logging category of core/calendar ("calstudio.calendar"): holiday data loading and date rules.
Q_DECLARE_LOGGING_CATEGORY(lcCalendar)
