/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sg-analysis.h"
#include "sg-analysis-private.h"
#include "sg-profile-private.h"

/*
 * Bottom-up: each sampled node's path is re-inserted reversed, leaf at the
 * top.  Paths are walked once per distinct node, not per sample.
 */
SgProfile *
sg_profile_invert (SgProfile *profile)
{
  g_autoptr(SgProfileBuilder) builder = NULL;
  g_autofree guint32 *node_map = NULL;
  g_autofree guint8 *sampled = NULL;
  g_autofree guint *frames = NULL;
  SgRebuild rebuild;
  SgProfile *result;

  g_return_val_if_fail (profile != NULL, NULL);

  builder = sg_analysis_builder_new_like (profile);
  sg_rebuild_init (&rebuild, profile, builder);
  node_map = g_new (guint32, profile->n_nodes);
  sampled = g_new0 (guint8, profile->n_nodes);
  frames = g_new (guint, profile->max_depth + 1);

  for (guint i = 0; i < profile->n_samples; i++)
    sampled[profile->samples[i].node] = 1;

  node_map[0] = SG_PROFILE_BUILDER_ROOT;
  for (guint i = 1; i < profile->n_nodes; i++)
    {
      guint depth = profile->nodes[i].depth;
      guint k = depth;

      if (!sampled[i])
        {
          node_map[i] = SG_NODE_NONE;
          continue;
        }
      /* intern_stack takes leaf first and the inverted leaf is the
       * original root side: fill root-side first */
      for (guint32 n = i; n != SG_NODE_ROOT; n = profile->nodes[n].parent)
        frames[--k] = sg_rebuild_frame (&rebuild, profile->nodes[n].frame);
      node_map[i] = sg_profile_builder_intern_stack (builder, frames, depth);
    }

  sg_rebuild_add_samples (&rebuild, node_map);
  sg_rebuild_clear (&rebuild);
  result = sg_profile_builder_end (builder, NULL);
  g_assert (result != NULL);
  return result;
}
