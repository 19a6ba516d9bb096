/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sg-agent-client.h"

G_BEGIN_DECLS

#define SG_TYPE_AGENT_PROFILES_ROW (sg_agent_profiles_row_get_type ())

G_DECLARE_FINAL_TYPE (SgAgentProfilesRow, sg_agent_profiles_row, SG, AGENT_PROFILES_ROW, GtkListBoxRow)

GtkWidget          *sg_agent_profiles_row_new      (SgAgentClient      *agent,
                                                    SgAgentProfileInfo *info);
SgAgentProfileInfo *sg_agent_profiles_row_get_info (SgAgentProfilesRow *self);

G_END_DECLS
