/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sg-analysis.h"
#include "sg-analysis-private.h"
#include "sg-profile-private.h"

/* Each input's tree is mapped node by node (parents before children), so
 * the builder sees every distinct path once rather than every sample. */
SgProfile *
sg_profile_merge (SgProfile * const *profiles,
                  guint              n_profiles,
                  GError           **error)
{
  g_autoptr(SgProfileBuilder) builder = NULL;
  SgProfile *first;
  gint64 start = G_MAXINT64, end = G_MININT64;

  g_return_val_if_fail (profiles != NULL || n_profiles == 0, NULL);

  if (n_profiles == 0)
    {
      g_set_error_literal (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_EMPTY, "No profiles to merge");
      return NULL;
    }

  first = profiles[0];
  for (guint p = 1; p < n_profiles; p++)
    {
      SgProfile *other = profiles[p];
      gboolean same = other->n_values == first->n_values;

      for (guint v = 0; same && v < first->n_values; v++)
        same = g_str_equal (sg_profile_get_value_type (first, v), sg_profile_get_value_type (other, v)) &&
               g_str_equal (sg_profile_get_value_unit (first, v), sg_profile_get_value_unit (other, v));
      if (!same)
        {
          g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_MISMATCH,
                       "Profile %u has different sample types from profile 1 (%s/%s…); "
                       "only profiles of the same kind can be merged",
                       p + 1, sg_profile_get_value_type (other, 0), sg_profile_get_value_unit (other, 0));
          return NULL;
        }
    }

  builder = sg_analysis_builder_new_like (first);
  for (guint p = 0; p < n_profiles; p++)
    {
      SgProfile *profile = profiles[p];
      g_autofree guint32 *node_map = NULL;
      SgRebuild rebuild;

      sg_rebuild_init (&rebuild, profile, builder);
      node_map = sg_rebuild_copy_tree (&rebuild);
      sg_rebuild_add_samples (&rebuild, node_map);
      sg_rebuild_clear (&rebuild);

      if (profile->start_ns > 0)
        {
          start = MIN (start, profile->start_ns);
          end = MAX (end, profile->start_ns + profile->duration_ns);
        }
    }

  if (start != G_MAXINT64)
    {
      sg_profile_builder_set_start_ns (builder, start);
      sg_profile_builder_set_duration_ns (builder, end - start);
    }
  return sg_profile_builder_end (builder, error);
}
