/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * The Profile page under Xvfb with real profiles from tests/fixtures/:
 * loading on a worker thread (and cancelling it), a broken file's error
 * page, selection kept in sync between the top table and the flame graph,
 * the table's sort order and filter, focus/hide filters as chips checked
 * against sg_profile_filter() run directly, the view switcher (time order,
 * sandwich), and screenshots in light and dark saved in the build dir
 * (profile-page-*.png).
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "sg-analysis.h"
#include "sg-profile-io.h"
#include "sg-profile-page.h"
#include "sg-top-table-row.h"
#include "sg-ui-test.h"

static GtkWindow *toplevel;
static SgProfilePage *page;

static gboolean
page_idle (gpointer data)
{
  return !sg_profile_page_get_busy (page);
}

static gboolean
is_shown (gpointer data)
{
  return g_strcmp0 (sg_profile_page_get_state (page), "profile") == 0 &&
         !sg_profile_page_get_busy (page);
}

static gboolean
is_error (gpointer data)
{
  return g_strcmp0 (sg_profile_page_get_state (page), "error") == 0 &&
         !sg_profile_page_get_busy (page);
}

static void
open_fixture (const char *dir,
              const char *name)
{
  g_autoptr(SgProfileFile) file = sg_ui_test_read_fixture (dir, name);

  sg_profile_page_set_profile (page, file);
  wait_until (is_shown, NULL);
  sg_ui_test_flush_frames (3);
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_is_drawable (root) &&
      strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_load_and_screenshots (void)
{
  static const struct { const char *dir, *file, *shot; } profiles[] = {
    { "go", "cpu.pb.gz", "go-cpu" },
    { "agent", "shop-flask-cpu.pb.gz", "agent-cpu" },
    { "pstats", "werkzeug-app.prof", "werkzeug" },
    { "speedscope", "python-recorder.speedscope.json", "python" },
  };
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      g_autofree char *path = sg_ui_test_fixture_path (profiles[i].dir, profiles[i].file);
      g_autoptr(GError) error = NULL;
      g_autoptr(SgProfile) reference = sg_profile_load_file (path, &error);
      SgProfile *shown;

      if (reference == NULL)
        {
          /* The loader may not read this format yet (another branch). */
          g_test_message ("skipping %s: %s", profiles[i].file, error->message);
          continue;
        }

      open_fixture (profiles[i].dir, profiles[i].file);
      shown = sg_profile_page_get_shown_profile (page);
      g_assert_nonnull (shown);
      /* What the page shows is what the loader reads. */
      g_assert_cmpuint (sg_profile_get_n_nodes (shown), ==, sg_profile_get_n_nodes (reference));
      g_assert_cmpint (sg_profile_get_total (shown, sg_profile_page_get_value_index (page)), ==,
                       sg_profile_get_total (reference, sg_profile_page_get_value_index (page)));
      g_assert_cmpint (sg_flame_layout_get_total (sg_flame_graph_get_layout (sg_profile_page_get_flame_graph (page))),
                       ==, sg_profile_get_total (reference, sg_profile_page_get_value_index (page)));

      for (int dark = 0; dark <= 1; dark++)
        {
          g_autofree char *name = g_strdup_printf ("profile-page-%s-%s.png", profiles[i].shot,
                                                   dark ? "dark" : "light");

          adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                          : ADW_COLOR_SCHEME_FORCE_LIGHT);
          sg_ui_test_flush_frames (4);
          sg_ui_test_save_screenshot (GTK_WIDGET (toplevel), name);
        }
      adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
    }
}

static void
test_table_sorted_and_filtered (void)
{
  SgTopTable *table;
  GListModel *model;
  guint n, n_filtered;
  gint64 previous = G_MAXINT64;

  open_fixture ("pstats", "werkzeug-app.prof");
  table = sg_profile_page_get_top_table (page);
  model = sg_top_table_get_model (table);
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, >, 10);

  /* Heaviest self first. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SgTopTableRow) row = g_list_model_get_item (model, i);

      g_assert_cmpint (sg_top_table_row_get_self (row), <=, previous);
      previous = sg_top_table_row_get_self (row);
    }

  /* Filtering by text keeps only matching functions or files. */
  sg_top_table_set_filter (table, "JSON");
  n_filtered = g_list_model_get_n_items (model);
  g_assert_cmpuint (n_filtered, >, 0);
  g_assert_cmpuint (n_filtered, <, n);
  for (guint i = 0; i < n_filtered; i++)
    {
      g_autoptr(SgTopTableRow) row = g_list_model_get_item (model, i);

      g_assert_nonnull (strstr (sg_top_table_row_get_search_key (row), "json"));
    }
  sg_top_table_set_filter (table, "");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
}

static void
test_selection_sync (void)
{
  SgFlameGraph *graph;
  SgTopTable *table;
  GtkSingleSelection *selection;
  g_autoptr(SgTopTableRow) selected = NULL;

  open_fixture ("pstats", "werkzeug-app.prof");
  graph = sg_profile_page_get_flame_graph (page);
  table = sg_profile_page_get_top_table (page);
  selection = GTK_SINGLE_SELECTION (sg_top_table_get_model (table));

  /* Table → graph (and sandwich). */
  sg_top_table_set_selected_function (table, "fib");
  g_assert_cmpstr (sg_flame_graph_get_selected_function (graph), ==, "fib");
  g_assert_cmpstr (sg_sandwich_get_function (sg_profile_page_get_sandwich (page)), ==, "fib");
  g_assert_nonnull (gtk_single_selection_get_selected_item (selection));
  g_assert_cmpstr (sg_top_table_row_get_function (gtk_single_selection_get_selected_item (selection)),
                   ==, "fib");

  /* A row picked by the user, through the selection model. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (selection)); i++)
    {
      g_autoptr(SgTopTableRow) row = g_list_model_get_item (G_LIST_MODEL (selection), i);

      if (g_str_equal (sg_top_table_row_get_function (row), "primes"))
        {
          gtk_single_selection_set_selected (selection, i);
          break;
        }
    }
  g_assert_cmpstr (sg_flame_graph_get_selected_function (graph), ==, "primes");

  /* Graph → table: zooming into a frame with the keyboard selects it. */
  {
    SgFlameLayout *layout = sg_flame_graph_get_layout (graph);
    const SgFlameBox *boxes = sg_flame_layout_get_boxes (layout, NULL);
    guint box = sg_flame_layout_get_first_child (layout, 0);
    const char *name = sg_profile_get_frame_function (sg_flame_graph_get_profile (graph),
                                                      boxes[box].frame);

    sg_flame_graph_set_cursor (graph, box);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (graph), "flame.zoom-in", NULL));
    g_assert_cmpstr (sg_top_table_get_selected_function (table), ==, name);
    selected = g_object_ref (gtk_single_selection_get_selected_item (selection));
    g_assert_cmpstr (sg_top_table_row_get_function (selected), ==, name);
    sg_flame_graph_zoom_reset (graph);
  }
  sg_ui_test_flush_frames (3);
  sg_ui_test_save_screenshot (GTK_WIDGET (toplevel), "profile-page-selection.png");
}

static gint64
filtered_total (SgProfile    *profile,
                SgFilterKind  kind,
                const char   *function)
{
  g_autofree char *escaped = g_regex_escape_string (function, -1);
  g_autofree char *pattern = g_strdup_printf ("^%s$", escaped);
  SgFilterRule rule = { kind, pattern, TRUE };
  g_autoptr(SgProfile) filtered = sg_profile_filter (profile, &rule, 1, NULL);

  g_assert_nonnull (filtered);
  return sg_profile_get_total (filtered, 0);
}

static gboolean
table_has_function (const char *function)
{
  GListModel *model = sg_top_table_get_model (sg_profile_page_get_top_table (page));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SgTopTableRow) row = g_list_model_get_item (model, i);

      if (g_str_equal (sg_top_table_row_get_function (row), function))
        return TRUE;
    }
  return FALSE;
}

static void
test_filters (void)
{
  SgProfile *original;
  gint64 total, expected;
  SgFlameGraph *graph;

  open_fixture ("pstats", "werkzeug-app.prof");
  original = sg_profile_ref (sg_profile_page_get_shown_profile (page));
  graph = sg_profile_page_get_flame_graph (page);
  total = sg_profile_get_total (original, 0);

  /* Focus through the flame graph's context-menu signal, as a user does. */
  expected = filtered_total (original, SG_FILTER_FOCUS, "fib");
  g_assert_cmpint (expected, <, total);
  g_signal_emit_by_name (graph, "filter-requested", SG_FLAME_FILTER_FOCUS, "fib");
  wait_until (page_idle, NULL);
  g_assert_cmpuint (sg_profile_page_get_n_filters (page), ==, 1);
  g_assert_cmpint (sg_profile_get_total (sg_profile_page_get_shown_profile (page), 0), ==, expected);
  g_assert_cmpint (sg_flame_layout_get_total (sg_flame_graph_get_layout (graph)), ==, expected);
  sg_ui_test_flush_frames (2);
  g_assert_nonnull (find_label (GTK_WIDGET (page), "fib"));
  sg_ui_test_save_screenshot (GTK_WIDGET (toplevel), "profile-page-filter.png");

  /* Removing the chip brings the whole profile back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "profile.remove-filter", "u", 0));
  wait_until (page_idle, NULL);
  g_assert_cmpuint (sg_profile_page_get_n_filters (page), ==, 0);
  g_assert_cmpint (sg_profile_get_total (sg_profile_page_get_shown_profile (page), 0), ==, total);

  /* Hiding a function keeps its samples but drops it from the table. */
  g_assert_true (table_has_function ("dispatch_request"));
  sg_profile_page_add_filter (page, SG_FLAME_FILTER_HIDE, "dispatch_request");
  wait_until (page_idle, NULL);
  g_assert_cmpint (sg_profile_get_total (sg_profile_page_get_shown_profile (page), 0), ==, total);
  g_assert_false (table_has_function ("dispatch_request"));

  /* Show-from stacked on top: the rules apply in order. */
  sg_profile_page_add_filter (page, SG_FLAME_FILTER_SHOW_FROM, "primes");
  wait_until (page_idle, NULL);
  g_assert_cmpuint (sg_profile_page_get_n_filters (page), ==, 2);
  g_assert_cmpint (sg_profile_get_total (sg_profile_page_get_shown_profile (page), 0), <, total);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "profile.clear-filters", NULL));
  wait_until (page_idle, NULL);
  g_assert_cmpuint (sg_profile_page_get_n_filters (page), ==, 0);

  /* A filter that leaves nothing is refused and undone. */
  sg_profile_page_add_filter (page, SG_FLAME_FILTER_FOCUS, "no_such_function_anywhere");
  wait_until (page_idle, NULL);
  g_assert_cmpuint (sg_profile_page_get_n_filters (page), ==, 0);
  g_assert_cmpint (sg_profile_get_total (sg_profile_page_get_shown_profile (page), 0), ==, total);

  sg_profile_unref (original);
}

static void
test_views (void)
{
  SgFlameGraph *graph;
  SgSandwich *sandwich;

  open_fixture ("pstats", "werkzeug-app.prof");
  graph = sg_profile_page_get_flame_graph (page);
  sandwich = sg_profile_page_get_sandwich (page);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "profile.view", "s", "time"));
  wait_until (page_idle, NULL);
  g_assert_cmpint (sg_flame_graph_get_mode (graph), ==, SG_FLAME_MODE_TIME_ORDER);

  sg_top_table_set_selected_function (sg_profile_page_get_top_table (page), "match");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "profile.view", "s", "sandwich"));
  wait_until (page_idle, NULL);
  while (sg_sandwich_get_loading (sandwich))
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (sg_sandwich_get_function (sandwich), ==, "match");
  g_assert_nonnull (sg_flame_graph_get_layout (sg_sandwich_get_callers (sandwich)));
  g_assert_nonnull (sg_flame_graph_get_layout (sg_sandwich_get_callees (sandwich)));
  /* Both halves account for the function's whole total, once. */
  g_assert_cmpint (sg_flame_layout_get_total (sg_flame_graph_get_layout (sg_sandwich_get_callers (sandwich))),
                   ==,
                   sg_flame_layout_get_total (sg_flame_graph_get_layout (sg_sandwich_get_callees (sandwich))));
  sg_ui_test_flush_frames (4);
  sg_ui_test_save_screenshot (GTK_WIDGET (toplevel), "profile-page-sandwich.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "profile.view", "s", "flame"));
  wait_until (page_idle, NULL);
  g_assert_cmpint (sg_flame_graph_get_mode (graph), ==, SG_FLAME_MODE_MERGED);
}

static void
test_bad_file (void)
{
  g_autofree char *good = sg_ui_test_fixture_path ("speedscope", "python-recorder.speedscope.json");
  g_autofree char *contents = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(SgProfileFile) profile_file = NULL;
  gsize len;

  /* A real speedscope file cut in half: recognised, but unreadable. */
  g_assert_true (g_file_get_contents (good, &contents, &len, NULL));
  path = g_test_build_filename (G_TEST_BUILT, "truncated.speedscope.json", NULL);
  g_assert_true (g_file_set_contents (path, contents, len / 2, NULL));
  file = g_file_new_for_path (path);
  profile_file = sg_ui_test_read_profile_file (file);

  sg_profile_page_set_profile (page, profile_file);
  wait_until (is_error, NULL);
  sg_ui_test_flush_frames (2);
  g_assert_nonnull (find_label (GTK_WIDGET (page), "truncated.speedscope.json"));
  sg_ui_test_save_screenshot (GTK_WIDGET (toplevel), "profile-page-error.png");
}

static void
test_cancel (void)
{
  g_autoptr(SgProfileFile) file = sg_ui_test_read_fixture ("pstats", "werkzeug-app.prof");

  sg_profile_page_set_profile (page, NULL);
  g_assert_cmpstr (sg_profile_page_get_state (page), ==, "empty");

  sg_profile_page_set_profile (page, file);
  g_assert_cmpstr (sg_profile_page_get_state (page), ==, "loading");
  g_assert_true (sg_profile_page_get_busy (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "profile.cancel", NULL));
  g_assert_cmpstr (sg_profile_page_get_state (page), ==, "error");
  g_assert_false (sg_profile_page_get_busy (page));
  /* The worker's late result must not replace the cancelled state. */
  sg_ui_test_flush_frames (10);
  g_assert_cmpstr (sg_profile_page_get_state (page), ==, "error");
  g_assert_nonnull (find_label (GTK_WIDGET (page), "werkzeug-app.prof"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "profile.reload", NULL));
  wait_until (is_shown, NULL);
}

static void
test_value_types (void)
{
  SgProfile *shown;
  SgFlameGraph *graph;
  guint wall;

  open_fixture ("agent", "shop-flask-cpu.pb.gz");
  shown = sg_profile_page_get_shown_profile (page);
  graph = sg_profile_page_get_flame_graph (page);
  g_assert_cmpuint (sg_profile_get_n_value_types (shown), ==, 3);
  /* The agent marks CPU as the default. */
  g_assert_cmpstr (sg_profile_get_value_type (shown, sg_profile_page_get_value_index (page)), ==, "cpu");
  g_assert_true (sg_profile_find_value_type (shown, "wall", &wall));

  /* Taller than its pane: the flame graph opens scrolled to its root. */
  {
    GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (graph), GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    /* Allocation and the scroll after it take a few frames on a busy
     * machine: wait for the graph to be drawn at its root (fails after 10 s). */
    do
      {
        graphene_point_t q;

        g_main_context_iteration (NULL, FALSE);
        if (gtk_adjustment_get_upper (adj) > gtk_adjustment_get_page_size (adj) &&
            ABS (gtk_adjustment_get_value (adj) -
                 (gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj))) < 0.5 &&
            gtk_widget_compute_point (GTK_WIDGET (graph), scroller, &GRAPHENE_POINT_INIT (0, 0), &q) &&
            ABS (q.y + gtk_adjustment_get_value (adj)) < 0.5)
          break;
      }
    while (g_get_monotonic_time () < deadline);
    g_assert_cmpfloat (gtk_adjustment_get_upper (adj), >, gtk_adjustment_get_page_size (adj));
    g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (adj),
                                    gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj),
                                    0.5);
    /* And the graph really moved: its bottom row is on screen. */
    {
      graphene_point_t p;

      g_assert_true (gtk_widget_compute_point (GTK_WIDGET (graph), scroller,
                                               &GRAPHENE_POINT_INIT (0, 0), &p));
      g_assert_cmpfloat_with_epsilon (p.y, -gtk_adjustment_get_value (adj), 0.5);
    }
  }

  sg_profile_page_set_value_index (page, wall);
  wait_until (page_idle, NULL);
  g_assert_cmpuint (sg_flame_layout_get_value_index (sg_flame_graph_get_layout (graph)), ==, wall);
  g_assert_cmpint (sg_flame_layout_get_total (sg_flame_graph_get_layout (graph)), ==,
                   sg_profile_get_total (shown, wall));
  /* Wall time includes waiting: more than the CPU time of the same samples. */
  g_assert_cmpint (sg_profile_get_total (shown, wall), >,
                   sg_profile_get_total (shown, sg_profile_get_default_value (shown)));
  {
    GListModel *rows = sg_top_table_get_model (sg_profile_page_get_top_table (page));
    g_autoptr(SgTopTableRow) first = g_list_model_get_item (rows, 0);
    gint64 max_self = 0;
    g_autoptr(GArray) top = sg_profile_top (shown, SG_TOP_BY_FUNCTION, wall);

    for (guint i = 0; i < top->len; i++)
      max_self = MAX (max_self, g_array_index (top, SgTopRow, i).flat);
    /* The table follows: its first row is the heaviest by wall time. */
    g_assert_cmpint (sg_top_table_row_get_self (first), ==, max_self);
  }
  sg_ui_test_flush_frames (3);
  sg_ui_test_save_screenshot (GTK_WIDGET (toplevel), "profile-page-agent-wall.png");

  /* Time order: one lane per thread, and the same total. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "profile.view", "s", "time"));
  wait_until (page_idle, NULL);
  g_assert_cmpint (sg_flame_layout_get_total (sg_flame_graph_get_layout (graph)), ==,
                   sg_profile_get_total (shown, wall));
  sg_ui_test_flush_frames (3);
  sg_ui_test_save_screenshot (GTK_WIDGET (toplevel), "profile-page-agent-time-order.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "profile.view", "s", "flame"));
  wait_until (page_idle, NULL);
}

static void
test_search (void)
{
  SgFlameGraph *graph;
  GtkWidget *entry;
  GtkWidget *root;

  open_fixture ("pstats", "werkzeug-app.prof");
  graph = sg_profile_page_get_flame_graph (page);
  root = GTK_WIDGET (page);

  /* Ctrl+F (profile.search) puts the keyboard in the search entry. */
  g_assert_true (gtk_widget_activate_action (root, "profile.search", NULL));
  entry = gtk_root_get_focus (gtk_widget_get_root (root));
  g_assert_nonnull (entry);
  entry = gtk_widget_get_ancestor (entry, GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);

  gtk_editable_set_text (GTK_EDITABLE (entry), "fib");
  /* The entry reports changes after a short delay. */
  while (sg_flame_graph_get_match_fraction (graph) < 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpfloat (sg_flame_graph_get_match_fraction (graph), >, 0);
  g_assert_cmpfloat (sg_flame_graph_get_match_fraction (graph), <, 1);
  sg_ui_test_flush_frames (2);
  g_assert_nonnull (find_label (root, "matched"));
  sg_ui_test_save_screenshot (GTK_WIDGET (toplevel), "profile-page-search.png");

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  while (sg_flame_graph_get_match_fraction (graph) >= 0)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int    argc,
      char **argv)
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Screenshots must not catch a crossfade half-way. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  toplevel = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (toplevel, 1280, 800);
  page = g_object_new (SG_TYPE_PROFILE_PAGE, NULL);
  gtk_window_set_child (toplevel, GTK_WIDGET (page));
  gtk_window_present (toplevel);
  sg_ui_test_flush_frames (3);

  g_test_add_func ("/ui/profile-page/load-and-screenshots", test_load_and_screenshots);
  g_test_add_func ("/ui/profile-page/table-sorted-and-filtered", test_table_sorted_and_filtered);
  g_test_add_func ("/ui/profile-page/selection-sync", test_selection_sync);
  g_test_add_func ("/ui/profile-page/filters", test_filters);
  g_test_add_func ("/ui/profile-page/views", test_views);
  g_test_add_func ("/ui/profile-page/value-types", test_value_types);
  g_test_add_func ("/ui/profile-page/search", test_search);
  g_test_add_func ("/ui/profile-page/bad-file", test_bad_file);
  g_test_add_func ("/ui/profile-page/cancel", test_cancel);

  status = g_test_run ();
  gtk_window_destroy (toplevel);
  return status;
}
