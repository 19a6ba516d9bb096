/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "sg-source-node.h"

struct _SgSourceNode
{
  GObject            parent_instance;

  char              *path;
  const char        *name;      /* points into path */
  GListStore        *children;  /* NULL for files */
  SgSourceNodeMatch  match;
};

G_DEFINE_FINAL_TYPE (SgSourceNode, sg_source_node, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_MATCH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sg_source_node_finalize (GObject *object)
{
  SgSourceNode *self = SG_SOURCE_NODE (object);

  g_free (self->path);
  g_clear_object (&self->children);

  G_OBJECT_CLASS (sg_source_node_parent_class)->finalize (object);
}

static void
sg_source_node_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SgSourceNode *self = SG_SOURCE_NODE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_MATCH:
      g_value_set_int (value, self->match);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_source_node_class_init (SgSourceNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sg_source_node_finalize;
  object_class->get_property = sg_source_node_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MATCH] =
    g_param_spec_int ("match", NULL, NULL, 0, SG_SOURCE_NODE_NOT_ON_AGENT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sg_source_node_init (SgSourceNode *self)
{
}

SgSourceNode *
sg_source_node_new (const char *path,
                    gboolean    is_dir)
{
  SgSourceNode *self = g_object_new (SG_TYPE_SOURCE_NODE, NULL);
  const char *slash;

  self->path = g_strdup (path ? path : "");
  slash = strrchr (self->path, '/');
  self->name = slash ? slash + 1 : self->path;
  if (is_dir)
    self->children = g_list_store_new (SG_TYPE_SOURCE_NODE);
  return self;
}

const char *
sg_source_node_get_path (SgSourceNode *self)
{
  g_return_val_if_fail (SG_IS_SOURCE_NODE (self), NULL);
  return self->path;
}

const char *
sg_source_node_get_name (SgSourceNode *self)
{
  g_return_val_if_fail (SG_IS_SOURCE_NODE (self), NULL);
  return self->name;
}

gboolean
sg_source_node_is_dir (SgSourceNode *self)
{
  g_return_val_if_fail (SG_IS_SOURCE_NODE (self), FALSE);
  return self->children != NULL;
}

/**
 * sg_source_node_get_children:
 *
 * Returns: (transfer none) (nullable): the folder's entries, folders first
 */
GListStore *
sg_source_node_get_children (SgSourceNode *self)
{
  g_return_val_if_fail (SG_IS_SOURCE_NODE (self), NULL);
  return self->children;
}

SgSourceNodeMatch
sg_source_node_get_match (SgSourceNode *self)
{
  g_return_val_if_fail (SG_IS_SOURCE_NODE (self), SG_SOURCE_NODE_UNCHECKED);
  return self->match;
}

void
sg_source_node_set_match (SgSourceNode      *self,
                          SgSourceNodeMatch  match)
{
  g_return_if_fail (SG_IS_SOURCE_NODE (self));
  if (self->match == match)
    return;
  self->match = match;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MATCH]);
}

static int
compare_nodes (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  SgSourceNode *na = (SgSourceNode *) a, *nb = (SgSourceNode *) b;

  if ((na->children != NULL) != (nb->children != NULL))
    return na->children != NULL ? -1 : 1;
  return g_utf8_collate (na->name, nb->name);
}

static void
sort_tree (SgSourceNode *node)
{
  if (node->children == NULL)
    return;
  g_list_store_sort (node->children, compare_nodes, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (node->children)); i++)
    {
      g_autoptr(SgSourceNode) child = g_list_model_get_item (G_LIST_MODEL (node->children), i);
      sort_tree (child);
    }
}

/**
 * sg_source_node_build_tree:
 * @paths: relative file paths with '/' separators
 *
 * Returns: (transfer full): the root folder (path "")
 */
SgSourceNode *
sg_source_node_build_tree (char **paths)
{
  SgSourceNode *root = sg_source_node_new ("", TRUE);
  g_autoptr(GHashTable) dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_hash_table_insert (dirs, g_strdup (""), root);
  for (guint i = 0; paths != NULL && paths[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (paths[i], "/", -1);
      g_autoptr(GString) prefix = g_string_new (NULL);
      SgSourceNode *parent = root;
      guint n = g_strv_length (parts);

      for (guint p = 0; p + 1 < n; p++)
        {
          SgSourceNode *dir;

          if (prefix->len > 0)
            g_string_append_c (prefix, '/');
          g_string_append (prefix, parts[p]);
          if (!(dir = g_hash_table_lookup (dirs, prefix->str)))
            {
              dir = sg_source_node_new (prefix->str, TRUE);
              g_list_store_append (parent->children, dir);
              g_object_unref (dir);  /* the parent's store keeps it */
              g_hash_table_insert (dirs, g_strdup (prefix->str), dir);
            }
          parent = dir;
        }
      if (n > 0)
        {
          g_autoptr(SgSourceNode) file = sg_source_node_new (paths[i], FALSE);
          g_list_store_append (parent->children, file);
        }
    }
  sort_tree (root);
  return root;
}

/**
 * sg_source_node_find:
 *
 * Returns: (transfer none) (nullable): the node at @path under @root
 */
SgSourceNode *
sg_source_node_find (SgSourceNode *root,
                     const char   *path)
{
  GListModel *children;

  g_return_val_if_fail (SG_IS_SOURCE_NODE (root), NULL);

  if (g_str_equal (root->path, path))
    return root;
  if (root->children == NULL)
    return NULL;
  children = G_LIST_MODEL (root->children);
  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(SgSourceNode) child = g_list_model_get_item (children, i);
      SgSourceNode *found;

      if (g_str_equal (child->path, path))
        return child;
      if (child->children != NULL && g_str_has_prefix (path, child->path) && path[strlen (child->path)] == '/' &&
          (found = sg_source_node_find (child, path)))
        return found;
    }
  return NULL;
}
