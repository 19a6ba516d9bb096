/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sg-agent-log-entry.h"
#include "sg-agent-profile-info.h"
#include "sg-breakpoint.h"
#include "sg-history-snapshot.h"

G_BEGIN_DECLS

#define SG_TYPE_HISTORY (sg_history_get_type ())
G_DECLARE_FINAL_TYPE (SgHistory, sg_history, SG, HISTORY, GObject)

/* The history database: snapshots, logpoint lines and profile metadata,
 * in SQLite (WAL) so they survive a restart.  Writes are queued to one
 * worker thread in order, each in its own transaction. */
SgHistory *sg_history_new                      (const char       *path,
                                                GError          **error);
SgHistory *sg_history_new_default              (GError          **error);
char      *sg_history_get_default_path         (void);
const char *sg_history_get_path                (SgHistory        *self);

void       sg_history_add_snapshot             (SgHistory        *self,
                                                const char       *agent_id,
                                                const char       *agent_label,
                                                SgBreakpoint     *breakpoint);
void       sg_history_add_log_entry            (SgHistory        *self,
                                                const char       *agent_id,
                                                guint64           seq,
                                                SgAgentLogEntry  *entry);
void       sg_history_add_profile              (SgHistory        *self,
                                                const char       *agent_id,
                                                const char       *agent_label,
                                                SgAgentProfileInfo *profile,
                                                const char       *file_path);
gboolean   sg_history_flush                    (SgHistory        *self,
                                                GError          **error);

void       sg_history_list_snapshots_async     (SgHistory        *self,
                                                guint             limit,
                                                GCancellable     *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer          user_data);
GPtrArray *sg_history_list_snapshots_finish    (SgHistory        *self,
                                                GAsyncResult     *result,
                                                GError          **error);
void       sg_history_list_log_entries_async   (SgHistory        *self,
                                                guint             limit,
                                                GCancellable     *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer          user_data);
GPtrArray *sg_history_list_log_entries_finish  (SgHistory        *self,
                                                GAsyncResult     *result,
                                                GError          **error);
GPtrArray *sg_history_list_snapshots           (SgHistory        *self,
                                                guint             limit,
                                                GError          **error);
GPtrArray *sg_history_list_log_entries         (SgHistory        *self,
                                                guint             limit,
                                                GError          **error);

G_END_DECLS
