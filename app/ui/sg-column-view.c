/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sg-column-view-private.h"

GtkColumnViewColumn *
sg_column_view_add_column (GtkColumnView      *view,
                           const char         *title,
                           GtkListItemFactory *factory,
                           GtkSorter          *sorter,
                           int                 width)
{
  GtkColumnViewColumn *col = gtk_column_view_column_new (title, factory);

  gtk_column_view_column_set_sorter (col, sorter);
  g_object_unref (sorter);
  gtk_column_view_column_set_resizable (col, TRUE);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (col, width);
  else
    gtk_column_view_column_set_expand (col, TRUE);
  gtk_column_view_append_column (view, col);
  g_object_unref (col);
  return col;
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

guint
sg_column_view_select_function (GtkColumnView      *view,
                                GtkSingleSelection *selection,
                                const char         *function,
                                const char *      (*get_function) (gpointer row))
{
  GListModel *model = G_LIST_MODEL (selection);
  guint n = g_list_model_get_n_items (model);
  guint found = GTK_INVALID_LIST_POSITION;

  if (function != NULL)
    for (guint i = 0; i < n && found == GTK_INVALID_LIST_POSITION; i++)
      {
        g_autoptr(GObject) row = g_list_model_get_item (model, i);

        if (g_str_equal (get_function (row), function))
          found = i;
      }

  gtk_single_selection_set_selected (selection, found);

  if (found != GTK_INVALID_LIST_POSITION)
    {
      GtkWidget *list = find_list_view (GTK_WIDGET (view));

      /* GTK 4.8 has no gtk_column_view_scroll_to(): use the list's action. */
      if (list != NULL)
        gtk_widget_activate_action (list, "list.scroll-to-item", "u", found);
    }
  return found;
}
