/* SPDX-License-Identifier: GPL-3.0-or-later */

/* spyglass-cli's agent commands: agents, snapshot, logpoint, breakpoints and
 * record, over the same SgAgentClient the console uses.  Each command runs a
 * main loop only while it waits for the agent, so a script or CI job can
 * set a snapshot and wait for it like Snapshot Debugger's CLI did.
 *
 * Which agent: --agent URL (or $SPYGLASS_AGENT); the token from --token,
 * --token-file or $SPYGLASS_TOKEN, else from the agent's discovery file in
 * $XDG_RUNTIME_DIR/spyglass/ (private to the user, written by local agents).
 * With no --agent and exactly one local agent running, that one is used. */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "cli-common.h"
#include "sg-agent-client.h"
#include "sg-cli-agent.h"
#include "sg-history.h"

typedef struct
{
  char *url;
  char *token;
  char *service;
  char *version;
  gint64 pid;
} Discovered;

static void
discovered_free (gpointer ptr)
{
  Discovered *d = ptr;

  g_free (d->url);
  g_free (d->token);
  g_free (d->service);
  g_free (d->version);
  g_free (d);
}

/* Local agents announce themselves in files only this user can read. */
static GPtrArray *
discover_local_agents (void)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (discovered_free);
  g_autofree char *dir = g_build_filename (g_get_user_runtime_dir (), "spyglass", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = NULL;
      g_autoptr(JsonParser) parser = NULL;
      JsonObject *object;
      Discovered *agent;
      GStatBuf st;

      if (!g_str_has_prefix (name, "agent-") || !g_str_has_suffix (name, ".json"))
        continue;
      path = g_build_filename (dir, name, NULL);
      if (g_stat (path, &st) != 0 || st.st_uid != getuid () || (st.st_mode & 077) != 0)
        continue;
      parser = json_parser_new ();
      if (!json_parser_load_from_file (parser, path, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        continue;
      object = json_node_get_object (json_parser_get_root (parser));
      agent = g_new0 (Discovered, 1);
      agent->url = g_strdup (json_object_get_string_member_with_default (object, "url", ""));
      agent->token = g_strdup (json_object_get_string_member_with_default (object, "token", ""));
      agent->service = g_strdup (json_object_get_string_member_with_default (object, "service", ""));
      agent->version = g_strdup (json_object_get_string_member_with_default (object, "version", ""));
      agent->pid = json_object_get_int_member_with_default (object, "pid", 0);
      /* A file left behind by a process that died is not an agent. */
      if (agent->url[0] == '\0' || agent->pid <= 0 || (kill ((pid_t) agent->pid, 0) != 0 && errno == ESRCH))
        {
          discovered_free (agent);
          continue;
        }
      g_ptr_array_add (found, agent);
    }
  return found;
}

/* --- waiting for async results ------------------------------------------ */

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Waiter;

static void
waiter_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Waiter *w = user_data;

  w->result = g_object_ref (result);
  g_main_loop_quit (w->loop);
}

static void
waiter_init (Waiter *w)
{
  w->loop = g_main_loop_new (NULL, FALSE);
  w->result = NULL;
}

static GAsyncResult *
waiter_run (Waiter *w)
{
  if (w->result == NULL)
    g_main_loop_run (w->loop);
  return w->result;
}

static void
waiter_clear (Waiter *w)
{
  g_clear_object (&w->result);
  g_clear_pointer (&w->loop, g_main_loop_unref);
}

/* --- connection options ---------------------------------------------------- */

typedef struct
{
  char    *agent;
  char    *token;
  char    *token_file;
  gboolean json;
} ConnOptions;

static void
conn_options_clear (ConnOptions *o)
{
  g_free (o->agent);
  g_free (o->token);
  g_free (o->token_file);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ConnOptions, conn_options_clear)

static void
add_conn_options (GOptionContext *context,
                  ConnOptions    *o)
{
  GOptionEntry entries[] = {
    { "agent", 'a', 0, G_OPTION_ARG_STRING, &o->agent, "The agent's address (default: $SPYGLASS_AGENT, or the only local agent)", "URL" },
    { "token", 't', 0, G_OPTION_ARG_STRING, &o->token, "The agent's token (default: $SPYGLASS_TOKEN or the local agent's)", "TOKEN" },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &o->token_file, "Read the token from FILE", "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, "Print JSON", NULL },
    { NULL }
  };
  g_option_context_add_main_entries (context, entries, NULL);
}

static gboolean
same_url (const char *a,
          const char *b)
{
  g_autoptr(SgAgentClient) ca = sg_agent_client_new (a, NULL);
  g_autoptr(SgAgentClient) cb = sg_agent_client_new (b, NULL);

  return g_str_equal (sg_agent_client_get_address (ca), sg_agent_client_get_address (cb));
}

/* Makes the client the options point at, or prints why it cannot. */
static SgAgentClient *
open_client (ConnOptions *o,
             const char  *command)
{
  g_autoptr(GPtrArray) local = discover_local_agents ();
  g_autofree char *url = g_strdup (o->agent ? o->agent : g_getenv ("SPYGLASS_AGENT"));
  g_autofree char *token = NULL;

  if (o->token_file != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!g_file_get_contents (o->token_file, &token, NULL, &error))
        {
          cli_error ("%s", error->message);
          return NULL;
        }
      g_strstrip (token);
    }
  else if (o->token != NULL)
    token = g_strdup (o->token);
  else if (g_getenv ("SPYGLASS_TOKEN"))
    token = g_strdup (g_getenv ("SPYGLASS_TOKEN"));

  if (url == NULL || url[0] == '\0')
    {
      if (local->len == 1)
        {
          Discovered *only = g_ptr_array_index (local, 0);

          g_free (url);
          url = g_strdup (only->url);
        }
      else
        {
          if (local->len == 0)
            cli_usage_error (command, "no agent given and none running locally; use --agent URL --token TOKEN");
          else
            cli_usage_error (command, "%u local agents are running; choose one with --agent (“spyglass-cli agents” lists them)",
                             local->len);
          return NULL;
        }
    }
  if (token == NULL)
    for (guint i = 0; i < local->len; i++)
      {
        Discovered *d = g_ptr_array_index (local, i);

        if (same_url (d->url, url))
          token = g_strdup (d->token);
      }
  return sg_agent_client_new (url, token);
}

static gboolean
connect_client (SgAgentClient *client)
{
  g_autoptr(GError) error = NULL;
  Waiter w;
  gboolean ok;

  waiter_init (&w);
  sg_agent_client_connect_async (client, NULL, waiter_done, &w);
  ok = sg_agent_client_connect_finish (client, waiter_run (&w), &error);
  waiter_clear (&w);
  if (!ok)
    cli_error ("%s", error->message);
  return ok;
}

/* After stop() the cancelled long-poll still has to come back. */
static void
close_client (SgAgentClient *client)
{
  sg_agent_client_stop (client);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
parse_location (const char  *text,
                char       **path,
                guint       *line)
{
  const char *colon = strrchr (text, ':');
  guint64 n;

  if (colon == NULL || colon == text || !g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXINT, &n, NULL))
    return FALSE;
  *path = g_strndup (text, colon - text);
  *line = (guint) n;
  return TRUE;
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("—");
  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

/* --- agents ------------------------------------------------------------------ */

static void
print_agent_row (CliTable      *table,
                 SgAgentClient *client,
                 const GError  *error)
{
  SgAgentInfo *info = sg_agent_client_get_info (client);
  g_autofree char *latency = NULL;
  g_autofree char *pid = NULL;

  if (info == NULL)
    {
      cli_table_add (table, sg_agent_client_get_address (client), "—", "—", "—", "—", "—",
                     error ? error->message : "unreachable", NULL);
      return;
    }
  latency = g_strdup_printf ("%d ms", sg_agent_client_get_latency_ms (client));
  pid = g_strdup_printf ("%" G_GINT64_FORMAT, sg_agent_info_get_pid (info));
  cli_table_add (table, sg_agent_client_get_address (client),
                 sg_agent_info_get_service (info),
                 sg_agent_info_get_version (info) && sg_agent_info_get_version (info)[0] ? sg_agent_info_get_version (info) : "—",
                 sg_agent_info_get_host (info), pid, latency,
                 "connected", NULL);
}

static void
add_agent_json (JsonBuilder   *builder,
                SgAgentClient *client,
                const GError  *error)
{
  SgAgentInfo *info = sg_agent_client_get_info (client);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "address");
  json_builder_add_string_value (builder, sg_agent_client_get_address (client));
  json_builder_set_member_name (builder, "connected");
  json_builder_add_boolean_value (builder, info != NULL);
  if (info != NULL)
    {
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, sg_agent_info_get_id (info));
      json_builder_set_member_name (builder, "service");
      json_builder_add_string_value (builder, sg_agent_info_get_service (info));
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, sg_agent_info_get_version (info));
      json_builder_set_member_name (builder, "host");
      json_builder_add_string_value (builder, sg_agent_info_get_host (info));
      json_builder_set_member_name (builder, "pid");
      json_builder_add_int_value (builder, sg_agent_info_get_pid (info));
      json_builder_set_member_name (builder, "runtime");
      json_builder_add_string_value (builder, sg_agent_info_get_runtime (info));
      json_builder_set_member_name (builder, "latency_ms");
      json_builder_add_int_value (builder, sg_agent_client_get_latency_ms (client));
      json_builder_set_member_name (builder, "capabilities");
      json_builder_begin_array (builder);
      for (const char * const *c = sg_agent_info_get_capabilities (info); c && *c; c++)
        json_builder_add_string_value (builder, *c);
      json_builder_end_array (builder);
    }
  else
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, error ? error->message : "unreachable");
    }
  json_builder_end_object (builder);
}

static void
free_error (gpointer error)
{
  if (error != NULL)
    g_error_free (error);
}

int
sg_cli_agents (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— list agents and whether they answer");
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (free_error);
  g_autoptr(GPtrArray) local = NULL;
  g_autoptr(CliTable) table = NULL;
  g_auto(ConnOptions) o = { 0 };
  const char *url;
  gboolean any_ok = FALSE;

  add_conn_options (context, &o);
  g_option_context_set_description (context,
    "Without --agent, lists the agents running on this machine for this user\n"
    "(they announce themselves in $XDG_RUNTIME_DIR/spyglass/).");
  if (!cli_parse (context, "agents", &argc, &argv))
    return CLI_EXIT_USAGE;

  url = o.agent ? o.agent : g_getenv ("SPYGLASS_AGENT");
  if (url != NULL && url[0] != '\0')
    {
      SgAgentClient *client = open_client (&o, "agents");

      if (client == NULL)
        return CLI_EXIT_USAGE;
      g_ptr_array_add (clients, client);
    }
  else
    {
      local = discover_local_agents ();
      for (guint i = 0; i < local->len; i++)
        {
          Discovered *d = g_ptr_array_index (local, i);
          g_ptr_array_add (clients, sg_agent_client_new (d->url, d->token));
        }
    }

  for (guint i = 0; i < clients->len; i++)
    {
      SgAgentClient *client = g_ptr_array_index (clients, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(SgAgentInfo) info = NULL;
      Waiter w;

      waiter_init (&w);
      sg_agent_client_connect_async (client, NULL, waiter_done, &w);
      if (sg_agent_client_connect_finish (client, waiter_run (&w), &error))
        any_ok = TRUE;
      waiter_clear (&w);
      close_client (client);
      g_ptr_array_add (errors, error ? g_error_copy (error) : NULL);
    }

  if (o.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < clients->len; i++)
        add_agent_json (builder, g_ptr_array_index (clients, i), g_ptr_array_index (errors, i));
      json_builder_end_array (builder);
      cli_print_json (builder);
    }
  else if (clients->len == 0)
    g_print ("No agents are running on this machine. Start one with\n"
             "  python3 -m spyglass run -- python3 your_service.py\n"
             "or give a remote one with --agent URL --token TOKEN.\n");
  else
    {
      table = cli_table_new (7);
      cli_table_add (table, "ADDRESS", "SERVICE", "VERSION", "HOST", "PID", "LATENCY", "STATUS", NULL);
      for (guint i = 0; i < clients->len; i++)
        print_agent_row (table, g_ptr_array_index (clients, i), g_ptr_array_index (errors, i));
      cli_table_print (table);
    }
  return clients->len == 0 || any_ok ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
}

/* --- snapshot ---------------------------------------------------------------- */

static void
print_variable (SgSnapshotVariable *var,
                guint               indent,
                guint               depth)
{
  const char *type = sg_snapshot_variable_get_type_name (var);
  const char *value = sg_snapshot_variable_get_value (var);
  const char *status = sg_snapshot_variable_get_status_message (var);

  g_print ("%*s%s", indent, "", sg_snapshot_variable_get_name (var) ? sg_snapshot_variable_get_name (var) : "?");
  if (type != NULL)
    g_print (": %s", type);
  if (sg_snapshot_variable_is_error (var))
    g_print (" — error: %s\n", status ? status : "?");
  else
    {
      g_print (" = %s", value ? value : "");
      if (status != NULL)
        g_print ("  [%s]", status);
      g_print ("\n");
    }
  if (depth > 0 && sg_snapshot_variable_has_members (var))
    {
      g_autoptr(GListModel) members = sg_snapshot_variable_dup_members (var);

      for (guint i = 0; i < g_list_model_get_n_items (members); i++)
        {
          g_autoptr(SgSnapshotVariable) member = g_list_model_get_item (members, i);
          print_variable (member, indent + 2, depth - 1);
        }
    }
}

static void
print_variables (GListModel *list,
                 guint       indent,
                 guint       depth)
{
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(SgSnapshotVariable) var = g_list_model_get_item (list, i);
      print_variable (var, indent, depth);
    }
}

static void
print_snapshot (SgBreakpoint *bp,
                gboolean      all_frames,
                guint         depth)
{
  SgSnapshot *snapshot = sg_breakpoint_get_snapshot (bp);
  g_autofree char *when = format_time (sg_breakpoint_get_final_time (bp));
  GListModel *expressions;

  g_print ("Snapshot %s at %s:%u, captured %s\n", sg_breakpoint_get_id (bp),
           sg_breakpoint_get_path (bp), sg_breakpoint_get_line (bp), when);
  for (guint i = 0; i < sg_snapshot_get_n_frames (snapshot); i++)
    {
      SgSnapshotFrame *frame = sg_snapshot_get_frame (snapshot, i);

      g_print ("#%u %s (%s:%u)\n", i, sg_snapshot_frame_get_function (frame),
               sg_snapshot_frame_get_path (frame), sg_snapshot_frame_get_line (frame));
      if (i == 0 || all_frames)
        {
          print_variables (sg_snapshot_frame_get_arguments (frame), 4, depth);
          print_variables (sg_snapshot_frame_get_locals (frame), 4, depth);
        }
    }
  expressions = sg_snapshot_get_evaluated_expressions (snapshot);
  if (g_list_model_get_n_items (expressions) > 0)
    {
      g_print ("Watch expressions:\n");
      print_variables (expressions, 4, depth);
    }
}

static void
print_breakpoint_json (SgBreakpoint *bp)
{
  g_autofree char *json = sg_breakpoint_to_json (bp);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_parser_load_from_data (parser, json, -1, NULL);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, json_parser_get_root (parser));
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

typedef struct
{
  GMainLoop    *loop;
  char         *id;
  SgBreakpoint *final;
  GHashTable   *early;      /* id -> SgBreakpoint, final before its id was known */
  GPtrArray    *early_lines; /* SgAgentLogEntry, before the logpoint's id was known */
  guint         want_lines;
  gboolean      timed_out;
  gboolean      json;
} Wait;

/* Listening starts before the breakpoint is set: the line may run (and the
 * hit arrive) while the answer to the request is still being read, so hits
 * seen before the id is known are kept and looked up afterwards. */
static void
on_breakpoint_updated (SgAgentClient *client,
                       SgBreakpoint  *bp,
                       const char    *kind,
                       Wait          *w)
{
  gboolean done = sg_breakpoint_is_final (bp) || sg_breakpoint_get_state (bp) == SG_BREAKPOINT_STATE_ERROR;

  if (!done)
    return;
  if (w->id == NULL)
    {
      g_hash_table_replace (w->early, g_strdup (sg_breakpoint_get_id (bp)), g_object_ref (bp));
      return;
    }
  if (g_strcmp0 (sg_breakpoint_get_id (bp), w->id) != 0)
    return;
  g_set_object (&w->final, bp);
  g_main_loop_quit (w->loop);
}

static void
wait_init (Wait *w)
{
  w->loop = g_main_loop_new (NULL, FALSE);
  w->early = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  w->early_lines = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
wait_clear (Wait *w)
{
  g_clear_object (&w->final);
  g_clear_pointer (&w->id, g_free);
  g_clear_pointer (&w->early, g_hash_table_unref);
  g_clear_pointer (&w->early_lines, g_ptr_array_unref);
  g_clear_pointer (&w->loop, g_main_loop_unref);
}

static void
on_state_changed (SgAgentClient *client,
                  GParamSpec    *pspec,
                  Wait          *w)
{
  /* Waiting makes no sense once the client gave up (wrong token now). */
  if (sg_agent_client_get_state (client) == SG_AGENT_STATE_FAILED)
    g_main_loop_quit (w->loop);
  else if (sg_agent_client_get_state (client) == SG_AGENT_STATE_RECONNECTING)
    {
      const GError *error = sg_agent_client_get_last_error (client);
      cli_error ("%s; retrying…", error ? error->message : "connection lost");
    }
}

static gboolean
on_timeout (gpointer data)
{
  Wait *w = data;

  w->timed_out = TRUE;
  g_main_loop_quit (w->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_sigint (gpointer data)
{
  g_main_loop_quit (((Wait *) data)->loop);
  return G_SOURCE_CONTINUE;
}

static SgBreakpoint *
set_breakpoint (SgAgentClient    *client,
                SgBreakpointSpec *spec)
{
  g_autoptr(GError) error = NULL;
  SgBreakpoint *bp;
  Waiter w;

  waiter_init (&w);
  sg_agent_client_set_breakpoint_async (client, spec, NULL, waiter_done, &w);
  bp = sg_agent_client_set_breakpoint_finish (client, waiter_run (&w), &error);
  waiter_clear (&w);
  if (bp == NULL)
    cli_error ("%s", error->message);
  return bp;
}

/* Sets @spec with @w already listening, so nothing that happens before the
 * agent's answer is missed.  Returns the breakpoint to wait on; or NULL
 * once the command is over, with its exit status in @status: setting it
 * failed, or (@wait FALSE) it was set and said so. */
static SgBreakpoint *
set_breakpoint_for (SgAgentClient    *client,
                    SgBreakpointSpec *spec,
                    Wait             *w,
                    gboolean          wait,
                    gboolean          json,
                    int              *status)
{
  g_autoptr(SgBreakpoint) bp = set_breakpoint (client, spec);

  if (bp != NULL && wait)
    return g_steal_pointer (&bp);
  g_signal_handlers_disconnect_by_data (client, w);
  wait_clear (w);
  *status = bp != NULL ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
  if (bp != NULL && json)
    print_breakpoint_json (bp);
  else if (bp != NULL && sg_breakpoint_get_action (bp) == SG_BREAKPOINT_ACTION_LOG)
    g_print ("Logpoint %s set at %s:%u\n", sg_breakpoint_get_id (bp), sg_breakpoint_get_path (bp),
             sg_breakpoint_get_line (bp));
  else if (bp != NULL)
    g_print ("Snapshot %s set at %s:%u (%s)\n", sg_breakpoint_get_id (bp), sg_breakpoint_get_path (bp),
             sg_breakpoint_get_line (bp), sg_breakpoint_state_to_string (sg_breakpoint_get_state (bp)));
  close_client (client);
  return NULL;
}

/* Runs until the wait is over; Ctrl+C ends it too. */
static void
wait_run (Wait *w)
{
  guint sigint = g_unix_signal_add (SIGINT, on_sigint, w);

  g_main_loop_run (w->loop);
  g_source_remove (sigint);
}

static void
store_in_history (SgAgentClient *client,
                  SgBreakpoint  *bp)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SgHistory) history = sg_history_new_default (&error);
  g_autofree char *label = sg_agent_client_dup_display_name (client);
  SgAgentInfo *info = sg_agent_client_get_info (client);

  if (history != NULL)
    {
      sg_history_add_snapshot (history, info ? sg_agent_info_get_id (info) : NULL, label, bp);
      sg_history_flush (history, &error);
    }
  if (error != NULL)
    cli_error ("the snapshot was not kept in the history: %s", error->message);
}

int
sg_cli_snapshot (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE:LINE — take a snapshot of a running service");
  g_autoptr(SgAgentClient) client = NULL;
  g_autoptr(SgBreakpointSpec) spec = NULL;
  g_autoptr(SgBreakpoint) bp = NULL;
  g_auto(GStrv) expressions = NULL;
  g_autofree char *condition = NULL;
  g_autofree char *path = NULL;
  g_auto(ConnOptions) o = { 0 };
  gboolean wait = FALSE, all_frames = FALSE;
  int timeout_s = 600, depth = 2;
  guint line = 0;
  Wait w = { 0 };
  int status = CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "condition", 'c', 0, G_OPTION_ARG_STRING, &condition, "Only capture when EXPR is true", "EXPR" },
    { "expression", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &expressions, "Watch EXPR (repeatable)", "EXPR" },
    { "wait", 'w', 0, G_OPTION_ARG_NONE, &wait, "Wait for the snapshot and print it", NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s, "Give up waiting after SECONDS (default 600)", "SECONDS" },
    { "depth", 0, 0, G_OPTION_ARG_INT, &depth, "Print members this deep (default 2)", "N" },
    { "all-frames", 0, 0, G_OPTION_ARG_NONE, &all_frames, "Print every frame's locals, not only the innermost", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  add_conn_options (context, &o);
  if (!cli_parse (context, "snapshot", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 2 || !parse_location (argv[1], &path, &line))
    return cli_usage_error ("snapshot", "give one location as FILE:LINE, e.g. app/views.py:42");
  if (!(client = open_client (&o, "snapshot")))
    return CLI_EXIT_USAGE;
  if (!connect_client (client))
    return CLI_EXIT_FAILURE;

  spec = sg_breakpoint_spec_new (SG_BREAKPOINT_ACTION_CAPTURE, path, line);
  spec->condition = g_steal_pointer (&condition);
  spec->expressions = g_steal_pointer (&expressions);
  wait_init (&w);
  g_signal_connect (client, "breakpoint-updated", G_CALLBACK (on_breakpoint_updated), &w);
  g_signal_connect (client, "notify::state", G_CALLBACK (on_state_changed), &w);
  if (!(bp = set_breakpoint_for (client, spec, &w, wait, o.json, &status)))
    return status;

  if (!o.json)
    g_printerr ("Waiting for %s:%u to be hit (snapshot %s)…\n", sg_breakpoint_get_path (bp),
                sg_breakpoint_get_line (bp), sg_breakpoint_get_id (bp));
  w.id = g_strdup (sg_breakpoint_get_id (bp));
  if (g_hash_table_contains (w.early, w.id))
    w.final = g_object_ref (g_hash_table_lookup (w.early, w.id));
  else if (sg_breakpoint_get_snapshot (bp) != NULL)
    w.final = g_object_ref (bp);
  if (w.final == NULL)
    {
      g_timeout_add_seconds (MAX (1, timeout_s), on_timeout, &w);
      wait_run (&w);
    }
  g_signal_handlers_disconnect_by_data (client, &w);

  if (w.final != NULL && sg_breakpoint_get_snapshot (w.final) != NULL)
    {
      store_in_history (client, w.final);
      if (o.json)
        print_breakpoint_json (w.final);
      else
        print_snapshot (w.final, all_frames, (guint) MAX (0, depth));
    }
  else if (w.final != NULL)
    {
      cli_error ("snapshot %s ended without a capture: %s", w.id,
                 sg_breakpoint_get_status_message (w.final) ? sg_breakpoint_get_status_message (w.final) : "no reason given");
      status = CLI_EXIT_FAILURE;
    }
  else
    {
      if (sg_agent_client_get_state (client) == SG_AGENT_STATE_FAILED)
        cli_error ("%s", sg_agent_client_get_last_error (client)->message);
      else if (w.timed_out)
        cli_error ("%s:%u was not hit within %d s; snapshot %s stays set (delete it with “spyglass-cli breakpoints delete %s”)",
                   path, line, timeout_s, w.id, w.id);
      else
        cli_error ("interrupted; snapshot %s stays set", w.id);
      status = CLI_EXIT_FAILURE;
    }
  wait_clear (&w);
  close_client (client);
  return status;
}

/* --- logpoint ---------------------------------------------------------------- */

static void
on_log_entry (SgAgentClient   *client,
              SgAgentLogEntry *entry,
              guint64          seq,
              Wait            *w)
{
  g_autofree char *when = NULL;

  if (w->id == NULL)
    {
      g_ptr_array_add (w->early_lines, g_object_ref (entry));
      return;
    }
  if (g_strcmp0 (sg_agent_log_entry_get_breakpoint_id (entry), w->id) != 0 || w->want_lines == G_MAXUINT)
    return;
  when = format_time (sg_agent_log_entry_get_time (entry));
  if (w->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;
      g_autofree char *iso = g_date_time_format_iso8601 (sg_agent_log_entry_get_time (entry));

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "time");
      json_builder_add_string_value (b, iso);
      json_builder_set_member_name (b, "level");
      json_builder_add_string_value (b, sg_agent_log_entry_get_level (entry));
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, sg_agent_log_entry_get_message (entry));
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, NULL);
      g_print ("%s\n", text);
    }
  else
    g_print ("%s %-7s %s\n", when, sg_agent_log_entry_get_level (entry), sg_agent_log_entry_get_message (entry));
  fflush (stdout);
  if (w->want_lines > 0 && --w->want_lines == 0)
    {
      w->want_lines = G_MAXUINT;  /* enough: ignore the rest */
      g_main_loop_quit (w->loop);
    }
}

int
sg_cli_logpoint (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE:LINE FORMAT — add a log line to a running service");
  g_autoptr(SgAgentClient) client = NULL;
  g_autoptr(SgBreakpointSpec) spec = NULL;
  g_autoptr(SgBreakpoint) bp = NULL;
  g_autofree char *condition = NULL;
  g_autofree char *level = NULL;
  g_autofree char *path = NULL;
  g_auto(ConnOptions) o = { 0 };
  gboolean follow = FALSE, keep = FALSE;
  int count = 0;
  guint line = 0;
  Wait w = { 0 };
  int status;
  GOptionEntry entries[] = {
    { "condition", 'c', 0, G_OPTION_ARG_STRING, &condition, "Only log when EXPR is true", "EXPR" },
    { "level", 'l', 0, G_OPTION_ARG_STRING, &level, "info (default), warning or error", "LEVEL" },
    { "follow", 'f', 0, G_OPTION_ARG_NONE, &follow, "Print the lines as they are written, until Ctrl+C", NULL },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, "With --follow: stop after N lines", "N" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "With --follow: leave the logpoint set when done", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "FORMAT is the message with expressions in braces, e.g. \"order {order.id} costs {total}\".");
  add_conn_options (context, &o);
  if (!cli_parse (context, "logpoint", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 3 || !parse_location (argv[1], &path, &line))
    return cli_usage_error ("logpoint", "give FILE:LINE and a FORMAT, e.g. app/views.py:42 \"user={user.id}\"");
  if (!(client = open_client (&o, "logpoint")))
    return CLI_EXIT_USAGE;
  if (!connect_client (client))
    return CLI_EXIT_FAILURE;

  spec = sg_breakpoint_spec_new (SG_BREAKPOINT_ACTION_LOG, path, line);
  spec->condition = g_steal_pointer (&condition);
  spec->log_message_format = g_strdup (argv[2]);
  spec->log_level = g_strdup (level ? level : "info");
  wait_init (&w);
  w.json = o.json;
  w.want_lines = (guint) MAX (0, count);
  g_signal_connect (client, "log-entry", G_CALLBACK (on_log_entry), &w);
  g_signal_connect (client, "notify::state", G_CALLBACK (on_state_changed), &w);
  if (!(bp = set_breakpoint_for (client, spec, &w, follow, o.json, &status)))
    return status;

  /* Lines written while the answer was on its way come first. */
  w.id = g_strdup (sg_breakpoint_get_id (bp));
  for (guint i = 0; i < w.early_lines->len && w.want_lines != G_MAXUINT; i++)
    on_log_entry (client, g_ptr_array_index (w.early_lines, i), 0, &w);
  if (w.want_lines != G_MAXUINT)
    wait_run (&w);
  g_signal_handlers_disconnect_by_data (client, &w);

  /* Following is a session: the logpoint goes with it unless --keep. */
  if (!keep && sg_agent_client_get_state (client) == SG_AGENT_STATE_CONNECTED)
    {
      Waiter dw;

      waiter_init (&dw);
      sg_agent_client_delete_breakpoint_async (client, w.id, NULL, waiter_done, &dw);
      sg_agent_client_delete_breakpoint_finish (client, waiter_run (&dw), NULL);
      waiter_clear (&dw);
    }
  wait_clear (&w);
  close_client (client);
  return CLI_EXIT_OK;
}

/* --- breakpoints ----------------------------------------------------------- */

int
sg_cli_breakpoints (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("[list | get ID | delete ID…] — the agent's breakpoints");
  g_autoptr(SgAgentClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(ConnOptions) o = { 0 };
  const char *verb;
  int status = CLI_EXIT_OK;

  add_conn_options (context, &o);
  if (!cli_parse (context, "breakpoints", &argc, &argv))
    return CLI_EXIT_USAGE;
  verb = argc >= 2 ? argv[1] : "list";
  if (!g_str_equal (verb, "list") && !g_str_equal (verb, "get") && !g_str_equal (verb, "delete"))
    return cli_usage_error ("breakpoints", "unknown action “%s”: use list, get ID or delete ID…", verb);
  if (!g_str_equal (verb, "list") && argc < 3)
    return cli_usage_error ("breakpoints", "“%s” needs a breakpoint id", verb);
  if (!(client = open_client (&o, "breakpoints")))
    return CLI_EXIT_USAGE;

  if (g_str_equal (verb, "list"))
    {
      g_autoptr(GPtrArray) list = NULL;
      Waiter w;

      waiter_init (&w);
      sg_agent_client_list_breakpoints_async (client, NULL, waiter_done, &w);
      list = sg_agent_client_list_breakpoints_finish (client, waiter_run (&w), &error);
      waiter_clear (&w);
      if (list == NULL)
        {
          cli_error ("%s", error->message);
          return CLI_EXIT_FAILURE;
        }
      if (o.json)
        {
          g_print ("[");
          for (guint i = 0; i < list->len; i++)
            {
              g_autofree char *json = sg_breakpoint_to_json (g_ptr_array_index (list, i));
              g_print ("%s%s", i ? ",\n" : "\n", json);
            }
          g_print ("\n]\n");
        }
      else if (list->len == 0)
        g_print ("No breakpoints.\n");
      else
        {
          g_autoptr(CliTable) table = cli_table_new (5);

          cli_table_add (table, "ID", "KIND", "LOCATION", "STATE", "DETAIL", NULL);
          for (guint i = 0; i < list->len; i++)
            {
              SgBreakpoint *bp = g_ptr_array_index (list, i);
              g_autofree char *where = g_strdup_printf ("%s:%u", sg_breakpoint_get_path (bp), sg_breakpoint_get_line (bp));
              const char *detail = sg_breakpoint_get_status_message (bp);

              if (detail == NULL && sg_breakpoint_get_action (bp) == SG_BREAKPOINT_ACTION_LOG)
                detail = sg_breakpoint_get_log_message_format (bp);
              cli_table_add (table, sg_breakpoint_get_id (bp),
                             sg_breakpoint_get_action (bp) == SG_BREAKPOINT_ACTION_LOG ? "logpoint" : "snapshot",
                             where, sg_breakpoint_state_to_string (sg_breakpoint_get_state (bp)),
                             detail ? detail : "", NULL);
            }
          cli_table_print (table);
        }
    }
  else if (g_str_equal (verb, "get"))
    {
      g_autoptr(SgBreakpoint) bp = NULL;
      Waiter w;

      waiter_init (&w);
      sg_agent_client_get_breakpoint_async (client, argv[2], NULL, waiter_done, &w);
      bp = sg_agent_client_get_breakpoint_finish (client, waiter_run (&w), &error);
      waiter_clear (&w);
      if (bp == NULL)
        {
          cli_error ("%s", error->message);
          return CLI_EXIT_FAILURE;
        }
      if (o.json)
        print_breakpoint_json (bp);
      else if (sg_breakpoint_get_snapshot (bp) != NULL)
        print_snapshot (bp, FALSE, 2);
      else
        g_print ("%s %s:%u %s%s%s\n", sg_breakpoint_get_id (bp), sg_breakpoint_get_path (bp),
                 sg_breakpoint_get_line (bp), sg_breakpoint_state_to_string (sg_breakpoint_get_state (bp)),
                 sg_breakpoint_get_status_message (bp) ? ": " : "",
                 sg_breakpoint_get_status_message (bp) ? sg_breakpoint_get_status_message (bp) : "");
    }
  else
    {
      for (int i = 2; i < argc; i++)
        {
          g_autoptr(GError) delete_error = NULL;
          Waiter w;

          waiter_init (&w);
          sg_agent_client_delete_breakpoint_async (client, argv[i], NULL, waiter_done, &w);
          if (sg_agent_client_delete_breakpoint_finish (client, waiter_run (&w), &delete_error))
            g_print ("Deleted %s\n", argv[i]);
          else
            {
              cli_error ("%s", delete_error->message);
              status = CLI_EXIT_FAILURE;
            }
          waiter_clear (&w);
        }
    }
  return status;
}

/* --- record -------------------------------------------------------------------- */

static void
on_profile_event (SgAgentClient *client,
                  const char    *kind,
                  guint64        seq,
                  const char    *data,
                  Wait          *w)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  if (data == NULL || !json_parser_load_from_data (parser, data, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  object = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (json_object_get_string_member_with_default (object, "id", ""), w->id) == 0)
    g_main_loop_quit (w->loop);
}

int
sg_cli_record (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— record a profile from a running service");
  g_autoptr(SgAgentClient) client = NULL;
  g_autoptr(SgAgentProfileInfo) profile = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  g_autofree char *output = NULL;
  g_auto(ConnOptions) o = { 0 };
  double seconds = 10;
  int hz = 0;
  Wait w = { 0 };
  Waiter r;
  GOptionEntry entries[] = {
    { "type", 0, 0, G_OPTION_ARG_STRING, &type, "cpu (default), wall or heap", "TYPE" },
    { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds, "How long to record (default 10)", "SECONDS" },
    { "hz", 0, 0, G_OPTION_ARG_INT, &hz, "Sampling rate (default: the agent's)", "HZ" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the pprof profile to FILE", "FILE" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  add_conn_options (context, &o);
  if (!cli_parse (context, "record", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (output == NULL)
    return cli_usage_error ("record", "say where to write the profile with -o FILE");
  if (seconds <= 0)
    return cli_usage_error ("record", "--seconds must be positive");
  if (!(client = open_client (&o, "record")))
    return CLI_EXIT_USAGE;
  if (!connect_client (client))
    return CLI_EXIT_FAILURE;
  if (!sg_agent_info_has_capability (sg_agent_client_get_info (client), "profiles"))
    {
      g_autofree char *caps = g_strjoinv (", ", (char **) sg_agent_info_get_capabilities (sg_agent_client_get_info (client)));

      cli_error ("this agent does not record profiles (its capabilities: %s)", caps);
      close_client (client);
      return CLI_EXIT_FAILURE;
    }

  wait_init (&w);
  g_signal_connect (client, "agent-event::profile_ready", G_CALLBACK (on_profile_event), &w);
  g_signal_connect (client, "notify::state", G_CALLBACK (on_state_changed), &w);

  waiter_init (&r);
  sg_agent_client_start_profile_async (client, type ? type : "cpu", seconds, (guint) MAX (0, hz), NULL, waiter_done, &r);
  profile = sg_agent_client_start_profile_finish (client, waiter_run (&r), &error);
  waiter_clear (&r);
  if (profile == NULL)
    {
      cli_error ("%s", error->message);
      close_client (client);
      return CLI_EXIT_FAILURE;
    }
  w.id = g_strdup (sg_agent_profile_info_get_id (profile));
  if (g_strcmp0 (sg_agent_profile_info_get_state (profile), "done") != 0 &&
      g_strcmp0 (sg_agent_profile_info_get_state (profile), "ready") != 0)
    {
      g_printerr ("Recording %s for %.0f s…\n", type ? type : "cpu", seconds);
      g_timeout_add_seconds ((guint) seconds + 30, on_timeout, &w);
      g_main_loop_run (w.loop);
    }
  g_signal_handlers_disconnect_by_data (client, &w);

  if (w.timed_out)
    {
      cli_error ("the agent did not finish profile %s in time", w.id);
      close_client (client);
      return CLI_EXIT_FAILURE;
    }
  waiter_init (&r);
  sg_agent_client_fetch_profile_async (client, w.id, NULL, waiter_done, &r);
  data = sg_agent_client_fetch_profile_finish (client, waiter_run (&r), &error);
  waiter_clear (&r);
  close_client (client);
  if (data == NULL || !g_file_set_contents (output, g_bytes_get_data (data, NULL), g_bytes_get_size (data), &error))
    {
      cli_error ("%s", error->message);
      return CLI_EXIT_FAILURE;
    }
  g_print ("Wrote %s (%" G_GSIZE_FORMAT " bytes)\n", output, g_bytes_get_size (data));
  wait_clear (&w);
  return CLI_EXIT_OK;
}

/* --- memory ------------------------------------------------------------------ */

/* The per-line table, as the Memory page's Export writes it (TSV unless
 * --csv), so a script can sort or diff it. */
static int
print_memory_table (SgAgentClient *client,
                    const char    *id,
                    gboolean       csv,
                    const char    *heap_path)
{
  g_autoptr(SgAgentMemory) memory = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  Waiter w;

  waiter_init (&w);
  sg_agent_client_get_memory_async (client, id, NULL, waiter_done, &w);
  memory = sg_agent_client_get_memory_finish (client, waiter_run (&w), &error);
  waiter_clear (&w);
  if (memory == NULL)
    {
      cli_error ("%s", error->message);
      return CLI_EXIT_FAILURE;
    }
  if (!sg_agent_memory_is_ready (memory))
    {
      cli_error ("memory recording %s is %s%s%s", id, sg_agent_memory_get_state (memory),
                 sg_agent_memory_get_error (memory) ? ": " : "",
                 sg_agent_memory_get_error (memory) ? sg_agent_memory_get_error (memory) : "");
      return CLI_EXIT_FAILURE;
    }
  if (heap_path != NULL)
    {
      g_autoptr(GBytes) heap = NULL;

      if (sg_agent_memory_get_profile_id (memory) == NULL)
        {
          cli_error ("memory recording %s has no heap profile", id);
          return CLI_EXIT_FAILURE;
        }
      waiter_init (&w);
      sg_agent_client_fetch_profile_async (client, sg_agent_memory_get_profile_id (memory), NULL, waiter_done, &w);
      heap = sg_agent_client_fetch_profile_finish (client, waiter_run (&w), &error);
      waiter_clear (&w);
      if (heap == NULL || !g_file_set_contents (heap_path, g_bytes_get_data (heap, NULL), g_bytes_get_size (heap), &error))
        {
          cli_error ("%s", error->message);
          return CLI_EXIT_FAILURE;
        }
      g_printerr ("Wrote the heap profile to %s (%" G_GSIZE_FORMAT " bytes)\n", heap_path, g_bytes_get_size (heap));
    }
  text = sg_agent_memory_format_lines (sg_agent_memory_get_lines (memory),
                                       csv ? SG_AGENT_MEMORY_TEXT_CSV : SG_AGENT_MEMORY_TEXT_TSV);
  g_print ("%s", text);
  return CLI_EXIT_OK;
}

static SgAgentMemoryStatus *
get_memory_status (SgAgentClient *client)
{
  g_autoptr(GError) error = NULL;
  SgAgentMemoryStatus *status;
  Waiter w;

  waiter_init (&w);
  sg_agent_client_get_memory_status_async (client, NULL, waiter_done, &w);
  status = sg_agent_client_get_memory_status_finish (client, waiter_run (&w), &error);
  waiter_clear (&w);
  if (status == NULL)
    cli_error ("%s", error->message);
  return status;
}

int
sg_cli_memory (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new ("[status | start | stop | show [ID]] — per-line memory recordings");
  g_autoptr(SgAgentClient) client = NULL;
  g_autoptr(SgAgentMemoryStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *heap_path = NULL;
  g_auto(ConnOptions) o = { 0 };
  gboolean csv = FALSE;
  double seconds = 0;
  int frames = 0;
  const char *verb;
  Waiter w;
  GOptionEntry entries[] = {
    { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds, "start: stop by itself after SECONDS (default: until stop)", "SECONDS" },
    { "frames", 0, 0, G_OPTION_ARG_INT, &frames, "start: stack frames kept per allocation (default: the agent's, 16)", "N" },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "stop, show: print the table as CSV instead of TSV", NULL },
    { "heap-profile", 0, 0, G_OPTION_ARG_FILENAME, &heap_path, "stop, show: also write the heap profile (pprof) to FILE", "FILE" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  add_conn_options (context, &o);
  if (!cli_parse (context, "memory", &argc, &argv))
    return CLI_EXIT_USAGE;
  verb = argc >= 2 ? argv[1] : "status";
  if (!g_str_equal (verb, "status") && !g_str_equal (verb, "start") &&
      !g_str_equal (verb, "stop") && !g_str_equal (verb, "show"))
    return cli_usage_error ("memory", "unknown action “%s”: use status, start, stop or show [ID]", verb);
  if (seconds < 0 || seconds > 3600)
    return cli_usage_error ("memory", "--seconds must be between 0.01 and 3600");
  if (frames < 0 || frames > 128)
    return cli_usage_error ("memory", "--frames must be between 1 and 128");
  if (!(client = open_client (&o, "memory")))
    return CLI_EXIT_USAGE;

  if (g_str_equal (verb, "start"))
    {
      g_autoptr(SgAgentMemory) memory = NULL;

      /* The cost is said before anything is traced. */
      if ((status = get_memory_status (client)) == NULL)
        return CLI_EXIT_FAILURE;
      if (sg_agent_memory_status_get_cost_summary (status) != NULL)
        g_printerr ("Cost: %s\n", sg_agent_memory_status_get_cost_summary (status));
      waiter_init (&w);
      sg_agent_client_start_memory_async (client, seconds, (guint) frames, NULL, waiter_done, &w);
      memory = sg_agent_client_start_memory_finish (client, waiter_run (&w), &error);
      waiter_clear (&w);
      if (memory == NULL)
        {
          cli_error ("%s", error->message);
          return CLI_EXIT_FAILURE;
        }
      g_print ("%s\n", sg_agent_memory_get_id (memory));
      if (seconds > 0)
        g_printerr ("Recording for %g s; then: spyglass-cli memory show %s\n", seconds, sg_agent_memory_get_id (memory));
      else
        g_printerr ("Recording until: spyglass-cli memory stop\n");
      return CLI_EXIT_OK;
    }

  if (g_str_equal (verb, "stop"))
    {
      g_autoptr(SgAgentMemory) memory = NULL;

      waiter_init (&w);
      sg_agent_client_stop_memory_async (client, NULL, waiter_done, &w);
      memory = sg_agent_client_stop_memory_finish (client, waiter_run (&w), &error);
      waiter_clear (&w);
      if (memory == NULL)
        {
          cli_error ("%s", error->message);
          return CLI_EXIT_FAILURE;
        }
      return print_memory_table (client, sg_agent_memory_get_id (memory), csv, heap_path);
    }

  if (g_str_equal (verb, "show"))
    {
      GPtrArray *results;

      if (argc >= 3)
        return print_memory_table (client, argv[2], csv, heap_path);
      if ((status = get_memory_status (client)) == NULL)
        return CLI_EXIT_FAILURE;
      results = sg_agent_memory_status_get_results (status);
      if (results->len == 0)
        {
          cli_error ("the agent holds no memory recordings yet; start one with: spyglass-cli memory start");
          return CLI_EXIT_FAILURE;
        }
      return print_memory_table (client, sg_agent_memory_get_id (g_ptr_array_index (results, 0)), csv, heap_path);
    }

  /* status */
  if ((status = get_memory_status (client)) == NULL)
    return CLI_EXIT_FAILURE;
  {
    SgAgentMemory *current = sg_agent_memory_status_get_current (status);
    GPtrArray *results = sg_agent_memory_status_get_results (status);
    g_autoptr(CliTable) table = cli_table_new (7);

    if (current != NULL)
      g_print ("State: recording %s (%.1f s)\n", sg_agent_memory_get_id (current), sg_agent_memory_get_elapsed (current));
    else if (sg_agent_memory_status_get_tracing_by_host (status))
      g_print ("State: idle (the service runs tracemalloc itself)\n");
    else
      g_print ("State: idle\n");
    if (sg_agent_memory_status_get_cost_summary (status) != NULL)
      g_print ("Cost: %s\n", sg_agent_memory_status_get_cost_summary (status));
    if (results->len == 0)
      {
        g_print ("No recordings.\n");
        return CLI_EXIT_OK;
      }
    g_print ("\n");
    cli_table_add (table, "ID", "STATE", "START", "SECONDS", "PEAK", "ALIVE", "LINES", NULL);
    for (guint i = 0; i < results->len; i++)
      {
        SgAgentMemory *m = g_ptr_array_index (results, i);
        g_autofree char *start = format_time (sg_agent_memory_get_start (m));
        g_autofree char *duration = g_strdup_printf ("%.1f", sg_agent_memory_get_duration (m));
        g_autofree char *peak = g_format_size ((guint64) MAX (sg_agent_memory_get_traced_peak_bytes (m), 0));
        g_autofree char *alive = g_format_size ((guint64) MAX (sg_agent_memory_get_alive_bytes (m), 0));
        g_autofree char *lines = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (sg_agent_memory_get_line_count (m), 0));

        cli_table_add (table, sg_agent_memory_get_id (m), sg_agent_memory_get_state (m), start, duration,
                       peak, alive, lines, NULL);
      }
    cli_table_print (table);
  }
  return CLI_EXIT_OK;
}
