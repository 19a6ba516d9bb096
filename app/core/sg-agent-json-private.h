/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Tolerant readers for the agent's JSON: a missing or mistyped member reads
 * as "absent" instead of tripping json-glib's criticals, because a newer or
 * older agent may add or omit fields and the console must not crash on that.
 * Every reader takes a NULL object or array and reads it as empty, so
 * optional sub-objects ("location", "status") need no checks of their own. */

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

static inline JsonObject *
sg_json_node_get_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The member if it is a scalar (string, number or boolean), else NULL. */
static inline JsonNode *
sg_json_get_value (JsonObject *object,
                   const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? node : NULL;
}

static inline gboolean
sg_json_node_is_number (JsonNode *node)
{
  GType type = json_node_get_value_type (node);

  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static inline const char *
sg_json_get_string (JsonObject *object,
                    const char *name)
{
  JsonNode *node = sg_json_get_value (object, name);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

static inline gint64
sg_json_get_int (JsonObject *object,
                 const char *name,
                 gint64      fallback)
{
  JsonNode *node = sg_json_get_value (object, name);

  if (node == NULL || !sg_json_node_is_number (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  return (gint64) json_node_get_double (node);
}

/* Lines, counts and sequence numbers: absent or negative reads as 0. */
static inline guint
sg_json_get_uint (JsonObject *object,
                  const char *name)
{
  return (guint) MAX (0, sg_json_get_int (object, name, 0));
}

static inline double
sg_json_get_double (JsonObject *object,
                    const char *name,
                    double      fallback)
{
  JsonNode *node = sg_json_get_value (object, name);

  if (node == NULL || !sg_json_node_is_number (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  return json_node_get_double (node);
}

static inline gboolean
sg_json_get_bool (JsonObject *object,
                  const char *name,
                  gboolean    fallback)
{
  JsonNode *node = sg_json_get_value (object, name);

  if (node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  return fallback;
}

static inline JsonObject *
sg_json_get_object (JsonObject *object,
                    const char *name)
{
  return object != NULL ? sg_json_node_get_object (json_object_get_member (object, name)) : NULL;
}

static inline JsonArray *
sg_json_get_array (JsonObject *object,
                   const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static inline guint
sg_json_array_get_length (JsonArray *array)
{
  return array != NULL ? json_array_get_length (array) : 0;
}

/* The element at @index if it is an object, else NULL (skip it). */
static inline JsonObject *
sg_json_array_get_object (JsonArray *array,
                          guint      index)
{
  return sg_json_node_get_object (json_array_get_element (array, index));
}

/* Times are RFC 3339 strings; some agents may send epoch seconds instead. */
static inline GDateTime *
sg_json_get_time (JsonObject *object,
                  const char *name)
{
  JsonNode *node = sg_json_get_value (object, name);

  if (node == NULL)
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      return g_date_time_new_from_iso8601 (json_node_get_string (node), utc);
    }
  if (sg_json_node_is_number (node))
    return g_date_time_new_from_unix_utc ((gint64) sg_json_get_double (object, name, 0));
  return NULL;
}

static inline char **
sg_json_get_strv (JsonObject *object,
                  const char *name)
{
  JsonArray *array = sg_json_get_array (object, name);
  GStrvBuilder *builder = g_strv_builder_new ();
  char **ret;

  for (guint i = 0; i < sg_json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
    }
  ret = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return ret;
}

/* A status's text: the snake_case shape puts it in "message", Cloud
 * Debugger nests it in "description"."format". */
static inline char *
sg_json_dup_status_message (JsonObject *status)
{
  const char *message = sg_json_get_string (status, "message");

  if (message == NULL)
    message = sg_json_get_string (sg_json_get_object (status, "description"), "format");
  return g_strdup (message);
}

/* Compact JSON text of @object, for keeping what the agent sent as is. */
static inline char *
sg_json_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

G_END_DECLS
