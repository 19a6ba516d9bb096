/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Record Profile: type, duration and rate, then a bar that counts the
 * seconds while the agent records, then the download.  The agent says a
 * recording is done with a profile_ready event; the dialog also asks the
 * agent's list once a second after the expected end, so a missed event
 * (a reconnect in between) does not leave it waiting forever.
 *
 * The protocol has no way to stop a recording: Cancel stops waiting and
 * the agent lists the profile when it is done.  What comes back is an
 * SgProfileFile like an opened file (::recorded); a failure is handed to
 * the window as a message (::failed) for a toast, and the dialog closes.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sg-agent-profiles.h"
#include "sg-record-dialog.h"

/* How long after the expected end to keep asking before giving up: the
 * agent stops sampling on time, so this only covers a stalled agent. */
#define FINISH_GRACE_S 30

struct _SgRecordDialog
{
  AdwWindow           parent_instance;

  SgAgentClient      *agent;
  GCancellable       *cancellable;
  char               *id;
  const char         *phase;
  guint               seconds;
  gint64              started_us;
  gint64              last_poll_us;
  guint               tick_id;
  gboolean            listing;
  gboolean            done;

  /* Template widgets */
  GtkButton          *record_button;
  GtkStack           *stack;
  AdwPreferencesGroup *settings_group;
  AdwComboRow        *kind_row;
  GtkSpinButton      *seconds_spin;
  GtkSpinButton      *hz_spin;
  AdwStatusPage      *progress_page;
  GtkProgressBar     *progress;
};

G_DEFINE_FINAL_TYPE (SgRecordDialog, sg_record_dialog, ADW_TYPE_WINDOW)

enum {
  RECORDED,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void list_for_result (SgRecordDialog *self);

static void
stop (SgRecordDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->agent != NULL)
    g_signal_handlers_disconnect_by_data (self->agent, self);
}

/* Ends the dialog with a message for the window's toast. */
static void
fail (SgRecordDialog *self,
      const char     *message)
{
  if (self->done)
    return;
  self->done = TRUE;
  stop (self);
  g_signal_emit (self, signals[FAILED], 0, message);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
fetched (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SgRecordDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfileFile) profile = sg_agent_profiles_fetch_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->done)
    return;
  if (profile == NULL)
    {
      fail (self, error->message);
      return;
    }
  self->done = TRUE;
  stop (self);
  g_signal_emit (self, signals[RECORDED], 0, profile);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
fetch (SgRecordDialog     *self,
       SgAgentProfileInfo *info)
{
  self->phase = "fetching";
  g_clear_handle_id (&self->tick_id, g_source_remove);
  adw_status_page_set_title (self->progress_page, _("Fetching…"));
  gtk_progress_bar_set_fraction (self->progress, 1.0);
  gtk_progress_bar_set_text (self->progress, _("Downloading the profile"));
  sg_agent_profiles_fetch_async (self->agent, info, self->cancellable, fetched, g_object_ref (self));
}

static void
listed (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(SgRecordDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;

  list = sg_agent_client_list_profiles_finish (SG_AGENT_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->done)
    return;
  self->listing = FALSE;
  if (list == NULL)
    {
      /* TRANSLATORS: the reason comes from the connection, e.g. "The agent at … stopped answering" */
      g_autofree char *message = g_strdup_printf (_("The recording could not be fetched: %s"), error->message);
      fail (self, message);
      return;
    }
  for (guint i = 0; i < list->len; i++)
    {
      SgAgentProfileInfo *info = g_ptr_array_index (list, i);
      const char *state = sg_agent_profile_info_get_state (info);

      if (g_strcmp0 (sg_agent_profile_info_get_id (info), self->id) != 0)
        continue;
      if (g_strcmp0 (state, "ready") == 0)
        fetch (self, info);
      else if (g_strcmp0 (state, "failed") == 0)
        fail (self, _("The agent could not record the profile"));
      return;
    }
  fail (self, _("The agent no longer has the recording (it restarted, or dropped it)"));
}

static void
list_for_result (SgRecordDialog *self)
{
  if (self->listing || self->done || g_strcmp0 (self->phase, "recording") != 0)
    return;
  self->listing = TRUE;
  self->last_poll_us = g_get_monotonic_time ();
  sg_agent_client_list_profiles_async (self->agent, self->cancellable, listed, g_object_ref (self));
}

static void
on_profile_ready (SgRecordDialog *self,
                  const char     *kind,
                  guint64         seq,
                  const char     *data_json)
{
  /* Another recording's event costs one list request; not worth parsing. */
  if (data_json == NULL || self->id == NULL || strstr (data_json, self->id) != NULL)
    list_for_result (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  SgRecordDialog *self = user_data;
  gint64 now = g_get_monotonic_time ();
  double elapsed = (now - self->started_us) / (double) G_USEC_PER_SEC;

  if (elapsed < self->seconds)
    {
      g_autofree char *text = NULL;

      gtk_progress_bar_set_fraction (self->progress, elapsed / self->seconds);
      /* TRANSLATORS: seconds recorded so far of the whole, e.g. "3 s of 10 s" */
      text = g_strdup_printf (_("%u s of %u s"), (guint) elapsed, self->seconds);
      gtk_progress_bar_set_text (self->progress, text);
      return G_SOURCE_CONTINUE;
    }

  gtk_progress_bar_set_fraction (self->progress, 1.0);
  gtk_progress_bar_set_text (self->progress, _("Finishing…"));
  if (elapsed > self->seconds + FINISH_GRACE_S)
    {
      self->tick_id = 0;
      fail (self, _("The agent did not finish the recording in time"));
      return G_SOURCE_REMOVE;
    }
  /* The event normally comes first; asking once a second covers a lost one. */
  if (now - self->last_poll_us >= G_USEC_PER_SEC && elapsed > self->seconds + 1)
    list_for_result (self);
  return G_SOURCE_CONTINUE;
}

static void
started (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SgRecordDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SgAgentProfileInfo) info = NULL;

  info = sg_agent_client_start_profile_finish (SG_AGENT_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->done)
    return;
  if (info == NULL)
    {
      /* TRANSLATORS: the reason is the agent's or the connection's */
      g_autofree char *message = g_strdup_printf (_("Could not start recording: %s"), error->message);
      fail (self, message);
      return;
    }

  self->id = g_strdup (sg_agent_profile_info_get_id (info));
  self->phase = "recording";
  self->started_us = g_get_monotonic_time ();
  self->last_poll_us = self->started_us;
  self->tick_id = g_timeout_add (100, tick_cb, self);
  tick_cb (self);
  if (g_strcmp0 (sg_agent_profile_info_get_state (info), "recording") != 0)
    list_for_result (self);
}

static void
record_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  sg_record_dialog_record (SG_RECORD_DIALOG (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static gboolean
sg_record_dialog_close_request (GtkWindow *window)
{
  SgRecordDialog *self = SG_RECORD_DIALOG (window);

  self->done = TRUE;
  stop (self);
  return GTK_WINDOW_CLASS (sg_record_dialog_parent_class)->close_request (window);
}

static void
sg_record_dialog_dispose (GObject *object)
{
  SgRecordDialog *self = SG_RECORD_DIALOG (object);

  stop (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SG_TYPE_RECORD_DIALOG);

  G_OBJECT_CLASS (sg_record_dialog_parent_class)->dispose (object);
}

static void
sg_record_dialog_finalize (GObject *object)
{
  SgRecordDialog *self = SG_RECORD_DIALOG (object);

  g_clear_object (&self->agent);
  g_clear_object (&self->cancellable);
  g_free (self->id);

  G_OBJECT_CLASS (sg_record_dialog_parent_class)->finalize (object);
}

static void
sg_record_dialog_class_init (SgRecordDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sg_record_dialog_dispose;
  object_class->finalize = sg_record_dialog_finalize;
  window_class->close_request = sg_record_dialog_close_request;

  /* The recording, fetched: open it (the dialog closes itself). */
  signals[RECORDED] =
    g_signal_new ("recorded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, SG_TYPE_PROFILE_FILE);
  /* It could not be started, made or fetched: the message says why. */
  signals[FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/spyglass/Spyglass/ui/sg-record-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SgRecordDialog, record_button);
  gtk_widget_class_bind_template_child (widget_class, SgRecordDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, SgRecordDialog, settings_group);
  gtk_widget_class_bind_template_child (widget_class, SgRecordDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, SgRecordDialog, seconds_spin);
  gtk_widget_class_bind_template_child (widget_class, SgRecordDialog, hz_spin);
  gtk_widget_class_bind_template_child (widget_class, SgRecordDialog, progress_page);
  gtk_widget_class_bind_template_child (widget_class, SgRecordDialog, progress);

  gtk_widget_class_install_action (widget_class, "record.start", NULL, record_action);
  gtk_widget_class_install_action (widget_class, "record.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "record.cancel", NULL);
}

static void
sg_record_dialog_init (SgRecordDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->phase = "settings";
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->record_button));
}

/**
 * sg_record_dialog_new:
 * @parent: the window it belongs to
 * @agent: the agent to record
 *
 * Returns: (transfer none): a modal dialog, not yet shown
 */
SgRecordDialog *
sg_record_dialog_new (GtkWindow     *parent,
                      SgAgentClient *agent)
{
  SgRecordDialog *self;
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SG_IS_AGENT_CLIENT (agent), NULL);

  self = g_object_new (SG_TYPE_RECORD_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->agent = g_object_ref (agent);
  name = sg_agent_client_dup_display_name (agent);
  /* TRANSLATORS: %s is the agent, e.g. "shop (127.0.0.1:7878)" */
  description = g_strdup_printf (_("Every thread of %s is sampled; the profile opens when it is done."), name);
  adw_preferences_group_set_description (self->settings_group, description);
  return self;
}

SgAgentClient *
sg_record_dialog_get_agent (SgRecordDialog *self)
{
  g_return_val_if_fail (SG_IS_RECORD_DIALOG (self), NULL);

  return self->agent;
}

/* "cpu" or "wall". */
void
sg_record_dialog_set_kind (SgRecordDialog *self,
                           const char     *kind)
{
  g_return_if_fail (SG_IS_RECORD_DIALOG (self));

  adw_combo_row_set_selected (self->kind_row, g_strcmp0 (kind, "wall") == 0 ? 1 : 0);
}

const char *
sg_record_dialog_get_kind (SgRecordDialog *self)
{
  g_return_val_if_fail (SG_IS_RECORD_DIALOG (self), NULL);

  return adw_combo_row_get_selected (self->kind_row) == 1 ? "wall" : "cpu";
}

void
sg_record_dialog_set_seconds (SgRecordDialog *self,
                              guint           seconds)
{
  g_return_if_fail (SG_IS_RECORD_DIALOG (self));

  gtk_spin_button_set_value (self->seconds_spin, seconds);
}

guint
sg_record_dialog_get_seconds (SgRecordDialog *self)
{
  g_return_val_if_fail (SG_IS_RECORD_DIALOG (self), 0);

  return (guint) gtk_spin_button_get_value_as_int (self->seconds_spin);
}

void
sg_record_dialog_set_hz (SgRecordDialog *self,
                         guint           hz)
{
  g_return_if_fail (SG_IS_RECORD_DIALOG (self));

  gtk_spin_button_set_value (self->hz_spin, hz);
}

guint
sg_record_dialog_get_hz (SgRecordDialog *self)
{
  g_return_val_if_fail (SG_IS_RECORD_DIALOG (self), 0);

  return (guint) gtk_spin_button_get_value_as_int (self->hz_spin);
}

/* Starts the recording with the values shown (what Record does). */
void
sg_record_dialog_record (SgRecordDialog *self)
{
  g_return_if_fail (SG_IS_RECORD_DIALOG (self));

  if (g_strcmp0 (self->phase, "settings") != 0)
    return;

  /* A value typed but not yet confirmed with Enter counts too. */
  gtk_spin_button_update (self->seconds_spin);
  gtk_spin_button_update (self->hz_spin);
  self->seconds = sg_record_dialog_get_seconds (self);
  /* Until the agent answers: cancelling now means nothing was started. */
  self->phase = "starting";
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.start", FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->record_button), FALSE);

  adw_status_page_set_title (self->progress_page,
                             adw_combo_row_get_selected (self->kind_row) == 1
                               ? _("Recording a Wall Profile…")
                               : _("Recording a CPU Profile…"));
  gtk_progress_bar_set_fraction (self->progress, 0);
  gtk_progress_bar_set_text (self->progress, _("Starting…"));
  gtk_stack_set_visible_child_name (self->stack, "progress");

  g_signal_connect_object (self->agent, "agent-event::profile_ready", G_CALLBACK (on_profile_ready), self, G_CONNECT_SWAPPED);
  sg_agent_client_start_profile_async (self->agent, sg_record_dialog_get_kind (self), self->seconds,
                                       sg_record_dialog_get_hz (self), self->cancellable,
                                       started, g_object_ref (self));
}

const char *
sg_record_dialog_get_phase (SgRecordDialog *self)
{
  g_return_val_if_fail (SG_IS_RECORD_DIALOG (self), NULL);

  return self->phase;
}
