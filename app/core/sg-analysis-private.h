/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sg-profile.h"

G_BEGIN_DECLS

/* Sums flat and cum per key over the tree, counting a key once per root
 * path; key_of_frame maps each frame to a key < n_keys or G_MAXUINT32
 * (not counted). */
void sg_analysis_accumulate (SgProfile     *profile,
                             const guint32 *key_of_frame,
                             guint          n_keys,
                             guint          value_index,
                             gint64        *flat,
                             gint64        *cum);

G_END_DECLS

#include "sg-profile-builder.h"

G_BEGIN_DECLS

/* Copying parts of one profile into a builder: strings, frames and
 * threads are re-interned once each, not once per sample. */
typedef struct
{
  SgProfile        *source;
  SgProfileBuilder *builder;
  guint32          *frame_map;    /* source frame -> builder frame */
  guint32          *string_map;   /* source string -> builder string */
} SgRebuild;

void     sg_rebuild_init        (SgRebuild        *rebuild,
                                 SgProfile        *source,
                                 SgProfileBuilder *builder);
void     sg_rebuild_clear       (SgRebuild        *rebuild);
guint32  sg_rebuild_string      (SgRebuild        *rebuild,
                                 guint32           id);
guint    sg_rebuild_frame       (SgRebuild        *rebuild,
                                 guint32           frame);
/* node_map: source node -> builder node, SG_NODE_NONE drops its samples */
guint32 *sg_rebuild_copy_tree   (SgRebuild        *rebuild);
void     sg_rebuild_add_samples (SgRebuild        *rebuild,
                                 const guint32    *node_map);
/* A builder with the same value types and metadata as profile. */
SgProfileBuilder *sg_analysis_builder_new_like (SgProfile *profile);

G_END_DECLS
