/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sg-analysis.h"
#include "sg-analysis-private.h"
#include "sg-profile-private.h"

/*
 * Callers and callees of one function.  Per tree node we find the
 * root-most frame of the function on its path (inherited from the
 * parent, so one pre-order pass); then per sampled node the path is split
 * there: the part below goes into the callees tree as is, the part above
 * into the callers tree reversed.
 */
gboolean
sg_profile_sandwich (SgProfile   *profile,
                     const char  *function,
                     const char  *file,
                     SgProfile  **callers,
                     SgProfile  **callees,
                     GError     **error)
{
  g_autoptr(SgProfileBuilder) up = NULL;
  g_autoptr(SgProfileBuilder) down = NULL;
  g_autofree guint8 *is_target = NULL;
  g_autofree guint32 *first_hit = NULL;   /* node of the root-most match on the path */
  g_autofree guint32 *up_map = NULL;
  g_autofree guint32 *down_map = NULL;
  g_autofree guint8 *sampled = NULL;
  g_autofree guint *frames = NULL;
  const SgNode *nodes;
  guint32 fn_id, file_id = 0;
  SgRebuild up_rebuild, down_rebuild;
  gboolean any = FALSE;

  g_return_val_if_fail (profile != NULL, FALSE);
  g_return_val_if_fail (function != NULL, FALSE);
  g_return_val_if_fail (callers != NULL && callees != NULL, FALSE);

  if (!sg_profile_lookup_string (profile, function, &fn_id) ||
      (file != NULL && !sg_profile_lookup_string (profile, file, &file_id)))
    goto not_found;

  nodes = profile->nodes;
  is_target = g_new0 (guint8, MAX (profile->n_frames, 1));
  for (guint f = 0; f < profile->n_frames; f++)
    is_target[f] = profile->frames[f].function == fn_id && (file == NULL || profile->frames[f].file == file_id);

  first_hit = g_new (guint32, profile->n_nodes);
  sampled = g_new0 (guint8, profile->n_nodes);
  for (guint i = 0; i < profile->n_samples; i++)
    sampled[profile->samples[i].node] = 1;
  first_hit[0] = SG_NODE_NONE;
  for (guint i = 1; i < profile->n_nodes; i++)
    {
      guint32 inherited = first_hit[nodes[i].parent];
      first_hit[i] = inherited != SG_NODE_NONE ? inherited : (is_target[nodes[i].frame] ? i : SG_NODE_NONE);
      any |= first_hit[i] != SG_NODE_NONE && sampled[i];
    }
  if (!any)
    goto not_found;

  up = sg_analysis_builder_new_like (profile);
  down = sg_analysis_builder_new_like (profile);
  sg_rebuild_init (&up_rebuild, profile, up);
  sg_rebuild_init (&down_rebuild, profile, down);
  up_map = g_new (guint32, profile->n_nodes);
  down_map = g_new (guint32, profile->n_nodes);
  frames = g_new (guint, profile->max_depth + 1);

  down_map[0] = SG_NODE_NONE;
  up_map[0] = SG_NODE_NONE;
  for (guint i = 1; i < profile->n_nodes; i++)
    {
      guint32 hit = first_hit[i];

      /* callees: the subtree under the hit, re-rooted at the root */
      if (hit == SG_NODE_NONE)
        down_map[i] = SG_NODE_NONE;
      else if (hit == i)
        down_map[i] = sg_profile_builder_intern_child (down, SG_PROFILE_BUILDER_ROOT,
                                                       sg_rebuild_frame (&down_rebuild, nodes[i].frame));
      else
        down_map[i] = sg_profile_builder_intern_child (down, down_map[nodes[i].parent],
                                                       sg_rebuild_frame (&down_rebuild, nodes[i].frame));

      /* callers: the path from the hit up to the root, reversed; every
       * sample below the hit lands on the same node */
      if (hit == SG_NODE_NONE || !sampled[i])
        up_map[i] = SG_NODE_NONE;
      else if (hit != i && up_map[hit] != SG_NODE_NONE)
        up_map[i] = up_map[hit];
      else
        {
          guint depth = nodes[hit].depth, k = depth;
          for (guint32 n = hit; n != SG_NODE_ROOT; n = nodes[n].parent)
            frames[--k] = sg_rebuild_frame (&up_rebuild, nodes[n].frame);
          up_map[i] = sg_profile_builder_intern_stack (up, frames, depth);
          up_map[hit] = up_map[i];
        }
    }

  /* a hit node that is itself unsampled may have been given an up_map
   * entry for its descendants' sake: its own samples are none, so harmless */
  sg_rebuild_add_samples (&up_rebuild, up_map);
  sg_rebuild_add_samples (&down_rebuild, down_map);
  sg_rebuild_clear (&up_rebuild);
  sg_rebuild_clear (&down_rebuild);

  *callers = sg_profile_builder_end (up, error);
  *callees = sg_profile_builder_end (down, error);
  return TRUE;

not_found:
  g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_NOT_FOUND,
               "No sample has the function “%s”%s%s", function,
               file ? " in " : "", file ? file : "");
  *callers = NULL;
  *callees = NULL;
  return FALSE;
}
