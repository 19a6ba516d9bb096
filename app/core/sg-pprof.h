/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sg-profile.h"

G_BEGIN_DECLS

/*
 * pprof (profile.proto), the format the agent speaks and Go, Cloud
 * Profiler and many others write.
 *
 * sg_pprof_import() takes the protobuf bytes, or a gzip stream of them
 * (the usual .pb.gz), and names `file` in its errors.  Inlined frames,
 * several sample types and labels are kept: the string labels "thread"
 * (or "thread_name") and numeric "thread_id" become the sample's thread,
 * the numeric label "timestamp_ns" its timestamp.  drop_frames and
 * keep_frames are ignored: they are display hints for pprof's own UI.
 *
 * sg_pprof_export() writes one location per frame, the thread and
 * timestamp labels, and the metadata pprof has no field for (service,
 * version, host, profile type) as "spyglass:key=value" comments, which
 * the importer reads back.
 */
SgProfile *sg_pprof_import (const char    *file,
                            const guint8  *data,
                            gsize          len,
                            GError       **error);

GBytes    *sg_pprof_export (SgProfile     *profile,
                            gboolean       compress,
                            GError       **error);

/* Inflates a gzip stream (several members allowed) with an output bound
 * derived from the input length, so a crafted file cannot exhaust memory. */
GBytes    *sg_pprof_gunzip (const char    *file,
                            const guint8  *data,
                            gsize          len,
                            GError       **error);

G_END_DECLS
