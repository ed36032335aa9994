#!/usr/bin/env python3
"""Checks an .xlsx export with an independent reader, PyPI's `openpyxl`.

Usage: check-xlsx.py FILE.xlsx EXPECTED.json

EXPECTED.json maps each sheet name to what the sheet must hold:

    {
      "Subsidie": {
        "headers": ["Jaar", "Bedrag", "Besluit", "Opmerking"],
        "rows": [
          [{"int": 2012}, {"euros": 2449000}, {"date": "2011-11-03"}, {"text": "=SUM(A1)"}],
          [{"int": 2015}, {"euros": 0}, null, {"text": ""}]
        ]
      }
    }

The header row is found among the first five rows (a title may stand above it); the rows follow
it directly, and there must be no more and no fewer of them. The rows above and including the
header row must be frozen. Each expected cell:

    {"euros": CENTS}   a number (int or float, not text) with a number format containing "€",
                       equal to CENTS / 100 within 0.000001
    {"int": N}         a number equal to N
    {"number": "0.35"} a number equal to the decimal in the string (a leverage, a share)
    {"date": "Y-M-D"}  a real date (a number with a date format), that day
    {"text": "..."}    a text cell (not a formula) with exactly that text
    null               an empty cell

On success prints one line: `check-xlsx: FILE: OK, 1 sheet, 24 cells (6 euros, 6 int, ...)`.
Exit status: 0 when everything matches, 1 when something does not (each problem on its own line),
2 on wrong use or without the `openpyxl` package (python3 -m venv v && v/bin/pip install openpyxl).
"""

import datetime
import json
import sys

try:
    import openpyxl
    from openpyxl.utils import get_column_letter
except ImportError:
    print("check-xlsx: the Python package 'openpyxl' is not installed", file=sys.stderr)
    sys.exit(2)

TOLERANCE = 0.000001
HEADER_SEARCH_ROWS = 5


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_cell(cell, spec, where, problems, counts):
    """Compares one cell with its expectation, appending what is wrong to `problems`."""
    v = cell.value
    if spec is None:
        counts["empty"] += 1
        if v is not None:
            problems.append(f"{where}: expected an empty cell, found {v!r}")
        return
    if not isinstance(spec, dict) or len(spec) != 1:
        raise ValueError(f"{where}: bad expectation {spec!r}")
    ((kind, want),) = spec.items()
    if kind == "euros":
        counts["euros"] += 1
        if not isinstance(want, int):
            raise ValueError(f"{where}: euros must be given as integer cents, not {want!r}")
        if not is_number(v):
            problems.append(f"{where}: expected a number for {want} cents, found {type(v).__name__} {v!r}")
            return
        fmt = cell.number_format or ""
        if "€" not in fmt and "[$€" not in fmt:
            problems.append(f"{where}: number format {fmt!r} is not a euro format")
        if abs(v - want / 100) > TOLERANCE:
            problems.append(f"{where}: expected {want / 100:.2f} ({want} cents), found {v!r}")
    elif kind == "int":
        counts["int"] += 1
        if not is_number(v):
            problems.append(f"{where}: expected the number {want}, found {type(v).__name__} {v!r}")
        elif v != want:
            problems.append(f"{where}: expected {want}, found {v!r}")
    elif kind == "number":
        # A quotient written as a decimal string ("0.3552"): a number cell equal to it.
        counts["number"] += 1
        if not is_number(v):
            problems.append(f"{where}: expected the number {want}, found {type(v).__name__} {v!r}")
        elif abs(v - float(want)) > TOLERANCE:
            problems.append(f"{where}: expected {want}, found {v!r}")
    elif kind == "date":
        counts["date"] += 1
        want_date = datetime.date.fromisoformat(want)
        if not cell.is_date or not isinstance(v, (datetime.datetime, datetime.date)):
            problems.append(
                f"{where}: expected the date {want}, found {type(v).__name__} {v!r} "
                f"(number format {cell.number_format!r})"
            )
            return
        got = v.date() if isinstance(v, datetime.datetime) else v
        if got != want_date:
            problems.append(f"{where}: expected the date {want}, found {got.isoformat()}")
    elif kind == "text":
        counts["text"] += 1
        if cell.data_type == "f":
            problems.append(f"{where}: expected text {want!r}, found a formula {v!r}")
        elif not isinstance(v, str):
            problems.append(f"{where}: expected text {want!r}, found {type(v).__name__} {v!r}")
        elif v != want:
            problems.append(f"{where}: expected text {want!r}, found {v!r}")
    else:
        raise ValueError(f"{where}: unknown kind {kind!r} in {spec!r}")


def check_sheet(ws, expected, problems, counts):
    headers = expected.get("headers", [])
    rows = expected.get("rows", [])
    width = max([len(headers)] + [len(r) for r in rows])
    header_row = None
    for r in range(1, HEADER_SEARCH_ROWS + 1):
        found = [ws.cell(row=r, column=c + 1).value for c in range(len(headers))]
        if found == headers:
            header_row = r
            break
    if header_row is None:
        problems.append(f"{ws.title}: no row among the first {HEADER_SEARCH_ROWS} holds the headers {headers!r}")
        return
    want_freeze = f"A{header_row + 1}"
    if ws.freeze_panes != want_freeze:
        problems.append(f"{ws.title}: frozen panes at {ws.freeze_panes!r}, expected {want_freeze!r}")
    for i, row in enumerate(rows):
        r = header_row + 1 + i
        if len(row) != width:
            raise ValueError(f"{ws.title}: expected row {i + 1} has {len(row)} cells, not {width}")
        for c, spec in enumerate(row):
            where = f"{ws.title}!{get_column_letter(c + 1)}{r}"
            check_cell(ws.cell(row=r, column=c + 1), spec, where, problems, counts)
    last = header_row + len(rows)
    if ws.max_row > last:
        extra = [
            ws.cell(row=r, column=c + 1).value
            for r in range(last + 1, ws.max_row + 1)
            for c in range(max(width, ws.max_column))
        ]
        if any(v is not None for v in extra):
            problems.append(f"{ws.title}: {ws.max_row - last} more row(s) than the {len(rows)} expected")


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    path, expected_path = argv[1], argv[2]
    try:
        with open(expected_path, encoding="utf-8") as f:
            expected = json.load(f)
        wb = openpyxl.load_workbook(path)
    except Exception as e:  # noqa: BLE001 - any failure to read is a failed check
        print(f"check-xlsx: {path}: cannot read: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    problems = []
    counts = {"euros": 0, "int": 0, "number": 0, "date": 0, "text": 0, "empty": 0}
    try:
        for name, sheet in expected.items():
            if name not in wb.sheetnames:
                problems.append(f"no sheet {name!r}; the workbook has {wb.sheetnames!r}")
                continue
            check_sheet(wb[name], sheet, problems, counts)
    except ValueError as e:
        print(f"check-xlsx: {expected_path}: {e}", file=sys.stderr)
        return 2
    if problems:
        for p in problems:
            print(f"check-xlsx: {path}: {p}", file=sys.stderr)
        print(f"check-xlsx: {path}: FAILED, {len(problems)} problem(s)", file=sys.stderr)
        return 1
    cells = sum(counts.values())
    detail = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
    sheets = len(expected)
    print(f"check-xlsx: {path}: OK, {sheets} sheet{'s' if sheets != 1 else ''}, {cells} cells ({detail})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
