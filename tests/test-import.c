/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The part-B importers on fixtures made by real tools, each checked against
 * an independent reading of the same file: pstats' own numbers (captured by
 * the fixture script), json-glib's tree parser for the JSON formats, and a
 * plain line split for collapsed stacks.  Then bad input: truncations and
 * byte mutations of every fixture must fail cleanly, naming the file.
 */
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <zlib.h>

#include "sg-import-private.h"
#include "sg-profile-io.h"

static char *
fixture (const char *dir,
         const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", dir, name, NULL);
}

static GBytes *
read_fixture (const char *dir,
              const char *name)
{
  g_autofree char *path = fixture (dir, name);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static SgProfile *
load_fixture (const char *dir,
              const char *name)
{
  g_autofree char *path = fixture (dir, name);
  g_autoptr(GError) error = NULL;
  SgProfile *profile = sg_profile_load_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

static gint64
rnd (double v)
{
  return (gint64) llround (v);
}

/* function \x1f file \x1f line → summed self of every node of that frame. */
static GHashTable *
self_by_frame (SgProfile *profile,
               guint      value)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const SgNode *nodes = sg_profile_get_nodes (profile);
  const SgFrame *frames = sg_profile_get_frames (profile);
  const gint64 *self = sg_profile_get_node_self (profile, value);

  for (guint n = 1; n < sg_profile_get_n_nodes (profile); n++)
    {
      const SgFrame *f = &frames[nodes[n].frame];
      char *key = g_strdup_printf ("%s\x1f%s\x1f%d", sg_profile_get_string (profile, f->function),
                                   sg_profile_get_string (profile, f->file), f->line);
      gint64 *sum = g_hash_table_lookup (table, key);

      if (sum == NULL)
        {
          sum = g_new0 (gint64, 1);
          g_hash_table_insert (table, key, sum);
        }
      else
        g_free (key);
      *sum += self[n];
    }
  return table;
}

static gint64
lookup_self (GHashTable *table,
             const char *function,
             const char *file,
             int         line)
{
  g_autofree char *key = g_strdup_printf ("%s\x1f%s\x1f%d", function, file, line);
  gint64 *sum = g_hash_table_lookup (table, key);

  return sum ? *sum : -1;
}

static gint64
thread_total (SgProfile  *profile,
              const char *thread,
              guint       value)
{
  guint32 id = 0;
  gint64 sum = 0;

  if (thread != NULL && !sg_profile_lookup_string (profile, thread, &id))
    return -1;
  for (guint s = 0; s < sg_profile_get_n_samples (profile); s++)
    if (sg_profile_get_samples (profile)[s].thread == id)
      sum += sg_profile_get_sample_values (profile, s)[value];
  return sum;
}

/* ---- pstats: flat totals against pstats itself ---------------------------- */

static void
test_pstats_reference (void)
{
  g_autoptr(SgProfile) profile = load_fixture ("pstats", "werkzeug-app.prof");
  g_autoptr(GHashTable) self = self_by_frame (profile, 0);
  g_autoptr(GHashTable) calls = self_by_frame (profile, 1);
  g_autoptr(GBytes) tsv = read_fixture ("pstats", "werkzeug-app.pstats.tsv");
  g_auto(GStrv) lines = g_strsplit (g_bytes_get_data (tsv, NULL), "\n", -1);
  guint checked = 0;
  gint64 sum = 0;

  g_assert_cmpstr (sg_profile_get_value_type (profile, 0), ==, "wall");
  g_assert_cmpstr (sg_profile_get_value_unit (profile, 0), ==, "nanoseconds");
  g_assert_cmpstr (sg_profile_get_value_type (profile, 1), ==, "calls");
  g_assert_cmpuint (sg_profile_get_default_value (profile), ==, 0);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = NULL;
      gint64 expected;
      gboolean builtin;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      cols = g_strsplit (lines[i], "\t", -1);
      g_assert_cmpuint (g_strv_length (cols), ==, 7);
      expected = rnd (g_ascii_strtod (cols[5], NULL) * 1e9);
      builtin = g_str_equal (cols[0], "~");
      /* pstats' tottime, rounded to the nanosecond, is the function's flat total. */
      if (expected > 0 || lookup_self (self, cols[2], builtin ? "" : cols[0], atoi (cols[1])) != -1)
        g_assert_cmpint (lookup_self (self, cols[2], builtin ? "" : cols[0], atoi (cols[1])), ==, expected);
      /* And ncalls is its flat call count. */
      g_assert_cmpint (lookup_self (calls, cols[2], builtin ? "" : cols[0], atoi (cols[1])), ==,
                       g_ascii_strtoll (cols[4], NULL, 10));
      sum += expected;
      checked++;
    }
  /* Every function pstats knows (172 in the checked-in fixture). */
  g_assert_cmpuint (checked, >, 100);
  g_assert_cmpuint (checked, ==, sg_profile_get_n_frames (profile));
  g_assert_cmpint (sg_profile_get_total (profile, 0), ==, sum);
}

/* Cumulative time of the request handler (not recursive) must match pstats'
 * cumtime: it is the sum of the totals of its nodes. */
static void
test_pstats_cumulative (void)
{
  g_autoptr(SgProfile) profile = load_fixture ("pstats", "werkzeug-app.prof");
  g_autoptr(GBytes) tsv = read_fixture ("pstats", "werkzeug-app.pstats.tsv");
  g_auto(GStrv) lines = g_strsplit (g_bytes_get_data (tsv, NULL), "\n", -1);
  const SgNode *nodes = sg_profile_get_nodes (profile);
  const gint64 *total = sg_profile_get_node_total (profile, 0);
  guint compared = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = NULL;
      double ct;
      gint64 sum = 0;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      cols = g_strsplit (lines[i], "\t", -1);
      if (!g_str_equal (cols[2], "work") && !g_str_equal (cols[2], "primes") &&
          !g_str_equal (cols[2], "dispatch_request"))
        continue;
      ct = g_ascii_strtod (cols[6], NULL);
      for (guint n = 1; n < sg_profile_get_n_nodes (profile); n++)
        if (g_str_equal (sg_profile_get_frame_function (profile, nodes[n].frame), cols[2]))
          sum += total[n];
      /* Apportioning is proportional, so only float rounding separates them. */
      g_assert_cmpfloat (fabs ((double) sum - ct * 1e9), <=, 1 + ct * 1e9 * 1e-6);
      compared++;
    }
  g_assert_cmpuint (compared, ==, 3);
}

/* ---- collapsed: against a plain split of the lines --------------------------- */

static void
test_collapsed_fixture (void)
{
  g_autoptr(SgProfile) profile = load_fixture ("collapsed", "python-sampler.folded");
  g_autoptr(GBytes) bytes = read_fixture ("collapsed", "python-sampler.folded");
  g_autoptr(GHashTable) self = self_by_frame (profile, 0);
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\n", -1);
  gint64 sum = 0;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *space = strrchr (lines[i], ' ');
      char *leaf;
      gint64 count;

      if (space == NULL)
        continue;
      count = g_ascii_strtoll (space + 1, NULL, 10);
      *space = '\0';
      leaf = strrchr (lines[i], ';');
      leaf = g_strdup (leaf ? leaf + 1 : lines[i]);
      sum += count;
      g_hash_table_insert (expected, leaf,
                           GSIZE_TO_POINTER (GPOINTER_TO_SIZE (g_hash_table_lookup (expected, leaf)) + count));
    }
  g_assert_cmpint (sum, >, 0);
  g_assert_cmpint (sg_profile_get_total (profile, 0), ==, sum);
  g_assert_cmpstr (sg_profile_get_value_type (profile, 0), ==, "samples");

  /* Leaves written "fib (sampler.py:20)" are split into function, file, line. */
  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *function = NULL;
      g_autofree char *file = NULL;
      int line;
      char *open = strrchr (key, '(');
      char *colon = strrchr (key, ':');

      g_assert_nonnull (open);
      g_assert_nonnull (colon);
      function = g_strndup (key, open - 1 - (char *) key);
      file = g_strndup (open + 1, colon - open - 1);
      line = atoi (colon + 1);
      g_assert_cmpint (lookup_self (self, function, file, line), ==, GPOINTER_TO_SIZE (value));
    }
}

static void
assert_collapsed_fails (const char *text,
                        int         code,
                        const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = sg_import_collapsed ("in.folded", text, strlen (text), &error);

  g_assert_null (profile);
  g_assert_error (error, SG_PROFILE_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, "in.folded: "));
  g_assert_nonnull (strstr (error->message, message_part));
}

static void
test_collapsed_edge_cases (void)
{
  const char *text = "# comment\r\nmain;run  7\r\n\r\nmain;;run 3\nmain;idle\t2\n#private;run 1\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = sg_import_collapsed ("x", text, strlen (text), &error);

  g_assert_no_error (error);
  /* CRLF, double spaces, tabs, empty frames and comments are tolerated;
   * a '#' line with a count is a stack. */
  g_assert_cmpint (sg_profile_get_total (profile, 0), ==, 13);
  g_assert_cmpuint (sg_profile_get_n_frames (profile), ==, 4);

  /* The largest count there is (a fuzzer found the exporter writing it). */
  {
    const char *max = "a;b 9223372036854775807\n";
    g_autoptr(SgProfile) big = sg_import_collapsed ("x", max, strlen (max), &error);
    g_assert_no_error (error);
    g_assert_cmpint (sg_profile_get_total (big, 0), ==, G_MAXINT64);
  }

  assert_collapsed_fails ("a;b 1\na;b\n", SG_PROFILE_ERROR_INVALID, "line 2");
  assert_collapsed_fails ("a;b 1\na;b", SG_PROFILE_ERROR_INVALID, "truncated");
  assert_collapsed_fails ("a;b 1 2\n", SG_PROFILE_ERROR_UNSUPPORTED, "line 1");
  assert_collapsed_fails ("a;b 99999999999999999999\n", SG_PROFILE_ERROR_TOO_LARGE, "line 1");
  assert_collapsed_fails ("a 999999999999999999\nb 999999999999999999\nc 999999999999999999\n"
                          "d 999999999999999999\ne 999999999999999999\nf 999999999999999999\n"
                          "g 999999999999999999\nh 999999999999999999\ni 999999999999999999\n"
                          "j 999999999999999999\n", SG_PROFILE_ERROR_TOO_LARGE, "line 10");
  assert_collapsed_fails ("\n\n", SG_PROFILE_ERROR_EMPTY, "no stacks");
  assert_collapsed_fails (";; 4\n", SG_PROFILE_ERROR_INVALID, "without a stack");
}

/* ---- speedscope: against json-glib ------------------------------------------ */

static void
test_speedscope_fixture (void)
{
  g_autoptr(SgProfile) profile = load_fixture ("speedscope", "python-recorder.speedscope.json");
  g_autofree char *path = fixture ("speedscope", "python-recorder.speedscope.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *profiles;
  guint n_threads;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  profiles = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "profiles");
  g_assert_cmpuint (json_array_get_length (profiles), ==, 2);
  sg_profile_get_threads (profile, &n_threads);
  g_assert_cmpuint (n_threads, ==, 2);
  g_assert_cmpstr (sg_profile_get_value_unit (profile, 0), ==, "nanoseconds");

  for (guint p = 0; p < 2; p++)
    {
      JsonObject *obj = json_array_get_object_element (profiles, p);
      const char *type = json_object_get_string_member (obj, "type");
      const char *name = json_object_get_string_member (obj, "name");
      gint64 expected = 0;

      if (g_str_equal (type, "evented"))
        {
          JsonArray *events = json_object_get_array_member (obj, "events");
          double base = json_object_get_double_member (json_array_get_object_element (events, 0), "at");
          int depth = 0;

          /* Time spent with at least one frame open, boundaries in ns from the first event. */
          for (guint e = 0; e + 1 < json_array_get_length (events); e++)
            {
              JsonObject *a = json_array_get_object_element (events, e);
              JsonObject *b = json_array_get_object_element (events, e + 1);
              depth += g_str_equal (json_object_get_string_member (a, "type"), "O") ? 1 : -1;
              if (depth > 0)
                expected += rnd ((json_object_get_double_member (b, "at") - base) * 1e3) -
                            rnd ((json_object_get_double_member (a, "at") - base) * 1e3);
            }
        }
      else
        {
          JsonArray *weights = json_object_get_array_member (obj, "weights");
          double t = 0;

          for (guint w = 0; w < json_array_get_length (weights); w++)
            t += json_array_get_double_element (weights, w);
          expected = rnd (t * 1e3);
        }
      g_assert_cmpint (expected, >, 0);
      g_assert_cmpint (thread_total (profile, name, 0), ==, expected);
    }
}

static void
assert_speedscope_fails (const char *text,
                         const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = sg_import_speedscope ("s.json", text, strlen (text), &error);

  g_assert_null (profile);
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "s.json: "));
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, message_part);
}

static void
test_speedscope_edge_cases (void)
{
  /* Members in any order, escapes, a profile without weights. */
  const char *ok = "{\"profiles\":[{\"samples\":[[0,1],[0],[]],\"type\":\"sampled\",\"unit\":\"none\","
                   "\"name\":\"t\\u00e9\"}],\"shared\":{\"frames\":[{\"name\":\"a\\nb\"},{\"name\":\"c\",\"file\":\"f.py\",\"line\":3}]},"
                   "\"$schema\":\"https://www.speedscope.app/file-format-schema.json\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = sg_import_speedscope ("s.json", ok, strlen (ok), &error);

  g_assert_no_error (error);
  /* Three samples of weight 1, the empty one (idle) at the root. */
  g_assert_cmpint (thread_total (profile, "t\xc3\xa9", 0), ==, 3);
  g_assert_cmpint (sg_profile_get_node_self (profile, 0)[SG_NODE_ROOT], ==, 1);

  /* Frames still open at the end run until endValue; a gap with nothing
   * open is no sample. */
  {
    const char *open_end = "{\"profiles\":[{\"type\":\"evented\",\"unit\":\"milliseconds\",\"endValue\":10,\"events\":["
                           "{\"type\":\"O\",\"frame\":0,\"at\":1},{\"type\":\"C\",\"frame\":0,\"at\":2},"
                           "{\"type\":\"O\",\"frame\":0,\"at\":4},{\"type\":\"O\",\"frame\":1,\"at\":4.5}]}],"
                           "\"shared\":{\"frames\":[{\"name\":\"a\"},{\"name\":\"b\"}]}}";
    g_autoptr(SgProfile) evented = sg_import_speedscope ("s", open_end, strlen (open_end), &error);

    g_assert_no_error (error);
    /* 1–2 ms in a, 4–4.5 ms in a, 4.5–10 ms in a → b */
    g_assert_cmpint (sg_profile_get_total (evented, 0), ==, 7000000);
    g_assert_cmpuint (sg_profile_get_max_depth (evented), ==, 2);
  }

  /* Profiles in different time units share the nanoseconds value type. */
  {
    const char *units = "{\"profiles\":[{\"type\":\"sampled\",\"unit\":\"milliseconds\",\"samples\":[[0]],\"weights\":[2]},"
                        "{\"type\":\"sampled\",\"unit\":\"microseconds\",\"samples\":[[0]],\"weights\":[3]}],"
                        "\"shared\":{\"frames\":[{\"name\":\"a\"}]}}";
    g_autoptr(SgProfile) mixed = sg_import_speedscope ("s", units, strlen (units), &error);

    g_assert_no_error (error);
    g_assert_cmpint (sg_profile_get_total (mixed, 0), ==, 2003000);
  }
  assert_speedscope_fails ("{\"profiles\":[{\"type\":\"sampled\",\"unit\":\"seconds\"},"
                           "{\"type\":\"sampled\",\"unit\":\"bytes\"}]}", "cannot be combined");

  /* Whole nanoseconds beyond 2⁵³ add up exactly (a fuzzer found our own
   * export of a long pstats profile reading back 17 ns off). */
  {
    const char *big = "{\"profiles\":[{\"type\":\"sampled\",\"unit\":\"nanoseconds\",\"samples\":[[0],[0]],"
                      "\"weights\":[1000000000000000001,7]}],\"shared\":{\"frames\":[{\"name\":\"a\"}]}}";
    g_autoptr(SgProfile) exact = sg_import_speedscope ("s", big, strlen (big), &error);

    g_assert_no_error (error);
    g_assert_cmpint (sg_profile_get_total (exact, 0), ==, G_GINT64_CONSTANT (1000000000000000008));
  }

  /* A byte-order mark in front is still speedscope, through the loader too. */
  {
    g_autofree char *bom = g_strconcat ("\xef\xbb\xbf", ok, NULL);
    g_autoptr(GBytes) bytes = g_bytes_new (bom, strlen (bom));
    g_autoptr(SgProfile) with_bom = sg_profile_load_bytes (bytes, "bom.json", &error);

    g_assert_no_error (error);
    g_assert_cmpint (sg_profile_get_total (with_bom, 0), ==, 3);
  }
  g_assert_cmpstr (sg_profile_get_frame_function (profile, 0), ==, "a\nb");

  assert_speedscope_fails ("{\"profiles\":[{\"type\":\"sampled\",\"unit\":\"none\",\"samples\":[[5]]}],"
                           "\"shared\":{\"frames\":[]}}", "profiles[0]: samples[0] refers to frame 5");
  assert_speedscope_fails ("{\"profiles\":[{\"type\":\"evented\",\"unit\":\"none\",\"events\":["
                           "{\"type\":\"O\",\"frame\":0,\"at\":1},{\"type\":\"C\",\"frame\":1,\"at\":2}]}],"
                           "\"shared\":{\"frames\":[{\"name\":\"a\"},{\"name\":\"b\"}]}}", "not the innermost");
  assert_speedscope_fails ("{\"profiles\":[{\"type\":\"evented\",\"unit\":\"none\",\"events\":["
                           "{\"type\":\"O\",\"frame\":0,\"at\":5},{\"type\":\"C\",\"frame\":0,\"at\":2}]}],"
                           "\"shared\":{\"frames\":[{\"name\":\"a\"}]}}", "back in time");
  assert_speedscope_fails ("{\"profiles\":[{\"type\":\"sampled\",\"unit\":\"none\",\"samples\":[[0]],"
                           "\"weights\":[1,2]}],\"shared\":{\"frames\":[{\"name\":\"a\"}]}}", "1 samples but 2 weights");
  assert_speedscope_fails ("{\"profiles\":[{\"type\":\"sampled\",\"unit\":\"furlongs\"}]}", "unknown unit");
  /* Members given twice (a fuzzer found this leaking): the last one counts. */
  assert_speedscope_fails ("{\"profiles\":[{\"type\":\"sampled\",\"type\":\"flat\",\"unit\":\"none\",\"unit\":\"none\","
                           "\"name\":\"a\",\"name\":\"b\"}]}", "unknown profile type “flat”");
  assert_speedscope_fails ("{\"profiles\":[{\"type\":\"sampled\",\n\"unit\":nul}]}", "line 2, column 8");
  assert_speedscope_fails ("{\"profiles\":[{\"type\":\"sampled\"", "truncated");
  assert_speedscope_fails ("{\"profiles\":[]}", "no profiles");
  {
    /* Deep nesting in an ignored member is skipped without recursion. */
    g_autofree char *open = g_strnfill (900, '[');
    g_autofree char *close = g_strnfill (900, ']');
    g_autofree char *deep = g_strdup_printf ("{\"x\":%s%s,\"profiles\":[]} x", open, close);
    g_autofree char *deeper = g_strdup_printf ("{\"x\":%s[%s%s]}", open, open, close);

    assert_speedscope_fails (deep, "after the end");
    assert_speedscope_fails (deeper, "nested deeper than 1024");
  }
}

/* ---- .cpuprofile: against json-glib ------------------------------------------ */

static void
test_cpuprofile_fixture (void)
{
  g_autoptr(SgProfile) profile = load_fixture ("cpuprofile", "node-workload.cpuprofile");
  g_autofree char *path = fixture ("cpuprofile", "node-workload.cpuprofile");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) self = NULL;
  g_autoptr(GHashTable) fib_ids = g_hash_table_new (NULL, NULL);
  JsonObject *root;
  JsonArray *nodes, *samples, *deltas;
  gint64 t, end, fib_time = 0;
  guint wall;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  nodes = json_object_get_array_member (root, "nodes");
  samples = json_object_get_array_member (root, "samples");
  deltas = json_object_get_array_member (root, "timeDeltas");

  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonObject *node = json_array_get_object_element (nodes, i);
      JsonObject *frame = json_object_get_object_member (node, "callFrame");
      if (g_str_equal (json_object_get_string_member (frame, "functionName"), "fib"))
        g_hash_table_add (fib_ids, GINT_TO_POINTER (json_object_get_int_member (node, "id")));
    }
  g_assert_cmpuint (g_hash_table_size (fib_ids), >, 1);

  /* A sample lasts until the next one; the last until endTime. */
  t = json_object_get_int_member (root, "startTime");
  end = json_object_get_int_member (root, "endTime");
  for (guint i = 0; i < json_array_get_length (samples); i++)
    {
      gint64 next;
      t += json_array_get_int_element (deltas, i);
      next = i + 1 < json_array_get_length (samples) ? t + json_array_get_int_element (deltas, i + 1) : end;
      if (g_hash_table_contains (fib_ids, GINT_TO_POINTER (json_array_get_int_element (samples, i))))
        fib_time += MAX (next - t, 0) * 1000;
    }

  g_assert_true (sg_profile_find_value_type (profile, "wall", &wall));
  g_assert_cmpuint (sg_profile_get_default_value (profile), ==, wall);
  g_assert_cmpint (sg_profile_get_total (profile, 0), ==, json_array_get_length (samples));
  g_assert_cmpint (sg_profile_get_total (profile, wall), ==,
                   (end - json_object_get_int_member (root, "startTime") - json_array_get_int_element (deltas, 0)) * 1000);
  self = self_by_frame (profile, wall);
  /* V8 lines are 0-based: fib is on line 7 of workload.js. */
  {
    GHashTableIter iter;
    gpointer key, value;
    gint64 fib_self = 0;

    g_hash_table_iter_init (&iter, self);
    while (g_hash_table_iter_next (&iter, &key, &value))
      if (g_str_has_prefix (key, "fib\x1f") && g_str_has_suffix (key, "workload.js\x1f" "7"))
        fib_self += *(gint64 *) value;
    g_assert_cmpint (fib_self, ==, fib_time);
  }
}

static void
assert_cpuprofile_fails (const char *text,
                         const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = sg_import_cpuprofile ("c.cpuprofile", text, strlen (text), &error);

  g_assert_null (profile);
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "c.cpuprofile: "));
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, message_part);
}

static void
test_cpuprofile_variants (void)
{
  /* Older writers link nodes by "parent"; some write hit counts only. */
  const char *by_parent = "{\"nodes\":[{\"id\":1,\"callFrame\":{\"functionName\":\"(root)\"}},"
                          "{\"id\":2,\"parent\":1,\"callFrame\":{\"functionName\":\"main\",\"url\":\"m.js\",\"lineNumber\":0}},"
                          "{\"id\":3,\"parent\":2,\"callFrame\":{\"functionName\":\"\",\"url\":\"m.js\",\"lineNumber\":4}}],"
                          "\"startTime\":100,\"endTime\":190,\"samples\":[3,2,3],\"timeDeltas\":[10,30,20]}";
  const char *hits_only = "{\"nodes\":[{\"id\":1,\"callFrame\":{\"functionName\":\"a\"},\"hitCount\":4,\"children\":[2]},"
                          "{\"id\":2,\"callFrame\":{\"functionName\":\"b\"},\"hitCount\":6}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) a = sg_import_cpuprofile ("a", by_parent, strlen (by_parent), &error);
  g_autoptr(SgProfile) b = NULL;
  const SgSample *samples;

  g_assert_no_error (error);
  /* (root) is dropped: main → (anonymous), two levels. */
  g_assert_cmpuint (sg_profile_get_max_depth (a), ==, 2);
  g_assert_cmpint (sg_profile_get_total (a, 0), ==, 3);
  /* Samples at 110, 140 and 160 µs; each lasts until the next, the last until endTime. */
  g_assert_cmpint (sg_profile_get_total (a, 1), ==, (30 + 20 + 30) * 1000);
  samples = sg_profile_get_samples (a);
  g_assert_cmpint (samples[0].timestamp_ns, ==, 110000);
  g_assert_cmpint (samples[2].timestamp_ns, ==, 160000);
  g_assert_cmpstr (sg_profile_get_frame_function (a, sg_profile_get_nodes (a)[samples[0].node].frame), ==, "(anonymous)");
  g_assert_cmpint (sg_profile_get_frames (a)[sg_profile_get_nodes (a)[samples[0].node].frame].line, ==, 5);

  b = sg_import_cpuprofile ("b", hits_only, strlen (hits_only), &error);
  g_assert_no_error (error);
  g_assert_cmpint (sg_profile_get_total (b, 0), ==, 10);
  g_assert_cmpint (sg_profile_get_total (b, 1), ==, 0);
}

static void
test_cpuprofile_edge_cases (void)
{
  assert_cpuprofile_fails ("{\"nodes\":[{\"id\":1,\"callFrame\":{\"functionName\":\"a\"},\"children\":[2]},"
                           "{\"id\":2,\"callFrame\":{\"functionName\":\"b\"},\"children\":[1]}],"
                           "\"samples\":[1],\"timeDeltas\":[1]}", "form a cycle");
  assert_cpuprofile_fails ("{\"nodes\":[{\"id\":1,\"callFrame\":{\"functionName\":\"a\"},\"children\":[3]},"
                           "{\"id\":2,\"callFrame\":{\"functionName\":\"b\"},\"children\":[3]},"
                           "{\"id\":3,\"callFrame\":{\"functionName\":\"c\"}}],"
                           "\"samples\":[1],\"timeDeltas\":[1]}", "node 3 has two parents");
  assert_cpuprofile_fails ("{\"nodes\":[{\"id\":1,\"callFrame\":{\"functionName\":\"a\"},\"parent\":2},"
                           "{\"id\":2,\"callFrame\":{\"functionName\":\"b\"},\"parent\":1}],"
                           "\"samples\":[1],\"timeDeltas\":[1]}", "cycle");
  assert_cpuprofile_fails ("{\"nodes\":[{\"id\":1,\"callFrame\":{\"functionName\":\"a\"},\"children\":[9]}],"
                           "\"samples\":[1],\"timeDeltas\":[1]}", "child 9 is not a node");
  assert_cpuprofile_fails ("{\"nodes\":[{\"id\":1,\"callFrame\":{\"functionName\":\"a\"}}],"
                           "\"samples\":[1,3],\"timeDeltas\":[1,1]}", "samples[1]: 3 is not a node id");
  assert_cpuprofile_fails ("{\"nodes\":[{\"id\":1,\"callFrame\":{\"functionName\":\"a\"}}],"
                           "\"samples\":[1,1],\"timeDeltas\":[1]}", "2 samples but 1 timeDeltas");
  assert_cpuprofile_fails ("{\"nodes\":[{\"id\":1,\"callFrame\":{}},{\"id\":1,\"callFrame\":{}}]}", "used twice");
  assert_cpuprofile_fails ("{\"nodes\":[{\"callFrame\":{}}]}", "needs an \"id\"");
  assert_cpuprofile_fails ("{\"nodes\":[{\"id\":1,\"callFrame\":{\"functionName\":\"a\\x\"}}]}", "unknown escape");
}

/* ---- pstats: bad input ------------------------------------------------------ */

static void
assert_pstats_fails (const guint8 *data,
                     gsize         len,
                     const char   *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = sg_import_pstats ("p.prof", data, len, &error);

  g_assert_null (profile);
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "p.prof: "));
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, message_part);
}

static void
test_pstats_edge_cases (void)
{
  /* {} */
  static const guint8 empty[] = { '{', '0' };
  /* a reference to itself from inside the open dict: a cycle */
  static const guint8 cycle[] = { '{' | 0x80, 'r', 0, 0, 0, 0, 'N', '0' };
  /* a tuple announcing 2³¹ items */
  static const guint8 huge[] = { '{', '(', 0, 0, 0, 0x80, '0' };
  /* key (file, line, name) mapped to a bare int */
  static const guint8 bad_value[] = { '{', ')', 3, 'z', 1, 'f', 'i', 1, 0, 0, 0, 'z', 1, 'g', 'i', 0, 0, 0, 0, '0' };
  /* marshalled code objects are not stats */
  static const guint8 code[] = { 'c', 0, 0 };
  guint8 deep[500];

  assert_pstats_fails (empty, sizeof empty, "no functions");
  assert_pstats_fails (cycle, sizeof cycle, "still open");
  assert_pstats_fails (huge, sizeof huge, "items announced");
  assert_pstats_fails (bad_value, sizeof bad_value, "stats entry 0: the value is not");
  assert_pstats_fails (code, sizeof code, "unsupported marshal type 'c'");
  /* 100 lists of one item each, nested: [[[[…]]]] */
  for (guint i = 0; i + 5 <= sizeof deep; i += 5)
    {
      static const guint8 list_of_one[] = { '[', 1, 0, 0, 0 };
      memcpy (deep + i, list_of_one, sizeof list_of_one);
    }
  assert_pstats_fails (deep, sizeof deep, "nested deeper");
}

/* ---- every importer: truncation and mutation never crash -------------------- */

/* Malformed input is located: a line, a byte offset, an index or an entry.
 * Only "nothing in it" and "not a format we read" concern the whole file. */
static void
assert_has_position (const GError *error)
{
  if (error->code == SG_PROFILE_ERROR_EMPTY || error->code == SG_PROFILE_ERROR_UNSUPPORTED)
    return;
  if (!g_regex_match_simple ("(line [0-9]+|byte [0-9]+|\\[[0-9]+\\]|entry [0-9]+)", error->message, 0, 0))
    g_error ("no position in “%s”", error->message);
}

static void
check_bad_input (const char *name,
                 const guint8 *data,
                 gsize         len)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, len);
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = sg_profile_load_bytes_bounded (bytes, name, 1 << 24, &error);

  /* Either a profile (a truncated collapsed file can end on a line) or an
   * error in our domain that starts with the file name. */
  if (profile == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == SG_PROFILE_ERROR);
      g_assert_true (g_str_has_prefix (error->message, name));
      assert_has_position (error);
    }
  else
    g_assert_no_error (error);
}

static void
test_bad_input_all (void)
{
  static const char *fixtures[][2] = {
    { "pstats", "werkzeug-app.prof" },
    { "collapsed", "python-sampler.folded" },
    { "speedscope", "python-recorder.speedscope.json" },
    { "cpuprofile", "node-workload.cpuprofile" },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);

  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      g_autoptr(GBytes) bytes = read_fixture (fixtures[f][0], fixtures[f][1]);
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);
      g_autofree guint8 *copy = g_memdup2 (data, len);
      gsize step = MAX (len / 300, 1);

      for (gsize cut = 0; cut < len; cut += cut < 64 ? 1 : step)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GBytes) part = g_bytes_new_static (data, cut);
          g_autoptr(SgProfile) profile = sg_profile_load_bytes (part, fixtures[f][1], &error);

          if (f != 1 && cut > 0)  /* collapsed may end cleanly on a line */
            {
              g_assert_null (profile);
              g_assert_true (g_str_has_prefix (error->message, fixtures[f][1]));
            }
          if (profile == NULL && cut > 0)
            assert_has_position (error);
        }
      for (guint round = 0; round < 400; round++)
        {
          memcpy (copy, data, len);
          for (guint k = g_rand_int_range (rand, 1, 8); k > 0; k--)
            copy[g_rand_int_range (rand, 0, (gint32) len)] = (guint8) g_rand_int_range (rand, 0, 256);
          check_bad_input (fixtures[f][1], copy, len);
        }
    }
}

/* ---- the loader ---------------------------------------------------------- */

static GBytes *
gzip_bytes (const guint8 *data,
            gsize         len)
{
  z_stream z = { 0 };
  gsize cap = compressBound (len) + 64;
  guint8 *out = g_malloc (cap);

  g_assert_cmpint (deflateInit2 (&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), ==, Z_OK);
  z.next_in = (Bytef *) data;
  z.avail_in = len;
  z.next_out = out;
  z.avail_out = cap;
  g_assert_cmpint (deflate (&z, Z_FINISH), ==, Z_STREAM_END);
  deflateEnd (&z);
  return g_bytes_new_take (out, z.total_out);
}

static void
test_loader_gzip (void)
{
  g_autoptr(GBytes) plain = read_fixture ("pstats", "werkzeug-app.prof");
  g_autoptr(GBytes) gz = gzip_bytes (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
  g_autoptr(GByteArray) two = g_byte_array_new ();
  g_autoptr(GBytes) two_bytes = NULL;
  g_autoptr(GBytes) cut = NULL;
  g_autoptr(SgProfile) a = NULL;
  g_autoptr(SgProfile) b = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sg_profile_detect_bytes (gz), ==, SG_FORMAT_GZIP);
  a = sg_profile_load_bytes (plain, "p", &error);
  g_assert_no_error (error);
  b = sg_profile_load_bytes (gz, "p.gz", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sg_profile_get_total (a, 0), ==, sg_profile_get_total (b, 0));
  g_assert_cmpuint (sg_profile_get_n_nodes (a), ==, sg_profile_get_n_nodes (b));

  /* A truncated stream names the file and says so. */
  cut = g_bytes_new_from_bytes (gz, 0, g_bytes_get_size (gz) / 2);
  g_clear_pointer (&b, sg_profile_unref);
  b = sg_profile_load_bytes (cut, "p.gz", &error);
  g_assert_null (b);
  g_assert_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_TRUNCATED);
  g_assert_true (g_str_has_prefix (error->message, "p.gz: byte "));
  g_clear_error (&error);

  /* Gzip inside gzip (a .gz saved from a server that gzipped it again). */
  {
    const char *text = "a;b 5\n";
    g_autoptr(GBytes) once = gzip_bytes ((const guint8 *) text, strlen (text));
    g_autoptr(GBytes) twice = gzip_bytes (g_bytes_get_data (once, NULL), g_bytes_get_size (once));
    g_autoptr(GBytes) thrice = gzip_bytes (g_bytes_get_data (twice, NULL), g_bytes_get_size (twice));
    g_autoptr(GBytes) four = gzip_bytes (g_bytes_get_data (thrice, NULL), g_bytes_get_size (thrice));
    g_autoptr(SgProfile) nested = sg_profile_load_bytes (twice, "twice.gz", &error);

    g_assert_no_error (error);
    g_assert_cmpint (sg_profile_get_total (nested, 0), ==, 5);
    g_clear_pointer (&nested, sg_profile_unref);
    nested = sg_profile_load_bytes (four, "four.gz", &error);
    g_assert_null (nested);
    g_assert_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_UNSUPPORTED);
    g_clear_error (&error);
  }

  /* Two members back to back (cat a.gz b.gz) inflate to both: collapsed
   * text doubles its counts. */
  {
    const char *text = "a;b 5\n";
    g_autoptr(GBytes) one = gzip_bytes ((const guint8 *) text, strlen (text));
    g_byte_array_append (two, g_bytes_get_data (one, NULL), g_bytes_get_size (one));
    g_byte_array_append (two, g_bytes_get_data (one, NULL), g_bytes_get_size (one));
    two_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&two));
    g_clear_pointer (&b, sg_profile_unref);
    b = sg_profile_load_bytes (two_bytes, "two.gz", &error);
    g_assert_no_error (error);
    g_assert_cmpint (sg_profile_get_total (b, 0), ==, 10);
  }
}

/* Go's raw (not gzipped) protobuf starts with time_nanos, not field 1:
 * detection must still call it pprof. */
static void
test_loader_raw_go_pprof (void)
{
  g_autoptr(GBytes) gz = read_fixture ("go", "cpu.pb.gz");
  g_autoptr(GConverter) inflater = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
  g_autoptr(GInputStream) base = g_memory_input_stream_new_from_bytes (gz);
  g_autoptr(GInputStream) in = g_converter_input_stream_new (base, inflater);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) a = NULL;
  g_autoptr(SgProfile) b = NULL;

  g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  raw = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_cmpint (sg_profile_detect_bytes (raw), ==, SG_FORMAT_PPROF);
  a = sg_profile_load_bytes (raw, "cpu.pb", &error);
  g_assert_no_error (error);
  b = sg_profile_load_bytes (gz, "cpu.pb.gz", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sg_profile_get_n_value_types (a), ==, 2);
  g_assert_cmpint (sg_profile_get_total (a, 1), ==, sg_profile_get_total (b, 1));
}

static void
test_loader_bomb (void)
{
  /* 64 MiB of one collapsed line repeated compresses to ~64 KiB; with a
   * 16 MiB bound the loader must stop, not allocate it all. */
  gsize len = 64 << 20;
  g_autofree guint8 *big = g_malloc (len);
  g_autoptr(GBytes) gz = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = NULL;

  for (gsize i = 0; i < len; i += 8)
    memcpy (big + i, "a;b;c 1\n", 8);
  gz = gzip_bytes (big, len);
  g_clear_pointer (&big, g_free);
  profile = sg_profile_load_bytes_bounded (gz, "bomb.gz", 16 << 20, &error);
  g_assert_null (profile);
  g_assert_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_TOO_LARGE);
  g_assert_true (g_str_has_prefix (error->message, "bomb.gz: "));
}

/* The bound is on the inflated size itself: exactly the bound reads, one
 * byte less refuses (the trailer-sized first buffer must not get past it). */
static void
test_loader_bound_exact (void)
{
  const char *text = "a;b;c 1\na;b 2\n";
  gsize len = strlen (text);
  g_autoptr(GBytes) gz = gzip_bytes ((const guint8 *) text, len);
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = NULL;

  profile = sg_profile_load_bytes_bounded (gz, "exact.gz", len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sg_profile_get_total (profile, 0), ==, 3);
  g_clear_pointer (&profile, sg_profile_unref);

  profile = sg_profile_load_bytes_bounded (gz, "exact.gz", len - 1, &error);
  g_assert_null (profile);
  g_assert_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_TOO_LARGE);
  g_assert_true (g_str_has_prefix (error->message, "exact.gz: "));
}

static void
test_loader_unknown (void)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) text = g_bytes_new_static ("hello world\n", 12);
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = NULL;

  profile = sg_profile_load_bytes (empty, "e", &error);
  g_assert_null (profile);
  g_assert_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_EMPTY);
  g_clear_error (&error);
  profile = sg_profile_load_bytes (text, "t.txt", &error);
  g_assert_null (profile);
  g_assert_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_UNSUPPORTED);
  g_assert_true (g_str_has_prefix (error->message, "t.txt: "));
  g_clear_error (&error);
  profile = sg_profile_load_file ("/nonexistent/x.prof", &error);
  g_assert_null (profile);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);
  /* A directory cannot be mapped; the error is about reading it. */
  profile = sg_profile_load_file (g_get_tmp_dir (), &error);
  g_assert_null (profile);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR);
}

static void
test_format_names (void)
{
  g_assert_cmpint (sg_format_from_file_name ("a/cpu.pb.gz"), ==, SG_FORMAT_PPROF);
  g_assert_cmpint (sg_format_from_file_name ("x.PPROF"), ==, SG_FORMAT_PPROF);
  g_assert_cmpint (sg_format_from_file_name ("x.folded"), ==, SG_FORMAT_COLLAPSED);
  g_assert_cmpint (sg_format_from_file_name ("x.collapsed"), ==, SG_FORMAT_COLLAPSED);
  g_assert_cmpint (sg_format_from_file_name ("x.speedscope.json"), ==, SG_FORMAT_SPEEDSCOPE);
  g_assert_cmpint (sg_format_from_file_name ("x.json"), ==, SG_FORMAT_UNKNOWN);
  g_assert_cmpint (sg_format_from_name ("Folded"), ==, SG_FORMAT_COLLAPSED);
  g_assert_cmpint (sg_format_from_name ("speedscope"), ==, SG_FORMAT_SPEEDSCOPE);
  g_assert_cmpint (sg_format_from_name ("svg"), ==, SG_FORMAT_UNKNOWN);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/pstats/reference-flat", test_pstats_reference);
  g_test_add_func ("/core/pstats/reference-cumulative", test_pstats_cumulative);
  g_test_add_func ("/core/pstats/bad-input", test_pstats_edge_cases);
  g_test_add_func ("/core/collapsed/fixture", test_collapsed_fixture);
  g_test_add_func ("/core/collapsed/edge-cases", test_collapsed_edge_cases);
  g_test_add_func ("/core/speedscope/fixture", test_speedscope_fixture);
  g_test_add_func ("/core/speedscope/edge-cases", test_speedscope_edge_cases);
  g_test_add_func ("/core/cpuprofile/fixture", test_cpuprofile_fixture);
  g_test_add_func ("/core/cpuprofile/variants", test_cpuprofile_variants);
  g_test_add_func ("/core/cpuprofile/edge-cases", test_cpuprofile_edge_cases);
  g_test_add_func ("/core/import/bad-input", test_bad_input_all);
  g_test_add_func ("/core/loader/gzip", test_loader_gzip);
  g_test_add_func ("/core/loader/gzip-bomb", test_loader_bomb);
  g_test_add_func ("/core/loader/gzip-bound-exact", test_loader_bound_exact);
  g_test_add_func ("/core/loader/raw-go-pprof", test_loader_raw_go_pprof);
  g_test_add_func ("/core/loader/unknown", test_loader_unknown);
  g_test_add_func ("/core/loader/format-names", test_format_names);
  return g_test_run ();
}
