/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sg-profile.h"

G_BEGIN_DECLS

/* Buffered output: exporters append to `buf`, which is flushed to the
 * stream whenever it passes a megabyte, so huge profiles stream out. */
typedef struct
{
  GOutputStream *stream;
  GCancellable  *cancellable;
  GString       *buf;
  GError        *error;
} SgWriter;

void      sg_writer_init        (SgWriter       *self,
                                 GOutputStream  *stream,
                                 GCancellable   *cancellable);
gboolean  sg_writer_maybe_flush (SgWriter       *self);
gboolean  sg_writer_finish      (SgWriter       *self,
                                 GError        **error);
void      sg_writer_json_string (SgWriter       *self,
                                 const char     *text);

gboolean  sg_export_collapsed   (SgProfile      *profile,
                                 guint           value_index,
                                 SgWriter       *writer);
gboolean  sg_export_speedscope  (SgProfile      *profile,
                                 guint           value_index,
                                 SgWriter       *writer);

G_END_DECLS
