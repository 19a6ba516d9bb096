/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What every spyglass-cli command shares: loading (and merging) profiles,
 * choosing a value type, pprof-style number formatting, aligned tables and
 * JSON output.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gio/gunixinputstream.h>

#include "cli-common.h"
#include "sg-analysis.h"
#include "sg-profile-io.h"

gboolean
cli_parse (GOptionContext   *context,
           const char       *command,
           int              *argc,
           char           ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("spyglass-cli %s", command);

  /* So --help says "Usage: spyglass-cli top [OPTION…]". Set once per run. */
  g_set_prgname (name);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      cli_usage_error (command, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

int
cli_usage_error (const char *command,
                 const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("spyglass-cli %s: %s\n", command, message);
  g_printerr ("Try “spyglass-cli %s --help”.\n", command);
  return CLI_EXIT_USAGE;
}

void
cli_error (const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("spyglass-cli: %s\n", message);
}

SgProfile *
cli_load (char **files,
          int    n_files)
{
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func ((GDestroyNotify) sg_profile_unref);
  g_autoptr(GError) error = NULL;
  SgProfile *merged;

  for (int i = 0; i < n_files; i++)
    {
      SgProfile *profile;

      if (g_str_equal (files[i], "-"))
        {
          /* "-" is standard input: curl …/profiles/ID | spyglass-cli top - */
          g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
          g_autoptr(GOutputStream) buffer = g_memory_output_stream_new_resizable ();
          g_autoptr(GBytes) bytes = NULL;

          if (g_output_stream_splice (buffer, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error) < 0)
            {
              cli_error ("standard input: %s", error->message);
              return NULL;
            }
          bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (buffer));
          profile = sg_profile_load_bytes (bytes, "(standard input)", &error);
        }
      else
        profile = sg_profile_load_file (files[i], &error);

      if (profile == NULL)
        {
          cli_error ("%s", error->message);
          return NULL;
        }
      g_ptr_array_add (profiles, profile);
    }
  if (profiles->len == 1)
    return sg_profile_ref (g_ptr_array_index (profiles, 0));

  merged = sg_profile_merge ((SgProfile * const *) profiles->pdata, profiles->len, &error);
  if (merged == NULL)
    cli_error ("cannot merge these profiles: %s", error->message);
  return merged;
}

gboolean
cli_pick_value (SgProfile  *profile,
                const char *value,
                guint      *index)
{
  g_autoptr(GString) known = NULL;

  if (value == NULL)
    {
      *index = sg_profile_get_default_value (profile);
      return TRUE;
    }
  if (sg_profile_find_value_type (profile, value, index))
    return TRUE;

  known = g_string_new (NULL);
  for (guint i = 0; i < sg_profile_get_n_value_types (profile); i++)
    g_string_append_printf (known, "%s%s", i ? ", " : "", sg_profile_get_value_type (profile, i));
  cli_error ("the profile has no value type “%s” (it has: %s)", value, known->str);
  return FALSE;
}

/* "%.2f" without a useless ".00", as pprof prints. */
static char *
trim_number (double      v,
             const char *suffix)
{
  char buf[64];
  gsize len;

  g_ascii_formatd (buf, sizeof buf, "%.2f", v);
  len = strlen (buf);
  if (len > 3 && g_str_has_suffix (buf, ".00"))
    buf[len - 3] = '\0';
  return g_strconcat (buf, suffix, NULL);
}

/*
 * Times share one unit for a whole table (chosen from scale_hint, usually
 * the total) so columns compare at a glance, like pprof's "0.84s"; bytes
 * scale per value ("16MB", "4.21kB").  Counts print as they are.
 */
char *
cli_format_value (gint64      value,
                  const char *unit,
                  gint64      scale_hint)
{
  if (value == 0)
    return g_strdup ("0");

  if (g_strcmp0 (unit, "nanoseconds") == 0)
    {
      gint64 hint = ABS (scale_hint ? scale_hint : value);

      /* A value too small for the table's unit would print as 0: give it its own. */
      if (ABS (value) * 200 < hint && hint >= 1000)
        hint = ABS (value);

      if (hint >= 1000000000)
        return trim_number ((double) value / 1e9, "s");
      if (hint >= 1000000)
        return trim_number ((double) value / 1e6, "ms");
      if (hint >= 1000)
        return trim_number ((double) value / 1e3, "us");
      return g_strdup_printf ("%" G_GINT64_FORMAT "ns", value);
    }
  if (g_strcmp0 (unit, "bytes") == 0)
    {
      static const char *units[] = { "B", "kB", "MB", "GB", "TB", "PB" };
      double v = (double) value;
      guint u = 0;

      while (fabs (v) >= 1024 && u + 1 < G_N_ELEMENTS (units))
        {
          v /= 1024;
          u++;
        }
      return u == 0 ? g_strdup_printf ("%" G_GINT64_FORMAT "B", value) : trim_number (v, units[u]);
    }
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

/* pprof's rule: "100%" near 100, two decimals above 1%, two significant
 * digits below. */
char *
cli_format_percent (gint64 value,
                    gint64 total)
{
  double ratio = total != 0 ? (double) value / (double) total * 100 : 0;
  double a = fabs (ratio);
  char buf[64];

  if (a >= 99.95 && a <= 100.05)
    return g_strdup (ratio < 0 ? "-100%" : "100%");
  if (a >= 1.0)
    g_ascii_formatd (buf, sizeof buf, "%.2f", ratio);
  else
    g_ascii_formatd (buf, sizeof buf, "%.2g", ratio);
  return g_strconcat (buf, "%", NULL);
}

char *
cli_format_frame (SgProfile *profile,
                  guint32    function,
                  guint32    file,
                  gint32     line,
                  gboolean   with_line)
{
  const char *name = sg_profile_get_string (profile, function);

  if (!with_line)
    return g_strdup (name[0] ? name : "(unknown)");
  if (file == 0)
    return g_strdup_printf ("%s", name[0] ? name : "(unknown)");
  return g_strdup_printf ("%s %s:%d", name[0] ? name : "(unknown)", sg_profile_get_string (profile, file), line);
}

struct _CliTable
{
  guint      n_columns;
  GPtrArray *cells;   /* char *, n_columns per row */
};

CliTable *
cli_table_new (guint n_columns)
{
  CliTable *table = g_new0 (CliTable, 1);

  table->n_columns = n_columns;
  table->cells = g_ptr_array_new_with_free_func (g_free);
  return table;
}

void
cli_table_add (CliTable   *table,
               const char *first,
               ...)
{
  va_list args;
  const char *cell = first;

  va_start (args, first);
  for (guint i = 0; i < table->n_columns; i++)
    {
      g_ptr_array_add (table->cells, g_strdup (cell ? cell : ""));
      if (cell != NULL)
        cell = va_arg (args, const char *);
    }
  va_end (args);
}

void
cli_table_print (CliTable *table)
{
  g_autofree gsize *width = g_new0 (gsize, table->n_columns);
  guint n_rows = table->cells->len / table->n_columns;

  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c + 1 < table->n_columns; c++)
      width[c] = MAX (width[c], (gsize) g_utf8_strlen (g_ptr_array_index (table->cells, r * table->n_columns + c), -1));

  for (guint r = 0; r < n_rows; r++)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < table->n_columns; c++)
        {
          const char *cell = g_ptr_array_index (table->cells, r * table->n_columns + c);

          if (c + 1 < table->n_columns)
            {
              for (gsize pad = (gsize) g_utf8_strlen (cell, -1); pad < width[c]; pad++)
                g_string_append_c (line, ' ');
              g_string_append (line, cell);
              g_string_append_c (line, ' ');
            }
          else
            {
              g_string_append_c (line, ' ');
              g_string_append (line, cell);
            }
        }
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      g_print ("%s\n", line->str);
    }
}

void
cli_table_free (CliTable *table)
{
  g_ptr_array_unref (table->cells);
  g_free (table);
}

void
cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}
