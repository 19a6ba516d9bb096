/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sg-agent-client.h"

G_BEGIN_DECLS

#define SG_TYPE_DEBUG_AGENT_ROW (sg_debug_agent_row_get_type ())
G_DECLARE_FINAL_TYPE (SgDebugAgentRow, sg_debug_agent_row, SG, DEBUG_AGENT_ROW, GtkListBoxRow)

/* A sidebar row for one agent: service, version, host, state and latency,
 * kept up to date from the client.  Activating it shows the Debug page. */
GtkWidget     *sg_debug_agent_row_new        (SgAgentClient   *client);
SgAgentClient *sg_debug_agent_row_get_client (SgDebugAgentRow *self);

G_END_DECLS
