/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `lines` annotates one source file with per-line totals, the way
 * `go tool pprof -list` does: flat and cum per line, next to the text when
 * the file is readable here (profiles often come from another machine, so
 * without it we print only the lines that have values).
 */
#include "config.h"

#include <string.h>

#include "cli-common.h"
#include "cli-select.h"
#include "sg-analysis.h"

int
cli_lines (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE… — per-line totals of a source file");
  g_autoptr(SgProfile) profile = NULL;
  g_autoptr(GArray) rows = NULL;
  g_auto(CliSelect) select = { 0 };
  g_autofree char *source = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) text_lines = NULL;
  gboolean json = FALSE, all = FALSE;
  guint value;
  gint64 total;
  const char *unit;
  GOptionEntry entries[] = {
    { "source", 's', 0, G_OPTION_ARG_FILENAME, &source,
      "The source file to annotate (matched by path suffix, so a relative path works)", "PATH" },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, "Print every line of the source, not only those with values", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON; values are raw numbers in the value's unit", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  cli_select_add_options (&select, context);
  g_option_context_set_description (context,
    "Example: spyglass-cli lines --source app/views.py profile.pb.gz");
  if (!cli_parse (context, "lines", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (source == NULL)
    return cli_usage_error ("lines", "--source PATH is required");
  if (argc < 2)
    return cli_usage_error ("lines", "no FILE given");

  if (!(profile = cli_select_load (&select, argv + 1, argc - 1, &value)))
    return CLI_EXIT_FAILURE;

  rows = sg_profile_lines (profile, source, value);
  total = sg_profile_get_total (profile, value);
  unit = sg_profile_get_value_unit (profile, value);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "source");
      json_builder_add_string_value (b, source);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, sg_profile_get_value_type (profile, value));
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, unit);
      json_builder_set_member_name (b, "total");
      json_builder_add_int_value (b, total);
      json_builder_set_member_name (b, "lines");
      json_builder_begin_array (b);
      for (guint i = 0; i < rows->len; i++)
        {
          const SgLineRow *row = &g_array_index (rows, SgLineRow, i);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "line");
          json_builder_add_int_value (b, row->line);
          json_builder_set_member_name (b, "flat");
          json_builder_add_int_value (b, row->flat);
          json_builder_set_member_name (b, "cum");
          json_builder_add_int_value (b, row->cum);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      cli_print_json (b);
      return CLI_EXIT_OK;
    }

  if (rows->len == 0)
    {
      cli_error ("no samples in a file matching “%s”", source);
      return CLI_EXIT_FAILURE;
    }

  if (g_file_get_contents (source, &text, NULL, NULL))
    text_lines = g_strsplit (text, "\n", -1);

  cli_print_header (profile, argv + 1, argc - 1, value);
  g_print ("Source: %s%s\n", source, text_lines ? "" : " (not readable here: values only)");
  {
    g_autoptr(CliTable) table = cli_table_new (4);
    guint n_text = text_lines ? g_strv_length (text_lines) : 0;
    guint r = 0;
    gint last = 0;

    cli_table_add (table, "flat", "cum", "line", "", NULL);
    for (guint i = 0; i < rows->len; i++)
      last = MAX (last, g_array_index (rows, SgLineRow, i).line);
    if (all)
      last = MAX (last, (gint) n_text);

    for (gint line = 1; line <= last; line++)
      {
        const SgLineRow *row = NULL;
        g_autofree char *flat = NULL;
        g_autofree char *cum_v = NULL;
        g_autofree char *number = g_strdup_printf ("%d", line);
        const char *code = line - 1 < (gint) n_text ? text_lines[line - 1] : "";

        while (r < rows->len && g_array_index (rows, SgLineRow, r).line < line)
          r++;
        if (r < rows->len && g_array_index (rows, SgLineRow, r).line == line)
          row = &g_array_index (rows, SgLineRow, r);
        if (row == NULL && !all)
          continue;
        flat = row && row->flat ? cli_format_value (row->flat, unit, total) : g_strdup (".");
        cum_v = row && row->cum ? cli_format_value (row->cum, unit, total) : g_strdup (".");
        cli_table_add (table, flat, cum_v, number, code, NULL);
      }
    cli_table_print (table);
  }
  return CLI_EXIT_OK;
}
