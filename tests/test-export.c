/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Exporter round trips: every fixture, read → written → read again, keeps
 * its totals, every function's self total and (speedscope, pprof) every
 * thread's total.
 */
#include <gio/gio.h>
#include <string.h>

#include "sg-import-private.h"
#include "sg-profile-io.h"

static const char *fixtures[][2] = {
  { "pstats", "werkzeug-app.prof" },
  { "collapsed", "python-sampler.folded" },
  { "speedscope", "python-recorder.speedscope.json" },
  { "cpuprofile", "node-workload.cpuprofile" },
  { "go", "cpu.pb.gz" },
  { "go", "heap.pb.gz" },
  { "pprof", "agent-wall.pb.gz" },  /* threads and timestamps, from the Python agent */
};

static SgProfile *
load_fixture (guint i)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", fixtures[i][0], fixtures[i][1], NULL);
  g_autoptr(GError) error = NULL;
  SgProfile *profile = sg_profile_load_file (path, &error);

  g_assert_no_error (error);
  return profile;
}

static SgProfile *
round_trip (SgProfile *profile,
            SgFormat   format,
            guint      value)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SgProfile *again;

  g_assert_true (sg_profile_export (profile, format, value, out, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  /* What we write, we detect as what it is. */
  if (format != SG_FORMAT_PPROF)
    g_assert_cmpint (sg_profile_detect_bytes (bytes), ==, format);
  again = sg_profile_load_bytes (bytes, "round-trip", &error);
  g_assert_no_error (error);
  return again;
}

/* function \x1f file \x1f line → self, summed over nodes. */
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
      char *key;
      gint64 *sum;

      if (self[n] == 0)
        continue;
      key = g_strdup_printf ("%s\x1f%s\x1f%d", sg_profile_get_string (profile, f->function),
                             sg_profile_get_string (profile, f->file), MAX (f->line, 0));
      sum = g_hash_table_lookup (table, key);
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

static void
assert_same_self (SgProfile *a,
                  guint      va,
                  SgProfile *b,
                  guint      vb)
{
  g_autoptr(GHashTable) x = self_by_frame (a, va);
  g_autoptr(GHashTable) y = self_by_frame (b, vb);
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (g_hash_table_size (x), ==, g_hash_table_size (y));
  g_hash_table_iter_init (&iter, x);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 *other = g_hash_table_lookup (y, key);
      if (other == NULL)
        g_error ("frame “%s” lost in the round trip", (char *) key);
      g_assert_cmpint (*(gint64 *) value, ==, *other);
    }
}

static gint64
thread_total (SgProfile *profile,
              guint32    thread,
              guint      value)
{
  gint64 sum = 0;

  for (guint s = 0; s < sg_profile_get_n_samples (profile); s++)
    if (sg_profile_get_samples (profile)[s].thread == thread)
      sum += sg_profile_get_sample_values (profile, s)[value];
  return sum;
}

static void
test_round_trip_collapsed (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(SgProfile) profile = load_fixture (i);
      guint value = sg_profile_get_default_value (profile);
      g_autoptr(SgProfile) again = round_trip (profile, SG_FORMAT_COLLAPSED, value);

      g_test_message ("%s", fixtures[i][1]);
      g_assert_cmpint (sg_profile_get_total (again, 0), ==, sg_profile_get_total (profile, value));
      assert_same_self (profile, value, again, 0);
    }
}

static void
test_round_trip_speedscope (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(SgProfile) profile = load_fixture (i);
      guint value = sg_profile_get_default_value (profile);
      g_autoptr(SgProfile) again = round_trip (profile, SG_FORMAT_SPEEDSCOPE, value);
      guint n_threads;
      const guint32 *threads = sg_profile_get_threads (profile, &n_threads);

      g_test_message ("%s", fixtures[i][1]);
      g_assert_cmpint (sg_profile_get_total (again, 0), ==, sg_profile_get_total (profile, value));
      assert_same_self (profile, value, again, 0);
      /* One speedscope profile per thread, named after it. */
      for (guint t = 0; t < n_threads; t++)
        {
          guint32 id = 0;
          if (threads[t] == 0)
            continue;
          g_assert_true (sg_profile_lookup_string (again, sg_profile_get_string (profile, threads[t]), &id));
          g_assert_cmpint (thread_total (again, id, 0), ==, thread_total (profile, threads[t], value));
        }
    }
}

static void
test_round_trip_pprof (void)
{
  /* The part-B importers' profiles survive pprof (the agent's format) with
   * every value type. */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(SgProfile) profile = load_fixture (i);
      g_autoptr(SgProfile) again = round_trip (profile, SG_FORMAT_PPROF, G_MAXUINT);

      g_test_message ("%s", fixtures[i][1]);
      g_assert_cmpuint (sg_profile_get_n_value_types (again), ==, sg_profile_get_n_value_types (profile));
      for (guint v = 0; v < sg_profile_get_n_value_types (profile); v++)
        {
          g_assert_cmpint (sg_profile_get_total (again, v), ==, sg_profile_get_total (profile, v));
          assert_same_self (profile, v, again, v);
        }
    }
}

static void
test_export_edge_cases (void)
{
  /* Frame names with the collapsed separators, or ending in a number like
   * a count (a fuzzer found "x 5" read back as a differential line), still
   * give one frame each. */
  const char *json = "{\"profiles\":[{\"type\":\"sampled\",\"unit\":\"none\",\"samples\":[[0,1],[0,1,2]],\"weights\":[3,4]}],"
                     "\"shared\":{\"frames\":[{\"name\":\"a;b\"},{\"name\":\"c\\nd\",\"file\":\"x.py\",\"line\":2},"
                     "{\"name\":\"worker 5\"}]}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = sg_import_speedscope ("s", json, strlen (json), &error);
  g_autoptr(SgProfile) again = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  g_assert_no_error (error);
  again = round_trip (profile, SG_FORMAT_COLLAPSED, 0);
  g_assert_cmpuint (sg_profile_get_n_frames (again), ==, 3);
  g_assert_cmpuint (sg_profile_get_max_depth (again), ==, 3);
  g_assert_cmpint (sg_profile_get_total (again, 0), ==, 7);

  g_assert_false (sg_profile_export (profile, SG_FORMAT_CPUPROFILE, 0, out, NULL, &error));
  g_assert_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (sg_profile_export (profile, SG_FORMAT_COLLAPSED, 7, out, NULL, &error));
  g_assert_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (sg_profile_save (profile, "/nonexistent-dir/x.folded", SG_FORMAT_UNKNOWN, 0, &error));
  g_assert_nonnull (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/export/round-trip-collapsed", test_round_trip_collapsed);
  g_test_add_func ("/core/export/round-trip-speedscope", test_round_trip_speedscope);
  g_test_add_func ("/core/export/round-trip-pprof", test_round_trip_pprof);
  g_test_add_func ("/core/export/edge-cases", test_export_edge_cases);
  return g_test_run ();
}
