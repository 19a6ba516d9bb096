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
#include "sg-pprof-import-private.h"

#include <stdarg.h>

gboolean
sg_pprof_fail (SgPprofCtx   *ctx,
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

/* Repeated integers arrive packed (wire type 2) or one per field. */

static gboolean
read_repeated (SgPprofCtx   *ctx,
               guint         wire,
               Cursor       *sub,
               guint64       value,
               const guint8 *at,
               GArray       *out)
{
  if (wire == 0)
    {
      g_array_append_val (out, value);
      return TRUE;
    }
  if (wire != 2)
    return sg_pprof_fail (ctx, at, SG_PROFILE_ERROR_INVALID, "repeated integer field has wire type %u", wire);
  while (sub->p < sub->end)
    {
      guint64 v;
      if (!read_varint (sub, &v))
        return sg_pprof_fail (ctx, sub->p, SG_PROFILE_ERROR_TRUNCATED, "truncated varint in a packed field");
      g_array_append_val (out, v);
    }
  return TRUE;
}

static gboolean
parse_value_type (SgPprofCtx *ctx,
                  Cursor     *c,
                  gint64     *pair)
{
  pair[0] = pair[1] = 0;
  while (c->p < c->end)
    {
      const guint8 *at = c->p;
      guint32 field = 0;
      guint wire = 0;
      Cursor sub = { NULL, NULL };
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
parse_mapping (SgPprofCtx *ctx,
               Cursor     *c)
{
  Mapping m = { 0, 0 };

  while (c->p < c->end)
    {
      const guint8 *at = c->p;
      guint32 field = 0;
      guint wire = 0;
      Cursor sub = { NULL, NULL };
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
parse_function (SgPprofCtx *ctx,
                Cursor     *c)
{
  Function f = { 0, };

  f.offset = c->p - ctx->base;
  while (c->p < c->end)
    {
      const guint8 *at = c->p;
      guint32 field = 0;
      guint wire = 0;
      Cursor sub = { NULL, NULL };
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
parse_line (SgPprofCtx *ctx,
            Cursor     *c)
{
  Line l = { 0, 0 };

  while (c->p < c->end)
    {
      const guint8 *at = c->p;
      guint32 field = 0;
      guint wire = 0;
      Cursor sub = { NULL, NULL };
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
parse_location (SgPprofCtx *ctx,
                Cursor     *c)
{
  Location loc = { 0, };

  loc.offset = c->p - ctx->base;
  loc.first_line = ctx->lines->len;
  while (c->p < c->end)
    {
      const guint8 *at = c->p;
      guint32 field = 0;
      guint wire = 0;
      Cursor sub = { NULL, NULL };
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
            return sg_pprof_fail (ctx, at, SG_PROFILE_ERROR_INVALID, "Location.line is not a message");
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
parse_top_level (SgPprofCtx *ctx,
                 Cursor     *c)
{
  g_autoptr(GArray) scratch = g_array_new (FALSE, FALSE, sizeof (guint64));

  while (c->p < c->end)
    {
      const guint8 *at = c->p;
      guint32 field = 0;
      guint wire = 0;
      Cursor sub = { NULL, NULL };
      guint64 value = 0;

      if (!next_field (ctx, c, &field, &wire, &sub, &value))
        return FALSE;

      if (field <= 6 || field == 11)
        {
          if (wire != 2)
            return sg_pprof_fail (ctx, at, SG_PROFILE_ERROR_INVALID,
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
              return sg_pprof_fail (ctx, at, SG_PROFILE_ERROR_TOO_LARGE, "sample larger than 4 GiB");
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
              return sg_pprof_fail (ctx, at, SG_PROFILE_ERROR_TOO_LARGE, "string larger than 4 GiB");
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

gboolean
sg_pprof_lookup_string (SgPprofCtx   *ctx,
                        const guint8 *at,
                        gint64        index,
                        const char   *what,
                        guint32      *id)
{
  Span *span;

  if (index < 0 || (guint64) index >= ctx->strings->len)
    return sg_pprof_fail (ctx, at, SG_PROFILE_ERROR_INVALID,
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
dup_string (SgPprofCtx *ctx,
            gint64      index)
{
  Span *span;

  if (index < 0 || (guint64) index >= ctx->strings->len)
    return g_strdup ("");
  span = &g_array_index (ctx->strings, Span, index);
  return g_utf8_make_valid ((const char *) span->data, span->len);
}

gboolean
sg_pprof_string_equals (SgPprofCtx *ctx,
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

static void
id_index_clear (IdIndex *index)
{
  g_clear_pointer (&index->dense, g_free);
  sg_hash_map_clear (&index->sparse);
}

static gboolean
resolve_locations (SgPprofCtx *ctx)
{
  for (guint i = 0; i < ctx->locations->len; i++)
    {
      Location *loc = &g_array_index (ctx->locations, Location, i);
      const guint8 *at = ctx->base + loc->offset;
      guint32 module = 0;
      guint32 m;

      if (loc->id == 0)
        return sg_pprof_fail (ctx, at, SG_PROFILE_ERROR_INVALID, "location without an id");
      if (id_index_lookup (&ctx->mapping_index, loc->mapping_id, &m))
        {
          Mapping *mapping = &g_array_index (ctx->mappings, Mapping, m);
          if (!sg_pprof_lookup_string (ctx, at, mapping->filename, "mapping filename", &module))
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
            return sg_pprof_fail (ctx, at, SG_PROFILE_ERROR_INVALID,
                         "location %" G_GUINT64_FORMAT " refers to function %" G_GUINT64_FORMAT " which is not in the profile",
                         loc->id, line->function_id);
          fn = &g_array_index (ctx->functions, Function, f);
          if (!sg_pprof_lookup_string (ctx, ctx->base + fn->offset, fn->name, "function name", &name) ||
              !sg_pprof_lookup_string (ctx, ctx->base + fn->offset, fn->filename, "function filename", &file))
            return FALSE;
          if (name == 0 && !sg_pprof_lookup_string (ctx, ctx->base + fn->offset, fn->system_name, "function system name", &name))
            return FALSE;
          frame = sg_profile_builder_intern_frame_ids (ctx->builder, name, file, line->line, module);
          g_array_append_val (ctx->loc_frames, frame);
        }
      loc->n_frames = ctx->loc_frames->len - loc->first_frame;
    }
  return TRUE;
}

static const char *
guess_profile_type (SgPprofCtx *ctx)
{
  if (sg_pprof_string_equals (ctx, ctx->period_type[0], "cpu"))
    return "cpu";
  if (sg_pprof_string_equals (ctx, ctx->period_type[0], "wall"))
    return "wall";
  if (sg_pprof_string_equals (ctx, ctx->period_type[0], "space") ||
      sg_pprof_string_equals (ctx, ctx->period_type[0], "inuse_space") ||
      sg_pprof_string_equals (ctx, ctx->period_type[0], "alloc_space"))
    return "heap";
  return NULL;
}

static gboolean
apply_metadata (SgPprofCtx *ctx)
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
  SgPprofCtx ctx = { 0, };
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
      sg_pprof_fail (&ctx, data, SG_PROFILE_ERROR_INVALID,
            "the string table must start with an empty string (is this a pprof file?)");
      goto out;
    }
  if (ctx.sample_types->len == 0)
    {
      sg_pprof_fail (&ctx, data, SG_PROFILE_ERROR_INVALID, "the profile has no sample types");
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

  if (!resolve_locations (&ctx) || !sg_pprof_parse_samples (&ctx))
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
