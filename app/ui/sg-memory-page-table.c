/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The Memory page's per-line table: the shown result's lines through a
 * filter (the search entry) and the column view's own sorter, so what is
 * on screen is exactly what Export writes.  Sizes are shown with
 * g_format_size() and exported in bytes.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sg-memory-page-private.h"
#include "sg-window.h"

typedef enum
{
  COLUMN_LOCATION,
  COLUMN_FUNCTION,
  COLUMN_TEXT,
  COLUMN_INCREMENT,
  COLUMN_ALIVE,
  COLUMN_ALLOCATIONS,
  COLUMN_PEAK,
} Column;

char *
_sg_memory_page_format_size (gint64 bytes)
{
  g_autofree char *size = g_format_size ((guint64) ABS (bytes));

  /* A line can end below where it started (it freed more than it took). */
  return bytes < 0 ? g_strconcat ("−", size, NULL) : g_steal_pointer (&size);
}

static gint64
numeric_value (SgAgentMemoryLine *line,
               Column             column)
{
  switch (column)
    {
    case COLUMN_INCREMENT:
      return sg_agent_memory_line_get_increment_bytes (line);
    case COLUMN_ALIVE:
      return sg_agent_memory_line_get_alive_bytes (line);
    case COLUMN_ALLOCATIONS:
      return sg_agent_memory_line_get_allocations (line);
    case COLUMN_PEAK:
      return sg_agent_memory_line_get_peak_bytes (line);
    case COLUMN_LOCATION:
    case COLUMN_FUNCTION:
    case COLUMN_TEXT:
    default:
      return 0;
    }
}

static int
compare_lines (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  SgAgentMemoryLine *la = (SgAgentMemoryLine *) a;
  SgAgentMemoryLine *lb = (SgAgentMemoryLine *) b;
  Column column = GPOINTER_TO_INT (user_data);
  int cmp;

  switch (column)
    {
    case COLUMN_LOCATION:
      if ((cmp = g_strcmp0 (sg_agent_memory_line_get_file (la), sg_agent_memory_line_get_file (lb))) != 0)
        return cmp < 0 ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
      return gtk_ordering_from_cmpfunc ((int) sg_agent_memory_line_get_line (la) -
                                        (int) sg_agent_memory_line_get_line (lb));
    case COLUMN_FUNCTION:
      return gtk_ordering_from_cmpfunc (g_strcmp0 (sg_agent_memory_line_get_function (la),
                                                   sg_agent_memory_line_get_function (lb)));
    case COLUMN_TEXT:
      return gtk_ordering_from_cmpfunc (g_strcmp0 (sg_agent_memory_line_get_text (la),
                                                   sg_agent_memory_line_get_text (lb)));
    case COLUMN_INCREMENT:
    case COLUMN_ALIVE:
    case COLUMN_ALLOCATIONS:
    case COLUMN_PEAK:
    default:
      {
        gint64 va = numeric_value (la, column);
        gint64 vb = numeric_value (lb, column);

        return va < vb ? GTK_ORDERING_SMALLER : va > vb ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
      }
    }
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  switch (column)
    {
    case COLUMN_LOCATION:
      /* The end of a path (file name and line) is the part that tells lines apart. */
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_START);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      break;
    case COLUMN_FUNCTION:
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      break;
    case COLUMN_TEXT:
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "monospace");
      break;
    case COLUMN_INCREMENT:
    case COLUMN_ALIVE:
    case COLUMN_ALLOCATIONS:
    case COLUMN_PEAK:
    default:
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "numeric");
      break;
    }
  gtk_list_item_set_child (item, label);
}

/* Files under the service's source root read as the Debug page shows
 * them ("examples/shop/handlers.py"); others (the standard library) keep
 * their full path. */
static const char *
display_path (SgMemoryPage *self,
              const char   *file)
{
  SgAgentInfo *info = self->agent ? sg_agent_client_get_info (self->agent) : NULL;
  const char *root = info ? sg_agent_info_get_source_root (info) : NULL;
  gsize len = root ? strlen (root) : 0;

  while (len > 1 && root[len - 1] == '/')
    len--;
  if (file != NULL && len > 0 && strncmp (file, root, len) == 0 && file[len] == '/' && file[len + 1] != '\0')
    return file + len + 1;
  return file;
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  SgMemoryPage *self = user_data;
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "sg-column"));
  SgAgentMemoryLine *line = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;
  g_autofree char *full = NULL;
  const char *tooltip = NULL;

  switch (column)
    {
    case COLUMN_LOCATION:
      text = g_strdup_printf ("%s:%u", display_path (self, sg_agent_memory_line_get_file (line)),
                              sg_agent_memory_line_get_line (line));
      full = g_strdup_printf ("%s:%u", sg_agent_memory_line_get_file (line), sg_agent_memory_line_get_line (line));
      tooltip = full;
      break;
    case COLUMN_FUNCTION:
      text = g_strdup (sg_agent_memory_line_get_function (line) ? sg_agent_memory_line_get_function (line) : "");
      tooltip = text;
      break;
    case COLUMN_TEXT:
      text = g_strdup (sg_agent_memory_line_get_text (line) ? sg_agent_memory_line_get_text (line) : "");
      tooltip = text;
      break;
    case COLUMN_ALLOCATIONS:
      text = g_strdup_printf ("%'" G_GINT64_FORMAT, sg_agent_memory_line_get_allocations (line));
      break;
    case COLUMN_INCREMENT:
    case COLUMN_ALIVE:
    case COLUMN_PEAK:
    default:
      text = _sg_memory_page_format_size (numeric_value (line, column));
      break;
    }
  gtk_label_set_text (label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), tooltip && *tooltip ? tooltip : NULL);
}

/* Enter or a double click on a row: the line in the service's source, on
 * the Debug page, where a snapshot or logpoint can be set on it. */
static void
on_row_activated (SgMemoryPage *self,
                  guint         position)
{
  g_autoptr(SgAgentMemoryLine) line = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);
  const char *file;
  const char *relative;
  GtkRoot *root;

  if (line == NULL || self->debug_page == NULL)
    return;
  file = sg_agent_memory_line_get_file (line);
  relative = display_path (self, file);
  if (relative == file)
    {
      /* TRANSLATORS: a file path */
      g_autofree char *message = g_strdup_printf (_("%s is not in the service’s source folder, so the Debug page cannot show it"), file);

      _sg_memory_page_say (self, message);
      return;
    }
  sg_debug_page_open_source (self->debug_page, relative, sg_agent_memory_line_get_line (line));
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (SG_IS_WINDOW (root))
    sg_window_show_page (SG_WINDOW (root), "debug");
}

static GtkColumnViewColumn *
add_column (SgMemoryPage *self,
            const char   *title,
            Column        column,
            gboolean      expand,
            int           fixed_width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;
  GtkSorter *sorter;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (column));
  g_object_set_data (G_OBJECT (factory), "sg-column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
  view_column = gtk_column_view_column_new (title, factory);
  sorter = GTK_SORTER (gtk_custom_sorter_new (compare_lines, GINT_TO_POINTER (column), NULL));
  gtk_column_view_column_set_sorter (view_column, sorter);
  g_object_unref (sorter);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_column_set_expand (view_column, expand);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (view_column, fixed_width);
  gtk_column_view_append_column (self->column_view, view_column);
  g_object_unref (view_column);  /* the column view holds it */
  return view_column;
}

static gboolean
line_matches (gpointer item,
              gpointer user_data)
{
  SgMemoryPage *self = user_data;
  SgAgentMemoryLine *line = item;
  const char *needle = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  const char *fields[] = { sg_agent_memory_line_get_file (line), sg_agent_memory_line_get_function (line),
                           sg_agent_memory_line_get_text (line) };
  g_autofree char *folded_needle = NULL;

  if (needle == NULL || *needle == '\0')
    return TRUE;
  folded_needle = g_utf8_casefold (needle, -1);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *folded = fields[i] ? g_utf8_casefold (fields[i], -1) : NULL;

      if (folded != NULL && strstr (folded, folded_needle) != NULL)
        return TRUE;
    }
  /* "handlers.py:159", as the location column shows it. */
  if (fields[0] != NULL)
    {
      g_autofree char *location = g_strdup_printf ("%s:%u", fields[0], sg_agent_memory_line_get_line (line));
      g_autofree char *folded = g_utf8_casefold (location, -1);

      return strstr (folded, folded_needle) != NULL;
    }
  return FALSE;
}

static GtkLabel *
add_figure (SgMemoryPage *self,
            const char   *caption)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *value = gtk_label_new (NULL);
  GtkWidget *label = gtk_label_new (caption);

  gtk_widget_add_css_class (value, "title-4");
  gtk_widget_add_css_class (value, "numeric");
  gtk_label_set_xalign (GTK_LABEL (value), 1);
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (self->figures_box), box);
  /* Read as "Traced peak: 10.5 MB", not as two unrelated labels. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  return GTK_LABEL (value);
}

void
_sg_memory_page_init_table (SgMemoryPage *self)
{
  g_autoptr(GtkSingleSelection) selection = NULL;

  add_column (self, _("Line"), COLUMN_LOCATION, FALSE, 230);
  add_column (self, _("Function"), COLUMN_FUNCTION, FALSE, 180);
  add_column (self, _("Source"), COLUMN_TEXT, TRUE, -1);
  self->increment_column = add_column (self, _("Increment"), COLUMN_INCREMENT, FALSE, 100);
  add_column (self, _("Alive"), COLUMN_ALIVE, FALSE, 90);
  add_column (self, _("Allocations"), COLUMN_ALLOCATIONS, FALSE, 100);
  add_column (self, _("Peak"), COLUMN_PEAK, FALSE, 90);

  self->filter = gtk_custom_filter_new (line_matches, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->filter)));
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)),
                                          g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  g_signal_connect_object (self->column_view, "activate", G_CALLBACK (on_row_activated), self, G_CONNECT_SWAPPED);
  /* memory_profiler's order: the line that grew most first. */
  gtk_column_view_sort_by_column (self->column_view, self->increment_column, GTK_SORT_DESCENDING);

  self->figure_values[0] = add_figure (self, _("Duration"));
  self->figure_values[1] = add_figure (self, _("Traced peak"));
  self->figure_values[2] = add_figure (self, _("Alive at end"));
  self->figure_values[3] = add_figure (self, _("Lines"));
}

void
_sg_memory_page_refilter (SgMemoryPage *self)
{
  const char *needle = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  g_autofree char *description = NULL;

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  if (self->shown != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0)
    {
      if (needle != NULL && *needle != '\0')
        /* TRANSLATORS: the text typed in the filter entry */
        description = g_strdup_printf (_("No line of this recording matches “%s”."), needle);
      else
        description = g_strdup (_("No line allocated memory that was still held at a snapshot: the service did little while it was recorded, or freed what it took between snapshots."));
      adw_status_page_set_description (self->no_match_page, description);
      gtk_stack_set_visible_child_name (self->table_stack, "no-match");
    }
  else
    gtk_stack_set_visible_child_name (self->table_stack, "rows");
}

void
_sg_memory_page_show_table (SgMemoryPage  *self,
                            SgAgentMemory *memory)
{
  g_autofree char *duration = NULL;
  g_autofree char *lines = NULL;
  g_autofree char *peak = NULL;
  g_autofree char *alive = NULL;

  g_set_object (&self->shown, memory);
  gtk_filter_list_model_set_model (self->filtered, memory ? sg_agent_memory_get_lines (memory) : NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memory.open-heap-profile",
                                 memory != NULL && sg_agent_memory_get_profile_id (memory) != NULL &&
                                 !self->fetching_heap);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memory.export", memory != NULL);
  if (memory == NULL)
    return;

  /* TRANSLATORS: a duration in seconds, e.g. "3.0 s" */
  duration = g_strdup_printf (_("%.1f s"), sg_agent_memory_get_duration (memory));
  peak = _sg_memory_page_format_size (sg_agent_memory_get_traced_peak_bytes (memory));
  alive = _sg_memory_page_format_size (sg_agent_memory_get_alive_bytes (memory));
  lines = g_strdup_printf ("%u", g_list_model_get_n_items (sg_agent_memory_get_lines (memory)));
  gtk_label_set_text (self->figure_values[0], duration);
  gtk_label_set_text (self->figure_values[1], peak);
  gtk_label_set_text (self->figure_values[2], alive);
  gtk_label_set_text (self->figure_values[3], lines);
  _sg_memory_page_refilter (self);
}

/* --- export ------------------------------------------------------------------ */

typedef struct
{
  SgMemoryPage *self;
  GFile        *file;
} Export;

static void
export_free (Export *export)
{
  g_clear_object (&export->self);
  g_clear_object (&export->file);
  g_free (export);
}

static void
export_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Export *export = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (export->file);
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    /* TRANSLATORS: a file name, then why it could not be written */
    message = g_strdup_printf (_("Could not save the table to %s: %s"), name, error->message);
  else
    /* TRANSLATORS: a file name */
    message = g_strdup_printf (_("Saved the table to %s"), name);
  _sg_memory_page_say (export->self, message);
  export_free (export);
}

void
_sg_memory_page_save_table (SgMemoryPage            *self,
                            GFile                   *file,
                            SgAgentMemoryTextFormat  format)
{
  g_autofree char *text = sg_agent_memory_format_lines (G_LIST_MODEL (self->sorted), format);
  gsize len = strlen (text);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), len);
  Export *export = g_new0 (Export, 1);

  export->self = g_object_ref (self);
  export->file = g_object_ref (file);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, export_written_cb, export);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(SgMemoryPage) self = user_data;
  g_autoptr(GFile) file = NULL;
  gboolean tsv = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "tsv"));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (file != NULL && self->shown != NULL)
    _sg_memory_page_save_table (self, file, tsv ? SG_AGENT_MEMORY_TEXT_TSV : SG_AGENT_MEMORY_TEXT_CSV);
}

void
_sg_memory_page_export (SgMemoryPage *self,
                        const char   *format)
{
  gboolean tsv = g_strcmp0 (format, "tsv") == 0;
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->shown == NULL)
    return;

  dialog = gtk_file_chooser_native_new (tsv ? _("Export Table as TSV") : _("Export Table as CSV"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  name = g_strdup_printf ("%s.%s", sg_agent_memory_get_id (self->shown), tsv ? "tsv" : "csv");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_file_filter_set_name (filter, tsv ? _("Tab-separated values") : _("Comma-separated values"));
  gtk_file_filter_add_mime_type (filter, tsv ? "text/tab-separated-values" : "text/csv");
  gtk_file_filter_add_suffix (filter, tsv ? "tsv" : "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_set_data (G_OBJECT (dialog), "tsv", GINT_TO_POINTER (tsv));
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}
