/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sg-profile.h"

G_BEGIN_DECLS

/*
 * SgFlameLayout turns a profile into the boxes of a flame graph, once, off
 * the main thread.  It knows nothing of GTK: positions are in the profile's
 * value units (exact integers), rows are call depths, and the widget maps
 * them to pixels with an SgFlameView (the zoom window).
 *
 * Boxes are stored row by row (depth 0 first) and sorted by x inside a row,
 * so a row is a contiguous slice and hit-testing is a binary search.  A
 * parent always sits in an earlier row than its children.
 *
 * Merged mode: one box per function (and file) under each parent box:
 * sibling call-tree nodes that differ only in their line are drawn as one
 * box, as pprof and flamegraph.pl do; children start at their parent's
 * left edge, heaviest first (or by name).
 * Time-order mode (a flame chart): samples in timestamp order, each as wide
 * as its value, one lane per thread (threads side by side);
 * consecutive samples of a thread that share a stack prefix (by function
 * and file) share boxes, so a box is one uninterrupted stretch of time
 * spent in a function.
 */

#define SG_TYPE_FLAME_LAYOUT (sg_flame_layout_get_type ())
#define SG_FLAME_BOX_NONE    G_MAXUINT32

typedef struct _SgFlameLayout SgFlameLayout;

typedef enum
{
  SG_FLAME_MODE_MERGED,
  SG_FLAME_MODE_TIME_ORDER,
} SgFlameMode;

typedef enum
{
  SG_FLAME_SORT_HEAVIEST,  /* left-heavy: widest child first */
  SG_FLAME_SORT_NAME,      /* the profile's sibling order (flamegraph.pl) */
} SgFlameSort;

typedef struct
{
  gint64  start;   /* value units from the left edge of the whole graph */
  gint64  width;   /* value units; > 0 */
  guint32 node;    /* call-tree node */
  guint32 parent;  /* box index, SG_FLAME_BOX_NONE for the root */
  guint32 frame;   /* SG_FRAME_NONE for the root; the first of its group */
  guint32 depth : 31;  /* row */
  guint32 merged : 1;  /* stands for several lines of the function */
} SgFlameBox;

/* The visible window of the graph, as fractions of the whole width. */
typedef struct
{
  double x0;
  double x1;
} SgFlameView;

GType             sg_flame_layout_get_type        (void) G_GNUC_CONST;

SgFlameLayout    *sg_flame_layout_new             (SgProfile      *profile,
                                                   guint           value_index,
                                                   SgFlameMode     mode,
                                                   SgFlameSort     sort,
                                                   GCancellable   *cancellable,
                                                   GError        **error);
void              sg_flame_layout_new_async       (SgProfile      *profile,
                                                   guint           value_index,
                                                   SgFlameMode     mode,
                                                   SgFlameSort     sort,
                                                   GCancellable   *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer        user_data);
SgFlameLayout    *sg_flame_layout_new_finish      (GAsyncResult   *result,
                                                   GError        **error);

SgFlameLayout    *sg_flame_layout_ref             (SgFlameLayout  *self);
void              sg_flame_layout_unref           (SgFlameLayout  *self);

SgProfile        *sg_flame_layout_get_profile     (SgFlameLayout  *self);
guint             sg_flame_layout_get_value_index (SgFlameLayout  *self);
SgFlameMode       sg_flame_layout_get_mode        (SgFlameLayout  *self);
gint64            sg_flame_layout_get_total       (SgFlameLayout  *self);
const SgFlameBox *sg_flame_layout_get_boxes       (SgFlameLayout  *self,
                                                   guint          *n_boxes);
guint             sg_flame_layout_get_n_rows      (SgFlameLayout  *self);
/* Boxes of one row are [*first, *first + *n). */
void              sg_flame_layout_get_row         (SgFlameLayout  *self,
                                                   guint           row,
                                                   guint          *first,
                                                   guint          *n);
gsize             sg_flame_layout_get_memory_size (SgFlameLayout  *self);

/* The box of row @row under @x (value units), or SG_FLAME_BOX_NONE. */
guint             sg_flame_layout_hit_test        (SgFlameLayout  *self,
                                                   guint           row,
                                                   double          x);
/* The first box of row @row that ends after @x: where drawing a view
 * starting at @x begins. */
guint             sg_flame_layout_row_lower_bound (SgFlameLayout  *self,
                                                   guint           row,
                                                   double          x);
/* The box drawn for a call-tree node (its group's box; in time order the
 * first one). */
guint             sg_flame_layout_find_node       (SgFlameLayout  *self,
                                                   guint32         node);
/* Value of @box not spent in its children. */
gint64            sg_flame_layout_get_box_self    (SgFlameLayout  *self,
                                                   guint           box);
/* Neighbours for keyboard navigation; SG_FLAME_BOX_NONE when there is none. */
guint             sg_flame_layout_get_first_child (SgFlameLayout  *self,
                                                   guint           box);
guint             sg_flame_layout_get_prev_in_row (SgFlameLayout  *self,
                                                   guint           box);
guint             sg_flame_layout_get_next_in_row (SgFlameLayout  *self,
                                                   guint           box);

/* Zoom math. */
SgFlameView       sg_flame_layout_view_for_box    (SgFlameLayout  *self,
                                                   guint           box);
SgFlameView       sg_flame_view_lerp              (SgFlameView     from,
                                                   SgFlameView     to,
                                                   double          t);
/* Pixel span of a box in a view @width pixels wide. */
void              sg_flame_view_box_to_pixels     (SgFlameView     view,
                                                   gint64          total,
                                                   const SgFlameBox *box,
                                                   double          width,
                                                   double         *x,
                                                   double         *w);
double            sg_flame_view_pixel_to_value    (SgFlameView     view,
                                                   gint64          total,
                                                   double          width,
                                                   double          px);

/* Search.  Returns a byte per frame, 1 where the function name (or the
 * file) matches @pattern: a case-insensitive substring, or a regular
 * expression when @regex is TRUE. */
guint8           *sg_flame_match_frames           (SgProfile      *profile,
                                                   const char     *pattern,
                                                   gboolean        regex,
                                                   GError        **error);
/* Same, for every frame whose function string is @function_id. */
guint8           *sg_flame_match_function         (SgProfile      *profile,
                                                   guint32         function_id);
/* Marks each box whose frame matches in @box_matches (n_boxes bytes) and
 * returns the value covered by matching boxes, counting nested matches
 * (recursion) once. */
gint64            sg_flame_layout_match           (SgFlameLayout  *self,
                                                   const guint8   *frame_matches,
                                                   guint8         *box_matches);

/* A value in its unit, for people: "1.25 s", "3.4 MB", "1,204 samples". */
char             *sg_flame_format_value           (gint64          value,
                                                   const char     *unit);
/* "12.5%", with more digits for small shares so they do not read as 0. */
char             *sg_flame_format_percent         (gint64          part,
                                                   gint64          whole);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SgFlameLayout, sg_flame_layout_unref)

G_END_DECLS
