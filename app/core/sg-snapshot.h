/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sg-snapshot-frame.h"
#include "sg-snapshot-variable.h"

G_BEGIN_DECLS

#define SG_TYPE_SNAPSHOT (sg_snapshot_get_type ())
G_DECLARE_FINAL_TYPE (SgSnapshot, sg_snapshot, SG, SNAPSHOT, GObject)

/* What a capture breakpoint took when it was hit: the call stack with each
 * frame's arguments and locals, and the watch expressions' results. */
GListModel *sg_snapshot_get_frames                (SgSnapshot *self);
guint       sg_snapshot_get_n_frames              (SgSnapshot *self);
SgSnapshotFrame *
            sg_snapshot_get_frame                 (SgSnapshot *self,
                                                   guint       index);
GListModel *sg_snapshot_get_evaluated_expressions (SgSnapshot *self);
GDateTime  *sg_snapshot_get_captured_at           (SgSnapshot *self);

G_END_DECLS
