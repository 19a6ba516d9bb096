#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Flatpak manifest cannot be built offline here; check what can be
checked: it parses, names the app id and command, runs on the GNOME
runtime with the permissions Spyglass needs, and builds this project with
meson."""
import json
import sys

path, app_id = sys.argv[1], sys.argv[2]
with open(path) as f:
    manifest = json.load(f)

errors = []


def expect(cond, what):
    if not cond:
        errors.append(what)


expect(manifest.get("id", manifest.get("app-id")) == app_id, f"id is not {app_id}")
expect(manifest.get("runtime") == "org.gnome.Platform", "runtime is not org.gnome.Platform")
expect(manifest.get("sdk") == "org.gnome.Sdk", "sdk is not org.gnome.Sdk")
expect(manifest.get("command") == "spyglass", "command is not spyglass")
args = manifest.get("finish-args", [])
for needed in ("--share=network", "--socket=wayland", "--socket=fallback-x11", "--device=dri"):
    expect(needed in args, f"finish-args lacks {needed}")
modules = manifest.get("modules", [])
expect(modules and isinstance(modules[-1], dict), "no modules")
if modules and isinstance(modules[-1], dict):
    last = modules[-1]
    expect(last.get("name") == "spyglass", "last module is not spyglass")
    expect(last.get("buildsystem") == "meson", "spyglass does not build with meson")
    expect(any(s.get("type") in ("dir", "git") for s in last.get("sources", [])),
           "spyglass module has no dir/git source")

for e in errors:
    print(f"{path}: {e}")
print("ok" if not errors else f"{len(errors)} problems")
sys.exit(1 if errors else 0)
