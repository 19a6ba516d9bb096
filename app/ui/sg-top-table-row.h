/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SG_TYPE_TOP_TABLE_ROW (sg_top_table_row_get_type ())

G_DECLARE_FINAL_TYPE (SgTopTableRow, sg_top_table_row, SG, TOP_TABLE_ROW, GObject)

/* One function of the top table; immutable. */
SgTopTableRow *sg_top_table_row_new            (const char    *function,
                                                const char    *file,
                                                gint64         self,
                                                gint64         total,
                                                gint64         profile_total);
const char    *sg_top_table_row_get_function   (SgTopTableRow *self);
const char    *sg_top_table_row_get_file       (SgTopTableRow *self);
gint64         sg_top_table_row_get_self       (SgTopTableRow *self);
gint64         sg_top_table_row_get_total      (SgTopTableRow *self);
double         sg_top_table_row_get_self_fraction  (SgTopTableRow *self);
double         sg_top_table_row_get_total_fraction (SgTopTableRow *self);
/* Case-folded "function file", for filtering without allocating. */
const char    *sg_top_table_row_get_search_key (SgTopTableRow *self);

G_END_DECLS
