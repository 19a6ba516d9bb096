/* SPDX-License-Identifier: GPL-3.0-or-later */

/* "Run Python program" with real programs under the real agent: one whose
 * interpreter takes seconds to start is waited for (the agent row says
 * "Starting…") and connects without a single refused connection or error;
 * ones that die at once (before their agent, or just after it started)
 * are reported once, with how they ended and their last line on stderr;
 * one whose agent never comes up is stopped after the timeout. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "sg-debug-agent-row.h"
#include "sg-debug-agents.h"
#include "sg-debug-launch.h"
#include "sg-debug-page.h"
#include "sg-ui-test.h"

static char *workdir;
static SgDebugPage *page;

/* What one "Run" did, as the user would have seen it. */
typedef struct
{
  SgAgentClient *client;
  GPtrArray     *problems;   /* messages of SgDebugAgents::problem */
  GArray        *states;     /* every SgAgentState the client went through */
} Record;

static void
on_problem (SgDebugAgents *agents,
            SgAgentClient *client,
            const char    *message,
            Record        *record)
{
  g_test_message ("problem: %s", message);
  g_ptr_array_add (record->problems, g_strdup (message));
}

static void
on_client_state (SgAgentClient *client,
                 GParamSpec    *pspec,
                 Record        *record)
{
  SgAgentState state = sg_agent_client_get_state (client);

  g_array_append_val (record->states, state);
}

static void
record_clear (Record *record)
{
  g_signal_handlers_disconnect_by_data (sg_debug_page_get_agents (page), record);
  g_signal_handlers_disconnect_by_data (record->client, record);
  g_ptr_array_unref (record->problems);
  g_array_unref (record->states);
}

static char *
write_file (const char *name,
            const char *text,
            int         mode)
{
  char *path = g_build_filename (workdir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
  return path;
}

static gboolean
client_connected (gpointer client)
{
  return sg_agent_client_get_state (client) == SG_AGENT_STATE_CONNECTED;
}

static gboolean
has_problem (gpointer record)
{
  return ((Record *) record)->problems->len > 0;
}

static gboolean
launch_ended (gpointer launch)
{
  return sg_debug_launch_get_state (launch) == SG_DEBUG_LAUNCH_FAILED ||
         sg_debug_launch_get_state (launch) == SG_DEBUG_LAUNCH_EXITED;
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static gboolean
row_says (GtkWidget  *row,
          const char *text)
{
  return find_descendant (row, is_label_with_text, text) != NULL;
}

/* The sidebar's row for @client, in the real window. */
static gboolean
is_row_of (GtkWidget     *widget,
           gconstpointer  client)
{
  return SG_IS_DEBUG_AGENT_ROW (widget) && sg_debug_agent_row_get_client (SG_DEBUG_AGENT_ROW (widget)) == client;
}

static GtkWidget *
sidebar_row (SgAgentClient *client)
{
  GtkWidget *row = find_descendant (GTK_WIDGET (window), is_row_of, client);

  g_assert_nonnull (row);
  return row;
}

/* What the console does on "Run": start it and make it the current agent. */
static SgAgentClient *
run (const char *interpreter,
     const char *script)
{
  g_autoptr(GError) error = NULL;
  SgAgentClient *client = sg_debug_agents_run_python (sg_debug_page_get_agents (page), interpreter, script, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  sg_debug_page_set_current_agent (page, client);
  return client;
}

/* run(), recording the problems reported and the client's states. */
static SgAgentClient *
record_run (Record     *record,
            const char *interpreter,
            const char *script)
{
  record->problems = g_ptr_array_new_with_free_func (g_free);
  record->states = g_array_new (FALSE, FALSE, sizeof (SgAgentState));
  g_signal_connect (sg_debug_page_get_agents (page), "problem", G_CALLBACK (on_problem), record);
  record->client = run (interpreter, script);
  g_signal_connect (record->client, "notify::state", G_CALLBACK (on_client_state), record);
  return record->client;
}

static gboolean
spinner_shown (GtkWidget *row)
{
  GtkWidget *spinner = find_descendant (row, is_type, GSIZE_TO_POINTER (GTK_TYPE_SPINNER));

  return spinner != NULL && gtk_widget_get_visible (spinner) && gtk_spinner_get_spinning (GTK_SPINNER (spinner));
}

/* The interpreter starts in about a second (a wrapper that sleeps, as a
 * slow venv or container would): the console waits, shows "Starting…",
 * and connects with no refused attempt, no error state and no problem. */
static void
test_slow_start (void)
{
  g_autofree char *interpreter = write_file ("slow-python", "#!/bin/sh\nsleep 1\nexec python3 \"$@\"\n", 0755);
  g_autofree char *script = write_file ("orders_slow.py",
                                        "import time\n"
                                        "while True:\n"
                                        "    time.sleep(0.2)\n", 0644);
  Record record = { 0 };
  SgAgentClient *client;
  SgDebugLaunch *launch;
  GtkWidget *row;
  gint64 started = g_get_monotonic_time ();

  client = record_run (&record, interpreter, script);
  launch = sg_debug_launch_get_for_client (client);
  g_assert_nonnull (launch);
  g_assert_cmpint (sg_debug_launch_get_state (launch), ==, SG_DEBUG_LAUNCH_STARTING);

  row = sidebar_row (client);
  g_assert_true (row_says (row, "Starting…"));
  g_assert_true (spinner_shown (row));
  g_assert_true (has_visible_label ("Starting orders_slow…"));
  wait_for_paint ();
  sg_ui_test_save_screenshot (GTK_WIDGET (window), "debug-launch-starting.png");

  wait_until (client_connected, client);
  /* Two interpreter starts (launcher, then the program) of a second each. */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (sg_debug_launch_get_state (launch), ==, SG_DEBUG_LAUNCH_RUNNING);
  g_assert_cmpstr (sg_agent_info_get_service (sg_agent_client_get_info (client)), ==, "orders_slow");
  g_assert_null (sg_agent_client_get_last_error (client));
  g_assert_cmpuint (record.problems->len, ==, 0);
  /* Straight from waiting to connected: never "lost", never failed. */
  g_assert_cmpuint (record.states->len, ==, 2);
  g_assert_cmpint (g_array_index (record.states, SgAgentState, 0), ==, SG_AGENT_STATE_CONNECTING);
  g_assert_cmpint (g_array_index (record.states, SgAgentState, 1), ==, SG_AGENT_STATE_CONNECTED);
  g_assert_false (spinner_shown (row));
  g_assert_false (row_says (row, "Starting…"));

  /* Ending the program is reported as its end. */
  sg_debug_launch_terminate (launch);
  wait_until (launch_ended, launch);
  g_assert_cmpint (sg_debug_launch_get_state (launch), ==, SG_DEBUG_LAUNCH_EXITED);
  record_clear (&record);
}

/* The interpreter dies before the agent can start (a venv's wrapper that
 * fails): one problem naming the exit status and the last line on stderr;
 * the client is never even tried; the row says how it ended, with the
 * stderr tail in its tooltip. */
static void
test_exits_before_agent (void)
{
  g_autofree char *interpreter = write_file ("broken-python",
                                             "#!/bin/sh\n"
                                             "echo 'activating .venv' >&2\n"
                                             "echo 'pyenv: python3.8: command not found' >&2\n"
                                             "exit 127\n", 0755);
  g_autofree char *script = write_file ("orders_venv.py", "print('never runs')\n", 0644);
  g_autofree char *tail = NULL;
  Record record = { 0 };
  SgAgentClient *client;
  SgDebugLaunch *launch;
  GtkWidget *row;

  client = record_run (&record, interpreter, script);
  launch = sg_debug_launch_get_for_client (client);
  row = sidebar_row (client);
  g_assert_true (row_says (row, "Starting…"));

  wait_until (has_problem, &record);
  g_assert_cmpstr (g_ptr_array_index (record.problems, 0), ==,
                   "orders_venv exited with status 127 while starting: pyenv: python3.8: command not found");
  g_assert_cmpint (sg_debug_launch_get_state (launch), ==, SG_DEBUG_LAUNCH_FAILED);
  tail = sg_debug_launch_dup_stderr_tail (launch, 10);
  g_assert_cmpstr (tail, ==, "activating .venv\npyenv: python3.8: command not found");

  g_assert_cmpuint (record.states->len, ==, 0);
  g_assert_cmpint (sg_agent_client_get_state (client), ==, SG_AGENT_STATE_DISCONNECTED);
  g_assert_true (row_says (row, "exited with status 127 while starting"));
  g_assert_false (spinner_shown (row));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (row), "activating .venv\npyenv: python3.8"));
  /* The Debug page says it too, in its status line and a toast. */
  g_assert_true (has_visible_label ("orders_venv exited with status 127 while starting"));
  g_assert_cmpstr (sg_debug_page_get_last_message (page), ==, g_ptr_array_index (record.problems, 0));
  wait_for_paint ();
  sg_ui_test_save_screenshot (GTK_WIDGET (window), "debug-launch-failed.png");

  /* Nothing more comes later (no retries, no second report). */
  sg_ui_test_flush_frames (25);
  g_assert_cmpuint (record.problems->len, ==, 1);
  g_assert_cmpuint (record.states->len, ==, 0);
  record_clear (&record);
}

/* The program dies right after its agent started (an import error in the
 * program's own code): whether or not the console got to connect in
 * between, the one report is the exit with the exception's line, never a
 * refused or lost connection. */
static void
test_exits_at_once (void)
{
  g_autofree char *script = write_file ("orders_broken.py",
                                        "import sys\n"
                                        "sys.stderr.write('reading config.ini\\n')\n"
                                        "raise SystemExit('orders: config.ini has no [db] section')\n", 0644);
  Record record = { 0 };
  SgAgentClient *client;
  SgDebugLaunch *launch;
  const char *message;

  client = record_run (&record, "python3", script);
  launch = sg_debug_launch_get_for_client (client);

  wait_until (has_problem, &record);
  message = g_ptr_array_index (record.problems, 0);
  g_assert_true (g_str_has_prefix (message, "orders_broken exited with status 1"));
  g_assert_true (g_str_has_suffix (message, ": orders: config.ini has no [db] section"));
  g_assert_true (launch_ended (launch));

  /* A lost-connection report would come within half a second. */
  sg_ui_test_flush_frames (50);
  g_assert_cmpuint (record.problems->len, ==, 1);
  g_assert_cmpint (sg_agent_client_get_state (client), ==, SG_AGENT_STATE_DISCONNECTED);
  record_clear (&record);
}

/* A program whose agent never comes up is stopped once the timeout has
 * passed, and the message says so (the launch bound, tried directly with
 * a short timeout on a program that does not start an agent). */
static void
test_agent_never_listens (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  const char *argv[] = { "sh", "-c", "echo 'waiting for the database' >&2; exec sleep 30", NULL };
  g_autoptr(SgDebugLaunch) launch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  gint64 started = g_get_monotonic_time ();

  launch = sg_debug_launch_spawn (launcher, argv, "stuck", 1000, &error);
  g_assert_no_error (error);
  wait_until (launch_ended, launch);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpint (sg_debug_launch_get_state (launch), ==, SG_DEBUG_LAUNCH_FAILED);
  summary = sg_debug_launch_dup_summary (launch);
  g_assert_cmpstr (summary, ==, "stuck started no agent the console could reach within 1 s and was stopped: "
                                "waiting for the database");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  if (!sg_ui_test_init (&argc, &argv))
    return 0;
  sg_window_show_page (window, "debug");
  page = SG_DEBUG_PAGE (adw_view_stack_get_child_by_name (get_stack (), "debug"));
  workdir = g_dir_make_tmp ("spyglass-launch-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/ui/debug-launch/slow-start", test_slow_start);
  g_test_add_func ("/ui/debug-launch/exits-before-agent", test_exits_before_agent);
  g_test_add_func ("/ui/debug-launch/exits-at-once", test_exits_at_once);
  g_test_add_func ("/ui/debug-launch/agent-never-listens", test_agent_never_listens);
  ret = g_test_run ();

  sg_debug_agents_shutdown (sg_debug_page_get_agents (page));
  {
    const char *rm[] = { "rm", "-rf", workdir, NULL };
    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  g_free (workdir);
  return sg_ui_test_finish (ret);
}
