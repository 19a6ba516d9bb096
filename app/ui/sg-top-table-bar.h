/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SG_TYPE_TOP_TABLE_BAR (sg_top_table_bar_get_type ())

G_DECLARE_FINAL_TYPE (SgTopTableBar, sg_top_table_bar, SG, TOP_TABLE_BAR, GtkWidget)

/* A percentage cell: the number over a bar as long as the share. */
GtkWidget *sg_top_table_bar_new          (void);
void       sg_top_table_bar_set_fraction (SgTopTableBar *self,
                                          double         fraction,
                                          const char    *text);

G_END_DECLS
