#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when a catalog in po/LINGUAS lacks a translation (missing, empty
or fuzzy) of any string the sources currently mark for translation, and
lists those strings. Extracts a fresh template with xgettext the way
meson's `glib` preset does (`meson compile -C _build spyglass-update-po`
then merges it into the catalogs for translating)."""
import ast
import pathlib
import subprocess
import sys
import tempfile

top = pathlib.Path(sys.argv[1])
po = top / "po"
langs = [l.strip() for l in (po / "LINGUAS").read_text().split() if l.strip()]


def parse(path):
    """{(msgctxt, msgid): (msgstr, fuzzy)} for every live entry."""
    entries = {}
    entry = {}
    field = None
    fuzzy = False

    def flush():
        nonlocal entry, fuzzy
        if "msgid" in entry and entry["msgid"]:
            key = (entry.get("msgctxt"), entry["msgid"])
            strs = [v for k, v in entry.items() if k.startswith("msgstr")]
            entries[key] = (all(strs) and bool(strs), fuzzy)
        entry = {}
        fuzzy = False

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):
            if not line:
                flush()
                field = None
            continue
        if line.startswith("#,"):
            fuzzy = "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            entry[field] += ast.literal_eval(line)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and "msgstr" in "".join(entry):
            flush()
        field = keyword
        entry[field] = ast.literal_eval(rest)
    flush()
    return entries


with tempfile.TemporaryDirectory() as tmp:
    pot = pathlib.Path(tmp) / "spyglass.pot"
    subprocess.run([
        "xgettext", "--package-name=spyglass", "-p", tmp, "-o", "spyglass.pot",
        "-D", str(top), "-f", str(po / "POTFILES.in"),
        "--from-code=UTF-8", "--add-comments",
        "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
        "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
        "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
        "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
        "--flag=g_string_printf:2:c-format", "--flag=g_set_error:4:c-format",
    ], check=True)
    wanted = parse(pot)

failed = False
for lang in langs:
    have = parse(po / f"{lang}.po")
    missing = []
    for key in wanted:
        translated, fuzzy = have.get(key, (False, False))
        if not translated or fuzzy:
            missing.append(key)
    if missing:
        failed = True
        print(f"po/{lang}.po lacks {len(missing)} of {len(wanted)} translations:")
        for ctxt, msgid in missing:
            print(f"  {msgid!r}" + (f" (context {ctxt!r})" if ctxt else ""))
    else:
        print(f"po/{lang}.po: all {len(wanted)} strings translated")
sys.exit(1 if failed else 0)
