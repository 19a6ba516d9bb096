/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * The top table: one row per function (and file) with self and total
 * values and shares, like `pprof -top`.  It is a GtkColumnView over a
 * list store → filter → sort → single-selection chain, so a table of
 * 100k functions scrolls and sorts without creating 100k widgets.  The
 * rows are computed by sg_profile_top() on a worker thread.
 *
 * The selected function is a property so the page can bind it to the
 * flame graph in both directions.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sg-analysis.h"
#include "sg-flame-layout.h"
#include "sg-top-table.h"

#include "sg-column-view-private.h"
#include "sg-top-table-bar.h"
#include "sg-top-table-row.h"

struct _SgTopTable
{
  GtkWidget           parent_instance;

  SgProfile          *profile;
  guint               value_index;
  char               *unit;
  GCancellable       *cancellable;

  GListStore         *store;
  GtkCustomFilter    *filter;
  char               *filter_text;   /* case-folded */
  GtkSortListModel   *sorted;
  GtkSingleSelection *selection;
  char               *selected_function;
  gboolean            syncing;

  GtkWidget          *box;
  GtkWidget          *entry;
  GtkWidget          *stack;
  GtkColumnView      *view;
  GtkColumnViewColumn *self_column;
};

G_DEFINE_FINAL_TYPE (SgTopTable, sg_top_table, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED_FUNCTION,
  PROP_LOADING,
  N_PROPS
};

enum {
  ROW_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef enum
{
  COLUMN_FUNCTION,
  COLUMN_FILE,
  COLUMN_SELF,
  COLUMN_SELF_PERCENT,
  COLUMN_TOTAL,
  COLUMN_TOTAL_PERCENT,
} Column;

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *child;

  if (column == COLUMN_SELF_PERCENT || column == COLUMN_TOTAL_PERCENT)
    child = sg_top_table_bar_new ();
  else
    {
      child = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (child), column <= COLUMN_FILE ? 0.0 : 1.0);
      gtk_label_set_ellipsize (GTK_LABEL (child), column == COLUMN_FILE ? PANGO_ELLIPSIZE_START
                                                                        : PANGO_ELLIPSIZE_END);
      if (column > COLUMN_FILE)
        gtk_widget_add_css_class (child, "numeric");
      if (column == COLUMN_FILE)
        gtk_widget_add_css_class (child, "dim-label");
    }
  gtk_list_item_set_child (item, child);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  SgTopTableRow *row = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  SgTopTable *self = g_object_get_data (G_OBJECT (factory), "table");
  g_autofree char *text = NULL;

  switch (column)
    {
    case COLUMN_FUNCTION:
      gtk_label_set_text (GTK_LABEL (child), sg_top_table_row_get_function (row));
      gtk_widget_set_tooltip_text (child, sg_top_table_row_get_function (row));
      break;
    case COLUMN_FILE:
      gtk_label_set_text (GTK_LABEL (child), sg_top_table_row_get_file (row));
      gtk_widget_set_tooltip_text (child, sg_top_table_row_get_file (row));
      break;
    case COLUMN_SELF:
      text = sg_flame_format_value (sg_top_table_row_get_self (row), self->unit);
      gtk_label_set_text (GTK_LABEL (child), text);
      break;
    case COLUMN_TOTAL:
      text = sg_flame_format_value (sg_top_table_row_get_total (row), self->unit);
      gtk_label_set_text (GTK_LABEL (child), text);
      break;
    case COLUMN_SELF_PERCENT:
      text = g_strdup_printf ("%.1f%%", 100 * sg_top_table_row_get_self_fraction (row));
      sg_top_table_bar_set_fraction (SG_TOP_TABLE_BAR (child),
                                     sg_top_table_row_get_self_fraction (row), text);
      break;
    case COLUMN_TOTAL_PERCENT:
    default:
      text = g_strdup_printf ("%.1f%%", 100 * sg_top_table_row_get_total_fraction (row));
      sg_top_table_bar_set_fraction (SG_TOP_TABLE_BAR (child),
                                     sg_top_table_row_get_total_fraction (row), text);
      break;
    }
}

static GtkColumnViewColumn *
add_column (SgTopTable *self,
            const char *title,
            Column      column,
            const char *property,
            gboolean    numeric,
            int         width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkSorter *sorter;
  GtkExpression *expression = gtk_property_expression_new (SG_TYPE_TOP_TABLE_ROW, NULL, property);

  g_object_set_data (G_OBJECT (factory), "table", self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (column));

  if (numeric)
    sorter = GTK_SORTER (gtk_numeric_sorter_new (expression));
  else
    sorter = GTK_SORTER (gtk_string_sorter_new (expression));
  return sg_column_view_add_column (self->view, title, factory, sorter, width);
}

static gboolean
filter_row (gpointer item,
            gpointer user_data)
{
  SgTopTable *self = user_data;

  if (self->filter_text == NULL || self->filter_text[0] == '\0')
    return TRUE;
  return strstr (sg_top_table_row_get_search_key (item), self->filter_text) != NULL;
}

static const char *
row_function (gpointer row)
{
  return sg_top_table_row_get_function (SG_TOP_TABLE_ROW (row));
}

/* Selects the heaviest row of the selected function in the displayed order. */
static void
select_function (SgTopTable *self)
{
  self->syncing = TRUE;
  sg_column_view_select_function (self->view, self->selection, self->selected_function,
                                  row_function);
  self->syncing = FALSE;
}

static void
selection_changed_cb (SgTopTable *self)
{
  SgTopTableRow *row;

  if (self->syncing)
    return;
  row = gtk_single_selection_get_selected_item (self->selection);
  if (row == NULL)
    return;
  if (g_strcmp0 (self->selected_function, sg_top_table_row_get_function (row)) == 0)
    return;
  g_free (self->selected_function);
  self->selected_function = g_strdup (sg_top_table_row_get_function (row));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FUNCTION]);
}

static void
activate_cb (SgTopTable    *self,
             guint          position,
             GtkColumnView *view)
{
  g_autoptr(SgTopTableRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (row != NULL)
    g_signal_emit (self, signals[ROW_ACTIVATED], 0, sg_top_table_row_get_function (row));
}

static void
entry_changed_cb (SgTopTable     *self,
                  GtkSearchEntry *entry)
{
  sg_top_table_set_filter (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

typedef struct
{
  SgProfile *profile;
  guint      value_index;
} TopData;

static void
top_data_free (TopData *data)
{
  sg_profile_unref (data->profile);
  g_free (data);
}

static void
top_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  TopData *data = task_data;
  SgProfile *profile = data->profile;
  g_autoptr(GArray) rows = sg_profile_top (profile, SG_TOP_BY_FUNCTION, data->value_index);
  gint64 total = sg_profile_get_total (profile, data->value_index);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  /* GObjects are fine to create off the main thread; only the store
   * splice happens on it. */
  for (guint i = 0; i < rows->len; i++)
    {
      const SgTopRow *r = &g_array_index (rows, SgTopRow, i);

      if (r->flat == 0 && r->cum == 0)
        continue;
      g_ptr_array_add (items, sg_top_table_row_new (sg_profile_get_string (profile, r->function),
                                                    sg_profile_get_string (profile, r->file),
                                                    r->flat, r->cum, total));
    }
  g_task_return_pointer (task, g_steal_pointer (&items), (GDestroyNotify) g_ptr_array_unref);
}

static void
top_ready (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SgTopTable *self = SG_TOP_TABLE (source);
  g_autoptr(GPtrArray) items = g_task_propagate_pointer (G_TASK (result), NULL);

  if (items == NULL || g_task_get_task_data (G_TASK (result)) == NULL ||
      g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  g_clear_object (&self->cancellable);
  self->syncing = TRUE;
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       items->pdata, items->len);
  self->syncing = FALSE;
  select_function (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack),
                                    items->len > 0 ? "table" : "empty");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
sg_top_table_dispose (GObject *object)
{
  SgTopTable *self = SG_TOP_TABLE (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->selection);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sg_top_table_parent_class)->dispose (object);
}

static void
sg_top_table_finalize (GObject *object)
{
  SgTopTable *self = SG_TOP_TABLE (object);

  g_clear_pointer (&self->profile, sg_profile_unref);
  g_free (self->unit);
  g_free (self->filter_text);
  g_free (self->selected_function);

  G_OBJECT_CLASS (sg_top_table_parent_class)->finalize (object);
}

static void
sg_top_table_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SgTopTable *self = SG_TOP_TABLE (object);

  switch (prop_id)
    {
    case PROP_SELECTED_FUNCTION:
      g_value_set_string (value, self->selected_function);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, sg_top_table_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_top_table_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SgTopTable *self = SG_TOP_TABLE (object);

  switch (prop_id)
    {
    case PROP_SELECTED_FUNCTION:
      sg_top_table_set_selected_function (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_top_table_class_init (SgTopTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_top_table_dispose;
  object_class->finalize = sg_top_table_finalize;
  object_class->get_property = sg_top_table_get_property;
  object_class->set_property = sg_top_table_set_property;

  properties[PROP_SELECTED_FUNCTION] =
    g_param_spec_string ("selected-function", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ROW_ACTIVATED] =
    g_signal_new ("row-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "toptable");
}

static void
sg_top_table_init (SgTopTable *self)
{
  GtkWidget *scroller;
  GtkWidget *empty;
  GtkSorter *sorter;

  self->store = g_list_store_new (SG_TYPE_TOP_TABLE_ROW);
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
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Filter the top table"), -1);
  g_signal_connect_object (self->entry, "search-changed", G_CALLBACK (entry_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->box), self->entry);

  self->view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_column_view_set_show_column_separators (self->view, FALSE);
  gtk_column_view_set_reorderable (self->view, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "data-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Top functions"), -1);

  add_column (self, _("Function"), COLUMN_FUNCTION, "function", FALSE, -1);
  add_column (self, _("File"), COLUMN_FILE, "file", FALSE, 220);
  self->self_column = add_column (self, _("Self"), COLUMN_SELF, "self", TRUE, 100);
  add_column (self, _("Self %"), COLUMN_SELF_PERCENT, "self", TRUE, 90);
  add_column (self, _("Total"), COLUMN_TOTAL, "total", TRUE, 100);
  add_column (self, _("Total %"), COLUMN_TOTAL_PERCENT, "total", TRUE, 90);

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
  /* Heaviest self time first, like pprof -top; the header shows it. */
  gtk_column_view_sort_by_column (self->view, self->self_column, GTK_SORT_DESCENDING);
  g_signal_connect_object (self->view, "activate", G_CALLBACK (activate_cb), self, G_CONNECT_SWAPPED);

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->view));
  /* Horizontal scrolling keeps the page usable in narrow windows. */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_AUTOMATIC);

  empty = gtk_label_new (_("No functions with samples in this value type"));
  gtk_widget_add_css_class (empty, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (empty), TRUE);
  gtk_label_set_justify (GTK_LABEL (empty), GTK_JUSTIFY_CENTER);

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_stack_add_named (GTK_STACK (self->stack), scroller, "table");
  gtk_stack_add_named (GTK_STACK (self->stack), empty, "empty");
  gtk_box_append (GTK_BOX (self->box), self->stack);
}

GtkWidget *
sg_top_table_new (void)
{
  return g_object_new (SG_TYPE_TOP_TABLE, NULL);
}

void
sg_top_table_set_profile (SgTopTable *self,
                          SgProfile  *profile,
                          guint       value_index)
{
  g_autoptr(GTask) task = NULL;
  TopData *data;

  g_return_if_fail (SG_IS_TOP_TABLE (self));

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (profile)
    sg_profile_ref (profile);
  g_clear_pointer (&self->profile, sg_profile_unref);
  self->profile = profile;
  self->value_index = value_index;

  if (profile == NULL)
    {
      g_list_store_remove_all (self->store);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      return;
    }

  g_free (self->unit);
  self->unit = g_strdup (sg_profile_get_value_unit (profile, value_index));

  data = g_new0 (TopData, 1);
  data->profile = sg_profile_ref (profile);
  data->value_index = value_index;
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, top_ready, NULL);
  g_task_set_source_tag (task, sg_top_table_set_profile);
  g_task_set_task_data (task, data, (GDestroyNotify) top_data_free);
  g_task_run_in_thread (task, top_thread);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

gboolean
sg_top_table_get_loading (SgTopTable *self)
{
  g_return_val_if_fail (SG_IS_TOP_TABLE (self), FALSE);
  return self->cancellable != NULL;
}

const char *
sg_top_table_get_selected_function (SgTopTable *self)
{
  g_return_val_if_fail (SG_IS_TOP_TABLE (self), NULL);
  return self->selected_function;
}

void
sg_top_table_set_selected_function (SgTopTable *self,
                                    const char *function)
{
  g_return_if_fail (SG_IS_TOP_TABLE (self));

  if (g_strcmp0 (function, self->selected_function) == 0)
    return;
  g_free (self->selected_function);
  self->selected_function = g_strdup (function);
  select_function (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FUNCTION]);
}

void
sg_top_table_set_filter (SgTopTable *self,
                         const char *text)
{
  g_return_if_fail (SG_IS_TOP_TABLE (self));

  g_free (self->filter_text);
  self->filter_text = text ? g_utf8_casefold (text, -1) : NULL;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->entry)), text ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), text ? text : "");
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  /* Keep the selection on the function if it is still shown. */
  select_function (self);
}

GListModel *
sg_top_table_get_model (SgTopTable *self)
{
  g_return_val_if_fail (SG_IS_TOP_TABLE (self), NULL);
  return G_LIST_MODEL (self->selection);
}

GtkColumnView *
sg_top_table_get_column_view (SgTopTable *self)
{
  g_return_val_if_fail (SG_IS_TOP_TABLE (self), NULL);
  return self->view;
}
