/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Every way a file gets into the window, under Xvfb: the file chooser's
 * and the command line's path (GApplication::open), drag and drop, the
 * recent files menu. Files that are not profiles (text, missing, a folder,
 * empty, corrupt gzip) are refused with a toast that names them; real
 * profiles get a sidebar row with their format; slow reads can be stopped.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "sg-profile-file.h"
#include "sg-ui-test.h"

static void
test_open_unrecognised (void)
{
  g_autoptr(GFile) file = fixture ("notes.txt");

  sg_window_open_file (window, file);
  wait_until (is_idle, NULL);
  /* The toast names the file and says why. */
  wait_until (has_visible_label, (gpointer) "“notes.txt” is not a known profile format");
  g_assert_cmpuint (g_list_model_get_n_items (sg_window_get_profiles (window)), ==, 0);
  g_assert_null (sg_profile_page_get_profile (get_profile_page ()));
}

static void
test_open_missing (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/spyglass/cpu.pb.gz");

  sg_window_open_file (window, file);
  wait_until (is_idle, NULL);
  wait_until (has_visible_label, (gpointer) "“cpu.pb.gz” does not exist");
  g_assert_cmpuint (g_list_model_get_n_items (sg_window_get_profiles (window)), ==, 0);
}

static void
test_open_folder (void)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_test_get_dir (G_TEST_DIST));

  sg_window_open_file (window, file);
  wait_until (is_idle, NULL);
  wait_until (has_visible_label, (gpointer) "is a folder, not a profile file");
  g_assert_cmpuint (g_list_model_get_n_items (sg_window_get_profiles (window)), ==, 0);
}

static void
test_open_empty (void)
{
  g_autoptr(GFile) file = temp_file ("empty.pb.gz", (const guint8 *) "", 0);

  sg_window_open_file (window, file);
  wait_until (is_idle, NULL);
  wait_until (has_visible_label, (gpointer) "“empty.pb.gz” is empty");
  g_assert_cmpuint (g_list_model_get_n_items (sg_window_get_profiles (window)), ==, 0);
}

static void
test_open_corrupt_gzip (void)
{
  g_autoptr(GFile) pprof = fixture ("go-cpu.pb.gz");
  g_autoptr(GBytes) bytes = g_file_load_bytes (pprof, NULL, NULL, NULL);
  g_autoptr(GByteArray) broken = g_byte_array_new ();
  g_autoptr(GFile) file = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  /* A real gzip header followed by a mangled deflate stream. */
  g_byte_array_append (broken, data, 10);
  for (guint i = 0; i < 64; i++)
    g_byte_array_append (broken, (const guint8 *) "\xff", 1);
  file = temp_file ("broken.pb.gz", broken->data, broken->len);

  sg_window_open_file (window, file);
  wait_until (is_idle, NULL);
  wait_until (has_visible_label,
              (gpointer) "“broken.pb.gz” looks gzip-compressed but cannot be uncompressed");
  g_assert_cmpuint (g_list_model_get_n_items (sg_window_get_profiles (window)), ==, 0);
}

static void
test_open_recognised (void)
{
  g_autoptr(GFile) pstats = fixture ("fib.pstats");
  g_autoptr(GFile) pprof = fixture ("go-cpu.pb.gz");
  g_autofree char *uri = g_file_get_uri (pprof);
  GListModel *profiles = sg_window_get_profiles (window);
  g_autoptr(SgProfileFile) first = NULL;
  g_autoptr(SgProfileFile) second = NULL;

  sg_window_open_file (window, pstats);
  sg_window_open_file (window, pprof);
  wait_until (is_idle, NULL);

  g_assert_cmpuint (g_list_model_get_n_items (profiles), ==, 2);
  first = g_list_model_get_item (profiles, 0);
  second = g_list_model_get_item (profiles, 1);
  /* Reads run in parallel; either may finish first. */
  if (sg_profile_file_get_format (first) != SG_FORMAT_PSTATS)
    {
      SgProfileFile *tmp = first;
      first = second;
      second = tmp;
    }
  g_assert_cmpint (sg_profile_file_get_format (first), ==, SG_FORMAT_PSTATS);
  g_assert_false (sg_profile_file_get_compressed (first));
  g_assert_cmpint (sg_profile_file_get_format (second), ==, SG_FORMAT_PPROF);
  g_assert_true (sg_profile_file_get_compressed (second));
  /* Contents are the file's bytes as on disk, still compressed. */
  g_assert_cmpuint (g_bytes_get_size (sg_profile_file_get_contents (second)), ==, 636);

  /* Sidebar rows with name and format, and the Profile page shows the last. */
  wait_for_paint ();
  g_assert_true (has_visible_label ((gpointer) "fib.pstats"));
  g_assert_true (has_visible_label ((gpointer) "go-cpu.pb.gz"));
  g_assert_true (has_visible_label ((gpointer) "cProfile/pstats"));
  g_assert_true (has_visible_label ((gpointer) "pprof, gzip-compressed"));
  g_assert_false (has_visible_label ((gpointer) "No profiles open"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (get_stack ()), ==, "profile");
  g_assert_nonnull (sg_profile_page_get_profile (get_profile_page ()));
  g_assert_true (has_visible_label ((gpointer) "The flame graph viewer is not built yet"));

  /* Remembered as a recent file. */
  g_assert_true (gtk_recent_manager_has_item (gtk_recent_manager_get_default (), uri));

  /* Opening it again selects it instead of listing it twice. */
  sg_window_open_file (window, pprof);
  wait_until (is_idle, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (profiles), ==, 2);
  g_assert_true (sg_profile_page_get_profile (get_profile_page ()) == second);
}

static void
test_recent_off (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GFile) dir = g_file_new_for_path (g_get_user_cache_dir ());
  g_autoptr(GFile) copy = g_file_get_child (dir, "private.pstats");
  g_autoptr(GFile) pstats = fixture ("fib.pstats");
  g_autofree char *uri = g_file_get_uri (copy);
  g_autoptr(GError) error = NULL;

  g_file_make_directory_with_parents (dir, NULL, NULL);
  g_file_copy (pstats, copy, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  g_settings_set_boolean (settings, "remember-recent-files", FALSE);
  sg_window_open_file (window, copy);
  wait_until (is_idle, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (sg_window_get_profiles (window)), ==, 3);
  g_assert_false (gtk_recent_manager_has_item (gtk_recent_manager_get_default (), uri));
  g_settings_reset (settings, "remember-recent-files");
}

static gboolean
is_stop_button (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, "sidebar-stop") &&
         gtk_widget_get_mapped (widget);
}

/* A file that takes long to read shows a row with a Stop button; a read
 * that was stopped never adds a profile, even when it completes later.
 * A FIFO stands in for a slow disk: reading it blocks until written. */
static void
test_stop_reading (void)
{
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "slow.pb.gz", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GListModel *profiles = sg_window_get_profiles (window);
  guint n = g_list_model_get_n_items (profiles);
  GtkWidget *stop;

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  sg_window_open_file (window, file);
  wait_until (has_visible_label, (gpointer) "Reading…");
  g_assert_true (has_visible_label ((gpointer) "slow.pb.gz"));
  g_assert_cmpuint (sg_window_get_n_loading (window), ==, 1);

  /* Asking again while it is being read does not start a second read. */
  sg_window_open_file (window, file);
  g_assert_cmpuint (sg_window_get_n_loading (window), ==, 1);

  stop = find_descendant (GTK_WIDGET (window), is_stop_button, NULL);
  g_assert_nonnull (stop);
  g_signal_emit_by_name (stop, "clicked");
  wait_for_paint ();
  g_assert_false (has_visible_label ((gpointer) "Reading…"));

  feed_fifo (path);
  wait_until (is_idle, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (profiles), ==, n);
  g_assert_false (has_visible_label ((gpointer) "slow.pb.gz"));
  g_unlink (path);
}

static gboolean
is_split_button (GtkWidget     *widget,
                 gconstpointer  data)
{
  return ADW_IS_SPLIT_BUTTON (widget);
}

static gboolean
has_n_profiles (gpointer n)
{
  return g_list_model_get_n_items (sg_window_get_profiles (window)) == GPOINTER_TO_UINT (n);
}

/* The Open button's arrow lists recent files; choosing one opens it. */
static void
test_recent_menu (void)
{
  GtkWidget *button = find_descendant (GTK_WIDGET (window), is_split_button, NULL);
  GMenuModel *menu;
  g_autoptr(GFile) pprof = fixture ("go-cpu.pb.gz");
  g_autofree char *uri = g_file_get_uri (pprof);
  gboolean listed = FALSE;

  g_assert_nonnull (button);
  menu = adw_split_button_get_menu_model (ADW_SPLIT_BUTTON (button));
  g_assert_nonnull (menu);

  /* GtkRecentManager saves and reloads asynchronously. */
  for (gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC; !listed; )
    {
      for (int i = 0; i < g_menu_model_get_n_items (menu) && !listed; i++)
        {
          g_autoptr(GVariant) target = NULL;

          target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET,
                                                          G_VARIANT_TYPE_STRING);
          listed = target != NULL && g_strcmp0 (g_variant_get_string (target, NULL), uri) == 0;
        }
      if (!listed)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_main_context_iteration (NULL, FALSE);
        }
    }

  /* Close it, then open it again from the recent menu's action. */
  {
    GListModel *profiles = sg_window_get_profiles (window);
    guint n = g_list_model_get_n_items (profiles);

    for (guint i = 0; i < n; i++)
      {
        g_autoptr(SgProfileFile) profile = g_list_model_get_item (profiles, i);

        if (g_file_equal (sg_profile_file_get_file (profile), pprof))
          {
            GtkWidget *sidebar = find_descendant (GTK_WIDGET (window), is_type,
                                                  GSIZE_TO_POINTER (g_type_from_name ("SgSidebar")));

            g_signal_emit_by_name (sidebar, "profile-close-requested", profile);
            break;
          }
      }
    g_assert_cmpuint (g_list_model_get_n_items (profiles), ==, n - 1);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-recent", "s", uri));
    wait_until (has_n_profiles, GUINT_TO_POINTER (n));
  }
}

static gboolean
is_close_button_of (GtkWidget     *widget,
                    gconstpointer  name)
{
  GtkWidget *row;

  if (!GTK_IS_BUTTON (widget) || !gtk_widget_has_css_class (widget, "sidebar-close"))
    return FALSE;
  row = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW);
  return row != NULL && find_descendant (row, is_mapped_label_containing, name) != NULL;
}

static gboolean
is_row_of (GtkWidget     *widget,
           gconstpointer  name)
{
  return GTK_IS_LIST_BOX_ROW (widget) &&
         find_descendant (widget, is_mapped_label_containing, name) != NULL;
}

/* Clicking the row already selected shows its page again (in a folded
 * window that is the only way back to it). */
static void
test_activate_selected_row (void)
{
  GtkWidget *row;

  wait_for_paint ();
  row = find_descendant (GTK_WIDGET (window), is_row_of, "go-cpu.pb.gz");
  g_assert_nonnull (row);
  g_assert_true (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (row)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "debug"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (get_stack ()), ==, "debug");
  g_signal_emit_by_name (row, "activate");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (get_stack ()), ==, "profile");
  g_assert_cmpstr (sg_profile_file_get_display_name (sg_profile_page_get_profile (get_profile_page ())),
                   ==, "go-cpu.pb.gz");
}

/* The row's close button removes the profile; the page moves on. */
static void
test_close_profile (void)
{
  GListModel *profiles = sg_window_get_profiles (window);
  guint n = g_list_model_get_n_items (profiles);
  GtkWidget *close;

  gpointer closed = NULL;

  wait_for_paint ();
  close = find_descendant (GTK_WIDGET (window), is_close_button_of, "fib.pstats");
  g_assert_nonnull (close);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SgProfileFile) profile = g_list_model_get_item (profiles, i);

      if (g_strcmp0 (sg_profile_file_get_display_name (profile), "fib.pstats") == 0)
        {
          closed = profile;
          g_object_add_weak_pointer (closed, &closed);
        }
    }
  g_assert_nonnull (closed);
  g_signal_emit_by_name (close, "clicked");
  g_assert_cmpuint (g_list_model_get_n_items (profiles), ==, n - 1);
  /* Nothing keeps a closed profile (and its bytes) alive. */
  wait_until (object_gone, &closed);
  for (guint i = 0; i < n - 1; i++)
    {
      g_autoptr(SgProfileFile) profile = g_list_model_get_item (profiles, i);

      g_assert_cmpstr (sg_profile_file_get_display_name (profile), !=, "fib.pstats");
    }
  wait_for_paint ();
  g_assert_false (has_visible_label ((gpointer) "fib.pstats"));
}

/* Files dropped on the window open like any others. */
static void
test_drop (void)
{
  g_autoptr(GFile) pstats = fixture ("fib.pstats");
  g_autoptr(GFile) notes = fixture ("notes.txt");
  GSList *files = NULL;
  GValue value = G_VALUE_INIT;
  GtkEventController *drop = NULL;
  g_autoptr(GListModel) controllers = NULL;
  GtkWidget *overlay = find_descendant (GTK_WIDGET (window), is_type,
                                        GSIZE_TO_POINTER (ADW_TYPE_TOAST_OVERLAY));
  gboolean accepted = FALSE;
  guint n = g_list_model_get_n_items (sg_window_get_profiles (window));

  g_assert_nonnull (overlay);
  controllers = gtk_widget_observe_controllers (overlay);
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && drop == NULL; i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (c))
        drop = c;
    }
  g_assert_nonnull (drop);
  g_assert_true (g_type_is_a (GDK_TYPE_FILE_LIST,
                              gtk_drop_target_get_gtypes (GTK_DROP_TARGET (drop), NULL)[0]));

  files = g_slist_append (files, pstats);
  files = g_slist_append (files, notes);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_set_boxed (&value, files);
  g_signal_emit_by_name (drop, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_slist_free (files);
  g_assert_true (accepted);

  wait_until (is_idle, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (sg_window_get_profiles (window)), ==, n + 1);
  wait_until (has_visible_label, (gpointer) "“notes.txt” is not a known profile format");
}

/* `spyglass FILE` goes through GApplication::open. */
static void
test_command_line_open (void)
{
  g_autoptr(GFile) pstats = fixture ("fib.pstats");
  GFile *files[] = { pstats };
  GListModel *profiles = sg_window_get_profiles (window);
  guint n = g_list_model_get_n_items (profiles);

  test_close_profile ();
  g_assert_cmpuint (g_list_model_get_n_items (profiles), ==, n - 1);
  g_application_open (G_APPLICATION (app), files, 1, "");
  wait_until (is_idle, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (profiles), ==, n);
  /* Into the existing window, not a new one. */
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  if (!sg_ui_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/ui/open/unrecognised", test_open_unrecognised);
  g_test_add_func ("/ui/open/missing", test_open_missing);
  g_test_add_func ("/ui/open/folder", test_open_folder);
  g_test_add_func ("/ui/open/empty", test_open_empty);
  g_test_add_func ("/ui/open/corrupt-gzip", test_open_corrupt_gzip);
  g_test_add_func ("/ui/open/recognised", test_open_recognised);
  g_test_add_func ("/ui/open/stop-reading", test_stop_reading);
  g_test_add_func ("/ui/open/recent-menu", test_recent_menu);
  g_test_add_func ("/ui/open/activate-selected-row", test_activate_selected_row);
  g_test_add_func ("/ui/open/close-profile", test_close_profile);
  g_test_add_func ("/ui/open/drop", test_drop);
  g_test_add_func ("/ui/open/command-line-open", test_command_line_open);
  g_test_add_func ("/ui/open/recent-off", test_recent_off);

  return sg_ui_test_finish (g_test_run ());
}
