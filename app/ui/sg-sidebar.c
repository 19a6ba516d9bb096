/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The targets sidebar: one section per kind of target, each with an empty
 * state that says what to do.  Profiles come from the window, Agents
 * and History (the latest snapshots kept) from the Debug page.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sg-agent-profiles-row.h"
#include "sg-history-snapshot.h"
#include "sg-sidebar.h"

/* Agent profiles shown before "Show All": a continuous ring holds up to 60,
 * which would push History out of reach. */
#define AGENT_PROFILES_SHOWN 8

struct _SgSidebar
{
  GtkWidget       parent_instance;

  GListModel     *profiles;
  GListModel     *loading;
  gboolean        folded;
  /* Set while selecting from code: only the user's choice is signalled. */
  gboolean        selecting;

  /* Template widgets */
  AdwSplitButton *open_button;
  GtkListBox     *loading_list;
  GtkListBox     *profiles_list;
  GtkWidget      *profiles_empty;
  GtkListBox     *agents_list;
  GtkWidget      *agents_empty;
  GListModel     *agents;
  GtkListBox     *history_list;
  GtkWidget      *history_empty;
  GListModel     *history;
  GtkButton      *record_button;
  GtkListBox     *agent_profiles_list;
  GtkButton      *agent_profiles_more;
  GtkWidget      *agent_profiles_empty;
  GtkLabel       *agent_profiles_empty_title;
  GtkLabel       *agent_profiles_empty_text;
  SgAgentProfiles *agent_profiles;
  GtkSliceListModel *agent_profiles_shown;
};

G_DEFINE_FINAL_TYPE (SgSidebar, sg_sidebar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

enum {
  PROFILE_SELECTED,
  PROFILE_ACTIVATED,
  PROFILE_CLOSE_REQUESTED,
  LOAD_CANCEL_REQUESTED,
  AGENT_ACTIVATED,
  SNAPSHOT_ACTIVATED,
  AGENT_PROFILE_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
on_close_clicked (GtkButton *button,
                  SgSidebar *self)
{
  SgProfileFile *profile = g_object_get_data (G_OBJECT (button), "sg-profile");

  g_signal_emit (self, signals[PROFILE_CLOSE_REQUESTED], 0, profile);
}

static gboolean
unparent_menu_idle (gpointer data)
{
  GtkWidget *popover = data;

  gtk_widget_unparent (popover);
  g_object_unref (popover);
  return G_SOURCE_REMOVE;
}

static void
on_profile_menu_closed (GtkPopover *popover)
{
  /* The chosen item's action runs as the menu closes: unparent after. */
  g_idle_add (unparent_menu_idle, g_object_ref (popover));
}

/* A profile row's context menu: "Compare With…" (the window's action, with
 * the profile's URI) and "Close". */
static void
popup_profile_menu (GtkWidget *row,
                    double     x,
                    double     y)
{
  SgProfileFile *profile = g_object_get_data (G_OBJECT (row), "sg-profile");
  g_autofree char *uri = g_file_get_uri (sg_profile_file_get_file (profile));
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) compare = g_menu_item_new (_("_Compare With…"), NULL);
  GtkWidget *popover;

  /* A popover needs its row on screen to point at. */
  if (!gtk_widget_get_mapped (row))
    return;
  g_menu_item_set_action_and_target_value (compare, "win.compare-with", g_variant_new_string (uri));
  g_menu_append_item (menu, compare);
  popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_widget_set_parent (popover, row);
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  g_signal_connect (popover, "closed", G_CALLBACK (on_profile_menu_closed), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void
on_profile_row_pressed (GtkGestureClick *gesture,
                        int              n_press,
                        double           x,
                        double           y)
{
  popup_profile_menu (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture)), x, y);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_profile_row_long_pressed (GtkGestureLongPress *gesture,
                             double               x,
                             double               y)
{
  popup_profile_menu (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture)), x, y);
}

static gboolean
on_profile_row_menu_key (GtkWidget *row,
                         GVariant  *args,
                         gpointer   user_data)
{
  popup_profile_menu (row, gtk_widget_get_width (row) / 2.0, gtk_widget_get_height (row) / 2.0);
  return TRUE;
}

static GtkWidget *
create_profile_row (gpointer item,
                    gpointer user_data)
{
  SgSidebar *self = user_data;
  SgProfileFile *profile = item;
  g_autofree char *format = sg_profile_file_dup_format_label (profile);
  g_autofree char *tooltip = g_file_get_parse_name (sg_profile_file_get_file (profile));
  GtkWidget *row, *box, *labels, *name, *subtitle, *icon, *close;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);

  icon = gtk_image_new_from_icon_name ("sg-flame-symbolic");
  gtk_box_append (GTK_BOX (box), icon);

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  name = gtk_label_new (sg_profile_file_get_display_name (profile));
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  subtitle = gtk_label_new (format);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (labels), name);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (box), labels);

  close = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_valign (close, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (close, _("Close Profile"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (close),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Close Profile"),
                                  -1);
  gtk_widget_add_css_class (close, "flat");
  gtk_widget_add_css_class (close, "circular");
  gtk_widget_add_css_class (close, "sidebar-close");
  g_object_set_data_full (G_OBJECT (close), "sg-profile", g_object_ref (profile), g_object_unref);
  g_signal_connect_object (close, "clicked", G_CALLBACK (on_close_clicked), self, 0);
  gtk_box_append (GTK_BOX (box), close);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, tooltip);
  g_object_set_data_full (G_OBJECT (row), "sg-profile", g_object_ref (profile), g_object_unref);
  {
    GtkGesture *click = gtk_gesture_click_new ();
    GtkGesture *press = gtk_gesture_long_press_new ();
    GtkEventController *keys = gtk_shortcut_controller_new ();
    GtkShortcutAction *action = gtk_callback_action_new (on_profile_row_menu_key, NULL, NULL);

    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
    g_signal_connect (click, "pressed", G_CALLBACK (on_profile_row_pressed), NULL);
    gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
    gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (press), TRUE);
    g_signal_connect (press, "pressed", G_CALLBACK (on_profile_row_long_pressed), NULL);
    gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (press));
    /* The keyboard's way to a context menu. */
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
      gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_F10, GDK_SHIFT_MASK),
                                                     gtk_keyval_trigger_new (GDK_KEY_Menu, 0)),
                        action));
    gtk_widget_add_controller (row, keys);
  }
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  sg_profile_file_get_display_name (profile),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, format,
                                  -1);
  return row;
}

static void
on_stop_clicked (GtkButton *button,
                 SgSidebar *self)
{
  GFile *file = g_object_get_data (G_OBJECT (button), "sg-file");

  g_signal_emit (self, signals[LOAD_CANCEL_REQUESTED], 0, file);
}

/* A file being read: its name, a spinner and a way to stop. */
static GtkWidget *
create_loading_row (gpointer item,
                    gpointer user_data)
{
  SgSidebar *self = user_data;
  GFile *file = item;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *display = g_filename_display_name (name);
  g_autofree char *tooltip = g_file_get_parse_name (file);
  /* A profile fetched from an agent has a name of its own, and is not read. */
  const char *title_text = g_object_get_data (G_OBJECT (file), "sg-loading-title");
  const char *subtitle_text = g_object_get_data (G_OBJECT (file), "sg-loading-subtitle");
  GtkWidget *row, *box, *labels, *title, *subtitle, *spinner, *stop;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);

  spinner = gtk_spinner_new ();
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_box_append (GTK_BOX (box), spinner);

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  title = gtk_label_new (title_text ? title_text : display);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  subtitle = gtk_label_new (subtitle_text ? subtitle_text : _("Reading…"));
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (box), labels);

  /* Always visible, unlike a profile's close button: it is the only
   * thing to do with this row. */
  stop = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_valign (stop, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (stop, _("Stop Reading"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (stop),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Stop Reading"),
                                  -1);
  gtk_widget_add_css_class (stop, "flat");
  gtk_widget_add_css_class (stop, "circular");
  gtk_widget_add_css_class (stop, "sidebar-stop");
  g_object_set_data_full (G_OBJECT (stop), "sg-file", g_object_ref (file), g_object_unref);
  g_signal_connect_object (stop, "clicked", G_CALLBACK (on_stop_clicked), self, 0);
  gtk_box_append (GTK_BOX (box), stop);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, tooltip);
  return row;
}

static void
update_empty_states (SgSidebar *self)
{
  gboolean has_profiles = self->profiles != NULL && g_list_model_get_n_items (self->profiles) > 0;
  gboolean has_loading = self->loading != NULL && g_list_model_get_n_items (self->loading) > 0;

  gtk_widget_set_visible (GTK_WIDGET (self->profiles_list), has_profiles);
  gtk_widget_set_visible (GTK_WIDGET (self->loading_list), has_loading);
  gtk_widget_set_visible (self->profiles_empty, !has_profiles && !has_loading);
}

/* Selection (arrow keys, or GtkListBox moving it when a row goes away)
 * shows that profile; activation (click, Enter) also asks to go to the
 * page, which matters in a folded window. */
static void
on_profile_row_selected (SgSidebar     *self,
                         GtkListBoxRow *row,
                         GtkListBox    *list)
{
  SgProfileFile *profile;

  if (row == NULL || self->selecting)
    return;
  profile = g_object_get_data (G_OBJECT (row), "sg-profile");
  g_signal_emit (self, signals[PROFILE_SELECTED], 0, profile);
}

static void
on_profile_row_activated (SgSidebar     *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  SgProfileFile *profile = g_object_get_data (G_OBJECT (row), "sg-profile");

  g_signal_emit (self, signals[PROFILE_ACTIVATED], 0, profile);
}

static void
on_agent_row_activated (SgSidebar     *self,
                        GtkListBoxRow *row,
                        GtkListBox    *list)
{
  g_autoptr(GObject) agent = NULL;

  if (self->agents == NULL)
    return;
  agent = g_list_model_get_item (self->agents, gtk_list_box_row_get_index (row));
  if (agent != NULL)
    g_signal_emit (self, signals[AGENT_ACTIVATED], 0, agent);
}

/* One kept snapshot: where it was taken, then by which service and when. */
static GtkWidget *
create_history_row (gpointer item,
                    gpointer user_data)
{
  SgHistorySnapshot *hs = item;
  SgBreakpoint *bp = sg_history_snapshot_get_breakpoint (hs);
  GDateTime *when = sg_breakpoint_get_final_time (bp) ?: sg_history_snapshot_get_stored_at (hs);
  g_autoptr(GDateTime) local = g_date_time_to_local (when);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *base = g_path_get_basename (sg_breakpoint_get_path (bp));
  g_autofree char *location = NULL;
  g_autofree char *time = NULL;
  g_autofree char *details = NULL;
  g_autofree char *tooltip = NULL;
  const char *agent = sg_history_snapshot_get_agent_label (hs) ?: _("an agent");
  GtkWidget *row, *box, *labels, *title, *subtitle, *icon;

  /* Today's snapshots by time only; older ones with their date. */
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    time = g_date_time_format (local, "%X");
  else
    time = g_date_time_format (local, "%x %X");
  /* TRANSLATORS: file:line of a snapshot, e.g. "handlers.py:81" */
  location = g_strdup_printf (_("%s:%u"), base, sg_breakpoint_get_line (bp));
  /* When first: the service's name can be long and is ellipsized. */
  /* TRANSLATORS: when a snapshot was taken, then the service, e.g. "10:00:01 · shop (127.0.0.1:7878)" */
  details = g_strdup_printf (_("%s · %s"), time, agent);
  /* TRANSLATORS: a snapshot's full path and line, the service and when, e.g. "examples/shop/handlers.py:81 on shop (127.0.0.1:7878), 10:00:01" */
  tooltip = g_strdup_printf (_("%s:%u on %s, %s"), sg_breakpoint_get_path (bp), sg_breakpoint_get_line (bp), agent, time);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  icon = gtk_image_new_from_icon_name ("camera-photo-symbolic");
  gtk_box_append (GTK_BOX (box), icon);

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  title = gtk_label_new (location);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  subtitle = gtk_label_new (details);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (box), labels);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, tooltip);
  g_object_set_data_full (G_OBJECT (row), "sg-snapshot", g_object_ref (hs), g_object_unref);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, location,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, details,
                                  -1);
  return row;
}

static void
on_history_row_activated (SgSidebar     *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  SgHistorySnapshot *hs = g_object_get_data (G_OBJECT (row), "sg-snapshot");

  if (hs != NULL)
    g_signal_emit (self, signals[SNAPSHOT_ACTIVATED], 0, hs);
}

static void
update_history_empty (SgSidebar *self)
{
  gboolean has_history = self->history != NULL && g_list_model_get_n_items (self->history) > 0;

  gtk_widget_set_visible (GTK_WIDGET (self->history_list), has_history);
  gtk_widget_set_visible (self->history_empty, !has_history);
}

static GtkWidget *
create_agent_profile_row (gpointer item,
                          gpointer user_data)
{
  SgSidebar *self = user_data;

  return sg_agent_profiles_row_new (sg_agent_profiles_get_agent (self->agent_profiles), item);
}

static void
on_agent_profile_row_activated (SgSidebar     *self,
                                GtkListBoxRow *row,
                                GtkListBox    *list)
{
  if (SG_IS_AGENT_PROFILES_ROW (row))
    g_signal_emit (self, signals[AGENT_PROFILE_ACTIVATED], 0,
                   sg_agent_profiles_row_get_info (SG_AGENT_PROFILES_ROW (row)));
}

static void
on_agent_profiles_more_clicked (SgSidebar *self)
{
  gtk_slice_list_model_set_size (self->agent_profiles_shown,
                                 gtk_slice_list_model_get_size (self->agent_profiles_shown) > AGENT_PROFILES_SHOWN
                                   ? AGENT_PROFILES_SHOWN : G_MAXUINT);
}

/* The list, "Show All" and the empty state, which says what is missing:
 * an agent, a listing that worked, or any profile at all. */
static void
update_agent_profiles (SgSidebar *self)
{
  GListModel *all;
  guint n, size;
  const char *error;

  if (self->agent_profiles == NULL)
    return;
  all = sg_agent_profiles_get_profiles (self->agent_profiles);
  n = g_list_model_get_n_items (all);
  size = gtk_slice_list_model_get_size (self->agent_profiles_shown);
  error = sg_agent_profiles_get_error (self->agent_profiles);

  gtk_widget_set_visible (GTK_WIDGET (self->agent_profiles_list), n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->agent_profiles_more), n > AGENT_PROFILES_SHOWN);
  if (n > AGENT_PROFILES_SHOWN)
    {
      g_autofree char *label = NULL;

      if (size > AGENT_PROFILES_SHOWN)
        label = g_strdup (_("Show Fewer"));
      else
        /* TRANSLATORS: a button under the agent's newest profiles */
        label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Show All %u Profile", "Show All %u Profiles", n), n);
      gtk_button_set_label (self->agent_profiles_more, label);
    }

  gtk_widget_set_visible (self->agent_profiles_empty, n == 0 || error != NULL);
  if (sg_agent_profiles_get_agent (self->agent_profiles) == NULL)
    {
      gtk_label_set_text (self->agent_profiles_empty_title, _("No agent chosen"));
      gtk_label_set_text (self->agent_profiles_empty_text,
                          _("The profiles of the Debug page’s agent are listed here: those it records every minute and those you record."));
    }
  else if (error != NULL)
    {
      gtk_label_set_text (self->agent_profiles_empty_title, _("Could not list the agent’s profiles"));
      gtk_label_set_text (self->agent_profiles_empty_text, error);
    }
  else
    {
      gtk_label_set_text (self->agent_profiles_empty_title, _("No profiles yet"));
      gtk_label_set_text (self->agent_profiles_empty_text,
                          _("Record one with Ctrl+R. An agent with continuous profiling also records one every minute."));
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->record_button),
                               sg_agent_profiles_get_record_hint (self->agent_profiles) ?: _("Record Profile…"));
}

static void
on_agent_profiles_agent_changed (SgSidebar *self)
{
  /* Rows show the agent's name: build them again for the new agent. */
  gtk_list_box_bind_model (self->agent_profiles_list, G_LIST_MODEL (self->agent_profiles_shown),
                           create_agent_profile_row, self, NULL);
  update_agent_profiles (self);
}

static void
sg_sidebar_dispose (GObject *object)
{
  SgSidebar *self = (SgSidebar *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), SG_TYPE_SIDEBAR);
  /* dispose_template() only unparents bound children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->profiles);
  g_clear_object (&self->agents);
  g_clear_object (&self->history);
  g_clear_object (&self->loading);
  g_clear_object (&self->agent_profiles_shown);
  g_clear_object (&self->agent_profiles);

  G_OBJECT_CLASS (sg_sidebar_parent_class)->dispose (object);
}

static void
sg_sidebar_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SgSidebar *self = SG_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_sidebar_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SgSidebar *self = SG_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_FOLDED:
      if (self->folded != g_value_get_boolean (value))
        {
          self->folded = g_value_get_boolean (value);
          /* Folded, a row is a way into the page: no lasting highlight. */
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_sidebar_class_init (SgSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_sidebar_dispose;
  object_class->get_property = sg_sidebar_get_property;
  object_class->set_property = sg_sidebar_set_property;

  /* Whether the sidebar is shown alone (narrow window): its header bar
   * then carries the window buttons. */
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PROFILE_SELECTED] =
    g_signal_new ("profile-selected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, SG_TYPE_PROFILE_FILE);
  signals[PROFILE_ACTIVATED] =
    g_signal_new ("profile-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, SG_TYPE_PROFILE_FILE);
  signals[PROFILE_CLOSE_REQUESTED] =
    g_signal_new ("profile-close-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, SG_TYPE_PROFILE_FILE);
  signals[LOAD_CANCEL_REQUESTED] =
    g_signal_new ("load-cancel-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_FILE);
  /* An agent's row was clicked (or Enter): the agent is the item of the
   * model given to sg_sidebar_set_agents(). */
  signals[AGENT_ACTIVATED] =
    g_signal_new ("agent-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_OBJECT);
  /* A snapshot under History was clicked (or Enter). */
  signals[SNAPSHOT_ACTIVATED] =
    g_signal_new ("snapshot-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, SG_TYPE_HISTORY_SNAPSHOT);
  /* One of the agent's profiles (an #SgAgentProfileInfo) was clicked (or Enter). */
  signals[AGENT_PROFILE_ACTIVATED] =
    g_signal_new ("agent-profile-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, SG_TYPE_AGENT_PROFILE_INFO);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/spyglass/Spyglass/ui/sg-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, SgSidebar, open_button);
  gtk_widget_class_bind_template_child (widget_class, SgSidebar, loading_list);
  gtk_widget_class_bind_template_child (widget_class, SgSidebar, profiles_list);
  gtk_widget_class_bind_template_child (widget_class, SgSidebar, profiles_empty);
  gtk_widget_class_bind_template_child (widget_class, SgSidebar, agents_list);
  gtk_widget_class_bind_template_child (widget_class, SgSidebar, agents_empty);
  gtk_widget_class_bind_template_child (widget_class, SgSidebar, history_list);
  gtk_widget_class_bind_template_child (widget_class, SgSidebar, history_empty);
  gtk_widget_class_bind_template_callback (widget_class, on_profile_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_profile_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_agent_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_history_row_activated);
  gtk_widget_class_bind_template_child (widget_class, SgSidebar, record_button);
  gtk_widget_class_bind_template_child (widget_class, SgSidebar, agent_profiles_list);
  gtk_widget_class_bind_template_child (widget_class, SgSidebar, agent_profiles_more);
  gtk_widget_class_bind_template_child (widget_class, SgSidebar, agent_profiles_empty);
  gtk_widget_class_bind_template_child (widget_class, SgSidebar, agent_profiles_empty_title);
  gtk_widget_class_bind_template_child (widget_class, SgSidebar, agent_profiles_empty_text);
  gtk_widget_class_bind_template_callback (widget_class, on_agent_profile_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_agent_profiles_more_clicked);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sgsidebar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sg_sidebar_init (SgSidebar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
update_agents_empty (SgSidebar *self)
{
  gboolean has_agents = self->agents != NULL && g_list_model_get_n_items (self->agents) > 0;

  gtk_widget_set_visible (GTK_WIDGET (self->agents_list), has_agents);
  gtk_widget_set_visible (self->agents_empty, !has_agents);
}

/**
 * sg_sidebar_set_agents:
 * @agents: a #GListModel of agents (the Debug page's)
 * @create_row: makes the row of one agent
 *
 * Lists @agents under Agents (rows come from the Debug page's code).
 */
void
sg_sidebar_set_agents (SgSidebar                  *self,
                       GListModel                 *agents,
                       GtkListBoxCreateWidgetFunc  create_row)
{
  g_return_if_fail (SG_IS_SIDEBAR (self));

  if (self->agents != NULL)
    g_signal_handlers_disconnect_by_func (self->agents, update_agents_empty, self);
  g_set_object (&self->agents, agents);
  gtk_list_box_bind_model (self->agents_list, agents, create_row, NULL, NULL);
  if (agents != NULL)
    g_signal_connect_object (agents, "items-changed", G_CALLBACK (update_agents_empty), self, G_CONNECT_SWAPPED);
  update_agents_empty (self);
}

/**
 * sg_sidebar_set_profiles:
 * @profiles: a #GListModel of #SgProfileFile
 *
 * Lists @profiles under Profiles, keeping the rows in step with the model.
 */
void
sg_sidebar_set_profiles (SgSidebar  *self,
                         GListModel *profiles)
{
  g_return_if_fail (SG_IS_SIDEBAR (self));
  g_return_if_fail (G_IS_LIST_MODEL (profiles));

  if (self->profiles != NULL)
    g_signal_handlers_disconnect_by_func (self->profiles, update_empty_states, self);
  g_set_object (&self->profiles, profiles);
  gtk_list_box_bind_model (self->profiles_list, profiles, create_profile_row, self, NULL);
  g_signal_connect_object (profiles, "items-changed", G_CALLBACK (update_empty_states), self,
                           G_CONNECT_SWAPPED);
  update_empty_states (self);
}

/* Selects @profile's row without emitting ::profile-selected. */
void
sg_sidebar_select_profile (SgSidebar     *self,
                           SgProfileFile *profile)
{
  guint position;

  g_return_if_fail (SG_IS_SIDEBAR (self));
  g_return_if_fail (SG_IS_PROFILE_FILE (profile));

  if (self->profiles == NULL)
    return;

  for (position = 0; position < g_list_model_get_n_items (self->profiles); position++)
    {
      g_autoptr(SgProfileFile) item = g_list_model_get_item (self->profiles, position);

      if (item == profile)
        {
          GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->profiles_list, position);

          self->selecting = TRUE;
          gtk_list_box_select_row (self->profiles_list, row);
          self->selecting = FALSE;
          return;
        }
    }
}

/**
 * sg_sidebar_set_loading:
 * @loading: a #GListModel of #GFile: the files being read
 *
 * Lists files being read under Profiles, each with a way to stop it
 * (::load-cancel-requested); a file's profile row replaces it when done.
 */
void
sg_sidebar_set_loading (SgSidebar  *self,
                        GListModel *loading)
{
  g_return_if_fail (SG_IS_SIDEBAR (self));
  g_return_if_fail (G_IS_LIST_MODEL (loading));

  if (self->loading != NULL)
    g_signal_handlers_disconnect_by_func (self->loading, update_empty_states, self);
  g_set_object (&self->loading, loading);
  gtk_list_box_bind_model (self->loading_list, loading, create_loading_row, self, NULL);
  g_signal_connect_object (loading, "items-changed", G_CALLBACK (update_empty_states), self,
                           G_CONNECT_SWAPPED);
  update_empty_states (self);
}

/**
 * sg_sidebar_set_history:
 * @snapshots: (nullable): a #GListModel of #SgHistorySnapshot, newest first
 *
 * Lists @snapshots under History; activating one emits ::snapshot-activated.
 */
void
sg_sidebar_set_history (SgSidebar  *self,
                        GListModel *snapshots)
{
  g_return_if_fail (SG_IS_SIDEBAR (self));

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, update_history_empty, self);
  g_set_object (&self->history, snapshots);
  gtk_list_box_bind_model (self->history_list, snapshots, create_history_row, self, NULL);
  if (snapshots != NULL)
    g_signal_connect_object (snapshots, "items-changed", G_CALLBACK (update_history_empty), self, G_CONNECT_SWAPPED);
  update_history_empty (self);
}

/* The menu of the Open button's arrow: recently opened files. */
void
sg_sidebar_set_recent_menu (SgSidebar  *self,
                            GMenuModel *menu)
{
  g_return_if_fail (SG_IS_SIDEBAR (self));

  adw_split_button_set_menu_model (self->open_button, menu);
}

/**
 * sg_sidebar_set_agent_profiles:
 * @profiles: the current agent's profiles
 *
 * Lists @profiles under Agent Profiles, newest first (the first few, then
 * “Show All”); activating one emits ::agent-profile-activated.
 */
void
sg_sidebar_set_agent_profiles (SgSidebar       *self,
                               SgAgentProfiles *profiles)
{
  g_return_if_fail (SG_IS_SIDEBAR (self));
  g_return_if_fail (SG_IS_AGENT_PROFILES (profiles));

  if (self->agent_profiles != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->agent_profiles, self);
      g_signal_handlers_disconnect_by_data (sg_agent_profiles_get_profiles (self->agent_profiles), self);
    }
  if (self->agent_profiles_shown != NULL)
    g_signal_handlers_disconnect_by_data (self->agent_profiles_shown, self);
  g_set_object (&self->agent_profiles, profiles);
  g_clear_object (&self->agent_profiles_shown);
  self->agent_profiles_shown = gtk_slice_list_model_new (g_object_ref (sg_agent_profiles_get_profiles (profiles)),
                                                         0, AGENT_PROFILES_SHOWN);
  /* The whole list too: a profile past the first few changes "Show All". */
  g_signal_connect_object (sg_agent_profiles_get_profiles (profiles), "items-changed", G_CALLBACK (update_agent_profiles), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->agent_profiles_shown, "items-changed", G_CALLBACK (update_agent_profiles), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->agent_profiles_shown, "notify::size", G_CALLBACK (update_agent_profiles), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (profiles, "notify::agent", G_CALLBACK (on_agent_profiles_agent_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (profiles, "notify::error", G_CALLBACK (update_agent_profiles), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (profiles, "notify::record-hint", G_CALLBACK (update_agent_profiles), self, G_CONNECT_SWAPPED);
  on_agent_profiles_agent_changed (self);
}
