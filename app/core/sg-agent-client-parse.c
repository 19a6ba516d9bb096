/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Parsers for the agent's answers, run on a worker thread by
 * sg-agent-client.c: each takes the parsed JSON tree and returns an
 * immutable object (or a list of them), or a GError saying what was wrong. */

#include "config.h"

#include <glib/gi18n.h>

#include "sg-agent-client-private.h"
#include "sg-agent-info-private.h"
#include "sg-agent-json-private.h"
#include "sg-agent-manifest-private.h"
#include "sg-breakpoint-private.h"

SgAgentProfileInfo *_sg_agent_profile_info_new_from_json (JsonObject *object);


static JsonObject *
expect_object (JsonNode  *root,
               GError   **error)
{
  JsonObject *object = sg_json_node_get_object (root);

  if (object == NULL)
    g_set_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_PROTOCOL, _("The agent's answer is not a JSON object"));
  return object;
}

gpointer
_sg_agent_parse_info (JsonNode  *root,
            gpointer   data,
            GError   **error)
{
  JsonObject *object = expect_object (root, error);

  return object ? _sg_agent_info_new_from_json (object, error) : NULL;
}

gpointer
_sg_agent_parse_manifest (JsonNode  *root,
                gpointer   data,
                GError   **error)
{
  JsonObject *object = expect_object (root, error);

  return object ? _sg_agent_manifest_new_from_json (object, error) : NULL;
}

gpointer
_sg_agent_parse_breakpoint (JsonNode  *root,
                  gpointer   data,
                  GError   **error)
{
  JsonObject *object = expect_object (root, error);

  if (object == NULL)
    return NULL;
  /* Tolerate {"breakpoint": {...}} as well as the bare object. */
  if (sg_json_get_object (object, "breakpoint"))
    object = sg_json_get_object (object, "breakpoint");
  return _sg_breakpoint_new_from_object (object, error);
}

/* A list is either a bare array or {"<member>": [...]}; items that are
 * not objects or that @parse_item refuses (returns NULL) are skipped, so
 * one odd entry does not hide the rest. */
static GPtrArray *
parse_list (JsonNode     *root,
            const char   *member,
            GObject    *(*parse_item) (JsonObject *item),
            GError      **error)
{
  JsonArray *array = NULL;
  GPtrArray *list;

  if (JSON_NODE_HOLDS_ARRAY (root))
    array = json_node_get_array (root);
  else
    array = sg_json_get_array (sg_json_node_get_object (root), member);
  if (array == NULL)
    {
      g_set_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_PROTOCOL, _("The agent's answer has no %s list"), member);
      return NULL;
    }
  list = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < sg_json_array_get_length (array); i++)
    {
      JsonObject *item = sg_json_array_get_object (array, i);
      GObject *parsed;

      if (item != NULL && (parsed = parse_item (item)))
        g_ptr_array_add (list, parsed);
    }
  return list;
}

static GObject *
parse_breakpoint_item (JsonObject *item)
{
  return G_OBJECT (_sg_breakpoint_new_from_object (item, NULL));
}

static GObject *
parse_profile_item (JsonObject *item)
{
  return G_OBJECT (_sg_agent_profile_info_new_from_json (item));
}

gpointer
_sg_agent_parse_breakpoint_list (JsonNode  *root,
                       gpointer   data,
                       GError   **error)
{
  return parse_list (root, "breakpoints", parse_breakpoint_item, error);
}

gpointer
_sg_agent_parse_profile (JsonNode  *root,
               gpointer   data,
               GError   **error)
{
  JsonObject *object = expect_object (root, error);
  SgAgentProfileInfo *info;

  if (object == NULL)
    return NULL;
  if (sg_json_get_object (object, "profile"))
    object = sg_json_get_object (object, "profile");
  if (!(info = _sg_agent_profile_info_new_from_json (object)))
    g_set_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_PROTOCOL, _("The agent sent a profile without an id"));
  return info;
}

gpointer
_sg_agent_parse_profile_list (JsonNode  *root,
                    gpointer   data,
                    GError   **error)
{
  return parse_list (root, "profiles", parse_profile_item, error);
}



void
_sg_agent_event_free (gpointer ptr)
{
  Event *event = ptr;

  g_free (event->kind);
  g_free (event->data_json);
  g_clear_object (&event->breakpoint);
  g_clear_object (&event->log_entry);
  g_free (event);
}

void
_sg_agent_batch_free (gpointer ptr)
{
  Batch *batch = ptr;

  g_free (batch->agent_id);
  g_ptr_array_unref (batch->events);
  g_free (batch);
}

gpointer
_sg_agent_parse_events (JsonNode  *root,
              gpointer   agent_label,
              GError   **error)
{
  JsonObject *object = expect_object (root, error);
  JsonArray *events;
  Batch *batch;

  if (object == NULL)
    return NULL;
  if (!(events = sg_json_get_array (object, "events")))
    {
      g_set_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_PROTOCOL, _("The agent's event answer has no event list"));
      return NULL;
    }
  batch = g_new0 (Batch, 1);
  batch->events = g_ptr_array_new_with_free_func (_sg_agent_event_free);
  batch->agent_id = g_strdup (sg_json_get_string (object, "agent_id"));
  batch->last_seq = (guint64) MAX (0, sg_json_get_int (object, "last_seq", 0));
  batch->missed = sg_json_get_int (object, "missed", 0);

  for (guint i = 0; i < sg_json_array_get_length (events); i++)
    {
      JsonObject *ev = sg_json_array_get_object (events, i);
      JsonObject *data;
      Event *event;

      if (ev == NULL)
        continue;
      event = g_new0 (Event, 1);
      event->kind = g_strdup (sg_json_get_string (ev, "kind") ?: "");
      event->seq = (guint64) MAX (0, sg_json_get_int (ev, "seq", 0));
      batch->last_seq = MAX (batch->last_seq, event->seq);
      data = sg_json_get_object (ev, "data");
      if (data != NULL)
        {
          event->data_json = sg_json_object_to_string (data);
          if (g_str_has_prefix (event->kind, "breakpoint_"))
            event->breakpoint = _sg_breakpoint_new_from_object (data, NULL);
          else if (g_str_equal (event->kind, "log"))
            {
              JsonObject *location = sg_json_get_object (data, "location");
              g_autoptr(GDateTime) time = sg_json_get_time (data, "time");

              if (time == NULL)
                time = sg_json_get_time (ev, "time");
              event->log_entry = sg_agent_log_entry_new (agent_label,
                                                         sg_json_get_string (data, "breakpoint_id"),
                                                         time,
                                                         sg_json_get_string (data, "level"),
                                                         sg_json_get_string (data, "message"),
                                                         sg_json_get_string (location, "path"),
                                                         sg_json_get_uint (location, "line"));
            }
        }
      g_ptr_array_add (batch->events, event);
    }
  return batch;
}
