/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The Debug page: connect to agents, open the service's source, click a
 * line, read the snapshot or the log lines.
 *
 * The page holds no protocol state of its own: agents, their breakpoints
 * and the captured snapshots live in SgDebugAgents; the page shows the
 * current agent's view of them.  Source files are compared with the agent's
 * manifest (sha256) on a worker thread, and a file that differs from what
 * runs is flagged in the tree and over the text, because a breakpoint on it
 * would land on the wrong line. */

#include "config.h"

#include <glib/gi18n.h>

#include "sg-breakpoint-list.h"
#include "sg-breakpoint-popover.h"
#include "sg-connect-dialog.h"
#include "sg-debug-page.h"
#include "sg-debug-run-dialog.h"
#include "sg-log-view.h"
#include "sg-snapshot-inspector.h"
#include "sg-source-tree.h"
#include "sg-source-view.h"

#define MAX_TREE_FILES 20000

struct _SgDebugPage
{
  GtkWidget        parent_instance;

  SgDebugAgents   *agents;
  SgAgentClient   *current;
  SgAgentManifest *manifest;
  GFile           *folder;         /* the local source folder, or NULL */
  gboolean         remote_source;  /* the tree shows the agent's files */
  GCancellable    *cancellable;
  char            *last_message;
  guint            pending_line;   /* line to show once the file is loaded */
  GtkFilterListModel *own_snapshots; /* the current agent's, for the inspector */

  /* Template widgets */
  AdwToastOverlay *toasts;
  GtkStack        *stack;
  GtkDropDown     *agent_dropdown;
  GtkLabel        *agent_status;
  GtkStack        *tree_stack;
  SgSourceTree    *source_tree;
  GtkWidget       *tree_empty;
  GtkButton       *browse_agent_button;
  SgSourceView    *source_view;
  AdwViewStack    *results;
  SgSnapshotInspector *inspector;
  SgLogView       *log_view;
  SgBreakpointList *breakpoint_list;
  SgBreakpointPopover *popover;
};

G_DEFINE_FINAL_TYPE (SgDebugPage, sg_debug_page, GTK_TYPE_WIDGET)

static void refresh_marks (SgDebugPage *self);
static void refresh_snapshots (SgDebugPage *self);
static void compare_sources (SgDebugPage *self);

/* --- messages ------------------------------------------------------------------- */

static void
say (SgDebugPage *self,
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
        say (self, error->message);
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
  compare_sources (self);
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
  refresh_marks (self);
  refresh_snapshots (self);
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

/* --- source ---------------------------------------------------------------------- */

typedef struct
{
  GFile           *folder;
  SgAgentManifest *manifest;
  SgSourceNode    *root;
  GHashTable      *results;  /* path -> SgSourceNodeMatch */
} CompareData;

static void
compare_data_free (gpointer ptr)
{
  CompareData *data = ptr;

  g_clear_object (&data->folder);
  g_clear_object (&data->manifest);
  g_clear_object (&data->root);
  g_clear_pointer (&data->results, g_hash_table_unref);
  g_free (data);
}

static void
compare_walk (CompareData  *data,
              SgSourceNode *node)
{
  GListStore *children = sg_source_node_get_children (node);

  if (children == NULL)
    {
      const char *path = sg_source_node_get_path (node);
      g_autoptr(GFile) file = g_file_resolve_relative_path (data->folder, path);
      SgSourceMatch match = sg_agent_manifest_compare_file (data->manifest, path, file, NULL, NULL);
      SgSourceNodeMatch result = match == SG_SOURCE_MATCH_SAME ? SG_SOURCE_NODE_SAME
                               : match == SG_SOURCE_MATCH_DIFFERENT ? SG_SOURCE_NODE_DIFFERENT
                               : match == SG_SOURCE_MATCH_MISSING ? SG_SOURCE_NODE_NOT_ON_AGENT
                               : SG_SOURCE_NODE_UNCHECKED;

          g_hash_table_insert (data->results, g_strdup (path), GINT_TO_POINTER (result));
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (children)); i++)
    {
      g_autoptr(SgSourceNode) child = g_list_model_get_item (G_LIST_MODEL (children), i);
      compare_walk (data, child);
    }
}

static void
compare_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  compare_walk (task_data, ((CompareData *) task_data)->root);
  g_task_return_boolean (task, TRUE);
}

static void
apply_match (SgSourceNode *node,
             GHashTable   *results,
             guint        *n_different)
{
  GListStore *children = sg_source_node_get_children (node);

  if (children == NULL)
    {
      gpointer value;

      if (g_hash_table_lookup_extended (results, sg_source_node_get_path (node), NULL, &value))
        {
          sg_source_node_set_match (node, GPOINTER_TO_INT (value));
          if (GPOINTER_TO_INT (value) == SG_SOURCE_NODE_DIFFERENT)
            (*n_different)++;
        }
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (children)); i++)
    {
      g_autoptr(SgSourceNode) child = g_list_model_get_item (G_LIST_MODEL (children), i);
      apply_match (child, results, n_different);
    }
}

static void
update_mismatch_banner (SgDebugPage *self)
{
  const char *path = sg_source_view_get_path (self->source_view);
  SgSourceNode *root = sg_source_tree_get_root (self->source_tree);
  SgSourceNode *node;

  if (path == NULL || root == NULL || self->remote_source || !(node = sg_source_node_find (root, path)))
    return;
  switch (sg_source_node_get_match (node))
    {
    case SG_SOURCE_NODE_DIFFERENT:
      sg_source_view_set_mismatch (self->source_view,
                                   _("This file differs from the one the agent runs. Breakpoints may land on the wrong lines: update your copy, or use the agent’s source."));
      break;
    case SG_SOURCE_NODE_NOT_ON_AGENT:
      sg_source_view_set_mismatch (self->source_view,
                                   _("The agent has no file at this path: breakpoints here cannot be set. Is this folder the service’s source root?"));
      break;
    case SG_SOURCE_NODE_SAME:
    case SG_SOURCE_NODE_UNCHECKED:
    default:
      sg_source_view_set_mismatch (self->source_view, NULL);
      break;
    }
}

static void
compare_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SgDebugPage *self = SG_DEBUG_PAGE (object);
  CompareData *data = g_task_get_task_data (G_TASK (result));
  guint n_different = 0;

  if (!g_task_propagate_boolean (G_TASK (result), NULL) || data->root != sg_source_tree_get_root (self->source_tree))
    return;
  apply_match (data->root, data->results, &n_different);
  update_mismatch_banner (self);
  if (n_different > 0)
    {
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u file differs from what the agent runs",
                                                               "%u files differ from what the agent runs",
                                                               n_different), n_different);
      say (self, message);
    }
}

static void
compare_sources (SgDebugPage *self)
{
  g_autoptr(GTask) task = NULL;
  CompareData *data;

  if (self->manifest == NULL || self->folder == NULL || sg_source_tree_get_root (self->source_tree) == NULL)
    return;
  data = g_new0 (CompareData, 1);
  data->folder = g_object_ref (self->folder);
  data->manifest = g_object_ref (self->manifest);
  data->root = g_object_ref (sg_source_tree_get_root (self->source_tree));
  data->results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  task = g_task_new (self, self->cancellable, compare_done, NULL);
  g_task_set_task_data (task, data, compare_data_free);
  g_task_run_in_thread (task, compare_thread);
}

static gboolean
skip_name (const char *name)
{
  return name[0] == '.' || g_str_equal (name, "__pycache__") || g_str_equal (name, "node_modules") ||
         g_str_equal (name, "venv") || g_str_equal (name, "site-packages") || g_str_has_suffix (name, ".pyc") ||
         g_str_has_prefix (name, "_build");
}

static void
list_files (GFile        *dir,
            const char   *prefix,
            GPtrArray    *paths,
            GCancellable *cancellable)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, NULL);
  while (children != NULL && paths->len < MAX_TREE_FILES &&
         g_file_enumerator_iterate (children, &info, NULL, cancellable, NULL) && info != NULL)
    {
      const char *name = g_file_info_get_name (info);
      g_autofree char *path = NULL;

      if (skip_name (name))
        continue;
      path = prefix[0] ? g_strconcat (prefix, "/", name, NULL) : g_strdup (name);
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        {
          g_autoptr(GFile) child = g_file_get_child (dir, name);
          list_files (child, path, paths, cancellable);
        }
      else if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR)
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
}

static void
folder_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  list_files (task_data, "", paths, cancellable);
  g_ptr_array_add (paths, NULL);
  g_task_return_pointer (task, sg_source_node_build_tree ((char **) paths->pdata), g_object_unref);
}

static void
show_tree (SgDebugPage  *self,
           SgSourceNode *root)
{
  sg_source_tree_set_root (self->source_tree, root);
  gtk_stack_set_visible_child_name (self->tree_stack, root ? "tree" : "empty");
}

static void load_source (SgDebugPage *self,
                         const char  *path,
                         guint        line,
                         gboolean     reload);

static void
folder_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SgDebugPage *self = SG_DEBUG_PAGE (object);
  g_autoptr(SgSourceNode) root = g_task_propagate_pointer (G_TASK (result), NULL);

  if (root == NULL)
    return;
  show_tree (self, root);
  compare_sources (self);
  /* The file on screen now comes from the new folder (if it has it). */
  if (sg_source_view_get_path (self->source_view) != NULL &&
      sg_source_node_find (root, sg_source_view_get_path (self->source_view)) != NULL)
    {
      g_autofree char *path = g_strdup (sg_source_view_get_path (self->source_view));
      load_source (self, path, 0, TRUE);
    }
}

void
sg_debug_page_open_folder (SgDebugPage *self,
                           GFile       *folder)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SG_IS_DEBUG_PAGE (self));
  g_return_if_fail (G_IS_FILE (folder));

  g_set_object (&self->folder, folder);
  self->remote_source = FALSE;
  task = g_task_new (self, self->cancellable, folder_done, NULL);
  g_task_set_task_data (task, g_object_ref (folder), g_object_unref);
  g_task_run_in_thread (task, folder_thread);
}

static void
browse_agent_source (SgDebugPage *self)
{
  g_auto(GStrv) paths = NULL;
  g_autoptr(SgSourceNode) root = NULL;

  if (self->manifest == NULL)
    return;
  g_clear_object (&self->folder);
  self->remote_source = TRUE;
  paths = sg_agent_manifest_dup_paths (self->manifest);
  root = sg_source_node_build_tree (paths);
  show_tree (self, root);
}

static void
file_loaded (SgDebugPage *self,
             const char  *path,
             GBytes      *bytes,
             const char  *origin)
{
  sg_source_view_set_file (self->source_view, path, bytes, origin);
  sg_source_tree_reveal (self->source_tree, path);
  if (self->manifest != NULL && self->folder != NULL)
    {
      SgSourceMatch match = sg_agent_manifest_compare (self->manifest, path, bytes);

      if (match == SG_SOURCE_MATCH_DIFFERENT)
        sg_source_view_set_mismatch (self->source_view,
                                     _("This file differs from the one the agent runs. Breakpoints may land on the wrong lines: update your copy, or use the agent’s source."));
      else if (match == SG_SOURCE_MATCH_MISSING)
        sg_source_view_set_mismatch (self->source_view,
                                     _("The agent has no file at this path: breakpoints here cannot be set. Is this folder the service’s source root?"));
    }
  refresh_marks (self);
  if (self->pending_line > 0)
    {
      sg_source_view_show_line (self->source_view, self->pending_line);
      self->pending_line = 0;
    }
}

static void
local_file_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SgDebugPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *relative = g_object_steal_data (object, "sg-relative");
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *origin = NULL;
  gsize len = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &len, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        say (self, error->message);
      return;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  origin = g_file_get_parse_name (G_FILE (object));
  file_loaded (self, relative, bytes, origin);
}

static void
remote_file_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SgDebugPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = sg_agent_client_get_source_file_finish (SG_AGENT_CLIENT (object), result, &error);
  g_autofree char *relative = g_object_steal_data (G_OBJECT (self), "sg-remote-path");
  g_autofree char *origin = NULL;

  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        say (self, error->message);
      return;
    }
  /* TRANSLATORS: where a file shown came from */
  origin = g_strdup_printf (_("from the agent %s"), sg_agent_client_get_address (SG_AGENT_CLIENT (object)));
  file_loaded (self, relative, bytes, origin);
}

static void
load_source (SgDebugPage *self,
             const char  *path,
             guint        line,
             gboolean     reload)
{
  if (!reload && g_strcmp0 (sg_source_view_get_path (self->source_view), path) == 0)
    {
      if (line > 0)
        sg_source_view_show_line (self->source_view, line);
      return;
    }
  self->pending_line = line;
  if (self->folder != NULL)
    {
      g_autoptr(GFile) file = g_file_resolve_relative_path (self->folder, path);

      g_object_set_data_full (G_OBJECT (file), "sg-relative", g_strdup (path), g_free);
      g_file_load_contents_async (file, self->cancellable, local_file_cb, g_object_ref (self));
    }
  else if (self->current != NULL)
    {
      g_object_set_data_full (G_OBJECT (self), "sg-remote-path", g_strdup (path), g_free);
      sg_agent_client_get_source_file_async (self->current, path, self->cancellable, remote_file_cb, g_object_ref (self));
    }
}

void
sg_debug_page_open_source (SgDebugPage *self,
                           const char  *path,
                           guint        line)
{
  g_return_if_fail (SG_IS_DEBUG_PAGE (self));
  g_return_if_fail (path != NULL);

  load_source (self, path, line, FALSE);
}

static void
on_file_activated (SgDebugPage *self,
                   const char  *path)
{
  sg_debug_page_open_source (self, path, 0);
}

/* --- breakpoints ---------------------------------------------------------------- */

static void
refresh_marks (SgDebugPage *self)
{
  g_autoptr(GPtrArray) here = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *model;

  if (self->current != NULL)
    {
      model = sg_debug_agents_get_breakpoints (self->agents, self->current);
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        g_ptr_array_add (here, g_list_model_get_item (model, i));
    }
  sg_source_view_set_breakpoints (self->source_view, here);
}

static void
set_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SgDebugPage) self = user_data;
  SgAgentClient *client = SG_AGENT_CLIENT (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(SgBreakpoint) bp = sg_agent_client_set_breakpoint_finish (client, result, &error);

  if (bp == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* TRANSLATORS: the agent's reason follows */
      message = g_strdup_printf (_("The breakpoint was not set: %s"), error->message);
      if (gtk_widget_get_visible (GTK_WIDGET (self->popover)))
        sg_breakpoint_popover_set_error (self->popover, error->message);
      say (self, message);
      return;
    }
  gtk_popover_popdown (GTK_POPOVER (self->popover));
  sg_debug_agents_take_breakpoint (self->agents, client, bp);
  if (sg_breakpoint_get_action (bp) == SG_BREAKPOINT_ACTION_LOG)
    sg_debug_page_show_results (self, "logs");
}

void
sg_debug_page_set_breakpoint (SgDebugPage      *self,
                              SgBreakpointSpec *spec)
{
  g_return_if_fail (SG_IS_DEBUG_PAGE (self));

  if (self->current == NULL || sg_agent_client_get_state (self->current) != SG_AGENT_STATE_CONNECTED)
    {
      say (self, _("Connect to an agent first: breakpoints are set in the running service"));
      return;
    }
  sg_agent_client_set_breakpoint_async (self->current, spec, self->cancellable, set_done, g_object_ref (self));
}

static void
delete_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SgDebugPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_object_steal_data (G_OBJECT (result), "sg-id");

  if (!sg_agent_client_delete_breakpoint_finish (SG_AGENT_CLIENT (object), result, &error) &&
      !g_error_matches (error, SG_AGENT_ERROR, SG_AGENT_ERROR_NOT_FOUND))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        say (self, error->message);
      return;
    }
}

static void
delete_breakpoint (SgDebugPage  *self,
                   SgBreakpoint *bp)
{
  if (self->current == NULL)
    return;
  sg_agent_client_delete_breakpoint_async (self->current, sg_breakpoint_get_id (bp), self->cancellable,
                                           delete_done, g_object_ref (self));
  /* Gone from the list at once; the agent forgets it in the meantime. */
  sg_debug_agents_forget_breakpoint (self->agents, self->current, sg_breakpoint_get_id (bp));
}

static void
on_toggle_snapshot (SgDebugPage *self,
                    guint        line)
{
  const char *path = sg_source_view_get_path (self->source_view);
  SgBreakpoint *existing;
  g_autoptr(SgBreakpointSpec) spec = NULL;

  if (path == NULL)
    return;
  if (self->current != NULL && (existing = sg_debug_agents_find_breakpoint (self->agents, self->current, path, line)))
    {
      delete_breakpoint (self, existing);
      return;
    }
  spec = sg_breakpoint_spec_new (SG_BREAKPOINT_ACTION_CAPTURE, path, line);
  sg_debug_page_set_breakpoint (self, spec);
}

static void
on_edit_breakpoint (SgDebugPage *self,
                    guint        line)
{
  const char *path = sg_source_view_get_path (self->source_view);
  SgBreakpoint *existing = NULL;
  GdkRectangle area;
  graphene_point_t point;

  if (path == NULL)
    return;
  if (self->current != NULL)
    existing = sg_debug_agents_find_breakpoint (self->agents, self->current, path, line);
  sg_breakpoint_popover_edit (self->popover, path, line, existing);
  if (sg_source_view_get_line_area (self->source_view, line, &area) &&
      gtk_widget_compute_point (sg_source_view_get_text_view (self->source_view), GTK_WIDGET (self),
                                &GRAPHENE_POINT_INIT (area.x, area.y), &point))
    {
      area.x = (int) point.x;
      area.y = (int) point.y;
      gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &area);
    }
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
on_popover_set (SgDebugPage      *self,
                SgBreakpointSpec *spec)
{
  SgBreakpoint *existing = NULL;

  /* Editing replaces: the agent has no update call. */
  if (self->current != NULL)
    existing = sg_debug_agents_find_breakpoint (self->agents, self->current, spec->path, spec->line);
  if (existing != NULL)
    delete_breakpoint (self, existing);
  sg_debug_page_set_breakpoint (self, spec);
}

static void
on_popover_remove (SgDebugPage *self,
                   const char  *id)
{
  GListModel *model;

  if (self->current == NULL)
    return;
  model = sg_debug_agents_get_breakpoints (self->agents, self->current);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SgBreakpoint) bp = g_list_model_get_item (model, i);

      if (g_strcmp0 (sg_breakpoint_get_id (bp), id) == 0)
        {
          delete_breakpoint (self, bp);
          return;
        }
    }
}

static void
on_list_open (SgDebugPage  *self,
              SgBreakpoint *bp)
{
  sg_debug_page_open_source (self, sg_breakpoint_get_path (bp), sg_breakpoint_get_line (bp));
  if (sg_breakpoint_get_snapshot (bp) != NULL)
    {
      GListModel *snapshots = sg_debug_agents_get_snapshots (self->agents);

      for (guint i = 0; i < g_list_model_get_n_items (snapshots); i++)
        {
          g_autoptr(SgHistorySnapshot) hs = g_list_model_get_item (snapshots, i);

          if (g_strcmp0 (sg_breakpoint_get_id (sg_history_snapshot_get_breakpoint (hs)), sg_breakpoint_get_id (bp)) == 0)
            {
              sg_snapshot_inspector_show (self->inspector, hs);
              sg_debug_page_show_results (self, "snapshot");
              return;
            }
        }
    }
}

static void
on_list_retake (SgDebugPage  *self,
                SgBreakpoint *bp)
{
  g_autoptr(SgBreakpointSpec) spec = sg_breakpoint_spec_new_from_breakpoint (bp);

  sg_debug_agents_forget_breakpoint (self->agents, self->current, sg_breakpoint_get_id (bp));
  sg_debug_page_set_breakpoint (self, spec);
}

static void
on_list_delete (SgDebugPage  *self,
                SgBreakpoint *bp)
{
  delete_breakpoint (self, bp);
}

/* --- agent events ---------------------------------------------------------------- */

static void
on_breakpoints_changed (SgDebugPage   *self,
                        SgAgentClient *client)
{
  if (client == self->current)
    refresh_marks (self);
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
      say (self, message);
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
  say (self, message);
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
      say (self, message);
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
  browse_agent_source (SG_DEBUG_PAGE (widget));
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

  G_OBJECT_CLASS (sg_debug_page_parent_class)->dispose (object);
}

static void
sg_debug_page_class_init (SgDebugPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_debug_page_dispose;
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

  g_signal_connect_object (self->source_tree, "file-activated", G_CALLBACK (on_file_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->source_view, "toggle-snapshot", G_CALLBACK (on_toggle_snapshot), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->source_view, "edit-breakpoint", G_CALLBACK (on_edit_breakpoint), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->inspector, "frame-activated", G_CALLBACK (on_frame_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->breakpoint_list, "open", G_CALLBACK (on_list_open), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->breakpoint_list, "retake", G_CALLBACK (on_list_retake), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->breakpoint_list, "delete", G_CALLBACK (on_list_delete), self, G_CONNECT_SWAPPED);
  self->own_snapshots = gtk_filter_list_model_new (g_object_ref (sg_debug_agents_get_snapshots (self->agents)),
                                                   GTK_FILTER (gtk_custom_filter_new (snapshot_is_current, self, NULL)));
  sg_snapshot_inspector_set_snapshots (self->inspector, G_LIST_MODEL (self->own_snapshots));

  self->popover = SG_BREAKPOINT_POPOVER (sg_breakpoint_popover_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (self));
  g_signal_connect_object (self->popover, "set", G_CALLBACK (on_popover_set), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->popover, "remove", G_CALLBACK (on_popover_remove), self, G_CONNECT_SWAPPED);

  gtk_widget_set_sensitive (GTK_WIDGET (self->browse_agent_button), FALSE);
  sg_breakpoint_list_set_model (self->breakpoint_list, NULL);

  if (history == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Snapshots and log lines will not be kept: %s"), error->message);
      say (self, message);
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
