/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sg-agent-profiles.h"
#include "sg-profile-file.h"

G_BEGIN_DECLS

#define SG_TYPE_SIDEBAR (sg_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (SgSidebar, sg_sidebar, SG, SIDEBAR, GtkWidget)

void sg_sidebar_set_profiles     (SgSidebar     *self,
                                  GListModel    *profiles);
void sg_sidebar_select_profile   (SgSidebar     *self,
                                  SgProfileFile *profile);
void sg_sidebar_set_loading      (SgSidebar     *self,
                                  GListModel    *loading);
void sg_sidebar_set_agents       (SgSidebar     *self,
                                  GListModel    *agents,
                                  GtkListBoxCreateWidgetFunc create_row);
void sg_sidebar_set_history      (SgSidebar     *self,
                                  GListModel    *snapshots);
void sg_sidebar_set_recent_menu  (SgSidebar     *self,
                                  GMenuModel    *menu);
void sg_sidebar_set_agent_profiles (SgSidebar       *self,
                                    SgAgentProfiles *profiles);

G_END_DECLS
