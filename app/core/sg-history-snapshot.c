/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sg-history-snapshot.h"

struct _SgHistorySnapshot
{
  GObject       parent_instance;

  char         *agent_id;
  char         *agent_label;
  SgBreakpoint *breakpoint;
  GDateTime    *stored_at;
};

G_DEFINE_FINAL_TYPE (SgHistorySnapshot, sg_history_snapshot, G_TYPE_OBJECT)

static void
sg_history_snapshot_finalize (GObject *object)
{
  SgHistorySnapshot *self = SG_HISTORY_SNAPSHOT (object);

  g_free (self->agent_id);
  g_free (self->agent_label);
  g_clear_object (&self->breakpoint);
  g_clear_pointer (&self->stored_at, g_date_time_unref);

  G_OBJECT_CLASS (sg_history_snapshot_parent_class)->finalize (object);
}

static void
sg_history_snapshot_class_init (SgHistorySnapshotClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sg_history_snapshot_finalize;
}

static void
sg_history_snapshot_init (SgHistorySnapshot *self)
{
}

SgHistorySnapshot *
sg_history_snapshot_new (const char   *agent_id,
                         const char   *agent_label,
                         SgBreakpoint *breakpoint,
                         GDateTime    *stored_at)
{
  SgHistorySnapshot *self;

  g_return_val_if_fail (SG_IS_BREAKPOINT (breakpoint), NULL);

  self = g_object_new (SG_TYPE_HISTORY_SNAPSHOT, NULL);
  self->agent_id = g_strdup (agent_id);
  self->agent_label = g_strdup (agent_label);
  self->breakpoint = g_object_ref (breakpoint);
  self->stored_at = stored_at ? g_date_time_ref (stored_at) : g_date_time_new_now_utc ();
  return self;
}

const char *
sg_history_snapshot_get_agent_id (SgHistorySnapshot *self)
{
  g_return_val_if_fail (SG_IS_HISTORY_SNAPSHOT (self), NULL);
  return self->agent_id;
}

const char *
sg_history_snapshot_get_agent_label (SgHistorySnapshot *self)
{
  g_return_val_if_fail (SG_IS_HISTORY_SNAPSHOT (self), NULL);
  return self->agent_label;
}

/**
 * sg_history_snapshot_get_breakpoint:
 *
 * Returns: (transfer none): the breakpoint with its snapshot
 */
SgBreakpoint *
sg_history_snapshot_get_breakpoint (SgHistorySnapshot *self)
{
  g_return_val_if_fail (SG_IS_HISTORY_SNAPSHOT (self), NULL);
  return self->breakpoint;
}

GDateTime *
sg_history_snapshot_get_stored_at (SgHistorySnapshot *self)
{
  g_return_val_if_fail (SG_IS_HISTORY_SNAPSHOT (self), NULL);
  return self->stored_at;
}
