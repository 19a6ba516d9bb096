/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sg-compare-row.h"
#include "sg-flame-layout.h"
#include "sg-flame-palette.h"

struct _SgCompareRow
{
  GObject   parent_instance;

  char     *function;
  char     *file;
  char     *search_key;
  gint64    base_value;
  gint64    test_value;
  double    base;
  double    test;
  double    change;
  gboolean  normalised;
};

G_DEFINE_FINAL_TYPE (SgCompareRow, sg_compare_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FUNCTION,
  PROP_FILE,
  PROP_BASE,
  PROP_TEST,
  PROP_DELTA,
  PROP_MAGNITUDE,
  PROP_CHANGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sg_compare_row_finalize (GObject *object)
{
  SgCompareRow *self = SG_COMPARE_ROW (object);

  g_free (self->function);
  g_free (self->file);
  g_free (self->search_key);

  G_OBJECT_CLASS (sg_compare_row_parent_class)->finalize (object);
}

static void
sg_compare_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SgCompareRow *self = SG_COMPARE_ROW (object);

  switch (prop_id)
    {
    case PROP_FUNCTION:
      g_value_set_string (value, self->function);
      break;
    case PROP_FILE:
      g_value_set_string (value, self->file);
      break;
    case PROP_BASE:
      g_value_set_double (value, self->base);
      break;
    case PROP_TEST:
      g_value_set_double (value, self->test);
      break;
    case PROP_DELTA:
      g_value_set_double (value, self->test - self->base);
      break;
    case PROP_MAGNITUDE:
      g_value_set_double (value, fabs (self->test - self->base));
      break;
    case PROP_CHANGE:
      g_value_set_double (value, self->change);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_compare_row_class_init (SgCompareRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sg_compare_row_finalize;
  object_class->get_property = sg_compare_row_get_property;

  /* Readable properties so GtkColumnView sorters can use expressions. */
  properties[PROP_FUNCTION] =
    g_param_spec_string ("function", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_string ("file", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BASE] =
    g_param_spec_double ("base", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEST] =
    g_param_spec_double ("test", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELTA] =
    g_param_spec_double ("delta", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* |delta|: the table's default order, biggest change either way first. */
  properties[PROP_MAGNITUDE] =
    g_param_spec_double ("magnitude", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHANGE] =
    g_param_spec_double ("change", NULL, NULL, -INFINITY, INFINITY, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sg_compare_row_init (SgCompareRow *self)
{
}

SgCompareRow *
sg_compare_row_new (const SgDiffRow *row,
                    gint64           base_total,
                    gint64           test_total,
                    gboolean         normalised)
{
  SgCompareRow *self = g_object_new (SG_TYPE_COMPARE_ROW, NULL);
  g_autofree char *key = NULL;

  g_return_val_if_fail (row != NULL, NULL);

  self->function = g_strdup (row->function);
  self->file = g_strdup (row->file);
  key = g_strconcat (row->function, " ", row->file, NULL);
  self->search_key = g_utf8_casefold (key, -1);
  self->base_value = row->base_cum;
  self->test_value = row->test_cum;
  self->normalised = normalised;
  self->base = normalised ? row->base_cum_share : (double) row->base_cum;
  self->test = normalised ? row->test_cum_share : (double) row->test_cum;
  self->change = sg_flame_diff_change (row->base_cum, base_total, row->test_cum, test_total,
                                       normalised);
  return self;
}

const char *
sg_compare_row_get_function (SgCompareRow *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_ROW (self), NULL);
  return self->function;
}

const char *
sg_compare_row_get_file (SgCompareRow *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_ROW (self), NULL);
  return self->file;
}

gboolean
sg_compare_row_get_normalised (SgCompareRow *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_ROW (self), FALSE);
  return self->normalised;
}

double
sg_compare_row_get_base (SgCompareRow *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_ROW (self), 0);
  return self->base;
}

double
sg_compare_row_get_test (SgCompareRow *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_ROW (self), 0);
  return self->test;
}

double
sg_compare_row_get_delta (SgCompareRow *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_ROW (self), 0);
  return self->test - self->base;
}

double
sg_compare_row_get_change (SgCompareRow *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_ROW (self), 0);
  return self->change;
}

gint64
sg_compare_row_get_base_value (SgCompareRow *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_ROW (self), 0);
  return self->base_value;
}

gint64
sg_compare_row_get_test_value (SgCompareRow *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_ROW (self), 0);
  return self->test_value;
}

const char *
sg_compare_row_get_search_key (SgCompareRow *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_ROW (self), NULL);
  return self->search_key;
}

/* "12.3%", with more digits for small shares so they do not read as 0. */
char *
sg_compare_format_share (double share)
{
  double p = 100.0 * share;

  if (p != 0.0 && fabs (p) < 0.1)
    return g_strdup_printf ("%.3f%%", p);
  return g_strdup_printf ("%.1f%%", p);
}

/* A change of share, in percentage points: "+4.52 pts". */
char *
sg_compare_format_points (double delta_share)
{
  double p = 100.0 * delta_share;

  if (fabs (p) < 0.005)
    p = 0.0;
  /* Translators: a change in percentage points, e.g. "+4.52 pts" */
  return g_strdup_printf (_("%+.2f pts"), p);
}

/* "+113 ms", "-2.1 MB", "0". */
char *
sg_compare_format_delta (gint64      delta,
                         const char *unit)
{
  g_autofree char *magnitude = sg_flame_format_value (delta < 0 ? -delta : delta, unit);

  if (delta == 0)
    return g_steal_pointer (&magnitude);
  return g_strconcat (delta > 0 ? "+" : "-", magnitude, NULL);
}

/* "+12.4%", "new", "gone". */
char *
sg_compare_format_change (double change)
{
  if (isinf (change))
    /* Translators: a function absent from the base profile */
    return g_strdup (change > 0 ? _("new") : _("gone"));
  if (change <= -1.0)
    /* Translators: a function absent from the comparison profile */
    return g_strdup (_("gone"));
  if (fabs (change) < 0.0005)
    return g_strdup ("0.0%");
  return g_strdup_printf ("%+.1f%%", 100.0 * change);
}
