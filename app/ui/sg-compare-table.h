/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sg-diff.h"

G_BEGIN_DECLS

#define SG_TYPE_COMPARE_TABLE (sg_compare_table_get_type ())

G_DECLARE_FINAL_TYPE (SgCompareTable, sg_compare_table, SG, COMPARE_TABLE, GtkWidget)

GtkWidget     *sg_compare_table_new                   (void);
/* Shows @diff (NULL clears), as shares of each side's total when
 * @normalised, else as absolute values. */
void           sg_compare_table_set_diff              (SgCompareTable *self,
                                                       SgDiff         *diff,
                                                       gboolean        normalised);
const char    *sg_compare_table_get_selected_function (SgCompareTable *self);
void           sg_compare_table_set_selected_function (SgCompareTable *self,
                                                       const char     *function);
void           sg_compare_table_set_filter            (SgCompareTable *self,
                                                       const char     *text);
/* Rows shown after filtering, in display (sorted) order: SgCompareRow. */
GListModel    *sg_compare_table_get_model             (SgCompareTable *self);
GtkColumnView *sg_compare_table_get_column_view       (SgCompareTable *self);

G_END_DECLS
