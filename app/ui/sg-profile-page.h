/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sg-profile-file.h"

G_BEGIN_DECLS

#define SG_TYPE_PROFILE_PAGE (sg_profile_page_get_type ())

G_DECLARE_FINAL_TYPE (SgProfilePage, sg_profile_page, SG, PROFILE_PAGE, GtkWidget)

SgProfileFile *sg_profile_page_get_profile (SgProfilePage *self);
void           sg_profile_page_set_profile (SgProfilePage *self,
                                            SgProfileFile *profile);

G_END_DECLS
