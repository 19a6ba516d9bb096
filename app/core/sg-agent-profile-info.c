/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>

#include "sg-agent-json-private.h"
#include "sg-agent-profile-info.h"

struct _SgAgentProfileInfo
{
  GObject    parent_instance;

  char      *id;
  char      *kind;
  char      *origin;
  char      *state;
  GDateTime *start;
  double     duration;
  gint64     samples;
  gint64     size;
};

G_DEFINE_FINAL_TYPE (SgAgentProfileInfo, sg_agent_profile_info, G_TYPE_OBJECT)

SgAgentProfileInfo *_sg_agent_profile_info_new_from_json (JsonObject *object);

SgAgentProfileInfo *
_sg_agent_profile_info_new_from_json (JsonObject *object)
{
  SgAgentProfileInfo *self;

  if (sg_json_get_string (object, "id") == NULL)
    return NULL;
  self = g_object_new (SG_TYPE_AGENT_PROFILE_INFO, NULL);
  self->id = g_strdup (sg_json_get_string (object, "id"));
  self->kind = g_strdup (sg_json_get_string (object, "type"));
  self->origin = g_strdup (sg_json_get_string (object, "origin"));
  self->state = g_strdup (sg_json_get_string (object, "state"));
  self->start = sg_json_get_time (object, "start");
  self->duration = sg_json_get_double (object, "duration", 0);
  self->samples = sg_json_get_int (object, "samples", 0);
  self->size = sg_json_get_int (object, "size", -1);
  return self;
}

static void
sg_agent_profile_info_finalize (GObject *object)
{
  SgAgentProfileInfo *self = SG_AGENT_PROFILE_INFO (object);

  g_free (self->id);
  g_free (self->kind);
  g_free (self->origin);
  g_free (self->state);
  g_clear_pointer (&self->start, g_date_time_unref);

  G_OBJECT_CLASS (sg_agent_profile_info_parent_class)->finalize (object);
}

static void
sg_agent_profile_info_class_init (SgAgentProfileInfoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sg_agent_profile_info_finalize;
}

static void
sg_agent_profile_info_init (SgAgentProfileInfo *self)
{
}

const char *
sg_agent_profile_info_get_id (SgAgentProfileInfo *self)
{
  g_return_val_if_fail (SG_IS_AGENT_PROFILE_INFO (self), NULL);
  return self->id;
}

const char *
sg_agent_profile_info_get_kind (SgAgentProfileInfo *self)
{
  g_return_val_if_fail (SG_IS_AGENT_PROFILE_INFO (self), NULL);
  return self->kind;
}

const char *
sg_agent_profile_info_get_origin (SgAgentProfileInfo *self)
{
  g_return_val_if_fail (SG_IS_AGENT_PROFILE_INFO (self), NULL);
  return self->origin;
}

const char *
sg_agent_profile_info_get_state (SgAgentProfileInfo *self)
{
  g_return_val_if_fail (SG_IS_AGENT_PROFILE_INFO (self), NULL);
  return self->state;
}

GDateTime *
sg_agent_profile_info_get_start (SgAgentProfileInfo *self)
{
  g_return_val_if_fail (SG_IS_AGENT_PROFILE_INFO (self), NULL);
  return self->start;
}

double
sg_agent_profile_info_get_duration (SgAgentProfileInfo *self)
{
  g_return_val_if_fail (SG_IS_AGENT_PROFILE_INFO (self), 0);
  return self->duration;
}

gint64
sg_agent_profile_info_get_samples (SgAgentProfileInfo *self)
{
  g_return_val_if_fail (SG_IS_AGENT_PROFILE_INFO (self), 0);
  return self->samples;
}

gint64
sg_agent_profile_info_get_size (SgAgentProfileInfo *self)
{
  g_return_val_if_fail (SG_IS_AGENT_PROFILE_INFO (self), -1);
  return self->size;
}
