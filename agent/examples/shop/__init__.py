# SPDX-License-Identifier: GPL-3.0-or-later
"""A small shop API: the example service Spyglass's README, tests and
benchmarks run.  Standard library only (sqlite3, json, wsgiref) so it runs
under every interpreter; flask_app.py serves the same handlers with Flask."""

__version__ = "1.4.2"
