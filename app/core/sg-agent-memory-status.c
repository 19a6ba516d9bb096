/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sg-agent-client.h"
#include "sg-agent-json-private.h"
#include "sg-agent-memory-private.h"

struct _SgAgentMemoryStatus
{
  GObject        parent_instance;

  SgAgentMemory *current;
  GPtrArray     *results;
  double         slowdown;
  char          *cost_summary;
  char          *python;
  gboolean       cost_measured_here;
  gboolean       tracing_by_host;
};

G_DEFINE_FINAL_TYPE (SgAgentMemoryStatus, sg_agent_memory_status, G_TYPE_OBJECT)

gpointer
_sg_agent_parse_memory_status (JsonNode  *root,
                               gpointer   data,
                               GError   **error)
{
  g_autoptr(SgAgentMemoryStatus) self = NULL;
  JsonObject *object;
  JsonObject *current;
  JsonObject *cost;
  JsonArray *results;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_PROTOCOL, _("The agent's answer is not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (root);
  if (sg_json_get_string (object, "state") == NULL)
    {
      g_set_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_PROTOCOL,
                   _("The agent's memory status has no state; is it an older agent without memory recordings?"));
      return NULL;
    }

  self = g_object_new (SG_TYPE_AGENT_MEMORY_STATUS, NULL);
  if ((current = sg_json_get_object (object, "current")) &&
      !(self->current = _sg_agent_memory_new_from_json (current, error)))
    return NULL;
  if ((results = sg_json_get_array (object, "results")))
    {
      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonNode *node = json_array_get_element (results, i);
          SgAgentMemory *result;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          if (!(result = _sg_agent_memory_new_from_json (json_node_get_object (node), error)))
            return NULL;
          g_ptr_array_add (self->results, result);
        }
    }
  cost = sg_json_get_object (object, "expected_cost");
  self->slowdown = sg_json_get_double (cost, "slowdown", 0);
  self->cost_summary = g_strdup (sg_json_get_string (cost, "summary"));
  self->python = g_strdup (sg_json_get_string (cost, "python"));
  self->cost_measured_here = sg_json_get_bool (cost, "measured_on_this_version", FALSE);
  self->tracing_by_host = sg_json_get_bool (object, "tracing_by_host", FALSE);
  return g_steal_pointer (&self);
}

static void
sg_agent_memory_status_finalize (GObject *object)
{
  SgAgentMemoryStatus *self = SG_AGENT_MEMORY_STATUS (object);

  g_clear_object (&self->current);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_free (self->cost_summary);
  g_free (self->python);

  G_OBJECT_CLASS (sg_agent_memory_status_parent_class)->finalize (object);
}

static void
sg_agent_memory_status_class_init (SgAgentMemoryStatusClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sg_agent_memory_status_finalize;
}

static void
sg_agent_memory_status_init (SgAgentMemoryStatus *self)
{
  self->results = g_ptr_array_new_with_free_func (g_object_unref);
}

/* The running recording, or NULL when idle. */
SgAgentMemory *
sg_agent_memory_status_get_current (SgAgentMemoryStatus *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY_STATUS (self), NULL);
  return self->current;
}

/**
 * sg_agent_memory_status_get_results:
 *
 * Returns: (transfer none) (element-type SgAgentMemory): summaries of the
 *   last recordings, newest first
 */
GPtrArray *
sg_agent_memory_status_get_results (SgAgentMemoryStatus *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY_STATUS (self), NULL);
  return self->results;
}

/* The service runs tracemalloc itself; a recording shares it. */
gboolean
sg_agent_memory_status_get_tracing_by_host (SgAgentMemoryStatus *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY_STATUS (self), FALSE);
  return self->tracing_by_host;
}

/* How many times slower allocation-heavy code runs while recording, as
 * measured by the agent's benchmark; 0 when the agent did not say. */
double
sg_agent_memory_status_get_slowdown (SgAgentMemoryStatus *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY_STATUS (self), 0);
  return self->slowdown;
}

/* The agent's own sentence about the cost (English). */
const char *
sg_agent_memory_status_get_cost_summary (SgAgentMemoryStatus *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY_STATUS (self), NULL);
  return self->cost_summary;
}

/* Whether the slowdown was measured on the service's Python version, not
 * borrowed from another one. */
gboolean
sg_agent_memory_status_get_cost_measured_here (SgAgentMemoryStatus *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY_STATUS (self), FALSE);
  return self->cost_measured_here;
}

const char *
sg_agent_memory_status_get_python (SgAgentMemoryStatus *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MEMORY_STATUS (self), NULL);
  return self->python;
}
