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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/format/detect-text", test_format_detect_text);
  g_test_add_func ("/core/format/detect-binary", test_format_detect_binary);
  return g_test_run ();
}
