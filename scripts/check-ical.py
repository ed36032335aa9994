#!/usr/bin/env python3
"""Checks iCalendar files with an independent parser, PyPI's `icalendar`.

Usage: check-ical.py FILE.ics...

For each file: parses it (icalendar.Calendar.from_ical), reads every VEVENT's dates and
recurrence rule, reports what the lenient parser set aside as errors, checks that every TZID
used has its VTIMEZONE, that lines end in CRLF and that no line exceeds 75 octets; then prints
the number of VEVENTs and their UIDs:

    target/ical/sample.ics: 4 VEVENT
      UID 1@stedenband
      ...

Exit status: 0 when every file passes, 1 when one does not, 2 on wrong use or without the
`icalendar` package (python3 -m venv v && v/bin/pip install icalendar).
"""

import sys

try:
    import icalendar
except ImportError:
    print("check-ical: the Python package 'icalendar' is not installed", file=sys.stderr)
    sys.exit(2)


def check(data: bytes):
    """Returns the UIDs of the VEVENTs of one file and what is wrong with it."""
    found = []
    for number, line in enumerate(data.split(b"\r\n")[:-1], start=1):
        if b"\n" in line or b"\r" in line:
            found.append(f"line {number}: bare CR or LF")
        if len(line) > 75:
            found.append(f"line {number}: {len(line)} octets (more than 75)")
    if not data.endswith(b"\r\n"):
        found.append("the last line does not end in CRLF")

    calendar = icalendar.Calendar.from_ical(data)
    for component in calendar.walk():
        # The parser is lenient: what it could not read is set aside here, not raised.
        for prop, error in getattr(component, "errors", []):
            found.append(f"{component.name} {prop}: {error}")
    if hasattr(calendar, "get_missing_tzids"):
        for tzid in sorted(calendar.get_missing_tzids()):
            found.append(f"TZID {tzid} is used but has no VTIMEZONE")

    uids = []
    for event in calendar.walk("VEVENT"):
        uid = event.get("UID")
        uids.append(str(uid))
        if not uid:
            found.append("a VEVENT without UID")
        if "DTSTART" not in event or "DTSTAMP" not in event:
            found.append(f"VEVENT {uid}: DTSTART and DTSTAMP are required")
        for prop in ("DTSTAMP", "DTSTART", "DTEND", "RRULE"):
            if prop in event:
                try:
                    event.decoded(prop)
                except Exception as e:  # noqa: BLE001
                    found.append(f"VEVENT {uid} {prop}: {type(e).__name__}: {e}")
    return uids, found


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: check-ical.py FILE.ics...", file=sys.stderr)
        sys.exit(2)
    failed = False
    for path in sys.argv[1:]:
        try:
            with open(path, "rb") as f:
                uids, found = check(f.read())
        except Exception as e:  # noqa: BLE001 - any failure to read or parse fails the check
            uids, found = None, [f"does not parse: {type(e).__name__}: {e}"]
        if uids is not None:
            print(f"{path}: {len(uids)} VEVENT")
            for uid in uids:
                print(f"  UID {uid}")
        for problem in found:
            print(f"{path}: {problem}", file=sys.stderr)
        failed = failed or bool(found)
    sys.exit(1 if failed else 0)
