/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The flame graph's speed and memory benchmark.  Needs a display (run it
 * under `xvfb-run -s '-screen 0 1920x1080x24'`).
 *
 *   bench-flame [--nodes N] [--runs R] [--open FILE]
 *
 * (--nodes 0 --open FILE measures opening FILE alone, in a fresh process.)
 *
 * 1. Builds a synthetic call tree of N call-tree nodes (default 1,000,000):
 *    12,000 functions in 60 packages, fan-out 1–8 with skewed shares, depth
 *    up to 48, self time at every level, so widths follow the long tail of
 *    real profiles.
 * 2. Times the layout (worker-thread work) and then, on an SgFlameGraph
 *    allocated at 1920×1080 in a real window:
 *    - a full redraw: building the render node of the whole view, which is
 *      what the widget does when its cache is dropped (median of R runs,
 *      target <= 8 ms), and the same node rasterised by the window's own
 *      GskRenderer into a texture;
 *    - the baseline, measured in the same run: a node with every box drawn
 *      (no culling, no sub-pixel skip, no labels), and the ratio;
 *    - a hover frame: the widget's snapshot with its cached node and a new
 *      hover outline (what a pointer move costs);
 *    - a zoom animation: the 14 frames of a zoom into a frame 10 levels
 *      deep, each a full node build at an interpolated view; the slowest
 *      frame gives the worst-case frame rate.
 * 3. With --open FILE: loads a profile the way the Profile page does (file
 *    bytes kept, parsed, laid out, top table, palette, one render) and
 *    prints the time and the resident memory after each step and at peak.
 */
#include "config.h"

#include <adwaita.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sg-analysis.h"
#include "sg-flame-graph-private.h"
#include "sg-profile-builder.h"
#include "sg-profile-io.h"

#define WIDTH  1920
#define HEIGHT 1080

/* CPU time of this thread, in ms.  The machine is shared (load is often
 * several times the number of cores), so wall time measures the neighbours;
 * the thread's CPU time measures our work.  Wall-clock figures are printed
 * where they mean something (rendering on the GPU/X server). */
static double
now_ms (void)
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
percentile (double *v,
            guint   n,
            double  p)
{
  qsort (v, n, sizeof (double), compare_double);
  return v[MIN (n - 1, (guint) (p * n))];
}

static long
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? strtol (line + 6, NULL, 10) : -1;
}

static long
peak_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/* ---- synthetic profile -------------------------------------------------- */

typedef struct
{
  SgProfileBuilder *builder;
  GRand            *rand;
  guint            *frames;
  guint             n_frames;
  guint             created;
} Gen;

static void
gen (Gen   *g,
     guint  node,
     guint  depth,
     guint  budget)
{
  gint64 value = (1 + g_rand_int_range (g->rand, 0, 100)) * 1000000;
  double weights[8], sum = 0;
  guint k, base;

  /* Self time at one in three inner nodes, and at every leaf. */
  if (budget == 0 || g_rand_int_range (g->rand, 0, 3) == 0)
    sg_profile_builder_add_sample_at_node (g->builder, node, &value, -1, 0);
  if (budget == 0)
    return;

  k = (guint) g_rand_int_range (g->rand, 1, 9);  /* not inside MIN(): evaluated twice */
  k = MIN (budget, k);
  if (depth >= 48)
    k = budget;  /* no deeper: spend the rest as leaves */
  /* Skewed shares: a few heavy children and a long tail. */
  for (guint i = 0; i < MIN (k, 8); i++)
    {
      double u = g_rand_double (g->rand);

      weights[i] = u * u * u + 0.001;
      sum += weights[i];
    }

  budget -= k;
  base = g_rand_int_range (g->rand, 0, g->n_frames);
  for (guint i = 0; i < k; i++)
    {
      guint share = i < 8 ? (guint) (budget * (weights[i] / sum)) : 0;
      guint child = sg_profile_builder_intern_child (g->builder, node,
                                                     g->frames[(base + i * 7919) % g->n_frames]);

      g->created++;
      gen (g, child, depth + 1, share);
    }
}

static SgProfile *
make_profile (guint nodes)
{
  g_autoptr(SgProfileBuilder) builder = sg_profile_builder_new ();
  g_autoptr(GError) error = NULL;
  Gen g = { builder, g_rand_new_with_seed (42), NULL, 12000, 0 };
  SgProfile *profile;

  sg_profile_builder_add_value_type (builder, "cpu", "nanoseconds");
  g.frames = g_new (guint, g.n_frames);
  for (guint f = 0; f < g.n_frames; f++)
    {
      g_autofree char *function = g_strdup_printf ("example.com/pkg%02u/module.Func%04u", f % 60, f);
      g_autofree char *file = g_strdup_printf ("pkg%02u/module.go", f % 60);

      g.frames[f] = sg_profile_builder_intern_frame (builder, function, file, 10 + f % 300, NULL);
    }

  /* Top-level budgets until the tree has the nodes asked for. */
  while (g.created + 1 < nodes)
    gen (&g, SG_PROFILE_BUILDER_ROOT, 0, MIN (nodes - g.created, 200000) - 1);

  profile = sg_profile_builder_end (builder, &error);
  g_assert_no_error (error);
  g_rand_free (g.rand);
  g_free (g.frames);
  return profile;
}

/* ---- measurements ------------------------------------------------------- */

static void
wait_for_layout (SgFlameGraph *graph)
{
  while (sg_flame_graph_get_loading (graph) || sg_flame_graph_get_layout (graph) == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
flush (void)
{
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Every box, no culling: what a naive flame graph draws. */
static GskRenderNode *
naive_node (SgFlameGraph *graph)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  SgFlameLayout *layout = sg_flame_graph_get_layout (graph);
  guint n;
  const SgFlameBox *boxes = sg_flame_layout_get_boxes (layout, &n);
  GdkRGBA color = { 0.9, 0.5, 0.2, 1 };

  for (guint i = 0; i < n; i++)
    {
      double x, w;

      sg_flame_view_box_to_pixels (graph->view, sg_flame_layout_get_total (layout), &boxes[i],
                                   WIDTH, &x, &w);
      gtk_snapshot_append_color (snapshot, &color,
                                 &GRAPHENE_RECT_INIT (x, HEIGHT - (boxes[i].depth + 1) * 20.0, w, 19));
    }
  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static guint
heavy_path_box (SgFlameLayout *layout,
                guint          levels)
{
  const SgFlameBox *boxes = sg_flame_layout_get_boxes (layout, NULL);
  guint box = 0;

  for (guint l = 0; l < levels; l++)
    {
      guint c = sg_flame_layout_get_first_child (layout, box);

      if (c == SG_FLAME_BOX_NONE)
        break;
      /* Heaviest-first layout: the first child is the widest. */
      box = c;
    }
  (void) boxes;
  return box;
}

static void
bench_graph (SgProfile *profile,
             guint      runs)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  SgFlameGraph *graph = SG_FLAME_GRAPH (sg_flame_graph_new ());
  GskRenderer *renderer;
  SgFlameLayout *layout;
  g_autofree double *t = g_new (double, runs);
  double start, layout_ms[3], build_median, naive_median;
  guint n_boxes, target;
  SgFlameView full = { 0, 1 }, zoomed;
  double zoom_frames[14];

  gtk_window_set_default_size (window, WIDTH, HEIGHT);
  gtk_window_set_decorated (window, FALSE);
  gtk_window_set_child (window, GTK_WIDGET (graph));
  gtk_window_present (window);
  flush ();

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SgFlameLayout) l = NULL;

      start = now_ms ();
      l = sg_flame_layout_new (profile, 0, SG_FLAME_MODE_MERGED, SG_FLAME_SORT_HEAVIEST, NULL, NULL);
      layout_ms[i] = now_ms () - start;
    }
  sg_flame_graph_set_profile (graph, profile);
  wait_for_layout (graph);
  flush ();
  layout = sg_flame_graph_get_layout (graph);
  sg_flame_layout_get_boxes (layout, &n_boxes);

  g_print ("tree: %u nodes, %u boxes in %u rows, layout %.0f ms (median of 3), "
           "layout memory %.1f MB\n",
           sg_profile_get_n_nodes (profile), n_boxes, sg_flame_layout_get_n_rows (layout),
           median (layout_ms, 3), sg_flame_layout_get_memory_size (layout) / 1e6);
  g_print ("widget allocated at %d×%d\n", gtk_widget_get_width (GTK_WIDGET (graph)),
           gtk_widget_get_height (GTK_WIDGET (graph)));

  /* The first redraw after new data shapes every label (cold cache). */
  {
    GskRenderNode *node;

    _sg_flame_graph_clear_label_cache (graph);
    start = now_ms ();
    node = _sg_flame_graph_build_node (graph, WIDTH, HEIGHT);
    g_print ("first redraw after new data (labels shaped): %.2f ms\n", now_ms () - start);
    gsk_render_node_unref (node);
  }

  /* Full redraw: node building, as after a resize, a zoom step or a
   * search, with the labels already shaped. */
  for (guint i = 0; i < runs; i++)
    {
      GskRenderNode *node;

      start = now_ms ();
      node = _sg_flame_graph_build_node (graph, WIDTH, HEIGHT);
      t[i] = now_ms () - start;
      gsk_render_node_unref (node);
    }
  build_median = median (t, runs);
  g_print ("full redraw (render node) at %d×%d: median %.2f ms, p95 %.2f ms (target <= 8 ms): %s\n",
           WIDTH, HEIGHT, build_median, percentile (t, runs, 0.95),
           build_median <= 8.0 ? "PASS" : "FAIL");

  for (guint i = 0; i < MIN (runs, 5); i++)
    {
      GskRenderNode *node;

      start = now_ms ();
      node = naive_node (graph);
      t[i] = now_ms () - start;
      gsk_render_node_unref (node);
    }
  naive_median = median (t, MIN (runs, 5));
  g_print ("baseline, every box drawn (no culling, no labels): median %.2f ms — %.1f× slower\n",
           naive_median, naive_median / build_median);

  /* The same node rasterised by the window's renderer. */
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  for (guint i = 0; i < runs; i++)
    {
      GskRenderNode *node;
      GdkTexture *texture;

      start = wall_ms ();
      node = _sg_flame_graph_build_node (graph, WIDTH, HEIGHT);
      texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
      t[i] = wall_ms () - start;
      g_object_unref (texture);
      gsk_render_node_unref (node);
    }
  g_print ("full redraw incl. rasterising with %s (wall clock, software GL under Xvfb): median %.2f ms\n",
           G_OBJECT_TYPE_NAME (renderer), median (t, runs));
  {
    g_autoptr(GskRenderer) cairo = gsk_cairo_renderer_new ();

    if (gsk_renderer_realize (cairo, gtk_native_get_surface (GTK_NATIVE (window)), NULL))
      {
        for (guint i = 0; i < runs; i++)
          {
            GskRenderNode *node;
            GdkTexture *texture;

            start = now_ms ();
            node = _sg_flame_graph_build_node (graph, WIDTH, HEIGHT);
            texture = gsk_renderer_render_texture (cairo, node, &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
            t[i] = now_ms () - start;
            g_object_unref (texture);
            gsk_render_node_unref (node);
          }
        g_print ("full redraw incl. rasterising with GskCairoRenderer (CPU): median %.2f ms\n",
                 median (t, runs));
        gsk_renderer_unrealize (cairo);
      }
  }

  /* Hover: cached boxes, a new outline each frame. */
  for (guint i = 0; i < runs; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      GskRenderNode *node;

      graph->hover_box = sg_flame_graph_box_at (graph, (i * 61) % WIDTH, HEIGHT - 10 - (i % 12) * 20);
      start = now_ms ();
      /* The widget's own snapshot: cached boxes plus the outlines. */
      GTK_WIDGET_GET_CLASS (graph)->snapshot (GTK_WIDGET (graph), snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      t[i] = now_ms () - start;
      if (node)
        gsk_render_node_unref (node);
    }
  g_print ("hover frame (cached boxes + outline): median %.3f ms, max %.3f ms\n",
           median (t, runs), percentile (t, runs, 1.0));

  /* Zoom animation: every frame rebuilds the node at an interpolated view. */
  target = heavy_path_box (layout, 10);
  zoomed = sg_flame_layout_view_for_box (layout, target);
  for (guint f = 0; f < G_N_ELEMENTS (zoom_frames); f++)
    {
      double p = (f + 1) / (double) G_N_ELEMENTS (zoom_frames);
      GskRenderNode *node;

      graph->view = sg_flame_view_lerp (full, zoomed, 1 - (1 - p) * (1 - p) * (1 - p));
      start = now_ms ();
      node = _sg_flame_graph_build_node (graph, WIDTH, HEIGHT);
      zoom_frames[f] = now_ms () - start;
      gsk_render_node_unref (node);
    }
  {
    double worst = percentile (zoom_frames, G_N_ELEMENTS (zoom_frames), 1.0);

    g_print ("zoom animation into depth %u (%u frames): median %.2f ms, slowest %.2f ms "
             "= %.0f fps worst case (target >= 60): %s\n",
             sg_flame_layout_get_boxes (layout, NULL)[target].depth,
             (guint) G_N_ELEMENTS (zoom_frames), median (zoom_frames, G_N_ELEMENTS (zoom_frames)),
             worst, 1000.0 / worst, worst <= 1000.0 / 60 ? "PASS" : "FAIL");
  }
  graph->view = full;

  gtk_window_destroy (window);
}

static void
bench_open (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SgProfile) profile = NULL;
  g_autoptr(SgFlameLayout) layout = NULL;
  g_autoptr(GArray) top = NULL;
  g_autoptr(SgFlamePalette) palette = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = g_path_get_basename (path);
  gsize len;
  double start;

  g_print ("\nopening %s the way the Profile page does (RSS at start %.0f MB)\n", name, rss_kb () / 1024.0);

  start = now_ms ();
  if (!g_file_get_contents (path, &contents, &len, &error))
    g_error ("%s", error->message);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  g_print ("  read %.0f MB of file in %.0f ms, RSS %.0f MB\n", len / 1e6, now_ms () - start,
           rss_kb () / 1024.0);

  start = now_ms ();
  profile = sg_profile_load_bytes (bytes, name, &error);
  if (profile == NULL)
    g_error ("%s", error->message);
  g_print ("  parsed: %u nodes, %u samples in %.0f ms, RSS %.0f MB (model %.0f MB)\n",
           sg_profile_get_n_nodes (profile), sg_profile_get_n_samples (profile),
           now_ms () - start, rss_kb () / 1024.0, sg_profile_get_memory_size (profile) / 1e6);

  start = now_ms ();
  layout = sg_flame_layout_new (profile, sg_profile_get_default_value (profile),
                                SG_FLAME_MODE_MERGED, SG_FLAME_SORT_HEAVIEST, NULL, NULL);
  g_print ("  laid out: %u rows in %.0f ms, RSS %.0f MB\n", sg_flame_layout_get_n_rows (layout),
           now_ms () - start, rss_kb () / 1024.0);

  start = now_ms ();
  top = sg_profile_top (profile, SG_TOP_BY_FUNCTION, sg_profile_get_default_value (profile));
  palette = sg_flame_palette_new (profile, sg_profile_get_default_value (profile),
                                  SG_FLAME_COLORS_PACKAGE, FALSE);
  g_print ("  top table (%u functions) and colours in %.0f ms, RSS %.0f MB\n", top->len,
           now_ms () - start, rss_kb () / 1024.0);

  {
    SgFlameGraph *graph = SG_FLAME_GRAPH (sg_flame_graph_new ());
    GskRenderNode *node;

    g_object_ref_sink (graph);
    sg_flame_graph_set_profile (graph, profile);
    wait_for_layout (graph);
    start = now_ms ();
    node = _sg_flame_graph_build_node (graph, WIDTH, HEIGHT);
    g_print ("  first full redraw %.2f ms, RSS %.0f MB\n", now_ms () - start, rss_kb () / 1024.0);
    gsk_render_node_unref (node);
    g_object_unref (graph);
  }
  g_print ("  peak RSS %.0f MB (target <= 2048 MB for a 1 GB profile): %s\n", peak_rss_kb () / 1024.0,
           peak_rss_kb () / 1024.0 <= 2048 ? "PASS" : "FAIL");
}

int
main (int    argc,
      char **argv)
{
  int nodes = 1000000;
  int runs = 31;
  g_autofree char *open = NULL;
  GOptionEntry entries[] = {
    { "nodes", 0, 0, G_OPTION_ARG_INT, &nodes, "Call-tree nodes to generate", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Repetitions per measurement", "R" },
    { "open", 0, 0, G_OPTION_ARG_FILENAME, &open, "Also open this profile and report memory", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- flame graph benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = NULL;
  double start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  gtk_init ();
  adw_init ();
  /* No animations: the benchmark drives the views itself. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* --nodes 0 skips the synthetic tree, so --open measures memory alone. */
  if (nodes > 0)
    {
      start = now_ms ();
      profile = make_profile (nodes);
      g_print ("generated a synthetic profile of %u nodes in %.0f ms\n",
               sg_profile_get_n_nodes (profile), now_ms () - start);
      bench_graph (profile, MAX (runs, 3));
      g_clear_pointer (&profile, sg_profile_unref);
    }

  if (open != NULL)
    bench_open (open);
  return 0;
}
