/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Pass 2 of the pprof decoder: the samples.  A sample's packed location
 * ids are looked up, as bytes, in a stack cache; only a stack seen for the
 * first time is expanded into frames and walked into the builder's tree.
 */
#include "sg-pprof-import-private.h"

/* Packed varints are compared as bytes: no decoding on a cache hit. */
static inline guint64
hash_bytes (const guint8 *data,
            gsize         len)
{
  guint64 h = G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) ^ len;

  while (len >= 8)
    {
      guint64 w;
      memcpy (&w, data, 8);
      h = (h ^ w) * G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
      h ^= h >> 32;
      data += 8;
      len -= 8;
    }
  if (len > 0)
    {
      guint64 w = 0;
      memcpy (&w, data, len);
      h = (h ^ w) * G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
      h ^= h >> 29;
    }
  return h | 1;
}

static inline guint8 *
put_varint (guint8  *out,
            guint64  value)
{
  while (value >= 0x80)
    {
      *out++ = (guint8) (value | 0x80);
      value >>= 7;
    }
  *out++ = (guint8) value;
  return out;
}

/*
 * The stack cache is an open-addressing table whose slots hold the whole
 * entry, so a hit costs two memory accesses: the slot and the key bytes it
 * is compared with (the earlier sample's own bytes in the input).  On a
 * profile larger than the CPU cache both are misses, and they dominate the
 * import; so the sample loop looks a few samples ahead, hashes their keys
 * and prefetches the slots, then the keys those slots point at.
 */
/* hash_bytes() sets the low bit; index with well-mixed high bits */
#define SLOT_INDEX(hash, mask) (((hash) >> 13) & (mask))

typedef struct
{
  guint64       hash;   /* 0: empty */
  const guint8 *key;    /* packed location ids: in the input, or in key_pool */
  guint32       len;
  guint32       node;
} CacheSlot;

typedef struct
{
  CacheSlot    *slots;
  gsize         mask;
  gsize         n_used;
  GStringChunk *key_pool;  /* keys that are not a span of the input */
} StackCache;

static void
cache_init (StackCache *cache)
{
  cache->mask = 4095;
  cache->slots = g_new0 (CacheSlot, cache->mask + 1);
  cache->n_used = 0;
  cache->key_pool = g_string_chunk_new (4096);
}

static void
cache_clear (StackCache *cache)
{
  g_clear_pointer (&cache->slots, g_free);
  g_clear_pointer (&cache->key_pool, g_string_chunk_free);
}

/* The slot holding key, or the empty slot where it belongs. */
static inline CacheSlot *
cache_find (StackCache   *cache,
            guint64       hash,
            const guint8 *key,
            gsize         len)
{
  gsize i = SLOT_INDEX (hash, cache->mask);

  for (;;)
    {
      CacheSlot *slot = &cache->slots[i];
      if (slot->hash == 0 ||
          (slot->hash == hash && slot->len == len && memcmp (slot->key, key, len) == 0))
        return slot;
      i = (i + 1) & cache->mask;
    }
}

static void
cache_grow (StackCache *cache)
{
  CacheSlot *old = cache->slots;
  gsize old_size = cache->mask + 1;

  cache->mask = old_size * 2 - 1;
  cache->slots = g_new0 (CacheSlot, old_size * 2);
  for (gsize i = 0; i < old_size; i++)
    {
      if (old[i].hash != 0)
        {
          gsize j = SLOT_INDEX (old[i].hash, cache->mask);
          while (cache->slots[j].hash != 0)
            j = (j + 1) & cache->mask;
          cache->slots[j] = old[i];
        }
    }
  g_free (old);
}

/* The packed location ids of a sample if they come first, as every writer
 * we know puts them; NULL otherwise (the lookahead is only a hint). */
static inline const guint8 *
peek_key (const Span *span,
          gsize      *len)
{
  Cursor c = { span->data + 1, span->data + span->len };
  guint64 n;

  if (span->len < 2 || span->data[0] != 0x0a || !read_varint (&c, &n) || n > (guint64) (c.end - c.p))
    return NULL;
  *len = n;
  return c.p;
}

#define LOOKAHEAD_SLOT 8
#define LOOKAHEAD_KEY  4

static inline void
prefetch_ahead (SgPprofCtx *ctx,
                StackCache *cache,
                guint       s)
{
  gsize len;
  const guint8 *key;

  if (s + LOOKAHEAD_SLOT < ctx->samples->len)
    {
      key = peek_key (&g_array_index (ctx->samples, Span, s + LOOKAHEAD_SLOT), &len);
      if (key != NULL)
        __builtin_prefetch (&cache->slots[SLOT_INDEX (hash_bytes (key, len), cache->mask)]);
    }
  if (s + LOOKAHEAD_KEY < ctx->samples->len)
    {
      key = peek_key (&g_array_index (ctx->samples, Span, s + LOOKAHEAD_KEY), &len);
      if (key != NULL)
        {
          guint64 hash = hash_bytes (key, len);
          CacheSlot *slot = &cache->slots[SLOT_INDEX (hash, cache->mask)];
          if (slot->hash == hash)
            __builtin_prefetch (slot->key);
        }
    }
}

/* A stack seen for the first time: location ids to frames to a node. */
static gboolean
intern_new_stack (SgPprofCtx   *ctx,
                  guint         s,
                  const guint8 *at,
                  const guint8 *key,
                  gsize         key_len,
                  GArray       *frames,
                  guint32      *node)
{
  Cursor c = { key, key + key_len };

  g_array_set_size (frames, 0);
  while (c.p < c.end)
    {
      guint64 id;
      guint32 l;
      Location *loc;

      if (!read_varint (&c, &id))
        return sg_pprof_fail (ctx, c.p, SG_PROFILE_ERROR_TRUNCATED, "truncated location id in sample %u", s);
      if (!id_index_lookup (&ctx->location_index, id, &l))
        return sg_pprof_fail (ctx, at, SG_PROFILE_ERROR_INVALID,
                     "sample %u refers to location %" G_GUINT64_FORMAT " which is not in the profile", s, id);
      loc = &g_array_index (ctx->locations, Location, l);
      if (frames->len + loc->n_frames > MAX_STACK_DEPTH || frames->len + loc->n_frames > ctx->frame_budget)
        return sg_pprof_fail (ctx, at, SG_PROFILE_ERROR_TOO_LARGE,
                     "sample %u expands to more frames than the input can describe", s);
      g_array_append_vals (frames, &g_array_index (ctx->loc_frames, guint32, loc->first_frame), loc->n_frames);
    }
  ctx->frame_budget -= frames->len;
  *node = sg_profile_builder_intern_stack (ctx->builder, (const guint *) (gpointer) frames->data, frames->len);
  return TRUE;
}

gboolean
sg_pprof_parse_samples (SgPprofCtx *ctx)
{
  guint n_types = ctx->sample_types->len / 2;
  gint64 key_thread = -1, key_thread_name = -1, key_thread_id = -1, key_timestamp = -1;
  g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GByteArray) scratch = g_byte_array_new ();
  g_autoptr(GHashTable) thread_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree gint64 *values = g_new0 (gint64, MAX (n_types, 1));
  StackCache cache;
  gboolean ok = FALSE;

  /* the label keys we keep, found once by content */
  for (guint i = 1; i < ctx->strings->len; i++)
    {
      if (key_thread < 0 && sg_pprof_string_equals (ctx, i, "thread"))
        key_thread = i;
      else if (key_thread_name < 0 && sg_pprof_string_equals (ctx, i, "thread_name"))
        key_thread_name = i;
      else if (key_thread_id < 0 && sg_pprof_string_equals (ctx, i, "thread_id"))
        key_thread_id = i;
      else if (key_timestamp < 0 && sg_pprof_string_equals (ctx, i, "timestamp_ns"))
        key_timestamp = i;
    }

  sg_profile_builder_reserve_samples (ctx->builder, ctx->samples->len);
  cache_init (&cache);

  for (guint s = 0; s < ctx->samples->len; s++)
    {
      Span *span = &g_array_index (ctx->samples, Span, s);
      Cursor c = { span->data, span->data + span->len };
      const guint8 *key = NULL;
      gsize key_len = 0;
      gboolean key_in_scratch = FALSE;
      guint n_values = 0;
      gint64 timestamp = -1;
      guint32 thread = 0;
      gboolean named_thread = FALSE;
      guint64 hash;
      guint32 node = 0;
      CacheSlot *slot;

      prefetch_ahead (ctx, &cache, s);
      while (c.p < c.end)
        {
          const guint8 *at = c.p;
          guint32 field = 0;
          guint wire = 0;
          Cursor sub = { NULL, NULL };
          guint64 value = 0;

          if (!next_field (ctx, &c, &field, &wire, &sub, &value))
            goto out;
          if (field == 1)
            {
              /* normally one packed run; anything else is re-encoded
               * packed into scratch so equal stacks still compare equal */
              if (wire == 2 && key == NULL)
                {
                  key = sub.p;
                  key_len = sub.end - sub.p;
                }
              else if (wire == 2 || wire == 0)
                {
                  if (!key_in_scratch)
                    {
                      g_byte_array_set_size (scratch, 0);
                      if (key != NULL)
                        g_byte_array_append (scratch, key, key_len);
                      key_in_scratch = TRUE;
                    }
                  if (wire == 0)
                    {
                      guint8 buf[10];
                      g_byte_array_append (scratch, buf, put_varint (buf, value) - buf);
                    }
                  else
                    g_byte_array_append (scratch, sub.p, sub.end - sub.p);
                  key = scratch->data;
                  key_len = scratch->len;
                }
              else
                {
                  sg_pprof_fail (ctx, at, SG_PROFILE_ERROR_INVALID, "Sample.location_id has wire type %u", wire);
                  goto out;
                }
            }
          else if (field == 2)
            {
              if (wire == 0)
                {
                  if (n_values >= n_types)
                    {
                      sg_pprof_fail (ctx, at, SG_PROFILE_ERROR_INVALID, "sample %u has more values than the %u sample types", s, n_types);
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
                          sg_pprof_fail (ctx, sub.p, SG_PROFILE_ERROR_INVALID, "sample %u has more values than the %u sample types", s, n_types);
                          goto out;
                        }
                      if (!read_varint (&sub, &v))
                        {
                          sg_pprof_fail (ctx, sub.p, SG_PROFILE_ERROR_TRUNCATED, "truncated sample value");
                          goto out;
                        }
                      values[n_values++] = (gint64) v;
                    }
                }
              else
                {
                  sg_pprof_fail (ctx, at, SG_PROFILE_ERROR_INVALID, "Sample.value has wire type %u", wire);
                  goto out;
                }
            }
          else if (field == 3)
            {
              gint64 lkey = 0, str = 0, num = 0;

              if (wire != 2)
                {
                  sg_pprof_fail (ctx, at, SG_PROFILE_ERROR_INVALID, "Sample.label is not a message");
                  goto out;
                }
              while (sub.p < sub.end)
                {
                  const guint8 *lat = sub.p;
                  guint32 lfield = 0;
                  guint lwire = 0;
                  Cursor lsub = { NULL, NULL };
                  guint64 lvalue = 0;

                  if (!next_field (ctx, &sub, &lfield, &lwire, &lsub, &lvalue))
                    goto out;
                  if (lfield >= 1 && lfield <= 3)
                    {
                      if (!expect_varint (ctx, lat, lwire, lfield, "Label"))
                        goto out;
                      if (lfield == 1)
                        lkey = (gint64) lvalue;
                      else if (lfield == 2)
                        str = (gint64) lvalue;
                      else
                        num = (gint64) lvalue;
                    }
                }
              if (lkey == 0)
                continue;
              if (lkey == key_timestamp)
                timestamp = num;
              else if (lkey == key_thread || lkey == key_thread_name)
                {
                  if (!sg_pprof_lookup_string (ctx, at, str, "thread label", &thread))
                    goto out;
                  named_thread = thread != 0;
                }
              else if (lkey == key_thread_id && !named_thread)
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
          sg_pprof_fail (ctx, span->data, SG_PROFILE_ERROR_INVALID,
                "sample %u has %u values, expected one per sample type (%u)", s, n_values, n_types);
          goto out;
        }
      if (key_len > G_MAXUINT32)
        {
          sg_pprof_fail (ctx, span->data, SG_PROFILE_ERROR_TOO_LARGE, "sample %u has too many locations", s);
          goto out;
        }

      /* stack cache: the same location ids give the same node */
      if (key == NULL)
        key = (const guint8 *) "";
      hash = hash_bytes (key, key_len);
      slot = cache_find (&cache, hash, key, key_len);
      if (slot->hash != 0)
        node = slot->node;
      else
        {
          if (!intern_new_stack (ctx, s, span->data, key, key_len, frames, &node))
            goto out;
          slot->hash = hash;
          slot->key = key_in_scratch ? (const guint8 *) g_string_chunk_insert_len (cache.key_pool, (const char *) key, key_len) : key;
          slot->len = (guint32) key_len;
          slot->node = node;
          if (++cache.n_used * 2 > cache.mask + 1)
            cache_grow (&cache);
        }

      sg_profile_builder_add_sample_at_node (ctx->builder, node, values, timestamp, thread);
    }
  ok = TRUE;

out:
  cache_clear (&cache);
  return ok;
}
