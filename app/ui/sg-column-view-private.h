/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What the function tables (the Profile page's top table, the Compare
 * page's table) do the same way with their GtkColumnView. */

/* Appends a resizable column built from @factory, sorted by @sorter (taken
 * over); @width > 0 fixes its width, otherwise it takes the spare room.
 * Returns the column, owned by @view. */
GtkColumnViewColumn *sg_column_view_add_column      (GtkColumnView      *view,
                                                     const char         *title,
                                                     GtkListItemFactory *factory,
                                                     GtkSorter          *sorter,
                                                     int                 width);

/* Selects, in @selection's displayed order, the first row whose function
 * (@get_function) is @function, or none, and scrolls it into view.
 * Returns its position or GTK_INVALID_LIST_POSITION. */
guint                sg_column_view_select_function (GtkColumnView      *view,
                                                     GtkSingleSelection *selection,
                                                     const char         *function,
                                                     const char *      (*get_function) (gpointer row));

G_END_DECLS
