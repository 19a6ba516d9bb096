/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * Flame graph layout.  Both modes write boxes into one array per row and
 * then concatenate the rows, fixing up parent indices, so the result is
 * sorted by (row, x) without a sort.
 *
 * Merged mode walks the call tree depth first with an explicit stack,
 * visiting children left to right; a pre-order walk reaches the nodes of
 * any one row in increasing x, so each row is appended already sorted.
 *
 * Time-order mode keeps the open box of every depth while it walks the
 * samples in timestamp order: a sample whose stack shares the first k
 * nodes with the previous one extends those k boxes and opens new ones
 * below.  Call-tree nodes encode their whole path, so comparing node ids
 * depth by depth compares stack prefixes.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "sg-flame-layout.h"

struct _SgFlameLayout
{
  gatomicrefcount  ref_count;
  SgProfile       *profile;
  guint            value_index;
  SgFlameMode      mode;
  gint64           total;
  SgFlameBox      *boxes;
  guint            n_boxes;
  guint            n_rows;
  guint           *row_start;   /* n_rows + 1 entries */
  guint32         *node_to_box; /* n_nodes entries */
  guint            n_nodes;
};

G_DEFINE_BOXED_TYPE (SgFlameLayout, sg_flame_layout, sg_flame_layout_ref, sg_flame_layout_unref)

/* Rows are built as GArrays of SgFlameBox with row-local parent indices. */
static GArray *
row_array (GPtrArray *rows,
           guint      depth)
{
  while (rows->len <= depth)
    g_ptr_array_add (rows, g_array_new (FALSE, FALSE, sizeof (SgFlameBox)));
  return g_ptr_array_index (rows, depth);
}

static void
concatenate_rows (SgFlameLayout *self,
                  GPtrArray     *rows)
{
  guint n = 0;

  for (guint r = 0; r < rows->len; r++)
    n += ((GArray *) g_ptr_array_index (rows, r))->len;

  self->n_rows = rows->len;
  self->n_boxes = n;
  self->boxes = g_new (SgFlameBox, MAX (n, 1));
  self->row_start = g_new0 (guint, rows->len + 1);

  n = 0;
  for (guint r = 0; r < rows->len; r++)
    {
      GArray *row = g_ptr_array_index (rows, r);

      self->row_start[r] = n;
      memcpy (self->boxes + n, row->data, row->len * sizeof (SgFlameBox));
      for (guint i = 0; i < row->len; i++)
        {
          SgFlameBox *box = &self->boxes[n + i];

          if (box->parent != SG_FLAME_BOX_NONE)
            box->parent += self->row_start[r - 1];
        }
      n += row->len;
    }
  self->row_start[rows->len] = n;

  if (self->mode == SG_FLAME_MODE_MERGED)
    {
      const SgNode *nodes = sg_profile_get_nodes (self->profile);

      /* Merged layout stored row-local indices: one box per node group. */
      for (guint node = 0; node < self->n_nodes; node++)
        if (self->node_to_box[node] != SG_FLAME_BOX_NONE && nodes[node].depth < rows->len)
          self->node_to_box[node] += self->row_start[nodes[node].depth];
    }
  else
    {
      /* Backwards so that, in time order, the first box of a node wins. */
      for (guint i = self->n_boxes; i > 0; i--)
        self->node_to_box[self->boxes[i - 1].node] = i - 1;
    }
}

/* A box of the merged layout stands for a group of sibling call-tree
 * nodes with the same function and file: profiles keep one node per
 * line, but a flame graph reads best with one box per function (pprof's
 * default granularity).  Groups are slices of one pool of node ids; every
 * node lands in exactly one group, so the pool never outgrows the tree. */
typedef struct
{
  guint   pool_offset;
  guint   pool_len;
  guint32 parent_box;  /* row-local index in the parent's row */
  gint64  start;
  gint64  width;
} WalkItem;

typedef struct
{
  guint32 key_function;
  guint32 key_file;
  guint32 node;
} Child;

typedef struct
{
  guint   offset;   /* into the children array */
  guint   len;
  gint64  width;
  guint32 first_node;
} Group;

static int
compare_children (gconstpointer a,
                  gconstpointer b)
{
  const Child *ca = a, *cb = b;

  if (ca->key_function != cb->key_function)
    return ca->key_function < cb->key_function ? -1 : 1;
  if (ca->key_file != cb->key_file)
    return ca->key_file < cb->key_file ? -1 : 1;
  return ca->node < cb->node ? -1 : ca->node > cb->node;
}

static int
compare_groups_heaviest (gconstpointer a,
                         gconstpointer b)
{
  const Group *ga = a, *gb = b;

  if (ga->width != gb->width)
    return ga->width > gb->width ? -1 : 1;
  /* Ties keep the profile's (name) order: stable across runs. */
  return ga->first_node < gb->first_node ? -1 : ga->first_node > gb->first_node;
}

static int
compare_groups_by_node (gconstpointer a,
                        gconstpointer b)
{
  const Group *ga = a, *gb = b;

  return ga->first_node < gb->first_node ? -1 : ga->first_node > gb->first_node;
}

static gboolean
layout_merged (SgFlameLayout  *self,
               SgFlameSort     sort,
               GPtrArray      *rows,
               GCancellable   *cancellable,
               GError        **error)
{
  const SgNode *nodes = sg_profile_get_nodes (self->profile);
  const SgFrame *frames = sg_profile_get_frames (self->profile);
  guint n_frames = sg_profile_get_n_frames (self->profile);
  const gint64 *total = sg_profile_get_node_total (self->profile, self->value_index);
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (WalkItem));
  g_autoptr(GArray) children = g_array_new (FALSE, FALSE, sizeof (Child));
  g_autoptr(GArray) groups = g_array_new (FALSE, FALSE, sizeof (Group));
  g_autofree guint32 *pool = NULL;
  guint pool_len = 0;
  guint visited = 0;

  if (self->n_nodes == 0 || total[SG_NODE_ROOT] <= 0)
    return TRUE;

  pool = g_new (guint32, self->n_nodes);
  self->total = total[SG_NODE_ROOT];
  pool[pool_len++] = SG_NODE_ROOT;
  g_array_append_val (stack, ((WalkItem) { 0, 1, SG_FLAME_BOX_NONE, 0, total[SG_NODE_ROOT] }));

  while (stack->len > 0)
    {
      WalkItem item = g_array_index (stack, WalkItem, stack->len - 1);
      guint32 first = pool[item.pool_offset];
      const SgNode *node = &nodes[first];
      GArray *row = row_array (rows, node->depth);
      guint32 box_index = row->len;
      gint64 start;

      g_array_set_size (stack, stack->len - 1);
      g_array_append_val (row, ((SgFlameBox) {
        .start = item.start,
        .width = item.width,
        .node = first,
        .parent = item.parent_box,
        .frame = node->frame,
        .depth = node->depth,
        .merged = item.pool_len > 1,
      }));
      /* Row-local for now; concatenate_rows() makes it global. */
      for (guint i = 0; i < item.pool_len; i++)
        self->node_to_box[pool[item.pool_offset + i]] = box_index;

      if ((++visited & 0xffff) == 0 &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      /* Children of every node of the group, grouped by function and file. */
      g_array_set_size (children, 0);
      for (guint i = 0; i < item.pool_len; i++)
        for (guint32 c = nodes[pool[item.pool_offset + i]].first_child;
             c != SG_NODE_NONE;
             c = nodes[c].next_sibling)
          {
            guint32 f = nodes[c].frame;
            Child child = { G_MAXUINT32, G_MAXUINT32, c };

            if (total[c] <= 0)
              continue;
            if (f < n_frames)
              {
                child.key_function = frames[f].function;
                child.key_file = frames[f].file;
              }
            g_array_append_val (children, child);
          }
      if (children->len == 0)
        continue;
      if (children->len > 1)
        qsort (children->data, children->len, sizeof (Child), compare_children);

      g_array_set_size (groups, 0);
      for (guint i = 0; i < children->len; i++)
        {
          const Child *c = &g_array_index (children, Child, i);
          Group *g = groups->len > 0 ? &g_array_index (groups, Group, groups->len - 1) : NULL;

          if (g == NULL || c->key_function == G_MAXUINT32 ||
              c->key_function != g_array_index (children, Child, g->offset).key_function ||
              c->key_file != g_array_index (children, Child, g->offset).key_file)
            {
              g_array_append_val (groups, ((Group) { i, 0, 0, c->node }));
              g = &g_array_index (groups, Group, groups->len - 1);
            }
          g->len++;
          g->width += total[c->node];
          g->first_node = MIN (g->first_node, c->node);
        }
      if (groups->len > 1)
        qsort (groups->data, groups->len, sizeof (Group),
               sort == SG_FLAME_SORT_HEAVIEST ? compare_groups_heaviest : compare_groups_by_node);

      /* Push right to left so the leftmost group is popped first. */
      start = item.start;
      for (guint i = 0; i < groups->len; i++)
        start += g_array_index (groups, Group, i).width;
      for (guint i = groups->len; i > 0; i--)
        {
          const Group *g = &g_array_index (groups, Group, i - 1);
          guint offset = pool_len;

          for (guint k = 0; k < g->len; k++)
            pool[pool_len++] = g_array_index (children, Child, g->offset + k).node;
          start -= g->width;
          g_array_append_val (stack, ((WalkItem) { offset, g->len, box_index, start, g->width }));
        }
    }

  return TRUE;
}

/* Samples are sorted by time; a stable sort by thread keeps that order
 * inside each thread, so the flame chart shows one lane per thread, side
 * by side, instead of interleaving threads sample by sample. */
typedef struct
{
  const SgSample *samples;
} ThreadOrder;

static int
compare_thread (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const SgSample *samples = ((ThreadOrder *) user_data)->samples;
  guint32 ia = *(const guint32 *) a, ib = *(const guint32 *) b;
  guint32 ta = samples[ia].thread, tb = samples[ib].thread;

  if (ta != tb)
    return ta < tb ? -1 : 1;
  return ia < ib ? -1 : ia > ib;
}

static guint32 *
thread_order (const SgSample *samples,
              guint           n_samples)
{
  guint32 *order = g_new (guint32, MAX (n_samples, 1));
  ThreadOrder ctx = { samples };
  gboolean threaded = FALSE;

  for (guint i = 0; i < n_samples; i++)
    {
      order[i] = i;
      threaded |= samples[i].thread != samples[0].thread;
    }
  if (threaded)
    g_qsort_with_data (order, n_samples, sizeof (guint32), compare_thread, &ctx);
  return order;
}

static gboolean
same_function (const SgFrame *frames,
               guint          n_frames,
               guint32        a,
               guint32        b)
{
  if (a >= n_frames || b >= n_frames)
    return a == b;
  return frames[a].function == frames[b].function && frames[a].file == frames[b].file;
}

static gboolean
layout_time_order (SgFlameLayout  *self,
                   GPtrArray      *rows,
                   GCancellable   *cancellable,
                   GError        **error)
{
  const SgNode *nodes = sg_profile_get_nodes (self->profile);
  const SgFrame *frames = sg_profile_get_frames (self->profile);
  guint n_frames = sg_profile_get_n_frames (self->profile);
  const SgSample *samples = sg_profile_get_samples (self->profile);
  guint n_samples = sg_profile_get_n_samples (self->profile);
  guint max_depth = sg_profile_get_max_depth (self->profile);
  g_autofree guint32 *path = g_new (guint32, max_depth + 1);
  g_autofree guint32 *open = g_new (guint32, max_depth + 1);   /* row-local box index */
  guint open_depth = 0;  /* rows 0..open_depth-1 have an open box */
  gint64 cursor = 0;

  g_autofree guint32 *order = thread_order (samples, n_samples);
  guint32 thread = G_MAXUINT32;

  for (guint k = 0; k < n_samples; k++)
    {
      guint s = order[k];
      const SgSample *sample = &samples[s];
      gint64 value = sg_profile_get_sample_values (self->profile, s)[self->value_index];
      guint depth;
      guint keep;

      if ((k & 0xffff) == 0xffff &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (value <= 0 || sample->node >= self->n_nodes)
        continue;

      /* A new thread's lane starts: nothing but the root continues. */
      if (sample->thread != thread)
        {
          thread = sample->thread;
          open_depth = MIN (open_depth, 1);
        }

      depth = nodes[sample->node].depth;
      for (guint32 n = sample->node; n != SG_NODE_NONE; n = nodes[n].parent)
        path[nodes[n].depth] = n;

      /* How many of the open boxes this sample continues: the same
       * functions (and files) from the root down, whatever the lines. */
      for (keep = 0; keep < open_depth && keep <= depth; keep++)
        {
          GArray *row = g_ptr_array_index (rows, keep);
          SgFlameBox *box = &g_array_index (row, SgFlameBox, open[keep]);

          if (box->node == path[keep])
            continue;
          if (!same_function (frames, n_frames, box->frame, nodes[path[keep]].frame))
            break;
          box->merged = TRUE;
        }

      for (guint d = keep; d <= depth; d++)
        {
          GArray *row = row_array (rows, d);

          open[d] = row->len;
          g_array_append_val (row, ((SgFlameBox) {
            .start = cursor,
            .width = 0,
            .node = path[d],
            .parent = d == 0 ? SG_FLAME_BOX_NONE : open[d - 1],
            .frame = nodes[path[d]].frame,
            .depth = d,
          }));
        }
      open_depth = depth + 1;

      for (guint d = 0; d <= depth; d++)
        {
          GArray *row = g_ptr_array_index (rows, d);

          g_array_index (row, SgFlameBox, open[d]).width += value;
        }
      cursor += value;
    }

  self->total = cursor;
  return TRUE;
}

SgFlameLayout *
sg_flame_layout_new (SgProfile      *profile,
                     guint           value_index,
                     SgFlameMode     mode,
                     SgFlameSort     sort,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_autoptr(SgFlameLayout) self = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gboolean ok;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (value_index < sg_profile_get_n_value_types (profile), NULL);

  self = g_new0 (SgFlameLayout, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->profile = sg_profile_ref (profile);
  self->value_index = value_index;
  self->mode = mode;
  self->n_nodes = sg_profile_get_n_nodes (profile);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  self->node_to_box = g_new (guint32, MAX (self->n_nodes, 1));
  memset (self->node_to_box, 0xff, sizeof (guint32) * MAX (self->n_nodes, 1));

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  if (mode == SG_FLAME_MODE_TIME_ORDER)
    ok = layout_time_order (self, rows, cancellable, error);
  else
    ok = layout_merged (self, sort, rows, cancellable, error);
  if (!ok)
    return NULL;

  concatenate_rows (self, rows);
  return g_steal_pointer (&self);
}

typedef struct
{
  SgProfile   *profile;
  guint        value_index;
  SgFlameMode  mode;
  SgFlameSort  sort;
} NewTaskData;

static void
new_task_data_free (NewTaskData *data)
{
  sg_profile_unref (data->profile);
  g_free (data);
}

static void
new_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  NewTaskData *data = task_data;
  GError *error = NULL;
  SgFlameLayout *layout;

  layout = sg_flame_layout_new (data->profile, data->value_index, data->mode, data->sort,
                                cancellable, &error);
  if (layout == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, layout, (GDestroyNotify) sg_flame_layout_unref);
}

/**
 * sg_flame_layout_new_async:
 *
 * Lays out @profile on a worker thread.
 */
void
sg_flame_layout_new_async (SgProfile           *profile,
                           guint                value_index,
                           SgFlameMode          mode,
                           SgFlameSort          sort,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  NewTaskData *data;

  g_return_if_fail (profile != NULL);

  data = g_new0 (NewTaskData, 1);
  data->profile = sg_profile_ref (profile);
  data->value_index = value_index;
  data->mode = mode;
  data->sort = sort;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sg_flame_layout_new_async);
  g_task_set_task_data (task, data, (GDestroyNotify) new_task_data_free);
  g_task_run_in_thread (task, new_thread);
}

SgFlameLayout *
sg_flame_layout_new_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

SgFlameLayout *
sg_flame_layout_ref (SgFlameLayout *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
sg_flame_layout_unref (SgFlameLayout *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->profile, sg_profile_unref);
  g_free (self->boxes);
  g_free (self->row_start);
  g_free (self->node_to_box);
  g_free (self);
}

SgProfile *
sg_flame_layout_get_profile (SgFlameLayout *self)
{
  return self->profile;
}

guint
sg_flame_layout_get_value_index (SgFlameLayout *self)
{
  return self->value_index;
}

SgFlameMode
sg_flame_layout_get_mode (SgFlameLayout *self)
{
  return self->mode;
}

gint64
sg_flame_layout_get_total (SgFlameLayout *self)
{
  return self->total;
}

const SgFlameBox *
sg_flame_layout_get_boxes (SgFlameLayout *self,
                           guint         *n_boxes)
{
  if (n_boxes)
    *n_boxes = self->n_boxes;
  return self->boxes;
}

guint
sg_flame_layout_get_n_rows (SgFlameLayout *self)
{
  return self->n_rows;
}

void
sg_flame_layout_get_row (SgFlameLayout *self,
                         guint          row,
                         guint         *first,
                         guint         *n)
{
  if (row >= self->n_rows)
    {
      *first = self->n_boxes;
      *n = 0;
      return;
    }
  *first = self->row_start[row];
  *n = self->row_start[row + 1] - self->row_start[row];
}

gsize
sg_flame_layout_get_memory_size (SgFlameLayout *self)
{
  return sizeof *self
         + sizeof (SgFlameBox) * self->n_boxes
         + sizeof (guint) * (self->n_rows + 1)
         + sizeof (guint32) * self->n_nodes;
}

/* Index of the last box in [lo, hi) whose start is <= x, or lo - 1. */
static gint64
last_start_at_or_before (SgFlameLayout *self,
                         guint          lo,
                         guint          hi,
                         double         x)
{
  gint64 l = lo, h = (gint64) hi - 1, found = (gint64) lo - 1;

  while (l <= h)
    {
      gint64 mid = l + (h - l) / 2;

      if ((double) self->boxes[mid].start <= x)
        {
          found = mid;
          l = mid + 1;
        }
      else
        h = mid - 1;
    }
  return found;
}

guint
sg_flame_layout_hit_test (SgFlameLayout *self,
                          guint          row,
                          double         x)
{
  gint64 i;

  if (row >= self->n_rows)
    return SG_FLAME_BOX_NONE;

  i = last_start_at_or_before (self, self->row_start[row], self->row_start[row + 1], x);
  if (i < (gint64) self->row_start[row])
    return SG_FLAME_BOX_NONE;
  if (x >= (double) (self->boxes[i].start + self->boxes[i].width))
    return SG_FLAME_BOX_NONE;
  return (guint) i;
}

guint
sg_flame_layout_row_lower_bound (SgFlameLayout *self,
                                 guint          row,
                                 double         x)
{
  guint lo, hi;

  if (row >= self->n_rows)
    return self->n_boxes;

  /* Boxes of a row do not overlap, so their ends are sorted too. */
  lo = self->row_start[row];
  hi = self->row_start[row + 1];
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if ((double) (self->boxes[mid].start + self->boxes[mid].width) <= x)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

guint
sg_flame_layout_find_node (SgFlameLayout *self,
                           guint32        node)
{
  if (node >= self->n_nodes)
    return SG_FLAME_BOX_NONE;
  return self->node_to_box[node];
}

guint
sg_flame_layout_get_first_child (SgFlameLayout *self,
                                 guint          box)
{
  const SgFlameBox *b;
  guint row, lo, hi;
  gint64 i;

  if (box >= self->n_boxes)
    return SG_FLAME_BOX_NONE;
  b = &self->boxes[box];
  row = b->depth + 1;
  if (row >= self->n_rows)
    return SG_FLAME_BOX_NONE;

  lo = self->row_start[row];
  hi = self->row_start[row + 1];
  /* Children start at or after the parent's start: the first box whose
   * start is >= b->start is the candidate. */
  i = last_start_at_or_before (self, lo, hi, (double) b->start - 0.5) + 1;
  if (i < (gint64) hi && self->boxes[i].parent == box)
    return (guint) i;
  return SG_FLAME_BOX_NONE;
}

gint64
sg_flame_layout_get_box_self (SgFlameLayout *self,
                              guint          box)
{
  gint64 value;

  g_return_val_if_fail (box < self->n_boxes, 0);

  value = self->boxes[box].width;
  for (guint c = sg_flame_layout_get_first_child (self, box);
       c != SG_FLAME_BOX_NONE && c < self->n_boxes && self->boxes[c].parent == box;
       c++)
    value -= self->boxes[c].width;
  return value;
}

guint
sg_flame_layout_get_prev_in_row (SgFlameLayout *self,
                                 guint          box)
{
  if (box >= self->n_boxes || box == self->row_start[self->boxes[box].depth])
    return SG_FLAME_BOX_NONE;
  return box - 1;
}

guint
sg_flame_layout_get_next_in_row (SgFlameLayout *self,
                                 guint          box)
{
  if (box >= self->n_boxes || box + 1 >= self->row_start[self->boxes[box].depth + 1])
    return SG_FLAME_BOX_NONE;
  return box + 1;
}

SgFlameView
sg_flame_layout_view_for_box (SgFlameLayout *self,
                              guint          box)
{
  const SgFlameBox *b;

  if (box >= self->n_boxes || self->total <= 0)
    return (SgFlameView) { 0.0, 1.0 };
  b = &self->boxes[box];
  return (SgFlameView) {
    (double) b->start / (double) self->total,
    (double) (b->start + b->width) / (double) self->total,
  };
}

SgFlameView
sg_flame_view_lerp (SgFlameView from,
                    SgFlameView to,
                    double      t)
{
  t = CLAMP (t, 0.0, 1.0);
  return (SgFlameView) {
    from.x0 + (to.x0 - from.x0) * t,
    from.x1 + (to.x1 - from.x1) * t,
  };
}

void
sg_flame_view_box_to_pixels (SgFlameView       view,
                             gint64            total,
                             const SgFlameBox *box,
                             double            width,
                             double           *x,
                             double           *w)
{
  double scale = width / ((view.x1 - view.x0) * (double) MAX (total, 1));

  *x = ((double) box->start - view.x0 * (double) total) * scale;
  *w = (double) box->width * scale;
}

double
sg_flame_view_pixel_to_value (SgFlameView view,
                              gint64      total,
                              double      width,
                              double      px)
{
  return (view.x0 + (view.x1 - view.x0) * (px / MAX (width, 1.0))) * (double) total;
}

guint8 *
sg_flame_match_frames (SgProfile   *profile,
                       const char  *pattern,
                       gboolean     regex,
                       GError     **error)
{
  guint n_frames = sg_profile_get_n_frames (profile);
  const SgFrame *frames = sg_profile_get_frames (profile);
  guint n_strings = sg_profile_get_n_strings (profile);
  g_autofree guint8 *string_matches = NULL;
  g_autofree char *needle = NULL;
  g_autoptr(GRegex) re = NULL;
  guint8 *matches;

  g_return_val_if_fail (pattern != NULL, NULL);

  if (regex)
    {
      re = g_regex_new (pattern, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, error);
      if (re == NULL)
        return NULL;
    }
  else
    needle = g_utf8_casefold (pattern, -1);

  /* Match each distinct string once: many frames share a function or file. */
  string_matches = g_new0 (guint8, MAX (n_strings, 1));
  matches = g_new0 (guint8, MAX (n_frames, 1));
  for (guint f = 0; f < n_frames; f++)
    {
      guint32 ids[2] = { frames[f].function, frames[f].file };

      for (guint k = 0; k < G_N_ELEMENTS (ids); k++)
        {
          guint32 id = ids[k];

          if (id == 0 || id >= n_strings)
            continue;
          if (string_matches[id] == 0)
            {
              const char *s = sg_profile_get_string (profile, id);
              gboolean hit;

              if (re != NULL)
                hit = g_regex_match (re, s, 0, NULL);
              else
                {
                  g_autofree char *folded = g_utf8_casefold (s, -1);
                  hit = strstr (folded, needle) != NULL;
                }
              string_matches[id] = hit ? 2 : 1;
            }
          if (string_matches[id] == 2)
            matches[f] = 1;
        }
    }

  return matches;
}

guint8 *
sg_flame_match_function (SgProfile *profile,
                         guint32    function_id)
{
  guint n_frames = sg_profile_get_n_frames (profile);
  const SgFrame *frames = sg_profile_get_frames (profile);
  guint8 *matches = g_new0 (guint8, MAX (n_frames, 1));

  for (guint f = 0; f < n_frames; f++)
    matches[f] = frames[f].function == function_id;
  return matches;
}

gint64
sg_flame_layout_match (SgFlameLayout *self,
                       const guint8  *frame_matches,
                       guint8        *box_matches)
{
  guint n_frames = sg_profile_get_n_frames (self->profile);
  g_autofree guint8 *inside = g_new0 (guint8, MAX (self->n_boxes, 1));
  gint64 matched = 0;

  /* Parents come before children, so one pass knows whether an ancestor
   * already matched and the value is counted once. */
  for (guint i = 0; i < self->n_boxes; i++)
    {
      const SgFlameBox *b = &self->boxes[i];
      gboolean hit = b->frame < n_frames && frame_matches[b->frame];
      gboolean ancestor = b->parent != SG_FLAME_BOX_NONE && inside[b->parent];

      if (box_matches)
        box_matches[i] = hit;
      inside[i] = hit || ancestor;
      if (hit && !ancestor)
        matched += b->width;
    }

  return matched;
}

static char *
format_duration (double seconds)
{
  double a = ABS (seconds);

  if (a >= 3600.0)
    return g_strdup_printf ("%.2f h", seconds / 3600.0);
  if (a >= 60.0)
    return g_strdup_printf ("%.2f min", seconds / 60.0);
  if (a >= 1.0)
    return g_strdup_printf ("%.2f s", seconds);
  if (a >= 1e-3)
    return g_strdup_printf ("%.2f ms", seconds * 1e3);
  if (a >= 1e-6)
    return g_strdup_printf ("%.2f µs", seconds * 1e6);
  return g_strdup_printf ("%.0f ns", seconds * 1e9);
}

/* Thousands separators, locale-independent so tests are stable. */
static char *
format_count (gint64 value)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                             (guint64) (value < 0 ? -value : value));
  GString *s = g_string_new (value < 0 ? "-" : "");
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, digits[i]);
    }
  return g_string_free (s, FALSE);
}

char *
sg_flame_format_value (gint64      value,
                       const char *unit)
{
  static const struct { const char *unit; double to_seconds; } times[] = {
    { "nanoseconds", 1e-9 }, { "ns", 1e-9 },
    { "microseconds", 1e-6 }, { "us", 1e-6 },
    { "milliseconds", 1e-3 }, { "ms", 1e-3 },
    { "seconds", 1.0 }, { "s", 1.0 },
  };

  if (unit == NULL)
    unit = "";

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    if (g_str_equal (unit, times[i].unit))
      return format_duration ((double) value * times[i].to_seconds);

  if (g_str_equal (unit, "bytes"))
    {
      g_autofree char *size = g_format_size ((guint64) ABS (value));
      return value < 0 ? g_strconcat ("-", size, NULL) : g_steal_pointer (&size);
    }

  {
    g_autofree char *count = format_count (value);

    if (unit[0] == '\0' || g_str_equal (unit, "count"))
      return g_steal_pointer (&count);
    return g_strdup_printf ("%s %s", count, unit);
  }
}

char *
sg_flame_format_percent (gint64 part,
                         gint64 whole)
{
  double p;

  if (whole == 0)
    return g_strdup ("–");
  p = 100.0 * (double) part / (double) whole;
  if (p != 0.0 && ABS (p) < 0.1)
    return g_strdup_printf ("%.3f%%", p);
  return g_strdup_printf ("%.1f%%", p);
}
