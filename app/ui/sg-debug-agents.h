/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sg-agent-client.h"
#include "sg-history.h"

G_BEGIN_DECLS

#define SG_TYPE_DEBUG_AGENTS (sg_debug_agents_get_type ())
G_DECLARE_FINAL_TYPE (SgDebugAgents, sg_debug_agents, SG, DEBUG_AGENTS, GObject)

/* The console's connected agents (a GListModel of SgAgentClient) and what
 * they produce: each agent's breakpoints, the captured snapshots (newest
 * first, starting with those kept in the history) and logpoint lines, all
 * written to the history database.  Remembered connections are kept in
 * GSettings ("known-agents") with their tokens in the keyring, and are
 * reconnected by restore(). */
SgDebugAgents *sg_debug_agents_new               (GSettings      *settings,
                                                  SgHistory      *history);
SgAgentClient *sg_debug_agents_add               (SgDebugAgents  *self,
                                                  const char     *address,
                                                  const char     *token,
                                                  gboolean        remember);
void           sg_debug_agents_adopt             (SgDebugAgents  *self,
                                                  SgAgentClient  *client,
                                                  gboolean        remember);
void           sg_debug_agents_remove            (SgDebugAgents  *self,
                                                  SgAgentClient  *client);
void           sg_debug_agents_restore           (SgDebugAgents  *self);
SgAgentClient *sg_debug_agents_run_python        (SgDebugAgents  *self,
                                                  const char     *interpreter,
                                                  const char     *script,
                                                  const char     *arguments,
                                                  GError        **error);
GListModel    *sg_debug_agents_get_breakpoints   (SgDebugAgents  *self,
                                                  SgAgentClient  *client);
SgBreakpoint  *sg_debug_agents_find_breakpoint   (SgDebugAgents  *self,
                                                  SgAgentClient  *client,
                                                  const char     *path,
                                                  guint           line);
void           sg_debug_agents_take_breakpoint   (SgDebugAgents  *self,
                                                  SgAgentClient  *client,
                                                  SgBreakpoint   *breakpoint);
void           sg_debug_agents_forget_breakpoint (SgDebugAgents  *self,
                                                  SgAgentClient  *client,
                                                  const char     *id);
GListModel    *sg_debug_agents_get_snapshots     (SgDebugAgents  *self);
gboolean       sg_debug_agents_snapshot_is_from  (SgHistorySnapshot *snapshot,
                                                  SgAgentClient  *client);
SgHistory     *sg_debug_agents_get_history       (SgDebugAgents  *self);
void           sg_debug_agents_shutdown          (SgDebugAgents  *self);

G_END_DECLS
