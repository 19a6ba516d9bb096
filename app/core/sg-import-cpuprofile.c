/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Chrome DevTools / V8 .cpuprofile (what `node --cpu-prof` writes):
 *
 *   { "nodes": [ { "id", "callFrame": { "functionName", "url", "lineNumber",
 *                  "columnNumber", … }, "hitCount", "children": [ids] }, … ],
 *     "startTime", "endTime", "samples": [node ids], "timeDeltas": [µs] }
 *
 * The nodes already form a call tree, so each becomes a builder node once
 * and samples are added at their node: no per-sample stack walk.  A sample
 * lasts until the next one starts (the last one until endTime), which is how
 * DevTools attributes time; so the profile's total is endTime minus the
 * first sample's time.  The "(root)" node is dropped, as DevTools does;
 * "(program)", "(idle)" and "(garbage collector)" stay, they are real time.
 */
#include "sg-import-private.h"

#include <string.h>

#include "sg-json-reader-private.h"
#include "sg-profile-builder.h"

#define NO_PARENT G_MAXUINT32
#define UNKNOWN   (G_MAXUINT32 - 1)

typedef struct
{
  gint64  id;
  guint   frame;
  gboolean is_root_frame;
  gint64  parent_id;      /* from a "parent" member, -1 if absent */
  gint64  hit_count;
  gsize   pos;
} Node;

typedef struct
{
  guint32 parent;         /* index into nodes */
  gint64  child_id;
  gsize   pos;
} ChildRef;

static void
read_call_frame (SgJsonReader     *r,
                 SgProfileBuilder *builder,
                 Node             *node)
{
  g_autofree char *function = NULL;
  g_autofree char *url = NULL;
  g_autofree char *fixed_function = NULL;
  g_autofree char *fixed_url = NULL;
  gint64 line = -1;
  gboolean first = TRUE;
  const char *name;

  if (!sg_json_reader_begin_object (r))
    return;
  while (sg_json_reader_next_member (r, &first))
    {
      if (sg_json_reader_key_is (r, "functionName"))
        {
          const char *s = sg_json_reader_read_string (r);
          g_free (function);
          function = g_strdup (s);
        }
      else if (sg_json_reader_key_is (r, "url"))
        {
          const char *s = sg_json_reader_read_string (r);
          g_free (url);
          url = g_strdup (s);
        }
      else if (sg_json_reader_key_is (r, "lineNumber"))
        sg_json_reader_read_int64 (r, &line);
      else
        sg_json_reader_skip (r);
    }
  if (sg_json_reader_failed (r))
    return;

  name = function && function[0] ? sg_import_valid_utf8 (function, -1, &fixed_function) : "(anonymous)";
  node->is_root_frame = g_strcmp0 (function, "(root)") == 0;
  /* V8 numbers lines from 0; -1 means none.  Clamp hostile values. */
  line = line >= 0 && line < G_MAXINT32 ? line + 1 : 0;
  node->frame = sg_profile_builder_intern_frame (builder, name,
                                                 url && url[0] ? sg_import_valid_utf8 (url, -1, &fixed_url) : NULL,
                                                 line, NULL);
}

static void
read_nodes (SgJsonReader     *r,
            SgProfileBuilder *builder,
            GArray           *nodes,
            GArray           *children)
{
  gboolean first = TRUE;

  if (!sg_json_reader_begin_array (r))
    return;
  while (sg_json_reader_next_element (r, &first))
    {
      Node node = { .id = -1, .parent_id = -1, .frame = G_MAXUINT };
      gboolean first_member = TRUE;

      sg_json_reader_peek (r);
      node.pos = r->pos;
      if (!sg_json_reader_begin_object (r))
        return;
      while (sg_json_reader_next_member (r, &first_member))
        {
          if (sg_json_reader_key_is (r, "id"))
            sg_json_reader_read_int64 (r, &node.id);
          else if (sg_json_reader_key_is (r, "callFrame"))
            read_call_frame (r, builder, &node);
          else if (sg_json_reader_key_is (r, "hitCount"))
            sg_json_reader_read_int64 (r, &node.hit_count);
          else if (sg_json_reader_key_is (r, "parent"))
            sg_json_reader_read_int64 (r, &node.parent_id);
          else if (sg_json_reader_key_is (r, "children"))
            {
              gboolean first_child = TRUE;
              if (!sg_json_reader_begin_array (r))
                return;
              while (sg_json_reader_next_element (r, &first_child))
                {
                  ChildRef ref = { nodes->len, 0, r->pos };
                  if (!sg_json_reader_read_int64 (r, &ref.child_id))
                    return;
                  g_array_append_val (children, ref);
                }
            }
          else
            sg_json_reader_skip (r);
        }
      if (sg_json_reader_failed (r))
        return;
      if (node.id < 0 || node.id > G_MAXINT32 || node.frame == G_MAXUINT)
        {
          sg_json_reader_fail_at (r, node.pos, "a node needs an \"id\" (0 … 2³¹) and a \"callFrame\"");
          return;
        }
      if (node.hit_count < 0)
        node.hit_count = 0;
      g_array_append_val (nodes, node);
    }
}

static void
read_int_array (SgJsonReader *r,
                GArray       *out)
{
  gboolean first = TRUE;

  if (!sg_json_reader_begin_array (r))
    return;
  while (sg_json_reader_next_element (r, &first))
    {
      gint64 v;
      if (!sg_json_reader_read_int64 (r, &v))
        return;
      g_array_append_val (out, v);
    }
}

static gboolean
fail (GError     **error,
      const char  *file,
      const char  *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError     **error,
      const char  *file,
      const char  *format,
      ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_INVALID, "%s: %s", file, what);
  return FALSE;
}

/* Gives every cpuprofile node its builder node, parents first. */
static gboolean
link_tree (SgProfileBuilder *builder,
           const char       *file,
           GArray           *nodes,
           GArray           *children,
           GHashTable       *by_id,
           guint32          *builder_node,
           GError          **error)
{
  g_autofree guint32 *parent = g_new (guint32, nodes->len);
  g_autoptr(GArray) chain = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint i = 0; i < nodes->len; i++)
    {
      parent[i] = NO_PARENT;
      builder_node[i] = UNKNOWN;
    }
  for (guint i = 0; i < children->len; i++)
    {
      const ChildRef *ref = &g_array_index (children, ChildRef, i);
      gpointer value;
      guint32 child;

      if (ref->child_id < 0 || ref->child_id > G_MAXINT32 ||
          !g_hash_table_lookup_extended (by_id, GINT_TO_POINTER ((gint) ref->child_id), NULL, &value))
        return fail (error, file, "byte %" G_GSIZE_FORMAT ": child %" G_GINT64_FORMAT " is not a node",
                     ref->pos, ref->child_id);
      child = GPOINTER_TO_UINT (value);
      if (parent[child] != NO_PARENT || child == ref->parent)
        return fail (error, file, "byte %" G_GSIZE_FORMAT ": node %" G_GINT64_FORMAT " has two parents",
                     ref->pos, ref->child_id);
      parent[child] = ref->parent;
    }
  for (guint i = 0; i < nodes->len; i++)
    {
      const Node *n = &g_array_index (nodes, Node, i);
      gpointer value;

      if (n->parent_id < 0 || parent[i] != NO_PARENT)
        continue;
      if (n->parent_id > G_MAXINT32 ||
          !g_hash_table_lookup_extended (by_id, GINT_TO_POINTER ((gint) n->parent_id), NULL, &value) ||
          GPOINTER_TO_UINT (value) == i)
        return fail (error, file, "byte %" G_GSIZE_FORMAT ": parent %" G_GINT64_FORMAT " is not a node",
                     n->pos, n->parent_id);
      parent[i] = GPOINTER_TO_UINT (value);
    }

  for (guint i = 0; i < nodes->len; i++)
    {
      guint32 at = i;
      guint32 bnode;

      /* Walk up to the first node already placed; a walk longer than the
       * node count can only be a cycle. */
      g_array_set_size (chain, 0);
      while (at != NO_PARENT && builder_node[at] == UNKNOWN)
        {
          if (chain->len > nodes->len)
            return fail (error, file, "byte %" G_GSIZE_FORMAT ": the nodes' parent links form a cycle",
                         g_array_index (nodes, Node, i).pos);
          g_array_append_val (chain, at);
          at = parent[at];
        }
      bnode = at == NO_PARENT ? SG_PROFILE_BUILDER_ROOT : builder_node[at];
      for (guint k = chain->len; k > 0; k--)
        {
          guint32 n = g_array_index (chain, guint32, k - 1);
          const Node *node = &g_array_index (nodes, Node, n);

          if (parent[n] == NO_PARENT && node->is_root_frame)
            bnode = SG_PROFILE_BUILDER_ROOT;
          else
            bnode = sg_profile_builder_intern_child (builder, bnode, node->frame);
          builder_node[n] = bnode;
        }
    }
  return TRUE;
}

SgProfile *
sg_import_cpuprofile (const char  *file,
                      const char  *data,
                      gsize        len,
                      GError     **error)
{
  g_autoptr(SgProfileBuilder) builder = sg_profile_builder_new ();
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (Node));
  g_autoptr(GArray) children = g_array_new (FALSE, FALSE, sizeof (ChildRef));
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) deltas = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) by_id = g_hash_table_new (NULL, NULL);
  g_autofree guint32 *builder_node = NULL;
  gint64 start_time = 0, end_time = 0;
  gboolean has_end = FALSE;
  gboolean first = TRUE;
  gsize deltas_pos = 0;
  gint64 t;
  SgJsonReader r;

  file = file ? file : "(data)";
  sg_profile_builder_add_value_type (builder, "samples", "count");
  sg_profile_builder_add_value_type (builder, "wall", "nanoseconds");
  sg_profile_builder_set_default_value (builder, 1);
  sg_profile_builder_set_profile_type (builder, "wall");

  sg_json_reader_init (&r, file, data, len);
  if (sg_json_reader_begin_object (&r))
    while (sg_json_reader_next_member (&r, &first))
      {
        if (sg_json_reader_key_is (&r, "nodes"))
          read_nodes (&r, builder, nodes, children);
        else if (sg_json_reader_key_is (&r, "samples"))
          read_int_array (&r, samples);
        else if (sg_json_reader_key_is (&r, "timeDeltas"))
          {
            sg_json_reader_peek (&r);
            deltas_pos = r.pos;
            read_int_array (&r, deltas);
          }
        else if (sg_json_reader_key_is (&r, "startTime"))
          sg_json_reader_read_int64 (&r, &start_time);
        else if (sg_json_reader_key_is (&r, "endTime"))
          has_end = sg_json_reader_read_int64 (&r, &end_time);
        else
          sg_json_reader_skip (&r);
      }
  sg_json_reader_end (&r);
  if (sg_json_reader_propagate (&r, error))
    {
      sg_json_reader_clear (&r);
      return NULL;
    }
  sg_json_reader_clear (&r);

  if (nodes->len == 0)
    {
      g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_EMPTY, "%s: no \"nodes\" in this profile", file);
      return NULL;
    }
  for (guint i = 0; i < nodes->len; i++)
    {
      const Node *n = &g_array_index (nodes, Node, i);
      if (!g_hash_table_insert (by_id, GINT_TO_POINTER ((gint) n->id), GUINT_TO_POINTER (i)))
        {
          fail (error, file, "byte %" G_GSIZE_FORMAT ": node id %" G_GINT64_FORMAT " used twice", n->pos, n->id);
          return NULL;
        }
    }
  builder_node = g_new (guint32, nodes->len);
  if (!link_tree (builder, file, nodes, children, by_id, builder_node, error))
    return NULL;

  if (samples->len == 0)
    {
      /* Some tools write only hit counts: keep the counts, time is unknown. */
      for (guint i = 0; i < nodes->len; i++)
        {
          const Node *n = &g_array_index (nodes, Node, i);
          gint64 values[2] = { n->hit_count, 0 };
          if (n->hit_count > 0)
            sg_profile_builder_add_sample_at_node (builder, builder_node[i], values, -1, 0);
        }
      return sg_profile_builder_end (builder, error);
    }

  if (deltas->len != samples->len)
    {
      fail (error, file, "byte %" G_GSIZE_FORMAT ": %u samples but %u timeDeltas",
            deltas_pos, samples->len, deltas->len);
      return NULL;
    }
  /* Times are microseconds on a monotonic clock; clamp so sums cannot overflow. */
  t = CLAMP (start_time, -(G_GINT64_CONSTANT (1) << 50), G_GINT64_CONSTANT (1) << 50);
  for (guint i = 0; i < samples->len; i++)
    {
      gint64 id = g_array_index (samples, gint64, i);
      gint64 next, values[2];
      gpointer value;

      t += CLAMP (g_array_index (deltas, gint64, i), -(G_GINT64_CONSTANT (1) << 40), G_GINT64_CONSTANT (1) << 40);
      if (i + 1 < samples->len)
        next = t + CLAMP (g_array_index (deltas, gint64, i + 1), -(G_GINT64_CONSTANT (1) << 40), G_GINT64_CONSTANT (1) << 40);
      else
        next = has_end ? CLAMP (end_time, t, t + (G_GINT64_CONSTANT (1) << 40)) : t;
      if (id < 0 || id > G_MAXINT32 ||
          !g_hash_table_lookup_extended (by_id, GINT_TO_POINTER ((gint) id), NULL, &value))
        {
          fail (error, file, "samples[%u]: %" G_GINT64_FORMAT " is not a node id", i, id);
          return NULL;
        }
      values[0] = 1;
      values[1] = MAX (next - t, 0) * 1000;
      sg_profile_builder_add_sample_at_node (builder, builder_node[GPOINTER_TO_UINT (value)], values,
                                             t >= 0 ? t * 1000 : -1, 0);
    }
  if (has_end && end_time > start_time)
    sg_profile_builder_set_duration_ns (builder, MIN (end_time - start_time, G_GINT64_CONSTANT (1) << 50) * 1000);
  return sg_profile_builder_end (builder, error);
}
