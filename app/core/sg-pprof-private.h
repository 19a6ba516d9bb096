/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *sg_pprof_gzip (const guint8 *data,
                       gsize         len);

G_END_DECLS
