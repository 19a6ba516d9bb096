/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The Debug page's source: a local folder (listed on a worker thread) or
 * the agent's own files, each compared with the agent's manifest (sha256)
 * so a file that differs from what runs is flagged in the tree and over
 * the text. */

#include "config.h"

#include <glib/gi18n.h>

#include "sg-debug-page-private.h"

#define MAX_TREE_FILES 20000

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
      _sg_debug_page_say (self, message);
    }
}

void
_sg_debug_page_compare_sources (SgDebugPage *self)
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
  _sg_debug_page_compare_sources (self);
  /* The file on screen now comes from the new folder (if it has it), at
   * the line it was shown at (or was about to be: a file opened together
   * with its folder may arrive first). */
  if (sg_source_view_get_path (self->source_view) != NULL &&
      sg_source_node_find (root, sg_source_view_get_path (self->source_view)) != NULL)
    {
      g_autofree char *path = g_strdup (sg_source_view_get_path (self->source_view));
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (sg_source_view_get_text_view (self->source_view)));
      GtkTextIter cursor;
      guint line;

      gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
      line = self->pending_line > 0 ? self->pending_line : (guint) gtk_text_iter_get_line (&cursor) + 1;
      load_source (self, path, line > 1 ? line : 0, TRUE);
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

void
_sg_debug_page_browse_agent_source (SgDebugPage *self)
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
  _sg_debug_page_refresh_marks (self);
  if (self->pending_line > 0)
    {
      sg_source_view_show_line (self->source_view, self->pending_line);
      self->pending_line = 0;
    }
}

static void
load_finished (SgDebugPage *self,
               const char  *path)
{
  if (g_strcmp0 (self->loading_path, path) == 0)
    g_clear_pointer (&self->loading_path, g_free);
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

  load_finished (self, relative);
  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &len, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _sg_debug_page_say (self, error->message);
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

  load_finished (self, relative);
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _sg_debug_page_say (self, error->message);
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
  /* Already on its way (a snapshot selects its first frame more than once):
   * a second load would land after the first and undo its scrolling. */
  if (!reload && g_strcmp0 (self->loading_path, path) == 0)
    {
      if (line > 0)
        self->pending_line = line;
      return;
    }
  self->pending_line = line;
  if (self->folder != NULL || self->current != NULL)
    {
      g_free (self->loading_path);
      self->loading_path = g_strdup (path);
    }
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

/* The source tree's signals; called from init. */
void
_sg_debug_page_init_source (SgDebugPage *self)
{
  g_signal_connect_object (self->source_tree, "file-activated", G_CALLBACK (on_file_activated), self, G_CONNECT_SWAPPED);
}
