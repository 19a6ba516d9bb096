/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The pprof importer and exporter against real Go profiles.  The reference
 * totals are `go tool pprof -top` output captured next to the fixtures
 * (tests/fixtures/go/regenerate.sh), so no Go is needed here.
 */
#include "sg-pprof.h"
#include "sg-analysis.h"
#include "sg-profile-builder.h"

#include "profile.pb-c.h"

#include <string.h>

static SgProfile *
load_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "go", name, NULL);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  SgProfile *profile;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_no_error (error);
  profile = sg_pprof_import (name, (const guint8 *) data, len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

typedef struct
{
  gint64 flat;
  gint64 cum;
} Totals;

/* Parses `go tool pprof -top` text: "flat flat% sum% cum cum% name". */
static GHashTable *
load_reference (const char *name,
                gint64     *total)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "go", name, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gboolean in_rows = FALSE;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = NULL;
      g_autofree char *fn = NULL;
      const char *of;
      Totals *t;

      if ((of = strstr (lines[i], "% of ")) != NULL && g_str_has_prefix (lines[i], "Showing nodes"))
        *total = g_ascii_strtoll (of + strlen ("% of "), NULL, 10);
      if (g_str_has_prefix (g_strstrip (g_strdup (lines[i])), "flat"))
        {
          in_rows = TRUE;
          continue;
        }
      if (!in_rows || lines[i][0] == '\0')
        continue;

      cols = g_regex_split_simple ("\\s+", g_strstrip (lines[i]), 0, 0);
      g_assert_cmpuint (g_strv_length (cols), >=, 6);
      fn = g_strjoinv (" ", cols + 5);
      if (g_str_has_suffix (fn, " (inline)"))
        fn[strlen (fn) - strlen (" (inline)")] = '\0';
      t = g_new0 (Totals, 1);
      t->flat = g_ascii_strtoll (cols[0], NULL, 10);
      t->cum = g_ascii_strtoll (cols[3], NULL, 10);
      g_hash_table_insert (table, g_steal_pointer (&fn), t);
    }
  return table;
}

static void
compare_with_go (SgProfile  *profile,
                 const char *value_type,
                 const char *reference)
{
  gint64 ref_total = -1;
  g_autoptr(GHashTable) expected = load_reference (reference, &ref_total);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GArray) rows = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint vi;

  g_assert_true (sg_profile_find_value_type (profile, value_type, &vi));
  rows = sg_profile_top (profile, SG_TOP_BY_FUNCTION, vi);

  /* the reference names functions only: sum our (function, file) rows */
  for (guint i = 0; i < rows->len; i++)
    {
      SgTopRow *row = &g_array_index (rows, SgTopRow, i);
      const char *fn = sg_profile_get_string (profile, row->function);
      Totals *t = g_hash_table_lookup (seen, fn);
      if (t == NULL)
        {
          t = g_new0 (Totals, 1);
          g_hash_table_insert (seen, g_strdup (fn), t);
        }
      t->flat += row->flat;
      t->cum += row->cum;
    }

  g_assert_cmpint (sg_profile_get_total (profile, vi), ==, ref_total);
  g_assert_cmpuint (g_hash_table_size (expected), >, 3);
  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Totals *want = value;
      Totals *got = g_hash_table_lookup (seen, key);

      if (got == NULL)
        g_error ("%s: %s missing from our top table", reference, (char *) key);
      if (got->flat != want->flat || got->cum != want->cum)
        g_error ("%s: %s flat %" G_GINT64_FORMAT " cum %" G_GINT64_FORMAT
                 ", go tool pprof says flat %" G_GINT64_FORMAT " cum %" G_GINT64_FORMAT,
                 reference, (char *) key, got->flat, got->cum, want->flat, want->cum);
    }
  /* and nothing extra with a value */
  g_assert_cmpuint (g_hash_table_size (seen), ==, g_hash_table_size (expected));
}

static void
test_go_cpu (void)
{
  g_autoptr(SgProfile) profile = load_fixture ("cpu.pb.gz");

  g_assert_cmpuint (sg_profile_get_n_value_types (profile), ==, 2);
  g_assert_cmpstr (sg_profile_get_value_type (profile, 0), ==, "samples");
  g_assert_cmpstr (sg_profile_get_value_unit (profile, 1), ==, "nanoseconds");
  g_assert_cmpstr (sg_profile_get_profile_type (profile), ==, "cpu");
  g_assert_cmpint (sg_profile_get_period (profile), ==, 10000000);
  g_assert_cmpint (sg_profile_get_duration_ns (profile), >, 0);
  compare_with_go (profile, "samples", "cpu-samples.top.txt");
  compare_with_go (profile, "cpu", "cpu-cpu.top.txt");
}

static void
test_go_heap (void)
{
  g_autoptr(SgProfile) profile = load_fixture ("heap.pb.gz");

  g_assert_cmpuint (sg_profile_get_n_value_types (profile), ==, 4);
  g_assert_cmpstr (sg_profile_get_profile_type (profile), ==, "heap");
  /* Go marks inuse_space as the default */
  g_assert_cmpstr (sg_profile_get_value_type (profile, sg_profile_get_default_value (profile)), ==, "inuse_space");
  compare_with_go (profile, "inuse_space", "heap-inuse_space.top.txt");
  compare_with_go (profile, "alloc_space", "heap-alloc_space.top.txt");
  compare_with_go (profile, "inuse_objects", "heap-inuse_objects.top.txt");
  compare_with_go (profile, "alloc_objects", "heap-alloc_objects.top.txt");
}

static void
test_go_inline (void)
{
  g_autoptr(SgProfile) profile = load_fixture ("cpu.pb.gz");
  const SgNode *nodes = sg_profile_get_nodes (profile);
  gboolean found = FALSE;

  /* main.square is inlined into main.sumSquares: one location, two lines,
   * two frames in our tree with square below sumSquares */
  for (guint i = 1; i < sg_profile_get_n_nodes (profile); i++)
    {
      if (g_str_equal (sg_profile_get_frame_function (profile, nodes[i].frame), "main.square"))
        {
          guint32 parent = nodes[i].parent;
          g_assert_cmpstr (sg_profile_get_frame_function (profile, nodes[parent].frame), ==, "main.sumSquares");
          g_assert_true (g_str_has_suffix (sg_profile_get_frame_file (profile, nodes[i].frame), "main.go"));
          found = TRUE;
        }
    }
  g_assert_true (found);
}

static void
assert_same_totals (SgProfile *a,
                    SgProfile *b)
{
  g_assert_cmpuint (sg_profile_get_n_value_types (a), ==, sg_profile_get_n_value_types (b));
  g_assert_cmpuint (sg_profile_get_n_samples (a), ==, sg_profile_get_n_samples (b));
  g_assert_cmpuint (sg_profile_get_n_nodes (a), ==, sg_profile_get_n_nodes (b));
  for (guint v = 0; v < sg_profile_get_n_value_types (a); v++)
    {
      g_autoptr(GArray) ra = sg_profile_top (a, SG_TOP_BY_LINE, v);
      g_autoptr(GArray) rb = sg_profile_top (b, SG_TOP_BY_LINE, v);

      g_assert_cmpstr (sg_profile_get_value_type (a, v), ==, sg_profile_get_value_type (b, v));
      g_assert_cmpint (sg_profile_get_total (a, v), ==, sg_profile_get_total (b, v));
      g_assert_cmpuint (ra->len, ==, rb->len);
      for (guint i = 0; i < ra->len; i++)
        {
          SgTopRow *x = &g_array_index (ra, SgTopRow, i);
          SgTopRow *y = &g_array_index (rb, SgTopRow, i);
          g_assert_cmpstr (sg_profile_get_string (a, x->function), ==, sg_profile_get_string (b, y->function));
          g_assert_cmpstr (sg_profile_get_string (a, x->file), ==, sg_profile_get_string (b, y->file));
          g_assert_cmpint (x->line, ==, y->line);
          g_assert_cmpint (x->flat, ==, y->flat);
          g_assert_cmpint (x->cum, ==, y->cum);
        }
    }
  /* the trees are identical node for node */
  for (guint i = 0; i < sg_profile_get_n_nodes (a); i++)
    {
      const SgNode *na = &sg_profile_get_nodes (a)[i];
      const SgNode *nb = &sg_profile_get_nodes (b)[i];
      g_assert_cmpuint (na->parent, ==, nb->parent);
      g_assert_cmpuint (na->subtree_end, ==, nb->subtree_end);
      if (i > 0)
        g_assert_cmpstr (sg_profile_get_frame_function (a, na->frame), ==, sg_profile_get_frame_function (b, nb->frame));
    }
}

static void
test_round_trip (void)
{
  const char *names[] = { "cpu.pb.gz", "heap.pb.gz" };

  for (guint n = 0; n < G_N_ELEMENTS (names); n++)
    {
      g_autoptr(SgProfile) first = load_fixture (names[n]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = sg_pprof_export (first, TRUE, &error);
      g_autoptr(SgProfile) second = NULL;
      gsize len;
      const guint8 *data;

      g_assert_no_error (error);
      data = g_bytes_get_data (bytes, &len);
      g_assert_cmpuint (data[0], ==, 0x1f);
      second = sg_pprof_import ("exported", data, len, &error);
      g_assert_no_error (error);
      assert_same_totals (first, second);
      g_assert_cmpint (sg_profile_get_start_ns (first), ==, sg_profile_get_start_ns (second));
      g_assert_cmpint (sg_profile_get_period (first), ==, sg_profile_get_period (second));
      g_assert_cmpstr (sg_profile_get_profile_type (first), ==, sg_profile_get_profile_type (second));
    }
}

/* Labels the Python agent writes, metadata comments, and the exporter's
 * output read back by protobuf-c's own unpacker. */
static void
test_labels_and_metadata (void)
{
  g_autoptr(SgProfileBuilder) builder = sg_profile_builder_new ();
  g_autoptr(SgProfile) profile = NULL;
  g_autoptr(SgProfile) back = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  Perftools__Profiles__Profile *unpacked;
  guint f1, f2, frames[2];
  gint64 v = 7;
  const guint8 *data;
  gsize len;

  sg_profile_builder_add_value_type (builder, "wall", "nanoseconds");
  f1 = sg_profile_builder_intern_frame (builder, "handler", "/srv/app/views.py", 42, "app");
  f2 = sg_profile_builder_intern_frame (builder, "<module>", "/srv/app/main.py", 3, "app");
  frames[0] = f1;
  frames[1] = f2;
  sg_profile_builder_add_sample (builder, frames, 2, &v, 2000, "MainThread");
  sg_profile_builder_add_sample (builder, frames + 1, 1, &v, 1000, "worker-1");
  sg_profile_builder_set_service (builder, "shop");
  sg_profile_builder_set_version (builder, "1.2");
  sg_profile_builder_set_host (builder, "web-3");
  sg_profile_builder_set_profile_type (builder, "wall");
  sg_profile_builder_set_comment (builder, "first line\nsecond line");
  profile = sg_profile_builder_end (builder, &error);
  g_assert_no_error (error);

  bytes = sg_pprof_export (profile, FALSE, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &len);

  unpacked = perftools__profiles__profile__unpack (NULL, len, data);
  g_assert_nonnull (unpacked);
  g_assert_cmpuint (unpacked->n_sample, ==, 2);
  g_assert_cmpuint (unpacked->sample[1]->n_location_id, ==, 2);
  g_assert_cmpuint (unpacked->sample[1]->n_label, ==, 2);
  g_assert_cmpstr (unpacked->string_table[unpacked->sample[1]->label[0]->key], ==, "thread");
  g_assert_cmpstr (unpacked->string_table[unpacked->sample[1]->label[0]->str], ==, "MainThread");
  g_assert_cmpint (unpacked->sample[1]->label[1]->num, ==, 2000);
  perftools__profiles__profile__free_unpacked (unpacked, NULL);

  back = sg_pprof_import ("labels", data, len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sg_profile_get_service (back), ==, "shop");
  g_assert_cmpstr (sg_profile_get_version (back), ==, "1.2");
  g_assert_cmpstr (sg_profile_get_host (back), ==, "web-3");
  g_assert_cmpstr (sg_profile_get_profile_type (back), ==, "wall");
  g_assert_cmpstr (sg_profile_get_comment (back), ==, "first line\nsecond line");
  g_assert_cmpint (sg_profile_get_samples (back)[0].timestamp_ns, ==, 1000);
  g_assert_cmpstr (sg_profile_get_string (back, sg_profile_get_samples (back)[0].thread), ==, "worker-1");
  g_assert_cmpstr (sg_profile_get_string (back, sg_profile_get_samples (back)[1].thread), ==, "MainThread");
  g_assert_cmpstr (sg_profile_get_frames (back)[sg_profile_get_nodes (back)[2].frame].module ?
                   sg_profile_get_string (back, sg_profile_get_frames (back)[sg_profile_get_nodes (back)[2].frame].module) : "",
                   ==, "app");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/pprof/import-go-cpu", test_go_cpu);
  g_test_add_func ("/core/pprof/import-go-heap", test_go_heap);
  g_test_add_func ("/core/pprof/inlined-frames", test_go_inline);
  g_test_add_func ("/core/pprof/round-trip", test_round_trip);
  g_test_add_func ("/core/pprof/labels-and-metadata", test_labels_and_metadata);
  return g_test_run ();
}
