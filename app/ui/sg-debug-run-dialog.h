/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SG_TYPE_DEBUG_RUN_DIALOG (sg_debug_run_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SgDebugRunDialog, sg_debug_run_dialog, SG, DEBUG_RUN_DIALOG, AdwWindow)

/* "Run Python Program with Spyglass": a script (or a package's
 * __main__.py), its arguments and the interpreter.  Emits ::run with them. */
SgDebugRunDialog *sg_debug_run_dialog_new        (GtkWindow        *parent);
void              sg_debug_run_dialog_set_script (SgDebugRunDialog *self,
                                                  GFile            *script);

G_END_DECLS
