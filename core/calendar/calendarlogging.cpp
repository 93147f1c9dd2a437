#include "core/calendar/calendarlogging.h"

Q_LOGGING_CATEGORY(lcCalendar, "calstudio.calendar", QtInfoMsg)
