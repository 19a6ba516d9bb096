/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sg-agent-log-entry.h"

struct _SgAgentLogEntry
{
  GObject    parent_instance;

  char      *agent;
  char      *breakpoint_id;
  GDateTime *time;
  char      *level;
  char      *message;
  char      *path;
  guint      line;
};

G_DEFINE_FINAL_TYPE (SgAgentLogEntry, sg_agent_log_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AGENT,
  PROP_LEVEL,
  PROP_MESSAGE,
  PROP_PATH,
  PROP_LINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sg_agent_log_entry_finalize (GObject *object)
{
  SgAgentLogEntry *self = SG_AGENT_LOG_ENTRY (object);

  g_free (self->agent);
  g_free (self->breakpoint_id);
  g_clear_pointer (&self->time, g_date_time_unref);
  g_free (self->level);
  g_free (self->message);
  g_free (self->path);

  G_OBJECT_CLASS (sg_agent_log_entry_parent_class)->finalize (object);
}

static void
sg_agent_log_entry_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SgAgentLogEntry *self = SG_AGENT_LOG_ENTRY (object);

  switch (prop_id)
    {
    case PROP_AGENT:
      g_value_set_string (value, self->agent);
      break;
    case PROP_LEVEL:
      g_value_set_string (value, self->level);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_LINE:
      g_value_set_uint (value, self->line);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_agent_log_entry_class_init (SgAgentLogEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sg_agent_log_entry_finalize;
  object_class->get_property = sg_agent_log_entry_get_property;

  properties[PROP_AGENT] =
    g_param_spec_string ("agent", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LEVEL] =
    g_param_spec_string ("level", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINE] =
    g_param_spec_uint ("line", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sg_agent_log_entry_init (SgAgentLogEntry *self)
{
}

SgAgentLogEntry *
sg_agent_log_entry_new (const char *agent,
                        const char *breakpoint_id,
                        GDateTime  *time,
                        const char *level,
                        const char *message,
                        const char *path,
                        guint       line)
{
  SgAgentLogEntry *self = g_object_new (SG_TYPE_AGENT_LOG_ENTRY, NULL);

  self->agent = g_strdup (agent);
  self->breakpoint_id = g_strdup (breakpoint_id);
  self->time = time ? g_date_time_ref (time) : g_date_time_new_now_utc ();
  self->level = g_strdup (level ? level : "info");
  self->message = g_strdup (message ? message : "");
  self->path = g_strdup (path);
  self->line = line;
  return self;
}

const char *
sg_agent_log_entry_get_agent (SgAgentLogEntry *self)
{
  g_return_val_if_fail (SG_IS_AGENT_LOG_ENTRY (self), NULL);
  return self->agent;
}

const char *
sg_agent_log_entry_get_breakpoint_id (SgAgentLogEntry *self)
{
  g_return_val_if_fail (SG_IS_AGENT_LOG_ENTRY (self), NULL);
  return self->breakpoint_id;
}

GDateTime *
sg_agent_log_entry_get_time (SgAgentLogEntry *self)
{
  g_return_val_if_fail (SG_IS_AGENT_LOG_ENTRY (self), NULL);
  return self->time;
}

const char *
sg_agent_log_entry_get_level (SgAgentLogEntry *self)
{
  g_return_val_if_fail (SG_IS_AGENT_LOG_ENTRY (self), NULL);
  return self->level;
}

const char *
sg_agent_log_entry_get_message (SgAgentLogEntry *self)
{
  g_return_val_if_fail (SG_IS_AGENT_LOG_ENTRY (self), NULL);
  return self->message;
}

const char *
sg_agent_log_entry_get_path (SgAgentLogEntry *self)
{
  g_return_val_if_fail (SG_IS_AGENT_LOG_ENTRY (self), NULL);
  return self->path;
}

guint
sg_agent_log_entry_get_line (SgAgentLogEntry *self)
{
  g_return_val_if_fail (SG_IS_AGENT_LOG_ENTRY (self), 0);
  return self->line;
}
