/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SG_TYPE_DEBUG_PAGE (sg_debug_page_get_type ())

G_DECLARE_FINAL_TYPE (SgDebugPage, sg_debug_page, SG, DEBUG_PAGE, GtkWidget)

G_END_DECLS
