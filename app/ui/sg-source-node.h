/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SG_TYPE_SOURCE_NODE (sg_source_node_get_type ())
G_DECLARE_FINAL_TYPE (SgSourceNode, sg_source_node, SG, SOURCE_NODE, GObject)

/* Whether a local file matches what the agent runs. */
typedef enum
{
  SG_SOURCE_NODE_UNCHECKED,
  SG_SOURCE_NODE_SAME,
  SG_SOURCE_NODE_DIFFERENT,
  SG_SOURCE_NODE_NOT_ON_AGENT,
} SgSourceNodeMatch;

/* A folder or file of the source tree, by its path relative to the root
 * (the same relative path the agent uses).  Folders own their children. */
SgSourceNode     *sg_source_node_new          (const char     *path,
                                               gboolean        is_dir);
const char       *sg_source_node_get_path     (SgSourceNode   *self);
const char       *sg_source_node_get_name     (SgSourceNode   *self);
gboolean          sg_source_node_is_dir       (SgSourceNode   *self);
GListStore       *sg_source_node_get_children (SgSourceNode   *self);
SgSourceNodeMatch sg_source_node_get_match    (SgSourceNode   *self);
void              sg_source_node_set_match    (SgSourceNode   *self,
                                               SgSourceNodeMatch match);
SgSourceNode     *sg_source_node_build_tree   (char          **paths);
SgSourceNode     *sg_source_node_find         (SgSourceNode   *root,
                                               const char     *path);

G_END_DECLS
