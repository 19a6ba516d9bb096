/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Tolerant readers for the agent's JSON: a missing or mistyped member reads
 * as "absent" instead of tripping json-glib's criticals, because a newer or
 * older agent may add or omit fields and the console must not crash on that. */

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

static inline const char *
sg_json_get_string (JsonObject *object,
                    const char *name)
{
  JsonNode *node;

  if (object == NULL || !(node = json_object_get_member (object, name)))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static inline gint64
sg_json_get_int (JsonObject *object,
                 const char *name,
                 gint64      fallback)
{
  JsonNode *node;

  if (object == NULL || !(node = json_object_get_member (object, name)))
    return fallback;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return fallback;
}

static inline double
sg_json_get_double (JsonObject *object,
                    const char *name,
                    double      fallback)
{
  JsonNode *node;

  if (object == NULL || !(node = json_object_get_member (object, name)))
    return fallback;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  return fallback;
}

static inline gboolean
sg_json_get_bool (JsonObject *object,
                  const char *name,
                  gboolean    fallback)
{
  JsonNode *node;

  if (object == NULL || !(node = json_object_get_member (object, name)))
    return fallback;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  return fallback;
}

static inline JsonObject *
sg_json_get_object (JsonObject *object,
                    const char *name)
{
  JsonNode *node;

  if (object == NULL || !(node = json_object_get_member (object, name)))
    return NULL;
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static inline JsonArray *
sg_json_get_array (JsonObject *object,
                   const char *name)
{
  JsonNode *node;

  if (object == NULL || !(node = json_object_get_member (object, name)))
    return NULL;
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* Times are RFC 3339 strings; some agents may send epoch seconds instead. */
static inline GDateTime *
sg_json_get_time (JsonObject *object,
                  const char *name)
{
  JsonNode *node;

  if (object == NULL || !(node = json_object_get_member (object, name)))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      return g_date_time_new_from_iso8601 (json_node_get_string (node), utc);
    }
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE || json_node_get_value_type (node) == G_TYPE_INT64)
    {
      double secs = sg_json_get_double (object, name, 0);
      return g_date_time_new_from_unix_utc ((gint64) secs);
    }
  return NULL;
}

static inline char **
sg_json_get_strv (JsonObject *object,
                  const char *name)
{
  JsonArray *array = sg_json_get_array (object, name);
  GStrvBuilder *builder = g_strv_builder_new ();
  char **ret;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
    }
  ret = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return ret;
}

G_END_DECLS
