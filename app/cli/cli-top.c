/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `top` prints what `go tool pprof -top` prints, in the same columns and
 * number style: flat, flat%, sum%, cum, cum%, name.
 */
#include "config.h"

#include "cli-common.h"
#include "cli-select.h"
#include "sg-analysis.h"

static int
compare_cum (gconstpointer a,
             gconstpointer b)
{
  const SgTopRow *x = a, *y = b;

  if (x->cum != y->cum)
    return x->cum > y->cum ? -1 : 1;
  if (x->flat != y->flat)
    return x->flat > y->flat ? -1 : 1;
  return 0;
}

/* The lines above pprof's table: File, Type, Time, Duration. */
void
cli_print_header (SgProfile  *profile,
                  char      **files,
                  int         n_files,
                  guint       value)
{
  const char *unit = sg_profile_get_value_unit (profile, value);
  gint64 total = sg_profile_get_total (profile, value);

  if (n_files == 1)
    g_print ("File: %s\n", files[0]);
  else
    g_print ("Files: %d merged\n", n_files);
  g_print ("Type: %s\n", sg_profile_get_value_type (profile, value));
  if (sg_profile_get_start_ns (profile) > 0)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (sg_profile_get_start_ns (profile) / 1000000000);
      g_autofree char *when = dt ? g_date_time_format (dt, "%b %e, %Y at %l:%M%P (UTC)") : NULL;
      if (when)
        g_print ("Time: %s\n", when);
    }
  if (sg_profile_get_duration_ns (profile) > 0)
    {
      g_autofree char *d = cli_format_value (sg_profile_get_duration_ns (profile), "nanoseconds", 0);
      g_autofree char *t = cli_format_value (total, unit, total);

      if (g_strcmp0 (unit, "nanoseconds") == 0)
        {
          g_autofree char *pct = cli_format_percent (total, sg_profile_get_duration_ns (profile));
          g_print ("Duration: %s, Total samples = %s (%s)\n", d, t, pct);
        }
      else
        g_print ("Duration: %s\n", d);
    }
}

int
cli_top (int    argc,
         char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE… — the heaviest functions");
  g_autoptr(SgProfile) profile = NULL;
  g_autoptr(GArray) rows = NULL;
  g_auto(CliSelect) select = { 0 };
  gboolean json = FALSE, lines = FALSE, cum = FALSE;
  int nodecount = 20;
  guint value;
  gint64 total, shown_flat = 0, sum = 0;
  guint n_shown;
  const char *unit;
  GOptionEntry entries[] = {
    { "nodecount", 'n', 0, G_OPTION_ARG_INT, &nodecount, "Show at most N rows (default 20, 0 for all)", "N" },
    { "lines", 0, 0, G_OPTION_ARG_NONE, &lines, "One row per source line instead of per function", NULL },
    { "cum", 0, 0, G_OPTION_ARG_NONE, &cum, "Sort by cumulative value", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON; values are raw numbers in the value's unit", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  cli_select_add_options (&select, context);
  g_option_context_set_description (context,
    "Columns as in go tool pprof -top: flat is the value where the function is\n"
    "the leaf, cum where it is anywhere on the stack (recursion counted once),\n"
    "sum% the running total of flat%. Several FILEs are merged first.\n"
    "\n"
    "Example: spyglass-cli top -n 10 --value cpu cpu.pb.gz");
  if (!cli_parse (context, "top", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc < 2)
    return cli_usage_error ("top", "no FILE given");
  if (nodecount < 0)
    return cli_usage_error ("top", "--nodecount must be 0 or more");

  if (!(profile = cli_select_load (&select, argv + 1, argc - 1, &value)))
    return CLI_EXIT_FAILURE;

  rows = sg_profile_top (profile, lines ? SG_TOP_BY_LINE : SG_TOP_BY_FUNCTION, value);
  if (cum)
    g_array_sort (rows, compare_cum);
  total = sg_profile_get_total (profile, value);
  unit = sg_profile_get_value_unit (profile, value);
  n_shown = nodecount == 0 ? rows->len : MIN (rows->len, (guint) nodecount);
  for (guint i = 0; i < n_shown; i++)
    shown_flat += g_array_index (rows, SgTopRow, i).flat;

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, sg_profile_get_value_type (profile, value));
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, unit);
      json_builder_set_member_name (b, "total");
      json_builder_add_int_value (b, total);
      json_builder_set_member_name (b, "rows_total");
      json_builder_add_int_value (b, rows->len);
      json_builder_set_member_name (b, "rows");
      json_builder_begin_array (b);
      for (guint i = 0; i < n_shown; i++)
        {
          const SgTopRow *row = &g_array_index (rows, SgTopRow, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "function");
          json_builder_add_string_value (b, sg_profile_get_string (profile, row->function));
          json_builder_set_member_name (b, "file");
          json_builder_add_string_value (b, sg_profile_get_string (profile, row->file));
          if (lines)
            {
              json_builder_set_member_name (b, "line");
              json_builder_add_int_value (b, row->line);
            }
          json_builder_set_member_name (b, "flat");
          json_builder_add_int_value (b, row->flat);
          json_builder_set_member_name (b, "cum");
          json_builder_add_int_value (b, row->cum);
          json_builder_set_member_name (b, "flat_percent");
          json_builder_add_double_value (b, total ? 100.0 * row->flat / total : 0);
          json_builder_set_member_name (b, "cum_percent");
          json_builder_add_double_value (b, total ? 100.0 * row->cum / total : 0);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      cli_print_json (b);
      return CLI_EXIT_OK;
    }

  cli_print_header (profile, argv + 1, argc - 1, value);
  {
    g_autofree char *shown = cli_format_value (shown_flat, unit, total);
    g_autofree char *pct = cli_format_percent (shown_flat, total);
    g_autofree char *all = cli_format_value (total, unit, total);
    g_autoptr(CliTable) table = cli_table_new (6);

    g_print ("Showing nodes accounting for %s, %s of %s total\n", shown, pct, all);
    if (n_shown < rows->len)
      g_print ("Showing top %u nodes out of %u\n", n_shown, rows->len);

    cli_table_add (table, "flat", "flat%", "sum%", "cum", "cum%", "", NULL);
    for (guint i = 0; i < n_shown; i++)
      {
        const SgTopRow *row = &g_array_index (rows, SgTopRow, i);
        g_autofree char *flat = cli_format_value (row->flat, unit, total);
        g_autofree char *flat_pct = cli_format_percent (row->flat, total);
        g_autofree char *sum_pct = NULL;
        g_autofree char *cum_v = cli_format_value (row->cum, unit, total);
        g_autofree char *cum_pct = cli_format_percent (row->cum, total);
        g_autofree char *name = cli_format_frame (profile, row->function, row->file, row->line, lines);

        sum += row->flat;
        sum_pct = cli_format_percent (sum, total);
        cli_table_add (table, flat, flat_pct, sum_pct, cum_v, cum_pct, name, NULL);
      }
    cli_table_print (table);
  }
  return CLI_EXIT_OK;
}
