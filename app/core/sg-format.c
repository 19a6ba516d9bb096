/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Format detection looks only at the first bytes of a file, never at its
 * name: profiles are routinely renamed (“profile.out”, “cpu.pb”) and a
 * wrong guess from the extension would give a confusing parse error.
 */
#include "sg-format.h"

#include <string.h>

static gboolean
looks_like_json (const guint8 *data,
                 gsize         len,
                 const char   *needle)
{
  gsize i = 0;
  gsize window;

  /* Editors on Windows like to start UTF-8 files with a byte-order mark. */
  if (len >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf)
    i = 3;
  while (i < len && g_ascii_isspace (data[i]))
    i++;
  if (i >= len || (data[i] != '{' && data[i] != '['))
    return FALSE;

  window = MIN (len, 4096);
  return g_strstr_len ((const char *) data, window, needle) != NULL;
}

static gboolean
looks_like_collapsed (const guint8 *data,
                      gsize         len)
{
  /* “frame;frame;frame 123” — the first line ends in a space and a count. */
  gsize end = 0;
  gsize i;

  while (end < len && end < 65536 && data[end] != '\n')
    end++;
  if (end == 0)
    return FALSE;
  if (data[end - 1] == '\r')
    end--;

  i = end;
  while (i > 0 && g_ascii_isdigit (data[i - 1]))
    i--;
  if (i == end || i == 0 || data[i - 1] != ' ')
    return FALSE;
  /* Text: no control characters but tabs, valid UTF-8.  Binary formats
   * (pprof above all) fail this long before their first newline. */
  for (gsize j = 0; j < i; j++)
    if ((data[j] < 0x20 && data[j] != '\t') || data[j] == 0x7f)
      return FALSE;
  return g_utf8_validate_len ((const char *) data, i, NULL);
}

static gboolean
looks_like_pstats (const guint8 *data,
                   gsize         len)
{
  /* marshal.dump of a dict whose keys are (file, line, name) tuples:
   * '{' (TYPE_DICT, possibly with FLAG_REF 0x80) then a tuple ('(' or ')'). */
  if (len < 2)
    return FALSE;
  return (data[0] == '{' || data[0] == ('{' | 0x80)) &&
         (data[1] == '(' || data[1] == ('(' | 0x80) ||
          data[1] == ')' || data[1] == (')' | 0x80));
}

static gboolean
read_varint (const guint8 *data,
             gsize         len,
             gsize        *pos,
             guint64      *value)
{
  guint64 v = 0;

  for (guint shift = 0; shift < 64 && *pos < len; shift += 7)
    {
      guint8 b = data[(*pos)++];
      v |= (guint64) (b & 0x7f) << shift;
      if ((b & 0x80) == 0)
        {
          *value = v;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
looks_like_pprof (const guint8 *data,
                  gsize         len)
{
  /* Walk the top-level fields of the first 64 KiB: every one must be a
   * field of profile.proto with its wire type (encoders order them freely:
   * Go writes time_nanos first).  Text never passes this. */
  gsize window = MIN (len, 65536);
  gsize pos = 0;
  guint n_fields = 0;   /* complete ones */

  while (pos < window)
    {
      guint64 key, value;
      guint field, wire;

      if (!read_varint (data, window, &pos, &key))
        break;
      field = (guint) (key >> 3);
      wire = (guint) (key & 7);
      switch (field)
        {
        case 1: case 2: case 3: case 4: case 5: case 6: case 11:
          if (wire != 2)
            return FALSE;
          break;
        case 7: case 8: case 9: case 10: case 12: case 14:
          if (wire != 0)
            return FALSE;
          break;
        case 13:  /* comment: repeated int64, packed or not */
          if (wire != 0 && wire != 2)
            return FALSE;
          break;
        default:
          return FALSE;
        }
      if (!read_varint (data, window, &pos, &value))
        break;
      if (wire == 2)
        {
          /* data may be only the head of the file: a field running past it
           * is not proof of anything either way. */
          if (value > window - pos)
            break;
          pos += value;
        }
      n_fields++;
    }
  /* Two whole fields of the right types, or one that is the whole input:
   * a random binary or text prefix rarely manages either. */
  return n_fields >= 2 || (n_fields == 1 && pos == len);
}

SgFormat
sg_format_detect (const guint8 *data,
                  gsize         len)
{
  g_return_val_if_fail (data != NULL || len == 0, SG_FORMAT_UNKNOWN);

  if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b)
    return SG_FORMAT_GZIP;
  if (looks_like_json (data, len, "speedscope"))
    return SG_FORMAT_SPEEDSCOPE;
  if (looks_like_json (data, len, "\"nodes\"") && looks_like_json (data, len, "\"callFrame\""))
    return SG_FORMAT_CPUPROFILE;
  if (looks_like_pstats (data, len))
    return SG_FORMAT_PSTATS;
  if (looks_like_collapsed (data, len))
    return SG_FORMAT_COLLAPSED;
  if (looks_like_pprof (data, len))
    return SG_FORMAT_PPROF;
  return SG_FORMAT_UNKNOWN;
}

const char *
sg_format_get_name (SgFormat format)
{
  switch (format)
    {
    case SG_FORMAT_GZIP:       return "gzip";
    case SG_FORMAT_PPROF:      return "pprof";
    case SG_FORMAT_COLLAPSED:  return "collapsed stacks";
    case SG_FORMAT_SPEEDSCOPE: return "speedscope";
    case SG_FORMAT_CPUPROFILE: return "Chrome .cpuprofile";
    case SG_FORMAT_PSTATS:     return "cProfile/pstats";
    case SG_FORMAT_UNKNOWN:
    default:                   return "unknown";
    }
}
