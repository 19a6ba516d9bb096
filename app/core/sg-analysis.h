/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sg-profile.h"

G_BEGIN_DECLS

/*
 * Analyses over SgProfile.  None of them mutates its input: each returns a
 * new profile (sharing nothing mutable) or a table, so they can run on a
 * worker thread while the UI keeps showing the original.
 */

/* ---- merge (sg-analysis-merge.c) --------------------------------------- */

/* Profiles must have the same value types (by name and unit) in the same
 * order, else SG_PROFILE_ERROR_MISMATCH.  Metadata comes from the first;
 * start is the earliest start, duration spans all of them. */
SgProfile *sg_profile_merge    (SgProfile * const *profiles,
                                guint              n_profiles,
                                GError           **error);

/* ---- time range and threads (sg-analysis-restrict.c) ------------------- */

/* Keeps samples with start_ns <= timestamp < end_ns (pass G_MININT64 /
 * G_MAXINT64 for an open end; untimed samples are dropped when either end
 * is bounded) and, if threads is non-NULL, whose thread name is one of
 * threads (NULL-terminated; "" matches samples without a thread). */
SgProfile *sg_profile_restrict (SgProfile          *profile,
                                gint64              start_ns,
                                gint64              end_ns,
                                const char * const *threads);

/* ---- filters (sg-analysis-filter.c) ------------------------------------ */

typedef enum
{
  SG_FILTER_FOCUS,      /* keep samples with a matching frame (pprof -focus, "show stacks") */
  SG_FILTER_IGNORE,     /* drop samples with a matching frame (pprof -ignore, "hide stacks") */
  SG_FILTER_HIDE,       /* remove matching frames from stacks (pprof -hide, "hide frames") */
  SG_FILTER_SHOW,       /* keep only matching frames in stacks (pprof -show) */
  SG_FILTER_SHOW_FROM,  /* drop frames above the root-most match; drop samples without one
                         * (pprof -show_from, "show from frame") */
} SgFilterKind;

typedef struct
{
  SgFilterKind  kind;
  const char   *pattern;
  gboolean      regex;     /* FALSE: case-sensitive substring */
} SgFilterRule;

/* A frame matches when its function name, or its file name, matches.
 * Rules apply in order.  A bad regex gives SG_PROFILE_ERROR_PATTERN. */
SgProfile *sg_profile_filter   (SgProfile          *profile,
                                const SgFilterRule *rules,
                                guint               n_rules,
                                GError            **error);

/* ---- invert (sg-analysis-invert.c) ------------------------------------- */

/* Bottom-up: every stack reversed, so the root's children are the leaf
 * functions and their totals are the functions' self values. */
SgProfile *sg_profile_invert   (SgProfile          *profile);

/* ---- top table (sg-analysis-top.c) ------------------------------------- */

typedef enum
{
  SG_TOP_BY_FUNCTION,   /* (function, file), like pprof -top */
  SG_TOP_BY_LINE,       /* (function, file, line), like pprof -top -lines */
} SgTopKey;

typedef struct
{
  guint32 function;     /* string ids of the profile */
  guint32 file;
  gint32  line;         /* 0 for SG_TOP_BY_FUNCTION */
  gint64  flat;         /* value where the function is the leaf */
  gint64  cum;          /* value of samples with the function anywhere on the stack, recursion counted once */
} SgTopRow;

/* Rows sorted by flat, then cum (both descending), then name.  Percentages
 * are row / sg_profile_get_total (profile, value_index). */
GArray    *sg_profile_top      (SgProfile          *profile,
                                SgTopKey            key,
                                guint               value_index);

/* ---- callers and callees (sg-analysis-sandwich.c) ---------------------- */

/* For a function (name, and file or NULL for any file): a callers profile
 * (root children are the function, below them who called it, upward) and
 * a callees profile (root children the function, below it what it called).
 * Only the root-most occurrence on each stack counts, so recursion does
 * not double totals.  SG_PROFILE_ERROR_NOT_FOUND if no sample has it. */
gboolean   sg_profile_sandwich (SgProfile          *profile,
                                const char         *function,
                                const char         *file,
                                SgProfile         **callers,
                                SgProfile         **callees,
                                GError            **error);

/* ---- per-line totals (sg-analysis-lines.c) ----------------------------- */

typedef struct
{
  gint32 line;
  gint64 flat;          /* samples whose leaf is on this line */
  gint64 cum;           /* samples with this line anywhere on the stack, once */
} SgLineRow;

/* Lines of one source file, sorted by line.  A frame's file matches when
 * it equals path or one ends with the other at a '/' boundary, because the
 * agent's paths and the local checkout rarely share a prefix. */
GArray    *sg_profile_lines    (SgProfile          *profile,
                                const char         *path,
                                guint               value_index);

G_END_DECLS
