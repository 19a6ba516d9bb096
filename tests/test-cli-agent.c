/* SPDX-License-Identifier: GPL-3.0-or-later */

/* spyglass-cli's agent commands, run as a user runs them, against the
 * fixture service under a real agent. */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sg-test-agent.h"

#define TOKEN "cli-test-token-0123456789"

static int
run_cli (SgTestAgent  *agent,
         const char   *token,
         char        **out,
         char        **err,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  int status = 0;
  va_list ap;

  g_ptr_array_add (args, (gpointer) g_getenv ("SPYGLASS_CLI"));
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  env = g_environ_setenv (env, "SPYGLASS_AGENT", agent->address, TRUE);
  env = g_environ_setenv (env, "SPYGLASS_TOKEN", token, TRUE);
  env = g_environ_unsetenv (env, "XDG_RUNTIME_DIR");
  /* The isolated test dirs hide the system's GSettings schemas, which
   * libsoup's proxy lookup reads; a user's session always has them. */
  env = g_environ_setenv (env, "XDG_DATA_DIRS", "/usr/local/share:/usr/share", TRUE);
  g_spawn_sync (NULL, (char **) args->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("stdout: %s", *out);
  g_test_message ("stderr: %s", *err);
  return g_spawn_check_wait_status (status, NULL) ? 0 : WEXITSTATUS (status);
}

static void
test_cli_snapshot_wait (void)
{
  g_autofree char *script = sg_test_fixture_path ("orders.py");
  g_autoptr(SgTestAgent) agent = sg_test_agent_start (script, TOKEN, 0);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *frame0;

  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "snapshot", "orders.py:17", "--wait",
                            "-e", "price * quantity", "--timeout", "30", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "#0 handle_order (orders.py:17)"));
  g_assert_nonnull (strstr (out, "price: int = 250"));
  g_assert_nonnull (strstr (out, "name: str = 'Ada'"));
  g_assert_nonnull (strstr (out, "password: str = <redacted>"));
  g_assert_null (strstr (out, "hunter2"));
  g_assert_nonnull (strstr (out, "price * quantity: int = "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "snapshot", "orders.py:17", "--wait", "--json",
                            "--timeout", "30", NULL), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  frame0 = json_array_get_object_element (json_object_get_array_member (
             json_node_get_object (json_parser_get_root (parser)), "stack_frames"), 0);
  g_assert_cmpstr (json_object_get_string_member (frame0, "function"), ==, "handle_order");
}

static void
test_cli_logpoint_follow (void)
{
  g_autofree char *script = sg_test_fixture_path ("orders.py");
  g_autoptr(SgTestAgent) agent = sg_test_agent_start (script, TOKEN, 0);
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "logpoint", "orders.py:17", "qty={quantity}",
                            "--level", "warning", "--follow", "--count", "3", NULL), ==, 0);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  for (guint i = 0; lines[i]; i++)
    g_assert_true (g_regex_match_simple ("^\\S+ \\S+ warning +qty=[1-5]$", lines[i], 0, 0));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* --follow removes the logpoint when it is done. */
  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "breakpoints", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "No breakpoints.\n");
}

/* Without --wait / --follow the breakpoint is set, said so, and left set. */
static void
test_cli_set_and_leave (void)
{
  g_autofree char *script = sg_test_fixture_path ("orders.py");
  g_autoptr(SgTestAgent) agent = sg_test_agent_start (script, TOKEN, 0);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "snapshot", "orders.py:17", NULL), ==, 0);
  /* The line is hit all the time: the answer may already say it was hit; never Error. */
  g_assert_true (g_regex_match_simple ("^Snapshot \\S+ set at orders.py:17 \\((Pending|Active|Hit|Finished)\\)\n$", out, 0, 0));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "logpoint", "orders.py:17", "qty={quantity}", NULL), ==, 0);
  g_assert_true (g_regex_match_simple ("^Logpoint \\S+ set at orders.py:17\n$", out, 0, 0));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "logpoint", "orders.py:17", "qty={quantity}", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"action\" : \"log\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* All three are still set (a snapshot is done only once hit). */
  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "breakpoints", "--json", NULL), ==, 0);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;

    json_parser_load_from_data (parser, out, -1, &error);
    g_assert_no_error (error);
    g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
    g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 3);
  }
}

static void
test_cli_errors (void)
{
  g_autofree char *script = sg_test_fixture_path ("orders.py");
  g_autoptr(SgTestAgent) agent = sg_test_agent_start (script, TOKEN, 0);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run_cli (agent, "wrong-token-0123456789", &out, &err, "snapshot", "orders.py:17", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "refused the token"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "snapshot", "orders.py:17", "-c", "quantity ===", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "condition"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "snapshot", "orders.py", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "FILE:LINE"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "agents", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"service\" : \"orders\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  sg_test_agent_kill (agent);
  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "breakpoints", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "Could not reach an agent"));
}

static void
test_cli_record (void)
{
  g_autofree char *script = sg_test_fixture_path ("orders.py");
  g_autoptr(SgTestAgent) agent = sg_test_agent_start (script, TOKEN, 0);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "orders.pb.gz", NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "record", "--seconds", "1", "-o", path, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "Wrote "));
  /* What the agent serves: a gzipped pprof profile. */
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 20);
  g_assert_cmpint ((guint8) contents[0], ==, 0x1f);
  g_assert_cmpint ((guint8) contents[1], ==, 0x8b);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* And the profile tools read it. */
  {
    g_autofree char *info_out = NULL, *info_err = NULL;
    g_assert_cmpint (run_cli (agent, TOKEN, &info_out, &info_err, "info", path, NULL), ==, 0);
    g_assert_nonnull (strstr (info_out, "pprof"));
  }
}

/* spyglass-cli memory: the cost first, start, the agent's refusal of a
 * second one, stop with the per-line table as TSV, show as CSV with the
 * heap profile, status listing the result. */
static void
test_cli_memory (void)
{
  g_autofree char *script = sg_test_fixture_path ("hoard.py");
  g_autoptr(SgTestAgent) agent = sg_test_agent_start (script, TOKEN, 0);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *id = NULL;
  g_autofree char *heap = NULL;
  g_autofree char *heap_data = NULL;
  g_autofree char *dir = NULL;
  g_auto(GStrv) rows = NULL;
  gboolean found = FALSE;
  gsize heap_len = 0;

  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "memory", "status", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "State: idle"));
  g_assert_nonnull (strstr (out, "Cost: while recording"));
  g_assert_nonnull (strstr (out, "No recordings."));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "memory", "start", "--frames", "8", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "mem-"));
  g_assert_nonnull (strstr (err, "Cost: while recording"));
  id = g_strstrip (g_strdup (out));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "memory", "start", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "stop it first"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_usleep (1500 * 1000);
  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "memory", "stop", NULL), ==, 0);
  rows = g_strsplit (out, "\n", -1);
  g_assert_cmpstr (rows[0], ==, "file\tline\tfunction\ttext\tincrement_bytes\tallocations\talive_bytes\talive_count\tpeak_bytes");
  for (guint i = 1; rows[i] && !found; i++)
    {
      g_auto(GStrv) fields = g_strsplit (rows[i], "\t", -1);

      if (g_strv_length (fields) == 9 && g_str_equal (fields[3], "squares = [x * x for x in range(1000, 1000 + n)]"))
        {
          gint64 increment = g_ascii_strtoll (fields[4], NULL, 10);

          g_assert_true (g_str_has_suffix (fields[0], "hoard.py"));
          g_assert_cmpint (increment, >, 3 * 1024 * 1024);
          g_assert_cmpint (increment, <, 64 * 1024 * 1024);
          found = TRUE;
        }
    }
  g_assert_true (found);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  dir = g_dir_make_tmp ("spyglass-cli-memory-XXXXXX", NULL);
  heap = g_build_filename (dir, "heap.pb.gz", NULL);
  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "memory", "show", "--csv", "--heap-profile", heap, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "file,line,function,text,increment_bytes,"));
  g_assert_nonnull (strstr (out, "squares = [x * x for x in range(1000, 1000 + n)]"));
  g_assert_true (g_file_get_contents (heap, &heap_data, &heap_len, NULL));
  g_assert_cmpuint (heap_len, >, 2);
  g_assert_cmpuint ((guchar) heap_data[0], ==, 0x1f);
  g_assert_cmpuint ((guchar) heap_data[1], ==, 0x8b);
  g_unlink (heap);
  g_rmdir (dir);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "memory", "status", NULL), ==, 0);
  g_assert_nonnull (strstr (out, id));
  g_assert_nonnull (strstr (out, "ready"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "memory", "stop", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "no memory recording is running"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (agent, TOKEN, &out, &err, "memory", "rewind", NULL), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core/cli-agent/snapshot-wait", test_cli_snapshot_wait);
  g_test_add_func ("/core/cli-agent/logpoint-follow", test_cli_logpoint_follow);
  g_test_add_func ("/core/cli-agent/set-and-leave", test_cli_set_and_leave);
  g_test_add_func ("/core/cli-agent/errors", test_cli_errors);
  g_test_add_func ("/core/cli-agent/record", test_cli_record);
  g_test_add_func ("/core/cli-agent/memory", test_cli_memory);

  return g_test_run ();
}
