/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sg-diff.h"
#include "sg-profile-file.h"

G_BEGIN_DECLS

/*
 * What the Compare page shows for a base and a comparison profile, built
 * on a worker thread: both profiles parsed (or taken from the page's
 * cache), the value types they share, and for the chosen one the diff
 * (the table) and the union call tree (the differential flame graph).
 * Immutable once made, so the page hands parts of it to other threads.
 */

typedef struct
{
  SgProfile  *base;
  SgProfile  *test;
  /* Value types both sides have with the same unit, in the base's order;
   * empty when they share none. */
  GStrv       common_types;
  /* What each side has, for saying why nothing is common. */
  char       *base_types;
  char       *test_types;
  /* The compared value type, or NULL when none is common. */
  char       *value_type;
  SgDiff     *diff;
  SgProfile  *tree;
} SgCompareJob;

/* Parses what is not given (@base / @test may be NULL) and compares.
 * @value_type: the one to keep if both still have it; else the base's
 * default when common, else the first common one. */
SgCompareJob *sg_compare_job_run          (SgProfileFile       *base_file,
                                           SgProfile           *base,
                                           SgProfileFile       *test_file,
                                           SgProfile           *test,
                                           const char          *value_type,
                                           GCancellable        *cancellable,
                                           GError             **error);
void          sg_compare_job_run_async    (SgProfileFile       *base_file,
                                           SgProfile           *base,
                                           SgProfileFile       *test_file,
                                           SgProfile           *test,
                                           const char          *value_type,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
SgCompareJob *sg_compare_job_run_finish   (GAsyncResult        *result,
                                           GError             **error);
void          sg_compare_job_free         (SgCompareJob        *self);

/* Types of @profile as "cpu (nanoseconds), samples (count)". */
char         *sg_compare_dup_type_list    (SgProfile           *profile);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SgCompareJob, sg_compare_job_free)

G_END_DECLS
