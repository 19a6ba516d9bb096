/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sg-profile-file.h"

G_BEGIN_DECLS

GMenuModel *sg_recent_menu_new (GSettings     *settings);
void        sg_recent_add      (SgProfileFile *profile);

G_END_DECLS
