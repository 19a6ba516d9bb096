/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * gzip for every importer (.pb.gz is pprof's normal form; the loader
 * inflates any gzipped input before detecting its format).  One inflater
 * for both: it sizes its buffer from the gzip trailer so a typical file
 * inflates in one call into huge pages, and it is bounded twice against
 * decompression bombs: never past deflate's maximum ratio (about 1032:1),
 * and never past the caller's own limit on the output.
 */
#include "sg-pprof.h"
#include "sg-pprof-private.h"

#include "sg-memory-private.h"

#include <zlib.h>

#define MAX_RATIO 1040

static void
set_truncated (GError     **error,
               const char  *file,
               gsize        at)
{
  g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_TRUNCATED,
               "%s: byte %" G_GSIZE_FORMAT ": the compressed data ends early (truncated file?)", file, at);
}

static void
set_beyond_max (GError     **error,
                const char  *file,
                guint64      max_size)
{
  if (max_size >= 1 << 20)
    g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_TOO_LARGE,
                 "%s: inflates to more than %" G_GUINT64_FORMAT " MiB, refusing to read further",
                 file, max_size >> 20);
  else
    g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_TOO_LARGE,
                 "%s: inflates to more than %" G_GUINT64_FORMAT " bytes, refusing to read further",
                 file, max_size);
}

GBytes *
sg_gunzip_bounded (const char    *file,
                   const guint8  *data,
                   gsize          len,
                   guint64        max_size,
                   GError       **error)
{
  z_stream strm = { 0, };
  guint8 *out = NULL;
  gsize out_len = 0, out_size, ratio_limit, limit;
  gsize in_pos = 0;
  gboolean by_ratio;
  int ret;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (file == NULL)
    file = "(gzip)";

  /* One byte past @max_size, so output of exactly @max_size still fits
   * and anything more is seen as "more". */
  ratio_limit = len > G_MAXSIZE / MAX_RATIO ? G_MAXSIZE : len * MAX_RATIO + 65536;
  by_ratio = max_size >= ratio_limit;
  limit = by_ratio ? ratio_limit : (gsize) max_size + 1;

  /* ISIZE, the last four bytes, is the size mod 2^32 of the last member */
  out_size = len * 4;
  if (len >= 18)
    {
      gsize isize = data[len - 4] | (data[len - 3] << 8) | (data[len - 2] << 16) | ((gsize) data[len - 1] << 24);
      if (isize > 0 && isize < limit)
        out_size = MAX (isize + 1, 4096);
    }
  out_size = MIN (MAX (out_size, 4096), limit);
  out = g_malloc (out_size);
  sg_memory_advise_huge (out, out_size);

  if (inflateInit2 (&strm, 15 + 16) != Z_OK)
    {
      g_free (out);
      g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_INVALID, "%s: cannot start zlib", file);
      return NULL;
    }

  for (;;)
    {
      /* zlib counts in uInt: feed and fill at most 1 GiB at a time. */
      strm.next_in = (Bytef *) data + in_pos;
      strm.avail_in = (uInt) MIN (len - in_pos, (gsize) 1 << 30);
      strm.next_out = out + out_len;
      strm.avail_out = (uInt) MIN (out_size - out_len, (gsize) 1 << 30);

      ret = inflate (&strm, Z_NO_FLUSH);
      in_pos = (const guint8 *) strm.next_in - data;
      out_len = strm.next_out - out;

      if (ret == Z_STREAM_END)
        {
          /* another member follows (concatenated .gz files are valid) */
          if (len - in_pos >= 2 && data[in_pos] == 0x1f && data[in_pos + 1] == 0x8b)
            {
              inflateReset (&strm);
              continue;
            }
          break;
        }
      if (ret == Z_BUF_ERROR && strm.avail_in == 0 && in_pos == len)
        {
          set_truncated (error, file, in_pos);
          goto fail;
        }
      if (ret != Z_OK && ret != Z_BUF_ERROR)
        {
          g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_INVALID,
                       "%s: byte %" G_GSIZE_FORMAT " of the compressed data: %s", file, in_pos,
                       strm.msg ? strm.msg : "corrupt gzip stream");
          goto fail;
        }
      if (out_len == out_size)
        {
          if (out_size >= limit && by_ratio)
            {
              g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_TOO_LARGE,
                           "%s: byte %" G_GSIZE_FORMAT ": inflates beyond what gzip can encode in %" G_GSIZE_FORMAT " bytes",
                           file, in_pos, len);
              goto fail;
            }
          if (out_size >= limit)
            {
              set_beyond_max (error, file, max_size);
              goto fail;
            }
          out_size = out_size > limit / 2 ? limit : out_size * 2;
          out = g_realloc (out, out_size);
          sg_memory_advise_huge (out, out_size);
        }
      else if (ret == Z_BUF_ERROR)
        {
          set_truncated (error, file, in_pos);
          goto fail;
        }
    }

  /* The stream may end exactly as it fills the byte past @max_size. */
  if (!by_ratio && out_len >= limit)
    {
      set_beyond_max (error, file, max_size);
      goto fail;
    }
  inflateEnd (&strm);
  return g_bytes_new_take (g_realloc (out, MAX (out_len, 1)), out_len);

fail:
  inflateEnd (&strm);
  g_free (out);
  return NULL;
}

GBytes *
sg_pprof_gunzip (const char    *file,
                 const guint8  *data,
                 gsize          len,
                 GError       **error)
{
  return sg_gunzip_bounded (file, data, len, G_MAXUINT64, error);
}

GBytes *
sg_pprof_gzip (const guint8 *data,
               gsize         len)
{
  z_stream strm = { 0, };
  gsize bound;
  guint8 *out;
  int ret;

  if (deflateInit2 (&strm, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    g_error ("zlib: cannot initialise deflate");

  bound = deflateBound (&strm, len) + 64;
  out = g_malloc (bound);
  strm.next_in = (Bytef *) data;
  strm.avail_in = len;
  strm.next_out = out;
  strm.avail_out = bound;
  ret = deflate (&strm, Z_FINISH);
  g_assert (ret == Z_STREAM_END);
  bound = strm.total_out;
  deflateEnd (&strm);
  return g_bytes_new_take (out, bound);
}
