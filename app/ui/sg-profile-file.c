/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A profile file the user opened: its location, the raw bytes as read from
 * disk and the format recognised from those bytes. Reading and detection
 * run on a worker thread; the object handed back is immutable, so the
 * Profile page can parse `contents` on another thread without locking.
 *
 * Compressed files are detected by inflating only a prefix: enough for
 * sg_format_detect() to look at, without holding a second copy of a large
 * profile in memory just to learn what it is.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sg-profile-file.h"

/* sg_format_detect() looks at most at the first 64 KiB. */
#define DETECT_PREFIX (64 * 1024)

struct _SgProfileFile
{
  GObject   parent_instance;

  GFile    *file;
  char     *display_name;
  GBytes   *contents;
  SgFormat  format;
  guint     compressed : 1;
};

G_DEFINE_FINAL_TYPE (SgProfileFile, sg_profile_file, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_DISPLAY_NAME,
  PROP_FORMAT_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GBytes *
inflate_prefix (GBytes  *compressed,
                GError **error)
{
  g_autoptr(GZlibDecompressor) decompressor = NULL;
  g_autoptr(GByteArray) out = g_byte_array_sized_new (DETECT_PREFIX);
  const guint8 *in;
  gsize in_len;
  gsize in_pos = 0;

  decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  in = g_bytes_get_data (compressed, &in_len);

  while (out->len < DETECT_PREFIX && in_pos < in_len)
    {
      guint8 buf[16 * 1024];
      gsize bytes_read = 0;
      gsize bytes_written = 0;
      GConverterResult res;

      res = g_converter_convert (G_CONVERTER (decompressor),
                                 in + in_pos, in_len - in_pos,
                                 buf, sizeof buf,
                                 G_CONVERTER_INPUT_AT_END,
                                 &bytes_read, &bytes_written, error);
      if (res == G_CONVERTER_ERROR)
        return NULL;

      in_pos += bytes_read;
      g_byte_array_append (out, buf, MIN (bytes_written, DETECT_PREFIX - out->len));
      if (res == G_CONVERTER_FINISHED)
        break;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static char *
describe_file (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  if (path != NULL)
    return g_filename_display_basename (path);
  return g_file_get_uri (file);
}

/* Recognises the format of @self's contents and hands @self to @task, or
 * fails it with a message naming @name.  Takes @self. */
static void
detect_and_return (GTask         *task,
                   SgProfileFile *owned,
                   const char    *name)
{
  g_autoptr(SgProfileFile) self = owned;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (self->contents, &len);
  SgFormat format;
  gboolean compressed = FALSE;

  format = sg_format_detect (data, len);

  if (format == SG_FORMAT_GZIP)
    {
      g_autoptr(GBytes) prefix = inflate_prefix (self->contents, &error);
      const guint8 *p;
      gsize plen;

      if (prefix == NULL)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                   /* Translators: %s is a file name, then zlib's reason */
                                   _("“%s” looks gzip-compressed but cannot be uncompressed: %s"),
                                   name, error->message);
          return;
        }
      p = g_bytes_get_data (prefix, &plen);
      compressed = TRUE;
      format = plen > 0 ? sg_format_detect (p, plen) : SG_FORMAT_UNKNOWN;
      /* A gzip inside a gzip is not a profile anyone writes. */
      if (format == SG_FORMAT_GZIP)
        format = SG_FORMAT_UNKNOWN;
    }

  if (format == SG_FORMAT_UNKNOWN)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               compressed
                                 ? _("“%s” is compressed, but what is inside is not a known "
                                     "profile format")
                                 : _("“%s” is not a known profile format"),
                               name);
      return;
    }

  self->format = format;
  self->compressed = compressed;
  g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(SgProfileFile) self = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = describe_file (file);
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_load_contents (file, cancellable, &data, &len, NULL, &error))
    {
      /* GIO's messages repeat the full path; say it the way a person would. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_task_return_new_error (task, error->domain, error->code,
                                 _("“%s” does not exist"), name);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
        g_task_return_new_error (task, error->domain, error->code,
                                 _("You do not have permission to read “%s”"), name);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
        g_task_return_new_error (task, error->domain, error->code,
                                 _("“%s” is a folder, not a profile file"), name);
      else
        g_task_return_new_error (task, error->domain, error->code,
                                 /* Translators: %s is a file name, then the system's reason */
                                 _("Could not read “%s”: %s"), name, error->message);
      return;
    }

  /* A read that could not be interrupted (a pipe, a slow mount) may still
   * complete after the user stopped it. */
  if (g_task_return_error_if_cancelled (task))
    return;

  if (len == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("“%s” is empty"), name);
      return;
    }

  self = g_object_new (SG_TYPE_PROFILE_FILE, "file", file, NULL);
  self->contents = g_bytes_new_take (g_steal_pointer (&data), len);
  detect_and_return (task, g_steal_pointer (&self), name);
}

typedef struct
{
  GFile  *file;
  GBytes *bytes;
  char   *display_name;
} BytesLoad;

static void
bytes_load_free (gpointer data)
{
  BytesLoad *load = data;

  g_clear_object (&load->file);
  g_clear_pointer (&load->bytes, g_bytes_unref);
  g_free (load->display_name);
  g_free (load);
}

static void
load_bytes_in_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  BytesLoad *load = task_data;
  SgProfileFile *self;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (g_bytes_get_size (load->bytes) == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("“%s” is empty"), load->display_name);
      return;
    }
  self = g_object_new (SG_TYPE_PROFILE_FILE, "file", load->file, NULL);
  g_free (self->display_name);
  self->display_name = g_strdup (load->display_name);
  self->contents = g_bytes_ref (load->bytes);
  detect_and_return (task, self, load->display_name);
}

static void
sg_profile_file_finalize (GObject *object)
{
  SgProfileFile *self = (SgProfileFile *)object;

  g_clear_object (&self->file);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->contents, g_bytes_unref);

  G_OBJECT_CLASS (sg_profile_file_parent_class)->finalize (object);
}

static void
sg_profile_file_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SgProfileFile *self = SG_PROFILE_FILE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    case PROP_FORMAT_LABEL:
      g_value_take_string (value, sg_profile_file_dup_format_label (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_profile_file_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SgProfileFile *self = SG_PROFILE_FILE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      self->display_name = describe_file (self->file);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_profile_file_class_init (SgProfileFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sg_profile_file_finalize;
  object_class->get_property = sg_profile_file_get_property;
  object_class->set_property = sg_profile_file_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FORMAT_LABEL] =
    g_param_spec_string ("format-label", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sg_profile_file_init (SgProfileFile *self)
{
}

/**
 * sg_profile_file_load_async:
 * @file: the file to read
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the calling thread's main context when done
 * @user_data: data for @callback
 *
 * Reads @file on a worker thread and recognises its profile format from
 * its content (inflating gzip first). Fails with a message that names the
 * file and says why when it cannot be read or is not a known format.
 */
void
sg_profile_file_load_async (GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sg_profile_file_load_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_in_thread);
}

/**
 * sg_profile_file_load_bytes_async:
 * @file: where @bytes came from (an agent's profile URL, say); it
 *   identifies the profile among the opened ones and is never read
 * @bytes: the profile's bytes
 * @display_name: what to call it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the calling thread's main context when done
 * @user_data: data for @callback
 *
 * Like sg_profile_file_load_async() for bytes already in memory (a
 * profile fetched from an agent): the format is recognised on a worker
 * thread, and the result is finished with sg_profile_file_load_finish().
 */
void
sg_profile_file_load_bytes_async (GFile               *file,
                                  GBytes              *bytes,
                                  const char          *display_name,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BytesLoad *load;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (bytes != NULL);
  g_return_if_fail (display_name != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  load = g_new0 (BytesLoad, 1);
  load->file = g_object_ref (file);
  load->bytes = g_bytes_ref (bytes);
  load->display_name = g_strdup (display_name);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sg_profile_file_load_async);
  g_task_set_task_data (task, load, bytes_load_free);
  g_task_run_in_thread (task, load_bytes_in_thread);
}

SgProfileFile *
sg_profile_file_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GFile *
sg_profile_file_get_file (SgProfileFile *self)
{
  g_return_val_if_fail (SG_IS_PROFILE_FILE (self), NULL);

  return self->file;
}

const char *
sg_profile_file_get_display_name (SgProfileFile *self)
{
  g_return_val_if_fail (SG_IS_PROFILE_FILE (self), NULL);

  return self->display_name;
}

SgFormat
sg_profile_file_get_format (SgProfileFile *self)
{
  g_return_val_if_fail (SG_IS_PROFILE_FILE (self), SG_FORMAT_UNKNOWN);

  return self->format;
}

gboolean
sg_profile_file_get_compressed (SgProfileFile *self)
{
  g_return_val_if_fail (SG_IS_PROFILE_FILE (self), FALSE);

  return self->compressed;
}

/**
 * sg_profile_file_get_contents:
 *
 * Returns: (transfer none): the file's bytes exactly as read (still
 *   compressed when sg_profile_file_get_compressed() is %TRUE)
 */
GBytes *
sg_profile_file_get_contents (SgProfileFile *self)
{
  g_return_val_if_fail (SG_IS_PROFILE_FILE (self), NULL);

  return self->contents;
}

/* “pprof, gzip-compressed” — what the sidebar and Profile page show. */
char *
sg_profile_file_dup_format_label (SgProfileFile *self)
{
  g_return_val_if_fail (SG_IS_PROFILE_FILE (self), NULL);

  if (self->compressed)
    /* Translators: %s is a profile format such as “pprof” */
    return g_strdup_printf (_("%s, gzip-compressed"), sg_format_get_name (self->format));
  return g_strdup (sg_format_get_name (self->format));
}
