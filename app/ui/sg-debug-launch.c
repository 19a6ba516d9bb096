/* SPDX-License-Identifier: GPL-3.0-or-later */

/* A program started from the console, watched until its agent listens.
 *
 * The agent is started by `python -m spyglass run` inside the program, so
 * it listens some time after the process exists: after the interpreter has
 * started (a slow venv, a container, a wrapper script), or never, if the
 * program dies first.  Connecting at once only produced "connection
 * refused".  Instead the agent is asked (SPYGLASS_ANNOUNCE_FILE) to write a
 * file in a private folder once it listens; that file appearing is the
 * signal to start the attached client.  The launch is STARTING until that
 * client has connected once (a program may die between its agent starting
 * and the console connecting); if the program ends first, or the agent is
 * not reached within the timeout, it is FAILED, and the message says how
 * the program ended and its stderr says why.  stderr is read through a
 * pipe for that, and passed on to the console's own stderr so a terminal
 * still shows it as before. */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>

#include "sg-debug-launch.h"

#define POLL_MS      50      /* how often to look for the announce file */
#define GRACE_MS     500     /* after exit, how long to wait for stderr's end */
#define TAIL_KEEP    8192    /* bytes of stderr kept for messages */

struct _SgDebugLaunch
{
  GObject             parent_instance;

  GSubprocess        *process;
  SgAgentClient      *client;        /* weak: it holds us */
  char               *name;
  char               *announce_dir;
  char               *announce_path;
  GString            *tail;
  GCancellable       *cancellable;
  char               *message;
  SgDebugLaunchState  state;
  guint               timeout_ms;
  guint               poll_source;
  guint               timeout_source;
  guint               grace_source;
  guint               exited : 1;
  guint               stderr_done : 1;
  guint               clean_exit : 1;
};

G_DEFINE_ENUM_TYPE (SgDebugLaunchState, sg_debug_launch_state,
                    G_DEFINE_ENUM_VALUE (SG_DEBUG_LAUNCH_STARTING, "starting"),
                    G_DEFINE_ENUM_VALUE (SG_DEBUG_LAUNCH_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (SG_DEBUG_LAUNCH_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (SG_DEBUG_LAUNCH_EXITED, "exited"))

G_DEFINE_FINAL_TYPE (SgDebugLaunch, sg_debug_launch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
remove_announce_dir (SgDebugLaunch *self)
{
  if (self->announce_dir == NULL)
    return;
  g_unlink (self->announce_path);
  g_rmdir (self->announce_dir);
  g_clear_pointer (&self->announce_dir, g_free);
}

static void
set_state (SgDebugLaunch      *self,
           SgDebugLaunchState  state,
           char               *message)
{
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_handle_id (&self->timeout_source, g_source_remove);
  if (state != SG_DEBUG_LAUNCH_STARTING)
    remove_announce_dir (self);
  g_free (self->message);
  self->message = message;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static char *
describe_end (SgDebugLaunch *self)
{
  if (g_subprocess_get_if_exited (self->process))
    {
      int status = g_subprocess_get_exit_status (self->process);

      self->clean_exit = status == 0;
      if (self->state == SG_DEBUG_LAUNCH_STARTING)
        /* TRANSLATORS: a program's name and its exit status */
        return g_strdup_printf (_("%s exited with status %d while starting"), self->name, status);
      return g_strdup_printf (_("%s exited with status %d"), self->name, status);
    }
  if (self->state == SG_DEBUG_LAUNCH_STARTING)
    return g_strdup_printf (_("%s was stopped by a signal while starting"), self->name);
  return g_strdup_printf (_("%s was stopped by a signal"), self->name);
}

/* Both the exit and the end of stderr are in (or the grace ran out), so
 * the message can quote the program's last words. */
static void
finish (SgDebugLaunch *self)
{
  g_clear_handle_id (&self->grace_source, g_source_remove);
  if (self->state == SG_DEBUG_LAUNCH_STARTING)
    set_state (self, SG_DEBUG_LAUNCH_FAILED, describe_end (self));
  else if (self->state == SG_DEBUG_LAUNCH_RUNNING)
    set_state (self, SG_DEBUG_LAUNCH_EXITED, describe_end (self));
}

static gboolean
grace_cb (gpointer user_data)
{
  SgDebugLaunch *self = user_data;

  /* A child of the program may hold stderr open after it exits. */
  self->grace_source = 0;
  finish (self);
  return G_SOURCE_REMOVE;
}

static void
exited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SgDebugLaunch) self = user_data;

  if (!g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL))
    return;  /* cancelled: the launch is being disposed */
  self->exited = TRUE;
  if (self->stderr_done)
    finish (self);
  else
    self->grace_source = g_timeout_add (GRACE_MS, grace_cb, self);
}

static void read_more (SgDebugLaunch *self);

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SgDebugLaunch) self = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);
  gsize len = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

  if (len == 0)
    {
      self->stderr_done = TRUE;
      if (self->exited)
        finish (self);
      return;
    }
  /* Still the terminal's, as it was before stderr went through us. */
  fwrite (data, 1, len, stderr);
  g_string_append_len (self->tail, data, len);
  if (self->tail->len > 2 * TAIL_KEEP)
    g_string_erase (self->tail, 0, self->tail->len - TAIL_KEEP);
  read_more (self);
}

static void
read_more (SgDebugLaunch *self)
{
  g_input_stream_read_bytes_async (g_subprocess_get_stderr_pipe (self->process), 4096,
                                   G_PRIORITY_DEFAULT, self->cancellable, read_cb, g_object_ref (self));
}

static gboolean
poll_cb (gpointer user_data)
{
  SgDebugLaunch *self = user_data;

  /* The agent writes the file under a temporary name and renames it once
   * it listens, so its existence is the whole signal. */
  if (!g_file_test (self->announce_path, G_FILE_TEST_EXISTS))
    return G_SOURCE_CONTINUE;
  self->poll_source = 0;
  remove_announce_dir (self);
  if (self->client != NULL)
    sg_agent_client_start (self->client);
  return G_SOURCE_REMOVE;
}

static void
client_state_cb (SgAgentClient *client,
                 GParamSpec    *pspec,
                 SgDebugLaunch *self)
{
  if (self->state == SG_DEBUG_LAUNCH_STARTING && sg_agent_client_get_state (client) == SG_AGENT_STATE_CONNECTED)
    set_state (self, SG_DEBUG_LAUNCH_RUNNING, NULL);
}

static gboolean
timeout_cb (gpointer user_data)
{
  SgDebugLaunch *self = user_data;

  self->timeout_source = 0;
  /* A program whose agent never came up is of no use to the console and
   * would run unseen until the console quits: stop it. */
  g_subprocess_send_signal (self->process, SIGTERM);
  set_state (self, SG_DEBUG_LAUNCH_FAILED,
             /* TRANSLATORS: a program's name, then seconds */
             g_strdup_printf (_("%s started no agent the console could reach within %u s and was stopped"),
                              self->name, self->timeout_ms / 1000));
  return G_SOURCE_REMOVE;
}

static void
sg_debug_launch_dispose (GObject *object)
{
  SgDebugLaunch *self = SG_DEBUG_LAUNCH (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_handle_id (&self->timeout_source, g_source_remove);
  g_clear_handle_id (&self->grace_source, g_source_remove);
  remove_announce_dir (self);
  g_clear_weak_pointer (&self->client);

  G_OBJECT_CLASS (sg_debug_launch_parent_class)->dispose (object);
}

static void
sg_debug_launch_finalize (GObject *object)
{
  SgDebugLaunch *self = SG_DEBUG_LAUNCH (object);

  g_clear_object (&self->process);
  g_clear_object (&self->cancellable);
  g_free (self->name);
  g_free (self->announce_path);
  g_free (self->message);
  g_string_free (self->tail, TRUE);

  G_OBJECT_CLASS (sg_debug_launch_parent_class)->finalize (object);
}

static void
sg_debug_launch_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SgDebugLaunch *self = SG_DEBUG_LAUNCH (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_debug_launch_class_init (SgDebugLaunchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sg_debug_launch_dispose;
  object_class->finalize = sg_debug_launch_finalize;
  object_class->get_property = sg_debug_launch_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SG_TYPE_DEBUG_LAUNCH_STATE, SG_DEBUG_LAUNCH_STARTING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sg_debug_launch_init (SgDebugLaunch *self)
{
  self->tail = g_string_new (NULL);
  self->cancellable = g_cancellable_new ();
}

/**
 * sg_debug_launch_spawn:
 * @launcher: set up for `python -m spyglass run … -- program`; its flags
 *   and SPYGLASS_ANNOUNCE_FILE are set here
 * @name: what to call the program in messages
 * @timeout_ms: how long the agent may take to listen
 *
 * Returns: (transfer full): the running launch, STARTING
 */
SgDebugLaunch *
sg_debug_launch_spawn (GSubprocessLauncher *launcher,
                       const char * const  *argv,
                       const char          *name,
                       guint                timeout_ms,
                       GError             **error)
{
  g_autoptr(SgDebugLaunch) self = NULL;

  g_return_val_if_fail (G_IS_SUBPROCESS_LAUNCHER (launcher), NULL);
  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  self = g_object_new (SG_TYPE_DEBUG_LAUNCH, NULL);
  self->name = g_strdup (name);
  self->timeout_ms = timeout_ms;
  /* g_dir_make_tmp makes it 0700: nobody else can plant the file (or read
   * the token the agent writes into it). */
  if (!(self->announce_dir = g_dir_make_tmp ("spyglass-run-XXXXXX", error)))
    return NULL;
  self->announce_path = g_build_filename (self->announce_dir, "agent.json", NULL);
  g_subprocess_launcher_setenv (launcher, "SPYGLASS_ANNOUNCE_FILE", self->announce_path, TRUE);
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (!(self->process = g_subprocess_launcher_spawnv (launcher, argv, error)))
    return NULL;

  read_more (self);
  g_subprocess_wait_async (self->process, self->cancellable, exited_cb, g_object_ref (self));
  self->poll_source = g_timeout_add (POLL_MS, poll_cb, self);
  self->timeout_source = g_timeout_add (timeout_ms, timeout_cb, self);
  return g_steal_pointer (&self);
}

SgDebugLaunchState
sg_debug_launch_get_state (SgDebugLaunch *self)
{
  g_return_val_if_fail (SG_IS_DEBUG_LAUNCH (self), SG_DEBUG_LAUNCH_FAILED);
  return self->state;
}

const char *
sg_debug_launch_get_name (SgDebugLaunch *self)
{
  g_return_val_if_fail (SG_IS_DEBUG_LAUNCH (self), NULL);
  return self->name;
}

/**
 * sg_debug_launch_get_message:
 *
 * Returns: (nullable): once FAILED or EXITED, how the program ended
 */
const char *
sg_debug_launch_get_message (SgDebugLaunch *self)
{
  g_return_val_if_fail (SG_IS_DEBUG_LAUNCH (self), NULL);
  return self->message;
}

/**
 * sg_debug_launch_dup_stderr_tail:
 * @max_lines: how many of the last non-empty lines
 *
 * Returns: (transfer full) (nullable): the end of what the program wrote
 *   on stderr, as valid UTF-8, or %NULL if it wrote nothing
 */
char *
sg_debug_launch_dup_stderr_tail (SgDebugLaunch *self,
                                 guint          max_lines)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  guint n;

  g_return_val_if_fail (SG_IS_DEBUG_LAUNCH (self), NULL);

  text = g_utf8_make_valid (self->tail->str, self->tail->len);
  lines = g_strsplit (text, "\n", -1);
  n = g_strv_length (lines);
  for (guint i = n; i > 0 && kept->len < max_lines; i--)
    {
      char *line = g_strstrip (lines[i - 1]);

      if (line[0] != '\0')
        g_ptr_array_insert (kept, 0, line);
    }
  if (kept->len == 0)
    return NULL;
  g_ptr_array_add (kept, NULL);
  return g_strjoinv ("\n", (char **) kept->pdata);
}

/* The line that says most about why the program ended: its own last line
 * on stderr, not the agent's ("spyglass: agent stopped" comes after the
 * program's traceback); the agent's last line only if that is all there is
 * and @agent_ok (as when the agent itself could not start). */
static char *
dup_last_word (SgDebugLaunch *self,
               gboolean       agent_ok)
{
  g_autofree char *tail = sg_debug_launch_dup_stderr_tail (self, 20);
  g_auto(GStrv) lines = NULL;
  guint n;

  if (tail == NULL)
    return NULL;
  lines = g_strsplit (tail, "\n", -1);
  n = g_strv_length (lines);
  for (guint i = n; i > 0; i--)
    if (!g_str_has_prefix (lines[i - 1], "spyglass: "))
      return g_strdup (lines[i - 1]);
  return agent_ok ? g_strdup (lines[n - 1]) : NULL;
}

/**
 * sg_debug_launch_dup_summary:
 *
 * Returns: (transfer full) (nullable): one line for a notification: how
 *   the program ended and, unless it ended cleanly, its last line on stderr
 *   (the program's own, rather than the agent's)
 */
char *
sg_debug_launch_dup_summary (SgDebugLaunch *self)
{
  g_autofree char *last = NULL;

  g_return_val_if_fail (SG_IS_DEBUG_LAUNCH (self), NULL);

  if (self->message == NULL)
    return NULL;
  if (self->state == SG_DEBUG_LAUNCH_EXITED && self->clean_exit)
    return g_strdup (self->message);
  /* After a run, the agent's own lines ("ready", "stopped") explain nothing. */
  if (!(last = dup_last_word (self, self->state == SG_DEBUG_LAUNCH_FAILED)))
    return g_strdup (self->message);
  return g_strdup_printf ("%s: %s", self->message, last);
}

/**
 * sg_debug_launch_dup_details:
 *
 * Returns: (transfer full) (nullable): for a tooltip: how the program
 *   ended, then the last ten lines it wrote on stderr
 */
char *
sg_debug_launch_dup_details (SgDebugLaunch *self)
{
  g_autofree char *tail = NULL;

  g_return_val_if_fail (SG_IS_DEBUG_LAUNCH (self), NULL);

  if (self->message == NULL)
    return NULL;
  if (!(tail = sg_debug_launch_dup_stderr_tail (self, 10)))
    return g_strdup (self->message);
  return g_strdup_printf ("%s\n\n%s", self->message, tail);
}

/* Asks the program to end (SIGTERM), as quitting the console does. */
void
sg_debug_launch_terminate (SgDebugLaunch *self)
{
  g_return_if_fail (SG_IS_DEBUG_LAUNCH (self));

  if (!self->exited)
    g_subprocess_send_signal (self->process, SIGTERM);
}

static GQuark
launch_quark (void)
{
  return g_quark_from_static_string ("sg-debug-launch");
}

/**
 * sg_debug_launch_attach:
 * @client: a client for the program's agent, not started
 *
 * Ties @self to @client: @client is started once the agent listens, and
 * the launch is RUNNING once @client has connected.  The rows and the
 * Debug page, which only know the client, find the launch through it to
 * show "Starting…" and how the program ended.
 */
void
sg_debug_launch_attach (SgDebugLaunch *self,
                        SgAgentClient *client)
{
  g_return_if_fail (SG_IS_DEBUG_LAUNCH (self));
  g_return_if_fail (SG_IS_AGENT_CLIENT (client));
  g_return_if_fail (self->client == NULL);

  g_set_weak_pointer (&self->client, client);
  g_object_set_qdata_full (G_OBJECT (client), launch_quark (), g_object_ref (self), g_object_unref);
  g_signal_connect_object (client, "notify::state", G_CALLBACK (client_state_cb), self, 0);
}

/**
 * sg_debug_launch_get_for_client:
 *
 * Returns: (transfer none) (nullable): the launch whose agent @client is
 *   for, if the console started the program
 */
SgDebugLaunch *
sg_debug_launch_get_for_client (SgAgentClient *client)
{
  g_return_val_if_fail (SG_IS_AGENT_CLIENT (client), NULL);
  return g_object_get_qdata (G_OBJECT (client), launch_quark ());
}

/**
 * sg_debug_launch_dup_client_name:
 *
 * Returns: (transfer full): @client's display name; for a program started
 *   here whose agent has not answered yet (or never did), the program's
 *   name with the address, as the agent's service name would be shown
 */
char *
sg_debug_launch_dup_client_name (SgAgentClient *client)
{
  SgDebugLaunch *launch = sg_debug_launch_get_for_client (client);
  g_autofree char *name = sg_agent_client_dup_display_name (client);

  if (launch == NULL || sg_agent_client_get_info (client) != NULL)
    return g_steal_pointer (&name);
  /* Without info the display name is just host:port. */
  return g_strdup_printf ("%s (%s)", launch->name, name);
}
