/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sg-format.h"

G_BEGIN_DECLS

#define SG_TYPE_PROFILE_FILE (sg_profile_file_get_type ())

G_DECLARE_FINAL_TYPE (SgProfileFile, sg_profile_file, SG, PROFILE_FILE, GObject)

void           sg_profile_file_load_async        (GFile               *file,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
void           sg_profile_file_load_bytes_async  (GFile               *file,
                                                  GBytes              *bytes,
                                                  const char          *display_name,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
SgProfileFile *sg_profile_file_load_finish       (GAsyncResult        *result,
                                                  GError             **error);
GFile         *sg_profile_file_get_file          (SgProfileFile       *self);
const char    *sg_profile_file_get_display_name  (SgProfileFile       *self);
SgFormat       sg_profile_file_get_format        (SgProfileFile       *self);
gboolean       sg_profile_file_get_compressed    (SgProfileFile       *self);
GBytes        *sg_profile_file_get_contents      (SgProfileFile       *self);
char          *sg_profile_file_dup_format_label  (SgProfileFile       *self);

G_END_DECLS
