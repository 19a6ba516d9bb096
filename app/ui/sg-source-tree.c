/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sg-source-tree.h"

struct _SgSourceTree
{
  GtkWidget        parent_instance;

  SgSourceNode    *root;
  GtkWidget       *scroller;
  GtkListView     *list_view;
  GtkSingleSelection *selection;
};

G_DEFINE_FINAL_TYPE (SgSourceTree, sg_source_tree, GTK_TYPE_WIDGET)

enum {
  FILE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GListModel *
create_children (gpointer item,
                 gpointer user_data)
{
  GListStore *children = sg_source_node_get_children (item);

  return children ? g_object_ref (G_LIST_MODEL (children)) : NULL;
}

static void
update_match_icon (SgSourceNode *node,
                   GParamSpec   *pspec,
                   GtkImage     *warning)
{
  switch (sg_source_node_get_match (node))
    {
    case SG_SOURCE_NODE_DIFFERENT:
      gtk_image_set_from_icon_name (warning, "dialog-warning-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (warning),
                                   _("Differs from the file the agent runs: breakpoints may land on the wrong lines"));
      gtk_widget_set_visible (GTK_WIDGET (warning), TRUE);
      break;
    case SG_SOURCE_NODE_NOT_ON_AGENT:
      gtk_image_set_from_icon_name (warning, "action-unavailable-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (warning), _("The agent has no such file"));
      gtk_widget_set_visible (GTK_WIDGET (warning), TRUE);
      break;
    case SG_SOURCE_NODE_SAME:
    case SG_SOURCE_NODE_UNCHECKED:
    default:
      gtk_widget_set_visible (GTK_WIDGET (warning), FALSE);
      break;
    }
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *warning = gtk_image_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (warning, "warning");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), warning);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (list_item, expander);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  SgSourceNode *node = gtk_tree_list_row_get_item (row);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (icon);
  GtkWidget *warning = gtk_widget_get_next_sibling (label);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), sg_source_node_is_dir (node) ? "folder-symbolic"
                                                                              : "text-x-generic-symbolic");
  gtk_label_set_text (GTK_LABEL (label), sg_source_node_get_name (node));
  gtk_widget_set_tooltip_text (label, sg_source_node_get_path (node));
  update_match_icon (node, NULL, GTK_IMAGE (warning));
  g_signal_connect_object (node, "notify::match", G_CALLBACK (update_match_icon), warning, 0);
  g_object_set_data_full (G_OBJECT (warning), "sg-node", node, g_object_unref);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *warning = gtk_widget_get_last_child (box);
  SgSourceNode *node = g_object_get_data (G_OBJECT (warning), "sg-node");

  /* The row may already have lost its item when the whole tree is replaced. */
  if (node != NULL)
    g_signal_handlers_disconnect_by_func (node, update_match_icon, warning);
  g_object_set_data (G_OBJECT (warning), "sg-node", NULL);
}

static void
on_activate (GtkListView  *list_view,
             guint         position,
             SgSourceTree *self)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  g_autoptr(SgSourceNode) node = NULL;

  if (row == NULL)
    return;
  node = gtk_tree_list_row_get_item (row);
  if (sg_source_node_is_dir (node))
    gtk_tree_list_row_set_expanded (row, !gtk_tree_list_row_get_expanded (row));
  else
    g_signal_emit (self, signals[FILE_ACTIVATED], 0, sg_source_node_get_path (node));
}

static void
sg_source_tree_dispose (GObject *object)
{
  SgSourceTree *self = SG_SOURCE_TREE (object);

  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_object (&self->root);

  G_OBJECT_CLASS (sg_source_tree_parent_class)->dispose (object);
}

static void
sg_source_tree_class_init (SgSourceTreeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_source_tree_dispose;

  signals[FILE_ACTIVATED] =
    g_signal_new ("file-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sgsourcetree");
}

static void
sg_source_tree_init (SgSourceTree *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  self->list_view = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (self->selection), factory));
  gtk_list_view_set_single_click_activate (self->list_view, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list_view), "navigation-sidebar");
  g_signal_connect (self->list_view, "activate", G_CALLBACK (on_activate), self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Source files"), -1);

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->list_view));
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
}

GtkWidget *
sg_source_tree_new (void)
{
  return g_object_new (SG_TYPE_SOURCE_TREE, NULL);
}

void
sg_source_tree_set_root (SgSourceTree *self,
                         SgSourceNode *root)
{
  GtkTreeListModel *tree = NULL;

  g_return_if_fail (SG_IS_SOURCE_TREE (self));

  if (!g_set_object (&self->root, root))
    return;
  if (root != NULL)
    tree = gtk_tree_list_model_new (g_object_ref (G_LIST_MODEL (sg_source_node_get_children (root))),
                                    FALSE, FALSE, create_children, NULL, NULL);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (tree));
  g_clear_object (&tree);
}

/**
 * sg_source_tree_get_root:
 *
 * Returns: (transfer none) (nullable): the tree shown
 */
SgSourceNode *
sg_source_tree_get_root (SgSourceTree *self)
{
  g_return_val_if_fail (SG_IS_SOURCE_TREE (self), NULL);
  return self->root;
}

/* Expands the folders down to @path, selects it and scrolls it into view. */
void
sg_source_tree_reveal (SgSourceTree *self,
                       const char   *path)
{
  GListModel *rows;

  g_return_if_fail (SG_IS_SOURCE_TREE (self));

  rows = gtk_single_selection_get_model (self->selection);
  /* Expanding a row inserts its children right after it, so one pass
   * over the growing list walks down the path. */
  for (guint pos = 0; rows != NULL && pos < g_list_model_get_n_items (rows); pos++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, pos);
      g_autoptr(SgSourceNode) node = gtk_tree_list_row_get_item (row);
      const char *node_path = sg_source_node_get_path (node);

      if (g_str_equal (node_path, path))
        {
          gtk_single_selection_set_selected (self->selection, pos);
          gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", pos);
          return;
        }
      if (sg_source_node_is_dir (node) && g_str_has_prefix (path, node_path) && path[strlen (node_path)] == '/')
        gtk_tree_list_row_set_expanded (row, TRUE);
    }
}
