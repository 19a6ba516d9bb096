/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SG_TYPE_COMPARE_PAGE (sg_compare_page_get_type ())

G_DECLARE_FINAL_TYPE (SgComparePage, sg_compare_page, SG, COMPARE_PAGE, GtkWidget)

G_END_DECLS
