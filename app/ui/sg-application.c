/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sg-application.h"
#include "sg-preferences-window.h"
#include "sg-window.h"

struct _SgApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (SgApplication, sg_application, ADW_TYPE_APPLICATION)

/* Every keyboard accelerator of the application, in one place. */
static const struct {
  const char *action;
  const char *accels[3];
} accelerators[] = {
  { "app.quit",                { "<Control>q", NULL } },
  { "app.open",                { "<Control>o", NULL } },
  { "app.preferences",         { "<Control>comma", NULL } },
  { "win.close",               { "<Control>w", NULL } },
  { "win.record-profile",      { "<Control>r", NULL } },
  { "win.show-help-overlay",   { "<Control>question", NULL } },
  { "win.show-page::debug",    { "<Alt>1", NULL } },
  { "win.show-page::profile",  { "<Alt>2", NULL } },
  { "win.show-page::memory",   { "<Alt>3", NULL } },
  { "win.show-page::compare",  { "<Alt>4", NULL } },
};

/* The most recently focused main window, skipping dialogs. */
static SgWindow *
get_main_window (SgApplication *self)
{
  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (SG_IS_WINDOW (l->data))
      return SG_WINDOW (l->data);
  return NULL;
}

static SgWindow *
get_or_create_window (SgApplication *self)
{
  SgWindow *window = get_main_window (self);

  return window != NULL ? window : sg_window_new (self);
}

static AdwColorScheme
color_scheme_from_setting (int value)
{
  switch (value)
    {
    case 1: return ADW_COLOR_SCHEME_FORCE_LIGHT;
    case 2: return ADW_COLOR_SCHEME_FORCE_DARK;
    case 0:
    default:
      /* PREFER_LIGHT follows the system: dark when the desktop asks for it. */
      return ADW_COLOR_SCHEME_PREFER_LIGHT;
    }
}

static void
on_color_scheme_changed (SgApplication *self,
                         const char    *key,
                         GSettings     *settings)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  int value = g_settings_get_enum (settings, key);

  adw_style_manager_set_color_scheme (style_manager, color_scheme_from_setting (value));
}

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  SgApplication   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      guint n = g_list_model_get_n_items (files);
      g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));

      g_application_open (G_APPLICATION (self), (GFile **) array->pdata, array->len, "");
    }

  g_object_unref (dialog);
}

static void
open_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  SgApplication *self = user_data;
  SgWindow *window = get_or_create_window (self);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) profiles = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  /* Formats are recognised from content, so the filter is only a
   * convenience: the usual names, and “All Files” for renamed ones. */
  gtk_file_filter_set_name (profiles, _("Profiles"));
  for (const char *const *p = (const char *const[]) {
         "*.pb", "*.pb.gz", "*.pprof", "*.prof", "*.pstats", "*.folded", "*.collapsed",
         "*.txt", "*.json", "*.cpuprofile", "*.speedscope.json", "*.gz", NULL }; *p; p++)
    gtk_file_filter_add_pattern (profiles, *p);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");

  dialog = gtk_file_chooser_native_new (_("Open Profile"),
                                        GTK_WINDOW (window),
                                        GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"),
                                        _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), profiles);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  SgApplication *self = user_data;
  SgPreferencesWindow *preferences = sg_preferences_window_new (self->settings);

  /* Part of the application, so app.quit closes it too. */
  gtk_window_set_application (GTK_WINDOW (preferences), GTK_APPLICATION (self));
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (get_main_window (self)));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  SgApplication *self = user_data;
  static const char *developers[] = { "The Spyglass developers", NULL };
  g_autofree char *debug_info = NULL;
  GtkWidget *about;

  /* What a bug report needs, copyable from the About window. */
  debug_info = g_strdup_printf ("Spyglass %s%s\n"
                                "GLib %u.%u.%u\n"
                                "GTK %u.%u.%u\n"
                                "libadwaita %u.%u.%u\n"
                                "Desktop: %s\n",
                                PACKAGE_VERSION, DEVELOPMENT_BUILD ? " (development)" : "",
                                glib_major_version, glib_minor_version, glib_micro_version,
                                gtk_get_major_version (), gtk_get_minor_version (),
                                gtk_get_micro_version (),
                                adw_get_major_version (), adw_get_minor_version (),
                                adw_get_micro_version (),
                                g_getenv ("XDG_CURRENT_DESKTOP") ? g_getenv ("XDG_CURRENT_DESKTOP")
                                                                 : "unknown");

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application", self,
                        "transient-for", get_main_window (self),
                        "application-icon", APP_ID,
                        "application-name", _("Spyglass"),
                        "developer-name", _("The Spyglass developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Look inside running Python services: snapshot "
                                      "breakpoints, logpoints, profiles and flame graphs."),
                        "website", "https://github.com/spyglass/spyglass",
                        "issue-url", "https://github.com/spyglass/spyglass/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Spyglass developers",
                        "developers", developers,
                        "debug-info", debug_info,
                        /* Translators: your names, one a line; shown in the About window */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  SgApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Close windows rather than quitting outright so each saves its state. */
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static const GActionEntry app_actions[] = {
  { "open", open_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "quit", quit_action },
};

static void
sg_application_startup (GApplication *application)
{
  SgApplication *self = SG_APPLICATION (application);

  G_APPLICATION_CLASS (sg_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accelerators); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accelerators[i].action,
                                           accelerators[i].accels);

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (on_color_scheme_changed), self, G_CONNECT_SWAPPED);
  on_color_scheme_changed (self, "color-scheme", self->settings);
}

static void
sg_application_activate (GApplication *application)
{
  SgWindow *window = get_or_create_window (SG_APPLICATION (application));

  gtk_window_present (GTK_WINDOW (window));
}

static void
sg_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  SgWindow *window = get_or_create_window (SG_APPLICATION (application));

  gtk_window_present (GTK_WINDOW (window));
  for (int i = 0; i < n_files; i++)
    sg_window_open_file (window, files[i]);
}

static void
sg_application_dispose (GObject *object)
{
  SgApplication *self = (SgApplication *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sg_application_parent_class)->dispose (object);
}

static void
sg_application_class_init (SgApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = sg_application_dispose;

  app_class->startup = sg_application_startup;
  app_class->activate = sg_application_activate;
  app_class->open = sg_application_open;
}

static void
sg_application_init (SgApplication *self)
{
}

SgApplication *
sg_application_new (void)
{
  return g_object_new (SG_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/spyglass/Spyglass",
                       NULL);
}

/**
 * sg_application_get_settings:
 *
 * Returns: (transfer none): the application's settings (valid after startup)
 */
GSettings *
sg_application_get_settings (SgApplication *self)
{
  g_return_val_if_fail (SG_IS_APPLICATION (self), NULL);

  return self->settings;
}
