/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The top table in one pass over the pre-ordered tree.  flat is the sum of
 * self over a key's nodes.  cum must count each sample once even when the
 * key occurs several times on its stack (recursion), so while walking we
 * keep, per key, how many nodes on the current root path carry it, and
 * only a node whose key is not already on the path adds its total.
 */
#include "sg-analysis.h"
#include "sg-analysis-private.h"
#include "sg-profile-private.h"

#include <string.h>

static guint
row_hash (gconstpointer key)
{
  const SgTopRow *row = key;

  return (row->function * 31u + row->file) * 31u + (guint) row->line;
}

static gboolean
row_equal (gconstpointer a,
           gconstpointer b)
{
  const SgTopRow *x = a;
  const SgTopRow *y = b;

  return x->function == y->function && x->file == y->file && x->line == y->line;
}

typedef struct
{
  SgProfile *profile;
} SortData;

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const SgTopRow *x = a;
  const SgTopRow *y = b;
  SgProfile *profile = user_data;
  int r;

  if (x->flat != y->flat)
    return x->flat > y->flat ? -1 : 1;
  if (x->cum != y->cum)
    return x->cum > y->cum ? -1 : 1;
  if ((r = strcmp (profile->strings[x->function], profile->strings[y->function])) != 0)
    return r;
  if ((r = strcmp (profile->strings[x->file], profile->strings[y->file])) != 0)
    return r;
  return x->line < y->line ? -1 : x->line > y->line;
}

void
sg_analysis_accumulate (SgProfile     *profile,
                        const guint32 *key_of_frame,
                        guint          n_keys,
                        guint          value_index,
                        gint64        *flat,
                        gint64        *cum)
{
  const SgNode *nodes = profile->nodes;
  const gint64 *self = profile->self + (gsize) value_index * profile->n_nodes;
  const gint64 *total = profile->total + (gsize) value_index * profile->n_nodes;
  g_autofree guint32 *active = g_new0 (guint32, MAX (n_keys, 1));
  g_autofree guint32 *stack = g_new (guint32, profile->max_depth + 1);
  guint sp = 0;

  for (guint32 i = 1; i < profile->n_nodes; i++)
    {
      guint32 k;

      while (sp > 0 && nodes[stack[sp - 1]].subtree_end <= i)
        {
          guint32 popped = key_of_frame[nodes[stack[--sp]].frame];
          if (popped != G_MAXUINT32)
            active[popped]--;
        }
      stack[sp++] = i;

      k = key_of_frame[nodes[i].frame];
      if (k == G_MAXUINT32)
        continue;
      if (active[k] == 0)
        cum[k] += total[i];
      active[k]++;
      flat[k] += self[i];
    }
}

GArray *
sg_profile_top (SgProfile *profile,
                SgTopKey   key,
                guint      value_index)
{
  g_autoptr(GHashTable) index = NULL;
  g_autofree SgTopRow *rows = NULL;
  g_autofree guint32 *key_of_frame = NULL;
  g_autofree gint64 *flat = NULL;
  g_autofree gint64 *cum = NULL;
  guint n_keys = 0;
  GArray *result;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (value_index < profile->n_values, NULL);

  index = g_hash_table_new (row_hash, row_equal);
  rows = g_new0 (SgTopRow, MAX (profile->n_frames, 1));
  key_of_frame = g_new (guint32, MAX (profile->n_frames, 1));
  for (guint f = 0; f < profile->n_frames; f++)
    {
      SgTopRow probe = { profile->frames[f].function, profile->frames[f].file, 0, 0, 0 };
      gpointer found;

      if (key == SG_TOP_BY_LINE)
        probe.line = profile->frames[f].line;
      found = g_hash_table_lookup (index, &probe);
      if (found == NULL)
        {
          rows[n_keys] = probe;
          g_hash_table_insert (index, &rows[n_keys], GUINT_TO_POINTER (n_keys + 1));
          key_of_frame[f] = n_keys++;
        }
      else
        key_of_frame[f] = GPOINTER_TO_UINT (found) - 1;
    }

  flat = g_new0 (gint64, MAX (n_keys, 1));
  cum = g_new0 (gint64, MAX (n_keys, 1));
  sg_analysis_accumulate (profile, key_of_frame, n_keys, value_index, flat, cum);

  result = g_array_sized_new (FALSE, FALSE, sizeof (SgTopRow), n_keys);
  for (guint k = 0; k < n_keys; k++)
    {
      if (flat[k] == 0 && cum[k] == 0)
        continue;
      rows[k].flat = flat[k];
      rows[k].cum = cum[k];
      g_array_append_val (result, rows[k]);
    }
  g_array_sort_with_data (result, compare_rows, profile);
  return result;
}
