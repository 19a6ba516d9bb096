/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The agent client's answer parsers (sg-agent-client-parse.c).  They run on
 * a worker thread and turn one JSON answer into immutable objects. */

#include <json-glib/json-glib.h>

#include "sg-agent-client.h"

G_BEGIN_DECLS

typedef struct
{
  char            *kind;
  guint64          seq;
  char            *data_json;
  SgBreakpoint    *breakpoint;
  SgAgentLogEntry *log_entry;
} Event;

typedef struct
{
  char      *agent_id;
  guint64    last_seq;
  gint64     missed;
  GPtrArray *events;
} Batch;

gpointer _sg_agent_parse_info            (JsonNode  *root,
                                          gpointer   data,
                                          GError   **error);
gpointer _sg_agent_parse_manifest        (JsonNode  *root,
                                          gpointer   data,
                                          GError   **error);
gpointer _sg_agent_parse_breakpoint      (JsonNode  *root,
                                          gpointer   data,
                                          GError   **error);
gpointer _sg_agent_parse_breakpoint_list (JsonNode  *root,
                                          gpointer   data,
                                          GError   **error);
gpointer _sg_agent_parse_profile         (JsonNode  *root,
                                          gpointer   data,
                                          GError   **error);
gpointer _sg_agent_parse_profile_list    (JsonNode  *root,
                                          gpointer   data,
                                          GError   **error);
gpointer _sg_agent_parse_events          (JsonNode  *root,
                                          gpointer   agent_label,
                                          GError   **error);
void     _sg_agent_event_free            (gpointer   event);
void     _sg_agent_batch_free            (gpointer   batch);

G_END_DECLS
