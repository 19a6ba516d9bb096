/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The profiles one agent holds (its continuous ring and the recordings
 * asked of it), newest first, kept up to date from the agent's
 * profile_ready events.  The window points it at the Debug page's current
 * agent; the sidebar lists the model.  It also says whether a recording can
 * be started now and, when not, why, for the Record Profile action.
 *
 * Fetching turns a listed profile into an SgProfileFile exactly like an
 * opened file: the bytes go through sg_profile_file_load_bytes_async(), so
 * the Profile page, Save As and the sidebar see no difference.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sg-agent-profiles.h"

struct _SgAgentProfiles
{
  GObject        parent_instance;

  SgAgentClient *agent;
  GListStore    *profiles;
  GCancellable  *cancellable;
  char          *error;
  char          *record_hint;
  gboolean       can_record;
  gboolean       refreshing;
  /* An event arrived while a list was on its way: list again after it. */
  gboolean       refresh_again;
};

G_DEFINE_FINAL_TYPE (SgAgentProfiles, sg_agent_profiles, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AGENT,
  PROP_CAN_RECORD,
  PROP_RECORD_HINT,
  PROP_REFRESHING,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_done (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data);

static gboolean
has_capability (SgAgentInfo *info,
                const char  *capability)
{
  const char * const *caps = info ? sg_agent_info_get_capabilities (info) : NULL;

  /* An agent that does not list capabilities is not refused up front: the
   * request itself will say what is wrong. */
  return caps == NULL || g_strv_contains (caps, capability);
}

static void
set_refreshing (SgAgentProfiles *self,
                gboolean         refreshing)
{
  if (self->refreshing == refreshing)
    return;
  self->refreshing = refreshing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESHING]);
}

static void
set_error (SgAgentProfiles *self,
           const char      *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
update_can_record (SgAgentProfiles *self)
{
  g_autofree char *hint = NULL;
  gboolean can_record = FALSE;

  if (self->agent == NULL)
    hint = g_strdup (_("Connect to an agent on the Debug page to record a profile"));
  else if (sg_agent_client_get_state (self->agent) != SG_AGENT_STATE_CONNECTED)
    {
      g_autofree char *name = sg_agent_client_dup_display_name (self->agent);
      /* TRANSLATORS: %s is an agent's name, e.g. "shop (127.0.0.1:7878)" */
      hint = g_strdup_printf (_("%s is not connected"), name);
    }
  else if (!has_capability (sg_agent_client_get_info (self->agent), "profiles"))
    hint = g_strdup (_("This agent runs with profiling switched off"));
  else
    can_record = TRUE;

  if (self->can_record != can_record)
    {
      self->can_record = can_record;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_RECORD]);
    }
  if (g_strcmp0 (self->record_hint, hint) != 0)
    {
      g_free (self->record_hint);
      self->record_hint = g_steal_pointer (&hint);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD_HINT]);
    }
}

/* Newest first; recordings under way (no start yet) above everything. */
static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  SgAgentProfileInfo *pa = *(SgAgentProfileInfo **) a;
  SgAgentProfileInfo *pb = *(SgAgentProfileInfo **) b;
  GDateTime *ta = sg_agent_profile_info_get_start (pa);
  GDateTime *tb = sg_agent_profile_info_get_start (pb);

  if (ta == NULL || tb == NULL)
    return (ta == NULL ? 0 : 1) - (tb == NULL ? 0 : 1);
  return g_date_time_compare (tb, ta);
}

/* Whether @list says nothing new: same profiles, same states, same order.
 * Rebuilding the rows then would only lose the keyboard focus. */
static gboolean
same_as_shown (SgAgentProfiles *self,
               GPtrArray       *list)
{
  GListModel *model = G_LIST_MODEL (self->profiles);

  if (g_list_model_get_n_items (model) != list->len)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    {
      g_autoptr(SgAgentProfileInfo) shown = g_list_model_get_item (model, i);
      SgAgentProfileInfo *fresh = g_ptr_array_index (list, i);

      if (g_strcmp0 (sg_agent_profile_info_get_id (shown), sg_agent_profile_info_get_id (fresh)) != 0 ||
          g_strcmp0 (sg_agent_profile_info_get_state (shown), sg_agent_profile_info_get_state (fresh)) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
start_list (SgAgentProfiles *self)
{
  set_refreshing (self, TRUE);
  self->refresh_again = FALSE;
  sg_agent_client_list_profiles_async (self->agent, self->cancellable, list_done, g_object_ref (self));
}

static void
list_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SgAgentProfiles) self = user_data;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  list = sg_agent_client_list_profiles_finish (SG_AGENT_CLIENT (object), result, &error);
  /* Superseded: another agent, or none, is shown now. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || SG_AGENT_CLIENT (object) != self->agent)
    return;

  if (list == NULL)
    {
      set_error (self, error->message);
      set_refreshing (self, FALSE);
      return;
    }
  set_error (self, NULL);
  g_ptr_array_sort (list, compare_newest_first);
  if (!same_as_shown (self, list))
    g_list_store_splice (self->profiles, 0, g_list_model_get_n_items (G_LIST_MODEL (self->profiles)),
                         list->pdata, list->len);

  if (self->refresh_again)
    start_list (self);
  else
    set_refreshing (self, FALSE);
}

static void
on_profile_ready (SgAgentProfiles *self)
{
  sg_agent_profiles_refresh (self);
}

static void
on_state_changed (SgAgentProfiles *self)
{
  update_can_record (self);
  /* Connected (again): what the agent holds may have changed meanwhile. */
  if (self->agent != NULL && sg_agent_client_get_state (self->agent) == SG_AGENT_STATE_CONNECTED)
    sg_agent_profiles_refresh (self);
}

/* A new process at the same address: the old one's profiles are gone. */
static void
on_agent_restarted (SgAgentProfiles *self)
{
  g_list_store_remove_all (self->profiles);
  sg_agent_profiles_refresh (self);
}

static void
sg_agent_profiles_dispose (GObject *object)
{
  SgAgentProfiles *self = SG_AGENT_PROFILES (object);

  sg_agent_profiles_set_agent (self, NULL);

  G_OBJECT_CLASS (sg_agent_profiles_parent_class)->dispose (object);
}

static void
sg_agent_profiles_finalize (GObject *object)
{
  SgAgentProfiles *self = SG_AGENT_PROFILES (object);

  g_clear_object (&self->profiles);
  g_clear_object (&self->cancellable);
  g_free (self->error);
  g_free (self->record_hint);

  G_OBJECT_CLASS (sg_agent_profiles_parent_class)->finalize (object);
}

static void
sg_agent_profiles_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SgAgentProfiles *self = SG_AGENT_PROFILES (object);

  switch (prop_id)
    {
    case PROP_AGENT:
      g_value_set_object (value, self->agent);
      break;

    case PROP_CAN_RECORD:
      g_value_set_boolean (value, self->can_record);
      break;

    case PROP_RECORD_HINT:
      g_value_set_string (value, self->record_hint);
      break;

    case PROP_REFRESHING:
      g_value_set_boolean (value, self->refreshing);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_agent_profiles_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SgAgentProfiles *self = SG_AGENT_PROFILES (object);

  switch (prop_id)
    {
    case PROP_AGENT:
      sg_agent_profiles_set_agent (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_agent_profiles_class_init (SgAgentProfilesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sg_agent_profiles_dispose;
  object_class->finalize = sg_agent_profiles_finalize;
  object_class->get_property = sg_agent_profiles_get_property;
  object_class->set_property = sg_agent_profiles_set_property;

  properties[PROP_AGENT] =
    g_param_spec_object ("agent", NULL, NULL,
                         SG_TYPE_AGENT_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_RECORD] =
    g_param_spec_boolean ("can-record", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Why a recording cannot be started now; NULL when it can. */
  properties[PROP_RECORD_HINT] =
    g_param_spec_string ("record-hint", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFRESHING] =
    g_param_spec_boolean ("refreshing", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Why the last listing failed; NULL when it worked. */
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sg_agent_profiles_init (SgAgentProfiles *self)
{
  self->profiles = g_list_store_new (SG_TYPE_AGENT_PROFILE_INFO);
  update_can_record (self);
}

SgAgentProfiles *
sg_agent_profiles_new (void)
{
  return g_object_new (SG_TYPE_AGENT_PROFILES, NULL);
}

SgAgentClient *
sg_agent_profiles_get_agent (SgAgentProfiles *self)
{
  g_return_val_if_fail (SG_IS_AGENT_PROFILES (self), NULL);

  return self->agent;
}

/**
 * sg_agent_profiles_set_agent:
 * @agent: (nullable): the agent whose profiles to list
 *
 * Lists @agent's profiles (dropping the previous agent's) and follows its
 * profile_ready events and connection state.
 */
void
sg_agent_profiles_set_agent (SgAgentProfiles *self,
                             SgAgentClient   *agent)
{
  g_return_if_fail (SG_IS_AGENT_PROFILES (self));
  g_return_if_fail (!agent || SG_IS_AGENT_CLIENT (agent));

  if (self->agent == agent)
    return;

  if (self->agent != NULL)
    g_signal_handlers_disconnect_by_data (self->agent, self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_set_object (&self->agent, agent);
  g_list_store_remove_all (self->profiles);
  set_error (self, NULL);
  set_refreshing (self, FALSE);

  if (agent != NULL)
    {
      self->cancellable = g_cancellable_new ();
      g_signal_connect_object (agent, "agent-event::profile_ready", G_CALLBACK (on_profile_ready), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (agent, "agent-restarted", G_CALLBACK (on_agent_restarted), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (agent, "notify::state", G_CALLBACK (on_state_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (agent, "notify::info", G_CALLBACK (update_can_record), self, G_CONNECT_SWAPPED);
    }
  update_can_record (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT]);
  sg_agent_profiles_refresh (self);
}

/**
 * sg_agent_profiles_get_profiles:
 *
 * Returns: (transfer none): a #GListModel of #SgAgentProfileInfo, newest first
 */
GListModel *
sg_agent_profiles_get_profiles (SgAgentProfiles *self)
{
  g_return_val_if_fail (SG_IS_AGENT_PROFILES (self), NULL);

  return G_LIST_MODEL (self->profiles);
}

gboolean
sg_agent_profiles_get_can_record (SgAgentProfiles *self)
{
  g_return_val_if_fail (SG_IS_AGENT_PROFILES (self), FALSE);

  return self->can_record;
}

const char *
sg_agent_profiles_get_record_hint (SgAgentProfiles *self)
{
  g_return_val_if_fail (SG_IS_AGENT_PROFILES (self), NULL);

  return self->record_hint;
}

gboolean
sg_agent_profiles_get_refreshing (SgAgentProfiles *self)
{
  g_return_val_if_fail (SG_IS_AGENT_PROFILES (self), FALSE);

  return self->refreshing;
}

const char *
sg_agent_profiles_get_error (SgAgentProfiles *self)
{
  g_return_val_if_fail (SG_IS_AGENT_PROFILES (self), NULL);

  return self->error;
}

/* Lists the agent's profiles again (once connected). */
void
sg_agent_profiles_refresh (SgAgentProfiles *self)
{
  g_return_if_fail (SG_IS_AGENT_PROFILES (self));

  if (self->agent == NULL || sg_agent_client_get_state (self->agent) != SG_AGENT_STATE_CONNECTED)
    return;
  /* Asking would only earn a 404: say why there is nothing instead. */
  if (!has_capability (sg_agent_client_get_info (self->agent), "profiles"))
    {
      set_error (self, _("This agent runs with profiling switched off"));
      return;
    }
  if (self->refreshing)
    {
      self->refresh_again = TRUE;
      return;
    }
  start_list (self);
}

/* "CPU", "Wall", "Heap": a profile's type as the console names it. */
char *
sg_agent_profiles_dup_kind_label (SgAgentProfileInfo *info)
{
  const char *kind;

  g_return_val_if_fail (SG_IS_AGENT_PROFILE_INFO (info), NULL);

  kind = sg_agent_profile_info_get_kind (info);
  if (g_strcmp0 (kind, "cpu") == 0)
    return g_strdup (_("CPU"));
  if (g_strcmp0 (kind, "wall") == 0)
    return g_strdup (_("Wall"));
  if (g_strcmp0 (kind, "heap") == 0)
    return g_strdup (_("Heap"));
  return g_strdup (kind != NULL ? kind : "?");
}

/* "shop 1.4.2": the agent's service and version, or its address before
 * it has said who it is. */
char *
sg_agent_profiles_dup_service_label (SgAgentClient *agent)
{
  SgAgentInfo *info;
  const char *version;

  g_return_val_if_fail (SG_IS_AGENT_CLIENT (agent), NULL);

  info = sg_agent_client_get_info (agent);
  if (info == NULL || sg_agent_info_get_service (info) == NULL)
    return g_strdup (sg_agent_client_get_address (agent));
  version = sg_agent_info_get_version (info);
  if (version != NULL && version[0] != '\0')
    return g_strdup_printf ("%s %s", sg_agent_info_get_service (info), version);
  return g_strdup (sg_agent_info_get_service (info));
}

/* A profile's start in local time: today's by time only, older ones with
 * their date. */
char *
sg_agent_profiles_dup_time_label (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  local = g_date_time_to_local (time);
  now = g_date_time_new_now_local ();
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%X");
  return g_date_time_format (local, "%x %X");
}

/**
 * sg_agent_profiles_dup_title:
 * @agent: the agent that holds @info
 * @info: one of its profiles
 *
 * Returns: (transfer full): what to call the profile once opened, e.g.
 *   “Wall · 02:45:01 · shop 1.4.2”: the type, the start (with the date
 *   unless it is today's), the service and its version; the type and time
 *   come first because a narrow sidebar ellipsizes the middle
 */
char *
sg_agent_profiles_dup_title (SgAgentClient      *agent,
                             SgAgentProfileInfo *info)
{
  g_autofree char *kind = NULL;
  g_autofree char *service = NULL;

  g_return_val_if_fail (SG_IS_AGENT_CLIENT (agent), NULL);
  g_return_val_if_fail (SG_IS_AGENT_PROFILE_INFO (info), NULL);

  kind = sg_agent_profiles_dup_kind_label (info);
  service = sg_agent_profiles_dup_service_label (agent);
  if (sg_agent_profile_info_get_start (info) != NULL)
    {
      g_autofree char *when = sg_agent_profiles_dup_time_label (sg_agent_profile_info_get_start (info));

      /* TRANSLATORS: an agent's profile: type, start time, then service and
       * version, e.g. "Wall · 02:45:01 · shop 1.4.2" */
      return g_strdup_printf (_("%s · %s · %s"), kind, when, service);
    }
  /* TRANSLATORS: an agent's profile not started yet: type, then service and version */
  return g_strdup_printf (_("%s · %s"), kind, service);
}

/**
 * sg_agent_profiles_dup_file:
 *
 * Returns: (transfer full): the profile's own URL on @agent, as a #GFile
 *   (never read: the profile is fetched through the client).  It tells
 *   opened profiles apart, one fetched twice being the same, and says
 *   where it came from.
 */
GFile *
sg_agent_profiles_dup_file (SgAgentClient      *agent,
                            SgAgentProfileInfo *info)
{
  g_autofree char *escaped = NULL;
  g_autofree char *uri = NULL;

  g_return_val_if_fail (SG_IS_AGENT_CLIENT (agent), NULL);
  g_return_val_if_fail (SG_IS_AGENT_PROFILE_INFO (info), NULL);

  escaped = g_uri_escape_string (sg_agent_profile_info_get_id (info), NULL, FALSE);
  uri = g_strconcat (sg_agent_client_get_address (agent), "/v1/profiles/", escaped, NULL);
  return g_file_new_for_uri (uri);
}

typedef struct
{
  SgAgentClient      *agent;
  SgAgentProfileInfo *info;
  char               *title;
} Fetch;

static void
fetch_free (gpointer data)
{
  Fetch *fetch = data;

  g_clear_object (&fetch->agent);
  g_clear_object (&fetch->info);
  g_free (fetch->title);
  g_free (fetch);
}

static void
fetch_parsed (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SgProfileFile *profile = sg_profile_file_load_finish (result, &error);

  if (profile == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, profile, g_object_unref);
}

static void
fetch_received (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GFile) file = NULL;

  bytes = sg_agent_client_fetch_profile_finish (SG_AGENT_CLIENT (object), result, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, error->domain, error->code,
                                 /* TRANSLATORS: a profile's title, then why it could not be fetched */
                                 _("Could not fetch “%s”: %s"), fetch->title, error->message);
      return;
    }

  file = sg_agent_profiles_dup_file (fetch->agent, fetch->info);
  sg_profile_file_load_bytes_async (file, bytes, fetch->title, g_task_get_cancellable (task),
                                    fetch_parsed, g_object_ref (task));
}

/**
 * sg_agent_profiles_fetch_async:
 * @agent: the agent that holds @info
 * @info: a profile it listed
 * @cancellable: (nullable): stops the download
 * @callback: called when the profile is here (or could not be fetched)
 * @user_data: data for @callback
 *
 * Downloads @info's profile (gzipped pprof) and recognises it like an
 * opened file, titled by sg_agent_profiles_dup_title().
 */
void
sg_agent_profiles_fetch_async (SgAgentClient       *agent,
                               SgAgentProfileInfo  *info,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Fetch *fetch;

  g_return_if_fail (SG_IS_AGENT_CLIENT (agent));
  g_return_if_fail (SG_IS_AGENT_PROFILE_INFO (info));

  fetch = g_new0 (Fetch, 1);
  fetch->agent = g_object_ref (agent);
  fetch->info = g_object_ref (info);
  fetch->title = sg_agent_profiles_dup_title (agent, info);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sg_agent_profiles_fetch_async);
  g_task_set_task_data (task, fetch, fetch_free);
  sg_agent_client_fetch_profile_async (agent, sg_agent_profile_info_get_id (info), cancellable,
                                       fetch_received, g_steal_pointer (&task));
}

/**
 * sg_agent_profiles_fetch_finish:
 *
 * Returns: (transfer full): the fetched profile, or %NULL with @error set
 *   to a message that names the profile and says why
 */
SgProfileFile *
sg_agent_profiles_fetch_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
