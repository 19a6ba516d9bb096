/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Logpoint output.  A GtkColumnView over a GtkFilterListModel, so the
 * filter re-runs incrementally on the model and not on widgets; new lines
 * scroll into view only when the user is already at the bottom. */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sg-log-view.h"

#define MAX_LINES 50000

struct _SgLogView
{
  GtkWidget        parent_instance;

  GListStore      *entries;
  GtkCustomFilter *filter;
  GtkFilterListModel *filtered;
  char            *search;
  guint            min_level;

  GtkWidget       *box;
  GtkWidget       *search_entry;
  GtkWidget       *level;
  GtkWidget       *count;
  GtkWidget       *scroller;
  GtkWidget       *columns;
  GtkWidget       *empty;
  GtkWidget       *stack;
};

G_DEFINE_FINAL_TYPE (SgLogView, sg_log_view, GTK_TYPE_WIDGET)

static guint
level_rank (const char *level)
{
  if (g_strcmp0 (level, "error") == 0 || g_strcmp0 (level, "critical") == 0)
    return 2;
  if (g_strcmp0 (level, "warning") == 0)
    return 1;
  return 0;
}

static gboolean
filter_func (gpointer item,
             gpointer data)
{
  SgLogView *self = data;
  SgAgentLogEntry *entry = item;

  if (level_rank (sg_agent_log_entry_get_level (entry)) < self->min_level)
    return FALSE;
  if (self->search == NULL || self->search[0] == '\0')
    return TRUE;
  {
    g_autofree char *message = g_utf8_casefold (sg_agent_log_entry_get_message (entry), -1);
    g_autofree char *agent = g_utf8_casefold (sg_agent_log_entry_get_agent (entry) ?: "", -1);

    return strstr (message, self->search) != NULL || strstr (agent, self->search) != NULL;
  }
}

static void
refilter (SgLogView *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
update_count (SgLogView *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  g_autofree char *text = NULL;

  if (shown == total)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u line", "%u lines", total), total);
  else
    /* TRANSLATORS: lines shown by the filter, of all lines */
    text = g_strdup_printf (_("%u of %u lines"), shown, total);
  gtk_label_set_text (GTK_LABEL (self->count), text);
  gtk_stack_set_visible_child (GTK_STACK (self->stack), total > 0 ? self->scroller : self->empty);
}

static void
on_search_changed (SgLogView *self)
{
  g_free (self->search);
  self->search = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), -1);
  refilter (self);
}

static void
on_level_changed (SgLogView *self)
{
  self->min_level = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->level));
  refilter (self);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (GPOINTER_TO_INT (data) == 3)
    {
      gtk_widget_add_css_class (label, "monospace");
      gtk_label_set_selectable (GTK_LABEL (label), FALSE);
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  data)
{
  SgAgentLogEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  const char *level = sg_agent_log_entry_get_level (entry);

  switch (GPOINTER_TO_INT (data))
    {
    case 0:
      {
        g_autoptr(GDateTime) local = g_date_time_to_local (sg_agent_log_entry_get_time (entry));
        g_autofree char *text = g_date_time_format (local, "%H:%M:%S.%f");

        text[12] = '\0';  /* milliseconds are enough */
        gtk_label_set_text (GTK_LABEL (label), text);
        gtk_widget_add_css_class (label, "numeric");
      }
      break;
    case 1:
      gtk_label_set_text (GTK_LABEL (label), level);
      gtk_widget_remove_css_class (label, "warning");
      gtk_widget_remove_css_class (label, "error");
      if (level_rank (level) == 1)
        gtk_widget_add_css_class (label, "warning");
      else if (level_rank (level) == 2)
        gtk_widget_add_css_class (label, "error");
      break;
    case 2:
      gtk_label_set_text (GTK_LABEL (label), sg_agent_log_entry_get_agent (entry));
      break;
    default:
      gtk_label_set_text (GTK_LABEL (label), sg_agent_log_entry_get_message (entry));
      gtk_widget_set_tooltip_text (label, sg_agent_log_entry_get_message (entry));
      break;
    }
}

static void
add_column (SgLogView  *self,
            const char *title,
            int         which,
            gboolean    expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (which));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (which));
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_append_column (GTK_COLUMN_VIEW (self->columns), column);
  g_object_unref (column);
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    SgLogView       *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;

      if (!sg_log_view_export (self, file, &error))
        {
          GtkWidget *toplevel = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
          GtkWidget *alert = adw_message_dialog_new (GTK_WINDOW (toplevel), _("Could Not Export the Log"), error->message);

          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (alert), "close", _("_Close"));
          gtk_window_present (GTK_WINDOW (alert));
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SgLogView *self = SG_LOG_VIEW (widget);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Export Log"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "logpoints.log");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  SgLogView *self = SG_LOG_VIEW (widget);

  g_list_store_remove_all (self->entries);
}

static void
sg_log_view_dispose (GObject *object)
{
  SgLogView *self = SG_LOG_VIEW (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->filtered);
  g_clear_object (&self->entries);
  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (sg_log_view_parent_class)->dispose (object);
}

static void
sg_log_view_class_init (SgLogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_log_view_dispose;
  gtk_widget_class_install_action (widget_class, "log.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "log.clear", NULL, clear_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sglogview");
}

static void
sg_log_view_init (SgLogView *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *export, *clear;
  GtkNoSelection *selection;

  self->entries = g_list_store_new (SG_TYPE_AGENT_LOG_ENTRY);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->entries)), GTK_FILTER (self->filter));
  gtk_filter_list_model_set_incremental (self->filtered, FALSE);
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (update_count), self);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  gtk_widget_set_margin_start (bar, 6);
  gtk_widget_set_margin_end (bar, 6);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);
  self->search_entry = gtk_search_entry_new ();
  g_object_set (self->search_entry, "placeholder-text", _("Search log lines"), NULL);
  gtk_widget_set_hexpand (self->search_entry, TRUE);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self);
  self->level = gtk_drop_down_new_from_strings ((const char * const[]) { _("All Levels"), _("Warnings and Errors"), _("Errors"), NULL });
  gtk_widget_set_tooltip_text (self->level, _("Minimum level"));
  g_signal_connect_swapped (self->level, "notify::selected", G_CALLBACK (on_level_changed), self);
  self->count = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->count, "dim-label");
  gtk_widget_add_css_class (self->count, "numeric");
  export = gtk_button_new_from_icon_name ("document-save-as-symbolic");
  gtk_widget_set_tooltip_text (export, _("Export Log…"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (export), "log.export");
  clear = gtk_button_new_from_icon_name ("edit-clear-all-symbolic");
  gtk_widget_set_tooltip_text (clear, _("Clear the List"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (clear), "log.clear");
  gtk_box_append (GTK_BOX (bar), self->search_entry);
  gtk_box_append (GTK_BOX (bar), self->level);
  gtk_box_append (GTK_BOX (bar), self->count);
  gtk_box_append (GTK_BOX (bar), export);
  gtk_box_append (GTK_BOX (bar), clear);
  gtk_box_append (GTK_BOX (self->box), bar);

  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  self->columns = gtk_column_view_new (GTK_SELECTION_MODEL (selection));
  gtk_widget_add_css_class (self->columns, "data-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->columns), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Logpoint output"), -1);
  add_column (self, _("Time"), 0, FALSE);
  add_column (self, _("Level"), 1, FALSE);
  add_column (self, _("Agent"), 2, FALSE);
  add_column (self, _("Message"), 3, TRUE);
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), self->columns);

  self->empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty), "format-justify-left-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty), _("No Log Lines Yet"));
  adw_status_page_set_description (ADW_STATUS_PAGE (self->empty),
                                   _("Right-click a line’s gutter (or press Shift+F9) and choose Logpoint: each time the service runs that line, its message appears here."));
  gtk_widget_add_css_class (self->empty, "compact");

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_stack_add_child (GTK_STACK (self->stack), self->empty);
  gtk_stack_add_child (GTK_STACK (self->stack), self->scroller);
  gtk_box_append (GTK_BOX (self->box), self->stack);
  update_count (self);
}

GtkWidget *
sg_log_view_new (void)
{
  return g_object_new (SG_TYPE_LOG_VIEW, NULL);
}

static gboolean
at_bottom (SgLogView *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >= gtk_adjustment_get_upper (adj) - 4;
}

static gboolean
scroll_to_end (gpointer data)
{
  SgLogView *self = data;
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));

  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

void
sg_log_view_append (SgLogView       *self,
                    SgAgentLogEntry *entry)
{
  gboolean follow;

  g_return_if_fail (SG_IS_LOG_VIEW (self));

  follow = at_bottom (self);
  /* A runaway logpoint must not grow the console without bound. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->entries)) >= MAX_LINES)
    g_list_store_remove (self->entries, 0);
  g_list_store_append (self->entries, entry);
  if (follow)
    g_idle_add (scroll_to_end, g_object_ref (self));
}

/**
 * sg_log_view_get_entries:
 *
 * Returns: (transfer none): every line kept, of SgAgentLogEntry
 */
GListModel *
sg_log_view_get_entries (SgLogView *self)
{
  g_return_val_if_fail (SG_IS_LOG_VIEW (self), NULL);
  return G_LIST_MODEL (self->entries);
}

/**
 * sg_log_view_get_visible:
 *
 * Returns: (transfer none): the lines the filter lets through
 */
GListModel *
sg_log_view_get_visible (SgLogView *self)
{
  g_return_val_if_fail (SG_IS_LOG_VIEW (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

void
sg_log_view_set_search (SgLogView  *self,
                        const char *text)
{
  g_return_if_fail (SG_IS_LOG_VIEW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  on_search_changed (self);
}

/* Writes the lines the filter shows, one per line, tab-separated. */
gboolean
sg_log_view_export (SgLogView  *self,
                    GFile      *file,
                    GError    **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GListModel *model;

  g_return_val_if_fail (SG_IS_LOG_VIEW (self), FALSE);

  model = G_LIST_MODEL (self->filtered);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SgAgentLogEntry) entry = g_list_model_get_item (model, i);
      g_autofree char *time = g_date_time_format_iso8601 (sg_agent_log_entry_get_time (entry));

      g_string_append_printf (text, "%s\t%s\t%s\t%s:%u\t%s\n", time, sg_agent_log_entry_get_level (entry),
                              sg_agent_log_entry_get_agent (entry) ?: "", sg_agent_log_entry_get_path (entry) ?: "",
                              sg_agent_log_entry_get_line (entry), sg_agent_log_entry_get_message (entry));
    }
  return g_file_replace_contents (file, text->str, text->len, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                  NULL, NULL, error);
}
