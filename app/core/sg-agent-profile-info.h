/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SG_TYPE_AGENT_PROFILE_INFO (sg_agent_profile_info_get_type ())
G_DECLARE_FINAL_TYPE (SgAgentProfileInfo, sg_agent_profile_info, SG, AGENT_PROFILE_INFO, GObject)

/* One entry of GET /v1/profiles: a recording the agent holds. Immutable. */
const char *sg_agent_profile_info_get_id       (SgAgentProfileInfo *self);
const char *sg_agent_profile_info_get_kind     (SgAgentProfileInfo *self);
const char *sg_agent_profile_info_get_origin   (SgAgentProfileInfo *self);
const char *sg_agent_profile_info_get_state    (SgAgentProfileInfo *self);
GDateTime  *sg_agent_profile_info_get_start    (SgAgentProfileInfo *self);
double      sg_agent_profile_info_get_duration (SgAgentProfileInfo *self);
gint64      sg_agent_profile_info_get_samples  (SgAgentProfileInfo *self);
gint64      sg_agent_profile_info_get_size     (SgAgentProfileInfo *self);

G_END_DECLS
