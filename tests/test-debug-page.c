/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The Debug page end to end, under Xvfb: the example shop service runs
 * under the real agent in a child process; the test connects through the
 * Connect dialog (first with a wrong token), opens the service's source,
 * sets a snapshot on a request handler's line the way a gutter click does,
 * sends the request, and checks the inspector shows the handler's locals;
 * then the same for a logpoint, an invalid condition, a source mismatch and
 * the agent going away.  Screenshots land in the build dir. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sg-application.h"
#include "sg-connect-dialog.h"
#include "sg-debug-agent-row.h"
#include "sg-debug-page.h"
#include "sg-log-view.h"
#include "sg-snapshot-inspector.h"
#include "sg-source-tree.h"
#include "sg-source-view.h"
#include "sg-test-agent.h"
#include "sg-ui-test-helpers.h"
#include "sg-window.h"

#define TOKEN "ui-test-token-0123456789abcdef"
#define HANDLER_PATH "examples/shop/handlers.py"
#define HANDLER_TEXT "page = rows[offset:offset + limit]"

static SgApplication *app;
static SgWindow *window;
static SgDebugPage *page;
static SgTestShop *service;
static guint handler_line;
static char *agent_dir;

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition cond,
            gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

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
  sg_ui_test_save_screenshot (GTK_WIDGET (window), name);
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

/* --- conditions ------------------------------------------------------------------ */

static SgConnectDialog *
find_connect_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (SG_IS_CONNECT_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return SG_CONNECT_DIALOG (w);
    }
  return NULL;
}

static gboolean
dialog_has_error (gpointer dialog)
{
  return sg_connect_dialog_get_error (dialog) != NULL;
}

static gboolean
no_connect_dialog (gpointer data)
{
  return find_connect_dialog () == NULL;
}

static gboolean
current_connected (gpointer data)
{
  SgAgentClient *client = sg_debug_page_get_current_agent (page);

  return client != NULL && sg_agent_client_get_state (client) == SG_AGENT_STATE_CONNECTED;
}

static gboolean
tree_loaded (gpointer data)
{
  return sg_source_tree_get_root (SG_SOURCE_TREE (sg_debug_page_get_source_tree (page))) != NULL;
}

static gboolean
file_shown (gpointer path)
{
  return g_strcmp0 (sg_source_view_get_path (SG_SOURCE_VIEW (sg_debug_page_get_source_view (page))), path) == 0;
}

static gboolean
n_marks_is (gpointer n)
{
  return sg_source_view_get_n_marks (SG_SOURCE_VIEW (sg_debug_page_get_source_view (page))) == GPOINTER_TO_UINT (n);
}

static gboolean
snapshot_shown (gpointer data)
{
  return sg_snapshot_inspector_get_shown (SG_SNAPSHOT_INSPECTOR (sg_debug_page_get_inspector (page))) != NULL;
}

static gboolean
log_has (gpointer text)
{
  GListModel *entries = sg_log_view_get_entries (SG_LOG_VIEW (sg_debug_page_get_log_view (page)));

  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(SgAgentLogEntry) entry = g_list_model_get_item (entries, i);

      if (g_str_equal (sg_agent_log_entry_get_message (entry), text))
        return TRUE;
    }
  return FALSE;
}

static gboolean
message_contains (gpointer text)
{
  const char *message = sg_debug_page_get_last_message (page);

  return message != NULL && strstr (message, text) != NULL;
}

/* The value shown for a top-level variable in the inspector. */
static const char *
shown_value (const char *name)
{
  GListModel *rows = sg_snapshot_inspector_get_rows (SG_SNAPSHOT_INSPECTOR (sg_debug_page_get_inspector (page)));

  for (guint i = 0; rows != NULL && i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(SgSnapshotVariable) var = gtk_tree_list_row_get_item (row);

      if (gtk_tree_list_row_get_depth (row) == 0 && g_strcmp0 (sg_snapshot_variable_get_name (var), name) == 0)
        return sg_snapshot_variable_get_value (var);
    }
  return NULL;
}

/* --- tests ------------------------------------------------------------------------- */

static void
test_connect (void)
{
  SgConnectDialog *dialog;
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", service->agent_port);

  sg_window_show_page (window, "debug");
  sg_ui_test_flush_frames (5);
  screenshots ("debug-welcome");

  /* A wrong token is said in the dialog, which stays open. */
  sg_debug_page_show_connect_dialog (page);
  dialog = find_connect_dialog ();
  g_assert_nonnull (dialog);
  sg_connect_dialog_set_address (dialog, address);
  sg_connect_dialog_set_token (dialog, "not-the-right-token-at-all");
  sg_connect_dialog_connect (dialog);
  wait_until (dialog_has_error, dialog);
  g_assert_nonnull (strstr (sg_connect_dialog_get_error (dialog), "refused the token"));
  g_assert_true (find_connect_dialog () == dialog);

  sg_connect_dialog_set_token (dialog, TOKEN);
  sg_connect_dialog_connect (dialog);
  wait_until (no_connect_dialog, NULL);
  wait_until (current_connected, NULL);
  g_assert_cmpstr (sg_agent_info_get_service (sg_agent_client_get_info (sg_debug_page_get_current_agent (page))), ==, "examples.shop");
}

static void
test_open_source (void)
{
  g_autoptr(GFile) folder = g_file_new_for_path (agent_dir);

  sg_debug_page_open_folder (page, folder);
  wait_until (tree_loaded, NULL);
  g_assert_nonnull (sg_source_node_find (sg_source_tree_get_root (SG_SOURCE_TREE (sg_debug_page_get_source_tree (page))),
                                         HANDLER_PATH));
  sg_debug_page_open_source (page, HANDLER_PATH, handler_line);
  wait_until (file_shown, HANDLER_PATH);
  g_assert_null (sg_source_view_get_mismatch (SG_SOURCE_VIEW (sg_debug_page_get_source_view (page))));
}

static gboolean
scrolled_down (gpointer data)
{
  GtkWidget *text = sg_source_view_get_text_view (SG_SOURCE_VIEW (sg_debug_page_get_source_view (page)));
  GtkAdjustment *adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (text));

  g_test_message ("vadjustment %g of %g", gtk_adjustment_get_value (adj), gtk_adjustment_get_upper (adj));
  /* Line ~81 of a 15 px line height is well below the first screenful. */
  return gtk_adjustment_get_value (adj) > 300;
}

static void
test_snapshot (void)
{
  SgSourceView *view = SG_SOURCE_VIEW (sg_debug_page_get_source_view (page));
  g_autofree char *response = NULL;
  SgHistorySnapshot *shown;

  /* What a primary click in the gutter emits. */
  g_signal_emit_by_name (view, "toggle-snapshot", handler_line);
  wait_until (n_marks_is, GUINT_TO_POINTER (1));
  /* Another file on screen: the snapshot's frame has to load the handler's
   * file again, and still land on its line. */
  sg_debug_page_open_source (page, "examples/shop/catalog.py", 0);
  wait_until (file_shown, "examples/shop/catalog.py");

  response = sg_test_shop_get (service, "/api/products?category=books&limit=3&sort=price");
  g_assert_true (g_str_has_prefix (response, "HTTP/1.0 200"));
  wait_until (snapshot_shown, NULL);

  shown = sg_snapshot_inspector_get_shown (SG_SNAPSHOT_INSPECTOR (sg_debug_page_get_inspector (page)));
  g_assert_cmpuint (sg_breakpoint_get_line (sg_history_snapshot_get_breakpoint (shown)), ==, handler_line);
  g_assert_cmpstr (shown_value ("category"), ==, "'books'");
  g_assert_cmpstr (shown_value ("limit"), ==, "3");
  g_assert_cmpstr (shown_value ("sort"), ==, "'price'");
  g_assert_nonnull (shown_value ("rows"));
  /* The source follows the innermost frame, scrolled to its line. */
  wait_until (file_shown, HANDLER_PATH);
  wait_until (scrolled_down, NULL);
  screenshots ("debug-snapshot");
}

static void
test_logpoint (void)
{
  g_autoptr(SgBreakpointSpec) spec = sg_breakpoint_spec_new (SG_BREAKPOINT_ACTION_LOG, HANDLER_PATH, handler_line);
  g_autofree char *response = NULL;

  spec->log_message_format = g_strdup ("listing {category} limit={limit}");
  spec->log_level = g_strdup ("warning");
  sg_debug_page_set_breakpoint (page, spec);
  /* The hit snapshot keeps its mark; the logpoint adds one. */
  wait_until (n_marks_is, GUINT_TO_POINTER (2));

  response = sg_test_shop_get (service, "/api/products?category=garden&limit=2");
  g_assert_true (g_str_has_prefix (response, "HTTP/1.0 200"));
  wait_until (log_has, "listing garden limit=2");
  screenshots ("debug-logpoint");
}

static gboolean
popover_visible (gpointer data)
{
  return gtk_widget_get_mapped (sg_debug_page_get_popover (page));
}

static void
test_popover (void)
{
  SgSourceView *view = SG_SOURCE_VIEW (sg_debug_page_get_source_view (page));

  /* What a secondary click in the gutter emits. */
  g_signal_emit_by_name (view, "edit-breakpoint", handler_line - 1);
  wait_until (popover_visible, NULL);
  screenshots ("debug-popover");
  gtk_popover_popdown (GTK_POPOVER (sg_debug_page_get_popover (page)));
}

static void
test_invalid_condition (void)
{
  g_autoptr(SgBreakpointSpec) spec = sg_breakpoint_spec_new (SG_BREAKPOINT_ACTION_CAPTURE, HANDLER_PATH, handler_line);

  spec->condition = g_strdup ("limit ===");
  sg_debug_page_set_breakpoint (page, spec);
  wait_until (message_contains, "condition");
  g_assert_nonnull (strstr (sg_debug_page_get_last_message (page), "The breakpoint was not set"));
}

static gboolean
node_differs (gpointer path)
{
  SgSourceNode *root = sg_source_tree_get_root (SG_SOURCE_TREE (sg_debug_page_get_source_tree (page)));
  SgSourceNode *node = root ? sg_source_node_find (root, path) : NULL;


  return node != NULL && sg_source_node_get_match (node) == SG_SOURCE_NODE_DIFFERENT;
}

static gboolean
mismatch_shown (gpointer data)
{
  return sg_source_view_get_mismatch (SG_SOURCE_VIEW (sg_debug_page_get_source_view (page))) != NULL;
}

static gboolean
tree_loaded_from (gpointer folder)
{
  SgSourceNode *root = sg_source_tree_get_root (SG_SOURCE_TREE (sg_debug_page_get_source_tree (page)));

  /* The copy holds only the shop, not the agent package. */
  return root != NULL && sg_source_node_find (root, "spyglass") == NULL && sg_source_node_find (root, HANDLER_PATH) != NULL;
}

static void
test_source_mismatch (void)
{
  g_autofree char *copy = g_build_filename (g_get_user_cache_dir (), "shop-copy", NULL);
  g_autofree char *dir = g_build_filename (copy, "examples", "shop", NULL);
  g_autofree char *original = g_build_filename (agent_dir, HANDLER_PATH, NULL);
  g_autofree char *edited = g_build_filename (dir, "handlers.py", NULL);
  g_autofree char *text = NULL;
  g_autofree char *changed = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (copy);
  const char *warning;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_get_contents (original, &text, NULL, NULL));
  changed = g_strconcat ("# a line the running service does not have\n", text, NULL);
  g_assert_true (g_file_set_contents (edited, changed, -1, NULL));

  sg_debug_page_open_folder (page, folder);
  wait_until (tree_loaded_from, folder);
  wait_until (node_differs, HANDLER_PATH);
  g_assert_nonnull (strstr (sg_debug_page_get_last_message (page), "differ"));
  /* The file on screen is reloaded from the new folder and flagged. */
  wait_until (mismatch_shown, NULL);
  warning = sg_source_view_get_mismatch (SG_SOURCE_VIEW (sg_debug_page_get_source_view (page)));
  g_assert_nonnull (strstr (warning, "differs from the one the agent runs"));
  screenshots ("debug-mismatch");
}

static void
test_agent_gone (void)
{
  g_subprocess_force_exit (service->process);
  g_subprocess_wait (service->process, NULL, NULL);
  wait_until (message_contains, "stopped answering");
  g_assert_cmpint (sg_agent_client_get_state (sg_debug_page_get_current_agent (page)), ==, SG_AGENT_STATE_RECONNECTING);
  screenshots ("debug-disconnected");
}

typedef struct
{
  SgDebugPage *page;
  const char  *text;
} Restarted;

static gboolean
restarted_has_history (gpointer data)
{
  Restarted *r = data;
  GListModel *entries = sg_log_view_get_entries (SG_LOG_VIEW (sg_debug_page_get_log_view (r->page)));
  GListModel *snapshots = sg_debug_agents_get_snapshots (sg_debug_page_get_agents (r->page));
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (entries) && !found; i++)
    {
      g_autoptr(SgAgentLogEntry) entry = g_list_model_get_item (entries, i);
      found = g_str_equal (sg_agent_log_entry_get_message (entry), r->text);
    }
  return found && g_list_model_get_n_items (snapshots) > 0;
}

/* A new page (as after restarting Spyglass) reads what the first one kept:
 * the snapshot with its locals and the logpoint's lines. */
static void
test_history_after_restart (void)
{
  GtkWidget *other = gtk_window_new ();
  Restarted r = { NULL, "listing garden limit=2" };
  g_autoptr(SgHistorySnapshot) kept = NULL;
  g_autoptr(SgSnapshotVariable) category = NULL;
  SgSnapshot *snapshot;

  g_assert_true (sg_history_flush (sg_debug_agents_get_history (sg_debug_page_get_agents (page)), NULL));
  r.page = g_object_new (SG_TYPE_DEBUG_PAGE, NULL);
  gtk_window_set_child (GTK_WINDOW (other), GTK_WIDGET (r.page));
  wait_until (restarted_has_history, &r);

  kept = g_list_model_get_item (sg_debug_agents_get_snapshots (sg_debug_page_get_agents (r.page)), 0);
  snapshot = sg_breakpoint_get_snapshot (sg_history_snapshot_get_breakpoint (kept));
  g_assert_nonnull (snapshot);
  category = sg_snapshot_frame_find_local (sg_snapshot_get_frame (snapshot, 0), "category");
  g_assert_cmpstr (sg_snapshot_variable_get_value (category), ==, "'books'");
  gtk_window_destroy (GTK_WINDOW (other));
}

static gboolean
client_connected (gpointer client)
{
  return sg_agent_client_get_state (client) == SG_AGENT_STATE_CONNECTED;
}

static gboolean
inspector_lists_none (gpointer data)
{
  SgSnapshotInspector *inspector = SG_SNAPSHOT_INSPECTOR (sg_debug_page_get_inspector (page));

  return g_list_model_get_n_items (sg_snapshot_inspector_get_snapshots (inspector)) == 0;
}

/* A frame of the shop's snapshot, opened while the orders agent is the
 * current one, is never asked of the orders agent: without a local folder
 * the page says the file is not available. */
static void
check_foreign_frame (void)
{
  SgDebugPage *fresh = g_object_new (SG_TYPE_DEBUG_PAGE, NULL);
  GtkWidget *other = gtk_window_new ();
  SgSnapshotInspector *inspector;
  SgAgentClient *orders, *client;
  g_autoptr(SgHistorySnapshot) shop = g_list_model_get_item (sg_debug_agents_get_snapshots (sg_debug_page_get_agents (page)), 0);

  g_assert_nonnull (strstr (sg_history_snapshot_get_agent_label (shop), "shop"));
  gtk_window_set_child (GTK_WINDOW (other), GTK_WIDGET (fresh));
  /* Its own client to the orders agent: closing the page stops it. */
  orders = sg_debug_page_get_current_agent (page);
  client = sg_debug_agents_add (sg_debug_page_get_agents (fresh), sg_agent_client_get_address (orders),
                                sg_agent_client_get_token (orders), FALSE);
  g_assert_true (sg_debug_page_get_current_agent (fresh) == client);
  wait_until (client_connected, client);
  inspector = SG_SNAPSHOT_INSPECTOR (sg_debug_page_get_inspector (fresh));
  sg_snapshot_inspector_show (inspector, shop);
  sg_snapshot_inspector_select_frame (inspector, 0);
  g_assert_nonnull (sg_debug_page_get_last_message (fresh));
  g_assert_nonnull (strstr (sg_debug_page_get_last_message (fresh), "is not available"));
  sg_ui_test_flush_frames (10);
  g_assert_null (strstr (sg_debug_page_get_last_message (fresh), "Not found"));
  gtk_window_destroy (GTK_WINDOW (other));
}

/* "Run Python program": the fixture script started under the agent with a
 * fresh token on a free port, connected, and made the current agent. */
static void
test_run_python (void)
{
  g_autofree char *script = g_build_filename (g_getenv ("G_TEST_SRCDIR") ?: ".", "fixtures", "agent", "orders.py", NULL);
  g_autoptr(GError) error = NULL;
  SgAgentClient *client;
  SgAgentInfo *info;
  g_autofree char *canonical = NULL;

  client = sg_debug_agents_run_python (sg_debug_page_get_agents (page), "python3", script, "--unused-argument", &error);
  g_assert_no_error (error);
  g_assert_nonnull (client);
  g_assert_true (sg_debug_page_get_current_agent (page) == client);
  g_assert_cmpuint (strlen (sg_agent_client_get_token (client)), >=, 32);
  wait_until (client_connected, client);
  info = sg_agent_client_get_info (client);
  g_assert_cmpstr (sg_agent_info_get_service (info), ==, "orders");
  canonical = g_canonicalize_filename (g_getenv ("G_TEST_SRCDIR") ?: ".", NULL);
  g_assert_true (g_str_has_prefix (sg_agent_info_get_source_root (info), canonical));

  /* The shop's snapshots are not the orders service's: the inspector's
   * picker lists none of them and shows nothing from the shop. */
  wait_until (inspector_lists_none, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (sg_debug_agents_get_snapshots (sg_debug_page_get_agents (page))), >, 0);
  g_assert_null (sg_snapshot_inspector_get_shown (SG_SNAPSHOT_INSPECTOR (sg_debug_page_get_inspector (page))));
  check_foreign_frame ();

  /* A program that is not there is a clear error, not a hang. */
  g_assert_null (sg_debug_agents_run_python (sg_debug_page_get_agents (page), NULL, "/nonexistent/app.py", NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static GtkWidget *
find_agent_row (GtkWidget     *root,
                SgAgentClient *client)
{
  if (SG_IS_DEBUG_AGENT_ROW (root) && sg_debug_agent_row_get_client (SG_DEBUG_AGENT_ROW (root)) == client)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_agent_row (child, client);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
page_unmapped (gpointer data)
{
  return !gtk_widget_get_mapped (GTK_WIDGET (page));
}

/* Clicking an agent in the window's sidebar makes it the Debug page's
 * current agent (here the shop again, after "Run Python program" made the
 * orders service current), and the inspector lists its snapshots again. */
static void
test_sidebar_agent (void)
{
  g_autoptr(SgAgentClient) shop = g_list_model_get_item (G_LIST_MODEL (sg_debug_page_get_agents (page)), 0);
  SgSnapshotInspector *inspector = SG_SNAPSHOT_INSPECTOR (sg_debug_page_get_inspector (page));
  GtkWidget *row;

  g_assert_true (sg_debug_page_get_current_agent (page) != shop);
  sg_window_show_page (window, "profile");
  wait_until (page_unmapped, NULL);
  row = find_agent_row (GTK_WIDGET (window), shop);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate (row));
  g_assert_true (sg_debug_page_get_current_agent (page) == shop);
  wait_until ((Condition) gtk_widget_get_mapped, page);
  g_assert_cmpuint (g_list_model_get_n_items (sg_snapshot_inspector_get_snapshots (inspector)), >, 0);
}

static GtkWidget *
find_history_row (GtkWidget         *root,
                  SgHistorySnapshot *hs)
{
  if (GTK_IS_LIST_BOX_ROW (root) && g_object_get_data (G_OBJECT (root), "sg-snapshot") == hs)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_history_row (child, hs);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
shown_from_orders (gpointer data)
{
  SgHistorySnapshot *shown = sg_snapshot_inspector_get_shown (SG_SNAPSHOT_INSPECTOR (sg_debug_page_get_inspector (page)));

  return shown != NULL && g_str_has_prefix (sg_history_snapshot_get_agent_label (shown), "orders");
}

static gboolean
history_row_shown (gpointer hs)
{
  return find_history_row (GTK_WIDGET (window), hs) != NULL;
}

/* The sidebar's History lists the latest snapshots of every agent;
 * activating one whose agent is connected selects that agent and shows
 * the snapshot; one whose agent is not connected (the shop, stopped) is
 * shown as kept without changing the agent. */
static void
test_sidebar_history (void)
{
  GListModel *agents = G_LIST_MODEL (sg_debug_page_get_agents (page));
  SgSnapshotInspector *inspector = SG_SNAPSHOT_INSPECTOR (sg_debug_page_get_inspector (page));
  g_autoptr(SgAgentClient) shop = g_list_model_get_item (agents, 0);
  g_autoptr(SgAgentClient) orders = g_list_model_get_item (agents, 1);
  g_autoptr(SgBreakpointSpec) spec = sg_breakpoint_spec_new (SG_BREAKPOINT_ACTION_CAPTURE, "orders.py", 17);
  g_autoptr(SgHistorySnapshot) from_orders = NULL;
  g_autoptr(SgHistorySnapshot) from_shop = NULL;
  GListModel *all = sg_debug_agents_get_snapshots (sg_debug_page_get_agents (page));
  GtkWidget *row;

  g_assert_true (sg_debug_page_get_current_agent (page) == shop);
  sg_debug_page_set_current_agent (page, orders);
  sg_debug_page_set_breakpoint (page, spec);
  wait_until (shown_from_orders, NULL);
  from_orders = g_object_ref (sg_snapshot_inspector_get_shown (inspector));
  for (guint i = 0; i < g_list_model_get_n_items (all) && from_shop == NULL; i++)
    {
      g_autoptr(SgHistorySnapshot) hs = g_list_model_get_item (all, i);

      if (strstr (sg_history_snapshot_get_agent_label (hs), "shop") != NULL)
        from_shop = g_steal_pointer (&hs);
    }
  g_assert_nonnull (from_shop);
  /* One entry per hit, though the hit comes in more than one event. */
  sg_ui_test_flush_frames (10);
  {
    guint same = 0;

    for (guint i = 0; i < g_list_model_get_n_items (all); i++)
      {
        g_autoptr(SgHistorySnapshot) hs = g_list_model_get_item (all, i);

        same += g_strcmp0 (sg_breakpoint_get_id (sg_history_snapshot_get_breakpoint (hs)),
                           sg_breakpoint_get_id (sg_history_snapshot_get_breakpoint (from_orders))) == 0;
      }
    g_assert_cmpuint (same, ==, 1);
  }

  /* Both are listed, the newest (the orders one) first. */
  wait_until (history_row_shown, from_orders);
  g_assert_nonnull (find_history_row (GTK_WIDGET (window), from_shop));
  g_assert_cmpint (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (find_history_row (GTK_WIDGET (window), from_orders))), ==, 0);
  screenshots ("debug-sidebar-history");

  sg_debug_page_set_current_agent (page, shop);
  sg_window_show_page (window, "profile");
  wait_until (page_unmapped, NULL);
  row = find_history_row (GTK_WIDGET (window), from_orders);
  g_assert_true (gtk_widget_activate (row));
  g_assert_true (sg_debug_page_get_current_agent (page) == orders);
  g_assert_true (sg_snapshot_inspector_get_shown (inspector) == from_orders);
  wait_until ((Condition) gtk_widget_get_mapped, page);

  row = find_history_row (GTK_WIDGET (window), from_shop);
  g_assert_true (gtk_widget_activate (row));
  g_assert_true (sg_debug_page_get_current_agent (page) == orders);
  g_assert_true (sg_snapshot_inspector_get_shown (inspector) == from_shop);
}

static guint
find_handler_line (void)
{
  g_autofree char *path = g_build_filename (agent_dir, HANDLER_PATH, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (strstr (lines[i], HANDLER_TEXT) != NULL)
      return i + 1;
  g_assert_not_reached ();
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

/* Under Xvfb without a window manager the Connect dialog can close before
 * the X server's focus-out reaches its entry, and GTK warns about that
 * (GtkText "did not receive a focus-out event"; seen on the untouched
 * main branch about one run in five).  That one warning is about event
 * timing in the test's display, not about Spyglass: it is printed and
 * let through; every other warning stays fatal (G_DEBUG=fatal-warnings).
 * GTK logs structured, so this takes a writer, not a fatal handler. */
static GLogWriterOutput
tolerate_focus_race (GLogLevelFlags   log_level,
                     const GLogField *fields,
                     gsize            n_fields,
                     gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        strstr (fields[i].value, "did not receive a focus-out event") != NULL)
      {
        g_test_message ("tolerated: %s", (const char *) fields[i].value);
        return G_LOG_WRITER_HANDLED;
      }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  int ret;

  home = g_dir_make_tmp ("spyglass-debug-test-XXXXXX", &error);
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
  g_log_set_writer_func (tolerate_focus_race, NULL, NULL);
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display (run under Xvfb, as build-aux/test does)\n");
      remove_tree (home);
      return 0;
    }
  adw_init ();

  agent_dir = sg_test_agent_dir ();
  handler_line = find_handler_line ();
  service = sg_test_shop_start (TOKEN, SG_TEST_SHOP_NO_CONTINUOUS_PROFILING);

  app = sg_application_new ();
  g_application_set_flags (G_APPLICATION (app), g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = sg_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  wait_until ((Condition) gtk_widget_get_mapped, window);
  page = SG_DEBUG_PAGE (sg_ui_test_find_by_type (GTK_WIDGET (window), SG_TYPE_DEBUG_PAGE));
  g_assert_nonnull (page);

  g_test_add_func ("/ui/debug/connect", test_connect);
  g_test_add_func ("/ui/debug/open-source", test_open_source);
  g_test_add_func ("/ui/debug/snapshot", test_snapshot);
  g_test_add_func ("/ui/debug/logpoint", test_logpoint);
  g_test_add_func ("/ui/debug/popover", test_popover);
  g_test_add_func ("/ui/debug/invalid-condition", test_invalid_condition);
  g_test_add_func ("/ui/debug/source-mismatch", test_source_mismatch);
  g_test_add_func ("/ui/debug/agent-gone", test_agent_gone);
  g_test_add_func ("/ui/debug/history-after-restart", test_history_after_restart);
  g_test_add_func ("/ui/debug/run-python", test_run_python);
  g_test_add_func ("/ui/debug/sidebar-agent", test_sidebar_agent);
  g_test_add_func ("/ui/debug/sidebar-history", test_sidebar_history);

  ret = g_test_run ();

  g_clear_pointer (&service, sg_test_shop_free);
  /* Stops the programs "Run Python program" started. */
  sg_debug_agents_shutdown (sg_debug_page_get_agents (page));
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  remove_tree (home);
  g_free (agent_dir);
  return ret;
}
