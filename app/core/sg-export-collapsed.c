/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Collapsed stacks out: one line per call-tree node with self value, root
 * first, frames written "function (file:line)" when the file is known — the
 * py-spy spelling our importer splits back into function, file and line.
 * The call tree is in pre-order, so the text of a node's stack is its
 * parent's text plus one frame: one string, truncated to the parent's
 * length at each step, builds every line without re-walking the stack.
 * Collapsed stacks have no threads or times: those are merged away.
 */
#include "sg-export-private.h"

#include <string.h>

static void
append_label (GString    *out,
              SgProfile  *profile,
              guint32     frame)
{
  const SgFrame *f = &sg_profile_get_frames (profile)[frame];
  const char *function = sg_profile_get_string (profile, f->function);
  gsize start = out->len;

  g_string_append (out, function[0] ? function : "(unknown)");
  if (f->file != 0)
    g_string_append_printf (out, " (%s:%d)", sg_profile_get_string (profile, f->file), MAX (f->line, 0));
  /* ';' separates frames and a newline ends the line: neither may appear,
   * nor other control characters, which would make the text look binary. */
  for (gsize i = start; i < out->len; i++)
    if (out->str[i] == ';')
      out->str[i] = ',';
    else if ((guchar) out->str[i] < 0x20 || out->str[i] == 0x7f)
      out->str[i] = ' ';

  /* A name ending in " 12" would read, as a leaf, as flamegraph.pl's
   * differential "stack count count": make that space a no-break space. */
  {
    gsize d = out->len;

    while (d > start && g_ascii_isdigit (out->str[d - 1]))
      d--;
    if (d < out->len && d > start && out->str[d - 1] == ' ')
      {
        out->str[d - 1] = '\xc2';
        g_string_insert_c (out, d, '\xa0');
      }
  }
}

gboolean
sg_export_collapsed (SgProfile *profile,
                     guint      value_index,
                     SgWriter  *writer)
{
  const SgNode *nodes = sg_profile_get_nodes (profile);
  const gint64 *self = sg_profile_get_node_self (profile, value_index);
  guint n_nodes = sg_profile_get_n_nodes (profile);
  g_autofree gsize *prefix_len = g_new0 (gsize, sg_profile_get_max_depth (profile) + 2);
  g_autoptr(GString) stack = g_string_new (NULL);

  for (guint n = 1; n < n_nodes; n++)
    {
      const SgNode *node = &nodes[n];

      /* depth ≥ 1 here; prefix_len[depth - 1] is where the parent's text ends. */
      g_string_truncate (stack, prefix_len[node->depth - 1]);
      if (node->depth > 1)
        g_string_append_c (stack, ';');
      append_label (stack, profile, node->frame);
      prefix_len[node->depth] = stack->len;

      if (self[n] > 0)
        {
          g_string_append_len (writer->buf, stack->str, stack->len);
          g_string_append_printf (writer->buf, " %" G_GINT64_FORMAT "\n", self[n]);
          if (!sg_writer_maybe_flush (writer))
            return FALSE;
        }
    }
  return TRUE;
}
