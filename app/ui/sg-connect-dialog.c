/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sg-connect-dialog.h"

struct _SgConnectDialog
{
  AdwWindow      parent_instance;

  SgAgentClient *client;
  GCancellable  *cancellable;
  char          *error;

  AdwEntryRow   *address_row;
  AdwPasswordEntryRow *token_row;
  GtkSwitch     *remember_switch;
  GtkLabel      *error_label;
  GtkButton     *connect_button;
  GtkSpinner    *spinner;
};

G_DEFINE_FINAL_TYPE (SgConnectDialog, sg_connect_dialog, ADW_TYPE_WINDOW)

enum {
  CONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_busy (SgConnectDialog *self,
          gboolean         busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->address_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), !busy);
}

static void
show_error (SgConnectDialog *self,
            const char      *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SgConnectDialog) self = user_data;
  g_autoptr(SgAgentClient) client = SG_AGENT_CLIENT (g_object_ref (object));
  g_autoptr(GError) error = NULL;

  if (!sg_agent_client_connect_finish (client, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      show_error (self, error->message);
      g_clear_object (&self->client);
      if (g_error_matches (error, SG_AGENT_ERROR, SG_AGENT_ERROR_UNAUTHORIZED))
        gtk_widget_grab_focus (GTK_WIDGET (self->token_row));
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
      return;
    }
  g_clear_object (&self->client);
  set_busy (self, FALSE);
  g_signal_emit (self, signals[CONNECTED], 0, client, gtk_switch_get_active (self->remember_switch));
  gtk_window_close (GTK_WINDOW (self));
}

void
sg_connect_dialog_connect (SgConnectDialog *self)
{
  const char *address = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
  g_autofree char *token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));
  g_autofree char *trimmed = g_strstrip (g_strdup (address));

  g_return_if_fail (SG_IS_CONNECT_DIALOG (self));

  if (trimmed[0] == '\0')
    {
      show_error (self, _("Enter the agent’s address, e.g. 127.0.0.1:7878 — the agent prints it when it starts."));
      gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
      return;
    }
  show_error (self, NULL);
  set_busy (self, TRUE);
  g_clear_object (&self->client);
  self->client = sg_agent_client_new (trimmed, token);
  sg_agent_client_connect_async (self->client, self->cancellable, connected_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  sg_connect_dialog_connect (SG_CONNECT_DIALOG (widget));
}

static void
sg_connect_dialog_dispose (GObject *object)
{
  SgConnectDialog *self = SG_CONNECT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->client != NULL)
    sg_agent_client_stop (self->client);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (sg_connect_dialog_parent_class)->dispose (object);
}

static void
sg_connect_dialog_class_init (SgConnectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_connect_dialog_dispose;

  /**
   * SgConnectDialog::connected:
   * @client: the connected client
   * @remember: whether to reconnect it on start (token in the keyring)
   */
  signals[CONNECTED] =
    g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, SG_TYPE_AGENT_CLIENT, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/spyglass/Spyglass/ui/sg-connect-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SgConnectDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, SgConnectDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, SgConnectDialog, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, SgConnectDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SgConnectDialog, connect_button);
  gtk_widget_class_bind_template_child (widget_class, SgConnectDialog, spinner);
  gtk_widget_class_install_action (widget_class, "connect.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "connect.connect", NULL, connect_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "connect.cancel", NULL);
}

static void
sg_connect_dialog_init (SgConnectDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->address_row, "entry-activated", G_CALLBACK (sg_connect_dialog_connect), self);
  g_signal_connect_swapped (self->token_row, "entry-activated", G_CALLBACK (sg_connect_dialog_connect), self);
}

SgConnectDialog *
sg_connect_dialog_new (GtkWindow *parent)
{
  return g_object_new (SG_TYPE_CONNECT_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
}

void
sg_connect_dialog_set_address (SgConnectDialog *self,
                               const char      *address)
{
  g_return_if_fail (SG_IS_CONNECT_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), address ? address : "");
}

void
sg_connect_dialog_set_token (SgConnectDialog *self,
                             const char      *token)
{
  g_return_if_fail (SG_IS_CONNECT_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), token ? token : "");
}

/* The message shown, for tests. */
const char *
sg_connect_dialog_get_error (SgConnectDialog *self)
{
  g_return_val_if_fail (SG_IS_CONNECT_DIALOG (self), NULL);
  return self->error;
}
