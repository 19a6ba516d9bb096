/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * speedscope JSON out: the frame table becomes "shared.frames" and every
 * thread one "sampled" profile (samples without a thread go to one named
 * after the profile), in time order, weighted by the chosen value type.
 * Stacks are written root first, as speedscope expects.
 */
#include "config.h"

#include "sg-export-private.h"

#include <string.h>

static const char *
speedscope_unit (const char *unit)
{
  if (g_strcmp0 (unit, "nanoseconds") == 0)
    return "nanoseconds";
  if (g_strcmp0 (unit, "microseconds") == 0)
    return "microseconds";
  if (g_strcmp0 (unit, "milliseconds") == 0)
    return "milliseconds";
  if (g_strcmp0 (unit, "seconds") == 0)
    return "seconds";
  if (g_strcmp0 (unit, "bytes") == 0)
    return "bytes";
  return "none";
}

/* printf per number would dominate the export of a large profile. */
static void
append_uint (GString *out,
             guint32  v)
{
  char digits[10];
  guint n = 0;

  do
    {
      digits[n++] = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v != 0);
  while (n > 0)
    g_string_append_c (out, digits[--n]);
}

/* order[0..n) are the sample indices of one thread, in time order. */
static gboolean
write_profile (SgProfile     *profile,
               guint          value_index,
               const guint32 *order,
               guint          n,
               const char    *name,
               guint32       *stack,
               SgWriter      *writer)
{
  const SgSample *samples = sg_profile_get_samples (profile);
  const SgNode *nodes = sg_profile_get_nodes (profile);
  gboolean first = TRUE;
  gint64 sum = 0;
  gint64 start = -1;

  for (guint i = 0; i < n && start < 0; i++)
    start = samples[order[i]].timestamp_ns;
  if (!g_str_equal (speedscope_unit (sg_profile_get_value_unit (profile, value_index)), "nanoseconds"))
    start = 0;
  start = MAX (start, 0);

  g_string_append (writer->buf, "{\"type\":\"sampled\",\"name\":");
  sg_writer_json_string (writer, name);
  g_string_append_printf (writer->buf, ",\"unit\":\"%s\",\"startValue\":%" G_GINT64_FORMAT ",\"samples\":[",
                          speedscope_unit (sg_profile_get_value_unit (profile, value_index)), start);
  for (guint i = 0; i < n; i++)
    {
      guint s = order[i];
      guint depth = 0;

      for (guint32 at = samples[s].node; at != SG_NODE_ROOT && at != SG_NODE_NONE; at = nodes[at].parent)
        stack[depth++] = nodes[at].frame;
      g_string_append (writer->buf, first ? "[" : ",[");
      first = FALSE;
      for (guint k = depth; k > 0; k--)
        {
          if (k != depth)
            g_string_append_c (writer->buf, ',');
          append_uint (writer->buf, stack[k - 1]);
        }
      g_string_append_c (writer->buf, ']');
      if (!sg_writer_maybe_flush (writer))
        return FALSE;
    }
  g_string_append (writer->buf, "],\"weights\":[");
  first = TRUE;
  for (guint i = 0; i < n; i++)
    {
      gint64 w = sg_profile_get_sample_values (profile, order[i])[value_index];

      sum += w;
      g_string_append_printf (writer->buf, first ? "%" G_GINT64_FORMAT : ",%" G_GINT64_FORMAT, w);
      first = FALSE;
      if (!sg_writer_maybe_flush (writer))
        return FALSE;
    }
  g_string_append_printf (writer->buf, "],\"endValue\":%" G_GINT64_FORMAT "}", start + sum);
  return TRUE;
}

gboolean
sg_export_speedscope (SgProfile *profile,
                      guint      value_index,
                      SgWriter  *writer)
{
  const SgFrame *frames = sg_profile_get_frames (profile);
  const SgSample *samples = sg_profile_get_samples (profile);
  guint n_frames = sg_profile_get_n_frames (profile);
  guint n_samples = sg_profile_get_n_samples (profile);
  g_autofree guint32 *stack = g_new (guint32, sg_profile_get_max_depth (profile) + 1);
  g_autofree guint32 *order = g_new (guint32, MAX (n_samples, 1));
  g_autoptr(GHashTable) slot = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) starts = g_array_new (FALSE, TRUE, sizeof (guint32));
  g_autoptr(GArray) names = g_array_new (FALSE, FALSE, sizeof (guint32));
  const char *comment = sg_profile_get_comment (profile);

  g_string_append (writer->buf,
                   "{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\","
                   "\"exporter\":\"spyglass " PACKAGE_VERSION "\",\"name\":");
  sg_writer_json_string (writer, comment && comment[0] ? comment : "Spyglass profile");
  g_string_append (writer->buf, ",\"activeProfileIndex\":0,\"shared\":{\"frames\":[");
  for (guint f = 0; f < n_frames; f++)
    {
      g_string_append (writer->buf, f ? ",{\"name\":" : "{\"name\":");
      sg_writer_json_string (writer, sg_profile_get_string (profile, frames[f].function));
      if (frames[f].file != 0)
        {
          g_string_append (writer->buf, ",\"file\":");
          sg_writer_json_string (writer, sg_profile_get_string (profile, frames[f].file));
        }
      if (frames[f].line > 0)
        g_string_append_printf (writer->buf, ",\"line\":%d", frames[f].line);
      g_string_append_c (writer->buf, '}');
      if (!sg_writer_maybe_flush (writer))
        return FALSE;
    }
  g_string_append (writer->buf, "]},\"profiles\":[");

  /* Group samples by thread (stable, so each group stays in time order),
   * threads in order of first appearance. */
  for (guint s = 0; s < n_samples; s++)
    {
      gpointer value;
      guint32 k;

      if (!g_hash_table_lookup_extended (slot, GUINT_TO_POINTER (samples[s].thread), NULL, &value))
        {
          guint32 zero = 0;
          value = GUINT_TO_POINTER (names->len);
          g_hash_table_insert (slot, GUINT_TO_POINTER (samples[s].thread), value);
          g_array_append_val (names, samples[s].thread);
          g_array_append_val (starts, zero);
        }
      k = GPOINTER_TO_UINT (value);
      g_array_index (starts, guint32, k)++;
    }
  {
    guint32 acc = 0;
    g_autofree guint32 *fill = g_new (guint32, MAX (names->len, 1));

    for (guint k = 0; k < names->len; k++)
      {
        guint32 count = g_array_index (starts, guint32, k);
        g_array_index (starts, guint32, k) = acc;
        fill[k] = acc;
        acc += count;
      }
    for (guint s = 0; s < n_samples; s++)
      order[fill[GPOINTER_TO_UINT (g_hash_table_lookup (slot, GUINT_TO_POINTER (samples[s].thread)))]++] = s;
  }

  for (guint k = 0; k < names->len; k++)
    {
      guint32 thread = g_array_index (names, guint32, k);
      guint32 begin = g_array_index (starts, guint32, k);
      guint32 end = k + 1 < names->len ? g_array_index (starts, guint32, k + 1) : n_samples;
      const char *type = sg_profile_get_profile_type (profile);
      const char *name = thread != 0 ? sg_profile_get_string (profile, thread)
                                     : type && type[0] ? type : "profile";

      if (k > 0)
        g_string_append_c (writer->buf, ',');
      if (!write_profile (profile, value_index, order + begin, end - begin, name, stack, writer))
        return FALSE;
    }
  g_string_append (writer->buf, "]}\n");
  return TRUE;
}
