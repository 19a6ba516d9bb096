/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Loading and saving profiles in any format: detect from content (never the
 * name), inflate gzip with a hard bound on the output, dispatch to the
 * importer; and pick an exporter from a name or format for saving.
 *
 * Files are mapped, not read, so a 1 GB profile costs no copy before the
 * importer walks it.
 */
#include "sg-profile-io.h"

#include <string.h>

#include "sg-export-private.h"
#include "sg-import-private.h"
#include "sg-pprof.h"
#include "sg-pprof-private.h"

SgFormat
sg_profile_detect_bytes (GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return sg_format_detect (data, len);
}

static SgProfile *
load_bytes (GBytes      *bytes,
            const char  *name,
            guint64      max_inflated,
            GError     **error)
{
  g_autoptr(GBytes) inflated = NULL;
  const guint8 *data;
  gsize len;
  SgFormat format;

  data = g_bytes_get_data (bytes, &len);
  format = sg_format_detect (data, len);
  /* A .gz served with Content-Encoding: gzip and saved as is is gzipped
   * twice; allow a few layers, each under the same bound. */
  for (guint layer = 0; format == SG_FORMAT_GZIP; layer++)
    {
      GBytes *next;

      if (layer == 3)
        {
          g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_UNSUPPORTED,
                       "%s: gzip nested more than three deep", name);
          return NULL;
        }
      next = sg_gunzip_bounded (name, data, len, max_inflated, error);
      if (next == NULL)
        return NULL;
      g_clear_pointer (&inflated, g_bytes_unref);
      inflated = next;
      data = g_bytes_get_data (inflated, &len);
      format = sg_format_detect (data, len);
    }

  switch (format)
    {
    case SG_FORMAT_COLLAPSED:
      return sg_import_collapsed (name, (const char *) data, len, error);
    case SG_FORMAT_SPEEDSCOPE:
      return sg_import_speedscope (name, (const char *) data, len, error);
    case SG_FORMAT_CPUPROFILE:
      return sg_import_cpuprofile (name, (const char *) data, len, error);
    case SG_FORMAT_PSTATS:
      return sg_import_pstats (name, data, len, error);
    case SG_FORMAT_PPROF:
      return sg_pprof_import (name, data, len, error);
    case SG_FORMAT_GZIP:
    case SG_FORMAT_UNKNOWN:
    default:
      if (len == 0)
        g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_EMPTY, "%s: the file is empty", name);
      else
        g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_UNSUPPORTED,
                     "%s: not a profile format Spyglass reads (pprof, collapsed stacks, speedscope, "
                     ".cpuprofile, cProfile/pstats)", name);
      return NULL;
    }
}

/**
 * sg_profile_load_bytes:
 * @bytes: the file's content, compressed or not
 * @name: (nullable): what to call the data in error messages, usually the path
 *
 * Detects the format from the content, inflates gzip (bounded by
 * %SG_PROFILE_MAX_INFLATED_SIZE) and imports.
 *
 * Returns: (transfer full): the profile, or %NULL with @error set in
 *   %SG_PROFILE_ERROR, its message starting with @name and the position.
 */
SgProfile *
sg_profile_load_bytes (GBytes      *bytes,
                       const char  *name,
                       GError     **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_bytes (bytes, name ? name : "(data)", SG_PROFILE_MAX_INFLATED_SIZE, error);
}

SgProfile *
sg_profile_load_bytes_bounded (GBytes      *bytes,
                               const char  *name,
                               guint64      max_inflated,
                               GError     **error)
{
  return load_bytes (bytes, name, max_inflated, error);
}

/**
 * sg_profile_load_file:
 * @path: a file in any supported format, compressed or not
 *
 * Returns: (transfer full): the profile, or %NULL with @error set
 */
SgProfile *
sg_profile_load_file (const char  *path,
                      GError     **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      /* Pipes and some special files cannot be mapped: read them instead. */
      g_autofree char *contents = NULL;
      gsize len;

      g_clear_error (&local_error);
      if (!g_file_get_contents (path, &contents, &len, error))
        return NULL;
      bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
    }
  else
    bytes = g_mapped_file_get_bytes (mapped);
  return sg_profile_load_bytes (bytes, path, error);
}

SgFormat
sg_format_from_file_name (const char *path)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (path != NULL, SG_FORMAT_UNKNOWN);

  lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".pb.gz") || g_str_has_suffix (lower, ".pprof") ||
      g_str_has_suffix (lower, ".pb"))
    return SG_FORMAT_PPROF;
  if (g_str_has_suffix (lower, ".folded") || g_str_has_suffix (lower, ".collapsed") ||
      g_str_has_suffix (lower, ".folded.txt") || g_str_has_suffix (lower, ".collapsed.txt"))
    return SG_FORMAT_COLLAPSED;
  if (g_str_has_suffix (lower, ".speedscope.json") || g_str_has_suffix (lower, ".speedscope"))
    return SG_FORMAT_SPEEDSCOPE;
  return SG_FORMAT_UNKNOWN;
}

SgFormat
sg_format_from_name (const char *name)
{
  static const struct { const char *name; SgFormat format; } names[] = {
    { "pprof", SG_FORMAT_PPROF },
    { "collapsed", SG_FORMAT_COLLAPSED },
    { "folded", SG_FORMAT_COLLAPSED },
    { "speedscope", SG_FORMAT_SPEEDSCOPE },
  };

  g_return_val_if_fail (name != NULL, SG_FORMAT_UNKNOWN);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i].name) == 0)
      return names[i].format;
  return SG_FORMAT_UNKNOWN;
}

gboolean
sg_format_can_export (SgFormat format)
{
  return format == SG_FORMAT_PPROF || format == SG_FORMAT_COLLAPSED || format == SG_FORMAT_SPEEDSCOPE;
}

void
sg_writer_init (SgWriter      *self,
                GOutputStream *stream,
                GCancellable  *cancellable)
{
  self->stream = stream;
  self->cancellable = cancellable;
  self->buf = g_string_sized_new (64 << 10);
  self->error = NULL;
}

static gboolean
writer_flush (SgWriter *self)
{
  if (self->error != NULL)
    return FALSE;
  if (self->buf->len > 0 &&
      !g_output_stream_write_all (self->stream, self->buf->str, self->buf->len, NULL,
                                  self->cancellable, &self->error))
    return FALSE;
  g_string_truncate (self->buf, 0);
  return TRUE;
}

gboolean
sg_writer_maybe_flush (SgWriter *self)
{
  if (self->buf->len < (1 << 20))
    return self->error == NULL;
  return writer_flush (self);
}

gboolean
sg_writer_finish (SgWriter  *self,
                  GError   **error)
{
  gboolean ok = writer_flush (self);

  g_string_free (self->buf, TRUE);
  self->buf = NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&self->error));
  return ok;
}

void
sg_writer_json_string (SgWriter   *self,
                       const char *text)
{
  GString *b = self->buf;

  g_string_append_c (b, '"');
  for (const char *p = text; *p; p++)
    {
      guchar c = (guchar) *p;
      if (c == '"' || c == '\\')
        {
          g_string_append_c (b, '\\');
          g_string_append_c (b, (char) c);
        }
      else if (c < 0x20)
        g_string_append_printf (b, "\\u%04x", c);
      else
        g_string_append_c (b, (char) c);
    }
  g_string_append_c (b, '"');
}

/**
 * sg_profile_export:
 * @value_index: the value type to write for single-valued formats, or
 *   %G_MAXUINT for the profile's default
 *
 * Writes @profile to @stream in @format (pprof, collapsed or speedscope).
 */
gboolean
sg_profile_export (SgProfile      *profile,
                   SgFormat        format,
                   guint           value_index,
                   GOutputStream  *stream,
                   GCancellable   *cancellable,
                   GError        **error)
{
  SgWriter writer;
  gboolean ok;

  g_return_val_if_fail (profile != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (value_index == G_MAXUINT)
    value_index = sg_profile_get_default_value (profile);
  if (value_index >= sg_profile_get_n_value_types (profile))
    {
      g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_NOT_FOUND,
                   "The profile has no value type %u", value_index);
      return FALSE;
    }

  sg_writer_init (&writer, stream, cancellable);
  switch (format)
    {
    case SG_FORMAT_COLLAPSED:
      ok = sg_export_collapsed (profile, value_index, &writer);
      break;
    case SG_FORMAT_SPEEDSCOPE:
      ok = sg_export_speedscope (profile, value_index, &writer);
      break;
    case SG_FORMAT_PPROF:
      {
        /* pprof holds every value type; it is gzipped, as go tool pprof expects. */
        g_autoptr(GBytes) bytes = sg_pprof_export (profile, TRUE, error);
        gsize len;
        const char *data;

        g_string_free (writer.buf, TRUE);
        if (bytes == NULL)
          return FALSE;
        data = g_bytes_get_data (bytes, &len);
        return g_output_stream_write_all (stream, data, len, NULL, cancellable, error);
      }
    case SG_FORMAT_GZIP:
    case SG_FORMAT_CPUPROFILE:
    case SG_FORMAT_PSTATS:
    case SG_FORMAT_UNKNOWN:
    default:
      g_string_free (writer.buf, TRUE);
      g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_UNSUPPORTED,
                   "Spyglass cannot write %s files", sg_format_get_name (format));
      return FALSE;
    }
  if (!ok)
    {
      g_autoptr(GError) ignored = NULL;
      sg_writer_finish (&writer, &ignored);
      g_propagate_error (error, g_steal_pointer (&ignored));
      return FALSE;
    }
  return sg_writer_finish (&writer, error);
}

/**
 * sg_profile_save:
 * @format: the format, or %SG_FORMAT_UNKNOWN to pick it from @path's name
 *
 * Writes atomically: a temporary file next to @path, renamed over it.
 */
gboolean
sg_profile_save (SgProfile   *profile,
                 const char  *path,
                 SgFormat     format,
                 guint        value_index,
                 GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;

  g_return_val_if_fail (profile != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (format == SG_FORMAT_UNKNOWN)
    format = sg_format_from_file_name (path);
  if (format == SG_FORMAT_UNKNOWN)
    {
      g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_UNSUPPORTED,
                   "%s: cannot tell the output format from the name; use .pb.gz, .pprof, "
                   ".folded, .collapsed or .speedscope.json", path);
      return FALSE;
    }
  if (!sg_format_can_export (format))
    {
      g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_UNSUPPORTED,
                   "Spyglass cannot write %s files", sg_format_get_name (format));
      return FALSE;
    }

  file = g_file_new_for_path (path);
  /* replace() writes a temporary file and renames it on close. */
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (out == NULL)
    return FALSE;
  if (!sg_profile_export (profile, format, value_index, G_OUTPUT_STREAM (out), NULL, error))
    {
      g_autoptr(GCancellable) cancel = g_cancellable_new ();
      /* Closing a cancelled replace stream drops the temporary file. */
      g_cancellable_cancel (cancel);
      g_output_stream_close (G_OUTPUT_STREAM (out), cancel, NULL);
      return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}
