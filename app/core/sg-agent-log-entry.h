/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SG_TYPE_AGENT_LOG_ENTRY (sg_agent_log_entry_get_type ())
G_DECLARE_FINAL_TYPE (SgAgentLogEntry, sg_agent_log_entry, SG, AGENT_LOG_ENTRY, GObject)

/* One line a logpoint wrote.  Immutable. */
SgAgentLogEntry *sg_agent_log_entry_new               (const char      *agent,
                                                       const char      *breakpoint_id,
                                                       GDateTime       *time,
                                                       const char      *level,
                                                       const char      *message,
                                                       const char      *path,
                                                       guint            line);
const char      *sg_agent_log_entry_get_agent         (SgAgentLogEntry *self);
const char      *sg_agent_log_entry_get_breakpoint_id (SgAgentLogEntry *self);
GDateTime       *sg_agent_log_entry_get_time          (SgAgentLogEntry *self);
const char      *sg_agent_log_entry_get_level         (SgAgentLogEntry *self);
const char      *sg_agent_log_entry_get_message       (SgAgentLogEntry *self);
const char      *sg_agent_log_entry_get_path          (SgAgentLogEntry *self);
guint            sg_agent_log_entry_get_line          (SgAgentLogEntry *self);

G_END_DECLS
