/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sg-agent-profiles.h"
#include "sg-application.h"

G_BEGIN_DECLS

#define SG_TYPE_WINDOW (sg_window_get_type ())

G_DECLARE_FINAL_TYPE (SgWindow, sg_window, SG, WINDOW, AdwApplicationWindow)

SgWindow   *sg_window_new           (SgApplication *application);
void        sg_window_open_file     (SgWindow      *self,
                                     GFile         *file);
GListModel *sg_window_get_profiles  (SgWindow      *self);
SgAgentProfiles *
            sg_window_get_agent_profiles (SgWindow *self);
guint       sg_window_get_n_loading (SgWindow      *self);
void        sg_window_show_page     (SgWindow      *self,
                                     const char    *name);

G_END_DECLS
