/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sg-breakpoint-popover.h"

struct _SgBreakpointPopover
{
  GtkPopover  parent_instance;

  char       *path;
  guint       line;
  char       *existing_id;

  GtkWidget  *title;
  GtkWidget  *snapshot_toggle;
  GtkWidget  *logpoint_toggle;
  GtkWidget  *condition;
  GtkWidget  *expressions_box;
  GtkWidget  *expressions;
  GtkWidget  *log_box;
  GtkWidget  *log_format;
  GtkWidget  *log_level;
  GtkWidget  *expiry;
  GtkWidget  *error;
  GtkWidget  *remove_button;
  GtkWidget  *set_button;
};

G_DEFINE_FINAL_TYPE (SgBreakpointPopover, sg_breakpoint_popover, GTK_TYPE_POPOVER)

enum {
  SET,
  REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];
static const char *levels[] = { "info", "warning", "error", NULL };

static void
update_kind (SgBreakpointPopover *self)
{
  gboolean log = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->logpoint_toggle));

  gtk_widget_set_visible (self->log_box, log);
  gtk_widget_set_visible (self->expressions_box, !log);
  gtk_button_set_label (GTK_BUTTON (self->set_button), log ? _("Set Logpoint") : _("Take Snapshot"));
}

static void
on_set_clicked (SgBreakpointPopover *self)
{
  gboolean log = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->logpoint_toggle));
  g_autoptr(SgBreakpointSpec) spec = sg_breakpoint_spec_new (log ? SG_BREAKPOINT_ACTION_LOG : SG_BREAKPOINT_ACTION_CAPTURE,
                                                             self->path, self->line);
  const char *condition = gtk_editable_get_text (GTK_EDITABLE (self->condition));
  double hours = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->expiry));

  spec->condition = g_strstrip (g_strdup (condition));
  spec->expires_in_s = (guint) (hours * 3600);
  if (log)
    {
      const char *format = gtk_editable_get_text (GTK_EDITABLE (self->log_format));

      if (format[0] == '\0')
        {
          sg_breakpoint_popover_set_error (self, _("A logpoint needs a message, e.g. “user {user.id} paid {total}”."));
          gtk_widget_grab_focus (self->log_format);
          return;
        }
      spec->log_message_format = g_strdup (format);
      spec->log_level = g_strdup (levels[gtk_drop_down_get_selected (GTK_DROP_DOWN (self->log_level))]);
    }
  else
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->expressions));
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) lines = NULL;
      g_autofree char *text = NULL;
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      lines = g_strsplit (text, "\n", -1);
      for (guint i = 0; lines[i]; i++)
        if (g_strstrip (lines[i])[0] != '\0')
          g_strv_builder_add (builder, lines[i]);
      spec->expressions = g_strv_builder_end (builder);
    }
  sg_breakpoint_popover_set_error (self, NULL);
  g_signal_emit (self, signals[SET], 0, spec);
}

static void
on_remove_clicked (SgBreakpointPopover *self)
{
  if (self->existing_id != NULL)
    g_signal_emit (self, signals[REMOVE], 0, self->existing_id);
  gtk_popover_popdown (GTK_POPOVER (self));
}

static GtkWidget *
labelled_for (const char *text,
              GtkWidget  *widget,
              GtkWidget  *target)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), target);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), widget);
  return box;
}

static GtkWidget *
labelled (const char *text,
          GtkWidget  *widget)
{
  return labelled_for (text, widget, widget);
}

static void
sg_breakpoint_popover_finalize (GObject *object)
{
  SgBreakpointPopover *self = SG_BREAKPOINT_POPOVER (object);

  g_free (self->path);
  g_free (self->existing_id);

  G_OBJECT_CLASS (sg_breakpoint_popover_parent_class)->finalize (object);
}

static void
sg_breakpoint_popover_class_init (SgBreakpointPopoverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sg_breakpoint_popover_finalize;

  signals[SET] =
    g_signal_new ("set", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SG_TYPE_BREAKPOINT_SPEC);
  signals[REMOVE] =
    g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sg_breakpoint_popover_init (SgBreakpointPopover *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *kinds = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *scroller;

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_size_request (box, 340, -1);

  self->title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_widget_add_css_class (self->title, "heading");
  gtk_box_append (GTK_BOX (box), self->title);

  gtk_widget_add_css_class (kinds, "linked");
  gtk_widget_set_halign (kinds, GTK_ALIGN_FILL);
  self->snapshot_toggle = gtk_toggle_button_new_with_mnemonic (_("_Snapshot"));
  self->logpoint_toggle = gtk_toggle_button_new_with_mnemonic (_("_Logpoint"));
  gtk_widget_set_hexpand (self->snapshot_toggle, TRUE);
  gtk_widget_set_hexpand (self->logpoint_toggle, TRUE);
  gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (self->logpoint_toggle), GTK_TOGGLE_BUTTON (self->snapshot_toggle));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->snapshot_toggle), TRUE);
  g_signal_connect_swapped (self->logpoint_toggle, "toggled", G_CALLBACK (update_kind), self);
  gtk_box_append (GTK_BOX (kinds), self->snapshot_toggle);
  gtk_box_append (GTK_BOX (kinds), self->logpoint_toggle);
  gtk_box_append (GTK_BOX (box), kinds);

  self->condition = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->condition), _("Always, or e.g. user.tier == \"gold\""));
  g_signal_connect_swapped (self->condition, "activate", G_CALLBACK (on_set_clicked), self);
  gtk_box_append (GTK_BOX (box), labelled (_("_Condition"), self->condition));

  self->expressions = gtk_text_view_new ();
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->expressions), TRUE);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (self->expressions), FALSE);
  gtk_widget_add_css_class (self->expressions, "sg-expressions");
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->expressions);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 54);
  gtk_widget_add_css_class (scroller, "card");
  self->expressions_box = labelled_for (_("_Watch expressions, one per line"), scroller, self->expressions);
  gtk_box_append (GTK_BOX (box), self->expressions_box);

  self->log_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  self->log_format = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->log_format), _("order {order_id} costs {total}"));
  g_signal_connect_swapped (self->log_format, "activate", G_CALLBACK (on_set_clicked), self);
  gtk_box_append (GTK_BOX (self->log_box), labelled (_("_Message"), self->log_format));
  self->log_level = gtk_drop_down_new_from_strings ((const char * const[]) { _("Info"), _("Warning"), _("Error"), NULL });
  gtk_box_append (GTK_BOX (self->log_box), labelled (_("_Level"), self->log_level));
  gtk_box_append (GTK_BOX (box), self->log_box);

  self->expiry = gtk_spin_button_new_with_range (0.25, 24 * 7, 1);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (self->expiry), 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->expiry), 24);
  gtk_box_append (GTK_BOX (box), labelled (_("_Expires after (hours)"), self->expiry));

  self->error = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (self->error), 40);
  gtk_widget_add_css_class (self->error, "error");
  gtk_widget_set_visible (self->error, FALSE);
  gtk_box_append (GTK_BOX (box), self->error);

  self->remove_button = gtk_button_new_with_mnemonic (_("_Remove"));
  gtk_widget_add_css_class (self->remove_button, "destructive-action");
  g_signal_connect_swapped (self->remove_button, "clicked", G_CALLBACK (on_remove_clicked), self);
  self->set_button = gtk_button_new_with_label (_("Take Snapshot"));
  gtk_widget_add_css_class (self->set_button, "suggested-action");
  gtk_widget_set_hexpand (self->set_button, TRUE);
  gtk_widget_set_halign (self->set_button, GTK_ALIGN_END);
  g_signal_connect_swapped (self->set_button, "clicked", G_CALLBACK (on_set_clicked), self);
  gtk_box_append (GTK_BOX (buttons), self->remove_button);
  gtk_box_append (GTK_BOX (buttons), self->set_button);
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_popover_set_child (GTK_POPOVER (self), box);
  gtk_popover_set_default_widget (GTK_POPOVER (self), self->set_button);
  update_kind (self);
}

GtkWidget *
sg_breakpoint_popover_new (void)
{
  return g_object_new (SG_TYPE_BREAKPOINT_POPOVER, NULL);
}

void
sg_breakpoint_popover_edit (SgBreakpointPopover *self,
                            const char          *path,
                            guint                line,
                            SgBreakpoint        *existing)
{
  g_autofree char *title = NULL;
  GtkTextBuffer *buffer;
  gboolean log = FALSE;

  g_return_if_fail (SG_IS_BREAKPOINT_POPOVER (self));

  g_free (self->path);
  self->path = g_strdup (path);
  self->line = line;
  g_free (self->existing_id);
  self->existing_id = existing ? g_strdup (sg_breakpoint_get_id (existing)) : NULL;

  title = g_strdup_printf (_("Line %u of %s"), line, path);
  gtk_label_set_text (GTK_LABEL (self->title), title);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->expressions));
  if (existing != NULL)
    {
      g_autofree char *joined = g_strjoinv ("\n", (char **) sg_breakpoint_get_expressions (existing));
      const char *level = sg_breakpoint_get_log_level (existing);

      log = sg_breakpoint_get_action (existing) == SG_BREAKPOINT_ACTION_LOG;
      gtk_editable_set_text (GTK_EDITABLE (self->condition), sg_breakpoint_get_condition (existing) ?: "");
      gtk_text_buffer_set_text (buffer, joined ? joined : "", -1);
      gtk_editable_set_text (GTK_EDITABLE (self->log_format), sg_breakpoint_get_log_message_format (existing) ?: "");
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->log_level),
                                  g_strcmp0 (level, "warning") == 0 ? 1 : g_strcmp0 (level, "error") == 0 ? 2 : 0);
    }
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (self->condition), "");
      gtk_text_buffer_set_text (buffer, "", -1);
      gtk_editable_set_text (GTK_EDITABLE (self->log_format), "");
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->log_level), 0);
    }
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (log ? self->logpoint_toggle : self->snapshot_toggle), TRUE);
  gtk_widget_set_visible (self->remove_button, existing != NULL);
  sg_breakpoint_popover_set_error (self, NULL);
  update_kind (self);
}

/* The agent's answer when it refused the breakpoint (e.g. a bad condition). */
void
sg_breakpoint_popover_set_error (SgBreakpointPopover *self,
                                 const char          *message)
{
  g_return_if_fail (SG_IS_BREAKPOINT_POPOVER (self));
  gtk_label_set_text (GTK_LABEL (self->error), message ? message : "");
  gtk_widget_set_visible (self->error, message != NULL);
}
