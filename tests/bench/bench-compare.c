/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How long the Compare page takes to show a diff of two large profiles.
 * Needs a display (run it under xvfb-run).
 *
 *   bench-compare [--nodes N] [--runs R]
 *
 * 1. Generates two related call trees of N nodes each (default 300,000;
 *    12,000 functions in 60 packages, skewed fan-out, depth up to 40):
 *    the same stacks, with the comparison's samples in one package in 17
 *    twice as heavy and one stack in 50 missing, the way a new version of
 *    a service differs from the old one.
 * 2. Times, as this thread's CPU time (the machine is shared), the work
 *    between "both profiles are parsed" and "the diff is on screen":
 *    SgDiff (the table's rows) and the union tree (sg_diff_build_tree),
 *    the flame layout of the union, the differential palette, and the
 *    table's rows — median of R runs each.
 * 3. Baseline in the same run: the same steps the Profile page runs to
 *    show one of the two profiles (layout, palette, top table), and the
 *    ratio.
 * 4. The page end to end, wall clock: both profiles written as pprof
 *    files, opened as the window opens them, picked on a real
 *    SgComparePage, until its state is "diff" with the flame graph laid
 *    out — once with parsing, then a swap (parsed profiles are kept, so
 *    this is the re-diff a user waits for).
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sg-analysis.h"
#include "sg-compare-job.h"
#include "sg-compare-page.h"
#include "sg-compare-row.h"
#include "sg-profile-builder.h"
#include "sg-profile-io.h"

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
wall_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v,
        guint   n)
{
  qsort (v, n, sizeof (double), compare_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double
rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return g_ascii_strtod (line + 6, NULL) / 1024.0;
}

/* ---- two related profiles ----------------------------------------------- */

typedef struct
{
  SgProfileBuilder *base;
  SgProfileBuilder *test;
  GRand            *rand;
  guint            *base_frames;
  guint            *test_frames;
  guint             n_frames;
  guint             created;
  guint             leaves;
} Gen;

static void
gen (Gen   *g,
     guint  base_node,
     guint  test_node,
     guint  frame,
     guint  depth,
     guint  budget)
{
  gint64 value = (1 + g_rand_int_range (g->rand, 0, 100)) * 1000000;
  double weights[8], sum = 0;
  guint k, first;

  if (budget == 0 || g_rand_int_range (g->rand, 0, 3) == 0)
    {
      gint64 test_value = frame % 60 == 17 ? 2 * value : value;

      sg_profile_builder_add_sample_at_node (g->base, base_node, &value, -1, 0);
      /* One stack in 50 is gone in the new version. */
      if (g->leaves++ % 50 != 0)
        sg_profile_builder_add_sample_at_node (g->test, test_node, &test_value, -1, 0);
    }
  if (budget == 0)
    return;

  k = (guint) g_rand_int_range (g->rand, 1, 9);
  k = MIN (budget, k);
  if (depth >= 40)
    k = budget;
  for (guint i = 0; i < MIN (k, 8); i++)
    {
      double u = g_rand_double (g->rand);

      weights[i] = u * u * u + 0.001;
      sum += weights[i];
    }

  budget -= k;
  first = g_rand_int_range (g->rand, 0, g->n_frames);
  for (guint i = 0; i < k; i++)
    {
      guint share = i < 8 ? (guint) (budget * (weights[i] / sum)) : 0;
      guint f = (first + i * 7919) % g->n_frames;
      guint b = sg_profile_builder_intern_child (g->base, base_node, g->base_frames[f]);
      guint t = sg_profile_builder_intern_child (g->test, test_node, g->test_frames[f]);

      g->created++;
      gen (g, b, t, f, depth + 1, share);
    }
}

static void
make_profiles (guint       nodes,
               SgProfile **base,
               SgProfile **test)
{
  g_autoptr(GError) error = NULL;
  Gen g = { sg_profile_builder_new (), sg_profile_builder_new (), g_rand_new_with_seed (7),
            NULL, NULL, 12000, 0, 0 };

  g.base_frames = g_new (guint, g.n_frames);
  g.test_frames = g_new (guint, g.n_frames);
  sg_profile_builder_add_value_type (g.base, "cpu", "nanoseconds");
  sg_profile_builder_add_value_type (g.test, "cpu", "nanoseconds");
  for (guint f = 0; f < g.n_frames; f++)
    {
      g_autofree char *function = g_strdup_printf ("example.com/pkg%02u/module.Func%04u", f % 60, f);
      g_autofree char *file = g_strdup_printf ("pkg%02u/module.go", f % 60);

      g.base_frames[f] = sg_profile_builder_intern_frame (g.base, function, file, 10 + f % 300, NULL);
      g.test_frames[f] = sg_profile_builder_intern_frame (g.test, function, file, 10 + f % 300, NULL);
    }
  while (g.created + 1 < nodes)
    gen (&g, SG_PROFILE_BUILDER_ROOT, SG_PROFILE_BUILDER_ROOT, 0, 0,
         MIN (nodes - g.created, 100000) - 1);

  *base = sg_profile_builder_end (g.base, &error);
  g_assert_no_error (error);
  *test = sg_profile_builder_end (g.test, &error);
  g_assert_no_error (error);
  sg_profile_builder_free (g.base);
  sg_profile_builder_free (g.test);
  g_rand_free (g.rand);
  g_free (g.base_frames);
  g_free (g.test_frames);
}

/* ---- steps ----------------------------------------------------------------- */

typedef struct
{
  double diff;      /* SgDiff + union tree (SgCompareJob on parsed profiles) */
  double layout;
  double palette;
  double table;
} Steps;

static void
compare_steps (SgProfileFile  *any_file,
               SgProfile      *base,
               SgProfile      *test,
               SgCompareTable *table,
               Steps          *out)
{
  g_autoptr(SgCompareJob) job = NULL;
  g_autoptr(SgFlameLayout) layout = NULL;
  g_autoptr(SgFlamePalette) palette = NULL;
  double start;

  start = cpu_ms ();
  job = sg_compare_job_run (any_file, base, any_file, test, "cpu", NULL, NULL);
  out->diff = cpu_ms () - start;
  g_assert_nonnull (job);

  start = cpu_ms ();
  layout = sg_flame_layout_new (job->tree, 1, SG_FLAME_MODE_MERGED, SG_FLAME_SORT_HEAVIEST, NULL, NULL);
  out->layout = cpu_ms () - start;

  start = cpu_ms ();
  palette = sg_flame_palette_new (job->tree, 1, SG_FLAME_COLORS_DIFF, FALSE);
  out->palette = cpu_ms () - start;

  start = cpu_ms ();
  sg_compare_table_set_diff (table, job->diff, TRUE);
  out->table = cpu_ms () - start;
}

/* What the Profile page does to show one profile (the top table's rows
 * are made the way SgTopTable makes them). */
static void
profile_steps (SgProfile *profile,
               Steps     *out)
{
  g_autoptr(SgFlameLayout) layout = NULL;
  g_autoptr(SgFlamePalette) palette = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_OBJECT);
  double start;

  out->diff = 0;
  start = cpu_ms ();
  layout = sg_flame_layout_new (profile, 0, SG_FLAME_MODE_MERGED, SG_FLAME_SORT_HEAVIEST, NULL, NULL);
  out->layout = cpu_ms () - start;

  start = cpu_ms ();
  palette = sg_flame_palette_new (profile, 0, SG_FLAME_COLORS_PACKAGE, FALSE);
  out->palette = cpu_ms () - start;

  start = cpu_ms ();
  rows = sg_profile_top (profile, SG_TOP_BY_FUNCTION, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      const SgTopRow *r = &g_array_index (rows, SgTopRow, i);
      SgDiffRow fake = { sg_profile_get_string (profile, r->function), sg_profile_get_string (profile, r->file),
                         r->flat, r->cum, r->flat, r->cum, 0, 0, 0, 0 };
      g_autoptr(SgCompareRow) row = sg_compare_row_new (&fake, 1, 1, FALSE);

      g_list_store_append (store, row);
    }
  out->table = cpu_ms () - start;
}

static double
total (const Steps *s)
{
  return s->diff + s->layout + s->palette + s->table;
}

/* ---- the page, end to end ---------------------------------------------- */

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SgProfileFile **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = sg_profile_file_load_finish (result, &error);
  g_assert_no_error (error);
}

static SgProfileFile *
load_file (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SgProfileFile *loaded = NULL;

  sg_profile_file_load_async (file, NULL, loaded_cb, &loaded);
  while (loaded == NULL)
    g_main_context_iteration (NULL, TRUE);
  return loaded;
}

static gboolean
page_shown (SgComparePage *page)
{
  return g_strcmp0 (sg_compare_page_get_state (page), "diff") == 0 &&
         !sg_compare_page_get_busy (page) &&
         sg_flame_graph_get_layout (sg_compare_page_get_flame_graph (page)) != NULL;
}

static double
wait_shown (SgComparePage *page,
            double         start)
{
  while (!page_shown (page))
    g_main_context_iteration (NULL, TRUE);
  return wall_ms () - start;
}

static void
bench_page (SgProfile *base,
            SgProfile *test)
{
  g_autofree char *dir = g_dir_make_tmp ("bench-compare-XXXXXX", NULL);
  g_autofree char *base_path = g_build_filename (dir, "base.pb.gz", NULL);
  g_autofree char *test_path = g_build_filename (dir, "test.pb.gz", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) profiles = g_list_store_new (SG_TYPE_PROFILE_FILE);
  g_autoptr(SgProfileFile) base_file = NULL;
  g_autoptr(SgProfileFile) test_file = NULL;
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  SgComparePage *page = g_object_new (SG_TYPE_COMPARE_PAGE, NULL);
  double start, first, swap;

  g_assert_true (sg_profile_save (base, base_path, SG_FORMAT_PPROF, G_MAXUINT, &error));
  g_assert_no_error (error);
  g_assert_true (sg_profile_save (test, test_path, SG_FORMAT_PPROF, G_MAXUINT, &error));
  g_assert_no_error (error);
  base_file = load_file (base_path);
  test_file = load_file (test_path);

  gtk_window_set_default_size (window, 1600, 1000);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);

  start = wall_ms ();
  g_list_store_append (profiles, base_file);
  g_list_store_append (profiles, test_file);
  sg_compare_page_set_profiles (page, G_LIST_MODEL (profiles));
  first = wait_shown (page, start);

  /* A swap re-diffs the parsed profiles; median of 5. */
  {
    double swaps[5];

    for (guint i = 0; i < G_N_ELEMENTS (swaps); i++)
      {
        double cpu = cpu_ms ();

        start = wall_ms ();
        sg_compare_page_swap (page);
        swaps[i] = wait_shown (page, start);
        g_print ("  swap %u: %.0f ms wall, %.0f ms of it the main thread's CPU, RSS %.0f MB\n",
                 i + 1, swaps[i], cpu_ms () - cpu, rss_mb ());
      }
    swap = median (swaps, G_N_ELEMENTS (swaps));
    g_print ("  swaps sorted, wall clock: %.0f %.0f %.0f %.0f %.0f ms\n", swaps[0], swaps[1], swaps[2], swaps[3], swaps[4]);
  }

  g_print ("\nthe page end to end (wall clock, 2 worker threads, machine shared):\n");
  g_print ("  open both (pprof files of %.1f and %.1f MB, parsed on a worker), diff, lay out, table: %.0f ms\n",
           (double) g_bytes_get_size (sg_profile_file_get_contents (base_file)) / 1e6,
           (double) g_bytes_get_size (sg_profile_file_get_contents (test_file)) / 1e6, first);
  g_print ("  swap base and comparison (profiles already parsed), median of 5: %.0f ms\n", swap);

  gtk_window_destroy (window);
  g_unlink (base_path);
  g_unlink (test_path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  int nodes = 300000;
  int runs = 5;
  GOptionEntry entries[] = {
    { "nodes", 0, 0, G_OPTION_ARG_INT, &nodes, "Call-tree nodes per profile", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Repetitions per measurement", "R" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- Compare page benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) base = NULL;
  g_autoptr(SgProfile) test = NULL;
  g_autoptr(SgProfileFile) any_file = NULL;
  g_autofree double *cmp = NULL;
  g_autofree double *one = NULL;
  Steps c = { 0 }, p = { 0 };
  GtkWidget *table;
  double start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  runs = MAX (runs, 1);

  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  start = cpu_ms ();
  make_profiles (nodes, &base, &test);
  g_print ("generated two profiles of %u and %u nodes (%u and %u samples) in %.0f ms\n",
           sg_profile_get_n_nodes (base), sg_profile_get_n_nodes (test),
           sg_profile_get_n_samples (base), sg_profile_get_n_samples (test), cpu_ms () - start);

  /* The job only needs a file object when it has to parse; these are
   * parsed already. */
  {
    g_autofree char *path = g_build_filename (g_get_tmp_dir (), "bench-compare-placeholder", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);

    any_file = g_object_new (SG_TYPE_PROFILE_FILE, "file", file, NULL);
  }
  table = g_object_ref_sink (sg_compare_table_new ());

  cmp = g_new (double, runs);
  one = g_new (double, runs);
  {
    g_autofree double *d = g_new (double, runs);
    g_autofree double *l = g_new (double, runs);
    g_autofree double *pa = g_new (double, runs);
    g_autofree double *t = g_new (double, runs);
    g_autofree double *pl = g_new (double, runs);
    g_autofree double *ppa = g_new (double, runs);
    g_autofree double *pt = g_new (double, runs);

    for (int i = 0; i < runs; i++)
      {
        compare_steps (any_file, base, test, SG_COMPARE_TABLE (table), &c);
        profile_steps (test, &p);
        d[i] = c.diff; l[i] = c.layout; pa[i] = c.palette; t[i] = c.table;
        pl[i] = p.layout; ppa[i] = p.palette; pt[i] = p.table;
        cmp[i] = total (&c);
        one[i] = total (&p);
      }
    g_print ("\nmedian of %d runs, this thread's CPU time:\n", runs);
    g_print ("  %-44s %9s %9s\n", "step", "Compare", "Profile");
    g_print ("  %-44s %7.1f ms %9s\n", "diff + union tree (SgCompareJob)", median (d, runs), "-");
    g_print ("  %-44s %7.1f ms %7.1f ms\n", "flame layout", median (l, runs), median (pl, runs));
    g_print ("  %-44s %7.1f ms %7.1f ms\n", "palette (differential / package)", median (pa, runs), median (ppa, runs));
    g_print ("  %-44s %7.1f ms %7.1f ms\n", "table rows", median (t, runs), median (pt, runs));
  }
  g_print ("  %-44s %7.1f ms %7.1f ms   ratio %.2f×\n", "total: parsed profiles → diff shown",
           median (cmp, runs), median (one, runs), median (cmp, runs) / median (one, runs));
  g_print ("  (baseline: the Profile page's steps to show the comparison profile alone)\n");

  bench_page (base, test);
  g_object_unref (table);
  return 0;
}
