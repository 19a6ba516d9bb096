/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Where the agents live for the console: one SgAgentClient per agent, the
 * models the Debug page shows, and the bookkeeping around them (history,
 * remembered connections, programs started with "Run Python program").
 * It holds no widgets, so the page and the sidebar can both watch it. */

#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "sg-debug-agents.h"
#include "sg-debug-keyring.h"
#include "sg-debug-launch.h"

#ifndef SG_AGENT_SOURCE_DIR
#define SG_AGENT_SOURCE_DIR ""
#endif

/* How long a program's agent may take to listen: the agent starts before
 * the program's own code, so this covers a slow interpreter start. */
#define LAUNCH_TIMEOUT_MS (30 * 1000)

struct _SgDebugAgents
{
  GObject        parent_instance;

  GSettings     *settings;
  SgHistory     *history;
  GListStore    *clients;
  GHashTable    *breakpoints;  /* SgAgentClient* -> GListStore of SgBreakpoint */
  GListStore    *snapshots;    /* SgHistorySnapshot, newest first */
  GPtrArray     *launches;     /* SgDebugLaunch of programs started by run_python */
  GCancellable  *cancellable;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SgDebugAgents, sg_debug_agents, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  LOG_ENTRY,
  SNAPSHOT_CAPTURED,
  BREAKPOINTS_CHANGED,
  PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
get_item_type (GListModel *model)
{
  return SG_TYPE_AGENT_CLIENT;
}

static guint
get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (SG_DEBUG_AGENTS (model)->clients));
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  return g_list_model_get_item (G_LIST_MODEL (SG_DEBUG_AGENTS (model)->clients), position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static const char *
agent_id (SgAgentClient *client)
{
  SgAgentInfo *info = sg_agent_client_get_info (client);

  return info ? sg_agent_info_get_id (info) : sg_agent_client_get_address (client);
}

/**
 * sg_debug_agents_snapshot_is_from:
 *
 * Whether @snapshot was taken by @client's service: the same agent, or the
 * same service at the same address in an earlier run (the agent id is new
 * in each process, the label "service (host:port)" is not).  Only then can
 * @client be asked for the snapshot's source files.
 */
gboolean
sg_debug_agents_snapshot_is_from (SgHistorySnapshot *snapshot,
                                  SgAgentClient     *client)
{
  g_autofree char *label = NULL;

  g_return_val_if_fail (SG_IS_HISTORY_SNAPSHOT (snapshot), FALSE);

  if (client == NULL)
    return FALSE;
  if (g_strcmp0 (sg_history_snapshot_get_agent_id (snapshot), agent_id (client)) == 0)
    return TRUE;
  if (sg_agent_client_get_info (client) == NULL)
    return FALSE;
  label = sg_agent_client_dup_display_name (client);
  return g_strcmp0 (sg_history_snapshot_get_agent_label (snapshot), label) == 0;
}

static GListStore *
store_for (SgDebugAgents *self,
           SgAgentClient *client)
{
  GListStore *store = g_hash_table_lookup (self->breakpoints, client);

  if (store == NULL)
    {
      store = g_list_store_new (SG_TYPE_BREAKPOINT);
      g_hash_table_insert (self->breakpoints, client, store);
    }
  return store;
}

/* Replaces the breakpoint with the same id, or appends it. */
static void
upsert (SgDebugAgents *self,
        SgAgentClient *client,
        SgBreakpoint  *bp)
{
  GListStore *store = store_for (self, client);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SgBreakpoint) old = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (g_strcmp0 (sg_breakpoint_get_id (old), sg_breakpoint_get_id (bp)) == 0)
        {
          /* An older answer must not undo a newer one (the hit can beat
           * the answer to the request that set it). */
          if (sg_breakpoint_is_final (old) && !sg_breakpoint_is_final (bp))
            return;
          g_list_store_splice (store, i, 1, (gpointer *) &bp, 1);
          g_signal_emit (self, signals[BREAKPOINTS_CHANGED], 0, client);
          return;
        }
    }
  g_list_store_append (store, bp);
  g_signal_emit (self, signals[BREAKPOINTS_CHANGED], 0, client);
}

/* Whether the snapshot of @bp from @client is listed already: a hit comes
 * in more than one event (the hit, then the breakpoint done), each with
 * the snapshot. */
static gboolean
has_snapshot (SgDebugAgents *self,
              SgAgentClient *client,
              SgBreakpoint  *bp)
{
  GListModel *snapshots = G_LIST_MODEL (self->snapshots);

  for (guint i = 0; i < g_list_model_get_n_items (snapshots); i++)
    {
      g_autoptr(SgHistorySnapshot) hs = g_list_model_get_item (snapshots, i);

      if (g_strcmp0 (sg_history_snapshot_get_agent_id (hs), agent_id (client)) == 0 &&
          g_strcmp0 (sg_breakpoint_get_id (sg_history_snapshot_get_breakpoint (hs)), sg_breakpoint_get_id (bp)) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
on_breakpoint_updated (SgAgentClient *client,
                       SgBreakpoint  *bp,
                       const char    *kind,
                       SgDebugAgents *self)
{
  upsert (self, client, bp);
  if (sg_breakpoint_get_snapshot (bp) != NULL && !has_snapshot (self, client, bp))
    {
      g_autofree char *label = sg_agent_client_dup_display_name (client);
      g_autoptr(SgHistorySnapshot) hs = sg_history_snapshot_new (agent_id (client), label, bp, NULL);

      if (self->history != NULL)
        sg_history_add_snapshot (self->history, agent_id (client), label, bp);
      g_list_store_insert (self->snapshots, 0, hs);
      g_signal_emit (self, signals[SNAPSHOT_CAPTURED], 0, hs);
    }
}

static void
on_log_entry (SgAgentClient   *client,
              SgAgentLogEntry *entry,
              guint64          seq,
              SgDebugAgents   *self)
{
  if (self->history != NULL)
    sg_history_add_log_entry (self->history, agent_id (client), seq, entry);
  g_signal_emit (self, signals[LOG_ENTRY], 0, entry);
}

static void
list_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SgAgentClient *client = SG_AGENT_CLIENT (object);
  g_autoptr(SgDebugAgents) self = user_data;
  g_autoptr(GPtrArray) list = sg_agent_client_list_breakpoints_finish (client, result, NULL);

  if (list == NULL || g_hash_table_lookup (self->breakpoints, client) == NULL)
    return;
  g_list_store_remove_all (store_for (self, client));
  for (guint i = 0; i < list->len; i++)
    upsert (self, client, g_ptr_array_index (list, i));
  g_signal_emit (self, signals[BREAKPOINTS_CHANGED], 0, client);
}

typedef struct
{
  SgDebugAgents *self;     /* weak */
  SgAgentClient *client;
} LostReport;

static void
lost_report_free (gpointer data)
{
  LostReport *report = data;

  g_clear_weak_pointer (&report->self);
  g_object_unref (report->client);
  g_free (report);
}

static gboolean
report_if_still_lost (gpointer data)
{
  LostReport *report = data;
  SgDebugLaunch *launch = sg_debug_launch_get_for_client (report->client);
  SgAgentState state = sg_agent_client_get_state (report->client);
  const GError *error = sg_agent_client_get_last_error (report->client);

  if (report->self != NULL && sg_debug_launch_get_state (launch) == SG_DEBUG_LAUNCH_RUNNING &&
      (state == SG_AGENT_STATE_RECONNECTING || state == SG_AGENT_STATE_FAILED) && error != NULL)
    g_signal_emit (report->self, signals[PROBLEM], 0, report->client, error->message);
  return G_SOURCE_REMOVE;
}

static void
report_lost (SgDebugAgents *self,
             SgAgentClient *client)
{
  SgDebugLaunch *launch = sg_debug_launch_get_for_client (client);
  const GError *error = sg_agent_client_get_last_error (client);
  LostReport *report;

  if (error == NULL)
    return;
  if (launch == NULL)
    {
      g_signal_emit (self, signals[PROBLEM], 0, client, error->message);
      return;
    }
  /* A program started here: while it starts, refusals are expected (the
   * launch reports if it never gets further); once it has ended, its end
   * is reported with its stderr.  A lost agent usually means the program
   * just died, so give its exit a moment to be seen first. */
  if (sg_debug_launch_get_state (launch) != SG_DEBUG_LAUNCH_RUNNING)
    return;
  report = g_new0 (LostReport, 1);
  g_set_weak_pointer (&report->self, self);
  report->client = g_object_ref (client);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 500, report_if_still_lost, report, lost_report_free);
}

static void
on_state_changed (SgAgentClient *client,
                  GParamSpec    *pspec,
                  SgDebugAgents *self)
{
  SgAgentState state = sg_agent_client_get_state (client);

  /* On every (re)connection the agent's list is the truth. */
  if (state == SG_AGENT_STATE_CONNECTED)
    sg_agent_client_list_breakpoints_async (client, self->cancellable, list_done, g_object_ref (self));
  else if (state == SG_AGENT_STATE_FAILED || state == SG_AGENT_STATE_RECONNECTING)
    report_lost (self, client);
}

static void
on_restarted (SgAgentClient *client,
              SgDebugAgents *self)
{
  g_autofree char *name = sg_agent_client_dup_display_name (client);
  g_autofree char *message = g_strdup_printf (_("%s restarted; breakpoints set before the restart are gone"), name);

  g_list_store_remove_all (store_for (self, client));
  g_signal_emit (self, signals[BREAKPOINTS_CHANGED], 0, client);
  g_signal_emit (self, signals[PROBLEM], 0, client, message);
}

static void
remember (SgDebugAgents *self,
          SgAgentClient *client)
{
  g_auto(GStrv) known = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  const char *address = sg_agent_client_get_address (client);

  if (self->settings == NULL)
    return;
  known = g_settings_get_strv (self->settings, "known-agents");
  if (g_strv_contains ((const char * const *) known, address))
    return;
  g_strv_builder_addv (builder, (const char **) known);
  g_strv_builder_add (builder, address);
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "known-agents", (const char * const *) updated);
}

static void
forget (SgDebugAgents *self,
        const char    *address)
{
  g_auto(GStrv) known = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;

  if (self->settings == NULL)
    return;
  known = g_settings_get_strv (self->settings, "known-agents");
  for (guint i = 0; known[i]; i++)
    if (!g_str_equal (known[i], address))
      g_strv_builder_add (builder, known[i]);
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "known-agents", (const char * const *) updated);
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SgDebugAgents) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sg_debug_keyring_store_finish (result, &error) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("The token was not saved in the keyring (%s); you will be asked for it next time"),
                                                  error->message);
      g_signal_emit (self, signals[PROBLEM], 0, NULL, message);
    }
}

/* --- GObject ---------------------------------------------------------------- */

static void
sg_debug_agents_dispose (GObject *object)
{
  SgDebugAgents *self = SG_DEBUG_AGENTS (object);

  sg_debug_agents_shutdown (self);
  g_clear_object (&self->settings);
  g_clear_object (&self->history);
  g_clear_pointer (&self->breakpoints, g_hash_table_unref);
  g_clear_object (&self->clients);
  g_clear_object (&self->snapshots);
  g_clear_pointer (&self->launches, g_ptr_array_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sg_debug_agents_parent_class)->dispose (object);
}

static void
sg_debug_agents_class_init (SgDebugAgentsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sg_debug_agents_dispose;

  signals[LOG_ENTRY] =
    g_signal_new ("log-entry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SG_TYPE_AGENT_LOG_ENTRY);
  signals[SNAPSHOT_CAPTURED] =
    g_signal_new ("snapshot-captured", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SG_TYPE_HISTORY_SNAPSHOT);
  signals[BREAKPOINTS_CHANGED] =
    g_signal_new ("breakpoints-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SG_TYPE_AGENT_CLIENT);
  /**
   * SgDebugAgents::problem:
   * @client: (nullable): the agent concerned
   * @message: what went wrong, for the user
   */
  signals[PROBLEM] =
    g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, SG_TYPE_AGENT_CLIENT, G_TYPE_STRING);
}

static void
sg_debug_agents_init (SgDebugAgents *self)
{
  self->clients = g_list_store_new (SG_TYPE_AGENT_CLIENT);
  self->breakpoints = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->snapshots = g_list_store_new (SG_TYPE_HISTORY_SNAPSHOT);
  self->launches = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->clients, "items-changed", G_CALLBACK (g_list_model_items_changed), self);
}

static void
snapshots_loaded (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SgDebugAgents) self = user_data;
  g_autoptr(GPtrArray) list = sg_history_list_snapshots_finish (SG_HISTORY (object), result, NULL);

  if (list == NULL || self->snapshots == NULL)
    return;
  /* Older than anything captured since start-up: they go after it. */
  for (guint i = 0; i < list->len; i++)
    g_list_store_append (self->snapshots, g_ptr_array_index (list, i));
}

/**
 * sg_debug_agents_new:
 * @settings: (nullable): where remembered connections are kept
 * @history: (nullable): the history database
 */
SgDebugAgents *
sg_debug_agents_new (GSettings *settings,
                     SgHistory *history)
{
  SgDebugAgents *self = g_object_new (SG_TYPE_DEBUG_AGENTS, NULL);

  g_set_object (&self->settings, settings);
  g_set_object (&self->history, history);
  if (history != NULL)
    sg_history_list_snapshots_async (history, 200, self->cancellable, snapshots_loaded, g_object_ref (self));
  return self;
}

/* Lists @client and follows what it reports; FALSE if it is listed already. */
static gboolean
add_client (SgDebugAgents *self,
            SgAgentClient *client)
{
  if (g_list_store_find (self->clients, client, NULL))
    return FALSE;

  store_for (self, client);
  g_signal_connect_object (client, "breakpoint-updated", G_CALLBACK (on_breakpoint_updated), self, 0);
  g_signal_connect_object (client, "log-entry", G_CALLBACK (on_log_entry), self, 0);
  g_signal_connect_object (client, "notify::state", G_CALLBACK (on_state_changed), self, 0);
  g_signal_connect_object (client, "agent-restarted", G_CALLBACK (on_restarted), self, 0);
  g_list_store_append (self->clients, client);
  if (sg_agent_client_get_state (client) == SG_AGENT_STATE_CONNECTED)
    on_state_changed (client, NULL, self);
  return TRUE;
}

/* Takes @client in, starts it (with retries) and keeps it until removed. */
void
sg_debug_agents_adopt (SgDebugAgents *self,
                       SgAgentClient *client,
                       gboolean       remember_it)
{
  g_return_if_fail (SG_IS_DEBUG_AGENTS (self));
  g_return_if_fail (SG_IS_AGENT_CLIENT (client));

  if (!add_client (self, client))
    return;
  sg_agent_client_start (client);

  if (remember_it)
    {
      SgAgentInfo *info = sg_agent_client_get_info (client);

      remember (self, client);
      if (sg_agent_client_get_token (client) != NULL && sg_agent_client_get_token (client)[0] != '\0')
        sg_debug_keyring_store_async (sg_agent_client_get_address (client),
                                      info ? sg_agent_info_get_service (info) : NULL,
                                      sg_agent_client_get_token (client),
                                      self->cancellable, stored_cb, g_object_ref (self));
    }
}

/**
 * sg_debug_agents_add:
 *
 * Returns: (transfer none): the new client
 */
SgAgentClient *
sg_debug_agents_add (SgDebugAgents *self,
                     const char    *address,
                     const char    *token,
                     gboolean       remember_it)
{
  g_autoptr(SgAgentClient) client = sg_agent_client_new (address, token);

  sg_debug_agents_adopt (self, client, remember_it);
  return client;
}

void
sg_debug_agents_remove (SgDebugAgents *self,
                        SgAgentClient *client)
{
  guint position;

  g_return_if_fail (SG_IS_DEBUG_AGENTS (self));

  if (!g_list_store_find (self->clients, client, &position))
    return;
  g_object_ref (client);
  sg_agent_client_stop (client);
  g_signal_handlers_disconnect_by_data (client, self);
  forget (self, sg_agent_client_get_address (client));
  sg_debug_keyring_forget (sg_agent_client_get_address (client));
  g_hash_table_remove (self->breakpoints, client);
  g_list_store_remove (self->clients, position);
  g_object_unref (client);
}

static void
token_found (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SgDebugAgents *self = g_task_get_source_object (task);
  const char *address = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = sg_debug_keyring_lookup_finish (result, &error);
  g_autoptr(SgAgentClient) client = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Without the keyring the agent is still listed; it will say it needs a token. */
  client = sg_agent_client_new (address, token);
  sg_debug_agents_adopt (self, client, FALSE);
}

/* Reconnects the remembered agents, each with its token from the keyring. */
void
sg_debug_agents_restore (SgDebugAgents *self)
{
  g_auto(GStrv) known = NULL;

  g_return_if_fail (SG_IS_DEBUG_AGENTS (self));

  if (self->settings == NULL)
    return;
  known = g_settings_get_strv (self->settings, "known-agents");
  for (guint i = 0; known[i]; i++)
    {
      GTask *task = g_task_new (self, self->cancellable, NULL, NULL);

      g_task_set_task_data (task, g_strdup (known[i]), g_free);
      sg_debug_keyring_lookup_async (known[i], self->cancellable, token_found, task);
    }
}

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  if (socket == NULL || !g_socket_bind (socket, any, FALSE, NULL) ||
      !(bound = g_socket_get_local_address (socket, NULL)))
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static char *
find_agent_dir (void)
{
  const char *env = g_getenv ("SPYGLASS_AGENT_PATH");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  if (SG_AGENT_SOURCE_DIR[0] != '\0' && g_file_test (SG_AGENT_SOURCE_DIR "/spyglass/__init__.py", G_FILE_TEST_EXISTS))
    return g_strdup (SG_AGENT_SOURCE_DIR);
  return NULL;  /* rely on the interpreter having the agent installed */
}

/* A program run from the console ends with the console, as in an IDE. */
static void
end_with_console (gpointer data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

static SgAgentClient *
client_of_launch (SgDebugAgents *self,
                  SgDebugLaunch *launch)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->clients)); i++)
    {
      g_autoptr(SgAgentClient) client = g_list_model_get_item (G_LIST_MODEL (self->clients), i);

      if (sg_debug_launch_get_for_client (client) == launch)
        return client;
    }
  return NULL;
}

static void
on_launch_state (SgDebugLaunch *launch,
                 GParamSpec    *pspec,
                 SgDebugAgents *self)
{
  SgAgentClient *client = client_of_launch (self, launch);
  g_autofree char *summary = NULL;

  /* Its agent was removed meanwhile: nothing to connect or report, but a
   * running program is still ended by shutdown(). */
  if (client == NULL)
    {
      if (sg_debug_launch_get_state (launch) == SG_DEBUG_LAUNCH_FAILED ||
          sg_debug_launch_get_state (launch) == SG_DEBUG_LAUNCH_EXITED)
        g_ptr_array_remove (self->launches, launch);
      return;
    }
  if (sg_debug_launch_get_state (launch) != SG_DEBUG_LAUNCH_FAILED &&
      sg_debug_launch_get_state (launch) != SG_DEBUG_LAUNCH_EXITED)
    return;
  sg_agent_client_stop (client);
  summary = sg_debug_launch_dup_summary (launch);
  g_signal_emit (self, signals[PROBLEM], 0, client, summary);
  g_ptr_array_remove (self->launches, launch);
}

/**
 * sg_debug_agents_run_python:
 * @interpreter: (nullable): the Python to use, "python3" by default
 * @script: a .py file, or a package's __main__.py (run with -m)
 * @arguments: (nullable): the program's arguments, shell-quoted
 *
 * Starts the program under the agent with a fresh token on a free port,
 * its folder as source root, and adds the agent (not remembered: the
 * token dies with the program).  The client connects once the agent
 * listens; until then sg_debug_launch_get_for_client() says the program is
 * starting.  If the program ends first, or its agent does not come up, a
 * ::problem says so with its last line on stderr.
 *
 * Returns: (transfer none): the client, to be connected when the program has started
 */
SgAgentClient *
sg_debug_agents_run_python (SgDebugAgents  *self,
                            const char     *interpreter,
                            const char     *script,
                            const char     *arguments,
                            GError        **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SgDebugLaunch) launch = NULL;
  g_autoptr(SgAgentClient) client = NULL;
  g_auto(GStrv) extra = NULL;
  g_autofree char *token = NULL;
  g_autofree char *port = NULL;
  g_autofree char *address = NULL;
  g_autofree char *agent_dir = find_agent_dir ();
  g_autofree char *dir = g_path_get_dirname (script);
  g_autofree char *base = g_path_get_basename (script);
  g_autofree char *name = NULL;
  g_autofree char *root = NULL;
  g_autofree char *token_a = g_uuid_string_random ();
  g_autofree char *token_b = g_uuid_string_random ();
  guint16 p;

  g_return_val_if_fail (SG_IS_DEBUG_AGENTS (self), NULL);

  if (arguments != NULL && arguments[0] != '\0' && !g_shell_parse_argv (arguments, NULL, &extra, error))
    return NULL;
  if (!g_file_test (script, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("%s is not a file"), script);
      return NULL;
    }
  if ((p = free_port ()) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("No free port to run the agent on"));
      return NULL;
    }
  /* Two UUIDs without dashes: 256 bits of fresh token. */
  token = g_strconcat (token_a, token_b, NULL);
  g_strdelimit (token, "-", 'x');
  port = g_strdup_printf ("%u", p);
  address = g_strdup_printf ("http://127.0.0.1:%u", p);

  g_ptr_array_add (argv, g_strdup (interpreter && interpreter[0] ? interpreter : "python3"));
  g_ptr_array_add (argv, g_strdup ("-m"));
  g_ptr_array_add (argv, g_strdup ("spyglass"));
  g_ptr_array_add (argv, g_strdup ("run"));
  g_ptr_array_add (argv, g_strdup ("--service"));
  if (g_str_equal (base, "__main__.py"))
    {
      /* A package: run it as a module from its parent, so its relative
       * imports work, with the package's parent as source root. */
      g_autofree char *package = g_path_get_basename (dir);

      root = g_path_get_dirname (dir);
      name = g_strdup (package);
      g_ptr_array_add (argv, g_strdup (name));
      g_ptr_array_add (argv, g_strdup ("--source-root"));
      g_ptr_array_add (argv, g_strdup (root));
      g_ptr_array_add (argv, g_strdup ("--"));
      g_ptr_array_add (argv, g_strdup (g_ptr_array_index (argv, 0)));
      g_ptr_array_add (argv, g_strdup ("-m"));
      g_ptr_array_add (argv, g_strdup (package));
    }
  else
    {
      root = g_strdup (dir);
      name = g_strndup (base, g_str_has_suffix (base, ".py") ? strlen (base) - 3 : strlen (base));
      g_ptr_array_add (argv, g_strdup (name));
      g_ptr_array_add (argv, g_strdup ("--source-root"));
      g_ptr_array_add (argv, g_strdup (root));
      g_ptr_array_add (argv, g_strdup ("--"));
      g_ptr_array_add (argv, g_strdup (g_ptr_array_index (argv, 0)));
      g_ptr_array_add (argv, g_strdup (script));
    }
  for (guint i = 0; extra != NULL && extra[i]; i++)
    g_ptr_array_add (argv, g_strdup (extra[i]));
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_cwd (launcher, root);
  g_subprocess_launcher_set_child_setup (launcher, end_with_console, NULL, NULL);
  /* The token goes through the environment, never the command line. */
  g_subprocess_launcher_setenv (launcher, "SPYGLASS_TOKEN", token, TRUE);
  g_subprocess_launcher_setenv (launcher, "SPYGLASS_PORT", port, TRUE);
  g_subprocess_launcher_setenv (launcher, "SPYGLASS_PORT_TRIES", "1", TRUE);
  if (agent_dir != NULL)
    {
      const char *old = g_getenv ("PYTHONPATH");
      g_autofree char *path = old && old[0] ? g_strconcat (agent_dir, ":", old, NULL) : g_strdup (agent_dir);

      g_subprocess_launcher_setenv (launcher, "PYTHONPATH", path, TRUE);
    }
  launch = sg_debug_launch_spawn (launcher, (const char * const *) argv->pdata, name, LAUNCH_TIMEOUT_MS, error);
  if (launch == NULL)
    return NULL;
  g_ptr_array_add (self->launches, g_object_ref (launch));

  client = sg_agent_client_new (address, token);
  g_signal_connect_object (launch, "notify::state", G_CALLBACK (on_launch_state), self, 0);
  /* Attached first, so the row made for the listed client finds the launch
   * and shows the program starting; the launch starts the client once the
   * agent listens. */
  sg_debug_launch_attach (launch, client);
  add_client (self, client);
  return client;
}

/**
 * sg_debug_agents_get_breakpoints:
 *
 * Returns: (transfer none): @client's breakpoints, of SgBreakpoint
 */
GListModel *
sg_debug_agents_get_breakpoints (SgDebugAgents *self,
                                 SgAgentClient *client)
{
  g_return_val_if_fail (SG_IS_DEBUG_AGENTS (self), NULL);
  return G_LIST_MODEL (store_for (self, client));
}

/**
 * sg_debug_agents_find_breakpoint:
 *
 * Returns: (transfer none) (nullable): the live (not final) breakpoint on that line
 */
SgBreakpoint *
sg_debug_agents_find_breakpoint (SgDebugAgents *self,
                                 SgAgentClient *client,
                                 const char    *path,
                                 guint          line)
{
  GListModel *store = G_LIST_MODEL (store_for (self, client));
  SgBreakpoint *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (store); i++)
    {
      g_autoptr(SgBreakpoint) bp = g_list_model_get_item (store, i);

      if (sg_breakpoint_get_line (bp) == line && g_strcmp0 (sg_breakpoint_get_path (bp), path) == 0 &&
          !sg_breakpoint_is_final (bp) && sg_breakpoint_get_state (bp) != SG_BREAKPOINT_STATE_ERROR)
        found = bp;
    }
  return found;
}

void
sg_debug_agents_take_breakpoint (SgDebugAgents *self,
                                 SgAgentClient *client,
                                 SgBreakpoint  *breakpoint)
{
  g_return_if_fail (SG_IS_DEBUG_AGENTS (self));
  upsert (self, client, breakpoint);
}

void
sg_debug_agents_forget_breakpoint (SgDebugAgents *self,
                                   SgAgentClient *client,
                                   const char    *id)
{
  GListStore *store;

  g_return_if_fail (SG_IS_DEBUG_AGENTS (self));

  store = store_for (self, client);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(SgBreakpoint) bp = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (g_strcmp0 (sg_breakpoint_get_id (bp), id) == 0)
        {
          g_list_store_remove (store, i);
          g_signal_emit (self, signals[BREAKPOINTS_CHANGED], 0, client);
          return;
        }
    }
}

/**
 * sg_debug_agents_get_snapshots:
 *
 * Returns: (transfer none): captured snapshots, of SgHistorySnapshot, newest first
 */
GListModel *
sg_debug_agents_get_snapshots (SgDebugAgents *self)
{
  g_return_val_if_fail (SG_IS_DEBUG_AGENTS (self), NULL);
  return G_LIST_MODEL (self->snapshots);
}

/**
 * sg_debug_agents_get_history:
 *
 * Returns: (transfer none) (nullable): the history database
 */
SgHistory *
sg_debug_agents_get_history (SgDebugAgents *self)
{
  g_return_val_if_fail (SG_IS_DEBUG_AGENTS (self), NULL);
  return self->history;
}

/* Stops every client and every program started here. */
void
sg_debug_agents_shutdown (SgDebugAgents *self)
{
  g_return_if_fail (SG_IS_DEBUG_AGENTS (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  for (guint i = 0; self->clients != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (self->clients)); i++)
    {
      g_autoptr(SgAgentClient) client = g_list_model_get_item (G_LIST_MODEL (self->clients), i);
      sg_agent_client_stop (client);
    }
  for (guint i = 0; self->launches != NULL && i < self->launches->len; i++)
    sg_debug_launch_terminate (g_ptr_array_index (self->launches, i));
}
