#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when a catalog in po/LINGUAS lacks a translation (missing,
untranslated or fuzzy) of any string the sources currently mark for
translation: extracts a fresh template with xgettext the way meson's
`glib` preset does, then compares each catalog against it with msgcmp."""
import pathlib
import subprocess
import sys
import tempfile

top = pathlib.Path(sys.argv[1])
po = top / "po"
langs = [l.strip() for l in (po / "LINGUAS").read_text().split() if l.strip()]

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
    failed = False
    for lang in langs:
        result = subprocess.run(["msgcmp", str(po / f"{lang}.po"), str(pot)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            failed = True
            print(f"po/{lang}.po is not complete:\n{result.stderr}")
        else:
            print(f"po/{lang}.po: every string translated")
sys.exit(1 if failed else 0)
