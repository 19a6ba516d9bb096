/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sg-breakpoint-spec.h"
#include "sg-debug-agents.h"

G_BEGIN_DECLS

#define SG_TYPE_DEBUG_PAGE (sg_debug_page_get_type ())

G_DECLARE_FINAL_TYPE (SgDebugPage, sg_debug_page, SG, DEBUG_PAGE, GtkWidget)

SgDebugAgents *sg_debug_page_get_agents         (SgDebugPage      *self);
SgAgentClient *sg_debug_page_get_current_agent  (SgDebugPage      *self);
void           sg_debug_page_set_current_agent  (SgDebugPage      *self,
                                                 SgAgentClient    *client);
void           sg_debug_page_open_folder        (SgDebugPage      *self,
                                                 GFile            *folder);
void           sg_debug_page_open_source        (SgDebugPage      *self,
                                                 const char       *path,
                                                 guint             line);
void           sg_debug_page_set_breakpoint     (SgDebugPage      *self,
                                                 SgBreakpointSpec *spec);
void           sg_debug_page_show_connect_dialog (SgDebugPage     *self);
void           sg_debug_page_show_run_dialog    (SgDebugPage      *self);
const char    *sg_debug_page_get_last_message   (SgDebugPage      *self);
GtkWidget     *sg_debug_page_get_source_view    (SgDebugPage      *self);
GtkWidget     *sg_debug_page_get_source_tree    (SgDebugPage      *self);
GtkWidget     *sg_debug_page_get_inspector      (SgDebugPage      *self);
GtkWidget     *sg_debug_page_get_log_view       (SgDebugPage      *self);
GtkWidget     *sg_debug_page_get_popover        (SgDebugPage      *self);
void           sg_debug_page_show_snapshot      (SgDebugPage      *self,
                                                 SgHistorySnapshot *snapshot);
void           sg_debug_page_show_results       (SgDebugPage      *self,
                                                 const char       *name);

G_END_DECLS
