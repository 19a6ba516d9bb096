/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sg-debug-agent-row.h"
#include "sg-debug-launch.h"

struct _SgDebugAgentRow
{
  GtkListBoxRow  parent_instance;

  SgAgentClient *client;
  SgDebugLaunch *launch;       /* the program, if the console started it */
  GtkWidget     *status_icon;
  GtkWidget     *spinner;
  GtkWidget     *title;
  GtkWidget     *subtitle;
};

G_DEFINE_FINAL_TYPE (SgDebugAgentRow, sg_debug_agent_row, GTK_TYPE_LIST_BOX_ROW)

static void
update (SgDebugAgentRow *self)
{
  SgAgentInfo *info = sg_agent_client_get_info (self->client);
  const GError *error = sg_agent_client_get_last_error (self->client);
  g_autofree char *name = sg_debug_launch_dup_client_name (self->client);
  g_autofree char *subtitle = NULL;
  const char *icon = "network-offline-symbolic";
  const char *host = info ? sg_agent_info_get_host (info) : NULL;
  const char *version = info ? sg_agent_info_get_version (info) : NULL;
  g_autofree char *where = NULL;
  g_autofree char *tooltip = NULL;
  SgDebugLaunchState launch_state = self->launch ? sg_debug_launch_get_state (self->launch) : SG_DEBUG_LAUNCH_RUNNING;
  gboolean starting = launch_state == SG_DEBUG_LAUNCH_STARTING;

  if (version != NULL && version[0] != '\0')
    /* TRANSLATORS: an agent's version and host, e.g. "1.4.2 on build-box" */
    where = g_strdup_printf (_("%s on %s"), version, host ? host : "?");
  else
    where = g_strdup (host ? host : sg_agent_client_get_address (self->client));

  switch (sg_agent_client_get_state (self->client))
    {
    case SG_AGENT_STATE_CONNECTED:
      icon = "network-transmit-receive-symbolic";
      /* TRANSLATORS: where, then the round-trip time, e.g. "1.4.2 on build-box · 3 ms" */
      subtitle = g_strdup_printf (_("%s · %d ms"), where, sg_agent_client_get_latency_ms (self->client));
      break;
    case SG_AGENT_STATE_CONNECTING:
      icon = "content-loading-symbolic";
      subtitle = g_strdup (_("Connecting…"));
      break;
    case SG_AGENT_STATE_RECONNECTING:
      icon = "network-error-symbolic";
      subtitle = g_strdup (_("Lost; reconnecting…"));
      break;
    case SG_AGENT_STATE_FAILED:
      icon = "dialog-error-symbolic";
      subtitle = g_strdup (error ? error->message : _("Failed"));
      break;
    case SG_AGENT_STATE_DISCONNECTED:
    default:
      subtitle = g_strdup (_("Disconnected"));
      break;
    }
  if (error && sg_agent_client_get_state (self->client) != SG_AGENT_STATE_CONNECTED)
    tooltip = g_strdup (error->message);

  /* A program started from the console: while its agent is not up yet it
   * is starting, not failing; once it has ended, say how (and, in the
   * tooltip, what it last wrote on stderr). */
  if (starting)
    {
      g_clear_pointer (&subtitle, g_free);
      subtitle = g_strdup (_("Starting…"));
    }
  else if ((launch_state == SG_DEBUG_LAUNCH_FAILED || launch_state == SG_DEBUG_LAUNCH_EXITED) &&
           sg_agent_client_get_state (self->client) != SG_AGENT_STATE_CONNECTED)
    {
      icon = launch_state == SG_DEBUG_LAUNCH_FAILED ? "dialog-error-symbolic" : "network-offline-symbolic";
      g_clear_pointer (&subtitle, g_free);
      subtitle = g_strdup (sg_debug_launch_get_message (self->launch));
      g_clear_pointer (&tooltip, g_free);
      tooltip = sg_debug_launch_dup_details (self->launch);
    }
  gtk_widget_set_visible (self->spinner, starting);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), starting);
  gtk_widget_set_visible (self->status_icon, !starting);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->status_icon), icon);
  gtk_label_set_text (GTK_LABEL (self->title), name);
  gtk_label_set_text (GTK_LABEL (self->subtitle), subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip ? tooltip : sg_agent_client_get_address (self->client));
}

static void
sg_debug_agent_row_dispose (GObject *object)
{
  SgDebugAgentRow *self = SG_DEBUG_AGENT_ROW (object);

  g_clear_object (&self->client);
  g_clear_object (&self->launch);

  G_OBJECT_CLASS (sg_debug_agent_row_parent_class)->dispose (object);
}

static void
sg_debug_agent_row_class_init (SgDebugAgentRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sg_debug_agent_row_dispose;
}

static void
sg_debug_agent_row_init (SgDebugAgentRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  self->status_icon = gtk_image_new ();
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  self->title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->title), PANGO_ELLIPSIZE_END);
  self->subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (self->subtitle, "dim-label");
  gtk_widget_add_css_class (self->subtitle, "caption");
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (labels), self->title);
  gtk_box_append (GTK_BOX (labels), self->subtitle);
  gtk_box_append (GTK_BOX (box), self->status_icon);
  gtk_box_append (GTK_BOX (box), self->spinner);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), box);
  /* Activating the row is the sidebar's ::agent-activated, which selects
   * this agent as well as showing the Debug page (an action could only
   * show the page). */
}

GtkWidget *
sg_debug_agent_row_new (SgAgentClient *client)
{
  SgDebugAgentRow *self;

  g_return_val_if_fail (SG_IS_AGENT_CLIENT (client), NULL);

  self = g_object_new (SG_TYPE_DEBUG_AGENT_ROW, NULL);
  self->client = g_object_ref (client);
  g_signal_connect_object (client, "notify::state", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "notify::info", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "notify::latency-ms", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  if ((self->launch = sg_debug_launch_get_for_client (client)))
    {
      g_object_ref (self->launch);
      g_signal_connect_object (self->launch, "notify::state", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
    }
  update (self);
  return GTK_WIDGET (self);
}

/**
 * sg_debug_agent_row_get_client:
 *
 * Returns: (transfer none): the row's agent
 */
SgAgentClient *
sg_debug_agent_row_get_client (SgDebugAgentRow *self)
{
  g_return_val_if_fail (SG_IS_DEBUG_AGENT_ROW (self), NULL);
  return self->client;
}
