/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "sg-top-table-row.h"

struct _SgTopTableRow
{
  GObject  parent_instance;

  char    *function;
  char    *file;
  char    *search_key;
  gint64   self;
  gint64   total;
  gint64   profile_total;
};

G_DEFINE_FINAL_TYPE (SgTopTableRow, sg_top_table_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FUNCTION,
  PROP_FILE,
  PROP_SELF,
  PROP_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sg_top_table_row_finalize (GObject *object)
{
  SgTopTableRow *self = SG_TOP_TABLE_ROW (object);

  g_free (self->function);
  g_free (self->file);
  g_free (self->search_key);

  G_OBJECT_CLASS (sg_top_table_row_parent_class)->finalize (object);
}

static void
sg_top_table_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SgTopTableRow *self = SG_TOP_TABLE_ROW (object);

  switch (prop_id)
    {
    case PROP_FUNCTION:
      g_value_set_string (value, self->function);
      break;
    case PROP_FILE:
      g_value_set_string (value, self->file);
      break;
    case PROP_SELF:
      g_value_set_int64 (value, self->self);
      break;
    case PROP_TOTAL:
      g_value_set_int64 (value, self->total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_top_table_row_class_init (SgTopTableRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sg_top_table_row_finalize;
  object_class->get_property = sg_top_table_row_get_property;

  /* Readable properties so GtkColumnView sorters can use expressions. */
  properties[PROP_FUNCTION] =
    g_param_spec_string ("function", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_string ("file", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELF] =
    g_param_spec_int64 ("self", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL] =
    g_param_spec_int64 ("total", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sg_top_table_row_init (SgTopTableRow *self)
{
}

SgTopTableRow *
sg_top_table_row_new (const char *function,
                      const char *file,
                      gint64      self_value,
                      gint64      total,
                      gint64      profile_total)
{
  SgTopTableRow *self = g_object_new (SG_TYPE_TOP_TABLE_ROW, NULL);
  g_autofree char *key = NULL;

  self->function = g_strdup (function ? function : "");
  self->file = g_strdup (file ? file : "");
  key = g_strconcat (self->function, " ", self->file, NULL);
  self->search_key = g_utf8_casefold (key, -1);
  self->self = self_value;
  self->total = total;
  self->profile_total = profile_total;
  return self;
}

const char *
sg_top_table_row_get_function (SgTopTableRow *self)
{
  return self->function;
}

const char *
sg_top_table_row_get_file (SgTopTableRow *self)
{
  return self->file;
}

gint64
sg_top_table_row_get_self (SgTopTableRow *self)
{
  return self->self;
}

gint64
sg_top_table_row_get_total (SgTopTableRow *self)
{
  return self->total;
}

double
sg_top_table_row_get_self_fraction (SgTopTableRow *self)
{
  return self->profile_total != 0 ? (double) self->self / (double) self->profile_total : 0;
}

double
sg_top_table_row_get_total_fraction (SgTopTableRow *self)
{
  return self->profile_total != 0 ? (double) self->total / (double) self->profile_total : 0;
}

const char *
sg_top_table_row_get_search_key (SgTopTableRow *self)
{
  return self->search_key;
}
