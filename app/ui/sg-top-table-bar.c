/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "sg-top-table-bar.h"

struct _SgTopTableBar
{
  GtkWidget  parent_instance;

  GtkWidget *label;
  double     fraction;
};

G_DEFINE_FINAL_TYPE (SgTopTableBar, sg_top_table_bar, GTK_TYPE_WIDGET)

static void
sg_top_table_bar_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  SgTopTableBar *self = SG_TOP_TABLE_BAR (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA color;
  GskRoundedRect rect;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  /* The bar sits under the text, tinted from the text colour so it works
   * in light and dark styles alike. */
  color.alpha = 0.14;
  if (self->fraction > 0)
    {
      gsk_rounded_rect_init_from_rect (&rect,
                                       &GRAPHENE_RECT_INIT (0, 3, MAX (2, width * MIN (self->fraction, 1.0)),
                                                            height - 6),
                                       3);
      gtk_snapshot_push_rounded_clip (snapshot, &rect);
      gtk_snapshot_append_color (snapshot, &color, &rect.bounds);
      gtk_snapshot_pop (snapshot);
    }
  GTK_WIDGET_CLASS (sg_top_table_bar_parent_class)->snapshot (widget, snapshot);
}

static void
sg_top_table_bar_dispose (GObject *object)
{
  SgTopTableBar *self = SG_TOP_TABLE_BAR (object);

  g_clear_pointer (&self->label, gtk_widget_unparent);

  G_OBJECT_CLASS (sg_top_table_bar_parent_class)->dispose (object);
}

static void
sg_top_table_bar_class_init (SgTopTableBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_top_table_bar_dispose;
  widget_class->snapshot = sg_top_table_bar_snapshot;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sharebar");
}

static void
sg_top_table_bar_init (SgTopTableBar *self)
{
  self->label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->label), 1.0);
  gtk_widget_add_css_class (self->label, "numeric");
  gtk_widget_set_margin_end (self->label, 4);
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
}

GtkWidget *
sg_top_table_bar_new (void)
{
  return g_object_new (SG_TYPE_TOP_TABLE_BAR, NULL);
}

void
sg_top_table_bar_set_fraction (SgTopTableBar *self,
                               double         fraction,
                               const char    *text)
{
  g_return_if_fail (SG_IS_TOP_TABLE_BAR (self));

  self->fraction = fraction;
  gtk_label_set_text (GTK_LABEL (self->label), text);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
