/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * Shared by the two halves of the pprof decoder: sg-pprof-import.c (the
 * tables, pass 1, metadata) and sg-pprof-samples.c (the samples, pass 2).
 */
#include "sg-pprof.h"
#include "sg-profile-builder.h"
#include "sg-hash-private.h"

#include <string.h>

G_BEGIN_DECLS

/* at most this many frames expanded from locations per input byte */
#define FRAMES_PER_BYTE 16
#define MAX_STACK_DEPTH (1u << 20)

typedef struct
{
  const guint8 *p;
  const guint8 *end;
} Cursor;

typedef struct
{
  const guint8 *data;
  guint32       len;
} Span;

typedef struct
{
  guint64 id;
  gint64  name;
  gint64  system_name;
  gint64  filename;
  gsize   offset;
} Function;

typedef struct
{
  guint64 id;
  gint64  filename;
} Mapping;

typedef struct
{
  guint64 id;
  guint64 mapping_id;
  guint64 address;
  guint32 first_line;
  guint32 n_lines;
  gsize   offset;
  guint32 first_frame;   /* into SgPprofCtx.loc_frames, after resolving */
  guint32 n_frames;
} Location;

typedef struct
{
  guint64 function_id;
  gint64  line;
} Line;

/* id -> table index: a plain array when ids are dense (the usual 1..N),
 * a hash map otherwise */
typedef struct
{
  guint32  *dense;
  guint64   dense_len;
  SgHashMap sparse;
} IdIndex;


typedef struct
{
  const char       *file;
  const guint8     *base;
  GError          **error;
  SgProfileBuilder *builder;

  GArray  *strings;       /* Span */
  guint32 *string_ids;    /* builder ids, G_MAXUINT32 until interned */
  GArray  *sample_types;  /* gint64 pairs */
  GArray  *mappings;
  GArray  *functions;
  GArray  *locations;
  GArray  *lines;
  GArray  *samples;       /* Span */
  GArray  *comments;      /* gint64 */
  gint64   time_nanos;
  gint64   duration_nanos;
  gint64   period;
  gint64   period_type[2];
  gint64   default_sample_type;

  IdIndex  function_index;
  IdIndex  mapping_index;
  IdIndex  location_index;
  GArray  *loc_frames;    /* guint32 frame ids, leaf first */

  guint64  frame_budget;
} SgPprofCtx;

gboolean sg_pprof_fail          (SgPprofCtx   *ctx,
                                 const guint8 *at,
                                 int           code,
                                 const char   *format,
                                 ...) G_GNUC_PRINTF (4, 5);
gboolean sg_pprof_lookup_string (SgPprofCtx   *ctx,
                                 const guint8 *at,
                                 gint64        index,
                                 const char   *what,
                                 guint32      *id);
gboolean sg_pprof_string_equals (SgPprofCtx   *ctx,
                                 gint64        index,
                                 const char   *text);
/* pass 2, sg-pprof-samples.c */
gboolean sg_pprof_parse_samples (SgPprofCtx   *ctx);

static inline gboolean
read_varint (Cursor  *c,
             guint64 *out)
{
  const guint8 *p = c->p;
  guint64 value = 0;

  if (G_LIKELY (p < c->end && *p < 0x80))
    {
      *out = *p;
      c->p = p + 1;
      return TRUE;
    }

  for (guint shift = 0; p < c->end && shift < 64; shift += 7)
    {
      guint8 b = *p++;
      value |= (guint64) (b & 0x7f) << shift;
      if (!(b & 0x80))
        {
          *out = value;
          c->p = p;
          return TRUE;
        }
    }
  return FALSE;
}

/* Reads one field.  For wire type 2 the payload is returned in sub, for
 * the scalar types in value.  Inlined: it runs several times per sample. */
static inline __attribute__ ((always_inline)) gboolean
next_field (SgPprofCtx *ctx,
            Cursor     *c,
            guint32    *field,
            guint      *wire,
            Cursor     *sub,
            guint64    *value)
{
  const guint8 *start = c->p;
  guint64 tag, len;

  /* the common case: a one-byte tag and a one-byte length */
  if (G_LIKELY (c->end - c->p >= 2 && (c->p[0] & 0x87) == 0x02 && c->p[0] >= 0x08 && c->p[1] < 0x80 &&
                c->p[1] <= c->end - c->p - 2))
    {
      *field = c->p[0] >> 3;
      *wire = 2;
      sub->p = c->p + 2;
      sub->end = sub->p + c->p[1];
      c->p = sub->end;
      return TRUE;
    }
  if (G_LIKELY (c->end - c->p >= 2 && (c->p[0] & 0x87) == 0x00 && c->p[0] >= 0x08 && c->p[1] < 0x80))
    {
      *field = c->p[0] >> 3;
      *wire = 0;
      *value = c->p[1];
      c->p += 2;
      return TRUE;
    }

  if (!read_varint (c, &tag))
    return sg_pprof_fail (ctx, start, SG_PROFILE_ERROR_TRUNCATED, "truncated field tag");
  if ((tag >> 3) == 0 || (tag >> 3) > G_MAXINT32)
    return sg_pprof_fail (ctx, start, SG_PROFILE_ERROR_INVALID, "invalid field number %" G_GUINT64_FORMAT, tag >> 3);

  *field = (guint32) (tag >> 3);
  *wire = tag & 7;
  switch (*wire)
    {
    case 0:
      if (!read_varint (c, value))
        return sg_pprof_fail (ctx, c->p, SG_PROFILE_ERROR_TRUNCATED, "truncated varint in field %u", *field);
      return TRUE;
    case 1:
      if (c->end - c->p < 8)
        return sg_pprof_fail (ctx, c->p, SG_PROFILE_ERROR_TRUNCATED, "truncated 64-bit value in field %u", *field);
      memcpy (value, c->p, 8);
      *value = GUINT64_FROM_LE (*value);
      c->p += 8;
      return TRUE;
    case 2:
      if (!read_varint (c, &len))
        return sg_pprof_fail (ctx, c->p, SG_PROFILE_ERROR_TRUNCATED, "truncated length of field %u", *field);
      if (len > (guint64) (c->end - c->p))
        return sg_pprof_fail (ctx, start, SG_PROFILE_ERROR_TRUNCATED,
                     "field %u claims %" G_GUINT64_FORMAT " bytes but only %" G_GSIZE_FORMAT " remain",
                     *field, len, (gsize) (c->end - c->p));
      sub->p = c->p;
      sub->end = c->p + len;
      c->p += len;
      return TRUE;
    case 5:
      {
        guint32 v32;
        if (c->end - c->p < 4)
          return sg_pprof_fail (ctx, c->p, SG_PROFILE_ERROR_TRUNCATED, "truncated 32-bit value in field %u", *field);
        memcpy (&v32, c->p, 4);
        *value = GUINT32_FROM_LE (v32);
        c->p += 4;
        return TRUE;
      }
    default:
      return sg_pprof_fail (ctx, start, SG_PROFILE_ERROR_INVALID,
                   "unsupported wire type %u in field %u", *wire, *field);
    }
}

/* A scalar field: a varint, never a nested message. */
static inline gboolean
expect_varint (SgPprofCtx   *ctx,
               const guint8 *at,
               guint         wire,
               guint32       field,
               const char   *message)
{
  if (wire == 0)
    return TRUE;
  return sg_pprof_fail (ctx, at, SG_PROFILE_ERROR_INVALID,
               "%s field %u has wire type %u, expected a varint", message, field, wire);
}

static inline gboolean
id_index_lookup (const IdIndex *index,
                 guint64        id,
                 guint32       *out)
{
  if (id == 0)
    return FALSE;
  if (index->dense != NULL)
    {
      if (id >= index->dense_len || index->dense[id] == G_MAXUINT32)
        return FALSE;
      *out = index->dense[id];
      return TRUE;
    }
  if (index->sparse.slots == NULL || id + 1 == 0)
    return FALSE;
  return sg_hash_map_lookup (&index->sparse, id + 1, out);
}

G_END_DECLS
