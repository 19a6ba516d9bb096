/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SG_TYPE_MEMORY_PAGE (sg_memory_page_get_type ())

G_DECLARE_FINAL_TYPE (SgMemoryPage, sg_memory_page, SG, MEMORY_PAGE, GtkWidget)

G_END_DECLS
