/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sg-breakpoint.h"

G_BEGIN_DECLS

#define SG_TYPE_BREAKPOINT_LIST (sg_breakpoint_list_get_type ())
G_DECLARE_FINAL_TYPE (SgBreakpointList, sg_breakpoint_list, SG, BREAKPOINT_LIST, GtkWidget)

/* An agent's breakpoints with their state; each row can be opened,
 * retaken (set again) or deleted. */
GtkWidget *sg_breakpoint_list_new       (void);
void       sg_breakpoint_list_set_model (SgBreakpointList *self,
                                         GListModel       *breakpoints);

G_END_DECLS
