/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The Debug page: connect to agents, open the service's source, click a
 * line, read the snapshot or the log lines.
 *
 * The page holds no protocol state of its own: agents, their breakpoints
 * and the captured snapshots live in SgDebugAgents; the page shows the
 * current agent's view of them.  Source files are compared with the agent's
 * manifest (sha256) on a worker thread, and a file that differs from what
 * runs is flagged in the tree and over the text, because a breakpoint on it
 * would land on the wrong line.
 *
 * This file holds the current agent, its events, the dialogs and the
 * widget itself; the source is in sg-debug-page-source.c and the
 * breakpoints in sg-debug-page-breakpoints.c (sg-debug-page-private.h). */

#include "config.h"

#include <glib/gi18n.h>

#include "sg-connect-dialog.h"
#include "sg-debug-page-private.h"
#include "sg-debug-run-dialog.h"

G_DEFINE_FINAL_TYPE (SgDebugPage, sg_debug_page, GTK_TYPE_WIDGET)

/* Other pages (Memory) follow the current agent through this property. */
enum {
  PROP_0,
  PROP_CURRENT_AGENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void refresh_snapshots (SgDebugPage *self);

/* --- messages ------------------------------------------------------------------- */

void
_sg_debug_page_say (SgDebugPage *self,
                    const char  *message)
{
  AdwToast *toast;

  g_free (self->last_message);
  self->last_message = g_strdup (message);
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 8);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

/* --- the current agent ------------------------------------------------------------ */

static void
update_agent_status (SgDebugPage *self)
{
  g_autofree char *text = NULL;
  const GError *error;

  if (self->current == NULL)
    {
      gtk_label_set_text (self->agent_status, "");
      return;
    }
  error = sg_agent_client_get_last_error (self->current);
  switch (sg_agent_client_get_state (self->current))
    {
    case SG_AGENT_STATE_CONNECTED:
      {
        SgAgentInfo *info = sg_agent_client_get_info (self->current);
        const char *version = info ? sg_agent_info_get_version (info) : NULL;

        if (version != NULL && version[0] != '\0')
          /* TRANSLATORS: version, host and round-trip time, e.g. "Version 1.4.2 on build-box · 3 ms" */
          text = g_strdup_printf (_("Version %s on %s · %d ms"), version,
                                  info ? sg_agent_info_get_host (info) : "?",
                                  sg_agent_client_get_latency_ms (self->current));
        else
          /* TRANSLATORS: host and round-trip time, e.g. "On build-box · 3 ms" */
          text = g_strdup_printf (_("On %s · %d ms"), info ? sg_agent_info_get_host (info) : "?",
                                  sg_agent_client_get_latency_ms (self->current));
        gtk_widget_remove_css_class (GTK_WIDGET (self->agent_status), "error");
      }
      break;
    case SG_AGENT_STATE_CONNECTING:
      text = g_strdup (_("Connecting…"));
      break;
    case SG_AGENT_STATE_RECONNECTING:
      text = g_strdup_printf (_("Reconnecting: %s"), error ? error->message : _("connection lost"));
      gtk_widget_add_css_class (GTK_WIDGET (self->agent_status), "error");
      break;
    case SG_AGENT_STATE_FAILED:
      text = g_strdup (error ? error->message : _("Failed"));
      gtk_widget_add_css_class (GTK_WIDGET (self->agent_status), "error");
      break;
    case SG_AGENT_STATE_DISCONNECTED:
    default:
      text = g_strdup (error ? error->message : _("Disconnected"));
      gtk_widget_add_css_class (GTK_WIDGET (self->agent_status), "error");
      break;
    }
  gtk_label_set_text (self->agent_status, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->agent_status), text);
}

static void
manifest_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SgDebugPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SgAgentManifest) manifest = sg_agent_client_get_manifest_finish (SG_AGENT_CLIENT (object), result, &error);

  if (SG_AGENT_CLIENT (object) != self->current)
    return;
  if (manifest == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _sg_debug_page_say (self, error->message);
      return;
    }
  g_set_object (&self->manifest, manifest);
  gtk_widget_set_sensitive (GTK_WIDGET (self->browse_agent_button), TRUE);

  /* An agent on this machine whose source is here: open it for the user. */
  if (self->folder == NULL && !self->remote_source && sg_agent_manifest_get_root (manifest) != NULL &&
      g_file_test (sg_agent_manifest_get_root (manifest), G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) root = g_file_new_for_path (sg_agent_manifest_get_root (manifest));
      sg_debug_page_open_folder (self, root);
      return;
    }
  _sg_debug_page_compare_sources (self);
}

static void
on_current_state (SgDebugPage *self)
{
  update_agent_status (self);
  if (self->current != NULL && sg_agent_client_get_state (self->current) == SG_AGENT_STATE_CONNECTED &&
      self->manifest == NULL)
    sg_agent_client_get_manifest_async (self->current, self->cancellable, manifest_cb, g_object_ref (self));
}

void
sg_debug_page_set_current_agent (SgDebugPage   *self,
                                 SgAgentClient *client)
{
  g_return_if_fail (SG_IS_DEBUG_PAGE (self));

  if (self->current == client)
    return;
  if (self->current != NULL)
    g_signal_handlers_disconnect_by_data (self->current, self);
  g_set_object (&self->current, client);
  g_clear_object (&self->manifest);
  gtk_widget_set_sensitive (GTK_WIDGET (self->browse_agent_button), FALSE);

  if (client != NULL)
    {
      guint position;

      g_signal_connect_object (client, "notify::state", G_CALLBACK (on_current_state), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "notify::latency-ms", G_CALLBACK (update_agent_status), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "notify::info", G_CALLBACK (update_agent_status), self, G_CONNECT_SWAPPED);
      /* The service name, which snapshots of earlier runs are matched on, comes with the info. */
      g_signal_connect_object (client, "notify::info", G_CALLBACK (refresh_snapshots), self, G_CONNECT_SWAPPED);
      sg_breakpoint_list_set_model (self->breakpoint_list, sg_debug_agents_get_breakpoints (self->agents, client));
      for (position = 0; position < g_list_model_get_n_items (G_LIST_MODEL (self->agents)); position++)
        {
          g_autoptr(SgAgentClient) item = g_list_model_get_item (G_LIST_MODEL (self->agents), position);

          if (item == client)
            gtk_drop_down_set_selected (self->agent_dropdown, position);
        }
      gtk_stack_set_visible_child_name (self->stack, "workspace");
    }
  else
    sg_breakpoint_list_set_model (self->breakpoint_list, NULL);
  on_current_state (self);
  _sg_debug_page_refresh_marks (self);
  refresh_snapshots (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_AGENT]);
}

static void
on_dropdown_selected (SgDebugPage *self)
{
  SgAgentClient *client = gtk_drop_down_get_selected_item (self->agent_dropdown);

  if (client != NULL)
    sg_debug_page_set_current_agent (self, client);
}

static void
on_agents_changed (SgDebugPage *self,
                   guint        position,
                   guint        removed,
                   guint        added)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->agents));

  /* A newly added agent becomes the current one. */
  if (added > 0)
    {
      g_autoptr(SgAgentClient) client = g_list_model_get_item (G_LIST_MODEL (self->agents), position + added - 1);
      sg_debug_page_set_current_agent (self, client);
    }
  else if (n == 0)
    {
      sg_debug_page_set_current_agent (self, NULL);
      gtk_stack_set_visible_child_name (self->stack, "welcome");
    }
  else if (self->current != NULL && removed > 0)
    {
      gboolean still_there = FALSE;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SgAgentClient) item = g_list_model_get_item (G_LIST_MODEL (self->agents), i);
          still_there |= item == self->current;
        }
      if (!still_there)
        {
          g_autoptr(SgAgentClient) first = g_list_model_get_item (G_LIST_MODEL (self->agents), 0);
          sg_debug_page_set_current_agent (self, first);
        }
    }
}

/* --- agent events ---------------------------------------------------------------- */

static void
on_breakpoints_changed (SgDebugPage   *self,
                        SgAgentClient *client)
{
  if (client == self->current)
    _sg_debug_page_refresh_marks (self);
}

static gboolean
snapshot_is_current (gpointer item,
                     gpointer user_data)
{
  SgDebugPage *self = user_data;

  return sg_debug_agents_snapshot_is_from (item, self->current);
}

/* The inspector lists the current agent's snapshots only: another agent's
 * frames name files this one does not have. */
static void
refresh_snapshots (SgDebugPage *self)
{
  SgHistorySnapshot *shown;
  GtkFilter *filter = gtk_filter_list_model_get_filter (self->own_snapshots);

  gtk_filter_changed (filter, GTK_FILTER_CHANGE_DIFFERENT);
  shown = sg_snapshot_inspector_get_shown (self->inspector);
  if (shown != NULL && !sg_debug_agents_snapshot_is_from (shown, self->current))
    {
      g_autoptr(SgHistorySnapshot) newest = g_list_model_get_item (G_LIST_MODEL (self->own_snapshots), 0);

      sg_snapshot_inspector_show (self->inspector, newest);
    }
}

static void
on_snapshot_captured (SgDebugPage       *self,
                      SgHistorySnapshot *hs)
{
  /* Another agent's snapshot waits in its own list. */
  if (!sg_debug_agents_snapshot_is_from (hs, self->current))
    return;
  sg_snapshot_inspector_show (self->inspector, hs);
  sg_debug_page_show_results (self, "snapshot");
}

static void
on_frame_activated (SgDebugPage *self,
                    const char  *path,
                    guint        line)
{
  SgHistorySnapshot *shown = sg_snapshot_inspector_get_shown (self->inspector);

  /* Frames outside the source root (the standard library) have absolute paths. */
  if (path == NULL || g_path_is_absolute (path))
    return;
  /* A snapshot kept from another agent: its files can only come from the
   * local folder, never from the current agent (which would answer with
   * its own file of that name, or none). */
  if (shown != NULL && !sg_debug_agents_snapshot_is_from (shown, self->current) && self->folder == NULL)
    {
      g_autofree char *message = NULL;

      /* TRANSLATORS: a file name, then the agent, e.g. "orders.py is not available: the snapshot was taken on orders (127.0.0.1:7878), which is not the current agent. Open its source folder to read it." */
      message = g_strdup_printf (_("%s is not available: the snapshot was taken on %s, which is not the current agent. Open its source folder to read it."),
                                 path, sg_history_snapshot_get_agent_label (shown) ?: _("another agent"));
      _sg_debug_page_say (self, message);
      return;
    }
  sg_debug_page_open_source (self, path, line);
}

/**
 * sg_debug_page_show_snapshot:
 *
 * Shows a kept snapshot in the inspector.  If the agent that took it (or
 * a later run of its service at the same address) is connected, that
 * agent becomes the current one so its frames' source can be fetched;
 * otherwise the snapshot is shown as kept and its source comes from the
 * local folder only.
 */
void
sg_debug_page_show_snapshot (SgDebugPage       *self,
                             SgHistorySnapshot *snapshot)
{
  GListModel *agents;

  g_return_if_fail (SG_IS_DEBUG_PAGE (self));
  g_return_if_fail (SG_IS_HISTORY_SNAPSHOT (snapshot));

  agents = G_LIST_MODEL (self->agents);
  if (!sg_debug_agents_snapshot_is_from (snapshot, self->current))
    for (guint i = 0; i < g_list_model_get_n_items (agents); i++)
      {
        g_autoptr(SgAgentClient) client = g_list_model_get_item (agents, i);

        if (sg_agent_client_get_state (client) == SG_AGENT_STATE_CONNECTED &&
            sg_debug_agents_snapshot_is_from (snapshot, client))
          {
            sg_debug_page_set_current_agent (self, client);
            break;
          }
      }
  /* With no agent at all the page shows its welcome; the snapshot needs the workspace. */
  gtk_stack_set_visible_child_name (self->stack, "workspace");
  sg_snapshot_inspector_show (self->inspector, snapshot);
  sg_debug_page_show_results (self, "snapshot");
}

static void
on_log_entry (SgDebugPage     *self,
              SgAgentLogEntry *entry)
{
  sg_log_view_append (self->log_view, entry);
}

static void
on_problem (SgDebugPage   *self,
            SgAgentClient *client,
            const char    *message)
{
  _sg_debug_page_say (self, message);
}

static void
logs_loaded (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SgDebugPage) self = user_data;
  g_autoptr(GPtrArray) lines = sg_history_list_log_entries_finish (SG_HISTORY (object), result, NULL);
  GListModel *shown;

  if (lines == NULL || self->log_view == NULL)
    return;
  /* Lines from earlier sessions go before any that arrived meanwhile. */
  shown = sg_log_view_get_entries (self->log_view);
  if (g_list_model_get_n_items (shown) == 0)
    for (guint i = 0; i < lines->len; i++)
      sg_log_view_append (self->log_view, g_ptr_array_index (lines, i));
}

/* --- dialogs and actions ---------------------------------------------------------- */

static void
on_connected (SgDebugPage     *self,
              SgAgentClient   *client,
              gboolean         remember,
              SgConnectDialog *dialog)
{
  sg_debug_agents_adopt (self->agents, client, remember);
  sg_debug_page_set_current_agent (self, client);
}

void
sg_debug_page_show_connect_dialog (SgDebugPage *self)
{
  SgConnectDialog *dialog;

  g_return_if_fail (SG_IS_DEBUG_PAGE (self));

  dialog = sg_connect_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  g_signal_connect_object (dialog, "connected", G_CALLBACK (on_connected), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_run (SgDebugPage *self,
        const char  *script,
        const char  *arguments,
        const char  *interpreter)
{
  g_autoptr(GError) error = NULL;
  SgAgentClient *client = sg_debug_agents_run_python (self->agents, interpreter, script, arguments, &error);

  if (client == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not start %s: %s"), script, error->message);
      _sg_debug_page_say (self, message);
      return;
    }
  sg_debug_page_set_current_agent (self, client);
}

void
sg_debug_page_show_run_dialog (SgDebugPage *self)
{
  SgDebugRunDialog *dialog;

  g_return_if_fail (SG_IS_DEBUG_PAGE (self));

  dialog = sg_debug_run_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  g_signal_connect_object (dialog, "run", G_CALLBACK (on_run), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  sg_debug_page_show_connect_dialog (SG_DEBUG_PAGE (widget));
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  sg_debug_page_show_run_dialog (SG_DEBUG_PAGE (widget));
}

static void
disconnect_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  SgDebugPage *self = SG_DEBUG_PAGE (widget);

  if (self->current != NULL)
    sg_debug_agents_remove (self->agents, self->current);
}

static void
folder_chosen (GtkNativeDialog *dialog,
               int              response,
               SgDebugPage     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      sg_debug_page_open_folder (self, folder);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open the Service’s Source Folder"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (folder_chosen), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
browse_agent_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  _sg_debug_page_browse_agent_source (SG_DEBUG_PAGE (widget));
}

/* --- agent drop-down -------------------------------------------------------------- */

static void
setup_agent_item (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  gtk_list_item_set_child (item, label);
}

static void
update_agent_label (SgAgentClient *client,
                    GParamSpec    *pspec,
                    GtkLabel      *label)
{
  g_autofree char *name = sg_agent_client_dup_display_name (client);

  gtk_label_set_text (label, name);
}

static void
bind_agent_item (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  data)
{
  SgAgentClient *client = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);

  update_agent_label (client, NULL, GTK_LABEL (label));
  g_signal_connect_object (client, "notify::info", G_CALLBACK (update_agent_label), label, 0);
}

static void
unbind_agent_item (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  data)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), update_agent_label,
                                        gtk_list_item_get_child (item));
}

/* --- GObject ------------------------------------------------------------------------ */

static void
sg_debug_page_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  SgDebugPage *self = SG_DEBUG_PAGE (widget);

  GTK_WIDGET_CLASS (sg_debug_page_parent_class)->size_allocate (widget, width, height, baseline);
  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
sg_debug_page_dispose (GObject *object)
{
  SgDebugPage *self = SG_DEBUG_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->agents != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->agents, self);
      sg_debug_agents_shutdown (self->agents);
    }
  if (self->current != NULL)
    g_signal_handlers_disconnect_by_data (self->current, self);
  g_clear_pointer ((GtkWidget **) &self->popover, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (object), SG_TYPE_DEBUG_PAGE);
  g_clear_object (&self->current);
  g_clear_object (&self->agents);
  g_clear_object (&self->own_snapshots);
  g_clear_object (&self->manifest);
  g_clear_object (&self->folder);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->last_message, g_free);
  g_clear_pointer (&self->loading_path, g_free);

  G_OBJECT_CLASS (sg_debug_page_parent_class)->dispose (object);
}

static void
sg_debug_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SgDebugPage *self = SG_DEBUG_PAGE (object);

  switch (prop_id)
    {
    case PROP_CURRENT_AGENT:
      g_value_set_object (value, self->current);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_debug_page_class_init (SgDebugPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_debug_page_dispose;
  object_class->get_property = sg_debug_page_get_property;

  properties[PROP_CURRENT_AGENT] =
    g_param_spec_object ("current-agent", NULL, NULL, SG_TYPE_AGENT_CLIENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  widget_class->size_allocate = sg_debug_page_size_allocate;

  g_type_ensure (SG_TYPE_SOURCE_TREE);
  g_type_ensure (SG_TYPE_SOURCE_VIEW);
  g_type_ensure (SG_TYPE_SNAPSHOT_INSPECTOR);
  g_type_ensure (SG_TYPE_LOG_VIEW);
  g_type_ensure (SG_TYPE_BREAKPOINT_LIST);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/spyglass/Spyglass/ui/sg-debug-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SgDebugPage, toasts);
  gtk_widget_class_bind_template_child (widget_class, SgDebugPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SgDebugPage, agent_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SgDebugPage, agent_status);
  gtk_widget_class_bind_template_child (widget_class, SgDebugPage, tree_stack);
  gtk_widget_class_bind_template_child (widget_class, SgDebugPage, source_tree);
  gtk_widget_class_bind_template_child (widget_class, SgDebugPage, tree_empty);
  gtk_widget_class_bind_template_child (widget_class, SgDebugPage, browse_agent_button);
  gtk_widget_class_bind_template_child (widget_class, SgDebugPage, source_view);
  gtk_widget_class_bind_template_child (widget_class, SgDebugPage, results);
  gtk_widget_class_bind_template_child (widget_class, SgDebugPage, inspector);
  gtk_widget_class_bind_template_child (widget_class, SgDebugPage, log_view);
  gtk_widget_class_bind_template_child (widget_class, SgDebugPage, breakpoint_list);

  gtk_widget_class_install_action (widget_class, "debug.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "debug.run-python", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "debug.disconnect", NULL, disconnect_action);
  gtk_widget_class_install_action (widget_class, "debug.open-folder", NULL, open_folder_action);
  gtk_widget_class_install_action (widget_class, "debug.browse-agent", NULL, browse_agent_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static gboolean
settings_have_key (GSettings  *settings,
                   const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  return schema != NULL && g_settings_schema_has_key (schema, key);
}

static void
sg_debug_page_init (SgDebugPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SgHistory) history = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  GtkListItemFactory *factory;
  const char *env_agent = g_getenv ("SPYGLASS_AGENT");

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  if (source != NULL && (schema = g_settings_schema_source_lookup (source, APP_ID, TRUE)))
    settings = g_settings_new (APP_ID);
  if (settings != NULL && !settings_have_key (settings, "known-agents"))
    g_clear_object (&settings);
  history = sg_history_new_default (&error);
  self->agents = sg_debug_agents_new (settings, history);

  g_signal_connect_object (self->agents, "log-entry", G_CALLBACK (on_log_entry), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->agents, "snapshot-captured", G_CALLBACK (on_snapshot_captured), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->agents, "breakpoints-changed", G_CALLBACK (on_breakpoints_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->agents, "problem", G_CALLBACK (on_problem), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_agent_item), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_agent_item), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_agent_item), self);
  gtk_drop_down_set_factory (self->agent_dropdown, factory);
  g_object_unref (factory);
  gtk_drop_down_set_model (self->agent_dropdown, G_LIST_MODEL (self->agents));
  /* After the drop-down's own handlers, so it knows a new agent when we select it. */
  g_signal_connect_object (self->agents, "items-changed", G_CALLBACK (on_agents_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->agent_dropdown, "notify::selected", G_CALLBACK (on_dropdown_selected), self, G_CONNECT_SWAPPED);

  _sg_debug_page_init_source (self);
  _sg_debug_page_init_breakpoints (self);
  g_signal_connect_object (self->inspector, "frame-activated", G_CALLBACK (on_frame_activated), self, G_CONNECT_SWAPPED);
  self->own_snapshots = gtk_filter_list_model_new (g_object_ref (sg_debug_agents_get_snapshots (self->agents)),
                                                   GTK_FILTER (gtk_custom_filter_new (snapshot_is_current, self, NULL)));
  sg_snapshot_inspector_set_snapshots (self->inspector, G_LIST_MODEL (self->own_snapshots));

  gtk_widget_set_sensitive (GTK_WIDGET (self->browse_agent_button), FALSE);
  sg_breakpoint_list_set_model (self->breakpoint_list, NULL);

  if (history == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Snapshots and log lines will not be kept: %s"), error->message);
      _sg_debug_page_say (self, message);
    }
  else
    sg_history_list_log_entries_async (history, 5000, self->cancellable, logs_loaded, g_object_ref (self));

  /* Remembered agents, then the one the environment names (build-aux/run
   * starts the example service and passes it this way). */
  sg_debug_agents_restore (self->agents);
  if (env_agent != NULL && env_agent[0] != '\0')
    sg_debug_agents_add (self->agents, env_agent, g_getenv ("SPYGLASS_TOKEN"), FALSE);
}

/**
 * sg_debug_page_get_agents:
 *
 * Returns: (transfer none): the agents the page shows
 */
SgDebugAgents *
sg_debug_page_get_agents (SgDebugPage *self)
{
  g_return_val_if_fail (SG_IS_DEBUG_PAGE (self), NULL);
  return self->agents;
}

/**
 * sg_debug_page_get_current_agent:
 *
 * Returns: (transfer none) (nullable): the agent breakpoints go to
 */
SgAgentClient *
sg_debug_page_get_current_agent (SgDebugPage *self)
{
  g_return_val_if_fail (SG_IS_DEBUG_PAGE (self), NULL);
  return self->current;
}

/* The last message shown to the user (a toast), for tests. */
const char *
sg_debug_page_get_last_message (SgDebugPage *self)
{
  g_return_val_if_fail (SG_IS_DEBUG_PAGE (self), NULL);
  return self->last_message;
}

GtkWidget *
sg_debug_page_get_source_view (SgDebugPage *self)
{
  g_return_val_if_fail (SG_IS_DEBUG_PAGE (self), NULL);
  return GTK_WIDGET (self->source_view);
}

GtkWidget *
sg_debug_page_get_source_tree (SgDebugPage *self)
{
  g_return_val_if_fail (SG_IS_DEBUG_PAGE (self), NULL);
  return GTK_WIDGET (self->source_tree);
}

GtkWidget *
sg_debug_page_get_inspector (SgDebugPage *self)
{
  g_return_val_if_fail (SG_IS_DEBUG_PAGE (self), NULL);
  return GTK_WIDGET (self->inspector);
}

GtkWidget *
sg_debug_page_get_log_view (SgDebugPage *self)
{
  g_return_val_if_fail (SG_IS_DEBUG_PAGE (self), NULL);
  return GTK_WIDGET (self->log_view);
}

GtkWidget *
sg_debug_page_get_popover (SgDebugPage *self)
{
  g_return_val_if_fail (SG_IS_DEBUG_PAGE (self), NULL);
  return GTK_WIDGET (self->popover);
}

/* @name: "snapshot", "logs" or "breakpoints" */
void
sg_debug_page_show_results (SgDebugPage *self,
                            const char  *name)
{
  g_return_if_fail (SG_IS_DEBUG_PAGE (self));
  adw_view_stack_set_visible_child_name (self->results, name);
}
