/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include "sg-profile.h"

G_BEGIN_DECLS

/*
 * The importers of part B.  Each reads a whole, already inflated document
 * held in memory (data need not be NUL-terminated) and names `file` in its
 * errors.  Callers normally go through sg_profile_load_bytes(), which
 * detects the format first.
 */
SgProfile *sg_import_collapsed  (const char    *file,
                                 const char    *data,
                                 gsize          len,
                                 GError       **error);
SgProfile *sg_import_speedscope (const char    *file,
                                 const char    *data,
                                 gsize          len,
                                 GError       **error);
SgProfile *sg_import_cpuprofile (const char    *file,
                                 const char    *data,
                                 gsize          len,
                                 GError       **error);
SgProfile *sg_import_pstats     (const char    *file,
                                 const guint8  *data,
                                 gsize          len,
                                 GError       **error);

/* sg_profile_load_bytes() with a smaller inflate bound, for tests and the
 * fuzz targets. */
SgProfile *sg_profile_load_bytes_bounded (GBytes       *bytes,
                                          const char   *name,
                                          guint64       max_inflated,
                                          GError      **error);

/* Text from a file may be anything; the model holds UTF-8 only.  Returns
 * text itself when valid, else a repaired copy kept in *owned. */
static inline const char *
sg_import_valid_utf8 (const char  *text,
                      gssize       len,
                      char       **owned)
{
  if (g_utf8_validate_len (text, len < 0 ? strlen (text) : (gsize) len, NULL))
    return text;
  *owned = g_utf8_make_valid (text, len);
  return *owned;
}

G_END_DECLS
