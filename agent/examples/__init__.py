# SPDX-License-Identifier: GPL-3.0-or-later
"""Example services to try the agent on (see shop/ and loadgen.py)."""
