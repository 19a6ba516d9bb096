/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sg-agent-json-private.h"
#include "sg-snapshot-private.h"

struct _SgSnapshot
{
  GObject     parent_instance;

  GListStore *frames;
  GListModel *expressions;
  GDateTime  *captured_at;
};

G_DEFINE_FINAL_TYPE (SgSnapshot, sg_snapshot, G_TYPE_OBJECT)

SgSnapshot *
_sg_snapshot_new_from_json (JsonObject *breakpoint)
{
  SgSnapshot *self;
  SgSnapshotData *data;
  JsonArray *frames = sg_json_get_array (breakpoint, "stack_frames");

  if (sg_json_array_get_length (frames) == 0)
    return NULL;

  self = g_object_new (SG_TYPE_SNAPSHOT, NULL);
  data = _sg_snapshot_data_new (sg_json_get_array (breakpoint, "variable_table"));
  for (guint i = 0; i < sg_json_array_get_length (frames); i++)
    {
      JsonObject *object = sg_json_array_get_object (frames, i);
      g_autoptr(SgSnapshotFrame) frame = NULL;

      if (object == NULL)
        continue;
      frame = _sg_snapshot_frame_new_from_json (data, object);
      g_list_store_append (self->frames, frame);
    }
  self->expressions = _sg_snapshot_data_wrap_list (data, sg_json_get_array (breakpoint, "evaluated_expressions"));
  self->captured_at = sg_json_get_time (breakpoint, "final_time");
  _sg_snapshot_data_unref (data);
  return self;
}

static void
sg_snapshot_finalize (GObject *object)
{
  SgSnapshot *self = SG_SNAPSHOT (object);

  g_clear_object (&self->frames);
  g_clear_object (&self->expressions);
  g_clear_pointer (&self->captured_at, g_date_time_unref);

  G_OBJECT_CLASS (sg_snapshot_parent_class)->finalize (object);
}

static void
sg_snapshot_class_init (SgSnapshotClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sg_snapshot_finalize;
}

static void
sg_snapshot_init (SgSnapshot *self)
{
  self->frames = g_list_store_new (SG_TYPE_SNAPSHOT_FRAME);
}

/**
 * sg_snapshot_get_frames:
 *
 * Returns: (transfer none): the stack, innermost frame first
 */
GListModel *
sg_snapshot_get_frames (SgSnapshot *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT (self), NULL);
  return G_LIST_MODEL (self->frames);
}

guint
sg_snapshot_get_n_frames (SgSnapshot *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->frames));
}

/**
 * sg_snapshot_get_frame:
 *
 * Returns: (transfer none) (nullable): frame @index, 0 being innermost
 */
SgSnapshotFrame *
sg_snapshot_get_frame (SgSnapshot *self,
                       guint       index)
{
  g_autoptr(SgSnapshotFrame) frame = NULL;

  g_return_val_if_fail (SG_IS_SNAPSHOT (self), NULL);
  frame = g_list_model_get_item (G_LIST_MODEL (self->frames), index);
  /* The store keeps its own reference. */
  return frame;
}

/**
 * sg_snapshot_get_evaluated_expressions:
 *
 * Returns: (transfer none): watch expression results, of #SgSnapshotVariable
 */
GListModel *
sg_snapshot_get_evaluated_expressions (SgSnapshot *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT (self), NULL);
  return self->expressions;
}

/**
 * sg_snapshot_get_captured_at:
 *
 * Returns: (transfer none) (nullable): when the agent captured it
 */
GDateTime *
sg_snapshot_get_captured_at (SgSnapshot *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT (self), NULL);
  return self->captured_at;
}
