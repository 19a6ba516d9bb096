/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cProfile/pstats files (pstats.Stats.dump_stats(), which Werkzeug's
 * ProfilerMiddleware and `python -m cProfile -o` call) are a marshalled dict
 *
 *   (file, line, name) → (primitive calls, calls, tottime, cumtime,
 *                          {caller key → (calls, primitive, tottime, cumtime)})
 *
 * a call graph with per-edge times, not stacks.  It becomes a call tree by
 * apportioning (see "cProfile files" in app/core/README.md):
 *
 *  - every function without callers is a root and gets its cumtime;
 *  - a tree node for function f that was given time T hands f's tottime and
 *    each callee edge's cumtime to its children in proportion T / cumtime(f):
 *    self T·tt/ct, child c T·ct(f→c)/ct;
 *  - a callee already on the path (recursion) is not descended into: its
 *    time is inside f's cumtime already.
 *
 * Self times are then scaled per function so that they add up to pstats'
 * tottime exactly (in integer nanoseconds), and call counts (a second
 * value type, "calls") likewise to ncalls; a function the walk never
 * reached (a cycle without an entry, or pruned) keeps its tottime as a root.
 * So flat totals equal pstats' always; cumulative totals equal pstats' for
 * non-recursive functions.  The walk is bounded: 1M tree nodes (and eight
 * per input byte), depth 256,
 * branches worth under a nanosecond or 10⁻⁷ of the total are dropped.
 */
#include "sg-import-private.h"

#include <math.h>
#include <string.h>

#include "sg-marshal-private.h"
#include "sg-profile-builder.h"

#define MAX_PATHS  (1u << 20)
#define MAX_DEPTH  256
#define MIN_TIME   1e-9

typedef struct
{
  guint   frame;
  double  tt;
  double  ct;
  gint64  calls;
  guint32 first_edge;   /* into callees, after sorting */
  guint32 n_edges;
  gboolean has_caller;
} Func;

typedef struct
{
  guint32 caller;
  guint32 callee;
  double  ct;
} Edge;

typedef struct
{
  guint32 parent;
  guint32 func;
} Path;

typedef struct
{
  guint32 path;
  double  share;         /* of the function's inclusive time on this path */
} Part;

typedef struct
{
  Func   *funcs;
  Edge   *edges;        /* sorted by caller */
  guint  *on_path;
  GArray *paths;
  GArray *parts;
  double  min_time;     /* branches below this are invisible: not walked */
  guint   max_paths;    /* tree nodes, bounded by the input's size too */
} Walk;

static gboolean
number (const SgMarshalNode *node,
        double              *out)
{
  if (node->type == SG_MARSHAL_FLOAT)
    *out = node->v.d;
  else if (node->type == SG_MARSHAL_INT)
    *out = (double) node->v.i;
  else
    return FALSE;
  return isfinite (*out);
}

static gboolean
is_tuple (const SgMarshalNode *node,
          guint                n)
{
  return node->type == SG_MARSHAL_TUPLE && node->n_children == n;
}

/* "(file, line, name)" → a lookup key and, optionally, its parts. */
static char *
key_of (const SgMarshal      *m,
        const SgMarshalNode  *key,
        const char          **file,
        gsize                *file_len,
        gint64               *line,
        const char          **name,
        gsize                *name_len)
{
  const SgMarshalNode *f, *l, *n;

  if (!is_tuple (key, 3))
    return NULL;
  f = sg_marshal_node (m, sg_marshal_child (m, key, 0));
  l = sg_marshal_node (m, sg_marshal_child (m, key, 1));
  n = sg_marshal_node (m, sg_marshal_child (m, key, 2));
  if (f->type != SG_MARSHAL_STRING || l->type != SG_MARSHAL_INT || n->type != SG_MARSHAL_STRING)
    return NULL;
  if (file)
    {
      *file = (const char *) m->data + f->v.offset;
      *file_len = f->n_children;
      *line = l->v.i;
      *name = (const char *) m->data + n->v.offset;
      *name_len = n->n_children;
    }
  return g_strdup_printf ("%.*s\x1f%" G_GINT64_FORMAT "\x1f%.*s",
                          (int) f->n_children, (const char *) m->data + f->v.offset,
                          l->v.i,
                          (int) n->n_children, (const char *) m->data + n->v.offset);
}

static guint
intern_function (SgProfileBuilder *builder,
                 const char       *file,
                 gsize             file_len,
                 gint64            line,
                 const char       *name,
                 gsize             name_len)
{
  g_autofree char *f = g_strndup (file, file_len);
  g_autofree char *n = g_strndup (name, name_len);
  g_autofree char *fixed_f = NULL;
  g_autofree char *fixed_n = NULL;

  /* pstats writes built-ins as file "~", line 0. */
  return sg_profile_builder_intern_frame (builder,
                                          n[0] ? sg_import_valid_utf8 (n, -1, &fixed_n) : "(unnamed)",
                                          strcmp (f, "~") == 0 || f[0] == '\0' ? NULL
                                                                               : sg_import_valid_utf8 (f, -1, &fixed_f),
                                          line > 0 && line < G_MAXINT32 ? line : 0, NULL);
}

static void
walk (Walk    *w,
      guint32  f,
      double   t,
      guint32  parent,
      guint    depth)
{
  const Func *func = &w->funcs[f];
  Path path = { parent, f };
  guint32 here;
  double share;

  if (w->paths->len >= w->max_paths || depth >= MAX_DEPTH)
    return;
  here = w->paths->len;
  g_array_append_val (w->paths, path);
  share = func->ct > 0 ? t / func->ct : 0;
  if (share > 0)
    {
      Part part = { here, share };
      g_array_append_val (w->parts, part);
    }

  w->on_path[f]++;
  for (guint32 e = func->first_edge; e < func->first_edge + func->n_edges; e++)
    {
      const Edge *edge = &w->edges[e];
      double tc = share * edge->ct;

      if (w->paths->len >= w->max_paths)
        break;
      if (w->on_path[edge->callee] || !(tc >= w->min_time))
        continue;
      walk (w, edge->callee, tc, here, depth + 1);
    }
  w->on_path[f]--;
}

static int
compare_edges (gconstpointer a,
               gconstpointer b)
{
  const Edge *x = a, *y = b;

  if (x->caller != y->caller)
    return x->caller < y->caller ? -1 : 1;
  /* Heaviest callee first, so a capped walk keeps what matters. */
  return x->ct > y->ct ? -1 : x->ct < y->ct;
}

static int
compare_parts_by_func (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  const Path *paths = user_data;
  const Part *x = a, *y = b;
  guint32 fx = paths[x->path].func, fy = paths[y->path].func;

  if (fx != fy)
    return fx < fy ? -1 : 1;
  return x->path < y->path ? -1 : x->path > y->path;
}

static gboolean
fail (GError     **error,
      const char  *file,
      guint        entry,
      const char  *what)
{
  g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_INVALID,
               "%s: stats entry %u: %s", file, entry, what);
  return FALSE;
}

SgProfile *
sg_import_pstats (const char    *file,
                  const guint8  *data,
                  gsize          len,
                  GError       **error)
{
  g_autoptr(SgProfileBuilder) builder = NULL;
  g_autoptr(GHashTable) by_key = NULL;
  g_autoptr(GArray) edges = NULL;
  g_autofree Func *funcs = NULL;
  g_autofree guint *on_path = NULL;
  g_autofree guint32 *bnodes = NULL;
  g_autoptr(GArray) paths = NULL;
  g_autoptr(GArray) parts = NULL;
  const SgMarshalNode *root;
  SgMarshal m;
  guint n_funcs;
  Walk w;

  file = file ? file : "(data)";
  if (!sg_marshal_parse (&m, file, data, len, error))
    return NULL;
  root = sg_marshal_node (&m, m.nodes->len - 1);
  if (root->type != SG_MARSHAL_DICT)
    {
      g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_INVALID,
                   "%s: byte 0: not a pstats file (the top-level object is not a dict)", file);
      sg_marshal_clear (&m);
      return NULL;
    }

  builder = sg_profile_builder_new ();
  sg_profile_builder_add_value_type (builder, "wall", "nanoseconds");
  /* pstats' ncalls, recursive calls included: flat calls are exact too. */
  sg_profile_builder_add_value_type (builder, "calls", "count");
  sg_profile_builder_set_profile_type (builder, "wall");
  n_funcs = root->n_children / 2;
  funcs = g_new0 (Func, MAX (n_funcs, 1));
  by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  edges = g_array_new (FALSE, FALSE, sizeof (Edge));

  /* Pass 1: functions. */
  for (guint i = 0; i < n_funcs; i++)
    {
      const SgMarshalNode *key = sg_marshal_node (&m, sg_marshal_child (&m, root, 2 * i));
      const SgMarshalNode *value = sg_marshal_node (&m, sg_marshal_child (&m, root, 2 * i + 1));
      const char *fname, *name;
      gsize fname_len, name_len;
      gint64 line;
      char *k = key_of (&m, key, &fname, &fname_len, &line, &name, &name_len);
      const SgMarshalNode *nc;

      if (k == NULL)
        {
          sg_marshal_clear (&m);
          fail (error, file, i, "the key is not a (file, line, name) tuple");
          return NULL;
        }
      if (!g_hash_table_insert (by_key, k, GUINT_TO_POINTER (i)))
        {
          sg_marshal_clear (&m);
          fail (error, file, i, "the same function appears twice");
          return NULL;
        }
      if (!is_tuple (value, 5) ||
          !number (sg_marshal_node (&m, sg_marshal_child (&m, value, 2)), &funcs[i].tt) ||
          !number (sg_marshal_node (&m, sg_marshal_child (&m, value, 3)), &funcs[i].ct) ||
          (nc = sg_marshal_node (&m, sg_marshal_child (&m, value, 1)))->type != SG_MARSHAL_INT ||
          sg_marshal_node (&m, sg_marshal_child (&m, value, 4))->type != SG_MARSHAL_DICT)
        {
          sg_marshal_clear (&m);
          fail (error, file, i, "the value is not a (calls, calls, tottime, cumtime, callers) tuple");
          return NULL;
        }
      funcs[i].tt = MAX (funcs[i].tt, 0);
      funcs[i].ct = MAX (funcs[i].ct, 0);
      funcs[i].calls = nc->v.i;
      funcs[i].frame = intern_function (builder, fname, fname_len, line, name, name_len);
    }

  /* Pass 2: caller edges, which need every key known. */
  for (guint i = 0; i < n_funcs; i++)
    {
      const SgMarshalNode *value = sg_marshal_node (&m, sg_marshal_child (&m, root, 2 * i + 1));
      const SgMarshalNode *callers = sg_marshal_node (&m, sg_marshal_child (&m, value, 4));

      for (guint j = 0; j < callers->n_children / 2; j++)
        {
          const SgMarshalNode *ckey = sg_marshal_node (&m, sg_marshal_child (&m, callers, 2 * j));
          const SgMarshalNode *cval = sg_marshal_node (&m, sg_marshal_child (&m, callers, 2 * j + 1));
          g_autofree char *k = key_of (&m, ckey, NULL, NULL, NULL, NULL, NULL);
          gpointer caller;
          Edge edge = { 0, i, 0 };

          if (k == NULL)
            {
              sg_marshal_clear (&m);
              fail (error, file, i, "a caller key is not a (file, line, name) tuple");
              return NULL;
            }
          if (is_tuple (cval, 4))
            {
              if (!number (sg_marshal_node (&m, sg_marshal_child (&m, cval, 3)), &edge.ct))
                {
                  sg_marshal_clear (&m);
                  fail (error, file, i, "a caller's cumtime is not a number");
                  return NULL;
                }
            }
          else if (cval->type == SG_MARSHAL_INT)
            /* The pure-Python `profile` module stores only call counts per caller. */
            edge.ct = funcs[i].calls > 0 ? funcs[i].ct * (double) cval->v.i / (double) funcs[i].calls : 0;
          else
            {
              sg_marshal_clear (&m);
              fail (error, file, i, "a caller's value is neither a 4-tuple nor a count");
              return NULL;
            }
          edge.ct = MAX (edge.ct, 0);
          /* A caller outside the stats (merged or filtered files) cannot be walked from. */
          if (!g_hash_table_lookup_extended (by_key, k, NULL, &caller))
            continue;
          edge.caller = GPOINTER_TO_UINT (caller);
          funcs[i].has_caller = edge.caller != i || funcs[i].has_caller;
          if (edge.caller != i)
            g_array_append_val (edges, edge);
        }
    }
  sg_marshal_clear (&m);

  g_array_sort (edges, compare_edges);
  for (guint e = edges->len; e > 0; e--)
    {
      Func *caller = &funcs[g_array_index (edges, Edge, e - 1).caller];
      caller->first_edge = e - 1;
      caller->n_edges++;
    }

  paths = g_array_new (FALSE, FALSE, sizeof (Path));
  parts = g_array_new (FALSE, FALSE, sizeof (Part));
  on_path = g_new0 (guint, MAX (n_funcs, 1));
  /* A call graph can have exponentially many paths: a small file must not
   * become a huge tree.  Real files need far fewer (690 for 23 KB). */
  w = (Walk) { funcs, (Edge *) (gpointer) edges->data, on_path, paths, parts, MIN_TIME,
               (guint) MIN ((gsize) MAX_PATHS, MAX (len * 8, (gsize) 4096)) };
  {
    double roots = 0;
    for (guint i = 0; i < n_funcs; i++)
      if (!funcs[i].has_caller)
        roots += funcs[i].ct;
    /* Under 10⁻⁷ of the whole no flame graph can show it. */
    w.min_time = MAX (MIN_TIME, roots * 1e-7);
  }
  for (guint i = 0; i < n_funcs; i++)
    if (!funcs[i].has_caller)
      walk (&w, i, funcs[i].ct, G_MAXUINT32, 0);

  /* Builder nodes for the paths: parents always come first. */
  bnodes = g_new (guint32, MAX (paths->len, 1));
  for (guint p = 0; p < paths->len; p++)
    {
      const Path *path = &g_array_index (paths, Path, p);
      bnodes[p] = sg_profile_builder_intern_child (builder,
                                                   path->parent == G_MAXUINT32 ? SG_PROFILE_BUILDER_ROOT
                                                                               : bnodes[path->parent],
                                                   funcs[path->func].frame);
    }

  /* Per function, split tottime (as integer nanoseconds, llround(tottime ·
   * 10⁹) exactly) and the call count over its paths by their shares. */
  g_array_sort_with_data (parts, compare_parts_by_func, paths->data);
  {
    g_autofree gint64 *values = g_new (gint64, 2 * MAX (parts->len, 1));
    guint p = 0;

    for (guint f = 0; f < n_funcs; f++)
      {
        gint64 target[2] = { (gint64) llround (MIN (funcs[f].tt, 1e9) * 1e9), MAX (funcs[f].calls, 0) };
        guint begin = p, end;
        double sum = 0;

        while (p < parts->len && g_array_index (paths, Path, g_array_index (parts, Part, p).path).func == f)
          sum += g_array_index (parts, Part, p++).share;
        end = p;

        if (end == begin || !(sum > 0))
          {
            /* Never reached (or too small to walk to): a root of its own. */
            if (target[0] > 0 || target[1] > 0)
              {
                guint node = sg_profile_builder_intern_child (builder, SG_PROFILE_BUILDER_ROOT, funcs[f].frame);
                sg_profile_builder_add_sample_at_node (builder, node, target, -1, 0);
              }
            continue;
          }
        /* Cumulative rounding: each part is within one unit of its exact
         * share and the last boundary is the target itself. */
        for (guint v = 0; v < 2; v++)
          {
            double acc = 0;
            gint64 given = 0;

            for (guint i = begin; i < end; i++)
              {
                gint64 boundary;

                acc += g_array_index (parts, Part, i).share;
                boundary = i + 1 == end ? target[v]
                                        : (gint64) llround ((double) target[v] * MIN (acc / sum, 1.0));
                boundary = CLAMP (boundary, given, target[v]);
                values[2 * i + v] = boundary - given;
                given = boundary;
              }
          }
        for (guint i = begin; i < end; i++)
          if (values[2 * i] > 0 || values[2 * i + 1] > 0)
            sg_profile_builder_add_sample_at_node (builder, bnodes[g_array_index (parts, Part, i).path],
                                                   &values[2 * i], -1, 0);
      }
  }

  if (n_funcs == 0)
    {
      g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_EMPTY, "%s: the stats hold no functions", file);
      return NULL;
    }
  return sg_profile_builder_end (builder, error);
}
