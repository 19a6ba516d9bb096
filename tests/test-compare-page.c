/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * The Compare page under Xvfb, in the real window, with real profiles:
 * two cProfile runs of the same job where the second does render_line()'s
 * work exactly twice (tests/fixtures/compare/, made by make-fixtures.py),
 * Go and cProfile profiles that share no value type, and the sidebar's
 * "Compare With…".  Figures on the page are checked against sg_diff_new()
 * run here on the same files; screenshots are saved in the build dir
 * (compare-page-*.png).
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "sg-compare-page.h"
#include "sg-compare-row.h"
#include "sg-flame-graph-private.h"
#include "sg-profile-io.h"
#include "sg-sidebar.h"
#include "sg-ui-test.h"

static GFile *
compare_fixture (const char *name)
{
  return g_file_new_for_path (g_test_get_filename (G_TEST_DIST, "fixtures", "compare", name, NULL));
}

static SgComparePage *
get_page (void)
{
  return SG_COMPARE_PAGE (adw_view_stack_get_child_by_name (get_stack (), "compare"));
}

static gboolean
page_settled (gpointer state)
{
  SgComparePage *page = get_page ();

  return !sg_compare_page_get_busy (page) && is_idle (NULL) &&
         g_strcmp0 (sg_compare_page_get_state (page), state) == 0;
}

static void
wait_for_state (const char *state)
{
  wait_until (page_settled, (gpointer) state);
}

static gboolean
has_layout (gpointer graph)
{
  return sg_flame_graph_get_layout (graph) != NULL && !sg_flame_graph_get_loading (graph);
}

static SgProfileFile *
find_opened (const char *name)
{
  GListModel *profiles = sg_window_get_profiles (window);

  for (guint i = 0; i < g_list_model_get_n_items (profiles); i++)
    {
      g_autoptr(SgProfileFile) item = g_list_model_get_item (profiles, i);

      if (g_str_equal (sg_profile_file_get_display_name (item), name))
        return item;  /* the window's list keeps it alive */
    }
  return NULL;
}

static void
open_and_wait (GFile *file)
{
  sg_window_open_file (window, file);
  wait_until (is_idle, NULL);
}

static void
close_all (void)
{
  GtkWidget *sidebar = find_descendant (GTK_WIDGET (window), is_type, GSIZE_TO_POINTER (SG_TYPE_SIDEBAR));
  GListModel *profiles = sg_window_get_profiles (window);

  while (g_list_model_get_n_items (profiles) > 0)
    {
      g_autoptr(SgProfileFile) item = g_list_model_get_item (profiles, 0);

      g_signal_emit_by_name (sidebar, "profile-close-requested", item);
    }
}

static SgDiff *
reference_diff (const char *base,
                const char *test,
                const char *value_type)
{
  g_autoptr(GFile) bf = compare_fixture (base);
  g_autoptr(GFile) tf = compare_fixture (test);
  g_autofree char *bp = g_file_get_path (bf);
  g_autofree char *tp = g_file_get_path (tf);
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) b = sg_profile_load_file (bp, &error);
  g_autoptr(SgProfile) t = NULL;
  SgDiff *diff;

  g_assert_no_error (error);
  t = sg_profile_load_file (tp, &error);
  g_assert_no_error (error);
  diff = sg_diff_new (b, t, value_type, &error);
  g_assert_no_error (error);
  return diff;
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

static SgCompareRow *
find_table_row (const char *function)
{
  GListModel *model = sg_compare_table_get_model (sg_compare_page_get_table (get_page ()));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SgCompareRow) row = g_list_model_get_item (model, i);

      if (g_str_equal (sg_compare_row_get_function (row), function))
        return row;  /* the store keeps it alive */
    }
  return NULL;
}

/* Lets page transitions (crossfades) and style changes finish.  A time,
 * not a count of paints: under Xvfb the window's frame clock sometimes
 * stops ticking once nothing moves, so waiting for paints can hang. */
static void
settle (void)
{
  gint64 until = g_get_monotonic_time () + 500 * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* The window as drawn now; NULL until it has been laid out at its size
 * (on a loaded machine a resize can take a while to arrive). */
static gboolean
snapshot_window (gpointer data)
{
  GskRenderNode **node = data;
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (GTK_WIDGET (window)),
                          gtk_widget_get_height (GTK_WIDGET (window)));
  *node = gtk_snapshot_free_to_node (snapshot);
  return *node != NULL;
}

static void
save_screenshot (const char *name)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  wait_until (snapshot_window, &node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (GTK_WIDGET (window)),
                                                              gtk_widget_get_height (GTK_WIDGET (window))));
  path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                           name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot saved to %s", path);
}

/* ---- tests ---------------------------------------------------------------- */

static void
test_empty (void)
{
  SgComparePage *page = get_page ();
  g_autoptr(GFile) base = compare_fixture ("base.prof");

  close_all ();
  sg_window_show_page (window, "compare");
  wait_for_state ("empty");
  g_assert_true (has_visible_label ((gpointer) "Compare Two Profiles"));
  g_assert_null (sg_compare_page_get_diff (page));

  /* One profile is not a comparison: the page says which one is open. */
  open_and_wait (base);
  sg_window_show_page (window, "compare");
  wait_for_state ("empty");
  g_assert_true (has_visible_label ((gpointer) "“base.prof” is open"));
  settle ();
  save_screenshot ("compare-page-empty.png");
  g_assert_true (sg_compare_page_get_base (page) == find_opened ("base.prof"));
  g_assert_null (sg_compare_page_get_comparison (page));
}

static void
test_pstats_diff (void)
{
  SgComparePage *page = get_page ();
  g_autoptr(GFile) base = compare_fixture ("base.prof");
  g_autoptr(GFile) slower = compare_fixture ("slower.prof");
  g_autoptr(SgDiff) wall = reference_diff ("base.prof", "slower.prof", "wall");
  g_autoptr(SgDiff) calls = reference_diff ("base.prof", "slower.prof", "calls");
  g_autofree char *summary = NULL;
  g_autofree char *change = NULL;
  g_autofree char *base_total = NULL;
  g_autofree char *test_total = NULL;
  g_autoptr(SgCompareRow) first = NULL;
  const SgDiffRow *expected_first = NULL;
  SgDiff *shown;
  SgCompareRow *row;
  const SgDiffRow *ref;

  close_all ();
  open_and_wait (base);
  open_and_wait (slower);
  sg_window_show_page (window, "compare");
  wait_for_state ("diff");

  /* The first opened is the base, the latest the comparison; cProfile's
   * default value type (wall time) is compared, as shares. */
  g_assert_true (sg_compare_page_get_base (page) == find_opened ("base.prof"));
  g_assert_true (sg_compare_page_get_comparison (page) == find_opened ("slower.prof"));
  g_assert_cmpstr (sg_compare_page_get_value_type (page), ==, "wall");
  g_assert_true (sg_compare_page_get_normalised (page));

  /* The summary: both totals and the overall change, as sg_diff has them. */
  shown = sg_compare_page_get_diff (page);
  g_assert_cmpint (sg_diff_get_base_total (shown), ==, sg_diff_get_base_total (wall));
  g_assert_cmpint (sg_diff_get_test_total (shown), ==, sg_diff_get_test_total (wall));
  summary = sg_compare_page_dup_summary (page);
  change = sg_compare_format_change ((double) (sg_diff_get_test_total (wall) - sg_diff_get_base_total (wall)) /
                                     (double) sg_diff_get_base_total (wall));
  base_total = sg_flame_format_value (sg_diff_get_base_total (wall), "nanoseconds");
  test_total = sg_flame_format_value (sg_diff_get_test_total (wall), "nanoseconds");
  g_test_message ("summary: %s", summary);
  g_assert_true (g_str_has_prefix (summary, change));
  g_assert_nonnull (strstr (summary, "Wall Time"));
  g_assert_nonnull (strstr (summary, base_total));
  g_assert_nonnull (strstr (summary, test_total));
  g_assert_true (sg_diff_get_test_total (wall) > sg_diff_get_base_total (wall));

  /* The table's first row is the largest change of share either way. */
  for (guint i = 0; i < sg_diff_get_n_rows (wall); i++)
    {
      const SgDiffRow *r = sg_diff_get_row (wall, i);

      if (expected_first == NULL ||
          fabs (r->test_cum_share - r->base_cum_share) >
          fabs (expected_first->test_cum_share - expected_first->base_cum_share))
        expected_first = r;
    }
  first = g_list_model_get_item (sg_compare_table_get_model (sg_compare_page_get_table (page)), 0);
  g_assert_cmpstr (sg_compare_row_get_function (first), ==, expected_first->function);
  g_assert_cmpfloat_with_epsilon (sg_compare_row_get_base (first), expected_first->base_cum_share, 1e-12);
  g_assert_cmpfloat_with_epsilon (sg_compare_row_get_test (first), expected_first->test_cum_share, 1e-12);
  g_assert_cmpuint (g_list_model_get_n_items (sg_compare_table_get_model (sg_compare_page_get_table (page))),
                    <=, sg_diff_get_n_rows (wall));

  /* render_line did twice the work: it grew its share of the time. */
  row = find_table_row ("render_line");
  ref = find_row (wall, "render_line");
  g_assert_nonnull (row);
  g_assert_cmpint (sg_compare_row_get_base_value (row), ==, ref->base_cum);
  g_assert_cmpint (sg_compare_row_get_test_value (row), ==, ref->test_cum);
  g_assert_cmpfloat (sg_compare_row_get_delta (row), >, 0.05);

  /* Calls are exact: render_line is called 3,000 times in the base and
   * 6,000 in the comparison (its self calls); its total counts its
   * callees' calls too, which cProfile splits between callers. */
  sg_compare_page_set_value_type (page, "calls");
  wait_for_state ("diff");
  g_assert_cmpstr (sg_compare_page_get_value_type (page), ==, "calls");
  sg_compare_page_set_normalised (page, FALSE);
  row = find_table_row ("render_line");
  ref = find_row (calls, "render_line");
  g_assert_cmpint (ref->base_flat, ==, 3000);
  g_assert_cmpint (ref->test_flat, ==, 6000);
  g_assert_cmpint (ref->test_cum, >, 19 * ref->base_cum / 10);
  g_assert_cmpint (sg_compare_row_get_base_value (row), ==, ref->base_cum);
  g_assert_cmpint (sg_compare_row_get_test_value (row), ==, ref->test_cum);
  g_assert_cmpfloat (sg_compare_row_get_base (row), ==, (double) ref->base_cum);
  g_assert_cmpfloat (sg_compare_row_get_change (row), ==,
                    (double) (ref->test_cum - ref->base_cum) / (double) ref->base_cum);
  /* parse_orders did the same work in both (its total is within the
   * rounding of cProfile's split of shared callees). */
  row = find_table_row ("parse_orders");
  ref = find_row (calls, "parse_orders");
  g_assert_cmpint (ref->base_flat, ==, ref->test_flat);
  g_assert_cmpfloat (fabs (sg_compare_row_get_change (row)), <, 0.02);

  /* Colours: render_line's boxes are red, parse_orders' neutral. */
  {
    SgFlameGraph *graph = sg_compare_page_get_flame_graph (page);
    SgProfile *tree;
    const SgFrame *frames;

    g_autoptr(GPtrArray) legend = NULL;

    wait_until (has_layout, graph);
    g_assert_cmpint (sg_flame_graph_get_colors (graph), ==, SG_FLAME_COLORS_DIFF_ABSOLUTE);
    tree = sg_flame_graph_get_profile (graph);
    frames = sg_profile_get_frames (tree);
    for (guint f = 0; f < sg_profile_get_n_frames (tree); f++)
      {
        const char *function = sg_profile_get_string (tree, frames[f].function);
        const GdkRGBA *fill = sg_flame_palette_get_fill (graph->palette, f);

        if (g_str_equal (function, "render_line"))
          g_assert_cmpfloat (fill->red, >, fill->blue + 0.3);
        else if (g_str_equal (function, "parse_orders"))
          g_assert_cmpfloat (fabs (fill->red - fill->blue), <, 0.2);
      }
    legend = sg_flame_graph_dup_legend (graph);
    g_assert_cmpuint (legend->len, ==, 5);
  }

  /* Selecting in the table selects in the flame graph, and back. */
  sg_compare_table_set_selected_function (sg_compare_page_get_table (page), "render_line");
  g_assert_cmpstr (sg_flame_graph_get_selected_function (sg_compare_page_get_flame_graph (page)), ==,
                   "render_line");
  {
    g_autofree char *delta = sg_compare_format_delta (ref->test_cum - ref->base_cum, "count");
    g_assert_true (has_visible_label (delta));
  }
  sg_flame_graph_set_selected_function (sg_compare_page_get_flame_graph (page), "checksum");
  g_assert_cmpstr (sg_compare_table_get_selected_function (sg_compare_page_get_table (page)), ==,
                   "checksum");

  /* Search narrows the table. */
  sg_compare_table_set_filter (sg_compare_page_get_table (page), "render");
  g_assert_cmpuint (g_list_model_get_n_items (sg_compare_table_get_model (sg_compare_page_get_table (page))),
                    ==, 2);
  sg_compare_table_set_filter (sg_compare_page_get_table (page), "");

  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  sg_compare_page_set_normalised (page, TRUE);
  sg_compare_page_set_value_type (page, "wall");
  wait_for_state ("diff");
  sg_compare_table_set_selected_function (sg_compare_page_get_table (page), "render_line");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  settle ();
  save_screenshot ("compare-page-light.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  settle ();
  save_screenshot ("compare-page-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_PREFER_LIGHT);

  /* Swapping: now render_line halves. */
  sg_compare_page_swap (page);
  wait_for_state ("diff");
  g_assert_true (sg_compare_page_get_base (page) == find_opened ("slower.prof"));
  sg_compare_page_set_value_type (page, "calls");
  sg_compare_page_set_normalised (page, FALSE);
  wait_for_state ("diff");
  row = find_table_row ("render_line");
  ref = find_row (calls, "render_line");
  g_assert_cmpint (sg_compare_row_get_base_value (row), ==, ref->test_cum);
  g_assert_cmpfloat (sg_compare_row_get_change (row), ==,
                    (double) (ref->base_cum - ref->test_cum) / (double) ref->test_cum);
  g_assert_cmpfloat (sg_compare_row_get_change (row), <, -0.45);
  sg_compare_page_set_normalised (page, TRUE);
  sg_compare_page_set_value_type (page, "wall");
  wait_for_state ("diff");
}

static void
test_no_common_type (void)
{
  SgComparePage *page = get_page ();
  g_autoptr(GFile) go = fixture ("go-cpu.pb.gz");
  g_autoptr(GFile) pstats = fixture ("fib.pstats");

  close_all ();
  open_and_wait (go);
  open_and_wait (pstats);
  sg_window_show_page (window, "compare");
  /* A Go CPU profile (samples, cpu) and cProfile (wall, calls). */
  wait_for_state ("no-common");
  g_assert_null (sg_compare_page_get_value_type (page));
  g_assert_true (has_visible_label ((gpointer) "Nothing in Common to Compare"));
  g_assert_true (has_visible_label ((gpointer) "cpu (nanoseconds)"));
  g_assert_true (has_visible_label ((gpointer) "wall (nanoseconds)"));
  settle ();
  save_screenshot ("compare-page-no-common.png");
}

static void
test_compare_with (void)
{
  SgComparePage *page = get_page ();
  g_autoptr(GFile) base = compare_fixture ("base.prof");
  g_autoptr(GFile) slower = compare_fixture ("slower.prof");
  g_autofree char *uri = g_file_get_uri (slower);
  GtkWidget *sidebar;

  close_all ();
  open_and_wait (base);
  open_and_wait (slower);
  sg_window_show_page (window, "profile");

  /* What the sidebar row's context menu item does. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.compare-with", "s", uri);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (get_stack ()), ==, "compare");
  wait_for_state ("diff");
  g_assert_true (sg_compare_page_get_base (page) == find_opened ("slower.prof"));
  g_assert_true (sg_compare_page_get_comparison (page) == find_opened ("base.prof"));

  /* Closing the comparison leaves one profile: back to the empty state. */
  sidebar = find_descendant (GTK_WIDGET (window), is_type, GSIZE_TO_POINTER (SG_TYPE_SIDEBAR));
  g_signal_emit_by_name (sidebar, "profile-close-requested", find_opened ("base.prof"));
  wait_for_state ("empty");
  g_assert_null (sg_compare_page_get_comparison (page));
  g_assert_true (sg_compare_page_get_base (page) == find_opened ("slower.prof"));
}

/* Two real Go CPU profiles (runtime/pprof): both have samples/count and
 * cpu/nanoseconds, so both are offered, cpu (pprof's default) first; the
 * figures follow sg_diff on either type, and the recording lengths are
 * shown since both profiles have them. */
static void
test_go_pprof (void)
{
  SgComparePage *page = get_page ();
  g_autoptr(GFile) base = g_file_new_for_path (g_test_get_filename (G_TEST_DIST, "fixtures", "go", "cpu.pb.gz", NULL));
  g_autoptr(GFile) test = fixture ("go-cpu.pb.gz");
  g_autofree char *base_path = g_file_get_path (base);
  g_autofree char *test_path = g_file_get_path (test);
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) b = sg_profile_load_file (base_path, &error);
  g_autoptr(SgProfile) t = sg_profile_load_file (test_path, &error);
  const char *types[] = { "cpu", "samples" };

  g_assert_no_error (error);
  close_all ();
  open_and_wait (base);
  open_and_wait (test);
  sg_window_show_page (window, "compare");
  wait_for_state ("diff");
  g_assert_cmpstr (sg_compare_page_get_value_type (page), ==, "cpu");
  g_assert_true (has_visible_label ((gpointer) "Recorded over"));

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(SgDiff) diff = sg_diff_new (b, t, types[i], &error);
      g_autofree char *summary = NULL;
      g_autofree char *change = NULL;
      SgDiff *shown;

      g_assert_no_error (error);
      sg_compare_page_set_value_type (page, types[i]);
      wait_for_state ("diff");
      shown = sg_compare_page_get_diff (page);
      g_assert_cmpstr (sg_diff_get_value_type (shown), ==, types[i]);
      g_assert_cmpint (sg_diff_get_base_total (shown), ==, sg_diff_get_base_total (diff));
      g_assert_cmpint (sg_diff_get_test_total (shown), ==, sg_diff_get_test_total (diff));
      g_assert_cmpuint (sg_diff_get_n_rows (shown), ==, sg_diff_get_n_rows (diff));
      change = sg_compare_format_change ((double) (sg_diff_get_test_total (diff) - sg_diff_get_base_total (diff)) /
                                         (double) sg_diff_get_base_total (diff));
      summary = sg_compare_page_dup_summary (page);
      g_test_message ("%s: %s", types[i], summary);
      g_assert_true (g_str_has_prefix (summary, change));
      g_assert_true (change[0] == '-');
    }
  close_all ();
}

static gboolean
has_no_parent (gpointer widget)
{
  return gtk_widget_get_parent (widget) == NULL;
}

static gboolean
is_profile_row (GtkWidget     *widget,
                gconstpointer  profile)
{
  return GTK_IS_LIST_BOX_ROW (widget) && g_object_get_data (G_OBJECT (widget), "sg-profile") == profile;
}

/* The sidebar row's context menu, opened from the keyboard (Shift+F10),
 * offers Compare With… for that profile's URI. */
static void
test_sidebar_menu (void)
{
  g_autoptr(GFile) base = compare_fixture ("base.prof");
  g_autoptr(GFile) slower = compare_fixture ("slower.prof");
  g_autofree char *uri = g_file_get_uri (base);
  g_autoptr(GListModel) controllers = NULL;
  GtkWidget *row;
  GtkWidget *popover = NULL;
  GMenuModel *menu;
  g_autoptr(GVariant) target = NULL;
  g_autofree char *action = NULL;
  gboolean opened = FALSE;

  close_all ();
  open_and_wait (base);
  open_and_wait (slower);
  settle ();
  row = find_descendant (GTK_WIDGET (window), is_profile_row, find_opened ("base.prof"));
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_mapped (row));

  controllers = gtk_widget_observe_controllers (row);
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !opened; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          opened = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, row, NULL);
        }
    }
  g_assert_true (opened);

  for (GtkWidget *child = gtk_widget_get_first_child (row); child; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER_MENU (child))
      popover = child;
  g_assert_nonnull (popover);
  /* Held: a popover can close itself at once under Xvfb (focus moves),
   * and a closed menu takes itself off the row. */
  g_object_ref (popover);
  menu = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover));
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 1);
  g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
  g_assert_cmpstr (action, ==, "win.compare-with");
  target = g_menu_model_get_item_attribute_value (menu, 0, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, uri);
  gtk_popover_popdown (GTK_POPOVER (popover));
  wait_until (has_no_parent, popover);
  g_object_unref (popover);
  close_all ();
}

/* A file that looks like cProfile output but is cut short: listed (its
 * format is recognised) but cannot be parsed, so the comparison fails
 * with the importer's reason and a way to try again. */
static void
test_unreadable (void)
{
  g_autoptr(GFile) base = compare_fixture ("base.prof");
  g_autoptr(GBytes) bytes = g_file_load_bytes (base, NULL, NULL, NULL);
  g_autoptr(GFile) cut = temp_file ("cut-short.prof", g_bytes_get_data (bytes, NULL),
                                    g_bytes_get_size (bytes) / 2);

  close_all ();
  open_and_wait (base);
  open_and_wait (cut);
  sg_window_show_page (window, "compare");
  wait_for_state ("error");
  g_assert_true (has_visible_label ((gpointer) "Could Not Compare"));
  g_assert_true (has_visible_label ((gpointer) "cut-short.prof"));
  g_assert_null (sg_compare_page_get_diff (get_page ()));
  close_all ();
}

int
main (int   argc,
      char *argv[])
{
  if (!sg_ui_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/ui/compare/empty", test_empty);
  g_test_add_func ("/ui/compare/pstats-diff", test_pstats_diff);
  g_test_add_func ("/ui/compare/go-pprof", test_go_pprof);
  g_test_add_func ("/ui/compare/no-common-type", test_no_common_type);
  g_test_add_func ("/ui/compare/compare-with", test_compare_with);
  g_test_add_func ("/ui/compare/unreadable", test_unreadable);
  g_test_add_func ("/ui/compare/sidebar-menu", test_sidebar_menu);

  return sg_ui_test_finish (g_test_run ());
}
