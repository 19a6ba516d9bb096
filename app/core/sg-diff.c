/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A diff is two top tables joined on (function, file).  Both tables come
 * from one linear walk of each tree, and the join hashes the test side's
 * names once, so two 100k-node profiles diff in a few milliseconds.
 */
#include "sg-diff.h"
#include "sg-analysis.h"
#include "sg-analysis-private.h"
#include "sg-profile-private.h"

#include <string.h>

struct _SgDiff
{
  gatomicrefcount  ref_count;
  GStringChunk    *chunk;
  char            *value_type;
  char            *value_unit;
  gint64           base_total;
  gint64           test_total;
  GArray          *rows;       /* SgDiffRow */
};

G_DEFINE_BOXED_TYPE (SgDiff, sg_diff, sg_diff_ref, sg_diff_unref)

typedef struct
{
  const char *function;
  const char *file;
} Key;

static guint
key_hash (gconstpointer p)
{
  const Key *k = p;

  return g_str_hash (k->function) * 31u + g_str_hash (k->file);
}

static gboolean
key_equal (gconstpointer a,
           gconstpointer b)
{
  const Key *x = a;
  const Key *y = b;

  return strcmp (x->function, y->function) == 0 && strcmp (x->file, y->file) == 0;
}

static double
share (gint64 value,
       gint64 total)
{
  return total != 0 ? (double) value / (double) total : 0.0;
}

static gboolean
find_common_value (SgProfile   *base,
                   SgProfile   *test,
                   const char **value_type,
                   guint       *bv_out,
                   guint       *tv_out,
                   GError     **error)
{
  guint bv, tv;

  if (*value_type == NULL)
    *value_type = sg_profile_get_value_type (base, sg_profile_get_default_value (base));
  if (!sg_profile_find_value_type (base, *value_type, &bv) ||
      !sg_profile_find_value_type (test, *value_type, &tv))
    {
      g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_NOT_FOUND,
                   "Both profiles need the sample type “%s” to be compared", *value_type);
      return FALSE;
    }
  if (!g_str_equal (sg_profile_get_value_unit (base, bv), sg_profile_get_value_unit (test, tv)))
    {
      g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_MISMATCH,
                   "“%s” is in %s in one profile and in %s in the other",
                   *value_type, sg_profile_get_value_unit (base, bv), sg_profile_get_value_unit (test, tv));
      return FALSE;
    }
  *bv_out = bv;
  *tv_out = tv;
  return TRUE;
}

SgDiff *
sg_diff_new (SgProfile   *base,
             SgProfile   *test,
             const char  *value_type,
             GError     **error)
{
  g_autoptr(GArray) base_rows = NULL;
  g_autoptr(GArray) test_rows = NULL;
  g_autoptr(GHashTable) index = NULL;
  g_autofree Key *keys = NULL;
  guint bv, tv;
  SgDiff *self;

  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (test != NULL, NULL);

  if (!find_common_value (base, test, &value_type, &bv, &tv, error))
    return NULL;

  self = g_new0 (SgDiff, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->chunk = g_string_chunk_new (4096);
  self->value_type = g_strdup (value_type);
  self->value_unit = g_strdup (sg_profile_get_value_unit (base, bv));
  self->base_total = sg_profile_get_total (base, bv);
  self->test_total = sg_profile_get_total (test, tv);

  base_rows = sg_profile_top (base, SG_TOP_BY_FUNCTION, bv);
  test_rows = sg_profile_top (test, SG_TOP_BY_FUNCTION, tv);
  self->rows = g_array_sized_new (FALSE, TRUE, sizeof (SgDiffRow), base_rows->len + test_rows->len);

  /* base rows first, then test rows join them or add new ones */
  index = g_hash_table_new (key_hash, key_equal);
  keys = g_new (Key, base_rows->len + test_rows->len);
  for (guint i = 0; i < base_rows->len; i++)
    {
      const SgTopRow *r = &g_array_index (base_rows, SgTopRow, i);
      SgDiffRow row = { 0, };

      row.function = g_string_chunk_insert_const (self->chunk, sg_profile_get_string (base, r->function));
      row.file = g_string_chunk_insert_const (self->chunk, sg_profile_get_string (base, r->file));
      row.base_flat = r->flat;
      row.base_cum = r->cum;
      keys[i].function = row.function;
      keys[i].file = row.file;
      g_array_append_val (self->rows, row);
      g_hash_table_insert (index, &keys[i], GUINT_TO_POINTER (i + 1));
    }
  for (guint i = 0; i < test_rows->len; i++)
    {
      const SgTopRow *r = &g_array_index (test_rows, SgTopRow, i);
      Key probe = { sg_profile_get_string (test, r->function), sg_profile_get_string (test, r->file) };
      gpointer found = g_hash_table_lookup (index, &probe);
      SgDiffRow *row;

      if (found == NULL)
        {
          SgDiffRow fresh = { 0, };
          fresh.function = g_string_chunk_insert_const (self->chunk, probe.function);
          fresh.file = g_string_chunk_insert_const (self->chunk, probe.file);
          g_array_append_val (self->rows, fresh);
          row = &g_array_index (self->rows, SgDiffRow, self->rows->len - 1);
        }
      else
        row = &g_array_index (self->rows, SgDiffRow, GPOINTER_TO_UINT (found) - 1);
      row->test_flat += r->flat;
      row->test_cum += r->cum;
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      SgDiffRow *row = &g_array_index (self->rows, SgDiffRow, i);
      row->base_flat_share = share (row->base_flat, self->base_total);
      row->base_cum_share = share (row->base_cum, self->base_total);
      row->test_flat_share = share (row->test_flat, self->test_total);
      row->test_cum_share = share (row->test_cum, self->test_total);
    }
  return self;
}

SgDiff *
sg_diff_ref (SgDiff *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
sg_diff_unref (SgDiff *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_string_chunk_free (self->chunk);
  g_free (self->value_type);
  g_free (self->value_unit);
  g_array_unref (self->rows);
  g_free (self);
}

const char *
sg_diff_get_value_type (SgDiff *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->value_type;
}

const char *
sg_diff_get_value_unit (SgDiff *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->value_unit;
}

gint64
sg_diff_get_base_total (SgDiff *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->base_total;
}

gint64
sg_diff_get_test_total (SgDiff *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->test_total;
}

guint
sg_diff_get_n_rows (SgDiff *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->rows->len;
}

const SgDiffRow *
sg_diff_get_row (SgDiff *self,
                 guint   index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);
  return &g_array_index (self->rows, SgDiffRow, index);
}

typedef struct
{
  SgDiff     *diff;
  SgDiffSort  sort;
  gboolean    descending;
} SortContext;

static double
sort_value (const SgDiffRow *row,
            SgDiffSort       sort)
{
  switch (sort)
    {
    case SG_DIFF_SORT_FLAT_DELTA:
      return (double) (row->test_flat - row->base_flat);
    case SG_DIFF_SORT_CUM_DELTA:
      return (double) (row->test_cum - row->base_cum);
    case SG_DIFF_SORT_FLAT_SHARE_DELTA:
      return row->test_flat_share - row->base_flat_share;
    case SG_DIFF_SORT_CUM_SHARE_DELTA:
      return row->test_cum_share - row->base_cum_share;
    case SG_DIFF_SORT_NAME:
    default:
      return 0.0;
    }
}

static int
compare_by_name (const SgDiffRow *x,
                 const SgDiffRow *y)
{
  int r = strcmp (x->function, y->function);

  return r != 0 ? r : strcmp (x->file, y->file);
}

static int
compare_indices (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  SortContext *ctx = user_data;
  const SgDiffRow *x = &g_array_index (ctx->diff->rows, SgDiffRow, *(const guint *) a);
  const SgDiffRow *y = &g_array_index (ctx->diff->rows, SgDiffRow, *(const guint *) b);

  if (ctx->sort != SG_DIFF_SORT_NAME)
    {
      double vx = sort_value (x, ctx->sort);
      double vy = sort_value (y, ctx->sort);
      if (vx != vy)
        return (vx < vy) == ctx->descending ? 1 : -1;
      return compare_by_name (x, y);
    }
  return ctx->descending ? compare_by_name (y, x) : compare_by_name (x, y);
}

guint *
sg_diff_sort (SgDiff     *self,
              SgDiffSort  sort,
              gboolean    descending)
{
  SortContext ctx = { self, sort, descending };
  guint *order;

  g_return_val_if_fail (self != NULL, NULL);

  order = g_new (guint, MAX (self->rows->len, 1));
  for (guint i = 0; i < self->rows->len; i++)
    order[i] = i;
  g_qsort_with_data (order, self->rows->len, sizeof (guint), compare_indices, &ctx);
  return order;
}

double
sg_diff_get_max_regression (SgDiff *self)
{
  double worst = 0.0;

  g_return_val_if_fail (self != NULL, 0.0);

  for (guint i = 0; i < self->rows->len; i++)
    {
      const SgDiffRow *row = &g_array_index (self->rows, SgDiffRow, i);
      worst = MAX (worst, (row->test_cum_share - row->base_cum_share) * 100.0);
    }
  return worst;
}

SgProfile *
sg_diff_build_tree (SgProfile   *base,
                    SgProfile   *test,
                    const char  *value_type,
                    GError     **error)
{
  g_autoptr(SgProfileBuilder) builder = NULL;
  g_autofree char *base_name = NULL;
  g_autofree char *test_name = NULL;
  SgProfile *sides[2] = { base, test };
  guint vi[2];
  const char *unit;

  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (test != NULL, NULL);

  if (!find_common_value (base, test, &value_type, &vi[0], &vi[1], error))
    return NULL;

  unit = sg_profile_get_value_unit (base, vi[0]);
  base_name = g_strconcat ("base_", value_type, NULL);
  test_name = g_strconcat ("test_", value_type, NULL);
  builder = sg_profile_builder_new ();
  sg_profile_builder_add_value_type (builder, base_name, unit);
  sg_profile_builder_add_value_type (builder, test_name, unit);
  sg_profile_builder_set_default_value (builder, 1);
  sg_profile_builder_copy_metadata (builder, test);

  for (guint side = 0; side < 2; side++)
    {
      SgProfile *profile = sides[side];
      g_autofree guint32 *node_map = NULL;
      SgRebuild rebuild;

      sg_rebuild_init (&rebuild, profile, builder);
      node_map = sg_rebuild_copy_tree (&rebuild);
      for (guint i = 0; i < profile->n_samples; i++)
        {
          gint64 values[2] = { 0, 0 };
          values[side] = profile->sample_values[(gsize) i * profile->n_values + vi[side]];
          sg_profile_builder_add_sample_at_node (builder, node_map[profile->samples[i].node], values,
                                                 profile->samples[i].timestamp_ns,
                                                 sg_rebuild_string (&rebuild, profile->samples[i].thread));
        }
      sg_rebuild_clear (&rebuild);
    }
  return sg_profile_builder_end (builder, error);
}
