/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The main window as a user meets it, under Xvfb: its pages and actions,
 * accelerators, the folded (narrow) layout, Preferences, About and the
 * shortcuts window, saved window state, and screenshots in light and dark
 * saved into the build dir.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "sg-compare-page.h"
#include "sg-debug-page.h"
#include "sg-memory-page.h"
#include "sg-preferences-window.h"
#include "sg-profile-file.h"
#include "sg-ui-test.h"

static gboolean
has_two_profiles (gpointer data)
{
  return is_idle (NULL) && g_list_model_get_n_items (sg_window_get_profiles (window)) >= 2;
}

/* Two real profiles in the sidebar (opening one already open only
 * selects it, so this can be called again). */
static void
open_fixtures (void)
{
  g_autoptr(GFile) pstats = fixture ("fib.pstats");
  g_autoptr(GFile) pprof = fixture ("go-cpu.pb.gz");

  sg_window_open_file (window, pstats);
  sg_window_open_file (window, pprof);
  wait_until (has_two_profiles, NULL);
}

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
  guint n;
  GtkWidget *close, *row;
  int width, height;

  open_fixtures ();
  n = g_list_model_get_n_items (profiles);
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
  GtkWidget *widget = GTK_WIDGET (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  g_autofree guchar *pixels = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gsize stride;
  gboolean varied = FALSE;

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* A screenshot of one flat colour means nothing was drawn. */
  stride = 4 * (gsize) gdk_texture_get_width (texture);
  pixels = g_malloc (stride * gdk_texture_get_height (texture));
  gdk_texture_download (texture, pixels, stride);
  for (gsize i = 4; i < stride * gdk_texture_get_height (texture) && !varied; i += 4)
    varied = memcmp (pixels, pixels + i, 4) != 0;
  g_assert_true (varied);

  path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                           name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot saved to %s", path);
}

static void
test_screenshots (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  /* What a user sees after opening a couple of profiles. */
  open_fixtures ();
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  wait_for_paint ();
  save_screenshot ("screenshot-window-light.png");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style));
  wait_for_paint ();
  save_screenshot ("screenshot-window-dark.png");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_PREFER_LIGHT);
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
  g_test_add_func ("/ui/window/folded", test_folded);
  g_test_add_func ("/ui/window/preferences", test_preferences);
  g_test_add_func ("/ui/window/about", test_about);
  g_test_add_func ("/ui/window/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/ui/window/screenshots", test_screenshots);
  g_test_add_func ("/ui/window/state", test_window_state);

  return sg_ui_test_finish (g_test_run ());
}
