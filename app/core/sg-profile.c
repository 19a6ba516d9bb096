/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "sg-profile-private.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (SgProfile, sg_profile, sg_profile_ref, sg_profile_unref)
G_DEFINE_QUARK (sg-profile-error-quark, sg_profile_error)

SgProfile *
sg_profile_new_empty (void)
{
  SgProfile *self = g_new0 (SgProfile, 1);

  g_atomic_ref_count_init (&self->ref_count);
  return self;
}

SgProfile *
sg_profile_ref (SgProfile *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
sg_profile_unref (SgProfile *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->string_ids, g_hash_table_unref);
  g_clear_pointer (&self->chunk, g_string_chunk_free);
  g_free (self->strings);
  g_free (self->value_types);
  g_free (self->value_units);
  g_free (self->frames);
  g_free (self->nodes);
  g_free (self->self);
  g_free (self->total);
  g_free (self->samples);
  g_free (self->sample_values);
  g_free (self->totals);
  g_free (self->threads);
  g_free (self);
}

guint
sg_profile_get_n_strings (SgProfile *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_strings;
}

const char *
sg_profile_get_string (SgProfile *self,
                       guint32    id)
{
  g_return_val_if_fail (self != NULL, "");

  if (id >= self->n_strings)
    return "";
  return self->strings[id];
}

gboolean
sg_profile_lookup_string (SgProfile  *self,
                          const char *string,
                          guint32    *id)
{
  gpointer value;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (string != NULL, FALSE);

  value = g_hash_table_lookup (self->string_ids, string);
  if (value == NULL)
    return FALSE;
  if (id != NULL)
    *id = GPOINTER_TO_UINT (value) - 1;
  return TRUE;
}

const char *
sg_profile_get_service (SgProfile *self)
{
  return sg_profile_get_string (self, self->service);
}

const char *
sg_profile_get_version (SgProfile *self)
{
  return sg_profile_get_string (self, self->version);
}

const char *
sg_profile_get_host (SgProfile *self)
{
  return sg_profile_get_string (self, self->host);
}

const char *
sg_profile_get_profile_type (SgProfile *self)
{
  return sg_profile_get_string (self, self->profile_type);
}

gint64
sg_profile_get_start_ns (SgProfile *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->start_ns;
}

gint64
sg_profile_get_duration_ns (SgProfile *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->duration_ns;
}

gint64
sg_profile_get_period (SgProfile *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->period;
}

const char *
sg_profile_get_period_type (SgProfile *self)
{
  return sg_profile_get_string (self, self->period_type);
}

const char *
sg_profile_get_period_unit (SgProfile *self)
{
  return sg_profile_get_string (self, self->period_unit);
}

const char *
sg_profile_get_comment (SgProfile *self)
{
  return sg_profile_get_string (self, self->comment);
}

guint
sg_profile_get_n_value_types (SgProfile *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_values;
}

const char *
sg_profile_get_value_type (SgProfile *self,
                           guint      index)
{
  g_return_val_if_fail (self != NULL, "");
  g_return_val_if_fail (index < self->n_values, "");
  return self->strings[self->value_types[index]];
}

const char *
sg_profile_get_value_unit (SgProfile *self,
                           guint      index)
{
  g_return_val_if_fail (self != NULL, "");
  g_return_val_if_fail (index < self->n_values, "");
  return self->strings[self->value_units[index]];
}

guint
sg_profile_get_default_value (SgProfile *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->default_value;
}

gboolean
sg_profile_find_value_type (SgProfile  *self,
                            const char *type,
                            guint      *index)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (type != NULL, FALSE);

  for (guint i = 0; i < self->n_values; i++)
    {
      if (g_str_equal (self->strings[self->value_types[i]], type))
        {
          if (index != NULL)
            *index = i;
          return TRUE;
        }
    }
  return FALSE;
}

guint
sg_profile_get_n_frames (SgProfile *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_frames;
}

const SgFrame *
sg_profile_get_frames (SgProfile *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->frames;
}

const char *
sg_profile_get_frame_function (SgProfile *self,
                               guint32    frame)
{
  g_return_val_if_fail (self != NULL, "");

  if (frame >= self->n_frames)
    return "";
  return self->strings[self->frames[frame].function];
}

const char *
sg_profile_get_frame_file (SgProfile *self,
                           guint32    frame)
{
  g_return_val_if_fail (self != NULL, "");

  if (frame >= self->n_frames)
    return "";
  return self->strings[self->frames[frame].file];
}

guint
sg_profile_get_n_nodes (SgProfile *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_nodes;
}

const SgNode *
sg_profile_get_nodes (SgProfile *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->nodes;
}

const gint64 *
sg_profile_get_node_self (SgProfile *self,
                          guint      value_index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (value_index < self->n_values, NULL);
  return self->self + (gsize) value_index * self->n_nodes;
}

const gint64 *
sg_profile_get_node_total (SgProfile *self,
                           guint      value_index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (value_index < self->n_values, NULL);
  return self->total + (gsize) value_index * self->n_nodes;
}

guint
sg_profile_get_max_depth (SgProfile *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->max_depth;
}

/*
 * Fills frames leaf first, at most max_frames of them, and returns the
 * full depth of the node so callers can size a buffer and call again.
 */
guint
sg_profile_get_node_stack (SgProfile *self,
                           guint32    node,
                           guint32   *frames,
                           guint      max_frames)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (node < self->n_nodes, 0);

  for (guint32 i = node; i != SG_NODE_ROOT; i = self->nodes[i].parent)
    {
      if (n < max_frames)
        frames[n] = self->nodes[i].frame;
      n++;
    }
  return n;
}

guint
sg_profile_get_n_samples (SgProfile *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_samples;
}

const SgSample *
sg_profile_get_samples (SgProfile *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->samples;
}

const gint64 *
sg_profile_get_sample_values (SgProfile *self,
                              guint      sample)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (sample < self->n_samples, NULL);
  return self->sample_values + (gsize) sample * self->n_values;
}

gint64
sg_profile_get_total (SgProfile *self,
                      guint      value_index)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (value_index < self->n_values, 0);
  return self->totals[value_index];
}

gboolean
sg_profile_get_time_range (SgProfile *self,
                           gint64    *first_ns,
                           gint64    *last_ns)
{
  g_return_val_if_fail (self != NULL, FALSE);

  /* samples are sorted with the untimed ones first */
  if (self->n_samples == 0 || self->samples[self->n_samples - 1].timestamp_ns < 0)
    return FALSE;

  if (first_ns != NULL)
    {
      guint lo = 0, hi = self->n_samples - 1;
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          if (self->samples[mid].timestamp_ns < 0)
            lo = mid + 1;
          else
            hi = mid;
        }
      *first_ns = self->samples[lo].timestamp_ns;
    }
  if (last_ns != NULL)
    *last_ns = self->samples[self->n_samples - 1].timestamp_ns;
  return TRUE;
}

const guint32 *
sg_profile_get_threads (SgProfile *self,
                        guint     *n_threads)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_threads != NULL)
    *n_threads = self->n_threads;
  return self->threads;
}

gsize
sg_profile_get_memory_size (SgProfile *self)
{
  gsize size = sizeof *self;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->n_strings; i++)
    size += strlen (self->strings[i]) + 1 + sizeof (char *);
  size += self->n_values * 2 * sizeof (guint32);
  size += self->n_frames * sizeof (SgFrame);
  size += self->n_nodes * (sizeof (SgNode) + 2 * self->n_values * sizeof (gint64));
  size += self->n_samples * (sizeof (SgSample) + self->n_values * sizeof (gint64));
  size += self->n_threads * sizeof (guint32);
  return size;
}
