/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sg-agent-json-private.h"
#include "sg-agent-memory-line.h"
#include "sg-agent-memory-private.h"

struct _SgAgentMemoryLine
{
  GObject  parent_instance;

  char    *file;
  char    *function;
  char    *text;
  guint    line;
  gint64   increment_bytes;
  gint64   allocations;
  gint64   alive_bytes;
  gint64   alive_count;
  gint64   peak_bytes;
};

G_DEFINE_FINAL_TYPE (SgAgentMemoryLine, sg_agent_memory_line, G_TYPE_OBJECT)

/* A row without a file or a line cannot be shown or matched to source:
 * NULL, and the caller says the answer was malformed. */
SgAgentMemoryLine *
_sg_agent_memory_line_new_from_json (JsonObject *object)
{
  SgAgentMemoryLine *self;
  gint64 line = sg_json_get_int (object, "line", -1);

  if (sg_json_get_string (object, "file") == NULL || line < 0 || line > G_MAXUINT)
    return NULL;
  self = g_object_new (SG_TYPE_AGENT_MEMORY_LINE, NULL);
  self->file = g_strdup (sg_json_get_string (object, "file"));
  self->line = (guint) line;
  self->function = g_strdup (sg_json_get_string (object, "function"));
  self->text = g_strdup (sg_json_get_string (object, "text"));
  self->increment_bytes = sg_json_get_int (object, "increment_bytes", 0);
  self->allocations = sg_json_get_int (object, "allocations", 0);
  self->alive_bytes = sg_json_get_int (object, "alive_bytes", 0);
  self->alive_count = sg_json_get_int (object, "alive_count", 0);
  self->peak_bytes = sg_json_get_int (object, "peak_bytes", 0);
  return self;
}

static void
sg_agent_memory_line_finalize (GObject *object)
{
  SgAgentMemoryLine *self = SG_AGENT_MEMORY_LINE (object);

  g_free (self->file);
  g_free (self->function);
  g_free (self->text);

  G_OBJECT_CLASS (sg_agent_memory_line_parent_class)->finalize (object);
}

static void
sg_agent_memory_line_class_init (SgAgentMemoryLineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sg_agent_memory_line_finalize;
}

static void
sg_agent_memory_line_init (SgAgentMemoryLine *self)
{
}

const char *
sg_agent_memory_line_get_file (SgAgentMemoryLine *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY_LINE (self), NULL);
  return self->file;
}

guint
sg_agent_memory_line_get_line (SgAgentMemoryLine *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY_LINE (self), 0);
  return self->line;
}

/* The enclosing function's qualified name; NULL when the agent could not
 * read the file. */
const char *
sg_agent_memory_line_get_function (SgAgentMemoryLine *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY_LINE (self), NULL);
  return self->function;
}

/* The line's source text, stripped; NULL when the file is not readable. */
const char *
sg_agent_memory_line_get_text (SgAgentMemoryLine *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY_LINE (self), NULL);
  return self->text;
}

gint64
sg_agent_memory_line_get_increment_bytes (SgAgentMemoryLine *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY_LINE (self), 0);
  return self->increment_bytes;
}

gint64
sg_agent_memory_line_get_allocations (SgAgentMemoryLine *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY_LINE (self), 0);
  return self->allocations;
}

gint64
sg_agent_memory_line_get_alive_bytes (SgAgentMemoryLine *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY_LINE (self), 0);
  return self->alive_bytes;
}

gint64
sg_agent_memory_line_get_alive_count (SgAgentMemoryLine *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY_LINE (self), 0);
  return self->alive_count;
}

gint64
sg_agent_memory_line_get_peak_bytes (SgAgentMemoryLine *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY_LINE (self), 0);
  return self->peak_bytes;
}
