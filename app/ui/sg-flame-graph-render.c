/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * Drawing the flame graph.  The boxes of a view are built once into a
 * render node that the widget caches until the size, view, data or style
 * changes; hover, cursor and selection outlines are cheap and drawn on top
 * every frame.  For each row only the boxes inside the view are visited
 * (a binary search finds the first one), boxes narrower than a fraction of
 * a pixel are skipped, and labels are laid out with one reused, ellipsizing
 * PangoLayout only where at least a few characters fit.
 *
 * Exports draw the same render node with cairo into PNG, SVG or PDF
 * surfaces, so what is saved is exactly what is on screen.
 */

#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>

#include "sg-flame-graph-private.h"

double
_sg_flame_graph_row_y (SgFlameGraph *self,
                       guint         row,
                       double        height)
{
  if (self->icicle)
    return row * SG_FLAME_ROW_HEIGHT;
  return height - (row + 1) * SG_FLAME_ROW_HEIGHT;
}

void
_sg_flame_graph_box_rect (SgFlameGraph    *self,
                          guint            box,
                          double           width,
                          double           height,
                          graphene_rect_t *rect)
{
  const SgFlameBox *b = &sg_flame_layout_get_boxes (self->layout, NULL)[box];
  double x, w;

  sg_flame_view_box_to_pixels (self->view, sg_flame_layout_get_total (self->layout), b, width,
                               &x, &w);
  graphene_rect_init (rect, x, _sg_flame_graph_row_y (self, b->depth, height),
                      w, SG_FLAME_ROW_HEIGHT - 1);
}

void
_sg_flame_graph_get_colors (SgFlameGraph *self,
                            GdkRGBA      *foreground,
                            GdkRGBA      *background,
                            GdkRGBA      *accent)
{
  if (foreground)
    {
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), foreground);
      G_GNUC_END_IGNORE_DEPRECATIONS
    }
  if (background)
    gdk_rgba_parse (background, self->dark ? "#1e1e1e" : "#ffffff");
  if (accent)
    gdk_rgba_parse (accent, self->dark ? "#78aeed" : "#1c71d8");
}

static const char *
box_label (SgFlameGraph     *self,
           const SgFlameBox *b)
{
  if (b->frame == SG_FRAME_NONE)
    return self->root_label ? self->root_label : _("all");
  return sg_profile_get_frame_function (self->profile, b->frame);
}

/* Natural width of a frame's label, measured once per frame. */
static double
label_natural_width (SgFlameGraph     *self,
                     const SgFlameBox *b)
{
  guint index = b->frame == SG_FRAME_NONE ? 0 : b->frame + 1;
  int w;

  if (self->label_widths == NULL)
    {
      self->n_label_widths = sg_profile_get_n_frames (self->profile) + 1;
      self->label_widths = g_new (float, self->n_label_widths);
      for (guint i = 0; i < self->n_label_widths; i++)
        self->label_widths[i] = -1;
    }
  if (index >= self->n_label_widths)
    return G_MAXDOUBLE;
  if (self->label_widths[index] < 0)
    {
      pango_layout_set_width (self->label_layout, -1);
      pango_layout_set_text (self->label_layout, box_label (self, b), -1);
      pango_layout_get_pixel_size (self->label_layout, &w, NULL);
      self->label_widths[index] = w;
    }
  return self->label_widths[index];
}

/*
 * Shaping text is by far the most expensive part of a redraw, and the
 * same labels come back frame after frame (zoom animations, resizes,
 * search).  So text nodes are cached per frame, colour and width: a label
 * that fits whole is one node for every width, an ellipsized one is cached
 * per 4-pixel step of available width.  The cache is dropped with the
 * layout, the palette or the font.
 */
static GskRenderNode *
label_node (SgFlameGraph     *self,
            const SgFlameBox *b,
            double            available,
            const GdkRGBA    *color,
            gboolean          dim)
{
  guint64 frame_key = b->frame == SG_FRAME_NONE ? 0 : (guint64) b->frame + 1;
  gboolean light = color->red > 0.5;
  guint64 bucket;
  guint64 key;
  GskRenderNode *node;
  GtkSnapshot *snapshot;

  if (label_natural_width (self, b) <= available)
    bucket = 0xfffff;
  else
    bucket = MIN ((guint64) (available / 4), 0xffffe);
  key = (frame_key << 22) | (bucket << 2) | ((guint64) light << 1) | (guint64) dim;

  if (self->label_cache == NULL)
    self->label_cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                               (GDestroyNotify) gsk_render_node_unref);
  node = g_hash_table_lookup (self->label_cache, &key);
  if (node != NULL)
    return node;

  /* Bounded: a long session of zooming must not grow it without end. */
  if (g_hash_table_size (self->label_cache) > 65536)
    g_hash_table_remove_all (self->label_cache);

  pango_layout_set_text (self->label_layout, box_label (self, b), -1);
  pango_layout_set_width (self->label_layout,
                          bucket == 0xfffff ? -1 : (int) (bucket * 4 * PANGO_SCALE));
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_layout (snapshot, self->label_layout, color);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    node = gsk_container_node_new (NULL, 0);
  g_hash_table_insert (self->label_cache, g_memdup2 (&key, sizeof key), node);
  return node;
}

void
_sg_flame_graph_clear_label_cache (SgFlameGraph *self)
{
  g_clear_pointer (&self->label_cache, g_hash_table_unref);
  g_clear_pointer (&self->label_widths, g_free);
  self->n_label_widths = 0;
}

/* Draws one box and its label; returns FALSE when it is too narrow to
 * draw, so its whole subtree can be skipped. */
static inline gboolean
draw_box (SgFlameGraph     *self,
          GtkSnapshot      *snapshot,
          guint             i,
          const SgFlameBox *b,
          double            scale,
          double            offset,
          double            width,
          double            y,
          const GdkRGBA    *background)
{
  gboolean dim = self->box_matches != NULL && !self->box_matches[i];
  double x = ((double) b->start - offset) * scale;
  double w = (double) b->width * scale;
  GdkRGBA fill;

  if (w < SG_FLAME_MIN_BOX_PX)
    return FALSE;
  /* Boxes far wider than the view are clipped, keeping float
   * coordinates in range when zoomed deep. */
  if (x < -1)
    {
      w += x + 1;
      x = -1;
    }
  if (x + w > width + 1)
    w = width + 1 - x;
  if (w <= 0)
    return FALSE;

  fill = *sg_flame_palette_get_fill (self->palette, b->frame);
  if (dim)
    {
      fill.red = fill.red * 0.25 + background->red * 0.75;
      fill.green = fill.green * 0.25 + background->green * 0.75;
      fill.blue = fill.blue * 0.25 + background->blue * 0.75;
    }
  gtk_snapshot_append_color (snapshot, &fill,
                             &GRAPHENE_RECT_INIT (x, y, w > 2 ? w - 1 : w, SG_FLAME_ROW_HEIGHT - 1));

  if (w >= SG_FLAME_MIN_LABEL_PX)
    {
      GdkRGBA text = *sg_flame_palette_get_text (self->palette, b->frame);
      double lx = MAX (x, 0) + SG_FLAME_LABEL_PAD;
      double lw = MIN (x + w, width) - lx - SG_FLAME_LABEL_PAD;

      if (lw >= SG_FLAME_MIN_LABEL_PX - 2 * SG_FLAME_LABEL_PAD)
        {
          if (dim)
            text.alpha = 0.45;
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot,
                                  &GRAPHENE_POINT_INIT (lx, y + (SG_FLAME_ROW_HEIGHT - 1 -
                                                                 self->label_height) / 2));
          gtk_snapshot_append_node (snapshot, label_node (self, b, lw, &text, dim));
          gtk_snapshot_restore (snapshot);
        }
    }
  return TRUE;
}

/*
 * Row by row, but only through the children of boxes that were drawn: a
 * box narrower than a fraction of a pixel hides its whole subtree, so a
 * redraw visits the few thousand boxes that can be seen (and their direct
 * children), not the million in the tree.  Children of a box are
 * contiguous in the next row, found with one binary search.
 */
GskRenderNode *
_sg_flame_graph_build_node (SgFlameGraph *self,
                            double        width,
                            double        height)
{
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GArray) drawn = NULL;
  g_autoptr(GArray) next = NULL;
  const SgFlameBox *boxes;
  guint n_rows, n_boxes;
  gint64 total;
  double lo, hi, scale, offset;
  GdkRGBA background;

  if (self->layout == NULL || self->palette == NULL || width <= 0 || height <= 0)
    return NULL;

  snapshot = gtk_snapshot_new ();
  boxes = sg_flame_layout_get_boxes (self->layout, &n_boxes);
  n_rows = sg_flame_layout_get_n_rows (self->layout);
  total = sg_flame_layout_get_total (self->layout);
  lo = self->view.x0 * (double) total;
  hi = self->view.x1 * (double) total;
  scale = width / ((self->view.x1 - self->view.x0) * (double) MAX (total, 1));
  offset = lo;
  _sg_flame_graph_get_colors (self, NULL, &background, NULL);

  drawn = g_array_sized_new (FALSE, FALSE, sizeof (guint), 4096);
  next = g_array_sized_new (FALSE, FALSE, sizeof (guint), 4096);

  for (guint row = 0; row < n_rows; row++)
    {
      double y = _sg_flame_graph_row_y (self, row, height);
      gboolean on_screen = y + SG_FLAME_ROW_HEIGHT >= 0 && y <= height;
      guint first, n;

      g_array_set_size (next, 0);
      sg_flame_layout_get_row (self->layout, row, &first, &n);

      if (row == 0)
        {
          for (guint i = sg_flame_layout_row_lower_bound (self->layout, row, lo);
               i < first + n && (double) boxes[i].start < hi;
               i++)
            if (on_screen ? draw_box (self, snapshot, i, &boxes[i], scale, offset, width, y, &background)
                          : (double) boxes[i].width * scale >= SG_FLAME_MIN_BOX_PX)
              g_array_append_val (next, i);
        }
      else
        {
          for (guint k = 0; k < drawn->len; k++)
            {
              guint parent = g_array_index (drawn, guint, k);
              guint c = sg_flame_layout_get_first_child (self->layout, parent);

              for (; c < first + n && boxes[c].parent == parent; c++)
                {
                  if ((double) (boxes[c].start + boxes[c].width) <= lo || (double) boxes[c].start >= hi)
                    continue;
                  if (on_screen ? draw_box (self, snapshot, c, &boxes[c], scale, offset, width, y, &background)
                                : (double) boxes[c].width * scale >= SG_FLAME_MIN_BOX_PX)
                    g_array_append_val (next, c);
                }
            }
        }

      if (next->len == 0)
        break;
      {
        GArray *tmp = drawn;
        drawn = next;
        next = tmp;
      }
    }

  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static void
outline (GtkSnapshot           *snapshot,
         const graphene_rect_t *rect,
         float                  thickness,
         const GdkRGBA         *color)
{
  GskRoundedRect r;
  const float widths[4] = { thickness, thickness, thickness, thickness };
  const GdkRGBA colors[4] = { *color, *color, *color, *color };

  gsk_rounded_rect_init_from_rect (&r, rect, 1.5);
  gtk_snapshot_append_border (snapshot, &r, widths, colors);
}

static gboolean
visible_rect (SgFlameGraph    *self,
              guint            box,
              double           width,
              double           height,
              graphene_rect_t *rect)
{
  _sg_flame_graph_box_rect (self, box, width, height, rect);
  if (rect->size.width < 1 || rect->origin.x > width || rect->origin.x + rect->size.width < 0)
    return FALSE;
  /* Keep outlines of boxes wider than the view on screen. */
  if (rect->origin.x < 0)
    {
      rect->size.width += rect->origin.x;
      rect->origin.x = 0;
    }
  rect->size.width = MIN (rect->size.width, width - rect->origin.x);
  if (rect->size.width > 2)
    rect->size.width -= 1;
  return TRUE;
}

void
_sg_flame_graph_snapshot_overlays (SgFlameGraph *self,
                                   GtkSnapshot  *snapshot,
                                   double        width,
                                   double        height)
{
  guint n_boxes;
  graphene_rect_t rect;
  GdkRGBA fg, accent;

  if (self->layout == NULL)
    return;
  sg_flame_layout_get_boxes (self->layout, &n_boxes);
  _sg_flame_graph_get_colors (self, &fg, NULL, &accent);

  if (self->selected_boxes != NULL)
    for (guint i = 0; i < self->selected_boxes->len; i++)
      if (visible_rect (self, g_array_index (self->selected_boxes, guint, i), width, height, &rect))
        outline (snapshot, &rect, 2, &accent);

  if (self->hover_box < n_boxes && visible_rect (self, self->hover_box, width, height, &rect))
    outline (snapshot, &rect, 1, &fg);

  if (self->cursor_box < n_boxes && gtk_widget_has_focus (GTK_WIDGET (self)) &&
      visible_rect (self, self->cursor_box, width, height, &rect))
    {
      GdkRGBA ring = accent;

      outline (snapshot, &rect, 2, &fg);
      ring.alpha = 0.5;
      graphene_rect_inset (&rect, 2, 2);
      if (rect.size.width > 0)
        outline (snapshot, &rect, 1, &ring);
    }
}

GskRenderNode *
sg_flame_graph_render (SgFlameGraph *self,
                       int           width,
                       int           height,
                       gboolean      opaque)
{
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) boxes = NULL;
  GdkRGBA background;

  g_return_val_if_fail (SG_IS_FLAME_GRAPH (self), NULL);

  snapshot = gtk_snapshot_new ();
  if (opaque)
    {
      _sg_flame_graph_get_colors (self, NULL, &background, NULL);
      gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
    }
  boxes = _sg_flame_graph_build_node (self, width, height);
  if (boxes != NULL)
    gtk_snapshot_append_node (snapshot, boxes);
  _sg_flame_graph_snapshot_overlays (self, snapshot, width, height);
  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

gboolean
sg_flame_export_format_for_path (const char          *path,
                                 SgFlameExportFormat *format)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".png"))
    *format = SG_FLAME_EXPORT_PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    *format = SG_FLAME_EXPORT_SVG;
  else if (g_str_has_suffix (lower, ".pdf"))
    *format = SG_FLAME_EXPORT_PDF;
  else
    return FALSE;
  return TRUE;
}

/**
 * sg_flame_graph_export:
 *
 * Saves the current view (zoom, search, selection, colours) at the
 * widget's size.  PNG is rendered at twice the size so it stays sharp on
 * HiDPI screens and in documents; SVG and PDF are vector.
 */
gboolean
sg_flame_graph_export (SgFlameGraph         *self,
                       const char           *path,
                       SgFlameExportFormat   format,
                       GError              **error)
{
  g_autoptr(GskRenderNode) node = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  int width, height;
  double scale = 1.0;

  g_return_val_if_fail (SG_IS_FLAME_GRAPH (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->layout == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   _("There is no flame graph to export yet"));
      return FALSE;
    }

  width = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 200);
  height = MAX (gtk_widget_get_height (GTK_WIDGET (self)),
                (int) (sg_flame_layout_get_n_rows (self->layout) * SG_FLAME_ROW_HEIGHT));
  node = sg_flame_graph_render (self, width, height, TRUE);

  switch (format)
    {
    case SG_FLAME_EXPORT_SVG:
      surface = cairo_svg_surface_create (path, width, height);
      break;
    case SG_FLAME_EXPORT_PDF:
      surface = cairo_pdf_surface_create (path, width, height);
      break;
    case SG_FLAME_EXPORT_PNG:
    default:
      scale = 2.0;
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
      break;
    }

  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);

  if (format == SG_FLAME_EXPORT_PNG)
    status = cairo_surface_write_to_png (surface, path);
  else
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not save “%s”: %s"), name, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
