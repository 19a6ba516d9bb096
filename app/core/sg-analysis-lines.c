/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sg-analysis.h"
#include "sg-analysis-private.h"
#include "sg-profile-private.h"

#include <string.h>

/* "a/b/c.py" and "/srv/app/a/b/c.py" name the same file: one is the other
 * with a directory prefix. */
static gboolean
paths_match (const char *a,
             const char *b)
{
  gsize la = strlen (a), lb = strlen (b);

  if (la == 0 || lb == 0)
    return FALSE;
  if (la < lb)
    {
      const char *t = a; a = b; b = t;
      gsize tl = la; la = lb; lb = tl;
    }
  /* a is the longer one */
  if (strcmp (a + la - lb, b) != 0)
    return FALSE;
  return la == lb || a[la - lb - 1] == '/' || b[0] == '/';
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  const SgLineRow *x = a;
  const SgLineRow *y = b;

  return x->line < y->line ? -1 : x->line > y->line;
}

GArray *
sg_profile_lines (SgProfile  *profile,
                  const char *path,
                  guint       value_index)
{
  g_autofree guint8 *file_matches = NULL;
  g_autofree guint32 *key_of_frame = NULL;
  g_autofree gint64 *flat = NULL;
  g_autofree gint64 *cum = NULL;
  g_autoptr(GHashTable) line_keys = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) key_lines = g_array_new (FALSE, FALSE, sizeof (gint32));
  GArray *result;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (value_index < profile->n_values, NULL);

  file_matches = g_new0 (guint8, profile->n_strings);
  for (guint s = 1; s < profile->n_strings; s++)
    file_matches[s] = paths_match (profile->strings[s], path);

  key_of_frame = g_new (guint32, MAX (profile->n_frames, 1));
  for (guint f = 0; f < profile->n_frames; f++)
    {
      const SgFrame *frame = &profile->frames[f];
      gpointer found;

      key_of_frame[f] = G_MAXUINT32;
      if (!file_matches[frame->file] || frame->line <= 0)
        continue;
      found = g_hash_table_lookup (line_keys, GINT_TO_POINTER (frame->line));
      if (found == NULL)
        {
          g_array_append_val (key_lines, frame->line);
          found = GUINT_TO_POINTER (key_lines->len);
          g_hash_table_insert (line_keys, GINT_TO_POINTER (frame->line), found);
        }
      key_of_frame[f] = GPOINTER_TO_UINT (found) - 1;
    }

  flat = g_new0 (gint64, MAX (key_lines->len, 1));
  cum = g_new0 (gint64, MAX (key_lines->len, 1));
  sg_analysis_accumulate (profile, key_of_frame, key_lines->len, value_index, flat, cum);

  result = g_array_sized_new (FALSE, FALSE, sizeof (SgLineRow), key_lines->len);
  for (guint k = 0; k < key_lines->len; k++)
    {
      SgLineRow row = { g_array_index (key_lines, gint32, k), flat[k], cum[k] };
      if (row.flat != 0 || row.cum != 0)
        g_array_append_val (result, row);
    }
  g_array_sort (result, compare_lines);
  return result;
}
