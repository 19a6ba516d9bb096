/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Memory recordings read from the agent's JSON (sg-agent-memory*.c); the
 * parse functions have the agent client's ParseFunc shape and run on its
 * worker thread. */

#include <json-glib/json-glib.h>

#include "sg-agent-memory.h"
#include "sg-agent-memory-line.h"
#include "sg-agent-memory-status.h"

G_BEGIN_DECLS

SgAgentMemoryLine *_sg_agent_memory_line_new_from_json (JsonObject  *object);
SgAgentMemory     *_sg_agent_memory_new_from_json      (JsonObject  *object,
                                                        GError     **error);

gpointer           _sg_agent_parse_memory              (JsonNode    *root,
                                                        gpointer     data,
                                                        GError     **error);
gpointer           _sg_agent_parse_memory_status       (JsonNode    *root,
                                                        gpointer     data,
                                                        GError     **error);

G_END_DECLS
