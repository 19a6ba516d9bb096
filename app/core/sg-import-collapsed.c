/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Collapsed ("folded") stacks, as written by flamegraph.pl's stackcollapse
 * scripts and py-spy --format raw: one line per distinct stack,
 *
 *   root;caller;leaf 123
 *
 * Files reach gigabytes, so the scanner allocates nothing per line: frames
 * are looked up by their bytes in a cache keyed on (pointer, length) into
 * the input, and only a frame never seen before is copied and interned.
 * Frames written the py-spy way, "function (file.py:42)", are split into
 * function, file and line so per-line views work on them.
 */
#include "sg-import-private.h"

#include <string.h>

#include "sg-profile-builder.h"

typedef struct
{
  const char *text;
  gsize       len;
} Slice;

static guint
slice_hash (gconstpointer key)
{
  const Slice *s = key;
  guint32 h = 2166136261u;  /* FNV-1a */

  for (gsize i = 0; i < s->len; i++)
    h = (h ^ (guchar) s->text[i]) * 16777619u;
  return h;
}

static gboolean
slice_equal (gconstpointer a,
             gconstpointer b)
{
  const Slice *x = a;
  const Slice *y = b;

  return x->len == y->len && memcmp (x->text, y->text, x->len) == 0;
}

/* "name (file:line)" → name, file, line; anything else is all name. */
static guint
intern_frame (SgProfileBuilder *builder,
              const char       *text,
              gsize             len)
{
  g_autofree char *copy = g_strndup (text, len);
  g_autofree char *fixed = NULL;
  const char *valid;
  char *open, *colon;

  /* An embedded NUL would silently cut the name short: make it visible. */
  for (gsize i = 0; i < len; i++)
    if (copy[i] == '\0')
      copy[i] = '?';
  valid = sg_import_valid_utf8 (copy, len, &fixed);

  if (len > 4 && valid[strlen (valid) - 1] == ')' &&
      (open = strrchr (valid, '(')) != NULL && open > valid && open[-1] == ' ' &&
      (colon = strrchr (open, ':')) != NULL && colon > open + 1)
    {
      const char *digits = colon + 1;
      gsize n_digits = strspn (digits, "0123456789");

      if (n_digits > 0 && n_digits < 10 && digits[n_digits] == ')' && digits[n_digits + 1] == '\0')
        {
          g_autofree char *function = g_strndup (valid, open - 1 - valid);
          g_autofree char *file = g_strndup (open + 1, colon - open - 1);

          return sg_profile_builder_intern_frame (builder, function, file,
                                                  g_ascii_strtoll (digits, NULL, 10), NULL);
        }
    }
  return sg_profile_builder_intern_frame (builder, valid, NULL, 0, NULL);
}

static gboolean
fail (GError     **error,
      const char  *file,
      guint64      line,
      int          code,
      const char  *what)
{
  g_set_error (error, SG_PROFILE_ERROR, code, "%s: line %" G_GUINT64_FORMAT ": %s", file, line, what);
  return FALSE;
}

SgProfile *
sg_import_collapsed (const char  *file,
                     const char  *data,
                     gsize        len,
                     GError     **error)
{
  g_autoptr(SgProfileBuilder) builder = sg_profile_builder_new ();
  g_autoptr(GHashTable) cache = NULL;
  g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (gsize));   /* of the previous line's frames */
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));  /* and their tree nodes */
  const char *prev_line = NULL;
  gsize prev_end = 0;
  guint64 line_no = 0;
  gsize pos = 0;
  gint64 total = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  file = file ? file : "(data)";
  cache = g_hash_table_new_full (slice_hash, slice_equal, g_free, NULL);
  sg_profile_builder_add_value_type (builder, "samples", "count");

  while (pos < len)
    {
      const char *line = data + pos;
      const char *nl = memchr (line, '\n', len - pos);
      gsize line_len = nl ? (gsize) (nl - line) : len - pos;
      gsize end, count_start, frame_start;
      gint64 count = 0;

      pos += line_len + (nl ? 1 : 0);
      line_no++;
      if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;

      /* Blank lines and comments (some collectors write a header). */
      end = line_len;
      while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t'))
        end--;
      if (end == 0 || line[0] == '#')
        continue;

      count_start = end;
      while (count_start > 0 && g_ascii_isdigit (line[count_start - 1]))
        count_start--;
      if (count_start == end)
        {
          fail (error, file, line_no, SG_PROFILE_ERROR_INVALID,
                nl || pos < len ? "expected “stack count”: the line does not end in a sample count"
                                : "the last line has no sample count (truncated file?)");
          return NULL;
        }
      if (count_start == 0 || (line[count_start - 1] != ' ' && line[count_start - 1] != '\t'))
        {
          fail (error, file, line_no, SG_PROFILE_ERROR_INVALID,
                count_start == 0 ? "a count without a stack"
                                 : "expected a space before the sample count");
          return NULL;
        }
      for (gsize i = count_start; i < end; i++)
        {
          gint64 digit = line[i] - '0';
          if (count > (G_MAXINT64 - digit) / 10)
            {
              fail (error, file, line_no, SG_PROFILE_ERROR_TOO_LARGE, "sample count beyond 2⁶³");
              return NULL;
            }
          count = count * 10 + digit;
        }
      if (total > G_MAXINT64 - count)
        {
          fail (error, file, line_no, SG_PROFILE_ERROR_TOO_LARGE, "sample counts add up beyond 2⁶³");
          return NULL;
        }
      total += count;

      end = count_start - 1;
      while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t'))
        end--;
      /* flamegraph.pl's differential input ("stack before after"). */
      {
        gsize d = end;
        while (d > 0 && g_ascii_isdigit (line[d - 1]))
          d--;
        if (d < end && d > 0 && line[d - 1] == ' ')
          {
            fail (error, file, line_no, SG_PROFILE_ERROR_UNSUPPORTED,
                  "two counts on one line: differential folded input is not supported, "
                  "split it into two files");
            return NULL;
          }
      }

      /* Folded files are usually sorted, so a line shares most of its
       * frames with the previous one: reuse those frames' tree nodes and
       * look up only the rest.  A frame is shared when the lines agree up
       * to and including the ';' after it. */
      {
        gsize common = 0, limit = MIN (end, prev_end);
        guint shared = 0;
        guint node;

        while (common < limit && line[common] == prev_line[common])
          common++;
        while (shared < ends->len && g_array_index (ends, gsize, shared) < common &&
               prev_line[g_array_index (ends, gsize, shared)] == ';')
          shared++;
        g_array_set_size (ends, shared);
        g_array_set_size (nodes, shared);
        node = shared ? g_array_index (nodes, guint, shared - 1) : SG_PROFILE_BUILDER_ROOT;
        frame_start = shared ? g_array_index (ends, gsize, shared - 1) + 1 : 0;

        for (gsize i = frame_start; i <= end; i++)
          {
            if (i < end && line[i] != ';')
              continue;
            if (i > frame_start)
              {
                Slice key = { line + frame_start, i - frame_start };
                gpointer value;
                guint frame;

                if (g_hash_table_lookup_extended (cache, &key, NULL, &value))
                  frame = GPOINTER_TO_UINT (value);
                else
                  {
                    /* The cache owns a copy: the input may be freed before the builder ends. */
                    Slice *owned = g_malloc (sizeof (Slice) + key.len);
                    memcpy ((char *) (owned + 1), key.text, key.len);
                    owned->text = (const char *) (owned + 1);
                    owned->len = key.len;
                    frame = intern_frame (builder, key.text, key.len);
                    g_hash_table_insert (cache, owned, GUINT_TO_POINTER (frame));
                  }
                node = sg_profile_builder_intern_child (builder, node, frame);
                g_array_append_val (ends, i);
                g_array_append_val (nodes, node);
              }
            frame_start = i + 1;
          }
        if (nodes->len == 0)
          {
            fail (error, file, line_no, SG_PROFILE_ERROR_INVALID, "a count without a stack");
            return NULL;
          }
        sg_profile_builder_add_sample_at_node (builder, node, &count, -1, 0);
        prev_line = line;
        prev_end = end;
      }
    }

  if (sg_profile_builder_get_n_samples (builder) == 0)
    {
      g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_EMPTY,
                   "%s: no stacks in the file", file);
      return NULL;
    }
  sg_profile_builder_set_profile_type (builder, "samples");
  return sg_profile_builder_end (builder, error);
}
