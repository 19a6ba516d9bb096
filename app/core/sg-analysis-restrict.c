/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Time range and thread restriction.  Samples are sorted by time, so the
 * range is two binary searches; the rest is sg_profile_new_subset(), which
 * shares strings and frames with the source and rebuilds the tree in
 * linear passes.  Over 1M samples that is a few milliseconds (see
 * tests/bench), quick enough to follow a selection being dragged.
 */
#include "sg-analysis.h"
#include "sg-profile-private.h"

#include <string.h>

static guint
lower_bound (SgProfile *profile,
             gint64     t)
{
  guint lo = 0, hi = profile->n_samples;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (profile->samples[mid].timestamp_ns < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

SgProfile *
sg_profile_restrict (SgProfile          *profile,
                     gint64              start_ns,
                     gint64              end_ns,
                     const char * const *threads)
{
  g_autofree guint8 *keep = NULL;
  g_autofree guint8 *thread_ok = NULL;
  guint first = 0, last;
  SgProfile *result;

  g_return_val_if_fail (profile != NULL, NULL);

  last = profile->n_samples;
  if (start_ns != G_MININT64 || end_ns != G_MAXINT64)
    {
      /* untimed samples (timestamp -1) sort first and fall outside any
       * bounded range */
      first = lower_bound (profile, MAX (start_ns, 0));
      last = end_ns == G_MAXINT64 ? profile->n_samples : lower_bound (profile, end_ns);
      last = MAX (first, last);
    }

  if (threads != NULL)
    {
      thread_ok = g_new0 (guint8, profile->n_strings);
      for (guint i = 0; threads[i] != NULL; i++)
        {
          guint32 id;
          if (sg_profile_lookup_string (profile, threads[i], &id))
            thread_ok[id] = 1;
        }
    }

  keep = g_new0 (guint8, MAX (profile->n_samples, 1));
  if (thread_ok == NULL)
    memset (keep + first, 1, last - first);
  else
    for (guint i = first; i < last; i++)
      keep[i] = thread_ok[profile->samples[i].thread];

  result = sg_profile_new_subset (profile, keep);
  if (start_ns != G_MININT64 || end_ns != G_MAXINT64)
    {
      gint64 lo = start_ns, hi = end_ns;
      if (lo == G_MININT64 || hi == G_MAXINT64)
        {
          gint64 t0 = 0, t1 = 0;
          sg_profile_get_time_range (profile, &t0, &t1);
          if (lo == G_MININT64)
            lo = t0;
          if (hi == G_MAXINT64)
            hi = t1;
        }
      result->start_ns = lo;
      result->duration_ns = MAX (hi - lo, 0);
    }
  return result;
}
