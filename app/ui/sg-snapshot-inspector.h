/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sg-history-snapshot.h"

G_BEGIN_DECLS

#define SG_TYPE_SNAPSHOT_INSPECTOR (sg_snapshot_inspector_get_type ())
G_DECLARE_FINAL_TYPE (SgSnapshotInspector, sg_snapshot_inspector, SG, SNAPSHOT_INSPECTOR, GtkWidget)

/* Reads one captured snapshot: which one (a list of every snapshot kept),
 * when and where it was taken, the call stack (selecting a frame shows its
 * variables and emits ::frame-activated so its source can be shown), the
 * variables as a lazily expanded tree, and the watch expressions. */
GtkWidget         *sg_snapshot_inspector_new           (void);
void               sg_snapshot_inspector_set_snapshots (SgSnapshotInspector *self,
                                                        GListModel          *snapshots);
void               sg_snapshot_inspector_show          (SgSnapshotInspector *self,
                                                        SgHistorySnapshot   *snapshot);
GListModel        *sg_snapshot_inspector_get_snapshots (SgSnapshotInspector *self);
SgHistorySnapshot *sg_snapshot_inspector_get_shown     (SgSnapshotInspector *self);
void               sg_snapshot_inspector_select_frame  (SgSnapshotInspector *self,
                                                        guint                index);
GListModel        *sg_snapshot_inspector_get_rows      (SgSnapshotInspector *self);
GListModel        *sg_snapshot_inspector_get_watches   (SgSnapshotInspector *self);

G_END_DECLS
