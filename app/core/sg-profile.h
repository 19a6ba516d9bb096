/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * SgProfile is the one in-memory shape every importer produces and every
 * view reads.  It is built once by SgProfileBuilder and is then immutable,
 * so any number of threads may read it without locks; share it with
 * sg_profile_ref().
 *
 * Layout, chosen for 1M-node trees:
 *  - strings are interned; id 0 is always "";
 *  - frames (function, file, line, module) live in one table;
 *  - call-tree nodes are numbered in depth-first pre-order, node 0 is the
 *    root (frame SG_FRAME_NONE).  So the subtree of node n is the id range
 *    [n, node.subtree_end) and a parent always has a lower id than its
 *    children: totals roll up with one backwards pass and a flame graph
 *    lays out with one forward pass.  Siblings are ordered by function
 *    name, then file, then line (the flamegraph.pl convention), which keeps
 *    layouts stable between profiles;
 *  - self and total values are columns, one gint64 array per value type;
 *  - samples point at their leaf node and are sorted by timestamp (samples
 *    without one come first, in import order).
 */

#define SG_TYPE_PROFILE (sg_profile_get_type ())

typedef struct _SgProfile SgProfile;

#define SG_PROFILE_ERROR (sg_profile_error_quark ())

/* Shared by every importer, exporter and analysis. */
typedef enum
{
  SG_PROFILE_ERROR_TRUNCATED,    /* input ends where more was expected */
  SG_PROFILE_ERROR_INVALID,      /* malformed content at a known position */
  SG_PROFILE_ERROR_UNSUPPORTED,  /* well-formed but not something we read */
  SG_PROFILE_ERROR_TOO_LARGE,    /* a count or size beyond what the input can hold */
  SG_PROFILE_ERROR_EMPTY,        /* nothing to build a profile from */
  SG_PROFILE_ERROR_MISMATCH,     /* profiles (or values) that cannot be combined */
  SG_PROFILE_ERROR_NOT_FOUND,    /* a value type, function or thread that is not there */
  SG_PROFILE_ERROR_PATTERN,      /* a bad regular expression in a filter */
} SgProfileError;

#define SG_FRAME_NONE   G_MAXUINT32
#define SG_NODE_NONE    G_MAXUINT32
#define SG_NODE_ROOT    0

typedef struct
{
  guint32 function;   /* string id */
  guint32 file;       /* string id, 0 if unknown */
  guint32 module;     /* string id (binary, package, mapping), 0 if unknown */
  gint32  line;       /* 0 if unknown */
} SgFrame;

typedef struct
{
  guint32 parent;        /* SG_NODE_NONE for the root */
  guint32 first_child;   /* SG_NODE_NONE for a leaf */
  guint32 next_sibling;  /* SG_NODE_NONE for the last child */
  guint32 subtree_end;   /* one past the last descendant */
  guint32 frame;         /* SG_FRAME_NONE for the root */
  guint32 depth;         /* 0 for the root */
} SgNode;

typedef struct
{
  gint64  timestamp_ns;  /* -1 when unknown */
  guint32 node;          /* the leaf of its stack */
  guint32 thread;        /* string id, 0 when unknown */
} SgSample;

GType         sg_profile_get_type          (void) G_GNUC_CONST;
GQuark        sg_profile_error_quark       (void);

SgProfile    *sg_profile_ref               (SgProfile   *self);
void          sg_profile_unref             (SgProfile   *self);

/* Strings */
guint         sg_profile_get_n_strings     (SgProfile   *self);
const char   *sg_profile_get_string        (SgProfile   *self,
                                            guint32      id);
gboolean      sg_profile_lookup_string     (SgProfile   *self,
                                            const char  *string,
                                            guint32     *id);

/* Metadata */
const char   *sg_profile_get_service       (SgProfile   *self);
const char   *sg_profile_get_version       (SgProfile   *self);
const char   *sg_profile_get_host          (SgProfile   *self);
const char   *sg_profile_get_profile_type  (SgProfile   *self);  /* "cpu", "wall", "heap", … or "" */
gint64        sg_profile_get_start_ns      (SgProfile   *self);  /* Unix epoch, 0 when unknown */
gint64        sg_profile_get_duration_ns   (SgProfile   *self);  /* 0 when unknown */
gint64        sg_profile_get_period        (SgProfile   *self);  /* 0 when unknown */
const char   *sg_profile_get_period_type   (SgProfile   *self);
const char   *sg_profile_get_period_unit   (SgProfile   *self);
const char   *sg_profile_get_comment       (SgProfile   *self);  /* free text, "" when none */

/* Value types ("cpu"/"nanoseconds", "samples"/"count", "inuse_space"/"bytes", …) */
guint         sg_profile_get_n_value_types (SgProfile   *self);
const char   *sg_profile_get_value_type    (SgProfile   *self,
                                            guint        index);
const char   *sg_profile_get_value_unit    (SgProfile   *self,
                                            guint        index);
guint         sg_profile_get_default_value (SgProfile   *self);
gboolean      sg_profile_find_value_type   (SgProfile   *self,
                                            const char  *type,
                                            guint       *index);

/* Frames */
guint         sg_profile_get_n_frames      (SgProfile   *self);
const SgFrame *sg_profile_get_frames       (SgProfile   *self);
const char   *sg_profile_get_frame_function (SgProfile  *self,
                                             guint32     frame);
const char   *sg_profile_get_frame_file    (SgProfile   *self,
                                            guint32      frame);

/* Call tree: arrays of sg_profile_get_n_nodes() entries, node 0 the root */
guint         sg_profile_get_n_nodes       (SgProfile   *self);
const SgNode *sg_profile_get_nodes         (SgProfile   *self);
const gint64 *sg_profile_get_node_self     (SgProfile   *self,
                                            guint        value_index);
const gint64 *sg_profile_get_node_total    (SgProfile   *self,
                                            guint        value_index);
guint         sg_profile_get_max_depth     (SgProfile   *self);
guint         sg_profile_get_node_stack    (SgProfile   *self,
                                            guint32      node,
                                            guint32     *frames,
                                            guint        max_frames);

/* Samples: values are sg_profile_get_n_value_types() per sample */
guint         sg_profile_get_n_samples     (SgProfile   *self);
const SgSample *sg_profile_get_samples     (SgProfile   *self);
const gint64 *sg_profile_get_sample_values (SgProfile   *self,
                                            guint        sample);
gint64        sg_profile_get_total         (SgProfile   *self,
                                            guint        value_index);
gboolean      sg_profile_get_time_range    (SgProfile   *self,
                                            gint64      *first_ns,
                                            gint64      *last_ns);
/* Thread names (string ids) that appear in samples, sorted by name */
const guint32 *sg_profile_get_threads      (SgProfile   *self,
                                            guint       *n_threads);

/* Bytes held by the model itself (for the docs and the about box). */
gsize         sg_profile_get_memory_size   (SgProfile   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SgProfile, sg_profile_unref)

G_END_DECLS
