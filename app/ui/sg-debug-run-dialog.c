/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sg-debug-run-dialog.h"

struct _SgDebugRunDialog
{
  AdwWindow    parent_instance;

  GFile       *script;

  AdwActionRow *script_row;
  AdwEntryRow  *arguments_row;
  AdwEntryRow  *interpreter_row;
  GtkButton    *run_button;
};

G_DEFINE_FINAL_TYPE (SgDebugRunDialog, sg_debug_run_dialog, ADW_TYPE_WINDOW)

enum {
  RUN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_chosen (GtkNativeDialog  *dialog,
           int               response,
           SgDebugRunDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      sg_debug_run_dialog_set_script (self, file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SgDebugRunDialog *self = SG_DEBUG_RUN_DIALOG (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose a Python Program"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Python programs"));
  gtk_file_filter_add_suffix (filter, "py");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  SgDebugRunDialog *self = SG_DEBUG_RUN_DIALOG (widget);
  g_autofree char *path = NULL;

  if (self->script == NULL || !(path = g_file_get_path (self->script)))
    return;
  g_signal_emit (self, signals[RUN], 0, path,
                 gtk_editable_get_text (GTK_EDITABLE (self->arguments_row)),
                 gtk_editable_get_text (GTK_EDITABLE (self->interpreter_row)));
  gtk_window_close (GTK_WINDOW (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
sg_debug_run_dialog_dispose (GObject *object)
{
  SgDebugRunDialog *self = SG_DEBUG_RUN_DIALOG (object);

  g_clear_object (&self->script);

  G_OBJECT_CLASS (sg_debug_run_dialog_parent_class)->dispose (object);
}

static void
sg_debug_run_dialog_class_init (SgDebugRunDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_debug_run_dialog_dispose;

  /**
   * SgDebugRunDialog::run:
   * @script: the program's path
   * @arguments: its arguments, shell-quoted
   * @interpreter: the Python to run it with
   */
  signals[RUN] =
    g_signal_new ("run", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/spyglass/Spyglass/ui/sg-debug-run-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SgDebugRunDialog, script_row);
  gtk_widget_class_bind_template_child (widget_class, SgDebugRunDialog, arguments_row);
  gtk_widget_class_bind_template_child (widget_class, SgDebugRunDialog, interpreter_row);
  gtk_widget_class_bind_template_child (widget_class, SgDebugRunDialog, run_button);
  gtk_widget_class_install_action (widget_class, "run.choose", NULL, choose_action);
  gtk_widget_class_install_action (widget_class, "run.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "run.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "run.cancel", NULL);
}

static void
sg_debug_run_dialog_init (SgDebugRunDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "run.run", FALSE);
}

SgDebugRunDialog *
sg_debug_run_dialog_new (GtkWindow *parent)
{
  return g_object_new (SG_TYPE_DEBUG_RUN_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
}

void
sg_debug_run_dialog_set_script (SgDebugRunDialog *self,
                                GFile            *script)
{
  g_autofree char *name = NULL;

  g_return_if_fail (SG_IS_DEBUG_RUN_DIALOG (self));

  g_set_object (&self->script, script);
  name = script ? g_file_get_parse_name (script) : NULL;
  adw_action_row_set_subtitle (self->script_row, name ? name : _("None chosen"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "run.run", script != NULL);
}
