/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sg-agent-memory-line.h"

G_BEGIN_DECLS

#define SG_TYPE_AGENT_MEMORY (sg_agent_memory_get_type ())
G_DECLARE_FINAL_TYPE (SgAgentMemory, sg_agent_memory, SG, AGENT_MEMORY, GObject)

typedef enum
{
  SG_AGENT_MEMORY_TEXT_CSV,  /* RFC 4180: comma-separated, quoted where needed */
  SG_AGENT_MEMORY_TEXT_TSV,  /* tab-separated; tabs and newlines in values become spaces */
} SgAgentMemoryTextFormat;

/* One memory recording on an agent (agent/PROTOCOL.md § Memory): its
 * summary and, when read with GET /v1/memory/{id}, its per-line table,
 * biggest increment first.  Immutable. */
const char *sg_agent_memory_get_id                  (SgAgentMemory *self);
const char *sg_agent_memory_get_state               (SgAgentMemory *self);
gboolean    sg_agent_memory_is_recording            (SgAgentMemory *self);
gboolean    sg_agent_memory_is_ready                (SgAgentMemory *self);
const char *sg_agent_memory_get_error               (SgAgentMemory *self);
GDateTime  *sg_agent_memory_get_start               (SgAgentMemory *self);
double      sg_agent_memory_get_seconds             (SgAgentMemory *self);
guint       sg_agent_memory_get_frames              (SgAgentMemory *self);
double      sg_agent_memory_get_elapsed             (SgAgentMemory *self);
double      sg_agent_memory_get_duration            (SgAgentMemory *self);
gint64      sg_agent_memory_get_alive_bytes         (SgAgentMemory *self);
gint64      sg_agent_memory_get_traced_peak_bytes   (SgAgentMemory *self);
gint64      sg_agent_memory_get_traced_end_bytes    (SgAgentMemory *self);
gint64      sg_agent_memory_get_peak_snapshot_bytes (SgAgentMemory *self);
gint64      sg_agent_memory_get_line_count          (SgAgentMemory *self);
const char *sg_agent_memory_get_profile_id          (SgAgentMemory *self);
gboolean    sg_agent_memory_has_lines               (SgAgentMemory *self);
GListModel *sg_agent_memory_get_lines               (SgAgentMemory *self);

SgAgentMemory *sg_agent_memory_new_from_data        (const char    *data,
                                                     gssize         length,
                                                     GError       **error);
char       *sg_agent_memory_format_lines            (GListModel    *lines,
                                                     SgAgentMemoryTextFormat format);

G_END_DECLS
