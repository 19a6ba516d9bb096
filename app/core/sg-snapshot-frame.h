/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sg-snapshot-variable.h"

G_BEGIN_DECLS

#define SG_TYPE_SNAPSHOT_FRAME (sg_snapshot_frame_get_type ())
G_DECLARE_FINAL_TYPE (SgSnapshotFrame, sg_snapshot_frame, SG, SNAPSHOT_FRAME, GObject)

/* One frame of a captured call stack, innermost first.  Immutable. */
const char *sg_snapshot_frame_get_function  (SgSnapshotFrame *self);
const char *sg_snapshot_frame_get_path      (SgSnapshotFrame *self);
guint       sg_snapshot_frame_get_line      (SgSnapshotFrame *self);
GListModel *sg_snapshot_frame_get_arguments (SgSnapshotFrame *self);
GListModel *sg_snapshot_frame_get_locals    (SgSnapshotFrame *self);
SgSnapshotVariable *
            sg_snapshot_frame_find_local    (SgSnapshotFrame *self,
                                             const char      *name);

G_END_DECLS
