/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A bounded reader for the subset of CPython's marshal format that pstats
 * files use (dicts, tuples, ints, floats, strings, references).  It does not
 * execute or construct anything: the input becomes a flat array of nodes
 * whose strings point into the input buffer.  Node and child counts are
 * bounded by the input length (every node consumes at least one byte), the
 * nesting depth is capped, and references may only point backwards.
 */
typedef enum
{
  SG_MARSHAL_NONE,
  SG_MARSHAL_BOOL,
  SG_MARSHAL_INT,
  SG_MARSHAL_FLOAT,
  SG_MARSHAL_STRING,
  SG_MARSHAL_TUPLE,   /* also lists */
  SG_MARSHAL_DICT,    /* children: key, value, key, value, … */
} SgMarshalType;

typedef struct
{
  guint32 type;
  guint32 n_children;   /* strings: byte length */
  union
  {
    gint64  i;
    double  d;
    guint64 offset;     /* strings: into the input; containers: into children */
  } v;
} SgMarshalNode;

typedef struct
{
  const guint8  *data;
  gsize          len;
  GArray        *nodes;     /* SgMarshalNode */
  GArray        *children;  /* guint32 node indices */
} SgMarshal;

gboolean             sg_marshal_parse       (SgMarshal     *self,
                                             const char    *file,
                                             const guint8  *data,
                                             gsize          len,
                                             GError       **error);
void                 sg_marshal_clear       (SgMarshal     *self);

static inline const SgMarshalNode *
sg_marshal_node (const SgMarshal *self,
                 guint32          index)
{
  return &g_array_index (self->nodes, SgMarshalNode, index);
}

static inline guint32
sg_marshal_child (const SgMarshal     *self,
                  const SgMarshalNode *node,
                  guint32              nth)
{
  return g_array_index (self->children, guint32, node->v.offset + nth);
}

G_END_DECLS
