#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when a file with translatable strings is missing from po/POTFILES.in
(its strings would silently stay English) or when POTFILES.in lists a file
that does not exist (xgettext would fail)."""
import pathlib
import re
import sys

top = pathlib.Path(sys.argv[1])
listed = set()
for line in (top / "po" / "POTFILES.in").read_text().splitlines():
    line = line.strip()
    if line and not line.startswith("#"):
        listed.add(line)

patterns = {
    ".c": re.compile(r'\b(?:_|N_|C_|NC_|g_dngettext|ngettext)\s*\(\s*"'),
    ".h": re.compile(r'\b(?:_|N_|C_|NC_)\s*\(\s*"'),
    ".ui": re.compile(r'translatable="yes"'),
    ".in": re.compile(r"."),  # .desktop.in / .metainfo.xml.in are all text
}

needed = set()
for folder in ("app", "resources", "data"):
    for path in sorted((top / folder).rglob("*")):
        rel = path.relative_to(top).as_posix()
        if not path.is_file():
            continue
        if path.name.endswith(".gschema.xml"):
            needed.add(rel)
            continue
        pattern = patterns.get(path.suffix)
        if pattern and pattern.search(path.read_text(errors="replace")):
            needed.add(rel)

missing = sorted(needed - listed)
stale = sorted(p for p in listed if not (top / p).is_file())
for p in missing:
    print(f"po/POTFILES.in: missing {p} (it has translatable strings)")
for p in stale:
    print(f"po/POTFILES.in: lists {p}, which does not exist")
print(f"{len(needed)} files with translatable strings, {len(listed)} listed")
sys.exit(1 if missing or stale else 0)
