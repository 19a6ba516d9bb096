/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sg-profile.h"

G_BEGIN_DECLS

/*
 * The comparison of two profiles (say, two versions of a service) by
 * function identity: function name and file.  Each row carries both sides'
 * flat and cumulative values, as absolute numbers and as shares of each
 * profile's total, so a function that got slower because everything got
 * busier is told apart from one that grew its share.
 *
 * SgDiff is immutable and refcounted; sg_diff_sort() returns a fresh
 * ordering so several views can sort the same diff differently.
 */

#define SG_TYPE_DIFF (sg_diff_get_type ())

typedef struct _SgDiff SgDiff;

typedef struct
{
  const char *function;
  const char *file;
  gint64      base_flat;
  gint64      base_cum;
  gint64      test_flat;
  gint64      test_cum;
  double      base_flat_share;   /* of the base total, 0..1 */
  double      base_cum_share;
  double      test_flat_share;   /* of the test total, 0..1 */
  double      test_cum_share;
} SgDiffRow;

typedef enum
{
  SG_DIFF_SORT_FLAT_DELTA,        /* test_flat - base_flat */
  SG_DIFF_SORT_CUM_DELTA,         /* test_cum - base_cum */
  SG_DIFF_SORT_FLAT_SHARE_DELTA,  /* test_flat_share - base_flat_share */
  SG_DIFF_SORT_CUM_SHARE_DELTA,   /* test_cum_share - base_cum_share */
  SG_DIFF_SORT_NAME,
} SgDiffSort;

GType            sg_diff_get_type       (void) G_GNUC_CONST;

/* value_type names the value to compare (NULL: the base's default); both
 * profiles must have it with the same unit, else SG_PROFILE_ERROR_MISMATCH
 * or SG_PROFILE_ERROR_NOT_FOUND. */
SgDiff          *sg_diff_new            (SgProfile   *base,
                                         SgProfile   *test,
                                         const char  *value_type,
                                         GError     **error);
SgDiff          *sg_diff_ref            (SgDiff      *self);
void             sg_diff_unref          (SgDiff      *self);

const char      *sg_diff_get_value_type (SgDiff      *self);
const char      *sg_diff_get_value_unit (SgDiff      *self);
gint64           sg_diff_get_base_total (SgDiff      *self);
gint64           sg_diff_get_test_total (SgDiff      *self);
guint            sg_diff_get_n_rows     (SgDiff      *self);
const SgDiffRow *sg_diff_get_row        (SgDiff      *self,
                                         guint        index);

/* Row indices, largest first (descending = TRUE: biggest regression
 * first) or smallest first; ties by name. Free with g_free(). */
guint           *sg_diff_sort           (SgDiff      *self,
                                         SgDiffSort   sort,
                                         gboolean     descending);

/* The worst regression of cumulative share, in percentage points (0 when
 * nothing grew): what `spyglass-cli diff --fail-above` checks. */
double           sg_diff_get_max_regression (SgDiff  *self);

/* For a differential flame graph: the union of both call trees as one
 * profile with two value types, "base_TYPE" (index 0) and "test_TYPE"
 * (index 1), so every node carries both sides' self and total.  Same
 * checks as sg_diff_new(). */
SgProfile       *sg_diff_build_tree     (SgProfile   *base,
                                         SgProfile   *test,
                                         const char  *value_type,
                                         GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SgDiff, sg_diff_unref)

G_END_DECLS
