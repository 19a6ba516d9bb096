/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sg-format.h"
#include "sg-profile.h"

G_BEGIN_DECLS

/* Inflated data beyond this is refused (SG_PROFILE_ERROR_TOO_LARGE): a
 * 1 KiB gzip bomb must not take the machine's memory. */
#define SG_PROFILE_MAX_INFLATED_SIZE (G_GUINT64_CONSTANT (4) << 30)

SgProfile *sg_profile_load_file          (const char     *path,
                                          GError        **error);
SgProfile *sg_profile_load_bytes         (GBytes         *bytes,
                                          const char     *name,
                                          GError        **error);
SgFormat   sg_profile_detect_bytes       (GBytes         *bytes);

/* Output formats: SG_FORMAT_PPROF, SG_FORMAT_COLLAPSED, SG_FORMAT_SPEEDSCOPE. */
SgFormat   sg_format_from_file_name      (const char     *path);
SgFormat   sg_format_from_name           (const char     *name);
gboolean   sg_format_can_export          (SgFormat        format);

/* value_index picks the value type for formats that hold only one
 * (collapsed, speedscope); G_MAXUINT means the profile's default. */
gboolean   sg_profile_export             (SgProfile      *profile,
                                          SgFormat        format,
                                          guint           value_index,
                                          GOutputStream  *stream,
                                          GCancellable   *cancellable,
                                          GError        **error);
/* SG_FORMAT_UNKNOWN picks the format from the file name.  Writes to a
 * temporary file and renames it, so a failed save never leaves half a file. */
gboolean   sg_profile_save               (SgProfile      *profile,
                                          const char     *path,
                                          SgFormat        format,
                                          guint           value_index,
                                          GError        **error);

G_END_DECLS
