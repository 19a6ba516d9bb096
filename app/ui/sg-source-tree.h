/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sg-source-node.h"

G_BEGIN_DECLS

#define SG_TYPE_SOURCE_TREE (sg_source_tree_get_type ())
G_DECLARE_FINAL_TYPE (SgSourceTree, sg_source_tree, SG, SOURCE_TREE, GtkWidget)

/* The source folder as a tree (GtkListView + GtkTreeListModel), with a
 * warning on files that differ from what the agent runs.  Emits
 * ::file-activated with the relative path of the file the user opened. */
GtkWidget    *sg_source_tree_new      (void);
void          sg_source_tree_set_root (SgSourceTree *self,
                                       SgSourceNode *root);
SgSourceNode *sg_source_tree_get_root (SgSourceTree *self);
void          sg_source_tree_reveal   (SgSourceTree *self,
                                       const char   *path);

G_END_DECLS
