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

GskRenderNode *
_sg_flame_graph_build_node (SgFlameGraph *self,
                            double        width,
                            double        height)
{
  g_autoptr(GtkSnapshot) snapshot = NULL;
  const SgFlameBox *boxes;
  guint n_rows;
  gint64 total;
  double lo, hi;
  GdkRGBA background;

  if (self->layout == NULL || self->palette == NULL || width <= 0 || height <= 0)
    return NULL;

  snapshot = gtk_snapshot_new ();
  boxes = sg_flame_layout_get_boxes (self->layout, NULL);
  n_rows = sg_flame_layout_get_n_rows (self->layout);
  total = sg_flame_layout_get_total (self->layout);
  lo = self->view.x0 * (double) total;
  hi = self->view.x1 * (double) total;
  _sg_flame_graph_get_colors (self, NULL, &background, NULL);

  for (guint row = 0; row < n_rows; row++)
    {
      double y = _sg_flame_graph_row_y (self, row, height);
      guint first, n;

      if (y + SG_FLAME_ROW_HEIGHT < 0 || y > height)
        continue;

      sg_flame_layout_get_row (self->layout, row, &first, &n);
      for (guint i = sg_flame_layout_row_lower_bound (self->layout, row, lo);
           i < first + n && (double) boxes[i].start < hi;
           i++)
        {
          const SgFlameBox *b = &boxes[i];
          gboolean dim = self->box_matches != NULL && !self->box_matches[i];
          GdkRGBA fill;
          double x, w;

          sg_flame_view_box_to_pixels (self->view, total, b, width, &x, &w);
          if (w < SG_FLAME_MIN_BOX_PX)
            continue;
          /* Boxes far wider than the view are clipped, keeping float
           * coordinates in range when zoomed deep. */
          if (x < -1)
            {
              w += x + 1;
              x = -1;
            }
          if (x + w > width + 1)
            w = width + 1 - x;

          fill = *sg_flame_palette_get_fill (self->palette, b->frame);
          if (dim)
            {
              fill.red = fill.red * 0.25 + background.red * 0.75;
              fill.green = fill.green * 0.25 + background.green * 0.75;
              fill.blue = fill.blue * 0.25 + background.blue * 0.75;
            }
          gtk_snapshot_append_color (snapshot, &fill,
                                     &GRAPHENE_RECT_INIT (x, y, w > 2 ? w - 1 : w,
                                                          SG_FLAME_ROW_HEIGHT - 1));

          if (w >= SG_FLAME_MIN_LABEL_PX)
            {
              GdkRGBA text = *sg_flame_palette_get_text (self->palette, b->frame);
              double lx = MAX (x, 0) + SG_FLAME_LABEL_PAD;
              double lw = MIN (x + w, width) - lx - SG_FLAME_LABEL_PAD;

              if (lw < SG_FLAME_MIN_LABEL_PX - 2 * SG_FLAME_LABEL_PAD)
                continue;
              if (dim)
                text.alpha = 0.45;
              pango_layout_set_text (self->label_layout, box_label (self, b), -1);
              pango_layout_set_width (self->label_layout, (int) (lw * PANGO_SCALE));
              gtk_snapshot_save (snapshot);
              gtk_snapshot_translate (snapshot,
                                      &GRAPHENE_POINT_INIT (lx, y + (SG_FLAME_ROW_HEIGHT - 1 -
                                                                     self->label_height) / 2));
              gtk_snapshot_append_layout (snapshot, self->label_layout, &text);
              gtk_snapshot_restore (snapshot);
            }
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
