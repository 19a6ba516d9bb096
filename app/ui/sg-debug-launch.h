/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sg-agent-client.h"

G_BEGIN_DECLS

typedef enum
{
  SG_DEBUG_LAUNCH_STARTING,  /* the program runs; the console has not reached its agent yet */
  SG_DEBUG_LAUNCH_RUNNING,   /* the console has connected to its agent */
  SG_DEBUG_LAUNCH_FAILED,    /* the program ended, or its agent was not reached in time, before that */
  SG_DEBUG_LAUNCH_EXITED,    /* the program ended after the console had connected */
} SgDebugLaunchState;

#define SG_TYPE_DEBUG_LAUNCH_STATE (sg_debug_launch_state_get_type ())
GType sg_debug_launch_state_get_type (void);

#define SG_TYPE_DEBUG_LAUNCH (sg_debug_launch_get_type ())
G_DECLARE_FINAL_TYPE (SgDebugLaunch, sg_debug_launch, SG, DEBUG_LAUNCH, GObject)

/* A program started by "Run Python program" under `python -m spyglass run`:
 * knows when its agent listens (the agent writes an announce file once it
 * does), when the program ends and with what status, and the last of what
 * it wrote on stderr (still passed on to the console's own stderr), so the
 * console waits for the agent instead of reporting "connection refused",
 * and says why when the program dies. */
SgDebugLaunch      *sg_debug_launch_spawn          (GSubprocessLauncher *launcher,
                                                    const char * const  *argv,
                                                    const char          *name,
                                                    guint                timeout_ms,
                                                    GError             **error);
SgDebugLaunchState  sg_debug_launch_get_state      (SgDebugLaunch       *self);
const char         *sg_debug_launch_get_name       (SgDebugLaunch       *self);
const char         *sg_debug_launch_get_message    (SgDebugLaunch       *self);
char               *sg_debug_launch_dup_stderr_tail (SgDebugLaunch      *self,
                                                    guint                max_lines);
char               *sg_debug_launch_dup_summary    (SgDebugLaunch       *self);
char               *sg_debug_launch_dup_details    (SgDebugLaunch       *self);
void                sg_debug_launch_terminate      (SgDebugLaunch       *self);

void                sg_debug_launch_attach         (SgDebugLaunch       *self,
                                                    SgAgentClient       *client);
SgDebugLaunch      *sg_debug_launch_get_for_client (SgAgentClient       *client);
char               *sg_debug_launch_dup_client_name (SgAgentClient      *client);

G_END_DECLS
