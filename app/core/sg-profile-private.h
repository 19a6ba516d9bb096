/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sg-profile.h"

G_BEGIN_DECLS

/*
 * The layout behind the accessors in sg-profile.h.  Only the builder and
 * the analyses (which read whole columns in tight loops) include this.
 */
struct _SgProfile
{
  gatomicrefcount  ref_count;

  /* Derived profiles (time range, thread, focus/ignore) borrow strings and
   * frames from the profile they came from and keep it alive here. */
  SgProfile       *shared_tables;

  GStringChunk    *chunk;          /* owns the bytes of every string */
  const char     **strings;        /* n_strings, strings[0] == "" */
  guint            n_strings;
  GHashTable      *string_ids;     /* const char * -> id + 1 */

  guint32          service;
  guint32          version;
  guint32          host;
  guint32          profile_type;
  guint32          period_type;
  guint32          period_unit;
  guint32          comment;
  gint64           start_ns;
  gint64           duration_ns;
  gint64           period;

  guint            n_values;
  guint32         *value_types;    /* n_values string ids */
  guint32         *value_units;    /* n_values string ids */
  guint            default_value;

  SgFrame         *frames;
  guint            n_frames;

  SgNode          *nodes;
  guint            n_nodes;
  guint            max_depth;
  gint64          *self;           /* n_values columns of n_nodes */
  gint64          *total;          /* n_values columns of n_nodes */

  SgSample        *samples;
  guint            n_samples;
  gint64          *sample_values;  /* n_samples rows of n_values */
  gint64          *totals;         /* n_values */

  guint32         *threads;
  guint            n_threads;
};

SgProfile *sg_profile_new_empty (void);

/* A profile with the same strings, frames, metadata and value types as
 * source, keeping only samples with keep[i] != 0.  Linear in nodes plus
 * samples; no hashing, no sorting. */
SgProfile *sg_profile_new_subset (SgProfile     *source,
                                  const guint8  *keep);

G_END_DECLS
