/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The main window as a user meets it, under Xvfb: its pages and actions,
 * opening a file that is not a profile (a toast must say so) and real
 * profiles (a row must appear under Profiles), recent files, saved window
 * state, and screenshots in light and dark saved into the build dir.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "sg-application.h"
#include "sg-compare-page.h"
#include "sg-debug-page.h"
#include "sg-memory-page.h"
#include "sg-profile-file.h"
#include "sg-profile-page.h"
#include "sg-preferences-window.h"
#include "sg-ui-test.h"
#include "sg-window.h"

static void
test_pages (void)
{
  AdwViewStack *stack = get_stack ();
  static const struct { const char *name; GType (*get_type) (void); } pages[] = {
    { "debug", sg_debug_page_get_type },
    { "profile", sg_profile_page_get_type },
    { "memory", sg_memory_page_get_type },
    { "compare", sg_compare_page_get_type },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *page = adw_view_stack_get_child_by_name (stack, pages[i].name);
      AdwViewStackPage *stack_page;

      g_assert_nonnull (page);
      g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (page, pages[i].get_type ()));
      stack_page = adw_view_stack_get_page (stack, page);
      g_assert_nonnull (adw_view_stack_page_get_title (stack_page));
      g_assert_nonnull (adw_view_stack_page_get_icon_name (stack_page));

      /* Every page is reachable by its action, which Alt+N triggers. */
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window),
                                                 "win.show-page", "s", pages[i].name));
      g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, pages[i].name);
    }

  /* An honest empty state: the Profile page says how to open a file. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "profile"));
  wait_for_paint ();
  g_assert_true (has_visible_label ((gpointer) "Open a Profile"));
  g_assert_true (has_visible_label ((gpointer) "No profiles open"));
  g_assert_true (has_visible_label ((gpointer) "No agents connected"));
  g_assert_true (has_visible_label ((gpointer) "Nothing recorded yet"));
}

static void
test_actions (void)
{
  static const char *app_actions[] = { "open", "preferences", "about", "quit" };
  static const struct { const char *action; const char *accel; } accels[] = {
    { "app.quit", "<Control>q" },
    { "app.open", "<Control>o" },
    { "app.preferences", "<Control>comma" },
    { "win.close", "<Control>w" },
    { "win.show-help-overlay", "<Control>question" },
    { "win.show-page::debug", "<Alt>1" },
    { "win.show-page::profile", "<Alt>2" },
    { "win.show-page::memory", "<Alt>3" },
    { "win.show-page::compare", "<Alt>4" },
  };
  gboolean found_close = FALSE;
  const char *name, *property;
  GType owner;
  const GVariantType *param_type;

  for (guint i = 0; i < G_N_ELEMENTS (app_actions); i++)
    g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), app_actions[i]));

  /* GtkApplicationWindow adds this one when gtk/help-overlay.ui exists. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  for (guint i = 0; gtk_widget_class_query_action (GTK_WIDGET_GET_CLASS (window), i,
                                                    &owner, &name, &param_type, &property); i++)
    found_close |= g_strcmp0 (name, "win.close") == 0;
  g_assert_true (found_close);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    {
      g_auto(GStrv) set = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                accels[i].action);

      g_assert_true (g_strv_contains ((const char * const *) set, accels[i].accel));
    }
}

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
  /* The Profile page is reading it (or shows it, or why it cannot). */
  g_assert_cmpstr (sg_profile_page_get_state (get_profile_page ()), !=, "empty");

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


static gboolean
is_folded (gpointer leaflet)
{
  return adw_leaflet_get_folded (leaflet);
}

static gboolean
is_first_close_button (GtkWidget     *widget,
                       gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, "sidebar-close") &&
         gtk_widget_get_mapped (widget);
}

/* In a narrow window the sidebar and the page take turns: choosing a
 * profile shows the page, Back shows the sidebar, and closing a profile
 * from the sidebar stays there. */
static void
test_folded (void)
{
  AdwLeaflet *leaflet = ADW_LEAFLET (find_descendant (GTK_WIDGET (window), is_type,
                                                      GSIZE_TO_POINTER (ADW_TYPE_LEAFLET)));
  GListModel *profiles = sg_window_get_profiles (window);
  guint n = g_list_model_get_n_items (profiles);
  GtkWidget *close, *row;
  int width, height;

  g_assert_cmpuint (n, >=, 2);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 700);
  wait_until (is_folded, leaflet);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-sidebar", NULL));
  wait_for_paint ();
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "sidebar");

  close = find_descendant (GTK_WIDGET (window), is_first_close_button, NULL);
  g_assert_nonnull (close);
  g_signal_emit_by_name (close, "clicked");
  g_assert_cmpuint (g_list_model_get_n_items (profiles), ==, n - 1);
  wait_for_paint ();
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "sidebar");

  row = gtk_widget_get_ancestor (find_descendant (GTK_WIDGET (window), is_first_close_button, NULL),
                                 GTK_TYPE_LIST_BOX_ROW);
  g_assert_nonnull (row);
  g_signal_emit_by_name (row, "activate");
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "content");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (get_stack ()), ==, "profile");

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  wait_for_paint ();
}

static void
save_screenshot (const char *name)
{
  sg_ui_test_save_screenshot (GTK_WIDGET (window), name);
}

static void
test_screenshots (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  wait_for_paint ();
  save_screenshot ("screenshot-window-light.png");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style));
  wait_for_paint ();
  save_screenshot ("screenshot-window-dark.png");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_PREFER_LIGHT);
}

static void
test_color_scheme_setting (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  AdwStyleManager *style = adw_style_manager_get_default ();

  g_settings_set_enum (settings, "color-scheme", 2);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_settings_set_enum (settings, "color-scheme", 1);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_settings_reset (settings, "color-scheme");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_PREFER_LIGHT);
}


static GtkWindow *
find_app_window (GType type)
{
  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      return l->data;
  return NULL;
}

static gboolean
has_app_window (gpointer type)
{
  GtkWindow *found = find_app_window (GPOINTER_TO_SIZE (type));

  return found != NULL && gtk_widget_get_mapped (GTK_WIDGET (found));
}

/* The preferences window's rows are bound to GSettings, and the style
 * row really switches the style. */
static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWindow *prefs;
  GtkWidget *combo, *toggle;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  wait_until (has_app_window, GSIZE_TO_POINTER (SG_TYPE_PREFERENCES_WINDOW));
  prefs = find_app_window (SG_TYPE_PREFERENCES_WINDOW);
  g_assert_true (gtk_window_get_transient_for (prefs) == GTK_WINDOW (window));

  combo = find_descendant (GTK_WIDGET (prefs), is_type, GSIZE_TO_POINTER (ADW_TYPE_COMBO_ROW));
  toggle = find_descendant (GTK_WIDGET (prefs), is_type, GSIZE_TO_POINTER (GTK_TYPE_SWITCH));
  g_assert_nonnull (combo);
  g_assert_nonnull (toggle);

  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (combo)), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 2);
  g_assert_cmpstr (g_settings_get_string (settings, "color-scheme"), ==, "dark");
  g_assert_true (adw_style_manager_get_dark (style));
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 1);
  g_assert_cmpstr (g_settings_get_string (settings, "color-scheme"), ==, "light");
  g_assert_false (adw_style_manager_get_dark (style));

  /* And the other way round: a changed setting shows in the row. */
  g_settings_reset (settings, "color-scheme");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (combo)), ==, 0);

  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "remember-recent-files"));
  g_settings_reset (settings, "remember-recent-files");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));

  gtk_window_destroy (prefs);
}

static void
test_about (void)
{
  AdwAboutWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  wait_until (has_app_window, GSIZE_TO_POINTER (ADW_TYPE_ABOUT_WINDOW));
  about = ADW_ABOUT_WINDOW (find_app_window (ADW_TYPE_ABOUT_WINDOW));
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_nonnull (strstr (adw_about_window_get_debug_info (about), "GTK 4."));
  /* The icon comes from the app's resources when nothing is installed. */
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                          APP_ID));
  gtk_window_destroy (GTK_WINDOW (about));
}

static void
test_shortcuts_window (void)
{
  GtkWindow *help;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  help = GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  wait_until ((Condition) gtk_widget_get_mapped, help);
  g_assert_true (find_descendant (GTK_WIDGET (help), is_mapped_label_containing,
                                  "Open a profile file") != NULL);
  gtk_widget_set_visible (GTK_WIDGET (help), FALSE);
}


/* Last: closes the window and checks what it saved. */
static void
test_window_state (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  gpointer weak = window;

  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "closing.pb.gz", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  gtk_window_set_default_size (GTK_WINDOW (window), 901, 613);
  wait_for_paint ();

  /* Closed while a file is still being read: the read is stopped, and its
   * end, however it comes, touches nothing of the closed window. */
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  sg_window_open_file (window, file);
  g_assert_cmpuint (sg_window_get_n_loading (window), ==, 1);

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.close", NULL));
  feed_fifo (path);
  wait_until (object_gone, &weak);
  window = NULL;
  g_unlink (path);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 901);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 613);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* A new window comes back at that size. */
  window = sg_window_new (app);
  {
    int width, height;

    gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
    g_assert_cmpint (width, ==, 901);
    g_assert_cmpint (height, ==, 613);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  window = NULL;
}

int
main (int   argc,
      char *argv[])
{
  if (!sg_ui_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/ui/window/pages", test_pages);
  g_test_add_func ("/ui/window/actions", test_actions);
  g_test_add_func ("/ui/window/color-scheme-setting", test_color_scheme_setting);
  g_test_add_func ("/ui/window/open-unrecognised", test_open_unrecognised);
  g_test_add_func ("/ui/window/open-missing", test_open_missing);
  g_test_add_func ("/ui/window/open-folder", test_open_folder);
  g_test_add_func ("/ui/window/open-empty", test_open_empty);
  g_test_add_func ("/ui/window/open-corrupt-gzip", test_open_corrupt_gzip);
  g_test_add_func ("/ui/window/open-recognised", test_open_recognised);
  g_test_add_func ("/ui/window/stop-reading", test_stop_reading);
  g_test_add_func ("/ui/window/recent-menu", test_recent_menu);
  g_test_add_func ("/ui/window/activate-selected-row", test_activate_selected_row);
  g_test_add_func ("/ui/window/close-profile", test_close_profile);
  g_test_add_func ("/ui/window/drop", test_drop);
  g_test_add_func ("/ui/window/command-line-open", test_command_line_open);
  g_test_add_func ("/ui/window/recent-off", test_recent_off);
  g_test_add_func ("/ui/window/folded", test_folded);
  g_test_add_func ("/ui/window/preferences", test_preferences);
  g_test_add_func ("/ui/window/about", test_about);
  g_test_add_func ("/ui/window/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/ui/window/screenshots", test_screenshots);
  g_test_add_func ("/ui/window/state", test_window_state);

  return sg_ui_test_finish (g_test_run ());
}
