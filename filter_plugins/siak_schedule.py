# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The period of scheduled rounds, as a systemd timer and as a cron entry say it.

    siak_schedule_calendar(period, time='07:00', weekday='Mon', monthday=1)
        {'oncalendar': systemd OnCalendar=, 'cron': the five cron fields} of a round every
        day, week or month at ``time`` (HH:MM, the admin machine's time zone).
"""

from __future__ import annotations

import re

from ansible.errors import AnsibleFilterError

PERIODS = ("daily", "weekly", "monthly")
WEEKDAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")  # cron counts from Sunday = 0
TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def siak_schedule_calendar(period, time="07:00", weekday="Mon", monthday=1, zone=""):
    """systemd's OnCalendar= and cron's fields of a period; ``zone`` (the office's
    siak_order_timezone) ends OnCalendar=, whose time is then the office's whatever the
    machine's zone (cron has no such field: its time is the machine's)."""
    if period not in PERIODS:
        raise AnsibleFilterError("siak_schedule_period must be one of %s, not %r" % (", ".join(PERIODS), period))
    match = TIME.match(str(time))
    if not match:
        raise AnsibleFilterError("siak_schedule_time must be HH:MM (24 hours), not %r" % (time,))
    hour, minute = int(match.group(1)), int(match.group(2))
    day = str(weekday)[:3].capitalize()
    if day not in WEEKDAYS:
        raise AnsibleFilterError("siak_schedule_weekday must be one of %s, not %r" % (", ".join(WEEKDAYS), weekday))
    try:
        monthday = int(monthday)
    except (TypeError, ValueError):
        monthday = 0
    if not 1 <= monthday <= 28:
        raise AnsibleFilterError("siak_schedule_monthday must be 1 to 28 (a day every month has)")
    at = "%02d:%02d:00" % (hour, minute) + (" %s" % zone if zone else "")
    if period == "daily":
        return {"oncalendar": "*-*-* %s" % at, "cron": "%d %d * * *" % (minute, hour)}
    if period == "weekly":
        return {"oncalendar": "%s *-*-* %s" % (day, at), "cron": "%d %d * * %d" % (minute, hour, WEEKDAYS.index(day))}
    return {"oncalendar": "*-*-%02d %s" % (monthday, at), "cron": "%d %d %d * *" % (minute, hour, monthday)}


class FilterModule:
    """The period of scheduled rounds."""

    def filters(self):
        return {"siak_schedule_calendar": siak_schedule_calendar}
