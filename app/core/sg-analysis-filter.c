/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pprof's and Cloud Profiler's stack filters.  Matching is decided once
 * per string, then once per frame; stacks are handled once per tree node
 * (never per sample), walking in pre-order so each node's answer extends
 * its parent's.  focus/ignore only choose samples and reuse the cheap
 * subset path; hide/show/show_from change stacks and go through a builder.
 */
#include "sg-analysis.h"
#include "sg-analysis-private.h"
#include "sg-profile-private.h"

#include <string.h>

static guint8 *
match_frames (SgProfile          *profile,
              const SgFilterRule *rule,
              GError            **error)
{
  g_autoptr(GRegex) regex = NULL;
  g_autofree guint8 *string_state = NULL;   /* 0 unknown, 1 no, 2 yes */
  guint8 *frame_match;

  if (rule->regex)
    {
      regex = g_regex_new (rule->pattern, G_REGEX_OPTIMIZE, 0, error);
      if (regex == NULL)
        {
          if (error != NULL && *error != NULL)
            {
              char *message = g_strdup_printf ("Bad filter pattern “%s”: %s", rule->pattern, (*error)->message);
              g_clear_error (error);
              g_set_error_literal (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_PATTERN, message);
              g_free (message);
            }
          return NULL;
        }
    }

  string_state = g_new0 (guint8, profile->n_strings);
  frame_match = g_new0 (guint8, MAX (profile->n_frames, 1));
  for (guint f = 0; f < profile->n_frames; f++)
    {
      guint32 ids[2] = { profile->frames[f].function, profile->frames[f].file };

      for (guint k = 0; k < 2 && !frame_match[f]; k++)
        {
          guint32 s = ids[k];
          if (s == 0)
            continue;
          if (string_state[s] == 0)
            {
              gboolean m = rule->regex
                ? g_regex_match (regex, profile->strings[s], 0, NULL)
                : strstr (profile->strings[s], rule->pattern) != NULL;
              string_state[s] = m ? 2 : 1;
            }
          frame_match[f] = string_state[s] == 2;
        }
    }
  return frame_match;
}

static SgProfile *
select_samples (SgProfile    *profile,
                const guint8 *frame_match,
                gboolean      keep_matching)
{
  const SgNode *nodes = profile->nodes;
  g_autofree guint8 *on_path = g_new0 (guint8, profile->n_nodes);
  g_autofree guint8 *keep = g_new (guint8, MAX (profile->n_samples, 1));

  for (guint i = 1; i < profile->n_nodes; i++)
    on_path[i] = on_path[nodes[i].parent] || frame_match[nodes[i].frame];
  for (guint i = 0; i < profile->n_samples; i++)
    keep[i] = on_path[profile->samples[i].node] ? keep_matching : !keep_matching;
  return sg_profile_new_subset (profile, keep);
}

static SgProfile *
reshape_stacks (SgProfile    *profile,
                const guint8 *frame_match,
                SgFilterKind  kind)
{
  g_autoptr(SgProfileBuilder) builder = sg_analysis_builder_new_like (profile);
  g_autofree guint32 *node_map = g_new (guint32, profile->n_nodes);
  const SgNode *nodes = profile->nodes;
  SgRebuild rebuild;
  SgProfile *result;

  sg_rebuild_init (&rebuild, profile, builder);

  /* show_from: SG_NODE_NONE until the root-most match, which starts a
   * stack at the root */
  node_map[0] = kind == SG_FILTER_SHOW_FROM ? SG_NODE_NONE : SG_PROFILE_BUILDER_ROOT;
  for (guint i = 1; i < profile->n_nodes; i++)
    {
      guint32 parent = node_map[nodes[i].parent];
      guint32 frame = nodes[i].frame;
      gboolean match = frame_match[frame];

      switch (kind)
        {
        case SG_FILTER_HIDE:
          node_map[i] = match ? parent : sg_profile_builder_intern_child (builder, parent, sg_rebuild_frame (&rebuild, frame));
          break;
        case SG_FILTER_SHOW:
          node_map[i] = match ? sg_profile_builder_intern_child (builder, parent, sg_rebuild_frame (&rebuild, frame)) : parent;
          break;
        case SG_FILTER_SHOW_FROM:
          if (parent != SG_NODE_NONE)
            node_map[i] = sg_profile_builder_intern_child (builder, parent, sg_rebuild_frame (&rebuild, frame));
          else if (match)
            node_map[i] = sg_profile_builder_intern_child (builder, SG_PROFILE_BUILDER_ROOT, sg_rebuild_frame (&rebuild, frame));
          else
            node_map[i] = SG_NODE_NONE;
          break;
        case SG_FILTER_FOCUS:
        case SG_FILTER_IGNORE:
        default:
          g_assert_not_reached ();
        }
    }

  sg_rebuild_add_samples (&rebuild, node_map);
  sg_rebuild_clear (&rebuild);
  result = sg_profile_builder_end (builder, NULL);
  g_assert (result != NULL);   /* value types were copied, so end() cannot fail */
  return result;
}

SgProfile *
sg_profile_filter (SgProfile          *profile,
                   const SgFilterRule *rules,
                   guint               n_rules,
                   GError            **error)
{
  g_autoptr(SgProfile) current = NULL;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (rules != NULL || n_rules == 0, NULL);

  current = sg_profile_ref (profile);
  for (guint r = 0; r < n_rules; r++)
    {
      g_autofree guint8 *frame_match = NULL;
      SgProfile *next;

      g_return_val_if_fail (rules[r].pattern != NULL, NULL);

      frame_match = match_frames (current, &rules[r], error);
      if (frame_match == NULL)
        return NULL;

      switch (rules[r].kind)
        {
        case SG_FILTER_FOCUS:
          next = select_samples (current, frame_match, TRUE);
          break;
        case SG_FILTER_IGNORE:
          next = select_samples (current, frame_match, FALSE);
          break;
        case SG_FILTER_HIDE:
        case SG_FILTER_SHOW:
        case SG_FILTER_SHOW_FROM:
          next = reshape_stacks (current, frame_match, rules[r].kind);
          break;
        default:
          g_return_val_if_reached (NULL);
        }
      g_clear_pointer (&current, sg_profile_unref);
      current = next;
    }
  return g_steal_pointer (&current);
}
