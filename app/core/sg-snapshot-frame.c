/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sg-agent-json-private.h"
#include "sg-snapshot-private.h"

struct _SgSnapshotFrame
{
  GObject     parent_instance;

  char       *function;
  char       *path;
  guint       line;
  GListModel *arguments;
  GListModel *locals;
};

G_DEFINE_FINAL_TYPE (SgSnapshotFrame, sg_snapshot_frame, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FUNCTION,
  PROP_PATH,
  PROP_LINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

SgSnapshotFrame *
_sg_snapshot_frame_new_from_json (SgSnapshotData *data,
                                  JsonObject     *object)
{
  SgSnapshotFrame *self = g_object_new (SG_TYPE_SNAPSHOT_FRAME, NULL);
  JsonObject *location = sg_json_get_object (object, "location");

  self->function = g_strdup (sg_json_get_string (object, "function"));
  self->path = g_strdup (sg_json_get_string (location, "path"));
  self->line = sg_json_get_uint (location, "line");
  self->arguments = _sg_snapshot_data_wrap_list (data, sg_json_get_array (object, "arguments"));
  self->locals = _sg_snapshot_data_wrap_list (data, sg_json_get_array (object, "locals"));
  return self;
}

static void
sg_snapshot_frame_finalize (GObject *object)
{
  SgSnapshotFrame *self = SG_SNAPSHOT_FRAME (object);

  g_free (self->function);
  g_free (self->path);
  g_clear_object (&self->arguments);
  g_clear_object (&self->locals);

  G_OBJECT_CLASS (sg_snapshot_frame_parent_class)->finalize (object);
}

static void
sg_snapshot_frame_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SgSnapshotFrame *self = SG_SNAPSHOT_FRAME (object);

  switch (prop_id)
    {
    case PROP_FUNCTION:
      g_value_set_string (value, self->function);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_LINE:
      g_value_set_uint (value, self->line);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_snapshot_frame_class_init (SgSnapshotFrameClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sg_snapshot_frame_finalize;
  object_class->get_property = sg_snapshot_frame_get_property;

  properties[PROP_FUNCTION] =
    g_param_spec_string ("function", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINE] =
    g_param_spec_uint ("line", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sg_snapshot_frame_init (SgSnapshotFrame *self)
{
}

const char *
sg_snapshot_frame_get_function (SgSnapshotFrame *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT_FRAME (self), NULL);
  return self->function;
}

const char *
sg_snapshot_frame_get_path (SgSnapshotFrame *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT_FRAME (self), NULL);
  return self->path;
}

guint
sg_snapshot_frame_get_line (SgSnapshotFrame *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT_FRAME (self), 0);
  return self->line;
}

/**
 * sg_snapshot_frame_get_arguments:
 *
 * Returns: (transfer none): the frame's arguments, of #SgSnapshotVariable
 */
GListModel *
sg_snapshot_frame_get_arguments (SgSnapshotFrame *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT_FRAME (self), NULL);
  return self->arguments;
}

/**
 * sg_snapshot_frame_get_locals:
 *
 * Returns: (transfer none): the frame's locals, of #SgSnapshotVariable
 */
GListModel *
sg_snapshot_frame_get_locals (SgSnapshotFrame *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT_FRAME (self), NULL);
  return self->locals;
}

/**
 * sg_snapshot_frame_find_local:
 *
 * Looks @name up in the locals, then in the arguments.
 *
 * Returns: (transfer full) (nullable): the variable
 */
SgSnapshotVariable *
sg_snapshot_frame_find_local (SgSnapshotFrame *self,
                              const char      *name)
{
  GListModel *lists[] = { self->locals, self->arguments };

  g_return_val_if_fail (SG_IS_SNAPSHOT_FRAME (self), NULL);

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < g_list_model_get_n_items (lists[l]); i++)
      {
        g_autoptr(SgSnapshotVariable) var = g_list_model_get_item (lists[l], i);

        if (g_strcmp0 (sg_snapshot_variable_get_name (var), name) == 0)
          return g_steal_pointer (&var);
      }
  return NULL;
}
