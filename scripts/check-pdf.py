#!/usr/bin/env python3
"""Checks a PDF written by Stedenband with an independent reader, PyPI's `pypdf`, in strict mode.

Usage: check-pdf.py FILE.pdf [--pages N] [--title TEXT] [--lang TAG] [--expect TEXT]...

The file must open with strict parsing (a broken cross-reference table, object or stream is an
error, not a warning), every page's text must extract, and:

    --pages N      the document has exactly N pages
    --title TEXT   the document information's /Title is TEXT
    --lang TAG     the catalog's /Lang is TAG
    --expect TEXT  TEXT occurs in the extracted text of some page (repeatable; runs of white
                   space count as one space on both sides)

On success prints one line: `check-pdf: FILE: OK, 7 pages, 3 texts found`.
Exit status: 0 when everything matches, 1 when something does not (each problem on its own line),
2 on wrong use or without the `pypdf` package (python3 -m venv v && v/bin/pip install pypdf).
"""

import argparse
import re
import sys

try:
    from pypdf import PdfReader
except ImportError:
    print("check-pdf: the Python package 'pypdf' is not installed", file=sys.stderr)
    sys.exit(2)


def squash(text):
    return re.sub(r"\s+", " ", text).strip()


def main(argv):
    parser = argparse.ArgumentParser(prog="check-pdf.py", add_help=True)
    parser.add_argument("file")
    parser.add_argument("--pages", type=int)
    parser.add_argument("--title")
    parser.add_argument("--lang")
    parser.add_argument("--expect", action="append", default=[])
    try:
        args = parser.parse_args(argv[1:])
    except SystemExit:
        return 2
    path = args.file
    problems = []
    try:
        reader = PdfReader(path, strict=True)
        pages = [page.extract_text() for page in reader.pages]
        info = reader.metadata
        catalog = reader.trailer["/Root"]
    except Exception as e:  # noqa: BLE001 - any failure to read is a failed check
        print(f"check-pdf: {path}: cannot read: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    if args.pages is not None and len(pages) != args.pages:
        problems.append(f"{len(pages)} pages, expected {args.pages}")
    if args.title is not None:
        title = info.title if info is not None else None
        if title != args.title:
            problems.append(f"title {title!r}, expected {args.title!r}")
    if args.lang is not None:
        lang = catalog.get("/Lang")
        if lang != args.lang:
            problems.append(f"catalog /Lang {lang!r}, expected {args.lang!r}")
    text = squash(" ".join(pages))
    for want in args.expect:
        if squash(want) not in text:
            problems.append(f"text {want!r} not found")
    if problems:
        for p in problems:
            print(f"check-pdf: {path}: {p}", file=sys.stderr)
        print(f"check-pdf: {path}: FAILED, {len(problems)} problem(s)", file=sys.stderr)
        return 1
    n = len(args.expect)
    print(f"check-pdf: {path}: OK, {len(pages)} page{'s' if len(pages) != 1 else ''}, "
          f"{n} text{'s' if n != 1 else ''} found")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
