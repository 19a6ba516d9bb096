/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The source file with its breakpoints.  Marks are GtkSourceMarks in
 * categories named after the breakpoint state; each category has its icon
 * and the tooltip is the breakpoint's own description (e.g. the agent's
 * message when it moved or refused the line). */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "sg-source-view.h"

struct _SgSourceView
{
  GtkWidget        parent_instance;

  GtkWidget       *stack;
  GtkWidget       *box;
  GtkWidget       *header_title;
  GtkWidget       *header_origin;
  GtkWidget       *banner;
  GtkWidget       *banner_label;
  GtkSourceView   *view;
  GtkSourceBuffer *buffer;
  char            *path;
  guint            n_marks;
};

G_DEFINE_FINAL_TYPE (SgSourceView, sg_source_view, GTK_TYPE_WIDGET)

enum {
  TOGGLE_SNAPSHOT,
  EDIT_BREAKPOINT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const struct
{
  const char *category;
  const char *icon;
} mark_kinds[] = {
  { "sg-pending", "content-loading-symbolic" },
  { "sg-active",  "media-record-symbolic" },
  { "sg-hit",     "emblem-ok-symbolic" },
  { "sg-expired", "media-playback-stop-symbolic" },
  { "sg-error",   "dialog-error-symbolic" },
  { "sg-log",     "format-justify-left-symbolic" },
};

static char *
query_tooltip (GtkSourceMarkAttributes *attributes,
               GtkSourceMark           *mark,
               gpointer                 user_data)
{
  return g_strdup (g_object_get_data (G_OBJECT (mark), "sg-tooltip"));
}

static void
update_style_scheme (SgSourceView *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (manager) ? "Adwaita-dark" : "Adwaita";

  gtk_source_buffer_set_style_scheme (self->buffer, gtk_source_style_scheme_manager_get_scheme (schemes, id));
}

static void
on_line_mark_activated (GtkSourceView   *view,
                        const GtkTextIter *iter,
                        guint            button,
                        GdkModifierType  state,
                        int              n_presses,
                        SgSourceView    *self)
{
  guint line = gtk_text_iter_get_line (iter) + 1;

  if (self->path == NULL || n_presses != 1)
    return;
  if (button == GDK_BUTTON_SECONDARY || (state & GDK_CONTROL_MASK))
    g_signal_emit (self, signals[EDIT_BREAKPOINT], 0, line);
  else if (button == GDK_BUTTON_PRIMARY)
    g_signal_emit (self, signals[TOGGLE_SNAPSHOT], 0, line);
}

static guint
cursor_line (SgSourceView *self)
{
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_mark (GTK_TEXT_BUFFER (self->buffer), &iter,
                                    gtk_text_buffer_get_insert (GTK_TEXT_BUFFER (self->buffer)));
  return gtk_text_iter_get_line (&iter) + 1;
}

static void
toggle_snapshot_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  SgSourceView *self = SG_SOURCE_VIEW (widget);

  if (self->path != NULL)
    g_signal_emit (self, signals[TOGGLE_SNAPSHOT], 0, cursor_line (self));
}

static void
edit_breakpoint_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  SgSourceView *self = SG_SOURCE_VIEW (widget);

  if (self->path != NULL)
    g_signal_emit (self, signals[EDIT_BREAKPOINT], 0, cursor_line (self));
}

static void
sg_source_view_dispose (GObject *object)
{
  SgSourceView *self = SG_SOURCE_VIEW (object);

  g_clear_pointer (&self->stack, gtk_widget_unparent);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (sg_source_view_parent_class)->dispose (object);
}

static void
sg_source_view_class_init (SgSourceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_source_view_dispose;

  signals[TOGGLE_SNAPSHOT] =
    g_signal_new ("toggle-snapshot", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[EDIT_BREAKPOINT] =
    g_signal_new ("edit-breakpoint", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_install_action (widget_class, "source.toggle-snapshot", NULL, toggle_snapshot_action);
  gtk_widget_class_install_action (widget_class, "source.edit-breakpoint", NULL, edit_breakpoint_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "source.toggle-snapshot", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, GDK_SHIFT_MASK, "source.edit-breakpoint", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sgsourceview");
}

static void
sg_source_view_init (SgSourceView *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkWidget *scroller, *header, *titles, *icon;

  self->stack = gtk_stack_new ();
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));
  {
    GtkWidget *empty = adw_status_page_new ();

    adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "text-x-generic-symbolic");
    adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No File Open"));
    adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                     _("Choose a file on the left, then click next to a line number to take a snapshot there."));
    gtk_widget_add_css_class (empty, "compact");
    gtk_stack_add_named (GTK_STACK (self->stack), empty, "empty");
  }
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_stack_add_named (GTK_STACK (self->stack), self->box, "file");

  /* Which file, and where it came from (local folder or the agent). */
  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_add_css_class (header, "sg-source-header");
  titles = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  self->header_title = gtk_label_new (_("No file open"));
  gtk_label_set_xalign (GTK_LABEL (self->header_title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->header_title), PANGO_ELLIPSIZE_START);
  gtk_widget_add_css_class (self->header_title, "heading");
  self->header_origin = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->header_origin, "dim-label");
  gtk_widget_add_css_class (self->header_origin, "caption");
  gtk_widget_set_hexpand (self->header_origin, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->header_origin), 0);
  gtk_box_append (GTK_BOX (titles), self->header_title);
  gtk_box_append (GTK_BOX (titles), self->header_origin);
  gtk_widget_set_hexpand (titles, TRUE);
  gtk_box_append (GTK_BOX (header), titles);
  gtk_box_append (GTK_BOX (self->box), header);

  /* The mismatch warning: stays until the file matches again. */
  self->banner = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_add_css_class (self->banner, "sg-mismatch-banner");
  icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  self->banner_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->banner_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->banner_label), 0);
  gtk_widget_set_hexpand (self->banner_label, TRUE);
  gtk_box_append (GTK_BOX (self->banner), icon);
  gtk_box_append (GTK_BOX (self->banner), self->banner_label);
  gtk_widget_set_visible (self->banner, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->banner);

  self->buffer = gtk_source_buffer_new_with_language (gtk_source_language_manager_get_language (languages, "python3"));
  self->view = GTK_SOURCE_VIEW (gtk_source_view_new_with_buffer (self->buffer));
  g_object_unref (self->buffer);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->view), TRUE);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (self->view), 6);
  gtk_source_view_set_show_line_numbers (self->view, TRUE);
  gtk_source_view_set_show_line_marks (self->view, TRUE);
  gtk_source_view_set_highlight_current_line (self->view, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Source code; F9 sets a snapshot on the current line"), -1);
  g_signal_connect (self->view, "line-mark-activated", G_CALLBACK (on_line_mark_activated), self);
  for (guint i = 0; i < G_N_ELEMENTS (mark_kinds); i++)
    {
      g_autoptr(GtkSourceMarkAttributes) attrs = gtk_source_mark_attributes_new ();

      gtk_source_mark_attributes_set_icon_name (attrs, mark_kinds[i].icon);
      g_signal_connect (attrs, "query-tooltip-text", G_CALLBACK (query_tooltip), NULL);
      gtk_source_view_set_mark_attributes (self->view, mark_kinds[i].category, attrs, 10 + i);
    }

  scroller = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->view));
  gtk_box_append (GTK_BOX (self->box), scroller);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);
  update_style_scheme (self);
}

GtkWidget *
sg_source_view_new (void)
{
  return g_object_new (SG_TYPE_SOURCE_VIEW, NULL);
}

/**
 * sg_source_view_set_file:
 * @path: the path relative to the source root, as the agent names it
 * @contents: the text
 * @origin: (nullable): where it came from, shown next to the name
 */
void
sg_source_view_set_file (SgSourceView *self,
                         const char   *path,
                         GBytes       *contents,
                         const char   *origin)
{
  gsize len = 0;
  const char *data;
  GtkTextIter start;

  g_return_if_fail (SG_IS_SOURCE_VIEW (self));

  g_free (self->path);
  self->path = g_strdup (path);
  data = contents ? g_bytes_get_data (contents, &len) : "";
  if (!g_utf8_validate (data, len, NULL))
    {
      gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), _("(This file is not UTF-8 text.)"), -1);
    }
  else
    gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), data, len);
  gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (self->buffer), &start);
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self->buffer), &start);
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->view), gtk_text_buffer_get_insert (GTK_TEXT_BUFFER (self->buffer)),
                                0.0, TRUE, 0.0, 0.0);
  gtk_label_set_text (GTK_LABEL (self->header_title), path ? path : _("No file open"));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), path ? "file" : "empty");
  gtk_label_set_text (GTK_LABEL (self->header_origin), origin ? origin : "");
  sg_source_view_set_mismatch (self, NULL);
  self->n_marks = 0;
}

const char *
sg_source_view_get_path (SgSourceView *self)
{
  g_return_val_if_fail (SG_IS_SOURCE_VIEW (self), NULL);
  return self->path;
}

/* @message: NULL hides the warning. */
void
sg_source_view_set_mismatch (SgSourceView *self,
                             const char   *message)
{
  g_return_if_fail (SG_IS_SOURCE_VIEW (self));

  gtk_label_set_text (GTK_LABEL (self->banner_label), message ? message : "");
  gtk_widget_set_visible (self->banner, message != NULL);
}

/* The warning shown over the file, or NULL. */
const char *
sg_source_view_get_mismatch (SgSourceView *self)
{
  g_return_val_if_fail (SG_IS_SOURCE_VIEW (self), NULL);
  return gtk_widget_get_visible (self->banner) ? gtk_label_get_text (GTK_LABEL (self->banner_label)) : NULL;
}

static const char *
category_for (SgBreakpoint *bp)
{
  switch (sg_breakpoint_get_state (bp))
    {
    case SG_BREAKPOINT_STATE_PENDING:
      return "sg-pending";
    case SG_BREAKPOINT_STATE_HIT:
      return "sg-hit";
    case SG_BREAKPOINT_STATE_EXPIRED:
      return "sg-expired";
    case SG_BREAKPOINT_STATE_ERROR:
      return "sg-error";
    case SG_BREAKPOINT_STATE_ACTIVE:
    default:
      return sg_breakpoint_get_action (bp) == SG_BREAKPOINT_ACTION_LOG ? "sg-log" : "sg-active";
    }
}

static char *
describe (SgBreakpoint *bp)
{
  const char *kind = sg_breakpoint_get_action (bp) == SG_BREAKPOINT_ACTION_LOG ? _("Logpoint") : _("Snapshot");
  const char *message = sg_breakpoint_get_status_message (bp);
  const char *condition = sg_breakpoint_get_condition (bp);
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "%s — %s", kind, sg_breakpoint_state_to_string (sg_breakpoint_get_state (bp)));
  if (condition != NULL && condition[0] != '\0')
    g_string_append_printf (text, "\n%s %s", _("When:"), condition);
  if (sg_breakpoint_get_action (bp) == SG_BREAKPOINT_ACTION_LOG && sg_breakpoint_get_log_message_format (bp))
    g_string_append_printf (text, "\n%s", sg_breakpoint_get_log_message_format (bp));
  if (message != NULL)
    g_string_append_printf (text, "\n%s", message);
  return g_string_free (text, FALSE);
}

/**
 * sg_source_view_set_breakpoints:
 * @breakpoints: (element-type SgBreakpoint): the breakpoints of this file
 */
void
sg_source_view_set_breakpoints (SgSourceView *self,
                                GPtrArray    *breakpoints)
{
  GtkTextIter start, end;

  g_return_if_fail (SG_IS_SOURCE_VIEW (self));

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  gtk_source_buffer_remove_source_marks (self->buffer, &start, &end, NULL);
  self->n_marks = 0;
  for (guint i = 0; breakpoints != NULL && i < breakpoints->len; i++)
    {
      SgBreakpoint *bp = g_ptr_array_index (breakpoints, i);
      GtkSourceMark *mark;
      GtkTextIter iter;

      if (g_strcmp0 (sg_breakpoint_get_path (bp), self->path) != 0 || sg_breakpoint_get_line (bp) == 0)
        continue;
      if (!gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (self->buffer), &iter, (int) sg_breakpoint_get_line (bp) - 1))
        continue;
      mark = gtk_source_buffer_create_source_mark (self->buffer, NULL, category_for (bp), &iter);
      g_object_set_data_full (G_OBJECT (mark), "sg-tooltip", describe (bp), g_free);
      self->n_marks++;
    }
}

guint
sg_source_view_get_n_marks (SgSourceView *self)
{
  g_return_val_if_fail (SG_IS_SOURCE_VIEW (self), 0);
  return self->n_marks;
}

static void
scroll_to_cursor (SgSourceView *self)
{
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->view),
                                gtk_text_buffer_get_insert (GTK_TEXT_BUFFER (self->buffer)),
                                0.1, TRUE, 0.0, 0.3);
}

/* GtkTextView lays long files out lazily: a scroll asked for right after
 * set_text lands on estimated heights.  Scrolling again on the next frames,
 * once the lines are measured, puts the line where it belongs. */
static gboolean
rescroll_tick (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  SgSourceView *self = SG_SOURCE_VIEW (user_data);
  guint remaining = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self), "sg-rescroll"));

  scroll_to_cursor (self);
  if (remaining <= 1)
    {
      g_object_set_data (G_OBJECT (self), "sg-rescroll", NULL);
      return G_SOURCE_REMOVE;
    }
  g_object_set_data (G_OBJECT (self), "sg-rescroll", GUINT_TO_POINTER (remaining - 1));
  return G_SOURCE_CONTINUE;
}

void
sg_source_view_show_line (SgSourceView *self,
                          guint         line)
{
  GtkTextIter iter;

  g_return_if_fail (SG_IS_SOURCE_VIEW (self));

  if (line == 0 || !gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (self->buffer), &iter, (int) line - 1))
    return;
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self->buffer), &iter);
  scroll_to_cursor (self);
  if (g_object_get_data (G_OBJECT (self), "sg-rescroll") == NULL)
    gtk_widget_add_tick_callback (GTK_WIDGET (self->view), rescroll_tick, self, NULL);
  g_object_set_data (G_OBJECT (self), "sg-rescroll", GUINT_TO_POINTER (5));
}

/**
 * sg_source_view_get_text_view:
 *
 * Returns: (transfer none): the GtkSourceView
 */
GtkWidget *
sg_source_view_get_text_view (SgSourceView *self)
{
  g_return_val_if_fail (SG_IS_SOURCE_VIEW (self), NULL);
  return GTK_WIDGET (self->view);
}

/* Where @line is, in the text view's coordinates (to point a popover). */
gboolean
sg_source_view_get_line_area (SgSourceView *self,
                              guint         line,
                              GdkRectangle *area)
{
  GtkTextIter iter;
  int y, height, wx, wy;

  g_return_val_if_fail (SG_IS_SOURCE_VIEW (self), FALSE);

  if (line == 0 || !gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (self->buffer), &iter, (int) line - 1))
    return FALSE;
  gtk_text_view_get_line_yrange (GTK_TEXT_VIEW (self->view), &iter, &y, &height);
  gtk_text_view_buffer_to_window_coords (GTK_TEXT_VIEW (self->view), GTK_TEXT_WINDOW_WIDGET, 0, y, &wx, &wy);
  area->x = 0;
  area->y = wy;
  area->width = 40;
  area->height = height;
  return TRUE;
}
