/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "sg-agent-memory.h"

G_BEGIN_DECLS

#define SG_TYPE_AGENT_MEMORY_STATUS (sg_agent_memory_status_get_type ())
G_DECLARE_FINAL_TYPE (SgAgentMemoryStatus, sg_agent_memory_status, SG, AGENT_MEMORY_STATUS, GObject)

/* GET /v1/memory: whether a recording runs, the last results (summaries,
 * newest first) and what a recording costs — which a console must show
 * before the user starts one.  Immutable. */
SgAgentMemory *sg_agent_memory_status_get_current            (SgAgentMemoryStatus *self);
GPtrArray     *sg_agent_memory_status_get_results            (SgAgentMemoryStatus *self);
gboolean       sg_agent_memory_status_get_tracing_by_host    (SgAgentMemoryStatus *self);
double         sg_agent_memory_status_get_slowdown           (SgAgentMemoryStatus *self);
const char    *sg_agent_memory_status_get_cost_summary       (SgAgentMemoryStatus *self);
gboolean       sg_agent_memory_status_get_cost_measured_here (SgAgentMemoryStatus *self);
const char    *sg_agent_memory_status_get_python             (SgAgentMemoryStatus *self);

G_END_DECLS
