/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Recording and listing an agent's profiles from the console, under Xvfb:
 * the example shop runs under the real agent (continuous profiling on) in
 * a child process.  With no agent, Record Profile is off and says why;
 * connected, the test drives Record Profile… and its dialog the way a user
 * would (a 2 s wall profile), checks the Profile page shows the shop's own
 * functions and the sidebar lists the recording, opens the agent's first
 * continuous profile from the sidebar, saves a profile as it came (gzipped
 * pprof), opens a frame's source at its line, and stops the agent to check
 * that fetching and recording then fail with a toast, not a crash.
 * Screenshots (light and dark) land in the build dir. */

#include "config.h"

#include "sg-agent-profiles-row.h"
#include "sg-debug-page.h"
#include "sg-profile.h"
#include "sg-profile-io.h"
#include "sg-record-dialog.h"
#include "sg-sidebar.h"
#include "sg-source-tree.h"
#include "sg-source-view.h"
#include "sg-test-agent.h"
#include "sg-ui-test.h"

#define TOKEN "agent-profiles-test-token-0123456789"

static SgTestShop *service;
static SgDebugPage *debug_page;
static SgSidebar *sidebar;

/* --- set-up --------------------------------------------------------------------- */

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

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
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".", name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot saved to %s", path);
}

static void
screenshots (GtkWidget  *widget,
             const char *stem)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light = g_strdup_printf ("screenshot-%s-light.png", stem);
  g_autofree char *dark = g_strdup_printf ("screenshot-%s-dark.png", stem);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  sg_ui_test_flush_frames (10);
  save_screenshot (widget, light);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  sg_ui_test_flush_frames (10);
  save_screenshot (widget, dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
}

/* --- finding things -------------------------------------------------------------- */

static SgRecordDialog *
find_record_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (SG_IS_RECORD_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return SG_RECORD_DIALOG (w);
    }
  return NULL;
}

static gboolean
no_record_dialog (gpointer data)
{
  return find_record_dialog () == NULL;
}

static gboolean
is_record_button (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "win.record-profile") == 0;
}

/* What the user sees: the sidebar's Record button follows the action. */
static gboolean
record_enabled (gpointer data)
{
  GtkWidget *button = find_descendant (GTK_WIDGET (sidebar), is_record_button, NULL);

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

static gboolean
record_disabled (gpointer data)
{
  return !record_enabled (data);
}

/* The sidebar's row for the first listed profile matching @origin and
 * @kind that is ready. */
static SgAgentProfilesRow *
find_row (const char *origin,
          const char *kind)
{
  GtkWidget *child;
  GtkWidget *list = NULL;

  /* The list that holds SgAgentProfilesRow rows. */
  for (GtkWidget *w = find_descendant (GTK_WIDGET (sidebar), is_type, GSIZE_TO_POINTER (SG_TYPE_AGENT_PROFILES_ROW));
       w != NULL; w = NULL)
    list = gtk_widget_get_parent (w);
  if (list == NULL)
    return NULL;
  for (child = gtk_widget_get_first_child (list); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      SgAgentProfileInfo *info;

      if (!SG_IS_AGENT_PROFILES_ROW (child))
        continue;
      info = sg_agent_profiles_row_get_info (SG_AGENT_PROFILES_ROW (child));
      if (g_strcmp0 (sg_agent_profile_info_get_origin (info), origin) == 0 &&
          g_strcmp0 (sg_agent_profile_info_get_kind (info), kind) == 0 &&
          g_strcmp0 (sg_agent_profile_info_get_state (info), "ready") == 0)
        return SG_AGENT_PROFILES_ROW (child);
    }
  return NULL;
}

static gboolean
row_listed (gpointer kind_and_origin)
{
  const char **pair = kind_and_origin;

  return find_row (pair[0], pair[1]) != NULL;
}

static gboolean
page_shows_type (gpointer type)
{
  SgProfilePage *page = get_profile_page ();
  SgProfile *shown = sg_profile_page_get_shown_profile (page);

  return g_strcmp0 (sg_profile_page_get_state (page), "profile") == 0 &&
         !sg_profile_page_get_busy (page) && shown != NULL &&
         g_strcmp0 (sg_profile_get_profile_type (shown), type) == 0;
}

static gboolean
phase_is (gpointer phase)
{
  SgRecordDialog *dialog = find_record_dialog ();

  return dialog != NULL && g_strcmp0 (sg_record_dialog_get_phase (dialog), phase) == 0;
}

/* Index of the frame @function whose file ends with @suffix, or -1. */
static int
find_frame (SgProfile  *profile,
            const char *function,
            const char *suffix)
{
  for (guint i = 0; i < sg_profile_get_n_frames (profile); i++)
    if (g_strcmp0 (sg_profile_get_frame_function (profile, i), function) == 0 &&
        g_str_has_suffix (sg_profile_get_frame_file (profile, i), suffix))
      return (int) i;
  return -1;
}

static gboolean
source_shown (gpointer path)
{
  SgSourceView *view = SG_SOURCE_VIEW (sg_debug_page_get_source_view (debug_page));

  return g_strcmp0 (sg_source_view_get_path (view), path) == 0;
}

/* --- tests ------------------------------------------------------------------------- */

/* No agent: the action is off, and every Record button says why. */
static void
test_no_agent (void)
{
  GtkWidget *button;

  g_assert_false (record_enabled (NULL));
  button = find_descendant (GTK_WIDGET (get_profile_page ()), is_mapped_label_containing, "Record from Agent");
  g_assert_nonnull (button);
  button = gtk_widget_get_ancestor (button, GTK_TYPE_BUTTON);
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (button), "Connect to an agent"));
  g_assert_true (has_visible_label ("No agent chosen"));
  /* The action does nothing when activated anyway (a stale shortcut). */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.record-profile", NULL);
  g_assert_null (find_record_dialog ());
  screenshots (GTK_WIDGET (window), "agent-profiles-no-agent");
}

static gboolean
is_record_shortcut (GtkWidget     *widget,
                    gconstpointer  data)
{
  g_autofree char *action = NULL;

  if (!GTK_IS_SHORTCUTS_SHORTCUT (widget))
    return FALSE;
  g_object_get (widget, "action-name", &action, NULL);
  return g_strcmp0 (action, "win.record-profile") == 0;
}

static GtkWindow *
find_shortcuts_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (GTK_IS_SHORTCUTS_WINDOW (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WINDOW (w);
    }
  return NULL;
}

static gboolean
shortcuts_shown (gpointer data)
{
  return find_shortcuts_window () != NULL;
}

/* Ctrl+R records, and the shortcuts window says so. */
static void
test_shortcut (void)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.record-profile");
  GtkWindow *shortcuts;

  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>r"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  wait_until (shortcuts_shown, NULL);
  shortcuts = find_shortcuts_window ();
  g_assert_nonnull (find_descendant (GTK_WIDGET (shortcuts), is_record_shortcut, NULL));
  sg_ui_test_flush_frames (10);
  screenshots (GTK_WIDGET (shortcuts), "agent-profiles-shortcuts");
  gtk_window_close (shortcuts);
}

static gboolean
client_connected (gpointer client)
{
  return sg_agent_client_get_state (client) == SG_AGENT_STATE_CONNECTED;
}

/* Record Profile… from the action (Ctrl+R), a 2 s wall profile at 100 Hz
 * while the shop serves requests: it opens on the Profile page with the
 * shop's own functions, and the sidebar lists it. */
static void
test_record (void)
{
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", service->agent_port);
  const char *wall[] = { "on_demand", "wall" };
  SgAgentClient *client;
  SgRecordDialog *dialog;
  SgProfile *shown;
  SgProfileFile *file;
  g_autofree char *uri = NULL;

  client = sg_debug_agents_add (sg_debug_page_get_agents (debug_page), address, TOKEN, FALSE);
  g_assert_true (sg_debug_page_get_current_agent (debug_page) == client);
  wait_until (client_connected, client);
  wait_until (record_enabled, NULL);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.record-profile", NULL);
  dialog = find_record_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (sg_record_dialog_get_agent (dialog) == client);
  /* The defaults a user starts from. */
  g_assert_cmpstr (sg_record_dialog_get_kind (dialog), ==, "cpu");
  g_assert_cmpuint (sg_record_dialog_get_seconds (dialog), ==, 10);
  g_assert_cmpuint (sg_record_dialog_get_hz (dialog), ==, 100);
  /* Out-of-range values are held to the protocol's limits. */
  sg_record_dialog_set_seconds (dialog, 1000);
  g_assert_cmpuint (sg_record_dialog_get_seconds (dialog), ==, 300);
  sg_record_dialog_set_hz (dialog, 0);
  g_assert_cmpuint (sg_record_dialog_get_hz (dialog), ==, 1);

  sg_record_dialog_set_kind (dialog, "wall");
  sg_record_dialog_set_seconds (dialog, 2);
  sg_record_dialog_set_hz (dialog, 100);
  wait_for_paint ();
  screenshots (GTK_WIDGET (dialog), "record-dialog");

  sg_record_dialog_record (dialog);
  wait_until (phase_is, "recording");
  for (guint i = 0; i < 5; i++)
    g_free (sg_test_shop_get (service, "/products?category=books"));
  sg_ui_test_flush_frames (20);
  screenshots (GTK_WIDGET (dialog), "record-dialog-progress");

  wait_until (no_record_dialog, NULL);
  wait_until (page_shows_type, "wall");
  shown = sg_profile_page_get_shown_profile (get_profile_page ());
  /* Every thread: the shop's main thread waits in its own main(). */
  g_assert_cmpint (find_frame (shown, "main", "examples/shop/__main__.py"), >=, 0);
  g_assert_cmpint (sg_profile_get_n_samples (shown), >, 0);

  /* Titled by service, type and time; the file is the agent's URL for it. */
  file = sg_profile_page_get_profile (get_profile_page ());
  g_assert_nonnull (strstr (sg_profile_file_get_display_name (file), "shop"));
  g_assert_nonnull (strstr (sg_profile_file_get_display_name (file), "Wall"));
  uri = g_file_get_uri (sg_profile_file_get_file (file));
  g_assert_true (g_str_has_prefix (uri, "http://127.0.0.1:"));
  g_assert_nonnull (strstr (uri, "/v1/profiles/"));
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (window)), "Wall"));

  /* profile_ready (or the refresh after it) lists the recording. */
  wait_until (row_listed, wall);
  wait_for_paint ();
  screenshots (GTK_WIDGET (window), "agent-profiles-recorded");
}

static gboolean
ready_wall_is (gpointer n)
{
  GListModel *all = sg_agent_profiles_get_profiles (sg_window_get_agent_profiles (window));
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(SgAgentProfileInfo) info = g_list_model_get_item (all, i);

      count += g_strcmp0 (sg_agent_profile_info_get_kind (info), "wall") == 0 &&
               g_strcmp0 (sg_agent_profile_info_get_state (info), "ready") == 0;
    }
  return count == GPOINTER_TO_UINT (n);
}

/* Cancel while recording: the dialog closes at once, nothing is opened and
 * nothing is said to have failed; the agent finishes the recording and the
 * list shows it (the protocol cannot stop one). */
static void
test_cancel (void)
{
  SgRecordDialog *dialog;
  guint n_opened = g_list_model_get_n_items (sg_window_get_profiles (window));

  g_assert_true (ready_wall_is (GUINT_TO_POINTER (1)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.record-profile", NULL);
  dialog = find_record_dialog ();
  g_assert_nonnull (dialog);
  sg_record_dialog_set_kind (dialog, "wall");
  sg_record_dialog_set_seconds (dialog, 1);
  sg_record_dialog_record (dialog);
  wait_until (phase_is, "recording");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "record.cancel", NULL);
  g_assert_null (find_record_dialog ());

  wait_until (ready_wall_is, GUINT_TO_POINTER (2));
  sg_ui_test_flush_frames (10);
  g_assert_cmpuint (g_list_model_get_n_items (sg_window_get_profiles (window)), ==, n_opened);
  g_assert_false (has_visible_label ("Could not"));
}

/* The agent's first continuous profile, opened from the sidebar's row. */
static void
test_ring (void)
{
  const char *continuous[] = { "continuous", "cpu" };
  SgAgentProfilesRow *row;
  SgProfileFile *file;
  g_autofree char *uri = NULL;
  const char *id;

  wait_until (row_listed, continuous);
  row = find_row ("continuous", "cpu");
  id = sg_agent_profile_info_get_id (sg_agent_profiles_row_get_info (row));
  gtk_widget_activate (GTK_WIDGET (row));
  wait_until (page_shows_type, "cpu");
  wait_until (is_idle, NULL);
  file = sg_profile_page_get_profile (get_profile_page ());
  uri = g_file_get_uri (sg_profile_file_get_file (file));
  g_assert_true (g_str_has_suffix (uri, id));
  g_assert_nonnull (strstr (sg_profile_file_get_display_name (file), "CPU"));
  /* Listed once among the opened profiles; activating it again selects it. */
  g_assert_cmpuint (g_list_model_get_n_items (sg_window_get_profiles (window)), ==, 2);
  gtk_widget_activate (GTK_WIDGET (row));
  wait_until (is_idle, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (sg_window_get_profiles (window)), ==, 2);
  wait_for_paint ();
  screenshots (GTK_WIDGET (window), "agent-profiles-ring");
}

static guint
count_rows (void)
{
  GtkWidget *row = find_descendant (GTK_WIDGET (sidebar), is_type, GSIZE_TO_POINTER (SG_TYPE_AGENT_PROFILES_ROW));
  guint n = 0;

  for (GtkWidget *w = row ? gtk_widget_get_first_child (gtk_widget_get_parent (row)) : NULL; w; w = gtk_widget_get_next_sibling (w))
    n += SG_IS_AGENT_PROFILES_ROW (w);
  return n;
}

static guint
count_ready_cpu (void)
{
  GListModel *all = sg_agent_profiles_get_profiles (sg_window_get_agent_profiles (window));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(SgAgentProfileInfo) info = g_list_model_get_item (all, i);

      n += g_strcmp0 (sg_agent_profile_info_get_origin (info), "on_demand") == 0 &&
           g_strcmp0 (sg_agent_profile_info_get_kind (info), "cpu") == 0 &&
           g_strcmp0 (sg_agent_profile_info_get_state (info), "ready") == 0;
    }
  return n;
}

static gboolean
ready_cpu_is (gpointer n)
{
  return count_ready_cpu () == GPOINTER_TO_UINT (n);
}

static void
started_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SgAgentProfileInfo) info = sg_agent_client_start_profile_finish (SG_AGENT_CLIENT (object), result, &error);

  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer flag)
{
  return *(gboolean *) flag;
}

static gboolean
is_labelled_button (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
rows_are (gpointer n)
{
  return count_rows () == GPOINTER_TO_UINT (n);
}

/* Recordings someone else starts (spyglass-cli, another console) appear
 * through the agent's profile_ready events alone; past a screenful the
 * sidebar shows the newest and a button for the rest. */
static void
test_listed_from_events (void)
{
  SgAgentClient *current = sg_debug_page_get_current_agent (debug_page);
  g_autoptr(SgAgentClient) other = sg_agent_client_new (sg_agent_client_get_address (current), TOKEN);
  GListModel *all = sg_agent_profiles_get_profiles (sg_window_get_agent_profiles (window));
  g_autofree char *label = NULL;
  GtkWidget *more;
  guint total;

  g_assert_cmpuint (count_ready_cpu (), ==, 0);
  for (guint i = 1; i <= 8; i++)
    {
      gboolean started = FALSE;

      sg_agent_client_start_profile_async (other, "cpu", 0.2, 100, NULL, started_cb, &started);
      wait_until (flag_set, &started);
      wait_until (ready_cpu_is, GUINT_TO_POINTER (i));
    }

  /* The wall recording, the ring's and these eight: more than a screenful. */
  total = g_list_model_get_n_items (all);
  g_assert_cmpuint (total, >=, 10);
  wait_until (rows_are, GUINT_TO_POINTER (8));
  label = g_strdup_printf ("Show All %u Profiles", total);
  more = find_descendant (GTK_WIDGET (sidebar), is_labelled_button, label);
  g_assert_nonnull (more);
  wait_for_paint ();
  screenshots (GTK_WIDGET (window), "agent-profiles-many");

  g_signal_emit_by_name (more, "clicked");
  wait_until (rows_are, GUINT_TO_POINTER (total));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (more)), ==, "Show Fewer");
  g_signal_emit_by_name (more, "clicked");
  wait_until (rows_are, GUINT_TO_POINTER (8));
}

/* Save As writes the bytes as the agent served them: gzipped pprof. */
static void
test_save_as (void)
{
  SgProfilePage *page = get_profile_page ();
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "saved.pb.gz", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(SgProfile) reread = NULL;
  const guint8 *data;
  gsize len;

  g_assert_true (sg_profile_page_save_to (page, file, &error));
  g_assert_no_error (error);
  saved = g_file_load_bytes (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (saved, sg_profile_file_get_contents (sg_profile_page_get_profile (page))));
  data = g_bytes_get_data (saved, &len);
  g_assert_cmpuint (len, >, 2);
  g_assert_cmpuint (data[0], ==, 0x1f);
  g_assert_cmpuint (data[1], ==, 0x8b);
  reread = sg_profile_load_bytes (saved, "saved.pb.gz", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sg_profile_get_profile_type (reread), ==, "cpu");

  /* A folder that does not exist: an error that names the file. */
  {
    g_autoptr(GFile) bad = g_file_new_for_path ("/nonexistent/folder/x.pb.gz");
    g_autoptr(GError) bad_error = NULL;

    g_assert_false (sg_profile_page_save_to (page, bad, &bad_error));
    g_assert_nonnull (bad_error);
    g_assert_nonnull (strstr (bad_error->message, "x.pb.gz"));
  }
}

/* Open Source on the shop's main() frame: the Debug page shows the agent's
 * file, with the cursor on that frame's line. */
static void
test_open_source (void)
{
  SgProfilePage *page = get_profile_page ();
  SgProfile *shown;
  SgSourceView *view = SG_SOURCE_VIEW (sg_debug_page_get_source_view (debug_page));
  GtkTextBuffer *buffer;
  GtkTextIter cursor;
  int frame;
  guint line;

  g_autoptr(SgProfileFile) recorded = g_list_model_get_item (sg_window_get_profiles (window), 0);

  /* Back to the wall recording, which has main() on its stack. */
  g_signal_emit_by_name (sidebar, "profile-activated", recorded);
  wait_until (page_shows_type, "wall");
  shown = sg_profile_page_get_shown_profile (page);
  frame = find_frame (shown, "main", "examples/shop/__main__.py");
  g_assert_cmpint (frame, >=, 0);
  line = sg_profile_get_frames (shown)[frame].line;
  g_assert_cmpuint (line, >, 1);

  g_signal_emit_by_name (sg_profile_page_get_flame_graph (page), "open-source",
                         sg_profile_get_frame_file (shown, frame), (int) line);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (get_stack ()), ==, "debug");
  wait_until (source_shown, "examples/shop/__main__.py");
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (sg_source_view_get_text_view (view)));
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  g_assert_cmpuint (gtk_text_iter_get_line (&cursor) + 1, ==, line);
  wait_for_paint ();
  screenshots (GTK_WIDGET (window), "agent-profiles-open-source");

  /* A file no source knows: a toast that says so. */
  g_signal_emit_by_name (sg_profile_page_get_flame_graph (page), "open-source", "/nowhere/at/all.py", 3);
  wait_until (has_visible_label, "/nowhere/at/all.py");
  sg_window_show_page (window, "profile");
}

typedef struct
{
  SgDebugPage *page;
  guint        line;
} ShownAt;

/* The file is shown, its folder listed, and the cursor on the line. */
static gboolean
shown_at (gpointer data)
{
  ShownAt *at = data;
  SgSourceView *view = SG_SOURCE_VIEW (sg_debug_page_get_source_view (at->page));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (sg_source_view_get_text_view (view)));
  GtkTextIter cursor;

  if (g_strcmp0 (sg_source_view_get_path (view), "orders.py") != 0 ||
      sg_source_tree_get_root (SG_SOURCE_TREE (sg_debug_page_get_source_tree (at->page))) == NULL)
    return FALSE;
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  return (guint) gtk_text_iter_get_line (&cursor) + 1 == at->line;
}

/* Open Source on a local file with no agent and no source open (a profile
 * of a local script): the Debug page opens the file's folder and shows the
 * file at the line, whichever of the two arrives first.  A window of its
 * own, so the shared one's Debug page stays untouched. */
static void
test_open_local_source (void)
{
  SgWindow *other = sg_window_new (app);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "agent", "orders.py", NULL);
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  SgProfilePage *page;
  ShownAt at = { NULL, 9 };

  gtk_window_present (GTK_WINDOW (other));
  wait_until ((Condition) gtk_widget_get_mapped, other);
  at.page = SG_DEBUG_PAGE (find_descendant (GTK_WIDGET (other), is_type, GSIZE_TO_POINTER (SG_TYPE_DEBUG_PAGE)));
  page = SG_PROFILE_PAGE (find_descendant (GTK_WIDGET (other), is_type, GSIZE_TO_POINTER (SG_TYPE_PROFILE_PAGE)));
  g_assert_null (sg_debug_page_get_current_agent (at.page));

  g_signal_emit_by_name (sg_profile_page_get_flame_graph (page), "open-source", canonical, (int) at.line);
  wait_until (shown_at, &at);
  /* Still there once everything has settled. */
  sg_ui_test_flush_frames (20);
  g_assert_true (shown_at (&at));
  gtk_window_destroy (GTK_WINDOW (other));
}

static gboolean
hint_says_switched_off (gpointer profiles)
{
  return g_strcmp0 (sg_agent_profiles_get_record_hint (profiles), "This agent runs with profiling switched off") == 0 &&
         g_strcmp0 (sg_agent_profiles_get_error (profiles), "This agent runs with profiling switched off") == 0;
}

/* An agent started without profiling (--no-profiling): Record Profile is
 * off and says so, and the list says why it is empty instead of showing
 * the 404 a listing would earn. */
static void
test_profiling_off (void)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "fixtures", "agent", "orders.py", NULL);
  g_autoptr(SgTestAgent) agent = NULL;
  SgWindow *other = sg_window_new (app);
  SgDebugPage *page;
  SgAgentClient *client;
  SgAgentProfiles *profiles = sg_window_get_agent_profiles (other);

  g_setenv ("SPYGLASS_PROFILING", "0", TRUE);
  agent = sg_test_agent_start (script, TOKEN, 0);
  g_unsetenv ("SPYGLASS_PROFILING");

  gtk_window_present (GTK_WINDOW (other));
  wait_until ((Condition) gtk_widget_get_mapped, other);
  page = SG_DEBUG_PAGE (find_descendant (GTK_WIDGET (other), is_type, GSIZE_TO_POINTER (SG_TYPE_DEBUG_PAGE)));
  client = sg_debug_agents_add (sg_debug_page_get_agents (page), agent->address, TOKEN, FALSE);
  wait_until (client_connected, client);
  wait_until (hint_says_switched_off, profiles);
  g_assert_false (sg_agent_profiles_get_can_record (profiles));
  g_assert_cmpuint (g_list_model_get_n_items (sg_agent_profiles_get_profiles (profiles)), ==, 0);
  gtk_window_destroy (GTK_WINDOW (other));
}

static gboolean
toast_fetch_failed (gpointer data)
{
  return has_visible_label ("Could not fetch");
}

static gboolean
toast_start_failed (gpointer data)
{
  return has_visible_label ("Could not start recording");
}

/* The agent goes away: opening a listed profile and starting a recording
 * each end in a toast that says why; Record Profile turns off. */
static void
test_agent_gone (void)
{
  SgAgentProfilesRow *row;
  SgRecordDialog *dialog;
  GListModel *opened = sg_window_get_profiles (window);

  /* Close what is open, so the row's profile must be fetched again. */
  while (g_list_model_get_n_items (opened) > 0)
    {
      g_autoptr(SgProfileFile) first = g_list_model_get_item (opened, 0);
      g_signal_emit_by_name (sidebar, "profile-close-requested", first);
    }
  /* The newest: one of the short CPU recordings, never opened. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Spyglass");
  row = find_row ("on_demand", "cpu");
  g_assert_nonnull (row);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.record-profile", NULL);
  dialog = find_record_dialog ();
  g_assert_nonnull (dialog);

  g_subprocess_force_exit (service->process);
  g_subprocess_wait (service->process, NULL, NULL);

  gtk_widget_activate (GTK_WIDGET (row));
  wait_until (toast_fetch_failed, NULL);
  wait_until (is_idle, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (opened), ==, 0);

  sg_record_dialog_set_seconds (dialog, 1);
  sg_record_dialog_record (dialog);
  wait_until (no_record_dialog, NULL);
  wait_until (toast_start_failed, NULL);

  wait_until (record_disabled, NULL);
  wait_for_paint ();
  screenshots (GTK_WIDGET (window), "agent-profiles-agent-gone");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_unsetenv ("SPYGLASS_AGENT");
  if (!sg_ui_test_init (&argc, &argv))
    return 0;
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  /* The shop as a user starts it, continuous profiling left on as it is
   * by default: its first ring profile starts with the agent and is ready
   * 10 s later. */
  service = sg_test_shop_start (TOKEN, SG_TEST_SHOP_DEFAULT);

  debug_page = SG_DEBUG_PAGE (find_descendant (GTK_WIDGET (window), is_type, GSIZE_TO_POINTER (SG_TYPE_DEBUG_PAGE)));
  sidebar = SG_SIDEBAR (find_descendant (GTK_WIDGET (window), is_type, GSIZE_TO_POINTER (SG_TYPE_SIDEBAR)));
  g_assert_nonnull (debug_page);
  g_assert_nonnull (sidebar);
  sg_window_show_page (window, "profile");

  g_test_add_func ("/ui/agent-profiles/no-agent", test_no_agent);
  g_test_add_func ("/ui/agent-profiles/shortcut", test_shortcut);
  g_test_add_func ("/ui/agent-profiles/open-local-source", test_open_local_source);
  g_test_add_func ("/ui/agent-profiles/profiling-off", test_profiling_off);
  g_test_add_func ("/ui/agent-profiles/record", test_record);
  g_test_add_func ("/ui/agent-profiles/cancel", test_cancel);
  g_test_add_func ("/ui/agent-profiles/ring", test_ring);
  g_test_add_func ("/ui/agent-profiles/listed-from-events", test_listed_from_events);
  g_test_add_func ("/ui/agent-profiles/save-as", test_save_as);
  g_test_add_func ("/ui/agent-profiles/open-source", test_open_source);
  g_test_add_func ("/ui/agent-profiles/agent-gone", test_agent_gone);

  ret = g_test_run ();

  g_clear_pointer (&service, sg_test_shop_free);
  return sg_ui_test_finish (ret);
}
