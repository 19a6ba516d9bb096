/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The Memory page end to end, under Xvfb: the example shop runs under the
 * real agent in a child process.  Without an agent the page says to
 * connect one; with it, the test starts a recording from the page, asks
 * the shop for its memory-hungry sales report, stops, and checks the table
 * holds the report's allocating line with an increment of the right size;
 * then filtering, export, the heap profile on the Profile page, a timed
 * recording that ends by itself, "already recording" from another client,
 * and the agent going away.  Screenshots land in the build dir. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sg-application.h"
#include "sg-debug-page.h"
#include "sg-memory-page.h"
#include "sg-profile-file.h"
#include "sg-source-view.h"
#include "sg-test-agent.h"
#include "sg-ui-test-helpers.h"
#include "sg-window.h"

#define TOKEN "ui-test-token-0123456789abcdef"
#define REPORT_TEXT "sales.append({"

static SgApplication *app;
static SgWindow *window;
static SgMemoryPage *page;
static SgDebugPage *debug_page;
static SgTestShop *service;
static char *agent_dir;

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition cond,
            gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!cond (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
save_screenshot (const char *name)
{
  GtkWidget *widget = GTK_WIDGET (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  /* On a loaded machine the first frame may not be drawn yet. */
  while (node == NULL)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          sg_ui_test_flush_frames (5);
        }
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".", name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot saved to %s", path);
}

static void
screenshots (const char *stem)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light = g_strdup_printf ("screenshot-%s-light.png", stem);
  g_autofree char *dark = g_strdup_printf ("screenshot-%s-dark.png", stem);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  sg_ui_test_flush_frames (10);
  save_screenshot (light);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  sg_ui_test_flush_frames (10);
  save_screenshot (dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}


/* --- conditions ------------------------------------------------------------------ */

static gboolean
has_status (gpointer data)
{
  return sg_memory_page_get_status (page) != NULL;
}

static gboolean
is_recording (gpointer data)
{
  SgAgentMemoryStatus *status = sg_memory_page_get_status (page);

  return status != NULL && sg_agent_memory_status_get_current (status) != NULL && !sg_memory_page_is_busy (page);
}

static gboolean
is_idle (gpointer data)
{
  SgAgentMemoryStatus *status = sg_memory_page_get_status (page);

  return status != NULL && sg_agent_memory_status_get_current (status) == NULL && !sg_memory_page_is_busy (page);
}

static gboolean
shows_other_than (gpointer previous)
{
  SgAgentMemory *shown = sg_memory_page_get_shown (page);

  return shown != NULL && shown != previous && !sg_memory_page_is_busy (page);
}

static gboolean
shows_id (gpointer id)
{
  SgAgentMemory *shown = sg_memory_page_get_shown (page);

  return shown != NULL && g_strcmp0 (sg_agent_memory_get_id (shown), id) == 0;
}

static gboolean
message_contains (gpointer text)
{
  const char *message = sg_memory_page_get_last_message (page);

  return message != NULL && strstr (message, text) != NULL;
}

static gboolean
state_contains (gpointer text)
{
  return strstr (sg_memory_page_get_state_text (page), text) != NULL;
}

static gboolean
profile_opened (gpointer data)
{
  return g_list_model_get_n_items (sg_window_get_profiles (window)) > 0 && sg_window_get_n_loading (window) == 0;
}

static gboolean
toggle_flag (gpointer flag)
{
  *(gboolean *) flag = TRUE;
  return G_SOURCE_REMOVE;
}

static void
sleep_in_loop (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, toggle_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static SgAgentMemoryLine *
find_line (GListModel *lines,
           const char *text)
{
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(SgAgentMemoryLine) line = g_list_model_get_item (lines, i);

      if (g_strcmp0 (sg_agent_memory_line_get_text (line), text) == 0 ||
          (sg_agent_memory_line_get_text (line) && g_str_has_prefix (sg_agent_memory_line_get_text (line), text)))
        return line;
    }
  return NULL;
}

static gboolean
has_mapped_status_page (GtkWidget  *root,
                        const char *title)
{
  if (ADW_IS_STATUS_PAGE (root) && gtk_widget_get_mapped (root) &&
      g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (root)), title) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    if (has_mapped_status_page (child, title))
      return TRUE;
  return FALSE;
}

/* The page's filter, not the search entry inside the results drop-down. */
static GtkSearchEntry *
find_filter_entry (GtkWidget *root)
{
  if (GTK_IS_DROP_DOWN (root))
    return NULL;
  if (GTK_IS_SEARCH_ENTRY (root))
    return GTK_SEARCH_ENTRY (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkSearchEntry *found = find_filter_entry (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* --- tests ------------------------------------------------------------------------- */

static void
test_no_agent (void)
{
  GtkWidget *stack = sg_ui_test_find_by_type (GTK_WIDGET (page), GTK_TYPE_STACK);

  sg_window_show_page (window, "memory");
  sg_ui_test_flush_frames (5);
  g_assert_null (sg_memory_page_get_agent (page));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "no-agent");
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (page), "memory.start", NULL) &&
                  sg_memory_page_is_busy (page));
  screenshots ("memory-no-agent");
}

static void
test_idle (void)
{
  g_autofree char *address = g_strdup_printf ("http://127.0.0.1:%u", service->agent_port);
  SgAgentClient *client;
  const char *cost;

  /* Connected on the Debug page: the Memory page follows its current agent. */
  client = sg_debug_agents_add (sg_debug_page_get_agents (debug_page), address, TOKEN, FALSE);
  g_assert_true (sg_debug_page_get_current_agent (debug_page) == client);
  g_assert_true (sg_memory_page_get_agent (page) == client);
  wait_until (has_status, NULL);

  /* The cost is said before anything starts: the agent's measured figure. */
  cost = sg_memory_page_get_cost_text (page);
  g_assert_nonnull (cost);
  g_assert_nonnull (strstr (cost, "slower"));
  g_assert_nonnull (strstr (sg_memory_page_get_state_text (page), "Idle"));
  g_assert_true (gtk_widget_is_sensitive (sg_ui_test_find_by_type (GTK_WIDGET (page),
                                                                   GTK_TYPE_SPIN_BUTTON)));
  sg_ui_test_flush_frames (5);
  screenshots ("memory-idle");
}

static void
test_record (void)
{
  SgAgentMemory *shown;
  SgAgentMemoryLine *line;
  g_autofree char *report = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *tsv = NULL;
  GtkSearchEntry *entry;
  guint all;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "memory.start", NULL));
  wait_until (is_recording, NULL);
  sleep_in_loop (1100);
  g_assert_true (state_contains ("Recording · 0:0"));
  /* No result yet: the page says what to do while it records. */
  g_assert_true (has_mapped_status_page (GTK_WIDGET (page), "Recording"));
  screenshots ("memory-recording");

  /* The shop's memory-hungry endpoint builds ~40,000 dicts in one list. */
  report = sg_test_shop_get (service, "/api/reports/sales?days=10");
  g_assert_nonnull (strstr (report, "\"sales\": 40000"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "memory.stop", NULL));
  wait_until (shows_other_than, NULL);
  wait_until (is_idle, NULL);
  shown = sg_memory_page_get_shown (page);
  g_assert_true (sg_agent_memory_is_ready (shown));
  g_assert_cmpint (sg_agent_memory_get_traced_peak_bytes (shown), >, 4 * 1024 * 1024);

  /* The allocating line, first (biggest increment), of the right size:
   * 40,000 dicts of six keys are about 10 MB in CPython. */
  line = find_line (sg_memory_page_get_visible_lines (page), REPORT_TEXT);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_suffix (sg_agent_memory_line_get_file (line), "examples/shop/handlers.py"));
  g_assert_cmpstr (sg_agent_memory_line_get_function (line), ==, "Shop.sales_report");
  g_assert_cmpint (sg_agent_memory_line_get_increment_bytes (line), >, 4 * 1024 * 1024);
  g_assert_cmpint (sg_agent_memory_line_get_increment_bytes (line), <, 64 * 1024 * 1024);
  g_assert_cmpint (sg_agent_memory_line_get_allocations (line), >, 30000);
  {
    g_autoptr(SgAgentMemoryLine) first = g_list_model_get_item (sg_memory_page_get_visible_lines (page), 0);
    g_assert_true (first == line);
  }
  sg_ui_test_flush_frames (5);
  screenshots ("memory-result");

  /* Export writes what is shown, sizes in bytes. */
  csv = sg_memory_page_dup_table_text (page, SG_AGENT_MEMORY_TEXT_CSV);
  g_assert_true (g_str_has_prefix (csv, "file,line,function,text,increment_bytes,"));
  g_assert_nonnull (strstr (csv, "Shop.sales_report,\"sales.append({\"\"day\"\": day"));
  tsv = sg_memory_page_dup_table_text (page, SG_AGENT_MEMORY_TEXT_TSV);
  g_assert_nonnull (strstr (tsv, "\tShop.sales_report\tsales.append({\"day\": day"));
  {
    g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "memory.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *saved = NULL;

    sg_memory_page_save_table (page, file, SG_AGENT_MEMORY_TEXT_CSV);
    wait_until (message_contains, "Saved the table to");
    g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
    g_assert_cmpstr (saved, ==, csv);
  }

  /* The filter narrows the table to matching lines. */
  all = g_list_model_get_n_items (sg_memory_page_get_visible_lines (page));
  /* The page's filter, not the one inside the results drop-down's popover. */
  entry = find_filter_entry (GTK_WIDGET (page));
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "handlers.py:");
  g_signal_emit_by_name (entry, "search-changed");
  sg_ui_test_flush_frames (3);
  g_assert_cmpuint (g_list_model_get_n_items (sg_memory_page_get_visible_lines (page)), <, all);
  g_assert_nonnull (find_line (sg_memory_page_get_visible_lines (page), REPORT_TEXT));
  screenshots ("memory-filtered");
  gtk_editable_set_text (GTK_EDITABLE (entry), "no-such-line-anywhere");
  g_signal_emit_by_name (entry, "search-changed");
  sg_ui_test_flush_frames (3);
  g_assert_cmpuint (g_list_model_get_n_items (sg_memory_page_get_visible_lines (page)), ==, 0);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_signal_emit_by_name (entry, "search-changed");
  sg_ui_test_flush_frames (3);
  g_assert_cmpuint (g_list_model_get_n_items (sg_memory_page_get_visible_lines (page)), ==, all);
}

static void
test_heap_profile (void)
{
  g_autoptr(SgProfileFile) profile = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "memory.open-heap-profile", NULL));
  wait_until (profile_opened, NULL);
  profile = g_list_model_get_item (sg_window_get_profiles (window), 0);
  g_assert_true (g_str_has_suffix (sg_profile_file_get_display_name (profile), ".pb.gz"));
  g_assert_cmpuint (g_bytes_get_size (sg_profile_file_get_contents (profile)), >, 0);
  sg_window_show_page (window, "memory");
}

/* With a duration the recording ends by itself; the agent's memory_ready
 * event brings its table. */
static void
test_timed (void)
{
  SgAgentMemory *before = sg_memory_page_get_shown (page);
  GtkSpinButton *seconds = GTK_SPIN_BUTTON (sg_ui_test_find_by_type (GTK_WIDGET (page),
                                                                     GTK_TYPE_SPIN_BUTTON));

  gtk_spin_button_set_value (seconds, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "memory.start", NULL));
  wait_until (is_recording, NULL);
  g_assert_true (state_contains (" of 0:02"));
  g_free (sg_test_shop_get (service, "/api/reports/sales?days=1"));
  wait_until (shows_other_than, before);
  g_assert_true (sg_agent_memory_get_seconds (sg_memory_page_get_shown (page)) == 2);
  g_assert_cmpuint (sg_agent_memory_status_get_results (sg_memory_page_get_status (page))->len, ==, 2);
  gtk_spin_button_set_value (seconds, 0);
}

static void
keep_result (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Another console started one: the page says so and then shows it, so
 * the user can stop it. */
static void
test_already_recording (void)
{
  g_autoptr(SgAgentClient) other = sg_agent_client_new (sg_agent_client_get_address (sg_memory_page_get_agent (page)), TOKEN);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SgAgentMemory) started = NULL;
  g_autoptr(GError) error = NULL;

  sg_agent_client_start_memory_async (other, 0, 4, NULL, keep_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  started = sg_agent_client_start_memory_finish (other, result, &error);
  g_assert_no_error (error);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "memory.start", NULL));
  wait_until (message_contains, "Could not start recording");
  g_assert_nonnull (strstr (sg_memory_page_get_last_message (page), "stop it first"));
  wait_until (is_recording, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "memory.stop", NULL));
  wait_until (is_idle, NULL);
  wait_until (shows_id, (gpointer) sg_agent_memory_get_id (started));
  g_assert_cmpuint (sg_agent_memory_get_frames (sg_memory_page_get_shown (page)), ==, 4);
}

static gboolean
source_shown (gpointer data)
{
  GtkWidget *view = sg_debug_page_get_source_view (debug_page);
  guint line = GPOINTER_TO_UINT (data);

  return g_strcmp0 (sg_source_view_get_path (SG_SOURCE_VIEW (view)), "examples/shop/handlers.py") == 0 &&
         line > 0;
}

static gboolean
has_report_line (gpointer data)
{
  return find_line (sg_memory_page_get_visible_lines (page), REPORT_TEXT) != NULL;
}

/* Activating a row shows the line in the service's source on the Debug page. */
static void
test_open_source (void)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (sg_ui_test_find_by_type (GTK_WIDGET (page),
                                                                  GTK_TYPE_COLUMN_VIEW));
  GListModel *lines = sg_memory_page_get_visible_lines (page);
  GtkWidget *stack = sg_ui_test_find_by_type (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);
  SgAgentMemoryLine *line;
  guint position = G_MAXUINT;

  /* The report's line from test_record's recording. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (sg_ui_test_find_by_type (GTK_WIDGET (page),
                                                                      GTK_TYPE_DROP_DOWN)),
                              sg_agent_memory_status_get_results (sg_memory_page_get_status (page))->len - 1);
  wait_until (shows_other_than, NULL);
  wait_until (has_report_line, NULL);
  line = find_line (lines, REPORT_TEXT);
  g_assert_nonnull (line);
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(SgAgentMemoryLine) item = g_list_model_get_item (lines, i);

      if (item == line)
        position = i;
    }
  g_assert_cmpuint (position, !=, G_MAXUINT);
  g_signal_emit_by_name (view, "activate", position);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (stack)), ==, "debug");
  wait_until (source_shown, GUINT_TO_POINTER (sg_agent_memory_line_get_line (line)));
  sg_ui_test_flush_frames (5);
  screenshots ("memory-open-source");
  sg_window_show_page (window, "memory");
}

static void
test_agent_gone (void)
{
  g_subprocess_force_exit (service->process);
  g_subprocess_wait (service->process, NULL, NULL);
  wait_until (state_contains, "Agent not connected");
  /* Start is disabled: activating it sends nothing and says nothing. */
  {
    g_autofree char *before = g_strdup (sg_memory_page_get_last_message (page));

    gtk_widget_activate_action (GTK_WIDGET (page), "memory.start", NULL);
    sg_ui_test_flush_frames (5);
    g_assert_false (sg_memory_page_is_busy (page));
    g_assert_cmpstr (sg_memory_page_get_last_message (page), ==, before);
  }
  screenshots ("memory-agent-gone");
}

/* An agent without memory recordings (profiling switched off, as an
 * older agent lists no "memory" capability): the page says so instead of
 * offering a Start that can only fail. */
static void
test_agent_without_memory (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) orders = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "fixtures", "agent", "orders.py", NULL);
  guint16 port = sg_test_free_port ();
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autofree char *address = g_strdup_printf ("http://127.0.0.1:%u", port);
  SgAgentClient *client;

  g_subprocess_launcher_set_child_setup (launcher, sg_test_die_with_parent, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "PYTHONPATH", agent_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "PYTHONDONTWRITEBYTECODE", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "SPYGLASS_TOKEN", TOKEN, TRUE);
  g_subprocess_launcher_setenv (launcher, "SPYGLASS_PORT", port_text, TRUE);
  g_subprocess_launcher_setenv (launcher, "SPYGLASS_PORT_TRIES", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "SPYGLASS_DISCOVERY", "0", TRUE);
  g_subprocess_launcher_setenv (launcher, "SPYGLASS_PROFILING", "0", TRUE);
  orders = g_subprocess_launcher_spawn (launcher, &error, "python3", script, NULL);
  g_assert_no_error (error);

  /* The agent retries until the child listens. */
  client = sg_debug_agents_add (sg_debug_page_get_agents (debug_page), address, TOKEN, FALSE);
  g_assert_true (sg_memory_page_get_agent (page) == client);
  wait_until (state_contains, "Memory recording unavailable");
  g_assert_true (has_mapped_status_page (GTK_WIDGET (page), "Memory Recording Unavailable"));
  g_assert_null (sg_memory_page_get_status (page));
  {
    g_autofree char *before = g_strdup (sg_memory_page_get_last_message (page));

    gtk_widget_activate_action (GTK_WIDGET (page), "memory.start", NULL);
    sg_ui_test_flush_frames (5);
    g_assert_false (sg_memory_page_is_busy (page));
    g_assert_cmpstr (sg_memory_page_get_last_message (page), ==, before);
  }
  screenshots ("memory-old-agent");
  g_subprocess_force_exit (orders);
  g_subprocess_wait (orders, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  int ret;

  home = g_dir_make_tmp ("spyglass-memory-test-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    {
      static const char *vars[] = { "HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME" };
      g_autofree char *dir = g_build_filename (home, vars[i], NULL);

      g_mkdir_with_parents (dir, 0700);
      g_setenv (vars[i], i == 0 ? home : dir, TRUE);
    }
  g_unsetenv ("SPYGLASS_AGENT");

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display (run under Xvfb, as build-aux/test does)\n");
      remove_tree (home);
      return 0;
    }
  adw_init ();

  agent_dir = sg_test_agent_dir ();
  service = sg_test_shop_start (TOKEN, SG_TEST_SHOP_NO_CONTINUOUS_PROFILING);

  app = sg_application_new ();
  g_application_set_flags (G_APPLICATION (app), g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = sg_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  wait_until ((Condition) gtk_widget_get_mapped, window);
  page = SG_MEMORY_PAGE (sg_ui_test_find_by_type (GTK_WIDGET (window), SG_TYPE_MEMORY_PAGE));
  debug_page = SG_DEBUG_PAGE (sg_ui_test_find_by_type (GTK_WIDGET (window), SG_TYPE_DEBUG_PAGE));
  g_assert_nonnull (page);
  g_assert_nonnull (debug_page);

  g_test_add_func ("/ui/memory/no-agent", test_no_agent);
  g_test_add_func ("/ui/memory/idle", test_idle);
  g_test_add_func ("/ui/memory/record", test_record);
  g_test_add_func ("/ui/memory/heap-profile", test_heap_profile);
  g_test_add_func ("/ui/memory/timed", test_timed);
  g_test_add_func ("/ui/memory/already-recording", test_already_recording);
  g_test_add_func ("/ui/memory/open-source", test_open_source);
  g_test_add_func ("/ui/memory/agent-gone", test_agent_gone);
  g_test_add_func ("/ui/memory/agent-without-memory", test_agent_without_memory);

  ret = g_test_run ();

  g_clear_pointer (&service, sg_test_shop_free);
  sg_debug_agents_shutdown (sg_debug_page_get_agents (debug_page));
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  remove_tree (home);
  g_free (agent_dir);
  return ret;
}
