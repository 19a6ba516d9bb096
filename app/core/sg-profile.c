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

  if (self->shared_tables != NULL)
    sg_profile_unref (self->shared_tables);
  else
    {
      g_clear_pointer (&self->string_ids, g_hash_table_unref);
      g_clear_pointer (&self->chunk, g_string_chunk_free);
      g_free (self->strings);
      g_free (self->value_types);
      g_free (self->value_units);
      g_free (self->frames);
    }
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

  if (self->shared_tables == NULL)
    {
      for (guint i = 0; i < self->n_strings; i++)
        size += strlen (self->strings[i]) + 1 + sizeof (char *);
      size += self->n_values * 2 * sizeof (guint32);
      size += self->n_frames * sizeof (SgFrame);
    }
  size += self->n_nodes * (sizeof (SgNode) + 2 * self->n_values * sizeof (gint64));
  size += self->n_samples * (sizeof (SgSample) + self->n_values * sizeof (gint64));
  size += self->n_threads * sizeof (guint32);
  return size;
}

SgProfile *
sg_profile_new_subset (SgProfile    *source,
                       const guint8 *keep)
{
  SgProfile *self = sg_profile_new_empty ();
  SgProfile *owner = source->shared_tables ? source->shared_tables : source;
  const SgNode *src_nodes = source->nodes;
  guint n_values = source->n_values;
  guint src_n_nodes = source->n_nodes;
  g_autofree guint32 *new_id = g_new (guint32, src_n_nodes);
  g_autofree guint8 *used = g_new0 (guint8, src_n_nodes);
  g_autofree guint32 *last_child = NULL;
  guint n_nodes = 0, n_samples = 0;

  /* tables and metadata: shared, not copied */
  self->shared_tables = sg_profile_ref (owner);
  self->chunk = owner->chunk;
  self->strings = owner->strings;
  self->n_strings = owner->n_strings;
  self->string_ids = owner->string_ids;
  self->frames = owner->frames;
  self->n_frames = owner->n_frames;
  self->value_types = owner->value_types;
  self->value_units = owner->value_units;
  self->n_values = n_values;
  self->default_value = source->default_value;
  self->service = source->service;
  self->version = source->version;
  self->host = source->host;
  self->profile_type = source->profile_type;
  self->period_type = source->period_type;
  self->period_unit = source->period_unit;
  self->comment = source->comment;
  self->start_ns = source->start_ns;
  self->duration_ns = source->duration_ns;
  self->period = source->period;

  /* nodes some kept sample reaches; removing whole subtrees keeps the
   * pre-order, so new ids are a forward count */
  for (guint i = 0; i < source->n_samples; i++)
    if (keep[i])
      {
        used[source->samples[i].node] = 1;
        n_samples++;
      }
  for (guint i = src_n_nodes - 1; i > 0; i--)
    if (used[i])
      used[src_nodes[i].parent] = 1;
  used[0] = 1;
  for (guint i = 0; i < src_n_nodes; i++)
    new_id[i] = used[i] ? n_nodes++ : SG_NODE_NONE;

  self->n_nodes = n_nodes;
  self->nodes = g_new (SgNode, n_nodes);
  last_child = g_new (guint32, n_nodes);
  for (guint i = 0; i < src_n_nodes; i++)
    {
      guint32 id = new_id[i];
      SgNode *node;

      if (id == SG_NODE_NONE)
        continue;
      node = &self->nodes[id];
      node->frame = src_nodes[i].frame;
      node->depth = src_nodes[i].depth;
      node->first_child = SG_NODE_NONE;
      node->next_sibling = SG_NODE_NONE;
      node->subtree_end = id + 1;
      last_child[id] = SG_NODE_NONE;
      self->max_depth = MAX (self->max_depth, node->depth);
      if (i == 0)
        node->parent = SG_NODE_NONE;
      else
        {
          guint32 p = new_id[src_nodes[i].parent];
          node->parent = p;
          if (last_child[p] == SG_NODE_NONE)
            self->nodes[p].first_child = id;
          else
            self->nodes[last_child[p]].next_sibling = id;
          last_child[p] = id;
        }
    }
  for (guint i = n_nodes - 1; i > 0; i--)
    {
      SgNode *parent = &self->nodes[self->nodes[i].parent];
      parent->subtree_end = MAX (parent->subtree_end, self->nodes[i].subtree_end);
    }

  /* samples keep their order (so stay sorted by time) */
  self->n_samples = n_samples;
  self->samples = g_new (SgSample, MAX (n_samples, 1));
  self->sample_values = g_new (gint64, MAX ((gsize) n_samples * n_values, 1));
  self->self = g_new0 (gint64, (gsize) n_nodes * n_values);
  self->total = g_new (gint64, (gsize) n_nodes * n_values);
  self->totals = g_new0 (gint64, n_values);
  {
    guint j = 0;
    for (guint i = 0; i < source->n_samples; i++)
      {
        const gint64 *v;
        gint64 *dst;

        if (!keep[i])
          continue;
        self->samples[j] = source->samples[i];
        self->samples[j].node = new_id[source->samples[i].node];
        v = source->sample_values + (gsize) i * n_values;
        dst = self->sample_values + (gsize) j * n_values;
        for (guint k = 0; k < n_values; k++)
          {
            dst[k] = v[k];
            self->self[(gsize) k * n_nodes + self->samples[j].node] += v[k];
            self->totals[k] += v[k];
          }
        j++;
      }
  }
  memcpy (self->total, self->self, sizeof (gint64) * n_nodes * n_values);
  for (guint k = 0; k < n_values; k++)
    {
      gint64 *total = self->total + (gsize) k * n_nodes;
      for (guint i = n_nodes - 1; i > 0; i--)
        total[self->nodes[i].parent] += total[i];
    }

  /* threads still present, in the source's (sorted) order */
  {
    g_autofree guint8 *seen = g_new0 (guint8, self->n_strings);
    self->threads = g_new (guint32, MAX (source->n_threads, 1));
    for (guint i = 0; i < n_samples; i++)
      seen[self->samples[i].thread] = 1;
    for (guint i = 0; i < source->n_threads; i++)
      if (seen[source->threads[i]])
        self->threads[self->n_threads++] = source->threads[i];
  }

  return self;
}
