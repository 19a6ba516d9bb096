/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * The flame graph widget under Xvfb, on real profiles from
 * tests/fixtures/: hit-testing from pixels in both orientations, zoom
 * (instant, animated on the frame clock, history, keyboard), search share
 * checked against an independent count over the samples, keyboard moves,
 * context-menu filter requests, selection, and export to PNG, SVG and PDF.
 * Screenshots land in the build dir (flame-graph-*.png).
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "sg-flame-graph.h"
#include "sg-profile-io.h"
#include "sg-ui-test-helpers.h"

static GtkWindow *toplevel;
static SgFlameGraph *graph;

static void
wait_for_layout (void)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (sg_flame_graph_get_loading (graph) || sg_flame_graph_get_layout (graph) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
    }
}

static void
show_profile (const char *dir,
              const char *name)
{
  g_autoptr(SgProfile) profile = sg_ui_test_load_profile (dir, name);

  sg_flame_graph_set_profile (graph, profile);
  wait_for_layout ();
  sg_ui_test_flush_frames (3);
}

/* The centre of a box in widget coordinates. */
static void
box_center (guint   box,
            double *x,
            double *y)
{
  SgFlameLayout *layout = sg_flame_graph_get_layout (graph);
  const SgFlameBox *b = &sg_flame_layout_get_boxes (layout, NULL)[box];
  double width = gtk_widget_get_width (GTK_WIDGET (graph));
  double height = gtk_widget_get_height (GTK_WIDGET (graph));
  double px, pw;

  sg_flame_view_box_to_pixels (sg_flame_graph_get_view (graph), sg_flame_layout_get_total (layout),
                               b, width, &px, &pw);
  *x = CLAMP (px, 0, width) + MIN (pw, width) / 2;
  *y = sg_flame_graph_get_icicle (graph) ? (b->depth + 0.5) * 20.0
                                         : height - (b->depth + 0.5) * 20.0;
}

/* The deepest box at least @min_px wide on screen, following the widest
 * child from the root: a realistic target for clicks. */
static guint
deep_wide_box (double min_px)
{
  SgFlameLayout *layout = sg_flame_graph_get_layout (graph);
  const SgFlameBox *boxes = sg_flame_layout_get_boxes (layout, NULL);
  double scale = gtk_widget_get_width (GTK_WIDGET (graph)) / (double) sg_flame_layout_get_total (layout);
  guint box = 0;

  for (;;)
    {
      guint best = SG_FLAME_BOX_NONE;

      for (guint c = sg_flame_layout_get_first_child (layout, box);
           c != SG_FLAME_BOX_NONE && boxes[c].parent == box;
           c = sg_flame_layout_get_next_in_row (layout, c))
        if (best == SG_FLAME_BOX_NONE || boxes[c].width > boxes[best].width)
          best = c;
      if (best == SG_FLAME_BOX_NONE || boxes[best].width * scale < min_px)
        return box;
      box = best;
    }
}

static void
test_hit_testing (void)
{
  show_profile ("speedscope", "python-recorder.speedscope.json");

  for (int icicle = 0; icicle <= 1; icicle++)
    {
      SgFlameLayout *layout;
      guint n_boxes, checked = 0;
      const SgFlameBox *boxes;

      sg_flame_graph_set_icicle (graph, icicle);
      sg_ui_test_flush_frames (2);
      layout = sg_flame_graph_get_layout (graph);
      boxes = sg_flame_layout_get_boxes (layout, &n_boxes);

      /* Every box wide enough to click is found at its centre. */
      for (guint i = 0; i < n_boxes; i++)
        {
          double x, y, scale;

          scale = gtk_widget_get_width (GTK_WIDGET (graph)) / (double) sg_flame_layout_get_total (layout);
          if (boxes[i].width * scale < 3)
            continue;
          box_center (i, &x, &y);
          g_assert_cmpuint (sg_flame_graph_box_at (graph, x, y), ==, i);
          checked++;
        }
      g_assert_cmpuint (checked, >, 5);

      /* Outside the graph there is nothing. */
      g_assert_cmpuint (sg_flame_graph_box_at (graph, -1, 10), ==, SG_FLAME_BOX_NONE);
      g_assert_cmpuint (sg_flame_graph_box_at (graph, 10,
                                               icicle ? sg_flame_layout_get_n_rows (layout) * 20 + 5
                                                      : gtk_widget_get_height (GTK_WIDGET (graph)) -
                                                        sg_flame_layout_get_n_rows (layout) * 20 - 5),
                        ==, SG_FLAME_BOX_NONE);
    }
  sg_flame_graph_set_icicle (graph, FALSE);
}

static void
test_zoom (void)
{
  SgFlameLayout *layout;
  const SgFlameBox *boxes;
  g_autoptr(GArray) path = NULL;
  SgFlameView view, expected;
  guint target, parent;
  double x, y;
  gint64 deadline;

  show_profile ("speedscope", "python-recorder.speedscope.json");
  layout = sg_flame_graph_get_layout (graph);
  boxes = sg_flame_layout_get_boxes (layout, NULL);
  target = deep_wide_box (40);
  g_assert_cmpuint (boxes[target].depth, >=, 2);
  parent = boxes[target].parent;

  /* Instant zoom: the box fills the width, its ancestors are the path. */
  sg_flame_graph_zoom_to_box (graph, parent, FALSE);
  sg_flame_graph_zoom_to_box (graph, target, FALSE);
  view = sg_flame_graph_get_view (graph);
  expected = sg_flame_layout_view_for_box (layout, target);
  g_assert_cmpfloat_with_epsilon (view.x0, expected.x0, 1e-12);
  g_assert_cmpfloat_with_epsilon (view.x1, expected.x1, 1e-12);
  box_center (target, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, gtk_widget_get_width (GTK_WIDGET (graph)) / 2.0, 0.5);
  g_assert_cmpuint (sg_flame_graph_box_at (graph, 1, y), ==, target);
  g_assert_cmpuint (sg_flame_graph_box_at (graph, gtk_widget_get_width (GTK_WIDGET (graph)) - 1, y),
                    ==, target);
  path = sg_flame_graph_dup_zoom_path (graph);
  g_assert_cmpuint (path->len, ==, boxes[target].depth + 1);
  g_assert_cmpuint (g_array_index (path, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (path, guint, path->len - 1), ==, target);
  g_assert_cmpuint (g_array_index (path, guint, path->len - 2), ==, parent);
  sg_ui_test_flush_frames (2);
  sg_ui_test_save_screenshot (GTK_WIDGET (toplevel), "flame-graph-zoomed.png");

  /* Esc goes back through the history: first to the parent, then the root. */
  gtk_widget_grab_focus (GTK_WIDGET (graph));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (graph), "flame.zoom-out", NULL));
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  expected = sg_flame_layout_view_for_box (layout, parent);
  /* Animated on the frame clock: the view gets there. */
  while (sg_flame_graph_get_view (graph).x0 != expected.x0 ||
         sg_flame_graph_get_view (graph).x1 != expected.x1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_cmpuint (sg_flame_graph_get_zoom_box (graph), ==, parent);
  sg_flame_graph_zoom_out (graph);
  g_assert_cmpuint (sg_flame_graph_get_zoom_box (graph), ==, 0);
  sg_flame_graph_zoom_out (graph);
  g_assert_cmpuint (sg_flame_graph_get_zoom_box (graph), ==, 0);

  /* Enter zooms into the keyboard cursor, Home resets. */
  sg_flame_graph_set_cursor (graph, target);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (graph), "flame.zoom-in", NULL));
  g_assert_cmpuint (sg_flame_graph_get_zoom_box (graph), ==, target);
  /* Zooming in selects the function (the top table follows). */
  g_assert_cmpstr (sg_flame_graph_get_selected_function (graph), ==,
                   sg_profile_get_frame_function (sg_flame_graph_get_profile (graph),
                                                  boxes[target].frame));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (graph), "flame.zoom-reset", NULL));
  g_assert_cmpuint (sg_flame_graph_get_zoom_box (graph), ==, 0);
}

static void
test_keyboard (void)
{
  SgFlameLayout *layout;
  const SgFlameBox *boxes;
  guint start, child;

  show_profile ("speedscope", "python-recorder.speedscope.json");
  layout = sg_flame_graph_get_layout (graph);
  boxes = sg_flame_layout_get_boxes (layout, NULL);
  start = deep_wide_box (40);
  child = boxes[start].parent;

  /* Flame orientation: Up goes to a child (drawn above), Down to the parent. */
  sg_flame_graph_set_cursor (graph, child);
  gtk_widget_activate_action (GTK_WIDGET (graph), "flame.move", "s", "up");
  g_assert_cmpuint (boxes[sg_flame_graph_get_cursor (graph)].parent, ==, child);
  gtk_widget_activate_action (GTK_WIDGET (graph), "flame.move", "s", "down");
  g_assert_cmpuint (sg_flame_graph_get_cursor (graph), ==, child);
  /* Icicle: the other way round. */
  sg_flame_graph_set_icicle (graph, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (graph), "flame.move", "s", "up");
  g_assert_cmpuint (sg_flame_graph_get_cursor (graph), ==, boxes[child].parent);
  sg_flame_graph_set_icicle (graph, FALSE);

  /* Left and right stay in the row; at the ends they do nothing. */
  sg_flame_graph_set_cursor (graph, 0);
  gtk_widget_activate_action (GTK_WIDGET (graph), "flame.move", "s", "right");
  g_assert_cmpuint (sg_flame_graph_get_cursor (graph), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (graph), "flame.move", "s", "up");
  child = sg_flame_graph_get_cursor (graph);
  g_assert_cmpuint (boxes[child].depth, ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (graph), "flame.move", "s", "left");
  g_assert_cmpuint (sg_flame_graph_get_cursor (graph), ==, child);
  if (sg_flame_layout_get_next_in_row (layout, child) != SG_FLAME_BOX_NONE)
    {
      gtk_widget_activate_action (GTK_WIDGET (graph), "flame.move", "s", "right");
      g_assert_cmpuint (sg_flame_graph_get_cursor (graph), ==, child + 1);
    }
}

/* Independent count: the value of samples with any matching frame. */
static gint64
count_matching_samples (SgProfile  *profile,
                        guint       value_index,
                        const char *needle)
{
  const SgNode *nodes = sg_profile_get_nodes (profile);
  const SgSample *samples = sg_profile_get_samples (profile);
  gint64 sum = 0;

  for (guint s = 0; s < sg_profile_get_n_samples (profile); s++)
    for (guint32 n = samples[s].node; n != SG_NODE_NONE; n = nodes[n].parent)
      if (nodes[n].frame != SG_FRAME_NONE &&
          strstr (sg_profile_get_frame_function (profile, nodes[n].frame), needle) != NULL)
        {
          sum += sg_profile_get_sample_values (profile, s)[value_index];
          break;
        }
  return sum;
}

static void
test_search (void)
{
  SgProfile *profile;
  gint64 expected, total;
  guint vi;

  show_profile ("speedscope", "python-recorder.speedscope.json");
  profile = sg_flame_graph_get_profile (graph);
  vi = sg_flame_layout_get_value_index (sg_flame_graph_get_layout (graph));
  total = sg_profile_get_total (profile, vi);

  g_assert_cmpfloat (sg_flame_graph_get_match_fraction (graph), <, 0);
  sg_flame_graph_set_search (graph, "fib", FALSE);
  expected = count_matching_samples (profile, vi, "fib");
  g_assert_cmpint (expected, >, 0);
  g_assert_cmpint (expected, <, total);
  g_assert_cmpfloat_with_epsilon (sg_flame_graph_get_match_fraction (graph),
                                  (double) expected / (double) total, 1e-9);
  sg_ui_test_flush_frames (2);
  sg_ui_test_save_screenshot (GTK_WIDGET (toplevel), "flame-graph-search.png");

  /* Regex alternation covers both functions. */
  sg_flame_graph_set_search (graph, "^(fib|parse_numbers)$", TRUE);
  g_assert_null (sg_flame_graph_get_search_error (graph));
  g_assert_cmpfloat (sg_flame_graph_get_match_fraction (graph), >=,
                     (double) expected / (double) total);

  /* A broken regex reports an error and highlights nothing. */
  sg_flame_graph_set_search (graph, "fib(", TRUE);
  g_assert_nonnull (sg_flame_graph_get_search_error (graph));
  g_assert_cmpfloat (sg_flame_graph_get_match_fraction (graph), <, 0);

  sg_flame_graph_set_search (graph, "", FALSE);
  g_assert_cmpfloat (sg_flame_graph_get_match_fraction (graph), <, 0);
}

static void
on_filter_requested (SgFlameGraph *g,
                     int           kind,
                     const char   *function,
                     gpointer      user_data)
{
  GString *log = user_data;

  g_string_append_printf (log, "%d:%s;", kind, function);
}

static void
test_filter_requests (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  SgFlameLayout *layout;
  const SgFlameBox *boxes;
  const char *name;
  g_autofree char *expected = NULL;
  guint box;
  gulong id;

  show_profile ("speedscope", "python-recorder.speedscope.json");
  layout = sg_flame_graph_get_layout (graph);
  boxes = sg_flame_layout_get_boxes (layout, NULL);
  box = deep_wide_box (40);
  name = sg_profile_get_frame_function (sg_flame_graph_get_profile (graph), boxes[box].frame);

  id = g_signal_connect (graph, "filter-requested", G_CALLBACK (on_filter_requested), log);
  sg_flame_graph_set_cursor (graph, box);
  gtk_widget_activate_action (GTK_WIDGET (graph), "flame.focus", NULL);
  gtk_widget_activate_action (GTK_WIDGET (graph), "flame.hide", NULL);
  gtk_widget_activate_action (GTK_WIDGET (graph), "flame.show-from", NULL);
  /* The root is not a function: nothing to filter. */
  sg_flame_graph_set_cursor (graph, 0);
  gtk_widget_activate_action (GTK_WIDGET (graph), "flame.hide", NULL);
  g_signal_handler_disconnect (graph, id);

  expected = g_strdup_printf ("%d:%s;%d:%s;%d:%s;", SG_FLAME_FILTER_FOCUS, name,
                              SG_FLAME_FILTER_HIDE, name, SG_FLAME_FILTER_SHOW_FROM, name);
  g_assert_cmpstr (log->str, ==, expected);
}

static void
test_selection (void)
{
  SgProfile *profile;

  show_profile ("speedscope", "python-recorder.speedscope.json");
  profile = sg_flame_graph_get_profile (graph);
  sg_flame_graph_set_selected_function (graph, "fib");
  g_assert_cmpstr (sg_flame_graph_get_selected_function (graph), ==, "fib");
  sg_ui_test_flush_frames (2);
  sg_ui_test_save_screenshot (GTK_WIDGET (toplevel), "flame-graph-selected.png");
  /* A function that is not in the profile selects nothing, harmlessly. */
  sg_flame_graph_set_selected_function (graph, "no-such-function");
  sg_ui_test_flush_frames (1);
  sg_flame_graph_set_selected_function (graph, NULL);
  g_assert_nonnull (profile);
}

static void
assert_file_starts_with (const char *path,
                         const char *magic,
                         gsize       len)
{
  g_autofree char *contents = NULL;
  gsize size = 0;

  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  g_assert_cmpuint (size, >, 1000);
  g_assert_cmpmem (contents, len, magic, len);
}

static void
test_export (void)
{
  static const struct { const char *name; const char *magic; gsize len; } files[] = {
    { "flame-graph-export.png", "\x89PNG", 4 },
    { "flame-graph-export.svg", "<?xml", 5 },
    { "flame-graph-export.pdf", "%PDF", 4 },
  };
  SgFlameExportFormat format;

  show_profile ("pstats", "werkzeug-app.prof");
  sg_flame_graph_set_search (graph, "json", FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_BUILT, files[i].name, NULL);
      g_autoptr(GError) error = NULL;

      g_assert_true (sg_flame_export_format_for_path (path, &format));
      g_assert_true (sg_flame_graph_export (graph, path, format, &error));
      g_assert_no_error (error);
      assert_file_starts_with (path, files[i].magic, files[i].len);
    }

  {
    g_autofree char *svg = NULL;
    g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "flame-graph-export.svg", NULL);

    /* The SVG really holds the boxes: far more than a frame of fills. */
    g_assert_true (g_file_get_contents (path, &svg, NULL, NULL));
    g_assert_nonnull (strstr (svg, "<path") ? strstr (svg, "<path") : strstr (svg, "<rect"));
  }

  g_assert_false (sg_flame_export_format_for_path ("graph.txt", &format));
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (sg_flame_graph_export (graph, "/nonexistent-dir/graph.png",
                                           SG_FLAME_EXPORT_PNG, &error));
    g_assert_nonnull (error);
  }
  sg_flame_graph_set_search (graph, "", FALSE);
}

static void
test_modes_and_colors (void)
{
  static const struct { const char *dir, *file; } profiles[] = {
    { "pstats", "werkzeug-app.prof" },
    { "speedscope", "python-recorder.speedscope.json" },
    { "cpuprofile", "node-workload.cpuprofile" },
  };
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (guint p = 0; p < G_N_ELEMENTS (profiles); p++)
    {
      show_profile (profiles[p].dir, profiles[p].file);
      for (int dark = 0; dark <= 1; dark++)
        {
          g_autofree char *name = NULL;

          adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                          : ADW_COLOR_SCHEME_FORCE_LIGHT);
          sg_ui_test_flush_frames (3);
          name = g_strdup_printf ("flame-graph-%s-%s.png", profiles[p].dir, dark ? "dark" : "light");
          sg_ui_test_save_screenshot (GTK_WIDGET (toplevel), name);
        }
    }

  /* Time order and every colour scheme lay out and draw. */
  sg_flame_graph_set_mode (graph, SG_FLAME_MODE_TIME_ORDER);
  wait_for_layout ();
  g_assert_cmpint (sg_flame_layout_get_mode (sg_flame_graph_get_layout (graph)), ==,
                   SG_FLAME_MODE_TIME_ORDER);
  for (int c = SG_FLAME_COLORS_PACKAGE; c <= SG_FLAME_COLORS_ACCESSIBLE; c++)
    {
      g_autoptr(GPtrArray) legend = NULL;

      sg_flame_graph_set_colors (graph, c);
      legend = sg_flame_graph_dup_legend (graph);
      g_assert_cmpuint (legend->len, >, 0);
      sg_ui_test_flush_frames (1);
    }
  sg_ui_test_save_screenshot (GTK_WIDGET (toplevel), "flame-graph-time-order.png");
  sg_flame_graph_set_mode (graph, SG_FLAME_MODE_MERGED);
  sg_flame_graph_set_colors (graph, SG_FLAME_COLORS_PACKAGE);
  wait_for_layout ();
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
}

int
main (int    argc,
      char **argv)
{
  GtkWidget *scroller;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  toplevel = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (toplevel, 1200, 640);
  scroller = gtk_scrolled_window_new ();
  graph = SG_FLAME_GRAPH (sg_flame_graph_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (graph), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (graph));
  gtk_window_set_child (toplevel, scroller);
  gtk_window_present (toplevel);
  sg_ui_test_flush_frames (3);

  g_test_add_func ("/ui/flame-graph/hit-testing", test_hit_testing);
  g_test_add_func ("/ui/flame-graph/zoom", test_zoom);
  g_test_add_func ("/ui/flame-graph/keyboard", test_keyboard);
  g_test_add_func ("/ui/flame-graph/search", test_search);
  g_test_add_func ("/ui/flame-graph/filter-requests", test_filter_requests);
  g_test_add_func ("/ui/flame-graph/selection", test_selection);
  g_test_add_func ("/ui/flame-graph/export", test_export);
  g_test_add_func ("/ui/flame-graph/modes-and-colors", test_modes_and_colors);

  status = g_test_run ();
  gtk_window_destroy (toplevel);
  return status;
}
