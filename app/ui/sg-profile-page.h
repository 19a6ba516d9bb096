/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sg-flame-graph.h"
#include "sg-profile-file.h"
#include "sg-sandwich.h"
#include "sg-top-table.h"

G_BEGIN_DECLS

#define SG_TYPE_PROFILE_PAGE (sg_profile_page_get_type ())

G_DECLARE_FINAL_TYPE (SgProfilePage, sg_profile_page, SG, PROFILE_PAGE, GtkWidget)

SgProfileFile *sg_profile_page_get_profile        (SgProfilePage     *self);
void           sg_profile_page_set_profile        (SgProfilePage     *self,
                                                   SgProfileFile     *profile);

/* What the page shows: "empty", "loading", "error" or "profile". */
const char    *sg_profile_page_get_state          (SgProfilePage     *self);
/* TRUE while loading, filtering or laying out. */
gboolean       sg_profile_page_get_busy           (SgProfilePage     *self);
/* The profile after the active filters. */
SgProfile     *sg_profile_page_get_shown_profile  (SgProfilePage     *self);
guint          sg_profile_page_get_value_index    (SgProfilePage     *self);
void           sg_profile_page_set_value_index    (SgProfilePage     *self,
                                                   guint              value_index);

void           sg_profile_page_add_filter         (SgProfilePage     *self,
                                                   SgFlameFilterKind  kind,
                                                   const char        *function);
void           sg_profile_page_remove_filter      (SgProfilePage     *self,
                                                   guint              index);
guint          sg_profile_page_get_n_filters      (SgProfilePage     *self);

SgFlameGraph  *sg_profile_page_get_flame_graph    (SgProfilePage     *self);
SgTopTable    *sg_profile_page_get_top_table      (SgProfilePage     *self);
SgSandwich    *sg_profile_page_get_sandwich       (SgProfilePage     *self);
void           sg_profile_page_set_record_hint    (SgProfilePage     *self,
                                                   const char        *hint);
gboolean       sg_profile_page_save_to            (SgProfilePage     *self,
                                                   GFile             *file,
                                                   GError           **error);

G_END_DECLS
