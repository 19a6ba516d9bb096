/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One profile an agent holds, in the sidebar: its type and start time,
 * then how long, how many samples and which service and version.  A
 * recording still under way shows a spinner and cannot be opened yet.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sg-agent-profiles.h"
#include "sg-agent-profiles-row.h"

struct _SgAgentProfilesRow
{
  GtkListBoxRow       parent_instance;

  SgAgentProfileInfo *info;
};

G_DEFINE_FINAL_TYPE (SgAgentProfilesRow, sg_agent_profiles_row, GTK_TYPE_LIST_BOX_ROW)

static char *
format_duration (double seconds)
{
  /* TRANSLATORS: a recording's length in seconds, e.g. "10.0 s" */
  return g_strdup_printf (_("%.1f s"), seconds);
}

static void
sg_agent_profiles_row_dispose (GObject *object)
{
  SgAgentProfilesRow *self = SG_AGENT_PROFILES_ROW (object);

  g_clear_object (&self->info);

  G_OBJECT_CLASS (sg_agent_profiles_row_parent_class)->dispose (object);
}

static void
sg_agent_profiles_row_class_init (SgAgentProfilesRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sg_agent_profiles_row_dispose;
}

static void
sg_agent_profiles_row_init (SgAgentProfilesRow *self)
{
}

static void
build (SgAgentProfilesRow *self,
       SgAgentClient      *agent)
{
  SgAgentProfileInfo *info = self->info;
  const char *state = sg_agent_profile_info_get_state (info);
  gboolean continuous = g_strcmp0 (sg_agent_profile_info_get_origin (info), "continuous") == 0;
  GDateTime *start = sg_agent_profile_info_get_start (info);
  g_autofree char *kind = sg_agent_profiles_dup_kind_label (info);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *service = NULL;
  g_autofree char *when = NULL;
  GtkWidget *box, *labels, *title_label, *subtitle_label, *icon;

  service = sg_agent_profiles_dup_service_label (agent);
  if (start != NULL)
    when = sg_agent_profiles_dup_time_label (start);

  if (continuous)
    {
      /* TRANSLATORS: a profile's type in the sidebar when the agent recorded it
       * on its own, every minute, e.g. "CPU (continuous)" */
      char *label = g_strdup_printf (_("%s (continuous)"), kind);
      g_free (kind);
      kind = label;
    }
  /* TRANSLATORS: a profile's type, then when it started, e.g. "Wall · 02:45:01" */
  title = when ? g_strdup_printf (_("%s · %s"), kind, when) : g_strdup (kind);

  if (g_strcmp0 (state, "recording") == 0)
    {
      /* TRANSLATORS: a profile still being recorded, then the service, e.g. "Recording… · shop 1.4.2" */
      subtitle = g_strdup_printf (_("Recording… · %s"), service);
      icon = gtk_spinner_new ();
      gtk_spinner_start (GTK_SPINNER (icon));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
      tooltip = g_strdup (_("Still recording: it can be opened once the agent has finished it"));
    }
  else if (g_strcmp0 (state, "failed") == 0)
    {
      /* TRANSLATORS: a profile the agent could not record, then the service */
      subtitle = g_strdup_printf (_("Failed · %s"), service);
      icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
      tooltip = g_strdup (_("The agent could not record this profile"));
    }
  else
    {
      g_autofree char *duration = format_duration (sg_agent_profile_info_get_duration (info));
      gint64 samples = sg_agent_profile_info_get_samples (info);
      g_autofree char *n_samples = NULL;

      /* The agent caps a recording at 200,000 samples: a guint holds it. */
      n_samples = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u sample", "%u samples", (gulong) samples),
                                   (guint) samples);
      /* TRANSLATORS: duration, sample count, then service and version,
       * e.g. "2.0 s · 196 samples · shop 1.4.2" */
      subtitle = g_strdup_printf (_("%s · %s · %s"), duration, n_samples, service);
      icon = gtk_image_new_from_icon_name ("sg-flame-symbolic");
      tooltip = g_strdup_printf (continuous
                                   /* TRANSLATORS: tooltip of an agent's profile: its title, then where it is */
                                   ? _("%s, recorded by the agent every minute, on %s")
                                   : _("%s, recorded on request, on %s"),
                                 title, sg_agent_client_get_address (agent));
    }

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  gtk_box_append (GTK_BOX (box), icon);

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  title_label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title_label), PANGO_ELLIPSIZE_END);
  subtitle_label = gtk_label_new (subtitle);
  gtk_label_set_xalign (GTK_LABEL (subtitle_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle_label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle_label, "dim-label");
  gtk_widget_add_css_class (subtitle_label, "caption");
  gtk_box_append (GTK_BOX (labels), title_label);
  gtk_box_append (GTK_BOX (labels), subtitle_label);
  gtk_box_append (GTK_BOX (box), labels);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), box);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                  -1);
}

GtkWidget *
sg_agent_profiles_row_new (SgAgentClient      *agent,
                           SgAgentProfileInfo *info)
{
  SgAgentProfilesRow *self;

  g_return_val_if_fail (SG_IS_AGENT_CLIENT (agent), NULL);
  g_return_val_if_fail (SG_IS_AGENT_PROFILE_INFO (info), NULL);

  self = g_object_new (SG_TYPE_AGENT_PROFILES_ROW, NULL);
  self->info = g_object_ref (info);
  build (self, agent);
  return GTK_WIDGET (self);
}

SgAgentProfileInfo *
sg_agent_profiles_row_get_info (SgAgentProfilesRow *self)
{
  g_return_val_if_fail (SG_IS_AGENT_PROFILES_ROW (self), NULL);

  return self->info;
}
