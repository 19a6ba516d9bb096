/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sg-breakpoint.h"

G_BEGIN_DECLS

#define SG_TYPE_HISTORY_SNAPSHOT (sg_history_snapshot_get_type ())
G_DECLARE_FINAL_TYPE (SgHistorySnapshot, sg_history_snapshot, SG, HISTORY_SNAPSHOT, GObject)

/* A breakpoint result kept in the history database, with the agent it came
 * from.  Immutable. */
SgHistorySnapshot *sg_history_snapshot_new            (const char        *agent_id,
                                                       const char        *agent_label,
                                                       SgBreakpoint      *breakpoint,
                                                       GDateTime         *stored_at);
const char        *sg_history_snapshot_get_agent_id    (SgHistorySnapshot *self);
const char        *sg_history_snapshot_get_agent_label (SgHistorySnapshot *self);
SgBreakpoint      *sg_history_snapshot_get_breakpoint  (SgHistorySnapshot *self);
GDateTime         *sg_history_snapshot_get_stored_at   (SgHistorySnapshot *self);

G_END_DECLS
