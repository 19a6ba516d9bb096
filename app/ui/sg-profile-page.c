/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The Profile page shows the profile selected in the sidebar. The viewer
 * (flame graph, top table) comes with its own issue; until then the page
 * says what it recognised in the file and that the viewer is not built,
 * rather than drawing anything that is not really in the file.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sg-profile-page.h"

struct _SgProfilePage
{
  GtkWidget      parent_instance;

  SgProfileFile *profile;

  /* Template widgets */
  GtkStack      *stack;
  AdwStatusPage *recognised_page;
};

G_DEFINE_FINAL_TYPE (SgProfilePage, sg_profile_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROFILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (SgProfilePage *self)
{
  g_autofree char *format = NULL;
  g_autofree char *size = NULL;
  g_autofree char *description = NULL;

  if (self->profile == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  format = sg_profile_file_dup_format_label (self->profile);
  size = g_format_size (g_bytes_get_size (sg_profile_file_get_contents (self->profile)));
  /* Translators: first %s is a format such as “pprof, gzip-compressed”,
   * second a size such as “1.2 MB” */
  description = g_strdup_printf (_("Recognised as %s (%s). The flame graph viewer is not built yet "
                                   "in this version, so the profile cannot be shown."),
                                 format, size);

  adw_status_page_set_title (self->recognised_page,
                             sg_profile_file_get_display_name (self->profile));
  adw_status_page_set_description (self->recognised_page, description);
  gtk_stack_set_visible_child_name (self->stack, "recognised");
}

static void
sg_profile_page_dispose (GObject *object)
{
  SgProfilePage *self = (SgProfilePage *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), SG_TYPE_PROFILE_PAGE);
  /* dispose_template() only unparents bound children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (sg_profile_page_parent_class)->dispose (object);
}

static void
sg_profile_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SgProfilePage *self = SG_PROFILE_PAGE (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_profile_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SgProfilePage *self = SG_PROFILE_PAGE (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      sg_profile_page_set_profile (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_profile_page_class_init (SgProfilePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_profile_page_dispose;
  object_class->get_property = sg_profile_page_get_property;
  object_class->set_property = sg_profile_page_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL,
                         SG_TYPE_PROFILE_FILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/spyglass/Spyglass/ui/sg-profile-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, stack);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, recognised_page);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sg_profile_page_init (SgProfilePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * sg_profile_page_get_profile:
 *
 * Returns: (transfer none) (nullable): the profile shown
 */
SgProfileFile *
sg_profile_page_get_profile (SgProfilePage *self)
{
  g_return_val_if_fail (SG_IS_PROFILE_PAGE (self), NULL);

  return self->profile;
}

/* Shows @profile, or the “open a profile” state when %NULL. */
void
sg_profile_page_set_profile (SgProfilePage *self,
                             SgProfileFile *profile)
{
  g_return_if_fail (SG_IS_PROFILE_PAGE (self));
  g_return_if_fail (!profile || SG_IS_PROFILE_FILE (profile));

  if (g_set_object (&self->profile, profile))
    {
      update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
    }
}
