/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * The Compare page's table: one row per function (and file) of either
 * profile, with both sides' totals, the difference and the relative
 * change, biggest change first (either way).  Like the Profile page's top
 * table it is a GtkColumnView over store → filter → sort → selection, so
 * tens of thousands of functions scroll without tens of thousands of
 * widgets, and it exposes the selected function as a property so the page
 * keeps it in step with the flame graph.
 *
 * Rows are made from an SgDiff in one pass on the main thread: the diff
 * is already computed on a worker thread and making 10k small objects
 * takes a few milliseconds (see README.md, "Compare page").
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sg-compare-row.h"
#include "sg-compare-table.h"

#include "sg-column-view-private.h"
#include "sg-flame-layout.h"

struct _SgCompareTable
{
  GtkWidget            parent_instance;

  SgDiff              *diff;
  gboolean             normalised;

  GListStore          *store;
  GtkCustomFilter     *filter;
  char                *filter_text;   /* case-folded */
  GtkSortListModel    *sorted;
  GtkSingleSelection  *selection;
  char                *selected_function;
  gboolean             syncing;

  GtkWidget           *box;
  GtkWidget           *entry;
  GtkWidget           *stack;
  GtkWidget           *empty;
  GtkColumnView       *view;
  GtkColumnViewColumn *base_column;
  GtkColumnViewColumn *test_column;
  GtkColumnViewColumn *delta_column;
};

G_DEFINE_FINAL_TYPE (SgCompareTable, sg_compare_table, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED_FUNCTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  COLUMN_FUNCTION,
  COLUMN_FILE,
  COLUMN_BASE,
  COLUMN_TEST,
  COLUMN_DELTA,
  COLUMN_CHANGE,
} Column;

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *child = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (child), column <= COLUMN_FILE ? 0.0 : 1.0);
  gtk_label_set_ellipsize (GTK_LABEL (child), column == COLUMN_FILE ? PANGO_ELLIPSIZE_START
                                                                    : PANGO_ELLIPSIZE_END);
  if (column > COLUMN_FILE)
    gtk_widget_add_css_class (child, "numeric");
  if (column == COLUMN_FILE)
    gtk_widget_add_css_class (child, "dim-label");
  gtk_list_item_set_child (item, child);
}

static char *
format_side (SgCompareTable *self,
             double          value)
{
  if (self->normalised)
    return sg_compare_format_share (value);
  return sg_flame_format_value ((gint64) value, sg_diff_get_value_unit (self->diff));
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  SgCompareRow *row = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  SgCompareTable *self = g_object_get_data (G_OBJECT (factory), "table");
  g_autofree char *text = NULL;
  double delta = sg_compare_row_get_delta (row);

  /* Red for more, blue for less: the flame graph's colours, as text. */
  gtk_widget_remove_css_class (child, "error");
  gtk_widget_remove_css_class (child, "accent");

  switch (column)
    {
    case COLUMN_FUNCTION:
      gtk_label_set_text (GTK_LABEL (child), sg_compare_row_get_function (row));
      gtk_widget_set_tooltip_text (child, sg_compare_row_get_function (row));
      return;
    case COLUMN_FILE:
      gtk_label_set_text (GTK_LABEL (child), sg_compare_row_get_file (row));
      gtk_widget_set_tooltip_text (child, sg_compare_row_get_file (row));
      return;
    case COLUMN_BASE:
      text = format_side (self, sg_compare_row_get_base (row));
      break;
    case COLUMN_TEST:
      text = format_side (self, sg_compare_row_get_test (row));
      break;
    case COLUMN_DELTA:
      text = self->normalised
               ? sg_compare_format_points (delta)
               : sg_compare_format_delta ((gint64) delta, sg_diff_get_value_unit (self->diff));
      break;
    case COLUMN_CHANGE:
    default:
      text = sg_compare_format_change (sg_compare_row_get_change (row));
      break;
    }
  gtk_label_set_text (GTK_LABEL (child), text);
  if (column >= COLUMN_DELTA && delta != 0)
    gtk_widget_add_css_class (child, delta > 0 ? "error" : "accent");
}

/* Sorters compare the rows' fields directly: a property-expression sorter
 * costs a GValue round trip per comparison, which on 10k+ rows is most of
 * the time the table takes to appear. */
static int
compare_doubles (double a,
                 double b)
{
  return a < b ? -1 : a > b ? 1 : 0;
}

static int
sort_rows (gconstpointer a,
           gconstpointer b,
           gpointer      user_data)
{
  SgCompareRow *x = (SgCompareRow *) a;
  SgCompareRow *y = (SgCompareRow *) b;
  int r;

  switch (GPOINTER_TO_INT (user_data))
    {
    case COLUMN_FUNCTION:
      r = g_strcmp0 (sg_compare_row_get_function (x), sg_compare_row_get_function (y));
      break;
    case COLUMN_FILE:
      r = g_strcmp0 (sg_compare_row_get_file (x), sg_compare_row_get_file (y));
      break;
    case COLUMN_BASE:
      r = compare_doubles (sg_compare_row_get_base (x), sg_compare_row_get_base (y));
      break;
    case COLUMN_TEST:
      r = compare_doubles (sg_compare_row_get_test (x), sg_compare_row_get_test (y));
      break;
    case COLUMN_DELTA:
      /* The size of the change, either way: "what changed most". */
      r = compare_doubles (fabs (sg_compare_row_get_delta (x)), fabs (sg_compare_row_get_delta (y)));
      break;
    case COLUMN_CHANGE:
    default:
      r = compare_doubles (sg_compare_row_get_change (x), sg_compare_row_get_change (y));
      break;
    }
  /* Ties in a stable, readable order. */
  return r != 0 ? r : g_strcmp0 (sg_compare_row_get_function (x), sg_compare_row_get_function (y));
}

static GtkColumnViewColumn *
add_column (SgCompareTable *self,
            const char     *title,
            Column          column,
            int             width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkSorter *sorter;

  g_object_set_data (G_OBJECT (factory), "table", self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (column));

  sorter = GTK_SORTER (gtk_custom_sorter_new (sort_rows, GINT_TO_POINTER (column), NULL));
  return sg_column_view_add_column (self->view, title, factory, sorter, width);
}

static gboolean
filter_row (gpointer item,
            gpointer user_data)
{
  SgCompareTable *self = user_data;

  if (self->filter_text == NULL || self->filter_text[0] == '\0')
    return TRUE;
  return strstr (sg_compare_row_get_search_key (item), self->filter_text) != NULL;
}

static const char *
row_function (gpointer row)
{
  return sg_compare_row_get_function (SG_COMPARE_ROW (row));
}

static void
select_function (SgCompareTable *self)
{
  self->syncing = TRUE;
  sg_column_view_select_function (self->view, self->selection, self->selected_function,
                                  row_function);
  self->syncing = FALSE;
}

static void
selection_changed_cb (SgCompareTable *self)
{
  SgCompareRow *row;

  if (self->syncing)
    return;
  row = gtk_single_selection_get_selected_item (self->selection);
  if (row == NULL)
    return;
  if (g_strcmp0 (self->selected_function, sg_compare_row_get_function (row)) == 0)
    return;
  g_free (self->selected_function);
  self->selected_function = g_strdup (sg_compare_row_get_function (row));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FUNCTION]);
}

static void
entry_changed_cb (SgCompareTable *self,
                  GtkSearchEntry *entry)
{
  sg_compare_table_set_filter (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* New rows go into a new store under the same filter and sorter: the sort
 * model then sorts them once, where splicing them into the old store would
 * make it find and drop each old row one by one (seconds on 10k+ rows). */
static void
replace_rows (SgCompareTable *self,
              GPtrArray      *items)
{
  g_autoptr(GListStore) store = g_list_store_new (SG_TYPE_COMPARE_ROW);
  g_autoptr(GtkFilterListModel) filtered = NULL;

  g_list_store_splice (store, 0, 0, items->pdata, items->len);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (store)),
                                        GTK_FILTER (g_object_ref (self->filter)));
  self->syncing = TRUE;
  gtk_sort_list_model_set_model (self->sorted, G_LIST_MODEL (filtered));
  self->syncing = FALSE;
  g_set_object (&self->store, store);
}

static void
update_titles (SgCompareTable *self)
{
  gtk_column_view_column_set_title (self->base_column,
                                    self->normalised ? _("Base %") : _("Base"));
  gtk_column_view_column_set_title (self->test_column,
                                    self->normalised ? _("Comparison %") : _("Comparison"));
  gtk_column_view_column_set_title (self->delta_column,
                                    self->normalised ? _("Δ Points") : _("Δ"));
}

static void
sg_compare_table_dispose (GObject *object)
{
  SgCompareTable *self = SG_COMPARE_TABLE (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->selection);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sg_compare_table_parent_class)->dispose (object);
}

static void
sg_compare_table_finalize (GObject *object)
{
  SgCompareTable *self = SG_COMPARE_TABLE (object);

  g_clear_pointer (&self->diff, sg_diff_unref);
  g_free (self->filter_text);
  g_free (self->selected_function);

  G_OBJECT_CLASS (sg_compare_table_parent_class)->finalize (object);
}

static void
sg_compare_table_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SgCompareTable *self = SG_COMPARE_TABLE (object);

  switch (prop_id)
    {
    case PROP_SELECTED_FUNCTION:
      g_value_set_string (value, self->selected_function);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_compare_table_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SgCompareTable *self = SG_COMPARE_TABLE (object);

  switch (prop_id)
    {
    case PROP_SELECTED_FUNCTION:
      sg_compare_table_set_selected_function (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_compare_table_class_init (SgCompareTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_compare_table_dispose;
  object_class->finalize = sg_compare_table_finalize;
  object_class->get_property = sg_compare_table_get_property;
  object_class->set_property = sg_compare_table_set_property;

  properties[PROP_SELECTED_FUNCTION] =
    g_param_spec_string ("selected-function", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "comparetable");
}

static void
sg_compare_table_init (SgCompareTable *self)
{
  GtkWidget *scroller;
  GtkSorter *sorter;

  self->normalised = TRUE;
  self->store = g_list_store_new (SG_TYPE_COMPARE_ROW);
  self->filter = gtk_custom_filter_new (filter_row, self, NULL);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->entry = gtk_search_entry_new ();
  g_object_set (self->entry, "placeholder-text", _("Filter functions and files"), NULL);
  gtk_widget_set_margin_start (self->entry, 6);
  gtk_widget_set_margin_end (self->entry, 6);
  gtk_widget_set_margin_top (self->entry, 6);
  gtk_widget_set_margin_bottom (self->entry, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Filter the comparison table"), -1);
  g_signal_connect_object (self->entry, "search-changed", G_CALLBACK (entry_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->box), self->entry);

  self->view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_column_view_set_show_column_separators (self->view, FALSE);
  gtk_column_view_set_reorderable (self->view, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "data-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Changed functions"), -1);

  add_column (self, _("Function"), COLUMN_FUNCTION, -1);
  add_column (self, _("File"), COLUMN_FILE, 200);
  self->base_column = add_column (self, _("Base"), COLUMN_BASE, 110);
  self->test_column = add_column (self, _("Comparison"), COLUMN_TEST, 120);
  /* The Δ column sorts by the size of the change, either way: "what
   * changed most" first.  Δ % sorts signed, biggest regression first. */
  self->delta_column = add_column (self, _("Δ"), COLUMN_DELTA, 110);
  add_column (self, _("Δ %"), COLUMN_CHANGE, 90);
  update_titles (self);

  sorter = gtk_column_view_get_sorter (self->view);
  self->sorted = gtk_sort_list_model_new (
    G_LIST_MODEL (gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                             GTK_FILTER (self->filter))),
    g_object_ref (sorter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_sort_by_column (self->view, self->delta_column, GTK_SORT_DESCENDING);

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->view));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_AUTOMATIC);

  self->empty = gtk_label_new (_("No function has a value of this type in either profile"));
  gtk_widget_add_css_class (self->empty, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (self->empty), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->empty), GTK_JUSTIFY_CENTER);

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_stack_add_named (GTK_STACK (self->stack), scroller, "table");
  gtk_stack_add_named (GTK_STACK (self->stack), self->empty, "empty");
  gtk_box_append (GTK_BOX (self->box), self->stack);
}

GtkWidget *
sg_compare_table_new (void)
{
  return g_object_new (SG_TYPE_COMPARE_TABLE, NULL);
}

void
sg_compare_table_set_diff (SgCompareTable *self,
                           SgDiff         *diff,
                           gboolean        normalised)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (SG_IS_COMPARE_TABLE (self));

  if (diff)
    sg_diff_ref (diff);
  g_clear_pointer (&self->diff, sg_diff_unref);
  self->diff = diff;
  self->normalised = normalised;
  update_titles (self);

  if (diff != NULL)
    for (guint i = 0; i < sg_diff_get_n_rows (diff); i++)
      {
        const SgDiffRow *r = sg_diff_get_row (diff, i);

        if (r->base_cum == 0 && r->test_cum == 0)
          continue;
        g_ptr_array_add (items, sg_compare_row_new (r, sg_diff_get_base_total (diff),
                                                    sg_diff_get_test_total (diff), normalised));
      }

  replace_rows (self, items);
  select_function (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack),
                                    items->len > 0 || diff == NULL ? "table" : "empty");
}

const char *
sg_compare_table_get_selected_function (SgCompareTable *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_TABLE (self), NULL);
  return self->selected_function;
}

void
sg_compare_table_set_selected_function (SgCompareTable *self,
                                        const char     *function)
{
  g_return_if_fail (SG_IS_COMPARE_TABLE (self));

  if (g_strcmp0 (function, self->selected_function) == 0)
    return;
  g_free (self->selected_function);
  self->selected_function = g_strdup (function);
  select_function (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FUNCTION]);
}

void
sg_compare_table_set_filter (SgCompareTable *self,
                             const char     *text)
{
  g_return_if_fail (SG_IS_COMPARE_TABLE (self));

  g_free (self->filter_text);
  self->filter_text = text ? g_utf8_casefold (text, -1) : NULL;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->entry)), text ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), text ? text : "");
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  select_function (self);
}

GListModel *
sg_compare_table_get_model (SgCompareTable *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_TABLE (self), NULL);
  return G_LIST_MODEL (self->selection);
}

GtkColumnView *
sg_compare_table_get_column_view (SgCompareTable *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_TABLE (self), NULL);
  return self->view;
}
