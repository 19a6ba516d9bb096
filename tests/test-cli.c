/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * spyglass-cli as a user runs it: the built binary, real fixtures, its
 * output and exit codes (0 ok, 1 failure or regression, 2 usage).
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *
fixture (const char *dir,
         const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", dir, name, NULL);
}

static void
run_cli (Run        *run,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("SPYGLASS_CLI");
  int wait_status;
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (args, (gpointer) cli);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_cli_usage (void)
{
  g_auto(Run) none = { 0 };
  g_auto(Run) help = { 0 };
  g_auto(Run) version = { 0 };
  g_auto(Run) unknown = { 0 };
  g_auto(Run) bad_option = { 0 };
  g_auto(Run) missing = { 0 };
  g_auto(Run) top_help = { 0 };

  run_cli (&none, NULL);
  g_assert_cmpint (none.status, ==, 2);
  g_assert_nonnull (strstr (none.out, "Usage: spyglass-cli COMMAND"));
  run_cli (&help, "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "convert IN OUT"));
  run_cli (&version, "--version", NULL);
  g_assert_cmpint (version.status, ==, 0);
  g_assert_true (g_str_has_prefix (version.out, "spyglass-cli "));
  run_cli (&unknown, "frobnicate", NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "unknown command"));
  run_cli (&bad_option, "top", "--no-such-option", "x", NULL);
  g_assert_cmpint (bad_option.status, ==, 2);
  run_cli (&missing, "top", NULL);
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.err, "no FILE"));
  run_cli (&top_help, "top", "--help", NULL);
  g_assert_cmpint (top_help.status, ==, 0);
  g_assert_nonnull (strstr (top_help.out, "--nodecount"));
}

/* top prints pprof's columns and numbers: compare with the reference
 * `go tool pprof -top` output checked in with the Go fixtures. */
static void
test_cli_top_matches_pprof (void)
{
  g_autofree char *profile = fixture ("go", "cpu.pb.gz");
  g_autofree char *reference_path = fixture ("go", "cpu-cpu.top.txt");
  g_autofree char *reference = NULL;
  g_auto(GStrv) ref_lines = NULL;
  g_auto(GStrv) out_lines = NULL;
  g_auto(Run) run = { 0 };
  guint ref_row = 0, compared = 0;

  run_cli (&run, "top", "--nodecount=6", "--value", "cpu", profile, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Type: cpu\n"));
  g_assert_nonnull (strstr (run.out, "Showing top 6 nodes out of "));
  g_assert_nonnull (strstr (run.out, " flat  flat%   sum%   cum   cum%\n"));

  g_assert_true (g_file_get_contents (reference_path, &reference, NULL, NULL));
  ref_lines = g_strsplit (reference, "\n", -1);
  while (ref_lines[ref_row] && !strstr (ref_lines[ref_row], "flat%"))
    ref_row++;
  out_lines = g_strsplit (run.out, "\n", -1);
  for (guint i = 0; out_lines[i]; i++)
    {
      g_auto(GStrv) ours = NULL;
      g_auto(GStrv) theirs = NULL;
      g_autofree char *flat = NULL;

      if (!g_str_has_suffix (out_lines[i], "%") && !strstr (out_lines[i], "%  "))
        continue;
      if (strstr (out_lines[i], "flat%"))
        continue;
      ref_row++;
      ours = g_strsplit_set (g_strstrip (out_lines[i]), " ", -1);
      theirs = g_strsplit_set (g_strstrip (ref_lines[ref_row]), " ", -1);
      /* Drop the empty strings runs of spaces leave. */
      {
        guint a = 0, b = 0;
        for (guint k = 0; ours[k]; k++)
          if (ours[k][0])
            ours[a++] = ours[k];
          else
            g_free (ours[k]);
        ours[a] = NULL;
        for (guint k = 0; theirs[k]; k++)
          if (theirs[k][0])
            theirs[b++] = theirs[k];
          else
            g_free (theirs[k]);
        theirs[b] = NULL;
      }
      /* flat%, sum%, cum% and the name are identical; flat is in seconds. */
      g_assert_cmpstr (ours[1], ==, theirs[1]);
      g_assert_cmpstr (ours[2], ==, theirs[2]);
      g_assert_cmpstr (ours[4], ==, theirs[4]);
      g_assert_cmpstr (ours[5], ==, theirs[5]);
      flat = g_strdup_printf ("%.2fs", g_ascii_strtod (theirs[0], NULL) / 1e9);
      g_assert_cmpstr (ours[0], ==, flat);
      compared++;
    }
  g_assert_cmpuint (compared, ==, 6);
}

static void
test_cli_info_json (void)
{
  g_autofree char *path = fixture ("cpuprofile", "node-workload.cpuprofile");
  g_autoptr(JsonNode) root = NULL;
  g_auto(Run) run = { 0 };
  JsonObject *info;
  JsonArray *values;

  run_cli (&run, "info", "--json", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  info = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpstr (json_object_get_string_member (info, "format"), ==, "Chrome .cpuprofile");
  g_assert_cmpint (json_object_get_int_member (info, "samples"), ==, 89);
  values = json_object_get_array_member (info, "values");
  g_assert_cmpuint (json_array_get_length (values), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (values, 0), "total"), ==, 89);

  /* The format is told from the inflated head of a gzipped file. */
  {
    g_autofree char *agent = g_test_build_filename (G_TEST_DIST, "fixtures", "pprof", "agent-wall.pb.gz", NULL);
    g_auto(Run) gz = { 0 };
    g_autoptr(JsonNode) gz_root = NULL;
    JsonObject *gz_info;

    run_cli (&gz, "info", "--json", agent, NULL);
    g_assert_cmpint (gz.status, ==, 0);
    gz_root = parse_json (gz.out);
    gz_info = json_array_get_object_element (json_node_get_array (gz_root), 0);
    g_assert_cmpstr (json_object_get_string_member (gz_info, "format"), ==, "pprof");
    g_assert_true (json_object_get_boolean_member (gz_info, "gzip"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (gz_info, "threads")), ==, 2);
  }
}

static gint64
json_total (const char *path,
            guint       value)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *info;

  run_cli (&run, "info", "--json", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  info = json_array_get_object_element (json_node_get_array (root), 0);
  return json_object_get_int_member (json_array_get_object_element (json_object_get_array_member (info, "values"), value),
                                     "total");
}

static void
test_cli_convert (void)
{
  g_autofree char *in = fixture ("pstats", "werkzeug-app.prof");
  g_autofree char *dir = g_dir_make_tmp ("spyglass-cli-XXXXXX", NULL);
  g_autofree char *speedscope = g_build_filename (dir, "out.speedscope.json", NULL);
  g_autofree char *pprof = g_build_filename (dir, "out.pb.gz", NULL);
  g_autofree char *folded = g_build_filename (dir, "out.folded", NULL);
  g_autofree char *bad = g_build_filename (dir, "out.txt", NULL);
  g_autofree char *never = g_build_filename (dir, "never.folded", NULL);
  gint64 total = json_total (in, 0);
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) c = { 0 };
  g_auto(Run) d = { 0 };
  g_auto(Run) e = { 0 };
  g_auto(Run) f = { 0 };

  g_assert_cmpint (total, >, 0);
  run_cli (&a, "convert", in, speedscope, NULL);
  g_assert_cmpint (a.status, ==, 0);
  run_cli (&b, "convert", speedscope, pprof, NULL);
  g_assert_cmpint (b.status, ==, 0);
  run_cli (&c, "convert", "--to", "folded", pprof, folded, NULL);
  g_assert_cmpint (c.status, ==, 0);
  /* pstats → speedscope → pprof → collapsed keeps the total. */
  g_assert_cmpint (json_total (speedscope, 0), ==, total);
  g_assert_cmpint (json_total (pprof, 0), ==, total);
  g_assert_cmpint (json_total (folded, 0), ==, total);

  run_cli (&d, "convert", in, bad, NULL);
  g_assert_cmpint (d.status, ==, 2);
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
  run_cli (&e, "convert", "/nonexistent.prof", never, NULL);
  g_assert_cmpint (e.status, ==, 1);
  g_assert_false (g_file_test (never, G_FILE_TEST_EXISTS));

  run_cli (&f, "convert", "--to", "collapsed", in, "-", NULL);
  g_assert_cmpint (f.status, ==, 0);
  g_assert_nonnull (strstr (f.out, "primes ("));

  g_unlink (speedscope);
  g_unlink (pprof);
  g_unlink (folded);
  g_rmdir (dir);
}

static void
test_cli_diff_fail_above (void)
{
  g_autofree char *dir = g_dir_make_tmp ("spyglass-cli-XXXXXX", NULL);
  g_autofree char *base = g_build_filename (dir, "base.folded", NULL);
  g_autofree char *test = g_build_filename (dir, "test.folded", NULL);
  g_autoptr(JsonNode) root = NULL;
  g_auto(Run) strict = { 0 };
  g_auto(Run) lenient = { 0 };
  g_auto(Run) json = { 0 };

  /* handle's share of the total grows from 50 % to 80 %: +30 points. */
  g_assert_true (g_file_set_contents (base, "main;handle 50\nmain;idle 50\n", -1, NULL));
  g_assert_true (g_file_set_contents (test, "main;handle 160\nmain;idle 40\n", -1, NULL));

  run_cli (&strict, "diff", "--fail-above", "10", base, test, NULL);
  g_assert_cmpint (strict.status, ==, 1);
  g_assert_nonnull (strstr (strict.err, "regression"));
  g_assert_nonnull (strstr (strict.out, "+30.00"));
  run_cli (&lenient, "diff", "--fail-above", "30.5", base, test, NULL);
  g_assert_cmpint (lenient.status, ==, 0);
  run_cli (&json, "diff", "--json", "--fail-above", "10", base, test, NULL);
  g_assert_cmpint (json.status, ==, 1);
  root = parse_json (json.out);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (root), "failed"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_node_get_object (root), "max_regression_points"),
                                  30.0, 1e-9);

  g_unlink (base);
  g_unlink (test);
  g_rmdir (dir);
}

static gint64
top_total (const char *first,
           ...)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  const char *args[12] = { "top", "--json" };
  guint n = 2;
  va_list ap;

  va_start (ap, first);
  for (const char *a = first; a != NULL && n < G_N_ELEMENTS (args) - 1; a = va_arg (ap, const char *))
    args[n++] = a;
  va_end (ap);
  run_cli (&run, args[0], args[1], n > 2 ? args[2] : NULL, n > 3 ? args[3] : NULL, n > 4 ? args[4] : NULL,
           n > 5 ? args[5] : NULL, n > 6 ? args[6] : NULL, NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  return json_object_get_int_member (json_node_get_object (root), "total");
}

static void
test_cli_selection (void)
{
  g_autofree char *speedscope = fixture ("speedscope", "python-recorder.speedscope.json");
  g_autofree char *folded = fixture ("collapsed", "python-sampler.folded");
  gint64 all = top_total (speedscope, NULL);
  gint64 worker = top_total ("--thread", "worker", speedscope, NULL);
  gint64 main_thread = top_total ("--thread", "MainThread", speedscope, NULL);
  gint64 everything = top_total (folded, NULL);
  gint64 fib = top_total ("--focus", "^fib$", folded, NULL);
  gint64 no_fib = top_total ("--ignore", "^fib$", folded, NULL);
  g_auto(Run) bad_regex = { 0 };
  g_auto(Run) bad_value = { 0 };

  /* Threads partition the profile; focus and ignore partition the stacks. */
  g_assert_cmpint (worker, >, 0);
  g_assert_cmpint (main_thread, >, 0);
  g_assert_cmpint (worker + main_thread, ==, all);
  g_assert_cmpint (fib, >, 0);
  g_assert_cmpint (no_fib, >, 0);
  g_assert_cmpint (fib + no_fib, ==, everything);

  run_cli (&bad_regex, "top", "--focus", "(", folded, NULL);
  g_assert_cmpint (bad_regex.status, ==, 1);
  run_cli (&bad_value, "top", "--value", "inuse_space", folded, NULL);
  g_assert_cmpint (bad_value.status, ==, 1);
  g_assert_nonnull (strstr (bad_value.err, "it has: samples"));
}

static void
test_cli_stdin (void)
{
  g_autofree char *path = fixture ("go", "heap.pb.gz");
  g_autofree char *contents = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("SPYGLASS_CLI"), "top", "--value", "inuse_space", "-n", "2", "-", NULL };
  gsize len;
  int status;
  GPid pid;
  int in_fd, out_fd;

  /* gzipped pprof through a pipe, as `curl … | spyglass-cli top -` does. */
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, &in_fd, &out_fd, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (write (in_fd, contents, len), ==, (gssize) len);
  close (in_fd);
  {
    g_autoptr(GIOChannel) channel = g_io_channel_unix_new (out_fd);
    g_io_channel_set_close_on_unref (channel, TRUE);
    g_io_channel_read_to_end (channel, &out, NULL, &error);
    g_assert_no_error (error);
  }
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_assert_nonnull (strstr (out, "main.allocateBig"));
  g_assert_nonnull (strstr (out, "16MB 61.49%"));
}

static void
test_cli_lines_and_errors (void)
{
  g_autofree char *folded = fixture ("collapsed", "python-sampler.folded");
  g_autofree char *dir = g_dir_make_tmp ("spyglass-cli-XXXXXX", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken.folded", NULL);
  g_auto(Run) lines = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) no_source = { 0 };

  run_cli (&lines, "lines", "--source", "sampler.py", folded, NULL);
  g_assert_cmpint (lines.status, ==, 0);
  g_assert_nonnull (strstr (lines.out, "flat cum line"));
  run_cli (&no_source, "lines", folded, NULL);
  g_assert_cmpint (no_source.status, ==, 2);

  g_assert_true (g_file_set_contents (broken, "main;a 1\nmain;b\n", -1, NULL));
  run_cli (&bad, "top", broken, NULL);
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_nonnull (strstr (bad.err, "broken.folded: line 2"));
  g_unlink (broken);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/cli/usage", test_cli_usage);
  g_test_add_func ("/core/cli/top-matches-pprof", test_cli_top_matches_pprof);
  g_test_add_func ("/core/cli/info-json", test_cli_info_json);
  g_test_add_func ("/core/cli/convert", test_cli_convert);
  g_test_add_func ("/core/cli/diff-fail-above", test_cli_diff_fail_above);
  g_test_add_func ("/core/cli/lines-and-errors", test_cli_lines_and_errors);
  g_test_add_func ("/core/cli/selection", test_cli_selection);
  g_test_add_func ("/core/cli/stdin", test_cli_stdin);
  return g_test_run ();
}
