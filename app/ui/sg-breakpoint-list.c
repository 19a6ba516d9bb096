/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sg-breakpoint-list.h"

struct _SgBreakpointList
{
  GtkWidget   parent_instance;

  GListModel *model;
  GtkWidget  *stack;
  GtkWidget  *list;
  GtkWidget  *empty;
};

G_DEFINE_FINAL_TYPE (SgBreakpointList, sg_breakpoint_list, GTK_TYPE_WIDGET)

enum {
  OPEN,
  RETAKE,
  DELETE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
state_icon (SgBreakpoint *bp)
{
  switch (sg_breakpoint_get_state (bp))
    {
    case SG_BREAKPOINT_STATE_PENDING:
      return "content-loading-symbolic";
    case SG_BREAKPOINT_STATE_HIT:
      return "emblem-ok-symbolic";
    case SG_BREAKPOINT_STATE_EXPIRED:
      return "media-playback-stop-symbolic";
    case SG_BREAKPOINT_STATE_ERROR:
      return "dialog-error-symbolic";
    case SG_BREAKPOINT_STATE_ACTIVE:
    default:
      return sg_breakpoint_get_action (bp) == SG_BREAKPOINT_ACTION_LOG ? "format-justify-left-symbolic"
                                                                      : "media-record-symbolic";
    }
}

static void
emit_for_button (GtkButton        *button,
                 SgBreakpointList *self)
{
  SgBreakpoint *bp = g_object_get_data (G_OBJECT (button), "sg-breakpoint");
  guint which = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "sg-signal"));

  g_signal_emit (self, signals[which], 0, bp);
}

static GtkWidget *
row_button (SgBreakpointList *self,
            SgBreakpoint     *bp,
            const char       *icon,
            const char       *tooltip,
            guint             which)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  g_object_set_data_full (G_OBJECT (button), "sg-breakpoint", g_object_ref (bp), g_object_unref);
  g_object_set_data (G_OBJECT (button), "sg-signal", GUINT_TO_POINTER (which));
  g_signal_connect (button, "clicked", G_CALLBACK (emit_for_button), self);
  return button;
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  SgBreakpointList *self = user_data;
  SgBreakpoint *bp = item;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf ("%s:%u", sg_breakpoint_get_path (bp), sg_breakpoint_get_line (bp));
  g_autofree char *subtitle = NULL;
  const char *kind = sg_breakpoint_get_action (bp) == SG_BREAKPOINT_ACTION_LOG ? _("Logpoint") : _("Snapshot");
  const char *detail = sg_breakpoint_get_status_message (bp);
  GtkWidget *icon = gtk_image_new_from_icon_name (state_icon (bp));

  if (detail == NULL && sg_breakpoint_get_action (bp) == SG_BREAKPOINT_ACTION_LOG)
    detail = sg_breakpoint_get_log_message_format (bp);
  if (detail == NULL && sg_breakpoint_get_condition (bp) && sg_breakpoint_get_condition (bp)[0])
    detail = sg_breakpoint_get_condition (bp);
  subtitle = detail ? g_strdup_printf ("%s · %s · %s", kind, sg_breakpoint_state_to_string (sg_breakpoint_get_state (bp)), detail)
                    : g_strdup_printf ("%s · %s", kind, sg_breakpoint_state_to_string (sg_breakpoint_get_state (bp)));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_set_tooltip_text (row, detail);
  if (sg_breakpoint_get_state (bp) == SG_BREAKPOINT_STATE_ERROR)
    gtk_widget_add_css_class (icon, "error");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), row_button (self, bp, "find-location-symbolic", _("Show"), OPEN));
  if (sg_breakpoint_is_final (bp) || sg_breakpoint_get_state (bp) == SG_BREAKPOINT_STATE_ERROR)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), row_button (self, bp, "view-refresh-symbolic", _("Set Again"), RETAKE));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), row_button (self, bp, "user-trash-symbolic", _("Delete"), DELETE));
  return row;
}

static void
update_empty (SgBreakpointList *self)
{
  gboolean empty = self->model == NULL || g_list_model_get_n_items (self->model) == 0;

  gtk_stack_set_visible_child (GTK_STACK (self->stack), empty ? self->empty : g_object_get_data (G_OBJECT (self->list), "sg-scroller"));
}

static void
sg_breakpoint_list_dispose (GObject *object)
{
  SgBreakpointList *self = SG_BREAKPOINT_LIST (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, update_empty, self);
  g_clear_object (&self->model);
  g_clear_pointer (&self->stack, gtk_widget_unparent);

  G_OBJECT_CLASS (sg_breakpoint_list_parent_class)->dispose (object);
}

static void
sg_breakpoint_list_class_init (SgBreakpointListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_breakpoint_list_dispose;

  signals[OPEN] = g_signal_new ("open", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, SG_TYPE_BREAKPOINT);
  signals[RETAKE] = g_signal_new ("retake", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SG_TYPE_BREAKPOINT);
  signals[DELETE] = g_signal_new ("delete", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SG_TYPE_BREAKPOINT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sgbreakpointlist");
}

static void
sg_breakpoint_list_init (SgBreakpointList *self)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_widget_set_valign (self->list, GTK_ALIGN_START);
  gtk_widget_set_margin_top (self->list, 12);
  gtk_widget_set_margin_bottom (self->list, 12);
  gtk_widget_set_margin_start (self->list, 12);
  gtk_widget_set_margin_end (self->list, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 900);
  adw_clamp_set_child (ADW_CLAMP (clamp), self->list);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);

  self->empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty), "media-record-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty), _("No Breakpoints"));
  adw_status_page_set_description (ADW_STATUS_PAGE (self->empty),
                                   _("Snapshots and logpoints set on this agent are listed here with their state."));
  gtk_widget_add_css_class (self->empty, "compact");

  self->stack = gtk_stack_new ();
  gtk_stack_add_child (GTK_STACK (self->stack), self->empty);
  gtk_stack_add_child (GTK_STACK (self->stack), scroller);
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));
  /* The list box sits in the clamp's viewport; remember the scroller. */
  g_object_set_data (G_OBJECT (self->list), "sg-scroller", scroller);
}

GtkWidget *
sg_breakpoint_list_new (void)
{
  return g_object_new (SG_TYPE_BREAKPOINT_LIST, NULL);
}

void
sg_breakpoint_list_set_model (SgBreakpointList *self,
                              GListModel       *breakpoints)
{
  g_return_if_fail (SG_IS_BREAKPOINT_LIST (self));

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, update_empty, self);
  g_set_object (&self->model, breakpoints);
  gtk_list_box_bind_model (GTK_LIST_BOX (self->list), breakpoints, create_row, self, NULL);
  if (breakpoints != NULL)
    g_signal_connect_swapped (breakpoints, "items-changed", G_CALLBACK (update_empty), self);
  update_empty (self);
}
