/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sg-profile-builder.h"

static SgProfile *
build_small (void)
{
  g_autoptr(SgProfileBuilder) builder = sg_profile_builder_new ();
  g_autoptr(GError) error = NULL;
  guint main_f, b_f, a_f, c_f;
  SgProfile *profile;

  sg_profile_builder_add_value_type (builder, "samples", "count");
  sg_profile_builder_add_value_type (builder, "cpu", "nanoseconds");
  main_f = sg_profile_builder_intern_frame (builder, "main", "app.py", 1, NULL);
  b_f = sg_profile_builder_intern_frame (builder, "b", "app.py", 20, NULL);
  a_f = sg_profile_builder_intern_frame (builder, "a", "app.py", 10, NULL);
  c_f = sg_profile_builder_intern_frame (builder, "c", "lib.py", 5, "lib");

  /* main;b 1/10 at t=300 (T1), main;a;c 2/20 at t=100 (T2), main;a 3/30 at t=200 (T1), main 4/40 untimed */
  {
    guint s1[] = { b_f, main_f };
    guint s2[] = { c_f, a_f, main_f };
    guint s3[] = { a_f, main_f };
    guint s4[] = { main_f };
    gint64 v1[] = { 1, 10 }, v2[] = { 2, 20 }, v3[] = { 3, 30 }, v4[] = { 4, 40 };

    sg_profile_builder_add_sample (builder, s1, 2, v1, 300, "T1");
    sg_profile_builder_add_sample (builder, s2, 3, v2, 100, "T2");
    sg_profile_builder_add_sample (builder, s3, 2, v3, 200, "T1");
    sg_profile_builder_add_sample (builder, s4, 1, v4, -1, NULL);
  }
  sg_profile_builder_set_service (builder, "shop");
  profile = sg_profile_builder_end (builder, &error);
  g_assert_no_error (error);
  return profile;
}

static void
test_builder_tree (void)
{
  g_autoptr(SgProfile) profile = build_small ();
  const SgNode *nodes = sg_profile_get_nodes (profile);
  const gint64 *total = sg_profile_get_node_total (profile, 1);
  const gint64 *self = sg_profile_get_node_self (profile, 1);
  guint32 frames[8];

  /* root, main, a, c, b — pre-order with siblings by name */
  g_assert_cmpuint (sg_profile_get_n_nodes (profile), ==, 5);
  g_assert_cmpuint (nodes[0].frame, ==, SG_FRAME_NONE);
  g_assert_cmpstr (sg_profile_get_frame_function (profile, nodes[1].frame), ==, "main");
  g_assert_cmpstr (sg_profile_get_frame_function (profile, nodes[2].frame), ==, "a");
  g_assert_cmpstr (sg_profile_get_frame_function (profile, nodes[3].frame), ==, "c");
  g_assert_cmpstr (sg_profile_get_frame_function (profile, nodes[4].frame), ==, "b");
  g_assert_cmpuint (nodes[1].first_child, ==, 2);
  g_assert_cmpuint (nodes[2].next_sibling, ==, 4);
  g_assert_cmpuint (nodes[2].subtree_end, ==, 4);
  g_assert_cmpuint (nodes[1].subtree_end, ==, 5);
  g_assert_cmpuint (nodes[3].depth, ==, 3);
  g_assert_cmpuint (sg_profile_get_max_depth (profile), ==, 3);

  g_assert_cmpint (total[0], ==, 100);
  g_assert_cmpint (total[1], ==, 100);
  g_assert_cmpint (self[1], ==, 40);
  g_assert_cmpint (total[2], ==, 50);
  g_assert_cmpint (self[2], ==, 30);
  g_assert_cmpint (self[3], ==, 20);
  g_assert_cmpint (total[4], ==, 10);
  g_assert_cmpint (sg_profile_get_total (profile, 0), ==, 10);

  g_assert_cmpuint (sg_profile_get_node_stack (profile, 3, frames, 8), ==, 3);
  g_assert_cmpstr (sg_profile_get_frame_function (profile, frames[0]), ==, "c");
  g_assert_cmpstr (sg_profile_get_frame_function (profile, frames[2]), ==, "main");
  g_assert_cmpstr (sg_profile_get_service (profile), ==, "shop");
}

static void
test_builder_samples (void)
{
  g_autoptr(SgProfile) profile = build_small ();
  const SgSample *samples = sg_profile_get_samples (profile);
  const guint32 *threads;
  guint n_threads;
  gint64 first, last;

  g_assert_cmpuint (sg_profile_get_n_samples (profile), ==, 4);
  /* sorted by time, untimed first */
  g_assert_cmpint (samples[0].timestamp_ns, ==, -1);
  g_assert_cmpint (samples[1].timestamp_ns, ==, 100);
  g_assert_cmpint (samples[3].timestamp_ns, ==, 300);
  g_assert_cmpint (sg_profile_get_sample_values (profile, 1)[1], ==, 20);
  g_assert_cmpuint (samples[1].node, ==, 3);
  g_assert_cmpstr (sg_profile_get_string (profile, samples[1].thread), ==, "T2");
  g_assert_true (sg_profile_get_time_range (profile, &first, &last));
  g_assert_cmpint (first, ==, 100);
  g_assert_cmpint (last, ==, 300);

  threads = sg_profile_get_threads (profile, &n_threads);
  g_assert_cmpuint (n_threads, ==, 2);
  g_assert_cmpstr (sg_profile_get_string (profile, threads[0]), ==, "T1");
  g_assert_cmpstr (sg_profile_get_string (profile, threads[1]), ==, "T2");
}

static void
test_builder_empty (void)
{
  g_autoptr(SgProfileBuilder) builder = sg_profile_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = NULL;

  profile = sg_profile_builder_end (builder, &error);
  g_assert_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_EMPTY);
  g_assert_null (profile);
}

static void
test_builder_unreached_nodes (void)
{
  g_autoptr(SgProfileBuilder) builder = sg_profile_builder_new ();
  g_autoptr(SgProfile) profile = NULL;
  guint f = sg_profile_builder_intern_frame (builder, "f", NULL, 0, NULL);
  guint g = sg_profile_builder_intern_frame (builder, "g", NULL, 0, NULL);
  guint nf, ng;
  gint64 v = 5;

  sg_profile_builder_add_value_type (builder, "samples", "count");
  nf = sg_profile_builder_intern_child (builder, SG_PROFILE_BUILDER_ROOT, f);
  ng = sg_profile_builder_intern_child (builder, nf, g);   /* never sampled */
  g_assert_cmpuint (ng, !=, nf);
  g_assert_cmpuint (sg_profile_builder_intern_child (builder, SG_PROFILE_BUILDER_ROOT, f), ==, nf);
  sg_profile_builder_add_sample_at_node (builder, nf, &v, -1, 0);
  profile = sg_profile_builder_end (builder, NULL);
  g_assert_cmpuint (sg_profile_get_n_nodes (profile), ==, 2);
  g_assert_cmpint (sg_profile_get_node_total (profile, 0)[0], ==, 5);
}

/* Deep recursion must not recurse in our code: 200,000 frames. */
static void
test_builder_deep (void)
{
  g_autoptr(SgProfileBuilder) builder = sg_profile_builder_new ();
  g_autoptr(SgProfile) profile = NULL;
  const guint depth = 200000;
  g_autofree guint *frames = g_new (guint, depth);
  guint f = sg_profile_builder_intern_frame (builder, "recurse", "r.py", 3, NULL);
  guint leaf = sg_profile_builder_intern_frame (builder, "leaf", "r.py", 9, NULL);
  gint64 v = 1;

  sg_profile_builder_add_value_type (builder, "samples", "count");
  for (guint i = 0; i < depth; i++)
    frames[i] = i == 0 ? leaf : f;
  sg_profile_builder_add_sample (builder, frames, depth, &v, -1, NULL);
  sg_profile_builder_add_sample (builder, frames + 1, depth - 1, &v, -1, NULL);
  profile = sg_profile_builder_end (builder, NULL);

  g_assert_cmpuint (sg_profile_get_n_nodes (profile), ==, depth + 1);
  g_assert_cmpuint (sg_profile_get_max_depth (profile), ==, depth);
  g_assert_cmpint (sg_profile_get_node_total (profile, 0)[1], ==, 2);
  g_assert_cmpint (sg_profile_get_node_self (profile, 0)[depth], ==, 1);
  g_assert_cmpuint (sg_profile_get_nodes (profile)[1].subtree_end, ==, depth + 1);
  g_assert_cmpuint (sg_profile_get_memory_size (profile), >, (gsize) depth * sizeof (SgNode));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/profile/builder-tree", test_builder_tree);
  g_test_add_func ("/core/profile/builder-samples", test_builder_samples);
  g_test_add_func ("/core/profile/builder-empty", test_builder_empty);
  g_test_add_func ("/core/profile/builder-unreached-nodes", test_builder_unreached_nodes);
  g_test_add_func ("/core/profile/builder-deep", test_builder_deep);
  return g_test_run ();
}
