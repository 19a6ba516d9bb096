/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "sg-diff.h"

G_BEGIN_DECLS

#define SG_TYPE_COMPARE_ROW (sg_compare_row_get_type ())

G_DECLARE_FINAL_TYPE (SgCompareRow, sg_compare_row, SG, COMPARE_ROW, GObject)

/* One function of the Compare table; immutable.  base/test are the
 * functions' totals (cumulative values, recursion counted once) either as
 * absolute values or, when @normalised, as shares of each side's total. */
SgCompareRow *sg_compare_row_new            (const SgDiffRow *row,
                                             gint64           base_total,
                                             gint64           test_total,
                                             gboolean         normalised);
const char   *sg_compare_row_get_function   (SgCompareRow    *self);
const char   *sg_compare_row_get_file       (SgCompareRow    *self);
gboolean      sg_compare_row_get_normalised (SgCompareRow    *self);
/* Values as compared: shares in [0, 1] when normalised, else absolute. */
double        sg_compare_row_get_base       (SgCompareRow    *self);
double        sg_compare_row_get_test       (SgCompareRow    *self);
double        sg_compare_row_get_delta      (SgCompareRow    *self);
/* (test - base) / base; ±INFINITY for a new function, -1 for a gone one. */
double        sg_compare_row_get_change     (SgCompareRow    *self);
/* The absolute values, whatever the scale. */
gint64        sg_compare_row_get_base_value (SgCompareRow    *self);
gint64        sg_compare_row_get_test_value (SgCompareRow    *self);
/* Case-folded "function file", for filtering without allocating. */
const char   *sg_compare_row_get_search_key (SgCompareRow    *self);

/* How the Compare page writes numbers, in the table and the summary alike. */
char         *sg_compare_format_share       (double           share);
char         *sg_compare_format_points      (double           delta_share);
char         *sg_compare_format_delta       (gint64           delta,
                                             const char      *unit);
char         *sg_compare_format_change      (double           change);

G_END_DECLS
