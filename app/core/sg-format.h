/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every profile format Spyglass recognises, detected from content. */
typedef enum
{
  SG_FORMAT_UNKNOWN = 0,
  SG_FORMAT_GZIP,          /* compressed: inflate and detect again */
  SG_FORMAT_PPROF,
  SG_FORMAT_COLLAPSED,
  SG_FORMAT_SPEEDSCOPE,
  SG_FORMAT_CPUPROFILE,
  SG_FORMAT_PSTATS,
} SgFormat;

SgFormat     sg_format_detect   (const guint8 *data,
                                 gsize         len);
const char  *sg_format_get_name (SgFormat      format);

G_END_DECLS
