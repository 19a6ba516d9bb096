/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * Flame graph layout: box positions in both modes, zoom math, hit-testing,
 * keyboard neighbours and search share, on hand-built profiles whose
 * expected boxes can be checked by hand, and layout invariants on a real
 * Go profile from tests/fixtures/go/.
 */

#include "config.h"

#include <string.h>

#include "sg-flame-layout.h"
#include "sg-pprof.h"
#include "sg-profile-builder.h"

/* Adds one sample from a root-first, ';'-separated stack. */
static void
add_stack (SgProfileBuilder *builder,
           const char       *stack,
           gint64            value,
           gint64            timestamp_ns)
{
  g_auto(GStrv) names = g_strsplit (stack, ";", -1);
  guint n = g_strv_length (names);
  g_autofree guint *frames = g_new (guint, n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *file = g_strdup_printf ("%s.py", names[i]);
      frames[n - 1 - i] = sg_profile_builder_intern_frame (builder, names[i], file, 10, "mod");
    }
  sg_profile_builder_add_sample (builder, frames, n, &value, timestamp_ns, NULL);
}

static SgProfile *
build_profile (const char * const *stacks,
               const gint64       *values,
               gboolean            timed)
{
  g_autoptr(SgProfileBuilder) builder = sg_profile_builder_new ();
  g_autoptr(GError) error = NULL;
  SgProfile *profile;

  sg_profile_builder_add_value_type (builder, "samples", "count");
  for (guint i = 0; stacks[i] != NULL; i++)
    add_stack (builder, stacks[i], values[i], timed ? (gint64) (i + 1) * 1000 : -1);
  profile = sg_profile_builder_end (builder, &error);
  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

static const char *
box_function (SgFlameLayout    *layout,
              const SgFlameBox *box)
{
  if (box->frame == SG_FRAME_NONE)
    return "(root)";
  return sg_profile_get_frame_function (sg_flame_layout_get_profile (layout), box->frame);
}

/* "name@start+width" for every box of a row, for compact assertions. */
static char *
describe_row (SgFlameLayout *layout,
              guint          row)
{
  const SgFlameBox *boxes = sg_flame_layout_get_boxes (layout, NULL);
  GString *s = g_string_new (NULL);
  guint first, n;

  sg_flame_layout_get_row (layout, row, &first, &n);
  for (guint i = first; i < first + n; i++)
    g_string_append_printf (s, "%s%s@%" G_GINT64_FORMAT "+%" G_GINT64_FORMAT,
                            i == first ? "" : " ", box_function (layout, &boxes[i]),
                            boxes[i].start, boxes[i].width);
  return g_string_free (s, FALSE);
}

#define assert_row(layout, row, expected) G_STMT_START { \
    g_autofree char *_got = describe_row ((layout), (row)); \
    g_assert_cmpstr (_got, ==, (expected)); \
  } G_STMT_END

/* Invariants of every layout: rows sorted and non-overlapping, every box
 * inside its parent, widths equal to the call tree's totals, and the root
 * equal to the profile's total. */
static void
check_invariants (SgFlameLayout *layout)
{
  SgProfile *profile = sg_flame_layout_get_profile (layout);
  const gint64 *totals = sg_profile_get_node_total (profile, sg_flame_layout_get_value_index (layout));
  const SgFlameBox *boxes;
  guint n_boxes, n_rows = sg_flame_layout_get_n_rows (layout);

  boxes = sg_flame_layout_get_boxes (layout, &n_boxes);
  g_assert_cmpuint (n_boxes, >, 1);
  for (guint r = 0; r < n_rows; r++)
    {
      guint first, n;

      sg_flame_layout_get_row (layout, r, &first, &n);
      for (guint i = first; i < first + n; i++)
        {
          const SgFlameBox *b = &boxes[i];

          g_assert_cmpuint (b->depth, ==, r);
          g_assert_cmpint (b->width, >, 0);
          if (i > first)
            g_assert_cmpint (boxes[i - 1].start + boxes[i - 1].width, <=, b->start);
          if (r == 0)
            continue;
          g_assert_cmpuint (b->parent, <, first);
          g_assert_cmpint (b->start, >=, boxes[b->parent].start);
          g_assert_cmpint (b->start + b->width, <=, boxes[b->parent].start + boxes[b->parent].width);
          /* Hit-testing finds every box at its own start. */
          g_assert_cmpuint (sg_flame_layout_hit_test (layout, r, (double) b->start), ==, i);
        }
    }

  /* Merged: each box is exactly the sum of the nodes it stands for, which
   * are siblings of one function and file. */
  if (sg_flame_layout_get_mode (layout) == SG_FLAME_MODE_MERGED)
    {
      const SgNode *nodes = sg_profile_get_nodes (profile);
      const SgFrame *frames = sg_profile_get_frames (profile);
      g_autofree gint64 *sum = g_new0 (gint64, n_boxes);
      g_autofree guint *members = g_new0 (guint, n_boxes);

      for (guint n = 0; n < sg_profile_get_n_nodes (profile); n++)
        {
          guint box;

          if (totals[n] <= 0)
            continue;
          box = sg_flame_layout_find_node (layout, n);
          g_assert_cmpuint (box, <, n_boxes);
          g_assert_cmpuint (boxes[box].depth, ==, nodes[n].depth);
          if (nodes[n].frame != SG_FRAME_NONE)
            {
              g_assert_cmpuint (frames[nodes[n].frame].function, ==, frames[boxes[box].frame].function);
              g_assert_cmpuint (frames[nodes[n].frame].file, ==, frames[boxes[box].frame].file);
            }
          sum[box] += totals[n];
          members[box]++;
        }
      for (guint i = 0; i < n_boxes; i++)
        {
          g_assert_cmpint (sum[i], ==, boxes[i].width);
          g_assert_cmpuint (boxes[i].merged, ==, members[i] > 1);
        }
    }
}

static const char * const merged_stacks[] = {
  "main;a;b", "main;a", "main;c", "main", NULL,
};
static const gint64 merged_values[] = { 3, 1, 5, 2 };

static void
test_merged_heaviest (void)
{
  g_autoptr(SgProfile) profile = build_profile (merged_stacks, merged_values, FALSE);
  g_autoptr(SgFlameLayout) layout = NULL;
  g_autoptr(GError) error = NULL;

  layout = sg_flame_layout_new (profile, 0, SG_FLAME_MODE_MERGED, SG_FLAME_SORT_HEAVIEST,
                                NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sg_flame_layout_get_total (layout), ==, 11);
  g_assert_cmpuint (sg_flame_layout_get_n_rows (layout), ==, 4);
  assert_row (layout, 0, "(root)@0+11");
  assert_row (layout, 1, "main@0+11");
  /* c (5) is heavier than a (4): left-heavy puts it first. */
  assert_row (layout, 2, "c@0+5 a@5+4");
  assert_row (layout, 3, "b@5+3");
  check_invariants (layout);
}

static void
test_merged_by_name (void)
{
  g_autoptr(SgProfile) profile = build_profile (merged_stacks, merged_values, FALSE);
  g_autoptr(SgFlameLayout) layout = NULL;

  layout = sg_flame_layout_new (profile, 0, SG_FLAME_MODE_MERGED, SG_FLAME_SORT_NAME,
                                NULL, NULL);
  assert_row (layout, 2, "a@0+4 c@4+5");
  assert_row (layout, 3, "b@0+3");
}

static void
test_self_and_neighbours (void)
{
  g_autoptr(SgProfile) profile = build_profile (merged_stacks, merged_values, FALSE);
  g_autoptr(SgFlameLayout) layout = NULL;
  const SgFlameBox *boxes;
  guint main_box, c_box, a_box, b_box;

  layout = sg_flame_layout_new (profile, 0, SG_FLAME_MODE_MERGED, SG_FLAME_SORT_HEAVIEST,
                                NULL, NULL);
  boxes = sg_flame_layout_get_boxes (layout, NULL);

  main_box = sg_flame_layout_hit_test (layout, 1, 0);
  c_box = sg_flame_layout_get_first_child (layout, main_box);
  g_assert_cmpstr (box_function (layout, &boxes[c_box]), ==, "c");
  a_box = sg_flame_layout_get_next_in_row (layout, c_box);
  g_assert_cmpstr (box_function (layout, &boxes[a_box]), ==, "a");
  g_assert_cmpuint (sg_flame_layout_get_next_in_row (layout, a_box), ==, SG_FLAME_BOX_NONE);
  g_assert_cmpuint (sg_flame_layout_get_prev_in_row (layout, a_box), ==, c_box);
  g_assert_cmpuint (sg_flame_layout_get_prev_in_row (layout, c_box), ==, SG_FLAME_BOX_NONE);
  g_assert_cmpuint (sg_flame_layout_get_first_child (layout, c_box), ==, SG_FLAME_BOX_NONE);
  b_box = sg_flame_layout_get_first_child (layout, a_box);
  g_assert_cmpuint (boxes[b_box].parent, ==, a_box);
  g_assert_cmpuint (boxes[a_box].parent, ==, main_box);

  g_assert_cmpint (sg_flame_layout_get_box_self (layout, main_box), ==, 2);
  g_assert_cmpint (sg_flame_layout_get_box_self (layout, a_box), ==, 1);
  g_assert_cmpint (sg_flame_layout_get_box_self (layout, b_box), ==, 3);
  g_assert_cmpuint (sg_flame_layout_find_node (layout, boxes[b_box].node), ==, b_box);
}

static void
test_hit_test (void)
{
  g_autoptr(SgProfile) profile = build_profile (merged_stacks, merged_values, FALSE);
  g_autoptr(SgFlameLayout) layout = NULL;
  const SgFlameBox *boxes;

  layout = sg_flame_layout_new (profile, 0, SG_FLAME_MODE_MERGED, SG_FLAME_SORT_HEAVIEST,
                                NULL, NULL);
  boxes = sg_flame_layout_get_boxes (layout, NULL);

  g_assert_cmpstr (box_function (layout, &boxes[sg_flame_layout_hit_test (layout, 2, 0.0)]),
                   ==, "c");
  g_assert_cmpstr (box_function (layout, &boxes[sg_flame_layout_hit_test (layout, 2, 4.999)]),
                   ==, "c");
  g_assert_cmpstr (box_function (layout, &boxes[sg_flame_layout_hit_test (layout, 2, 5.0)]),
                   ==, "a");
  g_assert_cmpstr (box_function (layout, &boxes[sg_flame_layout_hit_test (layout, 3, 7.5)]),
                   ==, "b");
  /* b covers [5, 8): a's self time at [8, 9) is empty in row 3. */
  g_assert_cmpuint (sg_flame_layout_hit_test (layout, 3, 8.5), ==, SG_FLAME_BOX_NONE);
  g_assert_cmpuint (sg_flame_layout_hit_test (layout, 3, 1.0), ==, SG_FLAME_BOX_NONE);
  g_assert_cmpuint (sg_flame_layout_hit_test (layout, 2, 11.0), ==, SG_FLAME_BOX_NONE);
  g_assert_cmpuint (sg_flame_layout_hit_test (layout, 2, -1.0), ==, SG_FLAME_BOX_NONE);
  g_assert_cmpuint (sg_flame_layout_hit_test (layout, 9, 1.0), ==, SG_FLAME_BOX_NONE);

  /* Where a view starting at x begins drawing a row. */
  g_assert_cmpuint (sg_flame_layout_row_lower_bound (layout, 2, 0.0), ==,
                    sg_flame_layout_hit_test (layout, 2, 0.0));
  g_assert_cmpuint (sg_flame_layout_row_lower_bound (layout, 2, 4.99), ==,
                    sg_flame_layout_hit_test (layout, 2, 0.0));
  g_assert_cmpuint (sg_flame_layout_row_lower_bound (layout, 2, 5.0), ==,
                    sg_flame_layout_hit_test (layout, 2, 5.0));
  /* Row 3 has only b (5..8): a view from 1 starts at b, a view from 9 is past it. */
  g_assert_cmpuint (sg_flame_layout_row_lower_bound (layout, 3, 1.0), ==,
                    sg_flame_layout_hit_test (layout, 3, 5.0));
  g_assert_cmpuint (sg_flame_layout_row_lower_bound (layout, 3, 9.0), ==,
                    sg_flame_layout_hit_test (layout, 3, 5.0) + 1);
}

static void
test_zoom_math (void)
{
  g_autoptr(SgProfile) profile = build_profile (merged_stacks, merged_values, FALSE);
  g_autoptr(SgFlameLayout) layout = NULL;
  const SgFlameBox *boxes;
  SgFlameView view, full = { 0.0, 1.0 }, mid;
  guint a_box, b_box;
  double x, w;

  layout = sg_flame_layout_new (profile, 0, SG_FLAME_MODE_MERGED, SG_FLAME_SORT_HEAVIEST,
                                NULL, NULL);
  boxes = sg_flame_layout_get_boxes (layout, NULL);
  a_box = sg_flame_layout_hit_test (layout, 2, 6.0);
  b_box = sg_flame_layout_hit_test (layout, 3, 6.0);

  /* Zooming into a (5..9 of 11) makes it fill the width. */
  view = sg_flame_layout_view_for_box (layout, a_box);
  g_assert_cmpfloat_with_epsilon (view.x0, 5.0 / 11.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (view.x1, 9.0 / 11.0, 1e-12);
  sg_flame_view_box_to_pixels (view, 11, &boxes[a_box], 800.0, &x, &w);
  g_assert_cmpfloat_with_epsilon (x, 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (w, 800.0, 1e-9);
  /* Its child b (5..8) takes three quarters. */
  sg_flame_view_box_to_pixels (view, 11, &boxes[b_box], 800.0, &x, &w);
  g_assert_cmpfloat_with_epsilon (x, 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (w, 600.0, 1e-9);
  /* Pixels map back to values inside the zoomed range. */
  g_assert_cmpfloat_with_epsilon (sg_flame_view_pixel_to_value (view, 11, 800.0, 0.0), 5.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (sg_flame_view_pixel_to_value (view, 11, 800.0, 600.0), 8.0, 1e-9);
  g_assert_cmpuint (sg_flame_layout_hit_test (layout, 3,
                                              sg_flame_view_pixel_to_value (view, 11, 800.0, 700.0)),
                    ==, SG_FLAME_BOX_NONE);

  /* The animation interpolates the window linearly and clamps. */
  mid = sg_flame_view_lerp (full, view, 0.5);
  g_assert_cmpfloat_with_epsilon (mid.x0, 2.5 / 11.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (mid.x1, 0.5 + 4.5 / 11.0, 1e-12);
  mid = sg_flame_view_lerp (full, view, 2.0);
  g_assert_cmpfloat (mid.x0, ==, view.x0);
  g_assert_cmpfloat (mid.x1, ==, view.x1);

  /* Out-of-range boxes reset the zoom. */
  view = sg_flame_layout_view_for_box (layout, SG_FLAME_BOX_NONE);
  g_assert_cmpfloat (view.x0, ==, 0.0);
  g_assert_cmpfloat (view.x1, ==, 1.0);
}

static void
test_time_order (void)
{
  static const char * const stacks[] = {
    "main;a", "main;a;b", "main;c", "main;a", "main;a", "other", NULL,
  };
  static const gint64 values[] = { 1, 2, 1, 1, 3, 2 };
  g_autoptr(SgProfile) profile = build_profile (stacks, values, TRUE);
  g_autoptr(SgFlameLayout) layout = NULL;
  const SgFlameBox *boxes;
  guint a2;

  layout = sg_flame_layout_new (profile, 0, SG_FLAME_MODE_TIME_ORDER, SG_FLAME_SORT_HEAVIEST,
                                NULL, NULL);
  g_assert_cmpint (sg_flame_layout_get_total (layout), ==, 10);
  assert_row (layout, 0, "(root)@0+10");
  assert_row (layout, 1, "main@0+8 other@8+2");
  /* a is interrupted by c, so it gets two boxes; the last two samples merge. */
  assert_row (layout, 2, "a@0+3 c@3+1 a@4+4");
  assert_row (layout, 3, "b@1+2");
  check_invariants (layout);

  boxes = sg_flame_layout_get_boxes (layout, NULL);
  a2 = sg_flame_layout_hit_test (layout, 2, 4.0);
  g_assert_cmpint (boxes[a2].start, ==, 4);
  g_assert_cmpint (sg_flame_layout_get_box_self (layout, a2), ==, 4);
  /* A child that starts after its parent is still found. */
  g_assert_cmpuint (sg_flame_layout_get_first_child (layout, sg_flame_layout_hit_test (layout, 2, 0.0)),
                    ==, sg_flame_layout_hit_test (layout, 3, 1.0));
  /* find_node returns the first box of a node in time. */
  g_assert_cmpint (boxes[sg_flame_layout_find_node (layout, boxes[a2].node)].start, ==, 0);
}

static void
test_search (void)
{
  static const char * const stacks[] = {
    "main;f;g;f", "main;h", "main;fmt", NULL,
  };
  static const gint64 values[] = { 2, 1, 4 };
  g_autoptr(SgProfile) profile = build_profile (stacks, values, FALSE);
  g_autoptr(SgFlameLayout) layout = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *frames = NULL;
  g_autofree guint8 *boxes_hit = NULL;
  const SgFlameBox *boxes;
  guint n_boxes, n_hit = 0;
  guint32 h_id;

  layout = sg_flame_layout_new (profile, 0, SG_FLAME_MODE_MERGED, SG_FLAME_SORT_HEAVIEST,
                                NULL, NULL);
  boxes = sg_flame_layout_get_boxes (layout, &n_boxes);
  boxes_hit = g_new0 (guint8, n_boxes);

  /* Substring, case-insensitive: f, f (recursive) and fmt; f's recursion
   * is counted once. */
  frames = sg_flame_match_frames (profile, "F", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sg_flame_layout_match (layout, frames, boxes_hit), ==, 6);
  for (guint i = 0; i < n_boxes; i++)
    n_hit += boxes_hit[i];
  g_assert_cmpuint (n_hit, ==, 3);
  g_clear_pointer (&frames, g_free);

  /* Regular expression, anchored. */
  frames = sg_flame_match_frames (profile, "^[gh]$", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sg_flame_layout_match (layout, frames, NULL), ==, 3);
  g_clear_pointer (&frames, g_free);

  /* Files match too ("h.py"). */
  frames = sg_flame_match_frames (profile, "h.py", FALSE, &error);
  g_assert_cmpint (sg_flame_layout_match (layout, frames, NULL), ==, 1);
  g_clear_pointer (&frames, g_free);

  frames = sg_flame_match_frames (profile, "nothing-like-this", FALSE, &error);
  g_assert_cmpint (sg_flame_layout_match (layout, frames, boxes_hit), ==, 0);
  for (guint i = 0; i < n_boxes; i++)
    g_assert_cmpuint (boxes_hit[i], ==, 0);
  g_clear_pointer (&frames, g_free);

  /* A broken regex is an error, not a crash. */
  frames = sg_flame_match_frames (profile, "(unclosed", TRUE, &error);
  g_assert_null (frames);
  g_assert_error (error, G_REGEX_ERROR, G_REGEX_ERROR_UNMATCHED_PARENTHESIS);
  g_clear_error (&error);

  /* Selecting a function from the top table matches by function name. */
  g_assert_true (sg_profile_lookup_string (profile, "h", &h_id));
  frames = sg_flame_match_function (profile, h_id);
  g_assert_cmpint (sg_flame_layout_match (layout, frames, boxes_hit), ==, 1);
  for (guint i = 0; i < n_boxes; i++)
    if (boxes_hit[i])
      g_assert_cmpstr (box_function (layout, &boxes[i]), ==, "h");
}

static void
test_cancelled (void)
{
  g_autoptr(SgProfile) profile = build_profile (merged_stacks, merged_values, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  SgFlameLayout *layout;

  g_cancellable_cancel (cancellable);
  layout = sg_flame_layout_new (profile, 0, SG_FLAME_MODE_MERGED, SG_FLAME_SORT_HEAVIEST,
                                cancellable, &error);
  g_assert_null (layout);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
layout_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SgFlameLayout **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = sg_flame_layout_new_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async (void)
{
  g_autoptr(SgProfile) profile = build_profile (merged_stacks, merged_values, FALSE);
  g_autoptr(SgFlameLayout) layout = NULL;

  sg_flame_layout_new_async (profile, 0, SG_FLAME_MODE_MERGED, SG_FLAME_SORT_HEAVIEST,
                             NULL, layout_ready, &layout);
  while (layout == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (sg_flame_layout_get_total (layout), ==, 11);
}

static void
test_format (void)
{
  struct { gint64 v; const char *unit; const char *expected; } cases[] = {
    { 1250000000, "nanoseconds", "1.25 s" },
    { 3400000, "nanoseconds", "3.40 ms" },
    { 999, "nanoseconds", "999 ns" },
    { 90, "seconds", "1.50 min" },
    { 1204, "count", "1,204" },
    { 1234567, "samples", "1,234,567 samples" },
    { -42, "", "-42" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *s = sg_flame_format_value (cases[i].v, cases[i].unit);
      g_assert_cmpstr (s, ==, cases[i].expected);
    }

  {
    g_autofree char *half = sg_flame_format_percent (1, 2);
    g_autofree char *tiny = sg_flame_format_percent (1, 100000);
    g_autofree char *none = sg_flame_format_percent (1, 0);
    g_autofree char *bytes = sg_flame_format_value (2000000, "bytes");

    g_assert_cmpstr (half, ==, "50.0%");
    g_assert_cmpstr (tiny, ==, "0.001%");
    g_assert_cmpstr (none, ==, "–");
    g_assert_cmpstr (bytes, ==, "2.0\302\240MB");
  }
}

static void
test_real_go_profile (void)
{
  static const char * const names[] = { "cpu.pb.gz", "heap.pb.gz" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "go", names[i], NULL);
      g_autofree char *data = NULL;
      g_autoptr(SgProfile) profile = NULL;
      g_autoptr(GError) error = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (path, &data, &len, &error));
      profile = sg_pprof_import (names[i], (const guint8 *) data, len, &error);
      g_assert_no_error (error);

      for (guint v = 0; v < sg_profile_get_n_value_types (profile); v++)
        {
          g_autoptr(SgFlameLayout) merged = NULL;
          g_autoptr(SgFlameLayout) timed = NULL;

          merged = sg_flame_layout_new (profile, v, SG_FLAME_MODE_MERGED, SG_FLAME_SORT_HEAVIEST,
                                        NULL, &error);
          g_assert_no_error (error);
          if (sg_profile_get_total (profile, v) <= 0)
            continue;
          g_assert_cmpint (sg_flame_layout_get_total (merged), ==, sg_profile_get_total (profile, v));
          check_invariants (merged);

          timed = sg_flame_layout_new (profile, v, SG_FLAME_MODE_TIME_ORDER, SG_FLAME_SORT_HEAVIEST,
                                       NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpint (sg_flame_layout_get_total (timed), ==, sg_profile_get_total (profile, v));
          check_invariants (timed);
        }
    }
}

/* Frames that differ only by line are one box, in both modes. */
static void
test_lines_merge (void)
{
  g_autoptr(SgProfileBuilder) builder = sg_profile_builder_new ();
  g_autoptr(SgProfile) profile = NULL;
  g_autoptr(SgFlameLayout) merged = NULL;
  g_autoptr(SgFlameLayout) timed = NULL;
  const SgFlameBox *boxes;
  guint main_f, f10, f11, g_f, other_f;
  struct { guint leaf; gint64 value; } samples[] = { { 0, 2 }, { 1, 3 }, { 2, 1 }, { 0, 1 }, { 3, 1 } };

  sg_profile_builder_add_value_type (builder, "samples", "count");
  main_f = sg_profile_builder_intern_frame (builder, "main", "app.py", 1, NULL);
  f10 = sg_profile_builder_intern_frame (builder, "f", "app.py", 10, NULL);
  f11 = sg_profile_builder_intern_frame (builder, "f", "app.py", 11, NULL);
  g_f = sg_profile_builder_intern_frame (builder, "g", "app.py", 20, NULL);
  /* Same name, other file: a different function. */
  other_f = sg_profile_builder_intern_frame (builder, "f", "other.py", 10, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      guint leaves[] = { f10, f11, g_f, other_f };
      guint stack[2] = { leaves[samples[i].leaf], main_f };

      sg_profile_builder_add_sample (builder, stack, 2, &samples[i].value, (i + 1) * 100, NULL);
    }
  profile = sg_profile_builder_end (builder, NULL);

  merged = sg_flame_layout_new (profile, 0, SG_FLAME_MODE_MERGED, SG_FLAME_SORT_HEAVIEST, NULL, NULL);
  /* The tie between g and other.py:f keeps the profile's name order. */
  assert_row (merged, 2, "f@0+6 f@6+1 g@7+1");
  boxes = sg_flame_layout_get_boxes (merged, NULL);
  g_assert_true (boxes[sg_flame_layout_hit_test (merged, 2, 0)].merged);
  g_assert_false (boxes[sg_flame_layout_hit_test (merged, 2, 6)].merged);
  check_invariants (merged);

  timed = sg_flame_layout_new (profile, 0, SG_FLAME_MODE_TIME_ORDER, SG_FLAME_SORT_HEAVIEST, NULL, NULL);
  assert_row (timed, 2, "f@0+5 g@5+1 f@6+1 f@7+1");
  boxes = sg_flame_layout_get_boxes (timed, NULL);
  g_assert_true (boxes[sg_flame_layout_hit_test (timed, 2, 0)].merged);
  g_assert_false (boxes[sg_flame_layout_hit_test (timed, 2, 6)].merged);
  check_invariants (timed);
}

/* Time order with threads: one lane per thread, never merged across. */
static void
test_time_order_threads (void)
{
  g_autoptr(SgProfileBuilder) builder = sg_profile_builder_new ();
  g_autoptr(SgProfile) profile = NULL;
  g_autoptr(SgFlameLayout) timed = NULL;
  struct { const char *thread; const char *leaf; } samples[] = {
    { "worker-1", "a" }, { "worker-2", "a" }, { "worker-1", "a" },
    { "worker-2", "b" }, { "worker-1", "b" }, { "worker-2", "b" },
  };
  guint main_f;

  sg_profile_builder_add_value_type (builder, "samples", "count");
  main_f = sg_profile_builder_intern_frame (builder, "run", "t.py", 1, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      guint stack[2] = { sg_profile_builder_intern_frame (builder, samples[i].leaf, "t.py", 5, NULL),
                         main_f };
      gint64 one = 1;

      sg_profile_builder_add_sample (builder, stack, 2, &one, (i + 1) * 1000, samples[i].thread);
    }
  profile = sg_profile_builder_end (builder, NULL);

  timed = sg_flame_layout_new (profile, 0, SG_FLAME_MODE_TIME_ORDER, SG_FLAME_SORT_HEAVIEST, NULL, NULL);
  /* worker-1: a a b, then worker-2: a b b; "run" is split at the lane edge. */
  assert_row (timed, 1, "run@0+3 run@3+3");
  assert_row (timed, 2, "a@0+2 b@2+1 a@3+1 b@4+2");
  check_invariants (timed);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/flame-layout/merged-heaviest", test_merged_heaviest);
  g_test_add_func ("/core/flame-layout/merged-by-name", test_merged_by_name);
  g_test_add_func ("/core/flame-layout/self-and-neighbours", test_self_and_neighbours);
  g_test_add_func ("/core/flame-layout/hit-test", test_hit_test);
  g_test_add_func ("/core/flame-layout/zoom-math", test_zoom_math);
  g_test_add_func ("/core/flame-layout/time-order", test_time_order);
  g_test_add_func ("/core/flame-layout/search", test_search);
  g_test_add_func ("/core/flame-layout/cancelled", test_cancelled);
  g_test_add_func ("/core/flame-layout/async", test_async);

  g_test_add_func ("/core/flame-layout/format", test_format);
  g_test_add_func ("/core/flame-layout/lines-merge", test_lines_merge);
  g_test_add_func ("/core/flame-layout/time-order-threads", test_time_order_threads);
  g_test_add_func ("/core/flame-layout/real-go-profiles", test_real_go_profile);

  return g_test_run ();
}
