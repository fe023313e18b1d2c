#!/usr/bin/python3
"""Reads one iCalendar file (RFC 5545) with Debian's python3-icalendar and
prints what the HTTP tests check as JSON: the problems found ("problems",
empty when it is valid), the calendar's name and each event's fields, with
its start and end as seconds since 1970 twice: as icalendar reads them (it
knows the zone by its name) and through the calendar's own VTIMEZONE, as a
calendar program without the zone database reads them.

    ical_parse.py FILE
"""
import calendar
import json
import sys

import icalendar

raw = open(sys.argv[1], "rb").read()
problems = []

# The lines themselves: CRLF after each, at most 75 octets, UTF-8, and a
# continuation never starting inside a character.
if not raw.endswith(b"\r\n"):
    problems.append("the file does not end with CRLF")
for n, line in enumerate(raw.split(b"\r\n")[:-1], 1):
    if b"\n" in line or b"\r" in line:
        problems.append("line %d has a bare line break" % n)
    if len(line) > 75:
        problems.append("line %d has %d octets" % (n, len(line)))
    if line[:1] == b" " and len(line) > 1 and (line[1] & 0xC0) == 0x80:
        problems.append("line %d continues inside a character" % n)
try:
    raw.decode("utf-8")
except UnicodeDecodeError as e:
    problems.append("not UTF-8: %s" % e)

out = {"problems": problems, "events": [], "timezones": []}
try:
    cal = icalendar.Calendar.from_ical(raw)
except Exception as e:  # what icalendar cannot read at all
    problems.append("icalendar: %s" % e)
    json.dump(out, sys.stdout)
    sys.exit(0)

if cal.name != "VCALENDAR":
    problems.append("the outer component is %s" % cal.name)
for key in ("VERSION", "PRODID"):
    if key not in cal:
        problems.append("the calendar has no %s" % key)
if str(cal.get("VERSION")) != "2.0":
    problems.append("VERSION is not 2.0")
out["name"] = str(cal.get("X-WR-CALNAME", ""))

zones = {}
for tz in cal.walk("VTIMEZONE"):
    tzid = str(tz["TZID"])
    out["timezones"].append(tzid)
    try:
        zones[tzid] = tz.to_tz()
    except Exception as e:
        problems.append("the VTIMEZONE of %s cannot be read: %r" % (tzid, e))


def seconds(dt):
    return calendar.timegm(dt.utctimetuple())


def through_vtimezone(prop):
    """The UTC seconds of a DTSTART/DTEND read with the VTIMEZONE of its
    TZID, not icalendar's own knowledge of the zone."""
    tzid = prop.params.get("TZID")
    if tzid is None:
        problems.append("a time without TZID")
        return None
    if tzid not in zones:
        problems.append("no VTIMEZONE for %s" % tzid)
        return None
    naive = prop.dt.replace(tzinfo=None)
    try:
        return seconds(zones[tzid].localize(naive))
    except Exception as e:
        problems.append("%s cannot be placed in the VTIMEZONE of %s: %r" % (naive, tzid, e))
        return None


for ev in cal.walk("VEVENT"):
    for key in ("UID", "DTSTAMP", "DTSTART"):
        if key not in ev:
            problems.append("an event has no %s" % key)
    start, end = ev.get("DTSTART"), ev.get("DTEND")
    out["events"].append({
        "uid": str(ev.get("UID")),
        "sequence": int(ev.get("SEQUENCE", -1)),
        "summary": str(ev.get("SUMMARY", "")),
        "description": str(ev.get("DESCRIPTION", "")),
        "location": str(ev.get("LOCATION", "")),
        "url": str(ev.get("URL", "")),
        "status": str(ev.get("STATUS", "")),
        "dtstamp": seconds(ev.get("DTSTAMP").dt) if "DTSTAMP" in ev else None,
        "tzid": start.params.get("TZID") if start is not None else None,
        "start": seconds(start.dt) if start is not None else None,
        "end": seconds(end.dt) if end is not None else None,
        "start_vtimezone": through_vtimezone(start) if start is not None else None,
        "end_vtimezone": through_vtimezone(end) if end is not None else None,
    })
json.dump(out, sys.stdout)
