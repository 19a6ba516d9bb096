/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sg-profile.h"

G_BEGIN_DECLS

#define SG_TYPE_TOP_TABLE (sg_top_table_get_type ())

G_DECLARE_FINAL_TYPE (SgTopTable, sg_top_table, SG, TOP_TABLE, GtkWidget)

GtkWidget   *sg_top_table_new                   (void);
/* Computes the table on a worker thread; "loading" is TRUE meanwhile. */
void         sg_top_table_set_profile           (SgTopTable *self,
                                                 SgProfile  *profile,
                                                 guint       value_index);
gboolean     sg_top_table_get_loading           (SgTopTable *self);
const char  *sg_top_table_get_selected_function (SgTopTable *self);
void         sg_top_table_set_selected_function (SgTopTable *self,
                                                 const char *function);
void         sg_top_table_set_filter            (SgTopTable *self,
                                                 const char *text);
/* Rows shown after filtering, in display (sorted) order. */
GListModel  *sg_top_table_get_model             (SgTopTable *self);
GtkColumnView *sg_top_table_get_column_view     (SgTopTable *self);

G_END_DECLS
