/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sg-agent-client.h"
#include "sg-profile-file.h"

G_BEGIN_DECLS

#define SG_TYPE_AGENT_PROFILES (sg_agent_profiles_get_type ())

G_DECLARE_FINAL_TYPE (SgAgentProfiles, sg_agent_profiles, SG, AGENT_PROFILES, GObject)

SgAgentProfiles *sg_agent_profiles_new             (void);
SgAgentClient   *sg_agent_profiles_get_agent       (SgAgentProfiles     *self);
void             sg_agent_profiles_set_agent       (SgAgentProfiles     *self,
                                                    SgAgentClient       *agent);
GListModel      *sg_agent_profiles_get_profiles    (SgAgentProfiles     *self);
gboolean         sg_agent_profiles_get_can_record  (SgAgentProfiles     *self);
const char      *sg_agent_profiles_get_record_hint (SgAgentProfiles     *self);
gboolean         sg_agent_profiles_get_refreshing  (SgAgentProfiles     *self);
const char      *sg_agent_profiles_get_error       (SgAgentProfiles     *self);
void             sg_agent_profiles_refresh         (SgAgentProfiles     *self);

char            *sg_agent_profiles_dup_title       (SgAgentClient       *agent,
                                                    SgAgentProfileInfo  *info);
char            *sg_agent_profiles_dup_kind_label  (SgAgentProfileInfo  *info);
char            *sg_agent_profiles_dup_service_label (SgAgentClient     *agent);
char            *sg_agent_profiles_dup_time_label  (GDateTime           *time);
GFile           *sg_agent_profiles_dup_file        (SgAgentClient       *agent,
                                                    SgAgentProfileInfo  *info);

void             sg_agent_profiles_fetch_async     (SgAgentClient       *agent,
                                                    SgAgentProfileInfo  *info,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
SgProfileFile   *sg_agent_profiles_fetch_finish    (GAsyncResult        *result,
                                                    GError             **error);

G_END_DECLS
