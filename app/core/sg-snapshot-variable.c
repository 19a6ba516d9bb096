/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "sg-agent-json-private.h"
#include "sg-snapshot-private.h"

struct _SgSnapshotVariable
{
  GObject         parent_instance;

  SgSnapshotData *data;
  SgVarData      *var;
  SgVarData      *resolved;  /* the table entry, or var itself */
};

G_DEFINE_FINAL_TYPE (SgSnapshotVariable, sg_snapshot_variable, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_TYPE_NAME,
  PROP_VALUE,
  PROP_STATUS_MESSAGE,
  PROP_IS_ERROR,
  PROP_TRUNCATED,
  PROP_REDACTED,
  PROP_HAS_MEMBERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
var_data_free (gpointer ptr)
{
  SgVarData *var = ptr;

  g_free (var->name);
  g_free (var->type);
  g_free (var->value);
  g_free (var->status_message);
  g_clear_pointer (&var->members, g_ptr_array_unref);
  g_free (var);
}

/* Redaction and truncation are reported as a non-error status on the
 * variable (Cloud Debugger style), or as explicit booleans by newer agents. */
static void
classify_status (SgVarData  *var,
                 JsonObject *object)
{
  g_autofree char *lower = NULL;

  var->truncated = sg_json_get_bool (object, "truncated", FALSE);
  var->redacted = sg_json_get_bool (object, "redacted", FALSE);
  if (var->status_message == NULL)
    return;
  lower = g_utf8_strdown (var->status_message, -1);
  if (strstr (lower, "redact") != NULL)
    var->redacted = TRUE;
  if (!var->is_error &&
      (strstr (lower, "truncat") != NULL || strstr (lower, "only the first") != NULL ||
       strstr (lower, "only first") != NULL || strstr (lower, "not captured") != NULL ||
       strstr (lower, "shown in part") != NULL))
    var->truncated = TRUE;
}

SgVarData *
_sg_snapshot_data_parse_variable (SgSnapshotData *data,
                                  JsonObject     *object)
{
  SgVarData *var = g_new0 (SgVarData, 1);
  JsonObject *status;
  JsonArray *members;

  g_ptr_array_add (data->all, var);
  var->name = g_strdup (sg_json_get_string (object, "name"));
  var->type = g_strdup (sg_json_get_string (object, "type"));
  var->value = g_strdup (sg_json_get_string (object, "value"));
  var->table_index = (int) sg_json_get_int (object, "var_table_index", -1);
  if ((status = sg_json_get_object (object, "status")))
    {
      var->is_error = sg_json_get_bool (status, "is_error", FALSE);
      var->status_message = sg_json_dup_status_message (status);
    }
  classify_status (var, object);

  members = sg_json_get_array (object, "members");
  if (sg_json_array_get_length (members) > 0)
    {
      var->members = g_ptr_array_new ();
      for (guint i = 0; i < sg_json_array_get_length (members); i++)
        {
          JsonObject *member = sg_json_array_get_object (members, i);

          if (member != NULL)
            g_ptr_array_add (var->members, _sg_snapshot_data_parse_variable (data, member));
        }
    }
  return var;
}

SgSnapshotData *
_sg_snapshot_data_new (JsonArray *variable_table)
{
  SgSnapshotData *data = g_new0 (SgSnapshotData, 1);

  g_atomic_ref_count_init (&data->ref_count);
  data->all = g_ptr_array_new_with_free_func (var_data_free);
  data->table = g_ptr_array_new ();
  for (guint i = 0; i < sg_json_array_get_length (variable_table); i++)
    {
      JsonObject *object = sg_json_array_get_object (variable_table, i);
      g_autoptr(JsonObject) empty = NULL;

      if (object == NULL)
        object = empty = json_object_new ();
      g_ptr_array_add (data->table, _sg_snapshot_data_parse_variable (data, object));
    }
  return data;
}

SgSnapshotData *
_sg_snapshot_data_ref (SgSnapshotData *data)
{
  g_atomic_ref_count_inc (&data->ref_count);
  return data;
}

void
_sg_snapshot_data_unref (SgSnapshotData *data)
{
  if (g_atomic_ref_count_dec (&data->ref_count))
    {
      g_ptr_array_unref (data->table);
      g_ptr_array_unref (data->all);
      g_free (data);
    }
}

GListModel *
_sg_snapshot_data_wrap_list (SgSnapshotData *data,
                             JsonArray      *array)
{
  GListStore *store = g_list_store_new (SG_TYPE_SNAPSHOT_VARIABLE);

  for (guint i = 0; i < sg_json_array_get_length (array); i++)
    {
      JsonObject *object = sg_json_array_get_object (array, i);
      g_autoptr(SgSnapshotVariable) variable = NULL;

      if (object == NULL)
        continue;
      variable = _sg_snapshot_variable_new (data, _sg_snapshot_data_parse_variable (data, object));
      g_list_store_append (store, variable);
    }
  return G_LIST_MODEL (store);
}

SgSnapshotVariable *
_sg_snapshot_variable_new (SgSnapshotData *data,
                           SgVarData      *var)
{
  SgSnapshotVariable *self = g_object_new (SG_TYPE_SNAPSHOT_VARIABLE, NULL);

  self->data = _sg_snapshot_data_ref (data);
  self->var = var;
  self->resolved = var;
  if (var->table_index >= 0 && (guint) var->table_index < data->table->len)
    self->resolved = g_ptr_array_index (data->table, var->table_index);
  return self;
}

static void
sg_snapshot_variable_finalize (GObject *object)
{
  SgSnapshotVariable *self = SG_SNAPSHOT_VARIABLE (object);

  g_clear_pointer (&self->data, _sg_snapshot_data_unref);

  G_OBJECT_CLASS (sg_snapshot_variable_parent_class)->finalize (object);
}

static void
sg_snapshot_variable_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SgSnapshotVariable *self = SG_SNAPSHOT_VARIABLE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, sg_snapshot_variable_get_name (self));
      break;
    case PROP_TYPE_NAME:
      g_value_set_string (value, sg_snapshot_variable_get_type_name (self));
      break;
    case PROP_VALUE:
      g_value_set_string (value, sg_snapshot_variable_get_value (self));
      break;
    case PROP_STATUS_MESSAGE:
      g_value_set_string (value, sg_snapshot_variable_get_status_message (self));
      break;
    case PROP_IS_ERROR:
      g_value_set_boolean (value, sg_snapshot_variable_is_error (self));
      break;
    case PROP_TRUNCATED:
      g_value_set_boolean (value, sg_snapshot_variable_is_truncated (self));
      break;
    case PROP_REDACTED:
      g_value_set_boolean (value, sg_snapshot_variable_is_redacted (self));
      break;
    case PROP_HAS_MEMBERS:
      g_value_set_boolean (value, sg_snapshot_variable_has_members (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_snapshot_variable_class_init (SgSnapshotVariableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sg_snapshot_variable_finalize;
  object_class->get_property = sg_snapshot_variable_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TYPE_NAME] =
    g_param_spec_string ("type-name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_MESSAGE] =
    g_param_spec_string ("status-message", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_ERROR] =
    g_param_spec_boolean ("is-error", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRUNCATED] =
    g_param_spec_boolean ("truncated", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REDACTED] =
    g_param_spec_boolean ("redacted", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_MEMBERS] =
    g_param_spec_boolean ("has-members", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sg_snapshot_variable_init (SgSnapshotVariable *self)
{
}

const char *
sg_snapshot_variable_get_name (SgSnapshotVariable *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT_VARIABLE (self), NULL);
  return self->var->name ? self->var->name : self->resolved->name;
}

const char *
sg_snapshot_variable_get_type_name (SgSnapshotVariable *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT_VARIABLE (self), NULL);
  return self->var->type ? self->var->type : self->resolved->type;
}

const char *
sg_snapshot_variable_get_value (SgSnapshotVariable *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT_VARIABLE (self), NULL);
  return self->var->value ? self->var->value : self->resolved->value;
}

const char *
sg_snapshot_variable_get_status_message (SgSnapshotVariable *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT_VARIABLE (self), NULL);
  return self->var->status_message ? self->var->status_message : self->resolved->status_message;
}

gboolean
sg_snapshot_variable_is_error (SgSnapshotVariable *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT_VARIABLE (self), FALSE);
  return self->var->is_error || self->resolved->is_error;
}

gboolean
sg_snapshot_variable_is_truncated (SgSnapshotVariable *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT_VARIABLE (self), FALSE);
  return self->var->truncated || self->resolved->truncated;
}

gboolean
sg_snapshot_variable_is_redacted (SgSnapshotVariable *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT_VARIABLE (self), FALSE);
  return self->var->redacted || self->resolved->redacted;
}

static GPtrArray *
get_member_data (SgSnapshotVariable *self)
{
  if (self->var->members != NULL)
    return self->var->members;
  return self->resolved->members;
}

gboolean
sg_snapshot_variable_has_members (SgSnapshotVariable *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT_VARIABLE (self), FALSE);
  return get_member_data (self) != NULL && get_member_data (self)->len > 0;
}

guint
sg_snapshot_variable_get_n_members (SgSnapshotVariable *self)
{
  GPtrArray *members;

  g_return_val_if_fail (SG_IS_SNAPSHOT_VARIABLE (self), 0);
  members = get_member_data (self);
  return members ? members->len : 0;
}

/**
 * sg_snapshot_variable_dup_members:
 *
 * Returns: (transfer full): a new list of #SgSnapshotVariable, empty for a
 *   leaf.  Each call makes new objects, which is what a lazy tree wants.
 */
GListModel *
sg_snapshot_variable_dup_members (SgSnapshotVariable *self)
{
  GListStore *store;
  GPtrArray *members;

  g_return_val_if_fail (SG_IS_SNAPSHOT_VARIABLE (self), NULL);

  store = g_list_store_new (SG_TYPE_SNAPSHOT_VARIABLE);
  members = get_member_data (self);
  for (guint i = 0; members != NULL && i < members->len; i++)
    {
      g_autoptr(SgSnapshotVariable) child = _sg_snapshot_variable_new (self->data,
                                                                     g_ptr_array_index (members, i));
      g_list_store_append (store, child);
    }
  return G_LIST_MODEL (store);
}

/**
 * sg_snapshot_variable_find_member:
 *
 * Returns: (transfer full) (nullable): the member called @name.
 */
SgSnapshotVariable *
sg_snapshot_variable_find_member (SgSnapshotVariable *self,
                                  const char         *name)
{
  GPtrArray *members;

  g_return_val_if_fail (SG_IS_SNAPSHOT_VARIABLE (self), NULL);

  members = get_member_data (self);
  for (guint i = 0; members != NULL && i < members->len; i++)
    {
      SgVarData *var = g_ptr_array_index (members, i);

      if (g_strcmp0 (var->name, name) == 0)
        return _sg_snapshot_variable_new (self->data, var);
    }
  return NULL;
}
