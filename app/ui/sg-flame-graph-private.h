/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sg-flame-graph.h"

G_BEGIN_DECLS

/* Shared by sg-flame-graph.c (state, input) and sg-flame-graph-render.c
 * (drawing, export). */

#define SG_FLAME_ROW_HEIGHT 20.0
#define SG_FLAME_MIN_BOX_PX 0.3   /* narrower boxes are not drawn */
#define SG_FLAME_MIN_LABEL_PX 26.0
#define SG_FLAME_LABEL_PAD 4.0

struct _SgFlameGraph
{
  GtkWidget        parent_instance;

  SgProfile       *profile;
  SgFlameLayout   *layout;
  GCancellable    *layout_cancellable;
  guint            value_index;
  SgFlameMode      mode;
  SgFlameColors    colors;
  guint            icicle : 1;
  guint            dark : 1;

  SgFlamePalette  *palette;
  char            *root_label;  /* "all · 1.65 s" */
  PangoLayout     *label_layout;
  double           label_height;
  GHashTable      *label_cache;     /* guint64 key → GskRenderNode */
  float           *label_widths;    /* natural width per frame (+1 for the root) */
  guint            n_label_widths;

  /* Zoom: the current (animated) view and where it is going. */
  guint            zoom_box;
  guint32          zoom_node;   /* survives re-layout */
  GArray          *zoom_history; /* box indices */
  SgFlameView      view;
  SgFlameView      view_from;
  SgFlameView      view_to;
  gint64           anim_start_us;
  guint            tick_id;

  /* Search */
  char            *search;
  gboolean         search_regex;
  char            *search_error;
  guint8          *frame_matches;
  guint8          *box_matches;
  gint64           match_value;

  /* Selection (a function), hover and keyboard cursor */
  char            *selected_function;
  GArray          *selected_boxes;
  guint            hover_box;
  guint            cursor_box;
  guint            context_box;

  GtkWidget       *context_menu;

  /* Cached drawing of the boxes for the current size and view. */
  GskRenderNode   *cache;
  int              cache_width;
  int              cache_height;
};

double         _sg_flame_graph_row_y      (SgFlameGraph *self,
                                           guint         row,
                                           double        height);
void           _sg_flame_graph_box_rect   (SgFlameGraph *self,
                                           guint         box,
                                           double        width,
                                           double        height,
                                           graphene_rect_t *rect);
GskRenderNode *_sg_flame_graph_build_node (SgFlameGraph *self,
                                           double        width,
                                           double        height);
void           _sg_flame_graph_snapshot_overlays (SgFlameGraph *self,
                                                  GtkSnapshot  *snapshot,
                                                  double        width,
                                                  double        height);
void           _sg_flame_graph_clear_label_cache (SgFlameGraph *self);
void           _sg_flame_graph_get_colors (SgFlameGraph *self,
                                           GdkRGBA      *foreground,
                                           GdkRGBA      *background,
                                           GdkRGBA      *accent);

G_END_DECLS
