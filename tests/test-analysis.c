/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Every analysis on a profile small enough to check by hand.  Samples
 * (value types samples/count and cpu/nanoseconds, cpu = 10 × samples):
 *
 *   #  stack (root first)  samples  time  thread
 *   1  main;a;c            1        100   T1
 *   2  main;a              2        200   T2
 *   3  main;b;c            4        300   T1
 *   4  main;b;b            8        400   T2     (recursion)
 *   5  main                16       500   T1
 *
 * main is /srv/shop/app.py:1, a :10, b :20, c is /srv/shop/lib/util.py:5.
 */
#include "sg-analysis.h"
#include "sg-diff.h"
#include "sg-profile-builder.h"

#include <string.h>

typedef struct
{
  const char *stack;    /* root first, ';'-separated */
  gint64      samples;
  gint64      time;
  const char *thread;
} Row;

static const Row small_rows[] = {
  { "main;a;c", 1, 100, "T1" },
  { "main;a", 2, 200, "T2" },
  { "main;b;c", 4, 300, "T1" },
  { "main;b;b", 8, 400, "T2" },
  { "main", 16, 500, "T1" },
};

static guint
frame_for (SgProfileBuilder *builder,
           const char       *name)
{
  if (g_str_equal (name, "main"))
    return sg_profile_builder_intern_frame (builder, "main", "/srv/shop/app.py", 1, NULL);
  if (g_str_equal (name, "a"))
    return sg_profile_builder_intern_frame (builder, "a", "/srv/shop/app.py", 10, NULL);
  if (g_str_equal (name, "b"))
    return sg_profile_builder_intern_frame (builder, "b", "/srv/shop/app.py", 20, NULL);
  return sg_profile_builder_intern_frame (builder, name, "/srv/shop/lib/util.py", 5, NULL);
}

static SgProfile *
build (const Row *rows,
       guint      n_rows,
       const char *value_type)
{
  g_autoptr(SgProfileBuilder) builder = sg_profile_builder_new ();

  sg_profile_builder_add_value_type (builder, value_type, "count");
  sg_profile_builder_add_value_type (builder, "cpu", "nanoseconds");
  for (guint r = 0; r < n_rows; r++)
    {
      g_auto(GStrv) names = g_strsplit (rows[r].stack, ";", -1);
      guint n = g_strv_length (names);
      guint frames[16];
      gint64 values[2] = { rows[r].samples, rows[r].samples * 10 };

      for (guint i = 0; i < n; i++)
        frames[n - 1 - i] = frame_for (builder, names[i]);   /* leaf first */
      sg_profile_builder_add_sample (builder, frames, n, values, rows[r].time, rows[r].thread);
    }
  return sg_profile_builder_end (builder, NULL);
}

static SgProfile *
build_small (void)
{
  return build (small_rows, G_N_ELEMENTS (small_rows), "samples");
}

/* "fn=flat/cum fn=flat/cum …" by name, for compact expectations */
static char *
top_string (SgProfile *profile,
            guint      value_index)
{
  g_autoptr(GArray) rows = sg_profile_top (profile, SG_TOP_BY_FUNCTION, value_index);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      SgTopRow *row = &g_array_index (rows, SgTopRow, i);
      g_string_append_printf (out, "%s%s=%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                              i ? " " : "", sg_profile_get_string (profile, row->function), row->flat, row->cum);
    }
  return g_string_free (out, FALSE);
}

/* The tree as "name:total(children…)" in pre-order */
static void
append_tree (GString   *out,
             SgProfile *profile,
             guint32    node)
{
  const SgNode *nodes = sg_profile_get_nodes (profile);
  const gint64 *total = sg_profile_get_node_total (profile, 0);

  if (node != SG_NODE_ROOT)
    g_string_append_printf (out, "%s:%" G_GINT64_FORMAT, sg_profile_get_frame_function (profile, nodes[node].frame), total[node]);
  else
    g_string_append_printf (out, "%" G_GINT64_FORMAT, total[node]);
  if (nodes[node].first_child != SG_NODE_NONE)
    {
      g_string_append_c (out, '(');
      for (guint32 c = nodes[node].first_child; c != SG_NODE_NONE; c = nodes[c].next_sibling)
        {
          append_tree (out, profile, c);
          if (nodes[c].next_sibling != SG_NODE_NONE)
            g_string_append_c (out, ' ');
        }
      g_string_append_c (out, ')');
    }
}

static char *
tree_string (SgProfile *profile)
{
  GString *out = g_string_new (NULL);

  append_tree (out, profile, SG_NODE_ROOT);
  return g_string_free (out, FALSE);
}

static void
test_top (void)
{
  g_autoptr(SgProfile) p = build_small ();
  g_autofree char *top = top_string (p, 0);
  g_autofree char *cpu = top_string (p, 1);
  g_autofree char *tree = tree_string (p);
  g_autoptr(GArray) by_line = sg_profile_top (p, SG_TOP_BY_LINE, 0);

  /* recursion in b counts once in cum */
  g_assert_cmpstr (top, ==, "main=16/31 b=8/12 c=5/5 a=2/3");
  g_assert_cmpstr (cpu, ==, "main=160/310 b=80/120 c=50/50 a=20/30");
  g_assert_cmpstr (tree, ==, "31(main:31(a:3(c:1) b:12(b:8 c:4)))");
  g_assert_cmpuint (by_line->len, ==, 4);
  g_assert_cmpint (g_array_index (by_line, SgTopRow, 1).line, ==, 20);
}

static void
test_lines (void)
{
  g_autoptr(SgProfile) p = build_small ();
  g_autoptr(GArray) app = sg_profile_lines (p, "shop/app.py", 0);
  g_autoptr(GArray) util = sg_profile_lines (p, "util.py", 0);
  g_autoptr(GArray) absolute = sg_profile_lines (p, "/home/me/src/srv/shop/lib/util.py", 0);
  g_autoptr(GArray) partial = sg_profile_lines (p, "til.py", 0);
  SgLineRow *r;

  g_assert_cmpuint (app->len, ==, 3);
  r = &g_array_index (app, SgLineRow, 0);
  g_assert_cmpint (r->line, ==, 1);
  g_assert_cmpint (r->flat, ==, 16);
  g_assert_cmpint (r->cum, ==, 31);
  r = &g_array_index (app, SgLineRow, 1);
  g_assert_cmpint (r->line, ==, 10);
  g_assert_cmpint (r->flat, ==, 2);
  g_assert_cmpint (r->cum, ==, 3);
  r = &g_array_index (app, SgLineRow, 2);
  g_assert_cmpint (r->line, ==, 20);
  g_assert_cmpint (r->flat, ==, 8);
  g_assert_cmpint (r->cum, ==, 12);

  g_assert_cmpuint (util->len, ==, 1);
  g_assert_cmpint (g_array_index (util, SgLineRow, 0).cum, ==, 5);
  /* a longer local path with the profile's path as its suffix */
  g_assert_cmpuint (absolute->len, ==, 1);
  /* but not a suffix that cuts a name in half */
  g_assert_cmpuint (partial->len, ==, 0);
}

static void
test_restrict (void)
{
  g_autoptr(SgProfile) p = build_small ();
  const char *t1[] = { "T1", NULL };
  const char *none[] = { "T9", NULL };
  g_autoptr(SgProfile) range = sg_profile_restrict (p, 200, 400, NULL);
  g_autoptr(SgProfile) thread = sg_profile_restrict (p, G_MININT64, G_MAXINT64, t1);
  g_autoptr(SgProfile) both = sg_profile_restrict (p, 200, 400, t1);
  g_autoptr(SgProfile) empty = sg_profile_restrict (p, G_MININT64, G_MAXINT64, none);
  g_autofree char *range_tree = tree_string (range);
  g_autofree char *thread_tree = tree_string (thread);
  g_autofree char *both_tree = tree_string (both);
  guint n_threads;

  g_assert_cmpstr (range_tree, ==, "6(main:6(a:2 b:4(c:4)))");
  g_assert_cmpint (sg_profile_get_start_ns (range), ==, 200);
  g_assert_cmpint (sg_profile_get_duration_ns (range), ==, 200);
  g_assert_cmpstr (thread_tree, ==, "21(main:21(a:1(c:1) b:4(c:4)))");
  sg_profile_get_threads (thread, &n_threads);
  g_assert_cmpuint (n_threads, ==, 1);
  g_assert_cmpstr (both_tree, ==, "4(main:4(b:4(c:4)))");
  g_assert_cmpuint (sg_profile_get_n_samples (empty), ==, 0);
  g_assert_cmpuint (sg_profile_get_n_nodes (empty), ==, 1);
  /* derived profiles share strings with their source and outlive it */
  g_clear_pointer (&p, sg_profile_unref);
  g_assert_cmpstr (sg_profile_get_string (range, sg_profile_get_samples (range)[0].thread), ==, "T2");
  {
    g_autoptr(SgProfile) again = sg_profile_restrict (range, 300, 301, NULL);
    g_autofree char *tree = tree_string (again);
    g_assert_cmpstr (tree, ==, "4(main:4(b:4(c:4)))");
  }
}

static char *
filter_tree (SgProfile    *p,
             SgFilterKind  kind,
             const char   *pattern,
             gboolean      regex)
{
  SgFilterRule rule = { kind, pattern, regex };
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) out = sg_profile_filter (p, &rule, 1, &error);

  g_assert_no_error (error);
  return tree_string (out);
}

static void
test_filters (void)
{
  g_autoptr(SgProfile) p = build_small ();
  g_autofree char *focus = filter_tree (p, SG_FILTER_FOCUS, "^c$", TRUE);
  g_autofree char *ignore = filter_tree (p, SG_FILTER_IGNORE, "b", FALSE);
  g_autofree char *hide = filter_tree (p, SG_FILTER_HIDE, "^a$", TRUE);
  g_autofree char *show = filter_tree (p, SG_FILTER_SHOW, "^(main|c)$", TRUE);
  g_autofree char *show_from = filter_tree (p, SG_FILTER_SHOW_FROM, "^b$", TRUE);
  g_autofree char *by_file = filter_tree (p, SG_FILTER_FOCUS, "lib/util.py", FALSE);
  g_autofree char *nothing = filter_tree (p, SG_FILTER_FOCUS, "zzz", FALSE);
  SgFilterRule chain[] = {
    { SG_FILTER_FOCUS, "^c$", TRUE },
    { SG_FILTER_HIDE, "^a$", TRUE },
  };
  SgFilterRule bad = { SG_FILTER_FOCUS, "([", TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) chained = sg_profile_filter (p, chain, G_N_ELEMENTS (chain), &error);
  g_autofree char *chained_tree = NULL;
  SgProfile *failed;

  g_assert_cmpstr (focus, ==, "5(main:5(a:1(c:1) b:4(c:4)))");
  /* substring "b" is in b and in c's file, lib/util.py: both go */
  g_assert_cmpstr (ignore, ==, "18(main:18(a:2))");
  /* hidden frames vanish, their values stay with the caller */
  g_assert_cmpstr (hide, ==, "31(main:31(b:12(b:8 c:4) c:1))");
  g_assert_cmpstr (show, ==, "31(main:31(c:5))");
  g_assert_cmpstr (show_from, ==, "12(b:12(b:8 c:4))");
  g_assert_cmpstr (by_file, ==, focus);
  g_assert_cmpstr (nothing, ==, "0");

  g_assert_no_error (error);
  chained_tree = tree_string (chained);
  g_assert_cmpstr (chained_tree, ==, "5(main:5(b:4(c:4) c:1))");

  failed = sg_profile_filter (p, &bad, 1, &error);
  g_assert_null (failed);
  g_assert_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_PATTERN);
}

static void
test_invert (void)
{
  g_autoptr(SgProfile) p = build_small ();
  g_autoptr(SgProfile) inverted = sg_profile_invert (p);
  g_autofree char *tree = tree_string (inverted);
  g_autofree char *top = top_string (inverted, 0);

  /* the root's children are leaf functions with their self values */
  g_assert_cmpstr (tree, ==, "31(a:2(main:2) b:8(b:8(main:8)) c:5(a:1(main:1) b:4(main:4)) main:16)");
  /* cum is the same either way up; every sample now ends at main */
  g_assert_cmpuint (sg_profile_get_total (inverted, 1), ==, 310);
  g_assert_cmpstr (top, ==, "main=31/31 b=0/12 c=0/5 a=0/3");
}

static void
test_sandwich (void)
{
  g_autoptr(SgProfile) p = build_small ();
  g_autoptr(SgProfile) callers = NULL;
  g_autoptr(SgProfile) callees = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *up = NULL;
  g_autofree char *down = NULL;

  g_assert_true (sg_profile_sandwich (p, "b", NULL, &callers, &callees, &error));
  g_assert_no_error (error);
  up = tree_string (callers);
  down = tree_string (callees);
  /* root-most b only: recursion does not make b its own caller */
  g_assert_cmpstr (up, ==, "12(b:12(main:12))");
  g_assert_cmpstr (down, ==, "12(b:12(b:8 c:4))");
  g_clear_pointer (&callers, sg_profile_unref);
  g_clear_pointer (&callees, sg_profile_unref);
  g_clear_pointer (&up, g_free);
  g_clear_pointer (&down, g_free);

  g_assert_true (sg_profile_sandwich (p, "c", "/srv/shop/lib/util.py", &callers, &callees, &error));
  up = tree_string (callers);
  down = tree_string (callees);
  g_assert_cmpstr (up, ==, "5(c:5(a:1(main:1) b:4(main:4)))");
  g_assert_cmpstr (down, ==, "5(c:5)");
  g_clear_pointer (&callers, sg_profile_unref);
  g_clear_pointer (&callees, sg_profile_unref);

  g_assert_false (sg_profile_sandwich (p, "c", "/elsewhere.py", &callers, &callees, &error));
  g_assert_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_NOT_FOUND);
  g_assert_null (callers);
}

static void
test_merge (void)
{
  g_autoptr(SgProfile) p = build_small ();
  static const Row other_rows[] = { { "main;d", 3, 50, "T3" } };
  g_autoptr(SgProfile) other = build (other_rows, 1, "samples");
  g_autoptr(SgProfile) alien = build (other_rows, 1, "alloc_objects");
  SgProfile *inputs[] = { p, other, p };
  g_autoptr(SgProfile) merged = NULL;
  g_autoptr(SgProfile) failed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tree = NULL;
  guint n_threads;

  merged = sg_profile_merge (inputs, 3, &error);
  g_assert_no_error (error);
  tree = tree_string (merged);
  g_assert_cmpstr (tree, ==, "65(main:65(a:6(c:2) b:24(b:16 c:8) d:3))");
  g_assert_cmpuint (sg_profile_get_n_samples (merged), ==, 11);
  /* samples stay sorted by time across inputs */
  g_assert_cmpint (sg_profile_get_samples (merged)[0].timestamp_ns, ==, 50);
  sg_profile_get_threads (merged, &n_threads);
  g_assert_cmpuint (n_threads, ==, 3);

  inputs[1] = alien;
  failed = sg_profile_merge (inputs, 2, &error);
  g_assert_null (failed);
  g_assert_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_MISMATCH);
}

static const SgDiffRow *
find_row (SgDiff     *diff,
          const char *function)
{
  for (guint i = 0; i < sg_diff_get_n_rows (diff); i++)
    if (g_str_equal (sg_diff_get_row (diff, i)->function, function))
      return sg_diff_get_row (diff, i);
  return NULL;
}

static void
test_diff (void)
{
  g_autoptr(SgProfile) base = build_small ();
  static const Row test_rows[] = {
    { "main;b;c", 10, 100, "T1" },
    { "main", 10, 200, "T1" },
  };
  g_autoptr(SgProfile) test = build (test_rows, 2, "samples");
  g_autoptr(GError) error = NULL;
  g_autoptr(SgDiff) diff = sg_diff_new (base, test, "samples", &error);
  g_autofree guint *order = NULL;
  g_autofree guint *by_name = NULL;
  const SgDiffRow *c, *a;
  SgDiff *failed;

  g_assert_no_error (error);
  g_assert_cmpint (sg_diff_get_base_total (diff), ==, 31);
  g_assert_cmpint (sg_diff_get_test_total (diff), ==, 20);
  g_assert_cmpuint (sg_diff_get_n_rows (diff), ==, 4);

  c = find_row (diff, "c");
  g_assert_cmpint (c->base_flat, ==, 5);
  g_assert_cmpint (c->test_flat, ==, 10);
  g_assert_cmpfloat_with_epsilon (c->base_cum_share, 5.0 / 31, 1e-9);
  g_assert_cmpfloat_with_epsilon (c->test_cum_share, 0.5, 1e-9);
  a = find_row (diff, "a");
  g_assert_cmpint (a->test_cum, ==, 0);
  g_assert_cmpint (a->base_cum, ==, 3);

  /* by share of total: c grew most, a shrank most; by absolute cum: b and main fell */
  order = sg_diff_sort (diff, SG_DIFF_SORT_CUM_SHARE_DELTA, TRUE);
  g_assert_cmpstr (sg_diff_get_row (diff, order[0])->function, ==, "c");
  g_assert_cmpstr (sg_diff_get_row (diff, order[1])->function, ==, "b");
  g_assert_cmpstr (sg_diff_get_row (diff, order[2])->function, ==, "main");
  g_assert_cmpstr (sg_diff_get_row (diff, order[3])->function, ==, "a");
  g_clear_pointer (&order, g_free);
  order = sg_diff_sort (diff, SG_DIFF_SORT_CUM_DELTA, FALSE);
  g_assert_cmpstr (sg_diff_get_row (diff, order[0])->function, ==, "main");
  by_name = sg_diff_sort (diff, SG_DIFF_SORT_NAME, FALSE);
  g_assert_cmpstr (sg_diff_get_row (diff, by_name[0])->function, ==, "a");
  g_assert_cmpfloat_with_epsilon (sg_diff_get_max_regression (diff), (0.5 - 5.0 / 31) * 100, 1e-9);

  /* the union tree for a differential flame graph */
  {
    g_autoptr(SgProfile) tree = sg_diff_build_tree (base, test, "samples", &error);
    const SgNode *nodes;
    const gint64 *base_total, *test_total;
    GString *out = g_string_new (NULL);
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (sg_profile_get_value_type (tree, 0), ==, "base_samples");
    g_assert_cmpstr (sg_profile_get_value_type (tree, 1), ==, "test_samples");
    nodes = sg_profile_get_nodes (tree);
    base_total = sg_profile_get_node_total (tree, 0);
    test_total = sg_profile_get_node_total (tree, 1);
    for (guint i = 0; i < sg_profile_get_n_nodes (tree); i++)
      g_string_append_printf (out, "%s%s:%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, i ? " " : "",
                              i ? sg_profile_get_frame_function (tree, nodes[i].frame) : "root",
                              base_total[i], test_total[i]);
    text = g_string_free (out, FALSE);
    g_assert_cmpstr (text, ==, "root:31/20 main:31/20 a:3/0 c:1/0 b:12/10 b:8/0 c:4/10");
  }

  failed = sg_diff_new (base, test, "alloc_space", &error);
  g_assert_null (failed);
  g_assert_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_NOT_FOUND);
}

/* Analyses on a 100,000-frame recursion: no recursion in our code. */
static void
test_deep (void)
{
  g_autoptr(SgProfileBuilder) builder = sg_profile_builder_new ();
  g_autoptr(SgProfile) p = NULL;
  const guint depth = 100000;
  g_autofree guint *frames = g_new (guint, depth);
  gint64 v[2] = { 1, 10 };

  sg_profile_builder_add_value_type (builder, "samples", "count");
  sg_profile_builder_add_value_type (builder, "cpu", "nanoseconds");
  for (guint i = 0; i < depth; i++)
    frames[i] = frame_for (builder, i % 2 ? "a" : "b");
  sg_profile_builder_add_sample (builder, frames, depth, v, 1, "T1");
  p = sg_profile_builder_end (builder, NULL);

  {
    g_autoptr(SgProfile) inverted = sg_profile_invert (p);
    g_autoptr(SgProfile) callers = NULL;
    g_autoptr(SgProfile) callees = NULL;
    g_autofree char *top = top_string (p, 0);
    SgFilterRule hide = { SG_FILTER_HIDE, "^a$", TRUE };
    g_autoptr(SgProfile) hidden = sg_profile_filter (p, &hide, 1, NULL);

    g_assert_cmpstr (top, ==, "b=1/1 a=0/1");
    g_assert_cmpuint (sg_profile_get_max_depth (inverted), ==, depth);
    g_assert_true (sg_profile_sandwich (p, "b", NULL, &callers, &callees, NULL));
    g_assert_cmpuint (sg_profile_get_max_depth (callees), ==, depth - 1);
    g_assert_cmpuint (sg_profile_get_max_depth (hidden), ==, depth / 2);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/analysis/top", test_top);
  g_test_add_func ("/core/analysis/lines", test_lines);
  g_test_add_func ("/core/analysis/restrict", test_restrict);
  g_test_add_func ("/core/analysis/filters", test_filters);
  g_test_add_func ("/core/analysis/invert", test_invert);
  g_test_add_func ("/core/analysis/sandwich", test_sandwich);
  g_test_add_func ("/core/analysis/merge", test_merge);
  g_test_add_func ("/core/analysis/diff", test_diff);
  g_test_add_func ("/core/analysis/deep", test_deep);
  return g_test_run ();
}
