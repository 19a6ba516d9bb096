/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sg-agent-client.h"
#include "sg-agent-info-private.h"
#include "sg-agent-json-private.h"

struct _SgAgentInfo
{
  GObject     parent_instance;

  char       *id;
  char       *service;
  char       *version;
  char       *host;
  char       *runtime;
  char       *source_root;
  char       *protocol_version;
  char      **capabilities;
  GDateTime  *started_at;
  gint64      pid;
};

G_DEFINE_FINAL_TYPE (SgAgentInfo, sg_agent_info, G_TYPE_OBJECT)

static void
sg_agent_info_finalize (GObject *object)
{
  SgAgentInfo *self = SG_AGENT_INFO (object);

  g_free (self->id);
  g_free (self->service);
  g_free (self->version);
  g_free (self->host);
  g_free (self->runtime);
  g_free (self->source_root);
  g_free (self->protocol_version);
  g_strfreev (self->capabilities);
  g_clear_pointer (&self->started_at, g_date_time_unref);

  G_OBJECT_CLASS (sg_agent_info_parent_class)->finalize (object);
}

static void
sg_agent_info_class_init (SgAgentInfoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sg_agent_info_finalize;
}

static void
sg_agent_info_init (SgAgentInfo *self)
{
  self->pid = -1;
}

/* The runtime may be a string ("CPython 3.11.7") or an object
 * ({implementation, version}); show either as one line. */
static char *
read_runtime (JsonObject *object)
{
  JsonObject *rt;
  const char *s;

  if ((s = sg_json_get_string (object, "runtime")))
    return g_strdup (s);
  if ((rt = sg_json_get_object (object, "runtime")))
    {
      const char *impl = sg_json_get_string (rt, "implementation");
      const char *ver = sg_json_get_string (rt, "version");

      if (impl == NULL)
        impl = sg_json_get_string (rt, "name");
      if (impl != NULL && ver != NULL)
        return g_strdup_printf ("%s %s", impl, ver);
      return g_strdup (impl ? impl : ver);
    }
  return NULL;
}

SgAgentInfo *
_sg_agent_info_new_from_json (JsonObject  *object,
                              GError     **error)
{
  g_autoptr(SgAgentInfo) self = NULL;
  JsonNode *proto;

  self = g_object_new (SG_TYPE_AGENT_INFO, NULL);

  /* Without a protocol version this is not a Spyglass agent (or one too
   * old to talk to); say so rather than failing later on odd JSON. */
  proto = sg_json_get_value (object, json_object_has_member (object, "protocol") ? "protocol" : "protocol_version");
  if (proto != NULL)
    {
      if (json_node_get_value_type (proto) == G_TYPE_STRING)
        self->protocol_version = g_strdup (json_node_get_string (proto));
      else if (json_node_get_value_type (proto) == G_TYPE_INT64)
        self->protocol_version = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (proto));
    }
  if (self->protocol_version == NULL || sg_json_get_string (object, "service") == NULL)
    {
      g_set_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_INCOMPATIBLE,
                   _("The server answered, but it is not a Spyglass agent (no protocol version in /v1/agent)"));
      return NULL;
    }
  /* Protocol "1", "1.x" and 1 are all major version 1. */
  if (g_ascii_strtoull (self->protocol_version, NULL, 10) != SG_AGENT_PROTOCOL_MAJOR)
    {
      g_set_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_INCOMPATIBLE,
                   _("The agent speaks protocol version %s; this console speaks version %d"),
                   self->protocol_version, SG_AGENT_PROTOCOL_MAJOR);
      return NULL;
    }

  self->id = g_strdup (sg_json_get_string (object, "id"));
  self->service = g_strdup (sg_json_get_string (object, "service"));
  self->version = g_strdup (sg_json_get_string (object, "version"));
  self->host = g_strdup (sg_json_get_string (object, "host"));
  self->source_root = g_strdup (sg_json_get_string (object, "source_root"));
  self->runtime = read_runtime (object);
  self->pid = sg_json_get_int (object, "pid", -1);
  self->capabilities = sg_json_get_strv (object, "capabilities");
  self->started_at = sg_json_get_time (object, "started_at");
  if (self->started_at == NULL)
    self->started_at = sg_json_get_time (object, "start_time");

  return g_steal_pointer (&self);
}

const char *
sg_agent_info_get_id (SgAgentInfo *self)
{
  g_return_val_if_fail (SG_IS_AGENT_INFO (self), NULL);
  return self->id;
}

const char *
sg_agent_info_get_service (SgAgentInfo *self)
{
  g_return_val_if_fail (SG_IS_AGENT_INFO (self), NULL);
  return self->service;
}

const char *
sg_agent_info_get_version (SgAgentInfo *self)
{
  g_return_val_if_fail (SG_IS_AGENT_INFO (self), NULL);
  return self->version;
}

const char *
sg_agent_info_get_host (SgAgentInfo *self)
{
  g_return_val_if_fail (SG_IS_AGENT_INFO (self), NULL);
  return self->host;
}

gint64
sg_agent_info_get_pid (SgAgentInfo *self)
{
  g_return_val_if_fail (SG_IS_AGENT_INFO (self), -1);
  return self->pid;
}

const char *
sg_agent_info_get_runtime (SgAgentInfo *self)
{
  g_return_val_if_fail (SG_IS_AGENT_INFO (self), NULL);
  return self->runtime;
}

GDateTime *
sg_agent_info_get_started_at (SgAgentInfo *self)
{
  g_return_val_if_fail (SG_IS_AGENT_INFO (self), NULL);
  return self->started_at;
}

const char *
sg_agent_info_get_source_root (SgAgentInfo *self)
{
  g_return_val_if_fail (SG_IS_AGENT_INFO (self), NULL);
  return self->source_root;
}

const char *
sg_agent_info_get_protocol_version (SgAgentInfo *self)
{
  g_return_val_if_fail (SG_IS_AGENT_INFO (self), NULL);
  return self->protocol_version;
}

const char * const *
sg_agent_info_get_capabilities (SgAgentInfo *self)
{
  g_return_val_if_fail (SG_IS_AGENT_INFO (self), NULL);
  return (const char * const *) self->capabilities;
}

gboolean
sg_agent_info_has_capability (SgAgentInfo *self,
                              const char  *capability)
{
  g_return_val_if_fail (SG_IS_AGENT_INFO (self), FALSE);
  return g_strv_contains ((const char * const *) self->capabilities, capability);
}
