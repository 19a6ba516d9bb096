/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SG_TYPE_SNAPSHOT_VARIABLE (sg_snapshot_variable_get_type ())
G_DECLARE_FINAL_TYPE (SgSnapshotVariable, sg_snapshot_variable, SG, SNAPSHOT_VARIABLE, GObject)

/* One captured variable (or watch-expression result), immutable.  Members
 * are produced lazily, so cycles in the captured data are safe to walk. */
const char *sg_snapshot_variable_get_name           (SgSnapshotVariable *self);
const char *sg_snapshot_variable_get_type_name      (SgSnapshotVariable *self);
const char *sg_snapshot_variable_get_value          (SgSnapshotVariable *self);
const char *sg_snapshot_variable_get_status_message (SgSnapshotVariable *self);
gboolean    sg_snapshot_variable_is_error           (SgSnapshotVariable *self);
gboolean    sg_snapshot_variable_is_truncated       (SgSnapshotVariable *self);
gboolean    sg_snapshot_variable_is_redacted        (SgSnapshotVariable *self);
gboolean    sg_snapshot_variable_has_members        (SgSnapshotVariable *self);
guint       sg_snapshot_variable_get_n_members      (SgSnapshotVariable *self);
GListModel *sg_snapshot_variable_dup_members        (SgSnapshotVariable *self);
SgSnapshotVariable *
            sg_snapshot_variable_find_member        (SgSnapshotVariable *self,
                                                     const char         *name);

G_END_DECLS
