/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sg-agent-client.h"
#include "sg-agent-json-private.h"
#include "sg-agent-manifest-private.h"

typedef struct
{
  char   *sha256;   /* NULL when the agent did not hash the file */
  gint64  size;
} Entry;

struct _SgAgentManifest
{
  GObject     parent_instance;

  char       *root;
  GHashTable *files;  /* path -> Entry */
  gboolean    truncated;
};

G_DEFINE_FINAL_TYPE (SgAgentManifest, sg_agent_manifest, G_TYPE_OBJECT)

static void
entry_free (gpointer ptr)
{
  Entry *entry = ptr;

  g_free (entry->sha256);
  g_free (entry);
}

SgAgentManifest *
_sg_agent_manifest_new_from_json (JsonObject  *object,
                                  GError     **error)
{
  g_autoptr(SgAgentManifest) self = g_object_new (SG_TYPE_AGENT_MANIFEST, NULL);
  JsonArray *files = sg_json_get_array (object, "files");

  if (files == NULL)
    {
      g_set_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_PROTOCOL,
                   _("The agent's source manifest has no file list"));
      return NULL;
    }
  self->root = g_strdup (sg_json_get_string (object, "root"));
  self->truncated = sg_json_get_bool (object, "truncated", FALSE);
  for (guint i = 0; i < sg_json_array_get_length (files); i++)
    {
      JsonObject *file = sg_json_array_get_object (files, i);
      const char *path;
      Entry *entry;

      if (!(path = sg_json_get_string (file, "path")))
        continue;
      entry = g_new0 (Entry, 1);
      entry->sha256 = g_ascii_strdown (sg_json_get_string (file, "sha256") ?: "", -1);
      if (entry->sha256[0] == '\0')
        g_clear_pointer (&entry->sha256, g_free);
      entry->size = sg_json_get_int (file, "size", -1);
      g_hash_table_replace (self->files, g_strdup (path), entry);
    }
  return g_steal_pointer (&self);
}

static void
sg_agent_manifest_finalize (GObject *object)
{
  SgAgentManifest *self = SG_AGENT_MANIFEST (object);

  g_free (self->root);
  g_clear_pointer (&self->files, g_hash_table_unref);

  G_OBJECT_CLASS (sg_agent_manifest_parent_class)->finalize (object);
}

static void
sg_agent_manifest_class_init (SgAgentManifestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sg_agent_manifest_finalize;
}

static void
sg_agent_manifest_init (SgAgentManifest *self)
{
  self->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
}

const char *
sg_agent_manifest_get_root (SgAgentManifest *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MANIFEST (self), NULL);
  return self->root;
}

gboolean
sg_agent_manifest_is_truncated (SgAgentManifest *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MANIFEST (self), FALSE);
  return self->truncated;
}

guint
sg_agent_manifest_get_n_files (SgAgentManifest *self)
{
  g_return_val_if_fail (SG_IS_AGENT_MANIFEST (self), 0);
  return g_hash_table_size (self->files);
}

/**
 * sg_agent_manifest_dup_paths:
 *
 * Returns: (transfer full): the relative paths, sorted
 */
char **
sg_agent_manifest_dup_paths (SgAgentManifest *self)
{
  g_autofree const char **keys = NULL;
  GStrvBuilder *builder;
  guint n = 0;
  char **ret;

  g_return_val_if_fail (SG_IS_AGENT_MANIFEST (self), NULL);

  keys = (const char **) g_hash_table_get_keys_as_array (self->files, &n);
  qsort (keys, n, sizeof (char *), (GCompareFunc) g_strcmp0);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < n; i++)
    g_strv_builder_add (builder, keys[i]);
  ret = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return ret;
}

gboolean
sg_agent_manifest_lookup (SgAgentManifest  *self,
                          const char       *path,
                          const char      **sha256,
                          gint64           *size)
{
  Entry *entry;

  g_return_val_if_fail (SG_IS_AGENT_MANIFEST (self), FALSE);

  if (!(entry = g_hash_table_lookup (self->files, path)))
    return FALSE;
  if (sha256)
    *sha256 = entry->sha256;
  if (size)
    *size = entry->size;
  return TRUE;
}

SgSourceMatch
sg_agent_manifest_compare (SgAgentManifest *self,
                           const char      *path,
                           GBytes          *local_contents)
{
  g_autofree char *digest = NULL;
  Entry *entry;

  g_return_val_if_fail (SG_IS_AGENT_MANIFEST (self), SG_SOURCE_MATCH_UNKNOWN);

  if (!(entry = g_hash_table_lookup (self->files, path)))
    return SG_SOURCE_MATCH_MISSING;
  if (entry->size >= 0 && (gsize) entry->size != g_bytes_get_size (local_contents))
    return SG_SOURCE_MATCH_DIFFERENT;
  if (entry->sha256 == NULL)
    return SG_SOURCE_MATCH_UNKNOWN;
  digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, local_contents);
  return g_str_equal (digest, entry->sha256) ? SG_SOURCE_MATCH_SAME : SG_SOURCE_MATCH_DIFFERENT;
}

/* Blocking: call it from a worker thread. */
SgSourceMatch
sg_agent_manifest_compare_file (SgAgentManifest  *self,
                                const char       *path,
                                GFile            *local_file,
                                GCancellable     *cancellable,
                                GError          **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (SG_IS_AGENT_MANIFEST (self), SG_SOURCE_MATCH_UNKNOWN);

  if (!g_hash_table_contains (self->files, path))
    return SG_SOURCE_MATCH_MISSING;
  if (!(bytes = g_file_load_bytes (local_file, cancellable, NULL, error)))
    return SG_SOURCE_MATCH_UNKNOWN;
  return sg_agent_manifest_compare (self, path, bytes);
}
