/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sg-analysis-private.h"
#include "sg-profile-private.h"

#include <string.h>

void
sg_rebuild_init (SgRebuild        *rebuild,
                 SgProfile        *source,
                 SgProfileBuilder *builder)
{
  rebuild->source = source;
  rebuild->builder = builder;
  rebuild->frame_map = g_new (guint32, MAX (source->n_frames, 1));
  memset (rebuild->frame_map, 0xff, sizeof (guint32) * source->n_frames);
  rebuild->string_map = g_new (guint32, MAX (source->n_strings, 1));
  memset (rebuild->string_map, 0xff, sizeof (guint32) * source->n_strings);
  rebuild->string_map[0] = 0;
}

void
sg_rebuild_clear (SgRebuild *rebuild)
{
  g_clear_pointer (&rebuild->frame_map, g_free);
  g_clear_pointer (&rebuild->string_map, g_free);
}

guint32
sg_rebuild_string (SgRebuild *rebuild,
                   guint32    id)
{
  if (rebuild->string_map[id] == G_MAXUINT32)
    rebuild->string_map[id] = sg_profile_builder_intern_string (rebuild->builder, rebuild->source->strings[id]);
  return rebuild->string_map[id];
}

guint
sg_rebuild_frame (SgRebuild *rebuild,
                  guint32    frame)
{
  if (rebuild->frame_map[frame] == G_MAXUINT32)
    {
      const SgFrame *f = &rebuild->source->frames[frame];
      rebuild->frame_map[frame] =
        sg_profile_builder_intern_frame_ids (rebuild->builder,
                                             sg_rebuild_string (rebuild, f->function),
                                             sg_rebuild_string (rebuild, f->file),
                                             f->line,
                                             sg_rebuild_string (rebuild, f->module));
    }
  return rebuild->frame_map[frame];
}

/* Re-interns every node of the source under the builder's root, same
 * shape (parents come before their children in a profile's node table).
 * Returns the map from source node to builder node, n_nodes long. */
guint32 *
sg_rebuild_copy_tree (SgRebuild *rebuild)
{
  SgProfile *source = rebuild->source;
  guint32 *node_map = g_new (guint32, MAX (source->n_nodes, 1));

  node_map[0] = SG_PROFILE_BUILDER_ROOT;
  for (guint i = 1; i < source->n_nodes; i++)
    node_map[i] = sg_profile_builder_intern_child (rebuild->builder,
                                                   node_map[source->nodes[i].parent],
                                                   sg_rebuild_frame (rebuild, source->nodes[i].frame));
  return node_map;
}

void
sg_rebuild_add_samples (SgRebuild     *rebuild,
                        const guint32 *node_map)
{
  SgProfile *source = rebuild->source;

  for (guint i = 0; i < source->n_samples; i++)
    {
      const SgSample *sample = &source->samples[i];
      guint32 node = node_map[sample->node];

      if (node == SG_NODE_NONE)
        continue;
      sg_profile_builder_add_sample_at_node (rebuild->builder, node,
                                             source->sample_values + (gsize) i * source->n_values,
                                             sample->timestamp_ns,
                                             sg_rebuild_string (rebuild, sample->thread));
    }
}

SgProfileBuilder *
sg_analysis_builder_new_like (SgProfile *profile)
{
  SgProfileBuilder *builder = sg_profile_builder_new ();

  for (guint i = 0; i < profile->n_values; i++)
    sg_profile_builder_add_value_type (builder,
                                       profile->strings[profile->value_types[i]],
                                       profile->strings[profile->value_units[i]]);
  sg_profile_builder_set_default_value (builder, profile->default_value);
  sg_profile_builder_copy_metadata (builder, profile);
  return builder;
}
