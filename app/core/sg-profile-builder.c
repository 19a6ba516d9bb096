/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The builder keeps a growing call tree keyed by (parent, frame) in an
 * open-addressing map, and samples as flat arrays.  end() does the work
 * that needs the whole picture, in linear passes plus sibling sorts:
 * drop nodes no sample reaches, order siblings, renumber the tree in
 * pre-order, roll up self and total, and sort samples by time.
 */
#include "sg-profile-builder.h"
#include "sg-profile-private.h"
#include "sg-hash-private.h"
#include "sg-memory-private.h"

#include <stdlib.h>
#include <string.h>

typedef struct
{
  guint32 parent;
  guint32 frame;
  guint32 last_child;   /* the child found or made last: stacks share long
                         * prefixes, so this answers most lookups without a
                         * hash probe (and its cache miss) */
} BuilderNode;

struct _SgProfileBuilder
{
  GStringChunk *chunk;
  GPtrArray    *strings;       /* const char * into chunk */
  GHashTable   *string_ids;    /* const char * -> id + 1 */

  GArray       *value_types;   /* guint32 string ids */
  GArray       *value_units;
  guint         default_value;

  GArray       *frames;        /* SgFrame */
  SgHashMap     frame_ids;     /* hash of a frame -> chain head */
  GArray       *frame_next;    /* guint32: next frame with the same hash bucket key, for collisions */

  GArray       *nodes;         /* BuilderNode, 0 is the root */
  SgHashMap     children;      /* parent << 32 | frame -> node */

  GArray       *samples;       /* SgSample */
  GArray       *values;        /* gint64 rows */

  guint32       service;
  guint32       version;
  guint32       host;
  guint32       profile_type;
  guint32       period_type;
  guint32       period_unit;
  guint32       comment;
  gint64        start_ns;
  gint64        duration_ns;
  gint64        period;

  gboolean      ended;
};

SgProfileBuilder *
sg_profile_builder_new (void)
{
  SgProfileBuilder *self = g_new0 (SgProfileBuilder, 1);
  BuilderNode root = { SG_NODE_NONE, SG_FRAME_NONE, SG_NODE_NONE };

  self->chunk = g_string_chunk_new (64 * 1024);
  self->strings = g_ptr_array_new ();
  self->string_ids = g_hash_table_new (g_str_hash, g_str_equal);
  self->value_types = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->value_units = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->frames = g_array_new (FALSE, FALSE, sizeof (SgFrame));
  self->frame_next = g_array_new (FALSE, FALSE, sizeof (guint32));
  sg_hash_map_init (&self->frame_ids, 256);
  self->nodes = g_array_new (FALSE, FALSE, sizeof (BuilderNode));
  g_array_append_val (self->nodes, root);
  sg_hash_map_init (&self->children, 1024);
  self->samples = g_array_new (FALSE, FALSE, sizeof (SgSample));
  self->values = g_array_new (FALSE, FALSE, sizeof (gint64));

  sg_profile_builder_intern_string (self, "");
  return self;
}

void
sg_profile_builder_free (SgProfileBuilder *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->chunk, g_string_chunk_free);
  g_clear_pointer (&self->strings, g_ptr_array_unref);
  g_clear_pointer (&self->string_ids, g_hash_table_unref);
  g_clear_pointer (&self->value_types, g_array_unref);
  g_clear_pointer (&self->value_units, g_array_unref);
  g_clear_pointer (&self->frames, g_array_unref);
  g_clear_pointer (&self->frame_next, g_array_unref);
  sg_hash_map_clear (&self->frame_ids);
  g_clear_pointer (&self->nodes, g_array_unref);
  sg_hash_map_clear (&self->children);
  g_clear_pointer (&self->samples, g_array_unref);
  g_clear_pointer (&self->values, g_array_unref);
  g_free (self);
}

guint32
sg_profile_builder_intern_string (SgProfileBuilder *self,
                                  const char       *string)
{
  gpointer value;
  const char *copy;
  guint32 id;

  g_return_val_if_fail (self != NULL, 0);

  if (string == NULL)
    return 0;

  value = g_hash_table_lookup (self->string_ids, string);
  if (value != NULL)
    return GPOINTER_TO_UINT (value) - 1;

  copy = g_string_chunk_insert (self->chunk, string);
  id = self->strings->len;
  g_ptr_array_add (self->strings, (gpointer) copy);
  g_hash_table_insert (self->string_ids, (gpointer) copy, GUINT_TO_POINTER (id + 1));
  return id;
}

guint32
sg_profile_builder_intern_string_len (SgProfileBuilder *self,
                                      const char       *string,
                                      gsize             len)
{
  char stack_buf[256];
  g_autofree char *heap_buf = NULL;
  char *buf;

  g_return_val_if_fail (self != NULL, 0);

  if (len < sizeof stack_buf)
    buf = stack_buf;
  else
    buf = heap_buf = g_malloc (len + 1);
  memcpy (buf, string, len);
  buf[len] = '\0';
  return sg_profile_builder_intern_string (self, buf);
}

guint
sg_profile_builder_add_value_type (SgProfileBuilder *self,
                                   const char       *type,
                                   const char       *unit)
{
  guint32 t, u;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (type != NULL, 0);
  g_return_val_if_fail (self->samples->len == 0, 0);

  t = sg_profile_builder_intern_string (self, type);
  u = sg_profile_builder_intern_string (self, unit);
  g_array_append_val (self->value_types, t);
  g_array_append_val (self->value_units, u);
  return self->value_types->len - 1;
}

guint
sg_profile_builder_get_n_value_types (SgProfileBuilder *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->value_types->len;
}

void
sg_profile_builder_set_default_value (SgProfileBuilder *self,
                                      guint             index)
{
  g_return_if_fail (self != NULL);
  self->default_value = index;
}

static inline guint64
frame_key (const SgFrame *frame)
{
  guint64 key = frame->function;

  key = key * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) + frame->file;
  key = key * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) + frame->module;
  key = key * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) + (guint32) frame->line;
  return key | 1;   /* never the empty-slot marker */
}

guint
sg_profile_builder_intern_frame_ids (SgProfileBuilder *self,
                                     guint32           function,
                                     guint32           file,
                                     gint64            line,
                                     guint32           module)
{
  SgFrame frame;
  guint64 key;
  guint32 head;
  guint32 id;

  g_return_val_if_fail (self != NULL, 0);

  frame.function = function;
  frame.file = file;
  frame.module = module;
  frame.line = line > 0 ? (gint32) MIN (line, G_MAXINT32) : 0;

  /* the map holds the newest frame per key; older ones with the same key
   * are chained through frame_next, so collisions stay correct */
  key = frame_key (&frame);
  if (sg_hash_map_lookup (&self->frame_ids, key, &head))
    {
      for (guint32 f = head; f != SG_FRAME_NONE; f = g_array_index (self->frame_next, guint32, f))
        {
          const SgFrame *other = &g_array_index (self->frames, SgFrame, f);
          if (other->function == frame.function && other->file == frame.file &&
              other->module == frame.module && other->line == frame.line)
            return f;
        }
    }
  else
    head = SG_FRAME_NONE;

  id = self->frames->len;
  g_array_append_val (self->frames, frame);
  g_array_append_val (self->frame_next, head);
  if (head == SG_FRAME_NONE)
    sg_hash_map_insert (&self->frame_ids, key, id);
  else
    sg_hash_map_replace (&self->frame_ids, key, id);
  return id;
}

guint
sg_profile_builder_intern_frame (SgProfileBuilder *self,
                                 const char       *function,
                                 const char       *file,
                                 gint64            line,
                                 const char       *module)
{
  g_return_val_if_fail (self != NULL, 0);

  return sg_profile_builder_intern_frame_ids (self,
                                              sg_profile_builder_intern_string (self, function),
                                              sg_profile_builder_intern_string (self, file),
                                              line,
                                              sg_profile_builder_intern_string (self, module));
}

guint
sg_profile_builder_intern_child (SgProfileBuilder *self,
                                 guint             parent,
                                 guint             frame)
{
  BuilderNode *nodes;
  guint64 key;
  guint32 node;
  BuilderNode n;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (parent < self->nodes->len, 0);
  g_return_val_if_fail (frame < self->frames->len, 0);

  nodes = (BuilderNode *) (gpointer) self->nodes->data;
  node = nodes[parent].last_child;
  if (node != SG_NODE_NONE && nodes[node].frame == frame)
    return node;

  /* +1 on the frame keeps the key of (root, frame 0) non-zero */
  key = ((guint64) parent << 32) | ((guint64) frame + 1);
  if (!sg_hash_map_lookup (&self->children, key, &node))
    {
      n.parent = parent;
      n.frame = frame;
      n.last_child = SG_NODE_NONE;
      node = self->nodes->len;
      g_array_append_val (self->nodes, n);
      sg_hash_map_insert (&self->children, key, node);
      nodes = (BuilderNode *) (gpointer) self->nodes->data;
    }
  nodes[parent].last_child = node;
  return node;
}

guint
sg_profile_builder_intern_stack (SgProfileBuilder *self,
                                 const guint      *frames,
                                 guint             n_frames)
{
  guint node = SG_PROFILE_BUILDER_ROOT;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (frames != NULL || n_frames == 0, 0);

  for (guint i = n_frames; i > 0; i--)
    node = sg_profile_builder_intern_child (self, node, frames[i - 1]);
  return node;
}

void
sg_profile_builder_add_sample_at_node (SgProfileBuilder *self,
                                       guint             node,
                                       const gint64     *values,
                                       gint64            timestamp_ns,
                                       guint32           thread)
{
  SgSample sample;

  g_return_if_fail (self != NULL);
  g_return_if_fail (node < self->nodes->len);
  g_return_if_fail (values != NULL || self->value_types->len == 0);
  g_return_if_fail (thread < self->strings->len);
  g_return_if_fail (self->samples->len < G_MAXUINT32 - 1);

  sample.node = node;
  sample.thread = thread;
  sample.timestamp_ns = timestamp_ns < 0 ? -1 : timestamp_ns;
  g_array_append_val (self->samples, sample);
  g_array_append_vals (self->values, values, self->value_types->len);
}

void
sg_profile_builder_add_sample (SgProfileBuilder *self,
                               const guint      *frames,
                               guint             n_frames,
                               const gint64     *values,
                               gint64            timestamp_ns,
                               const char       *thread)
{
  guint node;

  g_return_if_fail (self != NULL);

  node = sg_profile_builder_intern_stack (self, frames, n_frames);
  sg_profile_builder_add_sample_at_node (self, node, values, timestamp_ns,
                                         sg_profile_builder_intern_string (self, thread));
}

void
sg_profile_builder_reserve_samples (SgProfileBuilder *self,
                                    guint             n_samples)
{
  g_return_if_fail (self != NULL);

  /* growing by doubling would copy the arrays log2(n) times */
  if (n_samples > self->samples->len)
    {
      guint len = self->samples->len;
      gsize n_values = (gsize) n_samples * MAX (self->value_types->len, 1);

      g_array_set_size (self->samples, n_samples);
      g_array_set_size (self->samples, len);
      sg_memory_advise_huge (self->samples->data, sizeof (SgSample) * n_samples);
      len = self->values->len;
      g_array_set_size (self->values, n_values);
      g_array_set_size (self->values, len);
      sg_memory_advise_huge (self->values->data, sizeof (gint64) * n_values);
    }
}

guint
sg_profile_builder_get_n_samples (SgProfileBuilder *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->samples->len;
}

void
sg_profile_builder_set_service (SgProfileBuilder *self,
                                const char       *service)
{
  g_return_if_fail (self != NULL);
  self->service = sg_profile_builder_intern_string (self, service);
}

void
sg_profile_builder_set_version (SgProfileBuilder *self,
                                const char       *version)
{
  g_return_if_fail (self != NULL);
  self->version = sg_profile_builder_intern_string (self, version);
}

void
sg_profile_builder_set_host (SgProfileBuilder *self,
                             const char       *host)
{
  g_return_if_fail (self != NULL);
  self->host = sg_profile_builder_intern_string (self, host);
}

void
sg_profile_builder_set_profile_type (SgProfileBuilder *self,
                                     const char       *type)
{
  g_return_if_fail (self != NULL);
  self->profile_type = sg_profile_builder_intern_string (self, type);
}

void
sg_profile_builder_set_start_ns (SgProfileBuilder *self,
                                 gint64            start_ns)
{
  g_return_if_fail (self != NULL);
  self->start_ns = start_ns;
}

void
sg_profile_builder_set_duration_ns (SgProfileBuilder *self,
                                    gint64            duration_ns)
{
  g_return_if_fail (self != NULL);
  self->duration_ns = duration_ns;
}

void
sg_profile_builder_set_period (SgProfileBuilder *self,
                               const char       *type,
                               const char       *unit,
                               gint64            period)
{
  g_return_if_fail (self != NULL);
  self->period_type = sg_profile_builder_intern_string (self, type);
  self->period_unit = sg_profile_builder_intern_string (self, unit);
  self->period = period;
}

void
sg_profile_builder_set_comment (SgProfileBuilder *self,
                                const char       *comment)
{
  g_return_if_fail (self != NULL);
  self->comment = sg_profile_builder_intern_string (self, comment);
}

void
sg_profile_builder_copy_metadata (SgProfileBuilder *self,
                                  SgProfile        *profile)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (profile != NULL);

  sg_profile_builder_set_service (self, sg_profile_get_service (profile));
  sg_profile_builder_set_version (self, sg_profile_get_version (profile));
  sg_profile_builder_set_host (self, sg_profile_get_host (profile));
  sg_profile_builder_set_profile_type (self, sg_profile_get_profile_type (profile));
  sg_profile_builder_set_start_ns (self, profile->start_ns);
  sg_profile_builder_set_duration_ns (self, profile->duration_ns);
  sg_profile_builder_set_period (self,
                                 sg_profile_get_period_type (profile),
                                 sg_profile_get_period_unit (profile),
                                 profile->period);
  sg_profile_builder_set_comment (self, sg_profile_get_comment (profile));
}

static int
compare_u64 (const void *a,
             const void *b)
{
  guint64 x = *(const guint64 *) a;
  guint64 y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

static int
compare_frames_by_name (const void *a,
                        const void *b,
                        void       *user_data)
{
  SgProfileBuilder *self = user_data;
  const SgFrame *fa = &g_array_index (self->frames, SgFrame, *(const guint32 *) a);
  const SgFrame *fb = &g_array_index (self->frames, SgFrame, *(const guint32 *) b);
  const char **s = (const char **) self->strings->pdata;
  int r;

  if ((r = strcmp (s[fa->function], s[fb->function])) != 0)
    return r;
  if ((r = strcmp (s[fa->file], s[fb->file])) != 0)
    return r;
  if (fa->line != fb->line)
    return fa->line < fb->line ? -1 : 1;
  return strcmp (s[fa->module], s[fb->module]);
}

static int
compare_samples_by_time (const void *a,
                         const void *b)
{
  const guint64 *x = a;
  const guint64 *y = b;

  /* rows are (timestamp + 1, original index): stable by construction */
  if (x[0] != y[0])
    return x[0] < y[0] ? -1 : 1;
  return x[1] < y[1] ? -1 : x[1] > y[1];
}

static int
compare_thread_names (const void *a,
                      const void *b,
                      void       *user_data)
{
  const char **strings = user_data;

  return strcmp (strings[*(const guint32 *) a], strings[*(const guint32 *) b]);
}

SgProfile *
sg_profile_builder_end (SgProfileBuilder *self,
                        GError          **error)
{
  SgProfile *profile;
  guint n_bnodes, n_values, n_samples;
  const BuilderNode *bnodes;
  SgSample *bsamples;
  g_autofree guint32 *counts = NULL;
  g_autofree guint32 *rank = NULL;
  g_autofree guint32 *child_start = NULL;
  g_autofree guint64 *child_keys = NULL;
  g_autofree guint32 *new_id = NULL;
  g_autofree guint32 *stack = NULL;
  g_autofree guint32 *last_child = NULL;
  guint n_nodes;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (!self->ended, NULL);

  if (self->value_types->len == 0)
    {
      g_set_error_literal (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_EMPTY,
                           "The profile has no value types");
      return NULL;
    }
  self->ended = TRUE;

  n_bnodes = self->nodes->len;
  bnodes = (const BuilderNode *) (gpointer) self->nodes->data;
  n_values = self->value_types->len;
  n_samples = self->samples->len;
  bsamples = (SgSample *) (gpointer) self->samples->data;

  /* 1. Which nodes does some sample reach?  Children always have higher
   *    builder ids than their parent, so one backwards pass rolls up. */
  counts = g_new0 (guint32, n_bnodes);
  for (guint i = 0; i < n_samples; i++)
    counts[bsamples[i].node] = 1;
  for (guint i = n_bnodes - 1; i > 0; i--)
    if (counts[i])
      counts[bnodes[i].parent] = 1;
  counts[0] = 1;

  /* 2. Rank frames by name so siblings sort by an integer. */
  {
    guint n_frames = self->frames->len;
    g_autofree guint32 *order = g_new (guint32, MAX (n_frames, 1));

    for (guint i = 0; i < n_frames; i++)
      order[i] = i;
    g_qsort_with_data (order, n_frames, sizeof (guint32), compare_frames_by_name, self);
    rank = g_new (guint32, MAX (n_frames, 1));
    for (guint i = 0; i < n_frames; i++)
      rank[order[i]] = i;
  }

  /* 3. Children lists (CSR), each sorted by frame rank. */
  child_start = g_new0 (guint32, n_bnodes + 1);
  for (guint i = 1; i < n_bnodes; i++)
    if (counts[i])
      child_start[bnodes[i].parent + 1]++;
  for (guint i = 0; i < n_bnodes; i++)
    child_start[i + 1] += child_start[i];
  child_keys = g_new (guint64, MAX (child_start[n_bnodes], 1));
  {
    g_autofree guint32 *fill = g_memdup2 (child_start, sizeof (guint32) * n_bnodes);
    for (guint i = 1; i < n_bnodes; i++)
      if (counts[i])
        child_keys[fill[bnodes[i].parent]++] = ((guint64) rank[bnodes[i].frame] << 32) | i;
  }
  for (guint i = 0; i < n_bnodes; i++)
    if (child_start[i + 1] - child_start[i] > 1)
      qsort (child_keys + child_start[i], child_start[i + 1] - child_start[i],
             sizeof (guint64), compare_u64);

  /* 4. Pre-order renumbering with an explicit stack (trees can be deep). */
  n_nodes = child_start[n_bnodes] + 1;
  profile = sg_profile_new_empty ();
  profile->n_nodes = n_nodes;
  profile->nodes = g_new (SgNode, n_nodes);
  new_id = g_new (guint32, n_bnodes);
  stack = g_new (guint32, n_nodes + 1);
  last_child = g_new (guint32, n_nodes);
  {
    guint sp = 0;
    guint32 next = 0;

    stack[sp++] = 0;
    while (sp > 0)
      {
        guint32 b = stack[--sp];
        guint32 id = next++;
        SgNode *node = &profile->nodes[id];

        new_id[b] = id;
        node->frame = bnodes[b].frame;
        node->first_child = SG_NODE_NONE;
        node->next_sibling = SG_NODE_NONE;
        last_child[id] = SG_NODE_NONE;
        if (b == 0)
          {
            node->parent = SG_NODE_NONE;
            node->depth = 0;
          }
        else
          {
            guint32 p = new_id[bnodes[b].parent];
            node->parent = p;
            node->depth = profile->nodes[p].depth + 1;
            if (last_child[p] == SG_NODE_NONE)
              profile->nodes[p].first_child = id;
            else
              profile->nodes[last_child[p]].next_sibling = id;
            last_child[p] = id;
            profile->max_depth = MAX (profile->max_depth, node->depth);
          }
        /* push children in reverse so the first sorted child pops first */
        for (guint32 c = child_start[b + 1]; c > child_start[b]; c--)
          stack[sp++] = (guint32) (child_keys[c - 1] & G_MAXUINT32);
      }
    g_assert (next == n_nodes);

    /* subtree ends: backwards, a node ends where its last descendant does */
    for (guint i = 0; i < n_nodes; i++)
      profile->nodes[i].subtree_end = i + 1;
    for (guint i = n_nodes - 1; i > 0; i--)
      {
        SgNode *parent = &profile->nodes[profile->nodes[i].parent];
        parent->subtree_end = MAX (parent->subtree_end, profile->nodes[i].subtree_end);
      }
  }

  /* 5. Samples: remap, sort by time when needed, roll values up. */
  profile->n_values = n_values;
  profile->n_samples = n_samples;
  profile->samples = NULL;
  profile->sample_values = NULL;
  {
    gboolean sorted = TRUE;
    const gint64 *bvalues = (const gint64 *) (gpointer) self->values->data;

    for (guint i = 1; i < n_samples && sorted; i++)
      sorted = bsamples[i - 1].timestamp_ns <= bsamples[i].timestamp_ns;

    if (sorted)
      {
        /* the common case: take the arrays over instead of copying */
        profile->samples = (SgSample *) (gpointer) g_array_free (g_steal_pointer (&self->samples), n_samples == 0);
        profile->sample_values = (gint64 *) (gpointer) g_array_free (g_steal_pointer (&self->values), n_samples == 0);
        if (profile->samples == NULL)
          profile->samples = g_new (SgSample, 1);
        if (profile->sample_values == NULL)
          profile->sample_values = g_new (gint64, 1);
        for (guint i = 0; i < n_samples; i++)
          profile->samples[i].node = new_id[profile->samples[i].node];
      }
    else
      {
        g_autofree guint64 *order = g_new (guint64, (gsize) n_samples * 2);

        profile->samples = g_new (SgSample, MAX (n_samples, 1));
        profile->sample_values = g_new (gint64, MAX ((gsize) n_samples * n_values, 1));

        for (guint i = 0; i < n_samples; i++)
          {
            order[2 * i] = (guint64) (bsamples[i].timestamp_ns + 1);
            order[2 * i + 1] = i;
          }
        qsort (order, n_samples, 2 * sizeof (guint64), compare_samples_by_time);
        for (guint i = 0; i < n_samples; i++)
          {
            guint src = (guint) order[2 * i + 1];
            profile->samples[i] = bsamples[src];
            profile->samples[i].node = new_id[bsamples[src].node];
            memcpy (profile->sample_values + (gsize) i * n_values,
                    bvalues + (gsize) src * n_values, sizeof (gint64) * n_values);
          }
      }
  }

  profile->self = g_new0 (gint64, (gsize) n_nodes * n_values);
  profile->total = g_new (gint64, (gsize) n_nodes * n_values);
  profile->totals = g_new0 (gint64, n_values);
  for (guint i = 0; i < n_samples; i++)
    {
      const gint64 *v = profile->sample_values + (gsize) i * n_values;
      guint32 node = profile->samples[i].node;
      for (guint k = 0; k < n_values; k++)
        {
          profile->self[(gsize) k * n_nodes + node] += v[k];
          profile->totals[k] += v[k];
        }
    }
  memcpy (profile->total, profile->self, sizeof (gint64) * n_nodes * n_values);
  for (guint k = 0; k < n_values; k++)
    {
      gint64 *total = profile->total + (gsize) k * n_nodes;
      for (guint i = n_nodes - 1; i > 0; i--)
        total[profile->nodes[i].parent] += total[i];
    }

  /* 6. Threads seen in samples, by name. */
  {
    g_autofree guint8 *seen = g_new0 (guint8, self->strings->len);
    GArray *threads = g_array_new (FALSE, FALSE, sizeof (guint32));

    for (guint i = 0; i < n_samples; i++)
      {
        guint32 t = profile->samples[i].thread;
        if (t != 0 && !seen[t])
          {
            seen[t] = 1;
            g_array_append_val (threads, t);
          }
      }
    g_array_sort_with_data (threads, compare_thread_names, self->strings->pdata);
    profile->n_threads = threads->len;
    profile->threads = (guint32 *) (gpointer) g_array_free (threads, FALSE);
  }

  /* 7. Hand over strings, frames and metadata. */
  profile->chunk = g_steal_pointer (&self->chunk);
  profile->n_strings = self->strings->len;
  profile->strings = (const char **) g_ptr_array_free (g_steal_pointer (&self->strings), FALSE);
  profile->string_ids = g_steal_pointer (&self->string_ids);
  profile->n_frames = self->frames->len;
  profile->frames = (SgFrame *) (gpointer) g_array_free (g_steal_pointer (&self->frames), FALSE);
  profile->value_types = (guint32 *) (gpointer) g_array_free (g_steal_pointer (&self->value_types), FALSE);
  profile->value_units = (guint32 *) (gpointer) g_array_free (g_steal_pointer (&self->value_units), FALSE);
  profile->default_value = self->default_value < n_values ? self->default_value : 0;
  profile->service = self->service;
  profile->version = self->version;
  profile->host = self->host;
  profile->profile_type = self->profile_type;
  profile->period_type = self->period_type;
  profile->period_unit = self->period_unit;
  profile->comment = self->comment;
  profile->start_ns = self->start_ns;
  profile->duration_ns = self->duration_ns;
  profile->period = self->period;

  /* the builder's bulk is no longer needed: release it now, not at free() */
  g_clear_pointer (&self->nodes, g_array_unref);
  sg_hash_map_clear (&self->children);
  g_clear_pointer (&self->samples, g_array_unref);
  g_clear_pointer (&self->values, g_array_unref);

  return profile;
}
