/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `diff BASE NEW` compares two profiles by function and, with
 * --fail-above PCT, fails (exit 1) when a function's share of the total
 * grew by more than PCT percentage points: shares, not absolute values, so
 * a run that was simply longer or busier does not fail a build.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "cli-common.h"
#include "cli-select.h"
#include "sg-diff.h"

static char *
format_points (double share_delta)
{
  char buf[32];

  g_ascii_formatd (buf, sizeof buf, "%+.2f", share_delta * 100);
  return g_strdup (buf);
}

static char *
format_signed (gint64      v,
               const char *unit,
               gint64      hint)
{
  g_autofree char *abs_text = cli_format_value (ABS (v), unit, hint);

  if (v == 0)
    return g_strdup ("0");
  return g_strconcat (v > 0 ? "+" : "-", abs_text, NULL);
}

static gboolean
parse_sort (const char *name,
            SgDiffSort *sort)
{
  static const struct { const char *name; SgDiffSort sort; } sorts[] = {
    { "cum-share", SG_DIFF_SORT_CUM_SHARE_DELTA },
    { "flat-share", SG_DIFF_SORT_FLAT_SHARE_DELTA },
    { "cum", SG_DIFF_SORT_CUM_DELTA },
    { "flat", SG_DIFF_SORT_FLAT_DELTA },
    { "name", SG_DIFF_SORT_NAME },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
    if (g_str_equal (name, sorts[i].name))
      {
        *sort = sorts[i].sort;
        return TRUE;
      }
  return FALSE;
}

int
cli_diff (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("BASE NEW — what changed between two profiles");
  g_autoptr(SgProfile) base_loaded = NULL;
  g_autoptr(SgProfile) test_loaded = NULL;
  g_autoptr(SgProfile) base = NULL;
  g_autoptr(SgProfile) test = NULL;
  g_autoptr(SgDiff) diff = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint *order = NULL;
  g_autofree char *sort_name = NULL;
  g_autofree char *fail_above_text = NULL;
  g_auto(CliSelect) select = { 0 };
  gboolean json = FALSE, ascending = FALSE;
  int nodecount = 20;
  double fail_above = -1, worst;
  SgDiffSort sort = SG_DIFF_SORT_CUM_SHARE_DELTA;
  guint n_shown;
  const char *unit;
  gint64 base_total, test_total;
  GOptionEntry entries[] = {
    { "fail-above", 0, 0, G_OPTION_ARG_STRING, &fail_above_text,
      "Exit with status 1 if a function's cumulative share grew by more than PCT percentage points", "PCT" },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort_name,
      "Order rows by cum-share (default), flat-share, cum, flat or name", "KEY" },
    { "ascending", 0, 0, G_OPTION_ARG_NONE, &ascending, "Smallest change first (improvements first)", NULL },
    { "nodecount", 'n', 0, G_OPTION_ARG_INT, &nodecount, "Show at most N rows (default 20, 0 for all)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON; values are raw numbers in the value's unit", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  cli_select_add_options (&select, context);
  g_option_context_set_description (context,
    "Functions are matched by name and file. “share” is a function's value as a\n"
    "part of its profile's total, so a longer or busier run does not look like a\n"
    "regression; Δpts is the change of that share in percentage points.\n"
    "\n"
    "Example (CI): spyglass-cli diff --fail-above 5 main.pb.gz branch.pb.gz");
  if (!cli_parse (context, "diff", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 3)
    return cli_usage_error ("diff", "expected BASE and NEW, got %d file%s", argc - 1, argc == 2 ? "" : "s");
  if (sort_name != NULL && !parse_sort (sort_name, &sort))
    return cli_usage_error ("diff", "unknown --sort “%s”", sort_name);
  if (fail_above_text != NULL)
    {
      char *end = NULL;
      fail_above = g_ascii_strtod (fail_above_text, &end);
      if (end == fail_above_text || *end != '\0' || !isfinite (fail_above) || fail_above < 0)
        return cli_usage_error ("diff", "--fail-above needs a number of percentage points ≥ 0, not “%s”",
                                fail_above_text);
    }
  if (nodecount < 0)
    return cli_usage_error ("diff", "--nodecount must be 0 or more");

  base_loaded = cli_load (argv + 1, 1);
  if (base_loaded == NULL)
    return CLI_EXIT_FAILURE;
  test_loaded = cli_load (argv + 2, 1);
  if (test_loaded == NULL)
    return CLI_EXIT_FAILURE;
  base = cli_select_apply (&select, base_loaded);
  test = base ? cli_select_apply (&select, test_loaded) : NULL;
  if (base == NULL || test == NULL)
    return CLI_EXIT_FAILURE;

  diff = sg_diff_new (base, test, select.value, &error);
  if (diff == NULL)
    {
      cli_error ("cannot compare %s and %s: %s", argv[1], argv[2], error->message);
      return CLI_EXIT_FAILURE;
    }
  order = sg_diff_sort (diff, sort, !ascending);
  n_shown = nodecount == 0 ? sg_diff_get_n_rows (diff) : MIN (sg_diff_get_n_rows (diff), (guint) nodecount);
  unit = sg_diff_get_value_unit (diff);
  base_total = sg_diff_get_base_total (diff);
  test_total = sg_diff_get_test_total (diff);
  worst = sg_diff_get_max_regression (diff);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "base");
      json_builder_add_string_value (b, argv[1]);
      json_builder_set_member_name (b, "new");
      json_builder_add_string_value (b, argv[2]);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, sg_diff_get_value_type (diff));
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, unit);
      json_builder_set_member_name (b, "base_total");
      json_builder_add_int_value (b, base_total);
      json_builder_set_member_name (b, "new_total");
      json_builder_add_int_value (b, test_total);
      json_builder_set_member_name (b, "max_regression_points");
      json_builder_add_double_value (b, worst);
      if (fail_above >= 0)
        {
          json_builder_set_member_name (b, "failed");
          json_builder_add_boolean_value (b, worst > fail_above);
        }
      json_builder_set_member_name (b, "rows");
      json_builder_begin_array (b);
      for (guint i = 0; i < n_shown; i++)
        {
          const SgDiffRow *row = sg_diff_get_row (diff, order[i]);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "function");
          json_builder_add_string_value (b, row->function);
          json_builder_set_member_name (b, "file");
          json_builder_add_string_value (b, row->file);
          json_builder_set_member_name (b, "base_flat");
          json_builder_add_int_value (b, row->base_flat);
          json_builder_set_member_name (b, "new_flat");
          json_builder_add_int_value (b, row->test_flat);
          json_builder_set_member_name (b, "base_cum");
          json_builder_add_int_value (b, row->base_cum);
          json_builder_set_member_name (b, "new_cum");
          json_builder_add_int_value (b, row->test_cum);
          json_builder_set_member_name (b, "flat_share_delta_points");
          json_builder_add_double_value (b, (row->test_flat_share - row->base_flat_share) * 100);
          json_builder_set_member_name (b, "cum_share_delta_points");
          json_builder_add_double_value (b, (row->test_cum_share - row->base_cum_share) * 100);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      cli_print_json (b);
    }
  else
    {
      g_autofree char *bt = cli_format_value (base_total, unit, base_total);
      g_autofree char *tt = cli_format_value (test_total, unit, base_total);
      g_autofree char *change = cli_format_percent (test_total - base_total, base_total);
      g_autoptr(CliTable) table = cli_table_new (8);
      g_autofree char *worst_text = format_points (worst / 100);

      g_print ("Base: %s\nNew:  %s\nType: %s\n", argv[1], argv[2], sg_diff_get_value_type (diff));
      g_print ("Total: %s → %s (%s%s)\n", bt, tt, test_total >= base_total ? "+" : "", change);
      g_print ("Largest growth of a cumulative share: %s points\n", worst_text);
      if (n_shown < sg_diff_get_n_rows (diff))
        g_print ("Showing %u of %u functions\n", n_shown, sg_diff_get_n_rows (diff));

      cli_table_add (table, "base cum", "new cum", "Δcum", "base%", "new%", "Δpts", "Δflat pts", "", NULL);
      for (guint i = 0; i < n_shown; i++)
        {
          const SgDiffRow *row = sg_diff_get_row (diff, order[i]);
          g_autofree char *bc = cli_format_value (row->base_cum, unit, base_total);
          g_autofree char *tc = cli_format_value (row->test_cum, unit, base_total);
          g_autofree char *dc = format_signed (row->test_cum - row->base_cum, unit, base_total);
          g_autofree char *bp = cli_format_percent (row->base_cum, base_total);
          g_autofree char *tp = cli_format_percent (row->test_cum, test_total);
          g_autofree char *dp = format_points (row->test_cum_share - row->base_cum_share);
          g_autofree char *df = format_points (row->test_flat_share - row->base_flat_share);

          cli_table_add (table, bc, tc, dc, bp, tp, dp, df, row->function, NULL);
        }
      cli_table_print (table);
    }

  if (fail_above >= 0 && worst > fail_above)
    {
      g_printerr ("spyglass-cli diff: regression: a function's share of %s grew by %.2f points, "
                  "more than the %.2f allowed\n", sg_diff_get_value_type (diff), worst, fail_above);
      return CLI_EXIT_FAILURE;
    }
  return CLI_EXIT_OK;
}
