/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The snapshot inspector.  Variables are a GtkTreeListModel over the
 * frame's arguments and locals whose children are made only when a row is
 * expanded (sg_snapshot_variable_dup_members), so a captured cycle or a
 * deep structure costs nothing until opened. */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sg-snapshot-inspector.h"

struct _SgSnapshotInspector
{
  GtkWidget           parent_instance;

  GListModel         *snapshots;
  SgHistorySnapshot  *shown;
  GtkTreeListModel   *rows;
  GListStore         *watches;

  GtkWidget          *stack;
  GtkWidget          *paned;
  GtkWidget          *picker;
  GtkWidget          *captured;
  GtkSingleSelection *frames_selection;
  GtkWidget          *frames_view;
  GtkWidget          *watch_box;
  GtkWidget          *watch_list;
  GtkWidget          *columns;
};

G_DEFINE_FINAL_TYPE (SgSnapshotInspector, sg_snapshot_inspector, GTK_TYPE_WIDGET)

enum {
  FRAME_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GListModel *
create_members (gpointer item,
                gpointer user_data)
{
  if (!sg_snapshot_variable_has_members (item))
    return NULL;
  return sg_snapshot_variable_dup_members (item);
}

static void
show_frame (SgSnapshotInspector *self,
            SgSnapshotFrame     *frame)
{
  GListStore *roots = g_list_store_new (SG_TYPE_SNAPSHOT_VARIABLE);
  GtkTreeListModel *tree;
  GtkNoSelection *selection;

  if (frame != NULL)
    {
      GListModel *lists[] = { sg_snapshot_frame_get_arguments (frame), sg_snapshot_frame_get_locals (frame) };

      for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        for (guint i = 0; i < g_list_model_get_n_items (lists[l]); i++)
          {
            g_autoptr(SgSnapshotVariable) var = g_list_model_get_item (lists[l], i);
            g_list_store_append (roots, var);
          }
    }
  tree = gtk_tree_list_model_new (G_LIST_MODEL (roots), FALSE, FALSE, create_members, NULL, NULL);
  g_set_object (&self->rows, tree);
  selection = gtk_no_selection_new (G_LIST_MODEL (tree));
  gtk_column_view_set_model (GTK_COLUMN_VIEW (self->columns), GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
}

static void
on_frame_selected (SgSnapshotInspector *self)
{
  SgSnapshotFrame *frame = gtk_single_selection_get_selected_item (self->frames_selection);

  show_frame (self, frame);
  if (frame != NULL && sg_snapshot_frame_get_path (frame) != NULL)
    g_signal_emit (self, signals[FRAME_ACTIVATED], 0, sg_snapshot_frame_get_path (frame),
                   sg_snapshot_frame_get_line (frame));
}

/* --- factories --------------------------------------------------------------- */

static void
setup_frame (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *function = gtk_label_new (NULL);
  GtkWidget *where = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (function), 0);
  gtk_label_set_ellipsize (GTK_LABEL (function), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (function, "monospace");
  gtk_label_set_xalign (GTK_LABEL (where), 0);
  gtk_label_set_ellipsize (GTK_LABEL (where), PANGO_ELLIPSIZE_START);
  gtk_widget_add_css_class (where, "dim-label");
  gtk_widget_add_css_class (where, "caption");
  gtk_box_append (GTK_BOX (box), function);
  gtk_box_append (GTK_BOX (box), where);
  gtk_list_item_set_child (item, box);
}

static void
bind_frame (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  data)
{
  SgSnapshotFrame *frame = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  g_autofree char *where = g_strdup_printf ("%s:%u", sg_snapshot_frame_get_path (frame) ?: "?",
                                            sg_snapshot_frame_get_line (frame));

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)), sg_snapshot_frame_get_function (frame));
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (box)), where);
}

static void
setup_name (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "monospace");
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), label);
  gtk_list_item_set_child (item, expander);
}

static void
bind_name (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  g_autoptr(SgSnapshotVariable) var = gtk_tree_list_row_get_item (row);
  GtkWidget *expander = gtk_list_item_get_child (item);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_label_set_text (GTK_LABEL (gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander))),
                      sg_snapshot_variable_get_name (var));
}

static void
setup_label (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_item_set_child (item, label);
}

static void
bind_type (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  data)
{
  g_autoptr(SgSnapshotVariable) var = gtk_tree_list_row_get_item (gtk_list_item_get_item (item));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), sg_snapshot_variable_get_type_name (var) ?: "");
}

static void
copy_value (GtkButton *button,
            gpointer   data)
{
  const char *value = g_object_get_data (G_OBJECT (button), "sg-value");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), value ? value : "");
}

static void
setup_value (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *mark = gtk_image_new ();
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (copy, "flat");
  gtk_widget_add_css_class (copy, "sg-copy-value");
  gtk_widget_set_tooltip_text (copy, _("Copy Value"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy Value"), -1);
  g_signal_connect (copy, "clicked", G_CALLBACK (copy_value), NULL);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), mark);
  gtk_box_append (GTK_BOX (box), copy);
  gtk_list_item_set_child (item, box);
}

static void
bind_value (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  data)
{
  g_autoptr(SgSnapshotVariable) var = gtk_tree_list_row_get_item (gtk_list_item_get_item (item));
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *label = gtk_widget_get_first_child (box);
  GtkWidget *mark = gtk_widget_get_next_sibling (label);
  GtkWidget *copy = gtk_widget_get_last_child (box);
  const char *status = sg_snapshot_variable_get_status_message (var);
  const char *value = sg_snapshot_variable_get_value (var);

  if (sg_snapshot_variable_is_error (var))
    {
      gtk_label_set_text (GTK_LABEL (label), status ? status : _("Error"));
      gtk_widget_add_css_class (label, "error");
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (label), value ? value : "");
      gtk_widget_remove_css_class (label, "error");
    }
  gtk_widget_set_tooltip_text (label, value);

  /* Marks say why a value is not the whole story. */
  if (sg_snapshot_variable_is_redacted (var))
    gtk_image_set_from_icon_name (GTK_IMAGE (mark), "channel-secure-symbolic");
  else if (sg_snapshot_variable_is_truncated (var))
    gtk_image_set_from_icon_name (GTK_IMAGE (mark), "view-more-horizontal-symbolic");
  else if (sg_snapshot_variable_is_error (var))
    gtk_image_set_from_icon_name (GTK_IMAGE (mark), "dialog-error-symbolic");
  gtk_widget_set_visible (mark, sg_snapshot_variable_is_redacted (var) || sg_snapshot_variable_is_truncated (var) ||
                                sg_snapshot_variable_is_error (var));
  gtk_widget_set_tooltip_text (mark, status);
  g_object_set_data_full (G_OBJECT (copy), "sg-value", g_strdup (value), g_free);
  gtk_widget_set_sensitive (copy, value != NULL && !sg_snapshot_variable_is_redacted (var));
}

static GtkColumnViewColumn *
add_column (SgSnapshotInspector *self,
            const char          *title,
            GCallback            setup,
            GCallback            bind,
            gboolean             expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", setup, self);
  g_signal_connect (factory, "bind", bind, self);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_append_column (GTK_COLUMN_VIEW (self->columns), column);
  g_object_unref (column);
  return column;
}

static GtkWidget *
create_watch_row (gpointer item,
                  gpointer data)
{
  SgSnapshotVariable *var = item;
  GtkWidget *row = adw_action_row_new ();
  const char *value = sg_snapshot_variable_is_error (var) ? sg_snapshot_variable_get_status_message (var)
                                                          : sg_snapshot_variable_get_value (var);
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sg_snapshot_variable_get_name (var));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "monospace");
  if (sg_snapshot_variable_is_error (var))
    gtk_widget_add_css_class (label, "error");
  if (sg_snapshot_variable_get_type_name (var))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sg_snapshot_variable_get_type_name (var));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

static char *
describe_snapshot (SgHistorySnapshot *hs)
{
  SgBreakpoint *bp = sg_history_snapshot_get_breakpoint (hs);
  GDateTime *when = sg_breakpoint_get_final_time (bp) ?: sg_history_snapshot_get_stored_at (hs);
  g_autoptr(GDateTime) local = g_date_time_to_local (when);
  g_autofree char *time = g_date_time_format (local, "%X");
  g_autofree char *base = g_path_get_basename (sg_breakpoint_get_path (bp));

  /* TRANSLATORS: file:line, then the time, e.g. "orders.py:17 · 10:00:01" */
  return g_strdup_printf (_("%s:%u · %s"), base, sg_breakpoint_get_line (bp), time);
}

static void
setup_picker_item (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_list_item_set_child (item, label);
}

static void
bind_picker_item (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  data)
{
  g_autofree char *text = describe_snapshot (gtk_list_item_get_item (item));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
on_picker_selected (SgSnapshotInspector *self)
{
  SgHistorySnapshot *hs = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (self->picker));

  if (hs != NULL && hs != self->shown)
    sg_snapshot_inspector_show (self, hs);
}

/* --- GObject ------------------------------------------------------------------- */

static void
sg_snapshot_inspector_dispose (GObject *object)
{
  SgSnapshotInspector *self = SG_SNAPSHOT_INSPECTOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SG_TYPE_SNAPSHOT_INSPECTOR);
  g_clear_object (&self->snapshots);
  g_clear_object (&self->shown);
  g_clear_object (&self->rows);
  g_clear_object (&self->watches);

  G_OBJECT_CLASS (sg_snapshot_inspector_parent_class)->dispose (object);
}

static void
sg_snapshot_inspector_class_init (SgSnapshotInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_snapshot_inspector_dispose;

  signals[FRAME_ACTIVATED] =
    g_signal_new ("frame-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/spyglass/Spyglass/ui/sg-snapshot-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, SgSnapshotInspector, stack);
  gtk_widget_class_bind_template_child (widget_class, SgSnapshotInspector, paned);
  gtk_widget_class_bind_template_child (widget_class, SgSnapshotInspector, picker);
  gtk_widget_class_bind_template_child (widget_class, SgSnapshotInspector, captured);
  gtk_widget_class_bind_template_child (widget_class, SgSnapshotInspector, frames_view);
  gtk_widget_class_bind_template_child (widget_class, SgSnapshotInspector, watch_box);
  gtk_widget_class_bind_template_child (widget_class, SgSnapshotInspector, watch_list);
  gtk_widget_class_bind_template_child (widget_class, SgSnapshotInspector, columns);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sgsnapshotinspector");
}

static void
sg_snapshot_inspector_init (SgSnapshotInspector *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_frame), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_frame), self);
  self->frames_selection = gtk_single_selection_new (NULL);
  g_signal_connect_swapped (self->frames_selection, "notify::selected", G_CALLBACK (on_frame_selected), self);
  gtk_list_view_set_model (GTK_LIST_VIEW (self->frames_view), GTK_SELECTION_MODEL (self->frames_selection));
  gtk_list_view_set_factory (GTK_LIST_VIEW (self->frames_view), factory);
  g_object_unref (self->frames_selection);
  g_object_unref (factory);

  add_column (self, _("Name"), G_CALLBACK (setup_name), G_CALLBACK (bind_name), FALSE);
  add_column (self, _("Type"), G_CALLBACK (setup_label), G_CALLBACK (bind_type), FALSE);
  add_column (self, _("Value"), G_CALLBACK (setup_value), G_CALLBACK (bind_value), TRUE);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_picker_item), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_picker_item), self);
  gtk_drop_down_set_factory (GTK_DROP_DOWN (self->picker), factory);
  g_object_unref (factory);
  g_signal_connect_swapped (self->picker, "notify::selected", G_CALLBACK (on_picker_selected), self);

  self->watches = g_list_store_new (SG_TYPE_SNAPSHOT_VARIABLE);
  gtk_list_box_bind_model (GTK_LIST_BOX (self->watch_list), G_LIST_MODEL (self->watches),
                           create_watch_row, self, NULL);
}

GtkWidget *
sg_snapshot_inspector_new (void)
{
  return g_object_new (SG_TYPE_SNAPSHOT_INSPECTOR, NULL);
}

/* @snapshots: of SgHistorySnapshot, newest first (the picker's list). */
void
sg_snapshot_inspector_set_snapshots (SgSnapshotInspector *self,
                                     GListModel          *snapshots)
{
  g_return_if_fail (SG_IS_SNAPSHOT_INSPECTOR (self));

  if (g_set_object (&self->snapshots, snapshots))
    gtk_drop_down_set_model (GTK_DROP_DOWN (self->picker), snapshots);
}

/* Returns: (transfer none) (nullable): the picker's list */
GListModel *
sg_snapshot_inspector_get_snapshots (SgSnapshotInspector *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT_INSPECTOR (self), NULL);
  return self->snapshots;
}

void
sg_snapshot_inspector_show (SgSnapshotInspector *self,
                            SgHistorySnapshot   *hs)
{
  SgBreakpoint *bp;
  SgSnapshot *snapshot;
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *time = NULL;
  GListModel *expressions;
  guint position;

  g_return_if_fail (SG_IS_SNAPSHOT_INSPECTOR (self));

  g_set_object (&self->shown, hs);
  if (hs == NULL || !(snapshot = sg_breakpoint_get_snapshot ((bp = sg_history_snapshot_get_breakpoint (hs)))))
    {
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }

  local = g_date_time_to_local (sg_breakpoint_get_final_time (bp) ?: sg_history_snapshot_get_stored_at (hs));
  time = g_date_time_format (local, "%x %X");
  /* TRANSLATORS: "Captured 21/11/2026 10:00:01 on orders (127.0.0.1:7878) at orders.py:17" */
  text = g_strdup_printf (_("Captured %s on %s at %s:%u"), time,
                          sg_history_snapshot_get_agent_label (hs) ?: _("an agent"),
                          sg_breakpoint_get_path (bp), sg_breakpoint_get_line (bp));
  gtk_label_set_text (GTK_LABEL (self->captured), text);

  if (self->snapshots != NULL)
    for (position = 0; position < g_list_model_get_n_items (self->snapshots); position++)
      {
        g_autoptr(SgHistorySnapshot) item = g_list_model_get_item (self->snapshots, position);

        if (item == hs)
          {
            gtk_drop_down_set_selected (GTK_DROP_DOWN (self->picker), position);
            break;
          }
      }

  g_list_store_remove_all (self->watches);
  expressions = sg_snapshot_get_evaluated_expressions (snapshot);
  for (guint i = 0; i < g_list_model_get_n_items (expressions); i++)
    {
      g_autoptr(SgSnapshotVariable) var = g_list_model_get_item (expressions, i);
      g_list_store_append (self->watches, var);
    }
  gtk_widget_set_visible (self->watch_box, g_list_model_get_n_items (expressions) > 0);

  /* Selecting frame 0 shows its variables; the source follows the frame. */
  gtk_single_selection_set_model (self->frames_selection, sg_snapshot_get_frames (snapshot));
  gtk_single_selection_set_selected (self->frames_selection, GTK_INVALID_LIST_POSITION);
  gtk_single_selection_set_selected (self->frames_selection, 0);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "snapshot");
}

/**
 * sg_snapshot_inspector_get_shown:
 *
 * Returns: (transfer none) (nullable): the snapshot shown
 */
SgHistorySnapshot *
sg_snapshot_inspector_get_shown (SgSnapshotInspector *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT_INSPECTOR (self), NULL);
  return self->shown;
}

void
sg_snapshot_inspector_select_frame (SgSnapshotInspector *self,
                                    guint                index)
{
  g_return_if_fail (SG_IS_SNAPSHOT_INSPECTOR (self));
  gtk_single_selection_set_selected (self->frames_selection, index);
}

/**
 * sg_snapshot_inspector_get_rows:
 *
 * Returns: (transfer none) (nullable): the variable rows as shown, a
 *   GtkTreeListModel of GtkTreeListRow
 */
GListModel *
sg_snapshot_inspector_get_rows (SgSnapshotInspector *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT_INSPECTOR (self), NULL);
  return G_LIST_MODEL (self->rows);
}

/**
 * sg_snapshot_inspector_get_watches:
 *
 * Returns: (transfer none): the watch expression results shown
 */
GListModel *
sg_snapshot_inspector_get_watches (SgSnapshotInspector *self)
{
  g_return_val_if_fail (SG_IS_SNAPSHOT_INSPECTOR (self), NULL);
  return G_LIST_MODEL (self->watches);
}
