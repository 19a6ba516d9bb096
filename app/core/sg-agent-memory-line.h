/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SG_TYPE_AGENT_MEMORY_LINE (sg_agent_memory_line_get_type ())
G_DECLARE_FINAL_TYPE (SgAgentMemoryLine, sg_agent_memory_line, SG, AGENT_MEMORY_LINE, GObject)

/* One row of a memory recording's per-line table (agent/PROTOCOL.md,
 * "GET /v1/memory/{id}"): a source line that allocated while the recording
 * ran.  Sizes are bytes; counts are memory blocks.  Immutable. */
const char *sg_agent_memory_line_get_file            (SgAgentMemoryLine *self);
guint       sg_agent_memory_line_get_line            (SgAgentMemoryLine *self);
const char *sg_agent_memory_line_get_function        (SgAgentMemoryLine *self);
const char *sg_agent_memory_line_get_text            (SgAgentMemoryLine *self);
gint64      sg_agent_memory_line_get_increment_bytes (SgAgentMemoryLine *self);
gint64      sg_agent_memory_line_get_allocations     (SgAgentMemoryLine *self);
gint64      sg_agent_memory_line_get_alive_bytes     (SgAgentMemoryLine *self);
gint64      sg_agent_memory_line_get_alive_count     (SgAgentMemoryLine *self);
gint64      sg_agent_memory_line_get_peak_bytes      (SgAgentMemoryLine *self);

G_END_DECLS
