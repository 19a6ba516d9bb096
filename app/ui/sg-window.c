/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The main window: targets on the left (agents, opened profiles, history),
 * one page per task on the right. The window owns the list of opened
 * profiles; pages and the sidebar only look at it, so later pages can
 * replace their status pages without touching how files get opened.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sg-agent-profiles.h"
#include "sg-compare-page.h"
#include "sg-debug-agent-row.h"
#include "sg-debug-page.h"
#include "sg-memory-page.h"
#include "sg-profile-file.h"
#include "sg-profile-page.h"
#include "sg-recent.h"
#include "sg-record-dialog.h"
#include "sg-sidebar.h"
#include "sg-source-tree.h"

/* How many of the latest snapshots the sidebar's History lists. */
#define SIDEBAR_HISTORY_SIZE 20
#include "sg-window.h"

struct _SgWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GListStore           *profiles;
  /* Files being read (GFile), shown in the sidebar, and how to stop each. */
  GListStore           *loading;
  GHashTable           *cancellables;
  guint                 n_loading;
  /* The Debug page's current agent's profiles, under Agent Profiles. */
  SgAgentProfiles      *agent_profiles;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  SgSidebar            *sidebar;
  AdwViewStack         *stack;
  SgProfilePage        *profile_page;
  SgDebugPage          *debug_page;
  SgMemoryPage         *memory_page;
  SgComparePage        *compare_page;
};

G_DEFINE_FINAL_TYPE (SgWindow, sg_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_N_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  SgWindow *self;
  GFile    *file;
  gboolean  from_agent;  /* fetched, not read: not a recent file */
} Load;

static void
load_free (Load *load)
{
  g_clear_object (&load->self);
  g_clear_object (&load->file);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Load, load_free)

static void
set_n_loading (SgWindow *self,
               guint     n_loading)
{
  if (self->n_loading == n_loading)
    return;
  self->n_loading = n_loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_LOADING]);
}

/* Takes @file's row out of the sidebar; its read may still be finishing. */
static void
forget_load (SgWindow *self,
             GFile    *file)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->loading));

  g_hash_table_remove (self->cancellables, file);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFile) item = g_list_model_get_item (G_LIST_MODEL (self->loading), i);

      if (g_file_equal (item, file))
        {
          g_list_store_remove (self->loading, i);
          break;
        }
    }
}

static void
on_load_cancel_requested (SgWindow *self,
                          GFile    *file)
{
  GCancellable *cancellable = g_hash_table_lookup (self->cancellables, file);

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  forget_load (self, file);
}

static gboolean
find_profile (SgWindow *self,
              GFile    *file,
              guint    *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->profiles));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SgProfileFile) profile = g_list_model_get_item (G_LIST_MODEL (self->profiles), i);

      if (g_file_equal (sg_profile_file_get_file (profile), file))
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* The shown profile's name in the window's title, for the window
 * switcher: an agent's profile says type, time, service and version. */
static void
update_title (SgWindow      *self,
              SgProfileFile *profile)
{
  g_autofree char *title = NULL;

  if (profile == NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Spyglass"));
      return;
    }
  /* TRANSLATORS: the window title with a profile shown: its name, then the application */
  title = g_strdup_printf (_("%s — Spyglass"), sg_profile_file_get_display_name (profile));
  gtk_window_set_title (GTK_WINDOW (self), title);
}

/* Puts @profile on the Profile page; in a folded window, going to the
 * page is only done when the user asked for it (@navigate). */
static void
present_profile (SgWindow      *self,
                 SgProfileFile *profile,
                 gboolean       navigate)
{
  update_title (self, profile);
  sg_profile_page_set_profile (self->profile_page, profile);
  adw_view_stack_set_visible_child_name (self->stack, "profile");
  if (navigate)
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
show_profile (SgWindow      *self,
              SgProfileFile *profile)
{
  present_profile (self, profile, TRUE);
}

static void
on_profile_selected (SgWindow      *self,
                     SgProfileFile *profile)
{
  present_profile (self, profile, FALSE);
}

static void
on_profile_activated (SgWindow      *self,
                      SgProfileFile *profile)
{
  present_profile (self, profile, TRUE);
}

static void
on_profile_close_requested (SgWindow      *self,
                            SgProfileFile *profile)
{
  /* Removing the row drops the references the sidebar holds. */
  g_autoptr(SgProfileFile) closing = g_object_ref (profile);
  guint position;

  if (!g_list_store_find (self->profiles, closing, &position))
    return;

  g_list_store_remove (self->profiles, position);

  /* The next profile takes its place, without leaving the sidebar when
   * the window is folded. */
  if (sg_profile_page_get_profile (self->profile_page) == closing)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->profiles));
      g_autoptr(SgProfileFile) next = NULL;

      if (n > 0)
        next = g_list_model_get_item (G_LIST_MODEL (self->profiles), MIN (position, n - 1));
      sg_profile_page_set_profile (self->profile_page, next);
      update_title (self, next);
      if (next != NULL)
        sg_sidebar_select_profile (self->sidebar, next);
    }
}

static void
show_error_toast (SgWindow   *self,
                  const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  /* Errors should be read, not glimpsed. */
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_profile_loaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  SgWindow *self = load->self;
  g_autoptr(SgProfileFile) profile = NULL;
  g_autoptr(GError) error = NULL;
  guint position;

  profile = load->from_agent
            ? sg_agent_profiles_fetch_finish (result, &error)
            : sg_profile_file_load_finish (result, &error);
  set_n_loading (self, self->n_loading - 1);

  /* Stopped by the user, or the window closed (its template children are
   * gone then, even if the read won the race against the cancellation). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->sidebar == NULL)
    return;
  forget_load (self, load->file);

  if (profile == NULL)
    {
      show_error_toast (self, error->message);
      /* The agent may have dropped it from its ring since it was listed. */
      if (load->from_agent)
        sg_agent_profiles_refresh (self->agent_profiles);
      return;
    }

  /* Opened again after a stopped read of the same file: keep the first. */
  if (find_profile (self, sg_profile_file_get_file (profile), &position))
    {
      g_autoptr(SgProfileFile) existing = NULL;

      existing = g_list_model_get_item (G_LIST_MODEL (self->profiles), position);
      sg_sidebar_select_profile (self->sidebar, existing);
      show_profile (self, existing);
      return;
    }

  g_list_store_append (self->profiles, profile);
  sg_sidebar_select_profile (self->sidebar, profile);
  show_profile (self, profile);

  if (!load->from_agent && g_settings_get_boolean (self->settings, "remember-recent-files"))
    sg_recent_add (profile);
}

/* Opens a profile that is already in memory (a recording just made), or
 * selects the one fetched earlier from the same URL. */
static void
add_profile (SgWindow      *self,
             SgProfileFile *profile)
{
  guint position;

  if (find_profile (self, sg_profile_file_get_file (profile), &position))
    {
      g_autoptr(SgProfileFile) existing = g_list_model_get_item (G_LIST_MODEL (self->profiles), position);

      sg_sidebar_select_profile (self->sidebar, existing);
      show_profile (self, existing);
      return;
    }
  g_list_store_append (self->profiles, profile);
  sg_sidebar_select_profile (self->sidebar, profile);
  show_profile (self, profile);
}

/* An agent's profile under Agent Profiles: fetched with a row (spinner,
 * Stop) among the files being read, then opened like a file. */
static void
on_agent_profile_activated (SgWindow           *self,
                            SgAgentProfileInfo *info)
{
  SgAgentClient *agent = sg_agent_profiles_get_agent (self->agent_profiles);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  Load *load;
  guint position;

  if (agent == NULL)
    return;
  file = sg_agent_profiles_dup_file (agent, info);
  if (find_profile (self, file, &position))
    {
      g_autoptr(SgProfileFile) profile = g_list_model_get_item (G_LIST_MODEL (self->profiles), position);

      sg_sidebar_select_profile (self->sidebar, profile);
      show_profile (self, profile);
      return;
    }
  if (g_hash_table_contains (self->cancellables, file))
    return;

  /* The sidebar's row for it says what it is, not the URL's last part. */
  g_object_set_data_full (G_OBJECT (file), "sg-loading-title",
                          sg_agent_profiles_dup_title (agent, info), g_free);
  g_object_set_data_full (G_OBJECT (file), "sg-loading-subtitle",
                          g_strdup (_("Fetching from the agent…")), g_free);
  load = g_new0 (Load, 1);
  load->self = g_object_ref (self);
  load->file = g_object_ref (file);
  load->from_agent = TRUE;
  cancellable = g_cancellable_new ();
  g_hash_table_insert (self->cancellables, g_object_ref (file), g_object_ref (cancellable));
  g_list_store_append (self->loading, file);
  set_n_loading (self, self->n_loading + 1);
  sg_agent_profiles_fetch_async (agent, info, cancellable, on_profile_loaded, load);
}

static void
on_recorded (SgWindow      *self,
             SgProfileFile *profile)
{
  add_profile (self, profile);
  sg_agent_profiles_refresh (self->agent_profiles);
}

static void
on_record_failed (SgWindow   *self,
                  const char *message)
{
  show_error_toast (self, message);
}

static void
record_profile_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  SgWindow *self = SG_WINDOW (widget);
  SgAgentClient *agent = sg_agent_profiles_get_agent (self->agent_profiles);
  SgRecordDialog *dialog;

  if (agent == NULL || !sg_agent_profiles_get_can_record (self->agent_profiles))
    return;
  dialog = sg_record_dialog_new (GTK_WINDOW (self), agent);
  g_signal_connect_object (dialog, "recorded", G_CALLBACK (on_recorded), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "failed", G_CALLBACK (on_record_failed), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
update_record_action (SgWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.record-profile",
                                 sg_agent_profiles_get_can_record (self->agent_profiles));
  sg_profile_page_set_record_hint (self->profile_page, sg_agent_profiles_get_record_hint (self->agent_profiles));
}

/* Open Source on a profile's frame: the file at the line, in the Debug
 * page's source view.  A path under the current agent's source root (what
 * the agent's profiles hold) or a relative one is the agent's file; a
 * local file elsewhere is shown from its folder when the Debug page has no
 * source open, so an unrelated frame never replaces the user's folder. */
static void
on_open_source (SgWindow   *self,
                const char *file,
                int         line)
{
  SgAgentClient *agent = sg_debug_page_get_current_agent (self->debug_page);
  SgAgentInfo *info = agent != NULL ? sg_agent_client_get_info (agent) : NULL;
  const char *root = info != NULL ? sg_agent_info_get_source_root (info) : NULL;
  gsize root_len = root != NULL ? strlen (root) : 0;
  GtkWidget *tree = sg_debug_page_get_source_tree (self->debug_page);
  g_autofree char *relative = NULL;
  g_autofree char *message = NULL;

  if (file == NULL || file[0] == '\0')
    return;
  line = MAX (line, 0);

  if (root_len > 0 && g_str_has_prefix (file, root) &&
      (file[root_len] == '/' || root[root_len - 1] == '/'))
    relative = g_strdup (file + root_len + (file[root_len] == '/' ? 1 : 0));
  else if (!g_path_is_absolute (file) && agent != NULL)
    relative = g_strdup (file);

  if (relative != NULL)
    {
      sg_debug_page_open_source (self->debug_page, relative, line);
      sg_window_show_page (self, "debug");
      return;
    }

  if (g_path_is_absolute (file) && g_file_test (file, G_FILE_TEST_IS_REGULAR) &&
      agent == NULL && sg_source_tree_get_root (SG_SOURCE_TREE (tree)) == NULL)
    {
      g_autofree char *dir = g_path_get_dirname (file);
      g_autofree char *base = g_path_get_basename (file);
      g_autoptr(GFile) folder = g_file_new_for_path (dir);

      sg_debug_page_open_folder (self->debug_page, folder);
      sg_debug_page_open_source (self->debug_page, base, line);
      sg_window_show_page (self, "debug");
      return;
    }

  /* TRANSLATORS: a source file named in a profile that this console cannot show */
  message = g_strdup_printf (_("“%s” is not in the current agent’s source or the Debug page’s folder: connect to the service that ran it, or open its folder on the Debug page"),
                             file);
  show_error_toast (self, message);
}

static void
on_current_agent_changed (SgWindow *self)
{
  sg_agent_profiles_set_agent (self->agent_profiles, sg_debug_page_get_current_agent (self->debug_page));
}

static gboolean
on_drop (SgWindow      *self,
         const GValue  *value,
         double         x,
         double         y,
         GtkDropTarget *target)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = g_value_get_boxed (value);
  for (const GSList *l = files; l != NULL; l = l->next)
    sg_window_open_file (self, l->data);
  return files != NULL;
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  sg_window_show_page (SG_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  SgWindow *self = SG_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (param, NULL));

  sg_window_open_file (SG_WINDOW (widget), file);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static gboolean
sg_window_close_request (GtkWindow *window)
{
  SgWindow *self = SG_WINDOW (window);
  int width, height;

  /* The default size is the unmaximised size, which is what to restore. */
  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (sg_window_parent_class)->close_request (window);
}

static GtkWidget *
create_agent_row (gpointer item,
                  gpointer user_data)
{
  return sg_debug_agent_row_new (item);
}

/* A sidebar agent row: that agent, on the Debug page. */
static void
on_agent_activated (SgWindow *self,
                    GObject  *agent)
{
  sg_debug_page_set_current_agent (self->debug_page, SG_AGENT_CLIENT (agent));
  sg_window_show_page (self, "debug");
}

/* A file opened on the Compare page joins the opened profiles, without
 * leaving the page. */
static void
on_compare_profile_loaded (SgWindow      *self,
                           SgProfileFile *profile)
{
  guint position;

  if (find_profile (self, sg_profile_file_get_file (profile), &position))
    return;
  g_list_store_append (self->profiles, profile);
  if (g_settings_get_boolean (self->settings, "remember-recent-files"))
    sg_recent_add (profile);
}

/* "Compare With…" on a profile (param: its URI): the Compare page with
 * that profile as the base. */
static void
compare_with_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  SgWindow *self = SG_WINDOW (widget);
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (param, NULL));
  g_autoptr(SgProfileFile) profile = NULL;
  guint position;

  if (!find_profile (self, file, &position))
    return;
  profile = g_list_model_get_item (G_LIST_MODEL (self->profiles), position);
  sg_compare_page_set_base (self->compare_page, profile);
  sg_window_show_page (self, "compare");
}

/* A snapshot under History: shown on the Debug page. */
static void
on_snapshot_activated (SgWindow          *self,
                       SgHistorySnapshot *snapshot)
{
  sg_debug_page_show_snapshot (self->debug_page, snapshot);
  sg_window_show_page (self, "debug");
}

static void
sg_window_dispose (GObject *object)
{
  SgWindow *self = (SgWindow *)object;
  GHashTableIter iter;
  gpointer cancellable;

  /* Reads still running are of no use to anyone now. */
  if (self->cancellables != NULL)
    {
      g_hash_table_iter_init (&iter, self->cancellables);
      while (g_hash_table_iter_next (&iter, NULL, &cancellable))
        g_cancellable_cancel (cancellable);
    }
  if (self->agent_profiles != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->agent_profiles, self);
      sg_agent_profiles_set_agent (self->agent_profiles, NULL);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), SG_TYPE_WINDOW);

  G_OBJECT_CLASS (sg_window_parent_class)->dispose (object);
}

static void
sg_window_finalize (GObject *object)
{
  SgWindow *self = (SgWindow *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->profiles);
  g_clear_object (&self->loading);
  g_clear_pointer (&self->cancellables, g_hash_table_unref);
  g_clear_object (&self->agent_profiles);

  G_OBJECT_CLASS (sg_window_parent_class)->finalize (object);
}

static void
sg_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SgWindow *self = SG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_N_LOADING:
      g_value_set_uint (value, self->n_loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_window_class_init (SgWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sg_window_dispose;
  object_class->finalize = sg_window_finalize;
  object_class->get_property = sg_window_get_property;

  window_class->close_request = sg_window_close_request;

  properties[PROP_N_LOADING] =
    g_param_spec_uint ("n-loading", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Types the template instantiates by name. */
  g_type_ensure (SG_TYPE_SIDEBAR);
  g_type_ensure (SG_TYPE_DEBUG_PAGE);
  g_type_ensure (SG_TYPE_PROFILE_PAGE);
  g_type_ensure (SG_TYPE_MEMORY_PAGE);
  g_type_ensure (SG_TYPE_COMPARE_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/spyglass/Spyglass/ui/sg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SgWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, profile_page);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, debug_page);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, memory_page);
  gtk_widget_class_bind_template_child (widget_class, SgWindow, compare_page);
  gtk_widget_class_bind_template_callback (widget_class, on_profile_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_profile_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_profile_close_requested);
  gtk_widget_class_bind_template_callback (widget_class, on_load_cancel_requested);

  gtk_widget_class_install_action (widget_class, "win.record-profile", NULL, record_profile_action);
  gtk_widget_class_install_action (widget_class, "win.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.compare-with", "s", compare_with_action);
}

static void
sg_window_init (SgWindow *self)
{
  GtkDropTarget *drop;
  g_autoptr(GtkSliceListModel) history = NULL;
  g_autoptr(GMenuModel) recent = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Memory records on the agent the Debug page has chosen. */
  sg_memory_page_set_debug_page (self->memory_page, self->debug_page);
  sg_sidebar_set_agents (self->sidebar, G_LIST_MODEL (sg_debug_page_get_agents (self->debug_page)), create_agent_row);
  g_signal_connect_object (self->sidebar, "agent-activated", G_CALLBACK (on_agent_activated), self, G_CONNECT_SWAPPED);
  /* The latest snapshots, kept ones first loaded from the history database. */
  history = gtk_slice_list_model_new (g_object_ref (sg_debug_agents_get_snapshots (sg_debug_page_get_agents (self->debug_page))),
                                      0, SIDEBAR_HISTORY_SIZE);
  sg_sidebar_set_history (self->sidebar, G_LIST_MODEL (history));
  g_signal_connect_object (self->sidebar, "snapshot-activated", G_CALLBACK (on_snapshot_activated), self, G_CONNECT_SWAPPED);

  /* Agent Profiles follow the Debug page's current agent. */
  self->agent_profiles = sg_agent_profiles_new ();
  sg_sidebar_set_agent_profiles (self->sidebar, self->agent_profiles);
  g_signal_connect_object (self->sidebar, "agent-profile-activated", G_CALLBACK (on_agent_profile_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->agent_profiles, "notify::can-record", G_CALLBACK (update_record_action), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->agent_profiles, "notify::record-hint", G_CALLBACK (update_record_action), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->debug_page, "notify::current-agent", G_CALLBACK (on_current_agent_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->profile_page, "open-source", G_CALLBACK (on_open_source), self, G_CONNECT_SWAPPED);
  on_current_agent_changed (self);
  update_record_action (self);

  /* Same schema as the application's: one backend, changes seen by both. */
  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  recent = sg_recent_menu_new (self->settings);
  sg_sidebar_set_recent_menu (self->sidebar, recent);

  self->profiles = g_list_store_new (SG_TYPE_PROFILE_FILE);
  self->loading = g_list_store_new (G_TYPE_FILE);
  self->cancellables = g_hash_table_new_full (g_file_hash, (GEqualFunc) g_file_equal,
                                              g_object_unref, g_object_unref);
  sg_sidebar_set_profiles (self->sidebar, G_LIST_MODEL (self->profiles));
  sg_sidebar_set_loading (self->sidebar, G_LIST_MODEL (self->loading));
  sg_compare_page_set_profiles (self->compare_page, G_LIST_MODEL (self->profiles));
  g_signal_connect_object (self->compare_page, "profile-loaded",
                           G_CALLBACK (on_compare_profile_loaded), self, G_CONNECT_SWAPPED);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (on_drop), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->toast_overlay), GTK_EVENT_CONTROLLER (drop));

  /* Profile is the page that can show something without an agent; started
   * to debug one ($SPYGLASS_AGENT, as build-aux/run does), open on Debug. */
  adw_view_stack_set_visible_child_name (self->stack, g_getenv ("SPYGLASS_AGENT") ? "debug" : "profile");

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

SgWindow *
sg_window_new (SgApplication *application)
{
  g_return_val_if_fail (SG_IS_APPLICATION (application), NULL);

  return g_object_new (SG_TYPE_WINDOW, "application", application, NULL);
}

/**
 * sg_window_open_file:
 *
 * Reads @file on a worker thread and, when it is a profile, lists it under
 * Profiles and shows it; otherwise shows a toast that names the file and
 * says why it could not be opened. A file already open is just selected.
 */
void
sg_window_open_file (SgWindow *self,
                     GFile    *file)
{
  g_autoptr(GCancellable) cancellable = NULL;
  Load *load;
  guint position;

  g_return_if_fail (SG_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (find_profile (self, file, &position))
    {
      g_autoptr(SgProfileFile) profile = NULL;

      profile = g_list_model_get_item (G_LIST_MODEL (self->profiles), position);
      sg_sidebar_select_profile (self->sidebar, profile);
      show_profile (self, profile);
      return;
    }

  /* Already being read: its row is there, with its own Stop button. */
  if (g_hash_table_contains (self->cancellables, file))
    return;

  load = g_new0 (Load, 1);
  load->self = g_object_ref (self);
  load->file = g_object_ref (file);
  cancellable = g_cancellable_new ();
  g_hash_table_insert (self->cancellables, g_object_ref (file), g_object_ref (cancellable));
  g_list_store_append (self->loading, file);

  set_n_loading (self, self->n_loading + 1);
  sg_profile_file_load_async (file, cancellable, on_profile_loaded, load);
}

/**
 * sg_window_get_profiles:
 *
 * Returns: (transfer none): the opened profiles, a #GListModel of #SgProfileFile
 */
GListModel *
sg_window_get_profiles (SgWindow *self)
{
  g_return_val_if_fail (SG_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->profiles);
}

/**
 * sg_window_get_agent_profiles:
 *
 * Returns: (transfer none): the Debug page's current agent's profiles,
 *   as listed under Agent Profiles
 */
SgAgentProfiles *
sg_window_get_agent_profiles (SgWindow *self)
{
  g_return_val_if_fail (SG_IS_WINDOW (self), NULL);

  return self->agent_profiles;
}

/* How many files are being read right now. */
guint
sg_window_get_n_loading (SgWindow *self)
{
  g_return_val_if_fail (SG_IS_WINDOW (self), 0);

  return self->n_loading;
}

void
sg_window_show_page (SgWindow   *self,
                     const char *name)
{
  g_return_if_fail (SG_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  if (adw_view_stack_get_child_by_name (self->stack, name) == NULL)
    return;
  adw_view_stack_set_visible_child_name (self->stack, name);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}
