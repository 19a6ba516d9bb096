/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sg-snapshot.h"

G_BEGIN_DECLS

typedef enum
{
  SG_BREAKPOINT_ACTION_CAPTURE,
  SG_BREAKPOINT_ACTION_LOG,
} SgBreakpointAction;

/* The state a user cares about, derived from the agent's fields. */
typedef enum
{
  SG_BREAKPOINT_STATE_PENDING,   /* set, but its module is not loaded yet */
  SG_BREAKPOINT_STATE_ACTIVE,    /* armed on a line */
  SG_BREAKPOINT_STATE_HIT,       /* final, with a snapshot */
  SG_BREAKPOINT_STATE_EXPIRED,   /* final without a snapshot (expired, deleted) */
  SG_BREAKPOINT_STATE_ERROR,     /* the agent refused or failed it; see the message */
} SgBreakpointState;

#define SG_TYPE_BREAKPOINT_ACTION (sg_breakpoint_action_get_type ())
#define SG_TYPE_BREAKPOINT_STATE (sg_breakpoint_state_get_type ())
GType sg_breakpoint_action_get_type (void) G_GNUC_CONST;
GType sg_breakpoint_state_get_type  (void) G_GNUC_CONST;

#define SG_TYPE_BREAKPOINT (sg_breakpoint_get_type ())
G_DECLARE_FINAL_TYPE (SgBreakpoint, sg_breakpoint, SG, BREAKPOINT, GObject)

/* A breakpoint as the agent last described it.  Immutable: every update
 * from the agent is a new object. */
SgBreakpoint      *sg_breakpoint_new_from_json          (const char    *json,
                                                         GError       **error);
char              *sg_breakpoint_to_json                (SgBreakpoint  *self);
const char        *sg_breakpoint_get_id                 (SgBreakpoint  *self);
SgBreakpointAction sg_breakpoint_get_action             (SgBreakpoint  *self);
SgBreakpointState  sg_breakpoint_get_state              (SgBreakpoint  *self);
const char        *sg_breakpoint_get_path               (SgBreakpoint  *self);
guint              sg_breakpoint_get_line               (SgBreakpoint  *self);
const char        *sg_breakpoint_get_condition          (SgBreakpoint  *self);
const char * const *
                   sg_breakpoint_get_expressions        (SgBreakpoint  *self);
const char        *sg_breakpoint_get_log_message_format (SgBreakpoint  *self);
const char        *sg_breakpoint_get_log_level          (SgBreakpoint  *self);
GDateTime         *sg_breakpoint_get_create_time        (SgBreakpoint  *self);
GDateTime         *sg_breakpoint_get_final_time         (SgBreakpoint  *self);
GDateTime         *sg_breakpoint_get_expires_at         (SgBreakpoint  *self);
gboolean           sg_breakpoint_is_final               (SgBreakpoint  *self);
const char        *sg_breakpoint_get_status_message     (SgBreakpoint  *self);
const char        *sg_breakpoint_get_status_refers_to   (SgBreakpoint  *self);
SgSnapshot        *sg_breakpoint_get_snapshot           (SgBreakpoint  *self);
const char        *sg_breakpoint_state_to_string        (SgBreakpointState state);

G_END_DECLS
