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
      if (g_str_has_prefix (g_strchug (lines[i]), "flat"))
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

static GBytes *
load_raw_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "go", name, NULL);
  g_autofree char *data = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return sg_pprof_gunzip (name, (const guint8 *) data, len, NULL);
}

static void
assert_clean_error (const GError *error,
                    const char   *file)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == SG_PROFILE_ERROR);
  g_assert_true (g_str_has_prefix (error->message, file));
}

/* Every prefix of a real profile: a valid partial message or a clean error
 * naming the file, never a crash (the suite runs with MALLOC_CHECK_). */
static void
test_truncated (void)
{
  g_autoptr(GBytes) raw = load_raw_fixture ("heap.pb.gz");
  gsize len;
  const guint8 *data = g_bytes_get_data (raw, &len);
  guint errors = 0;

  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *copy = g_memdup2 (data, cut);   /* exact size, so overreads are caught */
      g_autoptr(SgProfile) profile = sg_pprof_import ("cut.pb", copy, cut, &error);

      if (profile == NULL)
        {
          assert_clean_error (error, "cut.pb: ");
          errors++;
        }
    }
  g_assert_cmpuint (errors, >, len / 2);
}

static void
test_truncated_gzip (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "go", "cpu.pb.gz", NULL);
  g_autofree char *data = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  for (gsize cut = 2; cut < len; cut += 7)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SgProfile) profile = sg_pprof_import ("cut.pb.gz", (const guint8 *) data, cut, &error);

      g_assert_null (profile);
      assert_clean_error (error, "cut.pb.gz: ");
    }
}

static void
test_corrupt (void)
{
  g_autoptr(GBytes) raw = load_raw_fixture ("cpu.pb.gz");
  gsize len;
  const guint8 *data = g_bytes_get_data (raw, &len);
  GRand *rand = g_rand_new_with_seed (20261122);

  for (guint round = 0; round < 3000; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *copy = g_memdup2 (data, len);
      g_autoptr(SgProfile) profile = NULL;
      guint flips = g_rand_int_range (rand, 1, 8);

      for (guint f = 0; f < flips; f++)
        copy[g_rand_int_range (rand, 0, len)] = g_rand_int_range (rand, 0, 256);
      profile = sg_pprof_import ("corrupt.pb", copy, len, &error);
      if (profile == NULL)
        assert_clean_error (error, "corrupt.pb: offset ");
      else
        g_assert_no_error (error);
    }
  g_rand_free (rand);
}

static GBytes *
pack (Perftools__Profiles__Profile *p)
{
  gsize len = perftools__profiles__profile__get_packed_size (p);
  guint8 *buf = g_malloc (len);

  perftools__profiles__profile__pack (p, buf);
  return g_bytes_new_take (buf, len);
}

static void
import_expect_error (GBytes     *bytes,
                     int         code,
                     const char *fragment)
{
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autoptr(SgProfile) profile = sg_pprof_import ("bad.pb", data, len, &error);

  g_assert_null (profile);
  g_assert_error (error, SG_PROFILE_ERROR, code);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, fragment);
}

/* Hand-made malformed profiles, each with the error it must give. */
static void
test_malformed (void)
{
  char *strings[] = { "", "samples", "count", "f" };
  char *bad_strings[] = { "samples", "count" };
  Perftools__Profiles__Profile p = PERFTOOLS__PROFILES__PROFILE__INIT;
  Perftools__Profiles__ValueType vt = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
  Perftools__Profiles__ValueType *vts[] = { &vt };
  Perftools__Profiles__Function fn = PERFTOOLS__PROFILES__FUNCTION__INIT;
  Perftools__Profiles__Function *fns[] = { &fn };
  Perftools__Profiles__Line line = PERFTOOLS__PROFILES__LINE__INIT;
  Perftools__Profiles__Line *lines[] = { &line };
  Perftools__Profiles__Location loc = PERFTOOLS__PROFILES__LOCATION__INIT;
  Perftools__Profiles__Location *locs[] = { &loc };
  Perftools__Profiles__Sample sample = PERFTOOLS__PROFILES__SAMPLE__INIT;
  Perftools__Profiles__Sample *samples[] = { &sample };
  uint64_t loc_ids[] = { 1 };
  int64_t values[] = { 5, 6 };

  vt.type = 1;
  vt.unit = 2;
  fn.id = 1;
  fn.name = 3;
  line.function_id = 1;
  loc.id = 1;
  loc.n_line = 1;
  loc.line = lines;
  sample.n_location_id = 1;
  sample.location_id = loc_ids;
  sample.n_value = 1;
  sample.value = values;
  p.n_sample_type = 1;
  p.sample_type = vts;
  p.n_function = 1;
  p.function = fns;
  p.n_location = 1;
  p.location = locs;
  p.n_sample = 1;
  p.sample = samples;
  p.n_string_table = 4;
  p.string_table = strings;

  /* the valid baseline */
  {
    g_autoptr(GBytes) ok = pack (&p);
    gsize len;
    const guint8 *data = g_bytes_get_data (ok, &len);
    g_autoptr(SgProfile) profile = sg_pprof_import ("ok.pb", data, len, NULL);
    g_assert_nonnull (profile);
    g_assert_cmpint (sg_profile_get_total (profile, 0), ==, 5);
  }

  {
    g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
    import_expect_error (empty, SG_PROFILE_ERROR_EMPTY, "empty");
  }
  {
    g_autoptr(GBytes) text = g_bytes_new_static ("hello, world\n", 13);
    gsize len;
    const guint8 *data = g_bytes_get_data (text, &len);
    g_autoptr(GError) error = NULL;
    g_autoptr(SgProfile) profile = sg_pprof_import ("text.txt", data, len, &error);
    g_assert_null (profile);
    assert_clean_error (error, "text.txt: offset ");
  }

  sample.n_value = 2;
  {
    g_autoptr(GBytes) b = pack (&p);
    import_expect_error (b, SG_PROFILE_ERROR_INVALID, "more values than the 1 sample types");
  }
  sample.n_value = 0;
  {
    g_autoptr(GBytes) b = pack (&p);
    import_expect_error (b, SG_PROFILE_ERROR_INVALID, "has 0 values, expected one per sample type (1)");
  }
  sample.n_value = 1;

  loc_ids[0] = 9;
  {
    g_autoptr(GBytes) b = pack (&p);
    import_expect_error (b, SG_PROFILE_ERROR_INVALID, "refers to location 9");
  }
  loc_ids[0] = 1;

  line.function_id = 4;
  {
    g_autoptr(GBytes) b = pack (&p);
    import_expect_error (b, SG_PROFILE_ERROR_INVALID, "refers to function 4");
  }
  line.function_id = 1;

  fn.name = 77;
  {
    g_autoptr(GBytes) b = pack (&p);
    import_expect_error (b, SG_PROFILE_ERROR_INVALID, "refers to string 77");
  }
  fn.name = 3;

  p.string_table = bad_strings;
  p.n_string_table = 2;
  vt.type = 0;
  vt.unit = 1;
  {
    g_autoptr(GBytes) b = pack (&p);
    import_expect_error (b, SG_PROFILE_ERROR_INVALID, "must start with an empty string");
  }
  p.string_table = strings;
  p.n_string_table = 4;
  vt.type = 1;
  vt.unit = 2;

  p.n_sample_type = 0;
  {
    g_autoptr(GBytes) b = pack (&p);
    import_expect_error (b, SG_PROFILE_ERROR_INVALID, "no sample types");
  }
  p.n_sample_type = 1;

  /* a field that claims more bytes than the file has */
  {
    static const guint8 lying[] = { 0x32, 0xff, 0x01, 0x00 };
    g_autoptr(GBytes) b = g_bytes_new_static (lying, sizeof lying);
    import_expect_error (b, SG_PROFILE_ERROR_TRUNCATED, "offset 0: field 6 claims 255 bytes but only 1 remain");
  }
  /* wire types 3 and 4 (groups) are not in proto3 */
  {
    static const guint8 group[] = { 0x0b };
    g_autoptr(GBytes) b = g_bytes_new_static (group, sizeof group);
    import_expect_error (b, SG_PROFILE_ERROR_INVALID, "offset 0: unsupported wire type 3");
  }
}

/* A location with many inlined lines referenced by many distinct stacks
 * would expand to far more frames than the file's size justifies. */
static void
test_expansion_bound (void)
{
  g_autofree char **strings = g_new0 (char *, 4);
  Perftools__Profiles__Profile p = PERFTOOLS__PROFILES__PROFILE__INIT;
  Perftools__Profiles__ValueType vt = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
  Perftools__Profiles__ValueType *vts[] = { &vt };
  Perftools__Profiles__Function fn = PERFTOOLS__PROFILES__FUNCTION__INIT;
  Perftools__Profiles__Function *fns[] = { &fn };
  g_autofree Perftools__Profiles__Line *lines = g_new (Perftools__Profiles__Line, 1000);
  g_autofree Perftools__Profiles__Line **line_ptrs = g_new (Perftools__Profiles__Line *, 1000);
  Perftools__Profiles__Location loc = PERFTOOLS__PROFILES__LOCATION__INIT;
  Perftools__Profiles__Location *locs[] = { &loc };
  g_autofree Perftools__Profiles__Sample *samples = g_new (Perftools__Profiles__Sample, 300);
  g_autofree Perftools__Profiles__Sample **sample_ptrs = g_new (Perftools__Profiles__Sample *, 300);
  g_autofree uint64_t *ids = g_new (uint64_t, 300);
  int64_t value = 1;
  g_autoptr(GBytes) bytes = NULL;

  strings[0] = "";
  strings[1] = "samples";
  strings[2] = "count";
  strings[3] = "f";
  vt.type = 1;
  vt.unit = 2;
  fn.id = 1;
  fn.name = 3;
  for (guint i = 0; i < 1000; i++)
    {
      perftools__profiles__line__init (&lines[i]);
      lines[i].function_id = 1;
      lines[i].line = i + 1;
      line_ptrs[i] = &lines[i];
    }
  loc.id = 1;
  loc.n_line = 1000;
  loc.line = line_ptrs;
  for (guint i = 0; i < 300; i++)
    {
      ids[i] = 1;
      perftools__profiles__sample__init (&samples[i]);
      samples[i].n_location_id = i + 1;   /* each stack one deeper: all distinct */
      samples[i].location_id = ids;
      samples[i].n_value = 1;
      samples[i].value = &value;
      sample_ptrs[i] = &samples[i];
    }
  p.n_sample_type = 1;
  p.sample_type = vts;
  p.n_function = 1;
  p.function = fns;
  p.n_location = 1;
  p.location = locs;
  p.n_sample = 300;
  p.sample = sample_ptrs;
  p.n_string_table = 4;
  p.string_table = strings;

  bytes = pack (&p);
  import_expect_error (bytes, SG_PROFILE_ERROR_TOO_LARGE, "more frames than the input can describe");
}

/* A real profile from the Python agent's sampler and encoder; the facts to
 * check were computed by the agent's script from its own recording
 * (tests/fixtures/pprof/make-agent-profile.py). */
static void
test_agent_profile (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "pprof", "agent-wall.pb.gz", NULL);
  g_autofree char *facts_path = g_test_build_filename (G_TEST_DIST, "fixtures", "pprof", "agent-wall.expected.txt", NULL);
  g_autofree char *data = NULL;
  g_autofree char *facts = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GHashTable) flat = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) cum = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint wall, cpu, checked = 0;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_true (g_file_get_contents (facts_path, &facts, NULL, NULL));
  profile = sg_pprof_import ("agent-wall.pb.gz", (const guint8 *) data, len, &error);
  g_assert_no_error (error);
  g_assert_true (sg_profile_find_value_type (profile, "wall", &wall));
  g_assert_true (sg_profile_find_value_type (profile, "cpu", &cpu));
  g_assert_cmpuint (sg_profile_get_default_value (profile), ==, wall);
  g_assert_cmpstr (sg_profile_get_profile_type (profile), ==, "wall");
  g_assert_cmpstr (sg_profile_get_comment (profile), ==, "made by make-agent-profile.py");

  rows = sg_profile_top (profile, SG_TOP_BY_FUNCTION, wall);
  for (guint i = 0; i < rows->len; i++)
    {
      SgTopRow *row = &g_array_index (rows, SgTopRow, i);
      const char *fn = sg_profile_get_string (profile, row->function);
      if (row->flat != 0)
        g_hash_table_insert (flat, g_strdup (fn), g_memdup2 (&row->flat, sizeof row->flat));
      g_hash_table_insert (cum, g_strdup (fn), g_memdup2 (&row->cum, sizeof row->cum));
    }

  lines = g_strsplit (facts, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", 4);
      guint n = g_strv_length (f);

      if (n == 0 || f[0][0] == '\0')
        continue;
      checked++;
      if (g_str_equal (f[0], "samples"))
        g_assert_cmpuint (sg_profile_get_n_samples (profile), ==, g_ascii_strtoull (f[1], NULL, 10));
      else if (g_str_equal (f[0], "range"))
        {
          gint64 first, last;
          g_assert_true (sg_profile_get_time_range (profile, &first, &last));
          g_assert_cmpint (first, ==, g_ascii_strtoll (f[1], NULL, 10));
          g_assert_cmpint (last, ==, g_ascii_strtoll (f[2], NULL, 10));
        }
      else if (g_str_equal (f[0], "thread"))
        {
          /* the thread label survives: restricting to it gives its totals */
          const char *only[] = { f[3], NULL };
          g_autoptr(SgProfile) part = sg_profile_restrict (profile, G_MININT64, G_MAXINT64, only);
          g_assert_cmpint (sg_profile_get_total (part, wall), ==, g_ascii_strtoll (f[1], NULL, 10));
          g_assert_cmpint (sg_profile_get_total (part, cpu), ==, g_ascii_strtoll (f[2], NULL, 10));
        }
      else
        {
          g_autofree char *name = g_strjoinv (" ", f + 2);
          gint64 *got = g_hash_table_lookup (g_str_equal (f[0], "flat") ? flat : cum, name);
          if (got == NULL || *got != g_ascii_strtoll (f[1], NULL, 10))
            g_error ("%s %s: expected %s, got %" G_GINT64_FORMAT, f[0], name, f[1], got ? *got : -1);
        }
    }
  g_assert_cmpuint (checked, >, 10);
  /* and nothing the agent did not record */
  g_assert_cmpuint (g_hash_table_size (cum), ==, checked - 2 - 2 - g_hash_table_size (flat));
}

/* Our decoder and protobuf-c's generic unpacker agree on real files. */
static void
test_matches_protobuf_c (void)
{
  const char *names[] = { "cpu.pb.gz", "heap.pb.gz" };

  for (guint n = 0; n < G_N_ELEMENTS (names); n++)
    {
      g_autoptr(GBytes) raw = load_raw_fixture (names[n]);
      g_autoptr(SgProfile) ours = load_fixture (names[n]);
      gsize len;
      const guint8 *data = g_bytes_get_data (raw, &len);
      Perftools__Profiles__Profile *ref = perftools__profiles__profile__unpack (NULL, len, data);
      g_autofree gint64 *sums = NULL;
      gsize total_frames = 0;

      g_assert_nonnull (ref);
      g_assert_cmpuint (ref->n_sample, ==, sg_profile_get_n_samples (ours));
      g_assert_cmpuint (ref->n_sample_type, ==, sg_profile_get_n_value_types (ours));
      sums = g_new0 (gint64, ref->n_sample_type);
      for (gsize i = 0; i < ref->n_sample; i++)
        for (gsize v = 0; v < ref->sample[i]->n_value; v++)
          sums[v] += ref->sample[i]->value[v];
      for (gsize v = 0; v < ref->n_sample_type; v++)
        {
          g_assert_cmpstr (ref->string_table[ref->sample_type[v]->type], ==, sg_profile_get_value_type (ours, v));
          g_assert_cmpint (sums[v], ==, sg_profile_get_total (ours, v));
        }
      /* one frame per line of every location */
      for (gsize i = 0; i < ref->n_location; i++)
        total_frames += MAX (ref->location[i]->n_line, 1);
      g_assert_cmpuint (sg_profile_get_n_frames (ours), <=, total_frames);
      g_assert_cmpint (ref->time_nanos, ==, sg_profile_get_start_ns (ours));
      g_assert_cmpint (ref->duration_nanos, ==, sg_profile_get_duration_ns (ours));
      perftools__profiles__profile__free_unpacked (ref, NULL);
    }
}

/* Hand-encoded wire bytes for what protobuf-c never writes: unpacked
 * repeated fields, a numeric thread_id label, an unsymbolised location
 * with a mapping, unknown fields and drop_frames/keep_frames. */
static void
test_wire_variants (void)
{
  static const guint8 wire[] = {
    /* sample_type { type: 1 unit: 2 } */
    0x0a, 0x04, 0x08, 0x01, 0x10, 0x02,
    /* sample: location_id 1 (unpacked), location_id 2 (unpacked), value 7 (unpacked),
     *         label { key: 3 num: 42 } */
    0x12, 0x0c, 0x08, 0x01, 0x08, 0x02, 0x10, 0x07, 0x1a, 0x04, 0x08, 0x03, 0x18, 0x2a,
    /* the same stack packed: location_id [1, 2], value [5] */
    0x12, 0x09, 0x0a, 0x02, 0x01, 0x02, 0x12, 0x01, 0x05, 0x1a, 0x00,
    /* mapping { id: 1 filename: 4 } */
    0x1a, 0x04, 0x08, 0x01, 0x28, 0x04,
    /* location { id: 1 mapping_id: 1 address: 0x1234 } (no lines) */
    0x22, 0x07, 0x08, 0x01, 0x10, 0x01, 0x18, 0xb4, 0x24,
    /* location { id: 2 line { function_id: 1 line: 9 } } */
    0x22, 0x08, 0x08, 0x02, 0x22, 0x04, 0x08, 0x01, 0x10, 0x09,
    /* function { id: 1 name: 5 } */
    0x2a, 0x04, 0x08, 0x01, 0x10, 0x05,
    /* strings: "", "samples", "count", "thread_id", "libc.so", "main" */
    0x32, 0x00,
    0x32, 0x07, 's', 'a', 'm', 'p', 'l', 'e', 's',
    0x32, 0x05, 'c', 'o', 'u', 'n', 't',
    0x32, 0x09, 't', 'h', 'r', 'e', 'a', 'd', '_', 'i', 'd',
    0x32, 0x07, 'l', 'i', 'b', 'c', '.', 's', 'o',
    0x32, 0x04, 'm', 'a', 'i', 'n',
    /* drop_frames: 5, keep_frames: 5 (ignored), an unknown field 20 */
    0x38, 0x05, 0x40, 0x05, 0xa0, 0x01, 0x01,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = sg_pprof_import ("variants.pb", wire, sizeof wire, &error);
  const SgNode *nodes;
  const SgFrame *leaf;

  g_assert_no_error (error);
  g_assert_cmpuint (sg_profile_get_n_samples (profile), ==, 2);
  g_assert_cmpint (sg_profile_get_total (profile, 0), ==, 12);
  /* both encodings of the stack are the same stack: root, main, 0x1234 */
  g_assert_cmpuint (sg_profile_get_n_nodes (profile), ==, 3);
  nodes = sg_profile_get_nodes (profile);
  g_assert_cmpstr (sg_profile_get_frame_function (profile, nodes[1].frame), ==, "main");
  g_assert_cmpint (sg_profile_get_frames (profile)[nodes[1].frame].line, ==, 9);
  leaf = &sg_profile_get_frames (profile)[nodes[2].frame];
  g_assert_cmpstr (sg_profile_get_string (profile, leaf->function), ==, "0x1234");
  g_assert_cmpstr (sg_profile_get_string (profile, leaf->module), ==, "libc.so");
  g_assert_cmpint (sg_profile_get_node_self (profile, 0)[2], ==, 12);
  /* the numeric thread_id became the thread's name */
  g_assert_cmpstr (sg_profile_get_string (profile, sg_profile_get_samples (profile)[0].thread), ==, "42");
  g_assert_cmpuint (sg_profile_get_samples (profile)[1].thread, ==, 0);
}

/* Profiles are read-only: many threads may walk one at once. */
static gpointer
read_in_thread (gpointer data)
{
  SgProfile *profile = data;
  gint64 sum = 0;

  for (guint round = 0; round < 20; round++)
    {
      g_autoptr(GArray) rows = sg_profile_top (profile, SG_TOP_BY_FUNCTION, 1);
      g_autoptr(SgProfile) inverted = sg_profile_invert (profile);
      const char *threads[] = { "", NULL };
      g_autoptr(SgProfile) part = sg_profile_restrict (profile, G_MININT64, G_MAXINT64, threads);
      sum += g_array_index (rows, SgTopRow, 0).flat + sg_profile_get_total (inverted, 1) - sg_profile_get_total (part, 1);
    }
  return GSIZE_TO_POINTER ((gsize) sum);
}

static void
test_threads (void)
{
  g_autoptr(SgProfile) profile = load_fixture ("cpu.pb.gz");
  GThread *threads[4];
  gpointer results[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("reader", read_in_thread, profile);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    results[i] = g_thread_join (threads[i]);
  for (guint i = 1; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (results[i] == results[0]);
  g_assert_true (results[0] != NULL);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/pprof/import-go-cpu", test_go_cpu);
  g_test_add_func ("/core/pprof/import-go-heap", test_go_heap);
  g_test_add_func ("/core/pprof/inlined-frames", test_go_inline);
  g_test_add_func ("/core/pprof/import-agent", test_agent_profile);
  g_test_add_func ("/core/pprof/round-trip", test_round_trip);
  g_test_add_func ("/core/pprof/labels-and-metadata", test_labels_and_metadata);
  g_test_add_func ("/core/pprof/truncated", test_truncated);
  g_test_add_func ("/core/pprof/truncated-gzip", test_truncated_gzip);
  g_test_add_func ("/core/pprof/corrupt", test_corrupt);
  g_test_add_func ("/core/pprof/malformed", test_malformed);
  g_test_add_func ("/core/pprof/expansion-bound", test_expansion_bound);
  g_test_add_func ("/core/pprof/matches-protobuf-c", test_matches_protobuf_c);
  g_test_add_func ("/core/pprof/wire-variants", test_wire_variants);
  g_test_add_func ("/core/pprof/threads", test_threads);
  return g_test_run ();
}
