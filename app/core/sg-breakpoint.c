/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sg-agent-client.h"
#include "sg-agent-json-private.h"
#include "sg-breakpoint-private.h"
#include "sg-snapshot-private.h"

struct _SgBreakpoint
{
  GObject            parent_instance;

  char              *json;      /* as received, for the history store */
  char              *id;
  char              *path;
  char              *condition;
  char             **expressions;
  char              *log_message_format;
  char              *log_level;
  char              *status_message;
  char              *status_refers_to;
  GDateTime         *create_time;
  GDateTime         *final_time;
  GDateTime         *expires_at;
  SgSnapshot        *snapshot;
  guint              line;
  SgBreakpointAction action;
  SgBreakpointState  state;
  gboolean           is_final;
};

G_DEFINE_FINAL_TYPE (SgBreakpoint, sg_breakpoint, G_TYPE_OBJECT)
G_DEFINE_ENUM_TYPE (SgBreakpointAction, sg_breakpoint_action,
                    G_DEFINE_ENUM_VALUE (SG_BREAKPOINT_ACTION_CAPTURE, "capture"),
                    G_DEFINE_ENUM_VALUE (SG_BREAKPOINT_ACTION_LOG, "log"))
G_DEFINE_ENUM_TYPE (SgBreakpointState, sg_breakpoint_state,
                    G_DEFINE_ENUM_VALUE (SG_BREAKPOINT_STATE_PENDING, "pending"),
                    G_DEFINE_ENUM_VALUE (SG_BREAKPOINT_STATE_ACTIVE, "active"),
                    G_DEFINE_ENUM_VALUE (SG_BREAKPOINT_STATE_HIT, "hit"),
                    G_DEFINE_ENUM_VALUE (SG_BREAKPOINT_STATE_EXPIRED, "expired"),
                    G_DEFINE_ENUM_VALUE (SG_BREAKPOINT_STATE_ERROR, "error"))

enum {
  PROP_0,
  PROP_ID,
  PROP_PATH,
  PROP_LINE,
  PROP_ACTION,
  PROP_STATE,
  PROP_STATUS_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static SgBreakpointState
derive_state (SgBreakpoint *self,
              JsonObject   *object)
{
  const char *state = sg_json_get_string (object, "state");

  if (self->status_message != NULL && sg_json_get_bool (sg_json_get_object (object, "status"), "is_error", FALSE))
    return SG_BREAKPOINT_STATE_ERROR;
  if (self->is_final)
    return self->snapshot != NULL ? SG_BREAKPOINT_STATE_HIT : SG_BREAKPOINT_STATE_EXPIRED;
  /* An agent may say "pending" outright, or (Cloud Debugger style) leave a
   * non-error status about the location while its module is not loaded. */
  if (g_strcmp0 (state, "pending") == 0)
    return SG_BREAKPOINT_STATE_PENDING;
  if (state == NULL && self->status_message != NULL &&
      g_ascii_strcasecmp (self->status_refers_to ? self->status_refers_to : "", "breakpoint_source_location") == 0 &&
      (g_str_has_prefix (self->status_message, "Waiting") || strstr (self->status_message, "pending") != NULL))
    return SG_BREAKPOINT_STATE_PENDING;
  return SG_BREAKPOINT_STATE_ACTIVE;
}

SgBreakpoint *
_sg_breakpoint_new_from_object (JsonObject  *object,
                                GError     **error)
{
  g_autoptr(SgBreakpoint) self = g_object_new (SG_TYPE_BREAKPOINT, NULL);
  JsonObject *location = sg_json_get_object (object, "location");
  JsonObject *status = sg_json_get_object (object, "status");

  self->id = g_strdup (sg_json_get_string (object, "id"));
  if (self->id == NULL || location == NULL)
    {
      g_set_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_PROTOCOL,
                   _("The agent sent a breakpoint without an id or a location"));
      return NULL;
    }
  self->json = sg_json_object_to_string (object);

  self->action = g_strcmp0 (sg_json_get_string (object, "action"), "log") == 0
    ? SG_BREAKPOINT_ACTION_LOG : SG_BREAKPOINT_ACTION_CAPTURE;
  self->path = g_strdup (sg_json_get_string (location, "path"));
  self->line = sg_json_get_uint (location, "line");
  self->condition = g_strdup (sg_json_get_string (object, "condition"));
  self->expressions = sg_json_get_strv (object, "expressions");
  self->log_message_format = g_strdup (sg_json_get_string (object, "log_message_format"));
  self->log_level = g_strdup (sg_json_get_string (object, "log_level"));
  self->create_time = sg_json_get_time (object, "create_time");
  self->final_time = sg_json_get_time (object, "final_time");
  self->expires_at = sg_json_get_time (object, "expires_at");
  self->is_final = sg_json_get_bool (object, "is_final_state", FALSE);
  if (status != NULL)
    {
      self->status_message = sg_json_dup_status_message (status);
      self->status_refers_to = g_strdup (sg_json_get_string (status, "refers_to"));
    }
  if (self->action == SG_BREAKPOINT_ACTION_CAPTURE)
    self->snapshot = _sg_snapshot_new_from_json (object);
  self->state = derive_state (self, object);

  return g_steal_pointer (&self);
}

static void
sg_breakpoint_finalize (GObject *object)
{
  SgBreakpoint *self = SG_BREAKPOINT (object);

  g_free (self->json);
  g_free (self->id);
  g_free (self->path);
  g_free (self->condition);
  g_strfreev (self->expressions);
  g_free (self->log_message_format);
  g_free (self->log_level);
  g_free (self->status_message);
  g_free (self->status_refers_to);
  g_clear_pointer (&self->create_time, g_date_time_unref);
  g_clear_pointer (&self->final_time, g_date_time_unref);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_clear_object (&self->snapshot);

  G_OBJECT_CLASS (sg_breakpoint_parent_class)->finalize (object);
}

static void
sg_breakpoint_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SgBreakpoint *self = SG_BREAKPOINT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_LINE:
      g_value_set_uint (value, self->line);
      break;
    case PROP_ACTION:
      g_value_set_enum (value, self->action);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_STATUS_MESSAGE:
      g_value_set_string (value, self->status_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_breakpoint_class_init (SgBreakpointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sg_breakpoint_finalize;
  object_class->get_property = sg_breakpoint_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINE] =
    g_param_spec_uint ("line", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTION] =
    g_param_spec_enum ("action", NULL, NULL, SG_TYPE_BREAKPOINT_ACTION, SG_BREAKPOINT_ACTION_CAPTURE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SG_TYPE_BREAKPOINT_STATE, SG_BREAKPOINT_STATE_ACTIVE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_MESSAGE] =
    g_param_spec_string ("status-message", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sg_breakpoint_init (SgBreakpoint *self)
{
}

/**
 * sg_breakpoint_new_from_json:
 * @json: one breakpoint object in the protocol's shape
 *
 * Rebuilds a breakpoint from what sg_breakpoint_to_json() returned (the
 * history store keeps them that way).
 */
SgBreakpoint *
sg_breakpoint_new_from_json (const char  *json,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_PROTOCOL, _("A breakpoint must be a JSON object"));
      return NULL;
    }
  return _sg_breakpoint_new_from_object (json_node_get_object (root), error);
}

char *
sg_breakpoint_to_json (SgBreakpoint *self)
{
  g_return_val_if_fail (SG_IS_BREAKPOINT (self), NULL);
  return g_strdup (self->json);
}

const char *
sg_breakpoint_get_id (SgBreakpoint *self)
{
  g_return_val_if_fail (SG_IS_BREAKPOINT (self), NULL);
  return self->id;
}

SgBreakpointAction
sg_breakpoint_get_action (SgBreakpoint *self)
{
  g_return_val_if_fail (SG_IS_BREAKPOINT (self), 0);
  return self->action;
}

SgBreakpointState
sg_breakpoint_get_state (SgBreakpoint *self)
{
  g_return_val_if_fail (SG_IS_BREAKPOINT (self), 0);
  return self->state;
}

const char *
sg_breakpoint_get_path (SgBreakpoint *self)
{
  g_return_val_if_fail (SG_IS_BREAKPOINT (self), NULL);
  return self->path;
}

guint
sg_breakpoint_get_line (SgBreakpoint *self)
{
  g_return_val_if_fail (SG_IS_BREAKPOINT (self), 0);
  return self->line;
}

const char *
sg_breakpoint_get_condition (SgBreakpoint *self)
{
  g_return_val_if_fail (SG_IS_BREAKPOINT (self), NULL);
  return self->condition;
}

const char * const *
sg_breakpoint_get_expressions (SgBreakpoint *self)
{
  g_return_val_if_fail (SG_IS_BREAKPOINT (self), NULL);
  return (const char * const *) self->expressions;
}

const char *
sg_breakpoint_get_log_message_format (SgBreakpoint *self)
{
  g_return_val_if_fail (SG_IS_BREAKPOINT (self), NULL);
  return self->log_message_format;
}

const char *
sg_breakpoint_get_log_level (SgBreakpoint *self)
{
  g_return_val_if_fail (SG_IS_BREAKPOINT (self), NULL);
  return self->log_level;
}

GDateTime *
sg_breakpoint_get_create_time (SgBreakpoint *self)
{
  g_return_val_if_fail (SG_IS_BREAKPOINT (self), NULL);
  return self->create_time;
}

GDateTime *
sg_breakpoint_get_final_time (SgBreakpoint *self)
{
  g_return_val_if_fail (SG_IS_BREAKPOINT (self), NULL);
  return self->final_time;
}

GDateTime *
sg_breakpoint_get_expires_at (SgBreakpoint *self)
{
  g_return_val_if_fail (SG_IS_BREAKPOINT (self), NULL);
  return self->expires_at;
}

gboolean
sg_breakpoint_is_final (SgBreakpoint *self)
{
  g_return_val_if_fail (SG_IS_BREAKPOINT (self), FALSE);
  return self->is_final;
}

const char *
sg_breakpoint_get_status_message (SgBreakpoint *self)
{
  g_return_val_if_fail (SG_IS_BREAKPOINT (self), NULL);
  return self->status_message;
}

const char *
sg_breakpoint_get_status_refers_to (SgBreakpoint *self)
{
  g_return_val_if_fail (SG_IS_BREAKPOINT (self), NULL);
  return self->status_refers_to;
}

/**
 * sg_breakpoint_get_snapshot:
 *
 * Returns: (transfer none) (nullable): the capture, once a capture
 *   breakpoint has been hit
 */
SgSnapshot *
sg_breakpoint_get_snapshot (SgBreakpoint *self)
{
  g_return_val_if_fail (SG_IS_BREAKPOINT (self), NULL);
  return self->snapshot;
}

const char *
sg_breakpoint_state_to_string (SgBreakpointState state)
{
  switch (state)
    {
    case SG_BREAKPOINT_STATE_PENDING:
      return _("Pending");
    case SG_BREAKPOINT_STATE_ACTIVE:
      return _("Active");
    case SG_BREAKPOINT_STATE_HIT:
      return _("Hit");
    case SG_BREAKPOINT_STATE_EXPIRED:
      return _("Finished");
    case SG_BREAKPOINT_STATE_ERROR:
      return _("Error");
    default:
      return "";
    }
}
