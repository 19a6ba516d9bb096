/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sg-profile.h"

G_BEGIN_DECLS

/* Sums flat and cum per key over the tree, counting a key once per root
 * path; key_of_frame maps each frame to a key < n_keys or G_MAXUINT32
 * (not counted). */
void sg_analysis_accumulate (SgProfile     *profile,
                             const guint32 *key_of_frame,
                             guint          n_keys,
                             guint          value_index,
                             gint64        *flat,
                             gint64        *cum);

G_END_DECLS
