/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sg-profile.h"

G_BEGIN_DECLS

/*
 * SgProfileBuilder collects frames and samples from an importer or an
 * analysis and turns them into an immutable SgProfile.
 *
 * Typical use:
 *
 *   builder = sg_profile_builder_new ();
 *   sg_profile_builder_add_value_type (builder, "cpu", "nanoseconds");
 *   f = sg_profile_builder_intern_frame (builder, "main", "main.py", 10, NULL);
 *   sg_profile_builder_add_sample (builder, frames, n, values, -1, NULL);
 *   profile = sg_profile_builder_end (builder, &error);
 *
 * Importers that already know a tree (Chrome .cpuprofile, speedscope
 * evented) or that see the same stack many times (pprof) can skip the
 * per-sample stack walk with intern_child()/intern_stack() and
 * add_sample_at_node(); builder node ids are private to the builder and
 * are renumbered by end().
 *
 * Value types must all be added before the first sample.  A builder is
 * not thread-safe; end() may be called once, after which only free() is
 * allowed.
 */

typedef struct _SgProfileBuilder SgProfileBuilder;

#define SG_PROFILE_BUILDER_ROOT 0

SgProfileBuilder *sg_profile_builder_new               (void);
void              sg_profile_builder_free              (SgProfileBuilder *self);

guint             sg_profile_builder_add_value_type    (SgProfileBuilder *self,
                                                        const char       *type,
                                                        const char       *unit);
guint             sg_profile_builder_get_n_value_types (SgProfileBuilder *self);
void              sg_profile_builder_set_default_value (SgProfileBuilder *self,
                                                        guint             index);

guint32           sg_profile_builder_intern_string     (SgProfileBuilder *self,
                                                        const char       *string);
guint32           sg_profile_builder_intern_string_len (SgProfileBuilder *self,
                                                        const char       *string,
                                                        gsize             len);
/* file and module may be NULL; line 0 (or negative) means unknown. */
guint             sg_profile_builder_intern_frame      (SgProfileBuilder *self,
                                                        const char       *function,
                                                        const char       *file,
                                                        gint64            line,
                                                        const char       *module);
guint             sg_profile_builder_intern_frame_ids  (SgProfileBuilder *self,
                                                        guint32           function,
                                                        guint32           file,
                                                        gint64            line,
                                                        guint32           module);

/* frames are leaf first; values has one entry per value type;
 * timestamp_ns is -1 when unknown; thread may be NULL. */
void              sg_profile_builder_add_sample        (SgProfileBuilder *self,
                                                        const guint      *frames,
                                                        guint             n_frames,
                                                        const gint64     *values,
                                                        gint64            timestamp_ns,
                                                        const char       *thread);

/* Lower-level: tree nodes and samples at a node.  thread is a string id
 * from intern_string() (0 for none). */
guint             sg_profile_builder_intern_child      (SgProfileBuilder *self,
                                                        guint             parent,
                                                        guint             frame);
guint             sg_profile_builder_intern_stack      (SgProfileBuilder *self,
                                                        const guint      *frames,
                                                        guint             n_frames);
void              sg_profile_builder_add_sample_at_node (SgProfileBuilder *self,
                                                         guint             node,
                                                         const gint64     *values,
                                                         gint64            timestamp_ns,
                                                         guint32           thread);
guint             sg_profile_builder_get_n_samples     (SgProfileBuilder *self);
/* A hint from importers that know how many samples are coming. */
void              sg_profile_builder_reserve_samples   (SgProfileBuilder *self,
                                                        guint             n_samples);

/* Metadata; strings are copied, NULL clears. */
void              sg_profile_builder_set_service       (SgProfileBuilder *self,
                                                        const char       *service);
void              sg_profile_builder_set_version       (SgProfileBuilder *self,
                                                        const char       *version);
void              sg_profile_builder_set_host          (SgProfileBuilder *self,
                                                        const char       *host);
void              sg_profile_builder_set_profile_type  (SgProfileBuilder *self,
                                                        const char       *type);
void              sg_profile_builder_set_start_ns      (SgProfileBuilder *self,
                                                        gint64            start_ns);
void              sg_profile_builder_set_duration_ns   (SgProfileBuilder *self,
                                                        gint64            duration_ns);
void              sg_profile_builder_set_period        (SgProfileBuilder *self,
                                                        const char       *type,
                                                        const char       *unit,
                                                        gint64            period);
void              sg_profile_builder_set_comment       (SgProfileBuilder *self,
                                                        const char       *comment);
/* Copies every piece of metadata (not value types) from a profile. */
void              sg_profile_builder_copy_metadata     (SgProfileBuilder *self,
                                                        SgProfile        *profile);

/* Consumes the collected data.  Fails with SG_PROFILE_ERROR_EMPTY when no
 * value type was added. */
SgProfile        *sg_profile_builder_end               (SgProfileBuilder *self,
                                                        GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SgProfileBuilder, sg_profile_builder_free)

G_END_DECLS
