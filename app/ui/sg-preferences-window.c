/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Only preferences that change something today; every row is bound to
 * GSettings, so there is no Apply button and nothing to get out of sync.
 */
#include "config.h"

#include "sg-preferences-window.h"

struct _SgPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  /* Template widgets */
  AdwComboRow          *color_scheme_row;
  GtkSwitch            *recent_switch;
};

G_DEFINE_FINAL_TYPE (SgPreferencesWindow, sg_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The combo row's positions are the enum's values: follow, light, dark. */
static gboolean
scheme_to_position (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);
  guint position = 0;

  if (g_strcmp0 (nick, "light") == 0)
    position = 1;
  else if (g_strcmp0 (nick, "dark") == 0)
    position = 2;
  g_value_set_uint (value, position);
  return TRUE;
}

static GVariant *
position_to_scheme (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  static const char *nicks[] = { "follow", "light", "dark" };
  guint position = g_value_get_uint (value);

  if (position >= G_N_ELEMENTS (nicks))
    position = 0;
  return g_variant_new_string (nicks[position]);
}

static void
sg_preferences_window_constructed (GObject *object)
{
  SgPreferencesWindow *self = (SgPreferencesWindow *)object;

  G_OBJECT_CLASS (sg_preferences_window_parent_class)->constructed (object);

  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                self->color_scheme_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                scheme_to_position, position_to_scheme, NULL, NULL);
  g_settings_bind (self->settings, "remember-recent-files",
                   self->recent_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
sg_preferences_window_dispose (GObject *object)
{
  SgPreferencesWindow *self = (SgPreferencesWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), SG_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sg_preferences_window_parent_class)->dispose (object);
}

static void
sg_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SgPreferencesWindow *self = SG_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SgPreferencesWindow *self = SG_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_preferences_window_class_init (SgPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sg_preferences_window_constructed;
  object_class->dispose = sg_preferences_window_dispose;
  object_class->get_property = sg_preferences_window_get_property;
  object_class->set_property = sg_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/spyglass/Spyglass/ui/sg-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SgPreferencesWindow, color_scheme_row);
  gtk_widget_class_bind_template_child (widget_class, SgPreferencesWindow, recent_switch);
}

static void
sg_preferences_window_init (SgPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SgPreferencesWindow *
sg_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (SG_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}
