/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A streaming pprof decoder.
 *
 * protobuf-c's generic unpacker would allocate a struct per sample, label,
 * location and line (several million for a 100 MB profile) and walk
 * descriptors for every field; its output would then be copied into the
 * model anyway.  Instead this reads the wire format directly:
 *
 *  pass 1 walks the top-level fields once, decoding the small tables
 *         (strings as spans into the input, functions, mappings,
 *         locations) and remembering where each sample message is;
 *  pass 2 decodes the samples.  A sample's location ids are hashed and
 *         looked up in a stack cache, so a stack seen before costs one
 *         hash probe instead of a walk down the tree with one probe per
 *         frame.  Real profiles repeat stacks heavily (the agent writes
 *         one sample per tick, each with its own timestamp).
 *
 * protobuf-c still writes pprof (sg-pprof-export.c) and the tests check
 * this decoder against protobuf-c's unpacker.
 *
 * Every count is bounded by the input: tables can only hold what the
 * bytes describe, and the frames expanded from locations are capped at a
 * multiple of the input length, because a location may carry many inlined
 * lines and be referenced many times.
 */
#include "sg-pprof.h"
#include "sg-profile-builder.h"
#include "sg-hash-private.h"

#include <stdarg.h>
#include <string.h>

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
  guint32 first_frame;   /* into Ctx.loc_frames, after resolving */
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
  guint32 pool_offset;
  guint32 n_ids;
  guint32 node;
  guint32 next;
} StackEntry;

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
} Ctx;

static gboolean G_GNUC_PRINTF (4, 5)
fail (Ctx          *ctx,
      const guint8 *at,
      int           code,
      const char   *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (ctx->error, SG_PROFILE_ERROR, code,
               "%s: offset %" G_GSIZE_FORMAT ": %s",
               ctx->file, (gsize) (at - ctx->base), message);
  return FALSE;
}

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
 * the scalar types in value. */
static gboolean
next_field (Ctx     *ctx,
            Cursor  *c,
            guint32 *field,
            guint   *wire,
            Cursor  *sub,
            guint64 *value)
{
  const guint8 *start = c->p;
  guint64 tag, len;

  if (!read_varint (c, &tag))
    return fail (ctx, start, SG_PROFILE_ERROR_TRUNCATED, "truncated field tag");
  if ((tag >> 3) == 0 || (tag >> 3) > G_MAXINT32)
    return fail (ctx, start, SG_PROFILE_ERROR_INVALID, "invalid field number %" G_GUINT64_FORMAT, tag >> 3);

  *field = (guint32) (tag >> 3);
  *wire = tag & 7;
  switch (*wire)
    {
    case 0:
      if (!read_varint (c, value))
        return fail (ctx, c->p, SG_PROFILE_ERROR_TRUNCATED, "truncated varint in field %u", *field);
      return TRUE;
    case 1:
      if (c->end - c->p < 8)
        return fail (ctx, c->p, SG_PROFILE_ERROR_TRUNCATED, "truncated 64-bit value in field %u", *field);
      memcpy (value, c->p, 8);
      *value = GUINT64_FROM_LE (*value);
      c->p += 8;
      return TRUE;
    case 2:
      if (!read_varint (c, &len))
        return fail (ctx, c->p, SG_PROFILE_ERROR_TRUNCATED, "truncated length of field %u", *field);
      if (len > (guint64) (c->end - c->p))
        return fail (ctx, c->p, SG_PROFILE_ERROR_TRUNCATED,
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
          return fail (ctx, c->p, SG_PROFILE_ERROR_TRUNCATED, "truncated 32-bit value in field %u", *field);
        memcpy (&v32, c->p, 4);
        *value = GUINT32_FROM_LE (v32);
        c->p += 4;
        return TRUE;
      }
    default:
      return fail (ctx, start, SG_PROFILE_ERROR_INVALID,
                   "unsupported wire type %u in field %u", *wire, *field);
    }
}

/* A scalar field: a varint, never a nested message. */
static gboolean
expect_varint (Ctx          *ctx,
               const guint8 *at,
               guint         wire,
               guint32       field,
               const char   *message)
{
  if (wire == 0)
    return TRUE;
  return fail (ctx, at, SG_PROFILE_ERROR_INVALID,
               "%s field %u has wire type %u, expected a varint", message, field, wire);
}

/* Repeated integers arrive packed (wire type 2) or one per field. */

static gboolean
read_repeated (Ctx        *ctx,
               guint       wire,
               Cursor     *sub,
               guint64     value,
               const guint8 *at,
               GArray     *out)
{
  if (wire == 0)
    {
      g_array_append_val (out, value);
      return TRUE;
    }
  if (wire != 2)
    return fail (ctx, at, SG_PROFILE_ERROR_INVALID, "repeated integer field has wire type %u", wire);
  while (sub->p < sub->end)
    {
      guint64 v;
      if (!read_varint (sub, &v))
        return fail (ctx, sub->p, SG_PROFILE_ERROR_TRUNCATED, "truncated varint in a packed field");
      g_array_append_val (out, v);
    }
  return TRUE;
}

static gboolean
parse_value_type (Ctx    *ctx,
                  Cursor *c,
                  gint64 *pair)
{
  pair[0] = pair[1] = 0;
  while (c->p < c->end)
    {
      const guint8 *at = c->p;
      guint32 field;
      guint wire;
      Cursor sub;
      guint64 value = 0;

      if (!next_field (ctx, c, &field, &wire, &sub, &value))
        return FALSE;
      if (field == 1 || field == 2)
        {
          if (!expect_varint (ctx, at, wire, field, "ValueType"))
            return FALSE;
          pair[field - 1] = (gint64) value;
        }
    }
  return TRUE;
}

static gboolean
parse_mapping (Ctx    *ctx,
               Cursor *c)
{
  Mapping m = { 0, 0 };

  while (c->p < c->end)
    {
      const guint8 *at = c->p;
      guint32 field;
      guint wire;
      Cursor sub;
      guint64 value = 0;

      if (!next_field (ctx, c, &field, &wire, &sub, &value))
        return FALSE;
      if (field == 1 || field == 5)
        {
          if (!expect_varint (ctx, at, wire, field, "Mapping"))
            return FALSE;
          if (field == 1)
            m.id = value;
          else
            m.filename = (gint64) value;
        }
    }
  g_array_append_val (ctx->mappings, m);
  return TRUE;
}

static gboolean
parse_function (Ctx    *ctx,
                Cursor *c)
{
  Function f = { 0, };

  f.offset = c->p - ctx->base;
  while (c->p < c->end)
    {
      const guint8 *at = c->p;
      guint32 field;
      guint wire;
      Cursor sub;
      guint64 value = 0;

      if (!next_field (ctx, c, &field, &wire, &sub, &value))
        return FALSE;
      if (field >= 1 && field <= 4)
        {
          if (!expect_varint (ctx, at, wire, field, "Function"))
            return FALSE;
          switch (field)
            {
            case 1: f.id = value; break;
            case 2: f.name = (gint64) value; break;
            case 3: f.system_name = (gint64) value; break;
            case 4: f.filename = (gint64) value; break;
            default: break;
            }
        }
    }
  g_array_append_val (ctx->functions, f);
  return TRUE;
}

static gboolean
parse_line (Ctx    *ctx,
            Cursor *c)
{
  Line l = { 0, 0 };

  while (c->p < c->end)
    {
      const guint8 *at = c->p;
      guint32 field;
      guint wire;
      Cursor sub;
      guint64 value = 0;

      if (!next_field (ctx, c, &field, &wire, &sub, &value))
        return FALSE;
      if (field == 1 || field == 2)
        {
          if (!expect_varint (ctx, at, wire, field, "Line"))
            return FALSE;
          if (field == 1)
            l.function_id = value;
          else
            l.line = (gint64) value;
        }
    }
  g_array_append_val (ctx->lines, l);
  return TRUE;
}

static gboolean
parse_location (Ctx    *ctx,
                Cursor *c)
{
  Location loc = { 0, };

  loc.offset = c->p - ctx->base;
  loc.first_line = ctx->lines->len;
  while (c->p < c->end)
    {
      const guint8 *at = c->p;
      guint32 field;
      guint wire;
      Cursor sub;
      guint64 value = 0;

      if (!next_field (ctx, c, &field, &wire, &sub, &value))
        return FALSE;
      switch (field)
        {
        case 1:
        case 2:
        case 3:
          if (!expect_varint (ctx, at, wire, field, "Location"))
            return FALSE;
          if (field == 1)
            loc.id = value;
          else if (field == 2)
            loc.mapping_id = value;
          else
            loc.address = value;
          break;
        case 4:
          if (wire != 2)
            return fail (ctx, at, SG_PROFILE_ERROR_INVALID, "Location.line is not a message");
          if (!parse_line (ctx, &sub))
            return FALSE;
          break;
        default:
          break;
        }
    }
  loc.n_lines = ctx->lines->len - loc.first_line;
  g_array_append_val (ctx->locations, loc);
  return TRUE;
}

static gboolean
parse_top_level (Ctx    *ctx,
                 Cursor *c)
{
  g_autoptr(GArray) scratch = g_array_new (FALSE, FALSE, sizeof (guint64));

  while (c->p < c->end)
    {
      const guint8 *at = c->p;
      guint32 field;
      guint wire;
      Cursor sub;
      guint64 value = 0;

      if (!next_field (ctx, c, &field, &wire, &sub, &value))
        return FALSE;

      if (field <= 6 || field == 11)
        {
          if (wire != 2)
            return fail (ctx, at, SG_PROFILE_ERROR_INVALID,
                         "Profile field %u has wire type %u, expected a message or string", field, wire);
        }

      switch (field)
        {
        case 1:
          {
            gint64 pair[2];
            if (!parse_value_type (ctx, &sub, pair))
              return FALSE;
            g_array_append_vals (ctx->sample_types, pair, 2);
          }
          break;
        case 2:
          {
            Span span = { sub.p, (guint32) (sub.end - sub.p) };
            if ((gsize) (sub.end - sub.p) > G_MAXUINT32)
              return fail (ctx, at, SG_PROFILE_ERROR_TOO_LARGE, "sample larger than 4 GiB");
            g_array_append_val (ctx->samples, span);
          }
          break;
        case 3:
          if (!parse_mapping (ctx, &sub))
            return FALSE;
          break;
        case 4:
          if (!parse_location (ctx, &sub))
            return FALSE;
          break;
        case 5:
          if (!parse_function (ctx, &sub))
            return FALSE;
          break;
        case 6:
          {
            Span span = { sub.p, (guint32) (sub.end - sub.p) };
            if ((gsize) (sub.end - sub.p) > G_MAXUINT32)
              return fail (ctx, at, SG_PROFILE_ERROR_TOO_LARGE, "string larger than 4 GiB");
            g_array_append_val (ctx->strings, span);
          }
          break;
        case 7:
        case 8:
          /* drop_frames / keep_frames: pprof UI hints, deliberately ignored */
          break;
        case 9:
        case 10:
        case 12:
        case 14:
          if (!expect_varint (ctx, at, wire, field, "Profile"))
            return FALSE;
          if (field == 9)
            ctx->time_nanos = (gint64) value;
          else if (field == 10)
            ctx->duration_nanos = (gint64) value;
          else if (field == 12)
            ctx->period = (gint64) value;
          else
            ctx->default_sample_type = (gint64) value;
          break;
        case 11:
          if (!parse_value_type (ctx, &sub, ctx->period_type))
            return FALSE;
          break;
        case 13:
          g_array_set_size (scratch, 0);
          if (!read_repeated (ctx, wire, &sub, value, at, scratch))
            return FALSE;
          g_array_append_vals (ctx->comments, scratch->data, scratch->len);
          break;
        default:
          break;   /* newer fields (doc_url, …) */
        }
    }
  return TRUE;
}

static gboolean
lookup_string (Ctx          *ctx,
               const guint8 *at,
               gint64        index,
               const char   *what,
               guint32      *id)
{
  Span *span;

  if (index < 0 || (guint64) index >= ctx->strings->len)
    return fail (ctx, at, SG_PROFILE_ERROR_INVALID,
                 "%s refers to string %" G_GINT64_FORMAT " but the string table has %u entries",
                 what, index, ctx->strings->len);

  if (ctx->string_ids[index] != G_MAXUINT32)
    {
      *id = ctx->string_ids[index];
      return TRUE;
    }

  span = &g_array_index (ctx->strings, Span, index);
  if (g_utf8_validate_len ((const char *) span->data, span->len, NULL))
    *id = sg_profile_builder_intern_string_len (ctx->builder, (const char *) span->data, span->len);
  else
    {
      g_autofree char *valid = g_utf8_make_valid ((const char *) span->data, span->len);
      *id = sg_profile_builder_intern_string (ctx->builder, valid);
    }
  ctx->string_ids[index] = *id;
  return TRUE;
}

static char *
dup_string (Ctx    *ctx,
            gint64  index)
{
  Span *span;

  if (index < 0 || (guint64) index >= ctx->strings->len)
    return g_strdup ("");
  span = &g_array_index (ctx->strings, Span, index);
  return g_utf8_make_valid ((const char *) span->data, span->len);
}

static gboolean
string_equals (Ctx        *ctx,
               gint64      index,
               const char *text)
{
  Span *span;
  gsize len = strlen (text);

  if (index < 0 || (guint64) index >= ctx->strings->len)
    return FALSE;
  span = &g_array_index (ctx->strings, Span, index);
  return span->len == len && memcmp (span->data, text, len) == 0;
}

static void
id_index_build (IdIndex *index,
                guint64 *ids,
                gsize    stride,
                guint    n)
{
  guint64 max_id = 0;

  for (guint i = 0; i < n; i++)
    max_id = MAX (max_id, ids[i * stride]);

  if (max_id <= (guint64) n * 4 + 1024)
    {
      index->dense_len = max_id + 1;
      index->dense = g_new (guint32, index->dense_len);
      memset (index->dense, 0xff, sizeof (guint32) * index->dense_len);
      for (guint i = 0; i < n; i++)
        index->dense[ids[i * stride]] = i;
    }
  else
    {
      sg_hash_map_init (&index->sparse, n);
      for (guint i = 0; i < n; i++)
        {
          guint64 key = ids[i * stride] + 1;
          guint32 existing;
          if (key != 0 && !sg_hash_map_lookup (&index->sparse, key, &existing))
            sg_hash_map_insert (&index->sparse, key, i);
        }
    }
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
  if (index->sparse.keys == NULL || id + 1 == 0)
    return FALSE;
  return sg_hash_map_lookup (&index->sparse, id + 1, out);
}

static void
id_index_clear (IdIndex *index)
{
  g_clear_pointer (&index->dense, g_free);
  sg_hash_map_clear (&index->sparse);
}

static gboolean
resolve_locations (Ctx *ctx)
{
  for (guint i = 0; i < ctx->locations->len; i++)
    {
      Location *loc = &g_array_index (ctx->locations, Location, i);
      const guint8 *at = ctx->base + loc->offset;
      guint32 module = 0;
      guint32 m;

      if (loc->id == 0)
        return fail (ctx, at, SG_PROFILE_ERROR_INVALID, "location without an id");
      if (id_index_lookup (&ctx->mapping_index, loc->mapping_id, &m))
        {
          Mapping *mapping = &g_array_index (ctx->mappings, Mapping, m);
          if (!lookup_string (ctx, at, mapping->filename, "mapping filename", &module))
            return FALSE;
        }

      loc->first_frame = ctx->loc_frames->len;
      if (loc->n_lines == 0)
        {
          /* unsymbolised: the address is all we have */
          char name[32];
          guint32 frame;

          g_snprintf (name, sizeof name, "0x%" G_GINT64_MODIFIER "x", loc->address);
          frame = sg_profile_builder_intern_frame_ids (ctx->builder,
                                                       sg_profile_builder_intern_string (ctx->builder, name),
                                                       0, 0, module);
          g_array_append_val (ctx->loc_frames, frame);
        }
      for (guint l = 0; l < loc->n_lines; l++)
        {
          Line *line = &g_array_index (ctx->lines, Line, loc->first_line + l);
          Function *fn;
          guint32 f, name, file, frame;

          if (!id_index_lookup (&ctx->function_index, line->function_id, &f))
            return fail (ctx, at, SG_PROFILE_ERROR_INVALID,
                         "location %" G_GUINT64_FORMAT " refers to function %" G_GUINT64_FORMAT " which is not in the profile",
                         loc->id, line->function_id);
          fn = &g_array_index (ctx->functions, Function, f);
          if (!lookup_string (ctx, ctx->base + fn->offset, fn->name, "function name", &name) ||
              !lookup_string (ctx, ctx->base + fn->offset, fn->filename, "function filename", &file))
            return FALSE;
          if (name == 0 && !lookup_string (ctx, ctx->base + fn->offset, fn->system_name, "function system name", &name))
            return FALSE;
          frame = sg_profile_builder_intern_frame_ids (ctx->builder, name, file, line->line, module);
          g_array_append_val (ctx->loc_frames, frame);
        }
      loc->n_frames = ctx->loc_frames->len - loc->first_frame;
    }
  return TRUE;
}

static guint64
hash_ids (const guint64 *ids,
          guint          n)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325) ^ n;

  for (guint i = 0; i < n; i++)
    h = (h ^ ids[i]) * G_GUINT64_CONSTANT (0x100000001b3) + (h >> 29);
  return h | 1;
}

typedef struct
{
  SgHashMap  map;       /* hash -> newest entry */
  GArray    *entries;   /* StackEntry */
  GArray    *pool;      /* guint64 location ids */
} StackCache;

static gboolean
parse_samples (Ctx *ctx)
{
  guint n_types = ctx->sample_types->len / 2;
  gint64 key_thread = -1, key_thread_name = -1, key_thread_id = -1, key_timestamp = -1;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GHashTable) thread_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree gint64 *values = g_new0 (gint64, MAX (n_types, 1));
  StackCache cache;
  gboolean ok = FALSE;

  /* the label keys we keep, found once by content */
  for (guint i = 1; i < ctx->strings->len; i++)
    {
      if (key_thread < 0 && string_equals (ctx, i, "thread"))
        key_thread = i;
      else if (key_thread_name < 0 && string_equals (ctx, i, "thread_name"))
        key_thread_name = i;
      else if (key_thread_id < 0 && string_equals (ctx, i, "thread_id"))
        key_thread_id = i;
      else if (key_timestamp < 0 && string_equals (ctx, i, "timestamp_ns"))
        key_timestamp = i;
    }

  sg_hash_map_init (&cache.map, 1024);
  cache.entries = g_array_new (FALSE, FALSE, sizeof (StackEntry));
  cache.pool = g_array_new (FALSE, FALSE, sizeof (guint64));

  for (guint s = 0; s < ctx->samples->len; s++)
    {
      Span *span = &g_array_index (ctx->samples, Span, s);
      Cursor c = { span->data, span->data + span->len };
      guint n_values = 0;
      gint64 timestamp = -1;
      guint32 thread = 0;
      gboolean named_thread = FALSE;
      guint64 hash;
      guint32 head, node = G_MAXUINT32;

      g_array_set_size (ids, 0);
      while (c.p < c.end)
        {
          const guint8 *at = c.p;
          guint32 field;
          guint wire;
          Cursor sub;
          guint64 value = 0;

          if (!next_field (ctx, &c, &field, &wire, &sub, &value))
            goto out;
          if (field == 1)
            {
              if (!read_repeated (ctx, wire, &sub, value, at, ids))
                goto out;
            }
          else if (field == 2)
            {
              if (wire == 0)
                {
                  if (n_values >= n_types)
                    {
                      fail (ctx, at, SG_PROFILE_ERROR_INVALID, "sample %u has more values than the %u sample types", s, n_types);
                      goto out;
                    }
                  values[n_values++] = (gint64) value;
                }
              else if (wire == 2)
                {
                  while (sub.p < sub.end)
                    {
                      guint64 v;
                      if (n_values >= n_types)
                        {
                          fail (ctx, sub.p, SG_PROFILE_ERROR_INVALID, "sample %u has more values than the %u sample types", s, n_types);
                          goto out;
                        }
                      if (!read_varint (&sub, &v))
                        {
                          fail (ctx, sub.p, SG_PROFILE_ERROR_TRUNCATED, "truncated sample value");
                          goto out;
                        }
                      values[n_values++] = (gint64) v;
                    }
                }
              else
                {
                  fail (ctx, at, SG_PROFILE_ERROR_INVALID, "Sample.value has wire type %u", wire);
                  goto out;
                }
            }
          else if (field == 3)
            {
              gint64 key = 0, str = 0, num = 0;

              if (wire != 2)
                {
                  fail (ctx, at, SG_PROFILE_ERROR_INVALID, "Sample.label is not a message");
                  goto out;
                }
              while (sub.p < sub.end)
                {
                  const guint8 *lat = sub.p;
                  guint32 lfield;
                  guint lwire;
                  Cursor lsub;
                  guint64 lvalue = 0;

                  if (!next_field (ctx, &sub, &lfield, &lwire, &lsub, &lvalue))
                    goto out;
                  if (lfield >= 1 && lfield <= 3)
                    {
                      if (!expect_varint (ctx, lat, lwire, lfield, "Label"))
                        goto out;
                      if (lfield == 1)
                        key = (gint64) lvalue;
                      else if (lfield == 2)
                        str = (gint64) lvalue;
                      else
                        num = (gint64) lvalue;
                    }
                }
              if (key == 0)
                continue;
              if (key == key_timestamp)
                timestamp = num;
              else if (key == key_thread || key == key_thread_name)
                {
                  if (!lookup_string (ctx, at, str, "thread label", &thread))
                    goto out;
                  named_thread = thread != 0;
                }
              else if (key == key_thread_id && !named_thread)
                {
                  gpointer found = g_hash_table_lookup (thread_ids, &num);
                  if (found == NULL)
                    {
                      char name[32];
                      g_snprintf (name, sizeof name, "%" G_GINT64_FORMAT, num);
                      found = GUINT_TO_POINTER (sg_profile_builder_intern_string (ctx->builder, name) + 1);
                      g_hash_table_insert (thread_ids, g_memdup2 (&num, sizeof num), found);
                    }
                  thread = GPOINTER_TO_UINT (found) - 1;
                }
            }
        }

      if (n_values != n_types)
        {
          fail (ctx, span->data, SG_PROFILE_ERROR_INVALID,
                "sample %u has %u values, expected one per sample type (%u)", s, n_values, n_types);
          goto out;
        }

      /* stack cache: the same location ids give the same node */
      hash = hash_ids ((const guint64 *) (gpointer) ids->data, ids->len);
      if (sg_hash_map_lookup (&cache.map, hash, &head))
        {
          for (guint32 e = head; e != G_MAXUINT32; e = g_array_index (cache.entries, StackEntry, e).next)
            {
              StackEntry *entry = &g_array_index (cache.entries, StackEntry, e);
              if (entry->n_ids == ids->len &&
                  memcmp (&g_array_index (cache.pool, guint64, entry->pool_offset), ids->data,
                          sizeof (guint64) * ids->len) == 0)
                {
                  node = entry->node;
                  break;
                }
            }
        }
      else
        head = G_MAXUINT32;

      if (node == G_MAXUINT32)
        {
          StackEntry entry;

          g_array_set_size (frames, 0);
          for (guint i = 0; i < ids->len; i++)
            {
              guint64 id = g_array_index (ids, guint64, i);
              guint32 l;
              Location *loc;

              if (!id_index_lookup (&ctx->location_index, id, &l))
                {
                  fail (ctx, span->data, SG_PROFILE_ERROR_INVALID,
                        "sample %u refers to location %" G_GUINT64_FORMAT " which is not in the profile", s, id);
                  goto out;
                }
              loc = &g_array_index (ctx->locations, Location, l);
              g_array_append_vals (frames, &g_array_index (ctx->loc_frames, guint32, loc->first_frame), loc->n_frames);
            }
          if (frames->len > MAX_STACK_DEPTH || frames->len > ctx->frame_budget)
            {
              fail (ctx, span->data, SG_PROFILE_ERROR_TOO_LARGE,
                    "sample %u expands to more frames than the input can describe", s);
              goto out;
            }
          ctx->frame_budget -= frames->len;
          node = sg_profile_builder_intern_stack (ctx->builder, (const guint *) (gpointer) frames->data, frames->len);

          if (cache.pool->len + (guint64) ids->len < G_MAXUINT32)
            {
              entry.pool_offset = cache.pool->len;
              entry.n_ids = ids->len;
              entry.node = node;
              entry.next = head;
              g_array_append_vals (cache.pool, ids->data, ids->len);
              g_array_append_val (cache.entries, entry);
              if (head == G_MAXUINT32)
                sg_hash_map_insert (&cache.map, hash, cache.entries->len - 1);
              else
                {
                  gsize i = sg_hash_mix (hash) & cache.map.mask;
                  while (cache.map.keys[i] != hash)
                    i = (i + 1) & cache.map.mask;
                  cache.map.values[i] = cache.entries->len - 1;
                }
            }
        }

      sg_profile_builder_add_sample_at_node (ctx->builder, node, values, timestamp, thread);
    }
  ok = TRUE;

out:
  sg_hash_map_clear (&cache.map);
  g_array_unref (cache.entries);
  g_array_unref (cache.pool);
  return ok;
}

static const char *
guess_profile_type (Ctx *ctx)
{
  if (string_equals (ctx, ctx->period_type[0], "cpu"))
    return "cpu";
  if (string_equals (ctx, ctx->period_type[0], "wall"))
    return "wall";
  if (string_equals (ctx, ctx->period_type[0], "space") ||
      string_equals (ctx, ctx->period_type[0], "inuse_space") ||
      string_equals (ctx, ctx->period_type[0], "alloc_space"))
    return "heap";
  return NULL;
}

static gboolean
apply_metadata (Ctx *ctx)
{
  guint n_types = ctx->sample_types->len / 2;
  g_autoptr(GString) comment = g_string_new (NULL);
  gboolean have_type = FALSE;
  guint default_value = n_types > 0 ? n_types - 1 : 0;

  for (guint i = 0; i < n_types; i++)
    {
      g_autofree char *type = dup_string (ctx, g_array_index (ctx->sample_types, gint64, 2 * i));
      g_autofree char *unit = dup_string (ctx, g_array_index (ctx->sample_types, gint64, 2 * i + 1));
      sg_profile_builder_add_value_type (ctx->builder, type, unit);
      if (ctx->default_sample_type != 0 &&
          g_array_index (ctx->sample_types, gint64, 2 * i) == ctx->default_sample_type)
        default_value = i;
    }
  sg_profile_builder_set_default_value (ctx->builder, default_value);

  sg_profile_builder_set_start_ns (ctx->builder, ctx->time_nanos);
  sg_profile_builder_set_duration_ns (ctx->builder, ctx->duration_nanos);
  {
    g_autofree char *ptype = dup_string (ctx, ctx->period_type[0]);
    g_autofree char *punit = dup_string (ctx, ctx->period_type[1]);
    sg_profile_builder_set_period (ctx->builder, ptype, punit, ctx->period);
  }

  for (guint i = 0; i < ctx->comments->len; i++)
    {
      g_autofree char *text = dup_string (ctx, g_array_index (ctx->comments, gint64, i));

      if (g_str_has_prefix (text, "spyglass:service="))
        sg_profile_builder_set_service (ctx->builder, text + strlen ("spyglass:service="));
      else if (g_str_has_prefix (text, "spyglass:version="))
        sg_profile_builder_set_version (ctx->builder, text + strlen ("spyglass:version="));
      else if (g_str_has_prefix (text, "spyglass:host="))
        sg_profile_builder_set_host (ctx->builder, text + strlen ("spyglass:host="));
      else if (g_str_has_prefix (text, "spyglass:type="))
        {
          sg_profile_builder_set_profile_type (ctx->builder, text + strlen ("spyglass:type="));
          have_type = TRUE;
        }
      else
        {
          if (comment->len > 0)
            g_string_append_c (comment, '\n');
          g_string_append (comment, text);
        }
    }
  if (comment->len > 0)
    sg_profile_builder_set_comment (ctx->builder, comment->str);
  if (!have_type)
    sg_profile_builder_set_profile_type (ctx->builder, guess_profile_type (ctx));
  return TRUE;
}

static SgProfile *
import_raw (const char    *file,
            const guint8  *data,
            gsize          len,
            GError       **error)
{
  g_autoptr(SgProfileBuilder) builder = sg_profile_builder_new ();
  Ctx ctx = { 0, };
  Cursor c = { data, data + len };
  SgProfile *profile = NULL;

  ctx.file = file;
  ctx.base = data;
  ctx.error = error;
  ctx.builder = builder;
  ctx.strings = g_array_new (FALSE, FALSE, sizeof (Span));
  ctx.sample_types = g_array_new (FALSE, FALSE, sizeof (gint64));
  ctx.mappings = g_array_new (FALSE, FALSE, sizeof (Mapping));
  ctx.functions = g_array_new (FALSE, FALSE, sizeof (Function));
  ctx.locations = g_array_new (FALSE, FALSE, sizeof (Location));
  ctx.lines = g_array_new (FALSE, FALSE, sizeof (Line));
  ctx.samples = g_array_new (FALSE, FALSE, sizeof (Span));
  ctx.comments = g_array_new (FALSE, FALSE, sizeof (gint64));
  ctx.loc_frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  ctx.frame_budget = (guint64) MAX (len, 4096) * FRAMES_PER_BYTE;

  if (len == 0)
    {
      g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_EMPTY, "%s: the file is empty", file);
      goto out;
    }

  if (!parse_top_level (&ctx, &c))
    goto out;

  if (ctx.strings->len == 0 || g_array_index (ctx.strings, Span, 0).len != 0)
    {
      fail (&ctx, data, SG_PROFILE_ERROR_INVALID,
            "the string table must start with an empty string (is this a pprof file?)");
      goto out;
    }
  if (ctx.sample_types->len == 0)
    {
      fail (&ctx, data, SG_PROFILE_ERROR_INVALID, "the profile has no sample types");
      goto out;
    }

  ctx.string_ids = g_new (guint32, ctx.strings->len);
  memset (ctx.string_ids, 0xff, sizeof (guint32) * ctx.strings->len);
  ctx.string_ids[0] = 0;

  if (!apply_metadata (&ctx))
    goto out;

  id_index_build (&ctx.function_index, (guint64 *) (gpointer) ctx.functions->data,
                  sizeof (Function) / sizeof (guint64), ctx.functions->len);
  id_index_build (&ctx.mapping_index, (guint64 *) (gpointer) ctx.mappings->data,
                  sizeof (Mapping) / sizeof (guint64), ctx.mappings->len);
  id_index_build (&ctx.location_index, (guint64 *) (gpointer) ctx.locations->data,
                  sizeof (Location) / sizeof (guint64), ctx.locations->len);

  if (!resolve_locations (&ctx) || !parse_samples (&ctx))
    goto out;

  profile = sg_profile_builder_end (builder, error);

out:
  g_array_unref (ctx.strings);
  g_free (ctx.string_ids);
  g_array_unref (ctx.sample_types);
  g_array_unref (ctx.mappings);
  g_array_unref (ctx.functions);
  g_array_unref (ctx.locations);
  g_array_unref (ctx.lines);
  g_array_unref (ctx.samples);
  g_array_unref (ctx.comments);
  g_array_unref (ctx.loc_frames);
  id_index_clear (&ctx.function_index);
  id_index_clear (&ctx.mapping_index);
  id_index_clear (&ctx.location_index);
  return profile;
}

SgProfile *
sg_pprof_import (const char    *file,
                 const guint8  *data,
                 gsize          len,
                 GError       **error)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (file == NULL)
    file = "(pprof)";

  if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b)
    {
      g_autoptr(GBytes) inflated = sg_pprof_gunzip (file, data, len, error);
      gsize inflated_len;
      const guint8 *inflated_data;

      if (inflated == NULL)
        return NULL;
      inflated_data = g_bytes_get_data (inflated, &inflated_len);
      return import_raw (file, inflated_data, inflated_len, error);
    }

  return import_raw (file, data, len, error);
}
