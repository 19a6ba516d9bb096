/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sg-flame-layout.h"
#include "sg-flame-palette.h"

G_BEGIN_DECLS

#define SG_TYPE_FLAME_GRAPH (sg_flame_graph_get_type ())

G_DECLARE_FINAL_TYPE (SgFlameGraph, sg_flame_graph, SG, FLAME_GRAPH, GtkWidget)

/* What the context menu asks the page to apply to the profile. */
typedef enum
{
  SG_FLAME_FILTER_FOCUS,      /* keep only stacks through the function */
  SG_FLAME_FILTER_HIDE,       /* drop the function's frames */
  SG_FLAME_FILTER_SHOW_FROM,  /* drop frames above the function */
} SgFlameFilterKind;

typedef enum
{
  SG_FLAME_EXPORT_PNG,
  SG_FLAME_EXPORT_SVG,
  SG_FLAME_EXPORT_PDF,
} SgFlameExportFormat;

GtkWidget     *sg_flame_graph_new                   (void);

SgProfile     *sg_flame_graph_get_profile           (SgFlameGraph        *self);
void           sg_flame_graph_set_profile           (SgFlameGraph        *self,
                                                     SgProfile           *profile);
guint          sg_flame_graph_get_value_index       (SgFlameGraph        *self);
void           sg_flame_graph_set_value_index       (SgFlameGraph        *self,
                                                     guint                value_index);
SgFlameMode    sg_flame_graph_get_mode              (SgFlameGraph        *self);
void           sg_flame_graph_set_mode              (SgFlameGraph        *self,
                                                     SgFlameMode          mode);
gboolean       sg_flame_graph_get_icicle            (SgFlameGraph        *self);
void           sg_flame_graph_set_icicle            (SgFlameGraph        *self,
                                                     gboolean             icicle);
SgFlameColors  sg_flame_graph_get_colors            (SgFlameGraph        *self);
void           sg_flame_graph_set_colors            (SgFlameGraph        *self,
                                                     SgFlameColors        colors);

/* The layout being shown; NULL while the first one is computed. */
SgFlameLayout *sg_flame_graph_get_layout            (SgFlameGraph        *self);
gboolean       sg_flame_graph_get_loading           (SgFlameGraph        *self);

/* Search: substring or regular expression; "" clears. */
void           sg_flame_graph_set_search            (SgFlameGraph        *self,
                                                     const char          *pattern,
                                                     gboolean             regex);
const char    *sg_flame_graph_get_search_error      (SgFlameGraph        *self);
double         sg_flame_graph_get_match_fraction    (SgFlameGraph        *self);

/* The highlighted function (by name), synchronised with the top table. */
const char    *sg_flame_graph_get_selected_function (SgFlameGraph        *self);
void           sg_flame_graph_set_selected_function (SgFlameGraph        *self,
                                                     const char          *function);

/* Zoom.  The path runs from the root to the zoomed box. */
void           sg_flame_graph_zoom_to_box           (SgFlameGraph        *self,
                                                     guint                box,
                                                     gboolean             animate);
void           sg_flame_graph_zoom_out              (SgFlameGraph        *self);
void           sg_flame_graph_zoom_reset            (SgFlameGraph        *self);
guint          sg_flame_graph_get_zoom_box          (SgFlameGraph        *self);
GArray        *sg_flame_graph_dup_zoom_path         (SgFlameGraph        *self);
SgFlameView    sg_flame_graph_get_view              (SgFlameGraph        *self);
/* The box under a point in widget coordinates, or SG_FLAME_BOX_NONE. */
guint          sg_flame_graph_box_at                (SgFlameGraph        *self,
                                                     double               x,
                                                     double               y);
/* The box the keyboard is on. */
guint          sg_flame_graph_get_cursor            (SgFlameGraph        *self);
void           sg_flame_graph_set_cursor            (SgFlameGraph        *self,
                                                     guint                box);

GPtrArray     *sg_flame_graph_dup_legend            (SgFlameGraph        *self);

/* Renders the current view at a size, the same nodes the widget draws,
 * with a background when @opaque is set (exports, benchmarks). */
GskRenderNode *sg_flame_graph_render                (SgFlameGraph        *self,
                                                     int                  width,
                                                     int                  height,
                                                     gboolean             opaque);
gboolean       sg_flame_graph_export                (SgFlameGraph        *self,
                                                     const char          *path,
                                                     SgFlameExportFormat  format,
                                                     GError             **error);
/* The format a file name asks for (.png, .svg, .pdf); FALSE if none. */
gboolean       sg_flame_export_format_for_path      (const char          *path,
                                                     SgFlameExportFormat *format);

G_END_DECLS
