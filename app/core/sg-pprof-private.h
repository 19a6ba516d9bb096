/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *sg_pprof_gzip (const guint8 *data,
                       gsize         len);

/* Inflates gzip (several members allowed) for every importer; refuses
 * output beyond @max_size bytes or beyond what deflate can encode in @len
 * bytes, so a crafted stream cannot exhaust memory. */
GBytes *sg_gunzip_bounded (const char    *file,
                           const guint8  *data,
                           gsize          len,
                           guint64        max_size,
                           GError       **error);

G_END_DECLS
