/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sg-agent-client.h"
#include "sg-agent-json-private.h"
#include "sg-agent-memory-private.h"

struct _SgAgentMemory
{
  GObject     parent_instance;

  char       *id;
  char       *state;
  char       *error;
  GDateTime  *start;
  double      seconds;
  guint       frames;
  double      elapsed;
  double      duration;
  gint64      alive_bytes;
  gint64      traced_peak_bytes;
  gint64      traced_end_bytes;
  gint64      peak_snapshot_bytes;
  gint64      line_count;
  char       *profile_id;
  GListStore *lines;
  gboolean    has_lines;
};

G_DEFINE_FINAL_TYPE (SgAgentMemory, sg_agent_memory, G_TYPE_OBJECT)

SgAgentMemory *
_sg_agent_memory_new_from_json (JsonObject  *object,
                                GError     **error)
{
  g_autoptr(SgAgentMemory) self = NULL;
  JsonArray *lines;
  JsonNode *count;

  if (object == NULL || sg_json_get_string (object, "id") == NULL)
    {
      g_set_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_PROTOCOL,
                   _("The agent sent a memory recording without an id"));
      return NULL;
    }

  self = g_object_new (SG_TYPE_AGENT_MEMORY, NULL);
  self->id = g_strdup (sg_json_get_string (object, "id"));
  self->state = g_strdup (sg_json_get_string (object, "state"));
  self->error = g_strdup (sg_json_get_string (object, "error"));
  self->start = sg_json_get_time (object, "start");
  self->seconds = sg_json_get_double (object, "seconds", -1);
  self->frames = (guint) CLAMP (sg_json_get_int (object, "frames", 0), 0, G_MAXUINT);
  self->elapsed = sg_json_get_double (object, "elapsed", 0);
  self->duration = sg_json_get_double (object, "duration", self->elapsed);
  self->alive_bytes = sg_json_get_int (object, "alive_bytes", 0);
  self->traced_peak_bytes = sg_json_get_int (object, "traced_peak_bytes", 0);
  self->traced_end_bytes = sg_json_get_int (object, "traced_end_bytes", 0);
  self->peak_snapshot_bytes = sg_json_get_int (object, "peak_snapshot_bytes", 0);
  self->profile_id = g_strdup (sg_json_get_string (object, "profile_id"));

  /* A summary says line_count; the memory_ready event calls the same
   * figure "lines", which in a full result is the table itself. */
  self->line_count = sg_json_get_int (object, "line_count", -1);
  count = json_object_get_member (object, "lines");
  if (self->line_count < 0 && count != NULL && JSON_NODE_HOLDS_VALUE (count))
    self->line_count = sg_json_get_int (object, "lines", -1);

  if ((lines = sg_json_get_array (object, "lines")))
    {
      guint n = json_array_get_length (lines);

      self->has_lines = TRUE;
      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = json_array_get_element (lines, i);
          g_autoptr(SgAgentMemoryLine) line = NULL;

          if (JSON_NODE_HOLDS_OBJECT (node))
            line = _sg_agent_memory_line_new_from_json (json_node_get_object (node));
          if (line == NULL)
            {
              g_set_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_PROTOCOL,
                           _("Row %u of memory recording %s has no file or line"), i + 1, self->id);
              return NULL;
            }
          g_list_store_append (self->lines, line);
        }
      if (self->line_count < 0)
        self->line_count = n;
    }
  return g_steal_pointer (&self);
}

/* The client's parsers: POST and DELETE answer a summary, GET
 * /v1/memory/{id} the summary plus its lines. */
gpointer
_sg_agent_parse_memory (JsonNode  *root,
                        gpointer   data,
                        GError   **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_PROTOCOL, _("The agent's answer is not a JSON object"));
      return NULL;
    }
  return _sg_agent_memory_new_from_json (json_node_get_object (root), error);
}

static void
sg_agent_memory_finalize (GObject *object)
{
  SgAgentMemory *self = SG_AGENT_MEMORY (object);

  g_free (self->id);
  g_free (self->state);
  g_free (self->error);
  g_free (self->profile_id);
  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_object (&self->lines);

  G_OBJECT_CLASS (sg_agent_memory_parent_class)->finalize (object);
}

static void
sg_agent_memory_class_init (SgAgentMemoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sg_agent_memory_finalize;
}

static void
sg_agent_memory_init (SgAgentMemory *self)
{
  self->lines = g_list_store_new (SG_TYPE_AGENT_MEMORY_LINE);
}

const char *
sg_agent_memory_get_id (SgAgentMemory *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY (self), NULL);
  return self->id;
}

/* "recording", "ready" or "failed" (then get_error() says why). */
const char *
sg_agent_memory_get_state (SgAgentMemory *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY (self), NULL);
  return self->state;
}

gboolean
sg_agent_memory_is_recording (SgAgentMemory *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY (self), FALSE);
  return g_strcmp0 (self->state, "recording") == 0;
}

gboolean
sg_agent_memory_is_ready (SgAgentMemory *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY (self), FALSE);
  return g_strcmp0 (self->state, "ready") == 0;
}

const char *
sg_agent_memory_get_error (SgAgentMemory *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY (self), NULL);
  return self->error;
}

GDateTime *
sg_agent_memory_get_start (SgAgentMemory *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY (self), NULL);
  return self->start;
}

/* The duration asked for, or -1 for "until stopped". */
double
sg_agent_memory_get_seconds (SgAgentMemory *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY (self), -1);
  return self->seconds;
}

guint
sg_agent_memory_get_frames (SgAgentMemory *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY (self), 0);
  return self->frames;
}

/* Seconds since the start when the agent answered. */
double
sg_agent_memory_get_elapsed (SgAgentMemory *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY (self), 0);
  return self->elapsed;
}

double
sg_agent_memory_get_duration (SgAgentMemory *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY (self), 0);
  return self->duration;
}

gint64
sg_agent_memory_get_alive_bytes (SgAgentMemory *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY (self), 0);
  return self->alive_bytes;
}

gint64
sg_agent_memory_get_traced_peak_bytes (SgAgentMemory *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY (self), 0);
  return self->traced_peak_bytes;
}

gint64
sg_agent_memory_get_traced_end_bytes (SgAgentMemory *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY (self), 0);
  return self->traced_end_bytes;
}

gint64
sg_agent_memory_get_peak_snapshot_bytes (SgAgentMemory *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY (self), 0);
  return self->peak_snapshot_bytes;
}

/* Rows in the table, -1 when the agent did not say. */
gint64
sg_agent_memory_get_line_count (SgAgentMemory *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY (self), -1);
  return self->line_count;
}

/* The heap profile's id for GET /v1/profiles/{id}; NULL until ready. */
const char *
sg_agent_memory_get_profile_id (SgAgentMemory *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY (self), NULL);
  return self->profile_id;
}

/* Whether this came with its table (GET /v1/memory/{id}), not only a summary. */
gboolean
sg_agent_memory_has_lines (SgAgentMemory *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY (self), FALSE);
  return self->has_lines;
}

/**
 * sg_agent_memory_get_lines:
 *
 * Returns: (transfer none): the per-line table, a #GListModel of
 *   #SgAgentMemoryLine, biggest increment first (empty for a summary)
 */
GListModel *
sg_agent_memory_get_lines (SgAgentMemory *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY (self), NULL);
  return G_LIST_MODEL (self->lines);
}

/**
 * sg_agent_memory_new_from_data:
 *
 * Reads a recording as GET /v1/memory/{id} serves it (a saved answer,
 * `spyglass-cli memory show --json`).
 */
SgAgentMemory *
sg_agent_memory_new_from_data (const char  *data,
                               gssize       length,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_PROTOCOL,
                   _("Not a memory recording: %s"), local_error->message);
      return NULL;
    }
  return _sg_agent_parse_memory (json_parser_get_root (parser), NULL, error);
}

static void
append_field (GString                 *out,
              const char              *value,
              SgAgentMemoryTextFormat  format)
{
  if (value == NULL)
    return;
  if (format == SG_AGENT_MEMORY_TEXT_TSV)
    {
      for (const char *p = value; *p; p++)
        g_string_append_c (out, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
      return;
    }
  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (out, value);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * sg_agent_memory_format_lines:
 * @lines: a #GListModel of #SgAgentMemoryLine, in the order to write them
 *
 * The table as text for a spreadsheet or a script: a header row, then one
 * row per line with sizes in bytes (not rounded for reading), so figures
 * add up exactly.
 *
 * Returns: (transfer full): the text, ending with a newline
 */
char *
sg_agent_memory_format_lines (GListModel              *lines,
                              SgAgentMemoryTextFormat  format)
{
  const char sep = format == SG_AGENT_MEMORY_TEXT_TSV ? '\t' : ',';
  const char *header[] = { "file", "line", "function", "text", "increment_bytes", "allocations",
                           "alive_bytes", "alive_count", "peak_bytes" };
  GString *out = g_string_new (NULL);
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (lines), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    {
      if (i > 0)
        g_string_append_c (out, sep);
      g_string_append (out, header[i]);
    }
  /* CSV's RFC says CRLF; every spreadsheet reads LF too, and scripts prefer it. */
  g_string_append_c (out, '\n');

  n = g_list_model_get_n_items (lines);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SgAgentMemoryLine) line = g_list_model_get_item (lines, i);

      append_field (out, sg_agent_memory_line_get_file (line), format);
      g_string_append_printf (out, "%c%u%c", sep, sg_agent_memory_line_get_line (line), sep);
      append_field (out, sg_agent_memory_line_get_function (line), format);
      g_string_append_c (out, sep);
      append_field (out, sg_agent_memory_line_get_text (line), format);
      g_string_append_printf (out, "%c%" G_GINT64_FORMAT "%c%" G_GINT64_FORMAT "%c%" G_GINT64_FORMAT
                              "%c%" G_GINT64_FORMAT "%c%" G_GINT64_FORMAT "\n",
                              sep, sg_agent_memory_line_get_increment_bytes (line),
                              sep, sg_agent_memory_line_get_allocations (line),
                              sep, sg_agent_memory_line_get_alive_bytes (line),
                              sep, sg_agent_memory_line_get_alive_count (line),
                              sep, sg_agent_memory_line_get_peak_bytes (line));
    }
  return g_string_free (out, FALSE);
}
