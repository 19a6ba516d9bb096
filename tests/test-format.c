/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sg-format.h"

#include <string.h>

static void
assert_detects (const char *text,
                SgFormat    expected)
{
  g_assert_cmpint (sg_format_detect ((const guint8 *) text, strlen (text)), ==, expected);
}

static void
test_format_detect_text (void)
{
  assert_detects ("main;run;work 42\nmain;idle 7\n", SG_FORMAT_COLLAPSED);
  assert_detects ("{\"$schema\": \"https://www.speedscope.app/file-format-schema.json\"}",
                  SG_FORMAT_SPEEDSCOPE);
  assert_detects ("{\"nodes\":[{\"id\":1,\"callFrame\":{}}],\"startTime\":0}", SG_FORMAT_CPUPROFILE);
  assert_detects ("hello world", SG_FORMAT_UNKNOWN);
  assert_detects ("", SG_FORMAT_UNKNOWN);
}

static void
test_format_detect_binary (void)
{
  static const guint8 gz[] = { 0x1f, 0x8b, 0x08, 0x00 };
  static const guint8 pprof[] = { 0x0a, 0x04, 0x08, 0x01, 0x10, 0x02 };
  static const guint8 pstats[] = { '{' | 0x80, ')' | 0x80, 0x03 };

  g_assert_cmpint (sg_format_detect (gz, sizeof gz), ==, SG_FORMAT_GZIP);
  g_assert_cmpint (sg_format_detect (pprof, sizeof pprof), ==, SG_FORMAT_PPROF);
  g_assert_cmpint (sg_format_detect (pstats, sizeof pstats), ==, SG_FORMAT_PSTATS);
}

static void
test_format_detect_pprof_field_order (void)
{
  /* Go's runtime/pprof writes time_nanos (field 9) before sample_type. */
  static const guint8 go[] = { 0x48, 0x90, 0xd1, 0xce, 0xff, 0xc4, 0x9a, 0x8d, 0xf5, 0x18,
                               0x0a, 0x04, 0x08, 0x01, 0x10, 0x02 };
  /* Field 3 claiming more bytes than the file has is not pprof. */
  static const guint8 too_long[] = { 0x1a, 0x63, 'a', 'b' };
  /* Field 15 does not exist in profile.proto. */
  static const guint8 unknown_field[] = { 0x78, 0x01 };

  g_assert_cmpint (sg_format_detect (go, sizeof go), ==, SG_FORMAT_PPROF);
  g_assert_cmpint (sg_format_detect (too_long, sizeof too_long), ==, SG_FORMAT_UNKNOWN);
  g_assert_cmpint (sg_format_detect (unknown_field, sizeof unknown_field), ==, SG_FORMAT_UNKNOWN);
}

static void
test_format_detect_text_edges (void)
{
  /* A control character makes a "line" binary, whatever its end looks like
   * (a fuzzer found our collapsed exporter's output read as pprof). */
  assert_detects ("\x1a" "crunch;run 3\n", SG_FORMAT_UNKNOWN);
  assert_detects ("main;work\t(x.py:3) 12\r\n", SG_FORMAT_COLLAPSED);
  assert_detects ("\xef\xbb\xbf{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\"}",
                  SG_FORMAT_SPEEDSCOPE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/format/detect-text", test_format_detect_text);
  g_test_add_func ("/core/format/detect-binary", test_format_detect_binary);
  g_test_add_func ("/core/format/detect-pprof-field-order", test_format_detect_pprof_field_order);
  g_test_add_func ("/core/format/detect-text-edges", test_format_detect_text_edges);
  return g_test_run ();
}
