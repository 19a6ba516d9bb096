/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A small open-addressing map from a non-zero 64-bit key to a 32-bit value.
 * The builder looks up (parent, frame) once per frame of every new stack,
 * tens of millions of times for a large pprof; GHashTable's pointer keys
 * and indirect calls cost about three times as much there.
 */
typedef struct
{
  guint64 key;      /* 0 marks an empty slot */
  guint64 value;    /* key and value side by side: one cache line per probe */
} SgHashSlot;

typedef struct
{
  SgHashSlot *slots;
  gsize       mask;
  gsize       n_used;
} SgHashMap;

static inline guint64
sg_hash_mix (guint64 key)
{
  /* splitmix64 finaliser: cheap and spreads sequential ids well */
  key ^= key >> 30;
  key *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  key ^= key >> 27;
  key *= G_GUINT64_CONSTANT (0x94d049bb133111eb);
  key ^= key >> 31;
  return key;
}

static inline void
sg_hash_map_init (SgHashMap *map,
                  gsize      capacity)
{
  gsize size = 16;

  while (size < capacity * 2)
    size <<= 1;
  map->slots = g_new0 (SgHashSlot, size);
  map->mask = size - 1;
  map->n_used = 0;
}

static inline void
sg_hash_map_clear (SgHashMap *map)
{
  g_clear_pointer (&map->slots, g_free);
  map->mask = 0;
  map->n_used = 0;
}

static inline gboolean
sg_hash_map_lookup (const SgHashMap *map,
                    guint64          key,
                    guint32         *value)
{
  gsize i = sg_hash_mix (key) & map->mask;

  for (;;)
    {
      guint64 k = map->slots[i].key;
      if (k == key)
        {
          *value = (guint32) map->slots[i].value;
          return TRUE;
        }
      if (k == 0)
        return FALSE;
      i = (i + 1) & map->mask;
    }
}

static inline void
sg_hash_map_grow (SgHashMap *map)
{
  SgHashMap bigger;

  sg_hash_map_init (&bigger, (map->mask + 1));
  for (gsize i = 0; i <= map->mask; i++)
    {
      if (map->slots[i].key != 0)
        {
          gsize j = sg_hash_mix (map->slots[i].key) & bigger.mask;
          while (bigger.slots[j].key != 0)
            j = (j + 1) & bigger.mask;
          bigger.slots[j] = map->slots[i];
        }
    }
  bigger.n_used = map->n_used;
  sg_hash_map_clear (map);
  *map = bigger;
}

/* key must not be 0 and must not be present yet */
static inline void
sg_hash_map_insert (SgHashMap *map,
                    guint64    key,
                    guint32    value)
{
  gsize i;

  if ((map->n_used + 1) * 2 > map->mask + 1)
    sg_hash_map_grow (map);
  i = sg_hash_mix (key) & map->mask;
  while (map->slots[i].key != 0)
    i = (i + 1) & map->mask;
  map->slots[i].key = key;
  map->slots[i].value = value;
  map->n_used++;
}

/* key must be present */
static inline void
sg_hash_map_replace (SgHashMap *map,
                     guint64    key,
                     guint32    value)
{
  gsize i = sg_hash_mix (key) & map->mask;

  while (map->slots[i].key != key)
    i = (i + 1) & map->mask;
  map->slots[i].value = value;
}

G_END_DECLS
