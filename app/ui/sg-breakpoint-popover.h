/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sg-breakpoint.h"
#include "sg-breakpoint-spec.h"

G_BEGIN_DECLS

#define SG_TYPE_BREAKPOINT_POPOVER (sg_breakpoint_popover_get_type ())
G_DECLARE_FINAL_TYPE (SgBreakpointPopover, sg_breakpoint_popover, SG, BREAKPOINT_POPOVER, GtkPopover)

/* Sets or edits the breakpoint on one line: snapshot or logpoint,
 * condition, watch expressions, log format and level, expiry.  Emits
 * ::set with an SgBreakpointSpec, or ::remove with the breakpoint's id. */
GtkWidget *sg_breakpoint_popover_new  (void);
void       sg_breakpoint_popover_edit (SgBreakpointPopover *self,
                                       const char          *path,
                                       guint                line,
                                       SgBreakpoint        *existing);
void       sg_breakpoint_popover_set_error (SgBreakpointPopover *self,
                                            const char          *message);

G_END_DECLS
