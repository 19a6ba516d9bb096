/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sg-breakpoint.h"

G_BEGIN_DECLS

/* What the user asks for when setting a breakpoint; the agent answers with
 * an SgBreakpoint.  A plain struct so dialogs and the CLI can fill it in. */
typedef struct
{
  SgBreakpointAction action;
  char              *path;
  guint              line;
  char              *condition;           /* NULL or "" for none */
  char             **expressions;         /* NULL-terminated, may be NULL */
  char              *log_message_format;  /* "a={a}", for logpoints */
  char              *log_level;           /* "info", "warning", "error" */
  guint              expires_in_s;        /* 0: the agent's default (24 h) */
} SgBreakpointSpec;

#define SG_TYPE_BREAKPOINT_SPEC (sg_breakpoint_spec_get_type ())
GType             sg_breakpoint_spec_get_type (void) G_GNUC_CONST;

SgBreakpointSpec *sg_breakpoint_spec_new      (SgBreakpointAction      action,
                                               const char             *path,
                                               guint                   line);
SgBreakpointSpec *sg_breakpoint_spec_copy     (const SgBreakpointSpec *spec);
void              sg_breakpoint_spec_free     (SgBreakpointSpec       *spec);
SgBreakpointSpec *sg_breakpoint_spec_new_from_breakpoint
                                              (SgBreakpoint           *breakpoint);
char             *sg_breakpoint_spec_to_json  (const SgBreakpointSpec *spec);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SgBreakpointSpec, sg_breakpoint_spec_free)

G_END_DECLS
