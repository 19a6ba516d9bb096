/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * SgFlameGraph draws an SgFlameLayout and lets the user explore it: click
 * to zoom (animated on the frame clock), Esc/Backspace to go back, hover
 * tooltips, search highlighting, a context menu that asks the page for
 * filters, and full keyboard navigation.  Layout runs on a worker thread
 * whenever the profile, value type or mode changes; the widget keeps
 * showing the previous layout until the new one is ready.
 *
 * Drawing and export live in sg-flame-graph-render.c.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sg-flame-graph-private.h"

#define ZOOM_DURATION_US (220 * 1000)

G_DEFINE_FINAL_TYPE (SgFlameGraph, sg_flame_graph, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_VALUE_INDEX,
  PROP_MODE,
  PROP_ICICLE,
  PROP_COLORS,
  PROP_LAYOUT,
  PROP_LOADING,
  PROP_SEARCH_ERROR,
  PROP_MATCH_FRACTION,
  PROP_SELECTED_FUNCTION,
  PROP_ZOOM_BOX,
  N_PROPS
};

enum {
  FILTER_REQUESTED,
  OPEN_SOURCE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
invalidate (SgFlameGraph *self)
{
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static guint
n_boxes (SgFlameGraph *self)
{
  guint n = 0;

  if (self->layout != NULL)
    sg_flame_layout_get_boxes (self->layout, &n);
  return n;
}

static const SgFlameBox *
get_box (SgFlameGraph *self,
         guint         box)
{
  if (box >= n_boxes (self))
    return NULL;
  return &sg_flame_layout_get_boxes (self->layout, NULL)[box];
}

static const char *
box_function (SgFlameGraph *self,
              guint         box)
{
  const SgFlameBox *b = get_box (self, box);

  if (b == NULL)
    return NULL;
  if (b->frame == SG_FRAME_NONE)
    return _("all");
  return sg_profile_get_frame_function (self->profile, b->frame);
}

static void
update_root_label (SgFlameGraph *self)
{
  g_autofree char *total = NULL;

  g_clear_pointer (&self->root_label, g_free);
  if (self->layout == NULL)
    return;
  total = sg_flame_format_value (sg_flame_layout_get_total (self->layout),
                                 sg_profile_get_value_unit (self->profile,
                                                            sg_flame_layout_get_value_index (self->layout)));
  /* Translators: the root box of a flame graph, with the profile's total */
  self->root_label = g_strdup_printf (_("all · %s"), total);
}

static void
update_palette (SgFlameGraph *self)
{
  _sg_flame_graph_clear_label_cache (self);
  g_clear_pointer (&self->palette, sg_flame_palette_free);
  if (self->profile != NULL && self->layout != NULL)
    self->palette = sg_flame_palette_new (self->profile,
                                          sg_flame_layout_get_value_index (self->layout),
                                          self->colors, self->dark);
  invalidate (self);
}

static void
update_matches (SgFlameGraph *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->frame_matches, g_free);
  g_clear_pointer (&self->box_matches, g_free);
  g_clear_pointer (&self->search_error, g_free);
  self->match_value = 0;

  if (self->profile != NULL && self->search != NULL && self->search[0] != '\0')
    {
      self->frame_matches = sg_flame_match_frames (self->profile, self->search,
                                                   self->search_regex, &error);
      if (self->frame_matches == NULL)
        self->search_error = g_strdup (error->message);
    }

  if (self->frame_matches != NULL && self->layout != NULL)
    {
      self->box_matches = g_new0 (guint8, MAX (n_boxes (self), 1));
      self->match_value = sg_flame_layout_match (self->layout, self->frame_matches,
                                                 self->box_matches);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_ERROR]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MATCH_FRACTION]);
  invalidate (self);
}

static void
update_selection (SgFlameGraph *self)
{
  guint32 function_id;

  g_clear_pointer (&self->selected_boxes, g_array_unref);
  if (self->layout != NULL && self->selected_function != NULL &&
      sg_profile_lookup_string (self->profile, self->selected_function, &function_id))
    {
      g_autofree guint8 *frames = sg_flame_match_function (self->profile, function_id);
      g_autofree guint8 *hits = g_new0 (guint8, MAX (n_boxes (self), 1));
      guint n = n_boxes (self);

      sg_flame_layout_match (self->layout, frames, hits);
      self->selected_boxes = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint i = 0; i < n; i++)
        if (hits[i])
          g_array_append_val (self->selected_boxes, i);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
update_accessible (SgFlameGraph *self)
{
  const SgFlameBox *b = get_box (self, self->cursor_box);
  g_autofree char *description = NULL;

  if (b != NULL)
    {
      g_autofree char *share = sg_flame_format_percent (b->width,
                                                        sg_flame_layout_get_total (self->layout));

      /* Translators: a frame of a flame graph, for screen readers */
      description = g_strdup_printf (_("%s, %s of total, depth %u"),
                                     box_function (self, self->cursor_box), share, b->depth);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description ? description : _("No frame selected"),
                                  -1);
}

static void
set_view_now (SgFlameGraph *self,
              SgFlameView   view)
{
  self->view = self->view_from = self->view_to = view;
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  invalidate (self);
}

static gboolean
zoom_tick (GtkWidget     *widget,
           GdkFrameClock *clock,
           gpointer       user_data)
{
  SgFlameGraph *self = SG_FLAME_GRAPH (widget);
  double t = (double) (gdk_frame_clock_get_frame_time (clock) - self->anim_start_us) /
             ZOOM_DURATION_US;
  double eased;

  t = CLAMP (t, 0.0, 1.0);
  eased = 1.0 - (1.0 - t) * (1.0 - t) * (1.0 - t);  /* ease-out cubic */
  self->view = sg_flame_view_lerp (self->view_from, self->view_to, eased);
  invalidate (self);

  if (t >= 1.0)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
animate_to (SgFlameGraph *self,
            SgFlameView   target,
            gboolean      animate)
{
  gboolean enabled = TRUE;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-enable-animations", &enabled, NULL);
  if (!animate || !enabled || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      set_view_now (self, target);
      return;
    }

  self->view_from = self->view;
  self->view_to = target;
  self->anim_start_us = g_get_monotonic_time ();
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), zoom_tick, NULL, NULL);
}

static void
set_zoom (SgFlameGraph *self,
          guint         box,
          gboolean      animate)
{
  const SgFlameBox *b = get_box (self, box);

  self->zoom_box = b ? box : 0;
  self->zoom_node = b ? b->node : SG_NODE_ROOT;
  animate_to (self, sg_flame_layout_view_for_box (self->layout, self->zoom_box), animate);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_BOX]);
}

static void
layout_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SgFlameGraph) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SgFlameLayout) layout = sg_flame_layout_new_finish (result, &error);
  guint zoom;

  if (layout == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Flame graph layout failed: %s", error->message);
      return;
    }
  if (sg_flame_layout_get_profile (layout) != self->profile)
    return;

  g_clear_object (&self->layout_cancellable);
  g_clear_pointer (&self->layout, sg_flame_layout_unref);
  self->layout = g_steal_pointer (&layout);
  g_array_set_size (self->zoom_history, 0);
  self->hover_box = SG_FLAME_BOX_NONE;
  self->context_box = SG_FLAME_BOX_NONE;

  /* Keep the user where they were if that frame still exists. */
  zoom = sg_flame_layout_find_node (self->layout, self->zoom_node);
  self->cursor_box = zoom != SG_FLAME_BOX_NONE ? zoom : 0;
  set_zoom (self, zoom, FALSE);

  update_root_label (self);
  update_palette (self);
  update_matches (self);
  update_selection (self);
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYOUT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
relayout (SgFlameGraph *self)
{
  if (self->layout_cancellable != NULL)
    g_cancellable_cancel (self->layout_cancellable);
  g_clear_object (&self->layout_cancellable);

  /* Every built profile has a value type; be safe with one that has not. */
  if (self->profile == NULL || sg_profile_get_n_value_types (self->profile) == 0)
    {
      g_clear_pointer (&self->layout, sg_flame_layout_unref);
      g_clear_pointer (&self->palette, sg_flame_palette_free);
      update_matches (self);
      update_selection (self);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYOUT]);
      return;
    }

  self->layout_cancellable = g_cancellable_new ();
  sg_flame_layout_new_async (self->profile,
                             MIN (self->value_index, sg_profile_get_n_value_types (self->profile) - 1),
                             self->mode, SG_FLAME_SORT_HEAVIEST, self->layout_cancellable,
                             layout_ready, g_object_ref (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* In a scrolled window, keeps the keyboard cursor's row on screen. */
static void
scroll_to_cursor (SgFlameGraph *self)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  const SgFlameBox *b = get_box (self, self->cursor_box);
  GtkAdjustment *adj;
  double y;

  if (scroller == NULL || b == NULL)
    return;
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  y = _sg_flame_graph_row_y (self, b->depth, gtk_widget_get_height (GTK_WIDGET (self)));
  gtk_adjustment_clamp_page (adj, MAX (y - SG_FLAME_ROW_HEIGHT, 0), y + 2 * SG_FLAME_ROW_HEIGHT);
}

/* Moves the keyboard cursor and keeps it inside the view by zooming out
 * to the nearest zoomed ancestor that contains it. */
static void
move_cursor (SgFlameGraph *self,
             guint         box)
{
  const SgFlameBox *b = get_box (self, box);
  const SgFlameBox *boxes;

  if (b == NULL)
    return;
  boxes = sg_flame_layout_get_boxes (self->layout, NULL);
  self->cursor_box = box;

  if (box != self->zoom_box)
    {
      guint z = self->zoom_box;

      while (z != SG_FLAME_BOX_NONE &&
             !(boxes[z].start <= b->start && b->start + b->width <= boxes[z].start + boxes[z].width))
        z = boxes[z].parent;
      if (z != self->zoom_box)
        set_zoom (self, z == SG_FLAME_BOX_NONE ? 0 : z, TRUE);
    }

  update_accessible (self);
  scroll_to_cursor (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static double
content_height (SgFlameGraph *self)
{
  return gtk_widget_get_height (GTK_WIDGET (self));
}

guint
sg_flame_graph_box_at (SgFlameGraph *self,
                       double        x,
                       double        y)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = content_height (self);
  double row_f;

  g_return_val_if_fail (SG_IS_FLAME_GRAPH (self), SG_FLAME_BOX_NONE);

  if (self->layout == NULL || x < 0 || x >= width)
    return SG_FLAME_BOX_NONE;

  row_f = self->icicle ? y / SG_FLAME_ROW_HEIGHT : (height - y) / SG_FLAME_ROW_HEIGHT;
  if (row_f < 0)
    return SG_FLAME_BOX_NONE;
  return sg_flame_layout_hit_test (self->layout, (guint) row_f,
                                   sg_flame_view_pixel_to_value (self->view,
                                                                 sg_flame_layout_get_total (self->layout),
                                                                 width, x));
}

static void
motion_cb (SgFlameGraph             *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *motion)
{
  guint box = sg_flame_graph_box_at (self, x, y);

  if (box != self->hover_box)
    {
      self->hover_box = box;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
leave_cb (SgFlameGraph             *self,
          GtkEventControllerMotion *motion)
{
  if (self->hover_box != SG_FLAME_BOX_NONE)
    {
      self->hover_box = SG_FLAME_BOX_NONE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
select_box (SgFlameGraph *self,
            guint         box)
{
  const SgFlameBox *b = get_box (self, box);

  if (b == NULL)
    return;
  sg_flame_graph_set_selected_function (self, b->frame == SG_FRAME_NONE ? NULL
                                                                         : box_function (self, box));
}

static void
popup_context_menu (SgFlameGraph *self,
                    guint         box,
                    double        x,
                    double        y);

static void
pressed_cb (SgFlameGraph    *self,
            int              n_press,
            double           x,
            double           y,
            GtkGestureClick *gesture)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  guint box = sg_flame_graph_box_at (self, x, y);

  gtk_widget_grab_focus (GTK_WIDGET (self));

  if (button == GDK_BUTTON_SECONDARY)
    {
      if (box != SG_FLAME_BOX_NONE)
        popup_context_menu (self, box, x, y);
      return;
    }
  if (box == SG_FLAME_BOX_NONE || n_press != 1)
    return;

  self->cursor_box = box;
  select_box (self, box);
  update_accessible (self);
  sg_flame_graph_zoom_to_box (self, box, TRUE);
}

static char *
format_tooltip (SgFlameGraph *self,
                guint         box)
{
  const SgFlameBox *b = get_box (self, box);
  const SgFlameBox *zoom = get_box (self, self->zoom_box);
  guint vi = sg_flame_layout_get_value_index (self->layout);
  const char *unit = sg_profile_get_value_unit (self->profile, vi);
  gint64 total = sg_flame_layout_get_total (self->layout);
  gint64 self_value = sg_flame_layout_get_box_self (self->layout, box);
  g_autofree char *name = g_markup_escape_text (box_function (self, box), -1);
  g_autofree char *tv = sg_flame_format_value (b->width, unit);
  g_autofree char *tp = sg_flame_format_percent (b->width, total);
  g_autofree char *tz = sg_flame_format_percent (b->width, zoom ? zoom->width : total);
  g_autofree char *sv = sg_flame_format_value (self_value, unit);
  g_autofree char *sp = sg_flame_format_percent (self_value, total);
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "<b>%s</b>", name);
  if (b->frame != SG_FRAME_NONE)
    {
      const SgFrame *f = &sg_profile_get_frames (self->profile)[b->frame];
      const char *file = sg_profile_get_string (self->profile, f->file);

      if (file != NULL && file[0] != '\0')
        {
          g_autofree char *escaped = g_markup_escape_text (file, -1);

          if (b->merged)
            /* Translators: a source file, for a function sampled on several of its lines */
            g_string_append_printf (s, _("\n<small>%s, several lines</small>"), escaped);
          else if (f->line > 0)
            g_string_append_printf (s, "\n<small>%s:%d</small>", escaped, f->line);
          else
            g_string_append_printf (s, "\n<small>%s</small>", escaped);
        }
    }

  g_string_append_c (s, '\n');
  if (self->zoom_box != 0 && zoom != NULL)
    /* Translators: total value of a frame, its share of the profile and of the zoomed frame */
    g_string_append_printf (s, _("Total: %s (%s of all, %s of zoomed)"), tv, tp, tz);
  else
    /* Translators: total value of a frame and its share of the profile */
    g_string_append_printf (s, _("Total: %s (%s of all)"), tv, tp);
  g_string_append_c (s, '\n');
  /* Translators: self value of a frame and its share of the profile */
  g_string_append_printf (s, _("Self: %s (%s of all)"), sv, sp);
  if (sg_flame_layout_get_mode (self->layout) == SG_FLAME_MODE_TIME_ORDER)
    g_string_append_printf (s, "\n<small>%s</small>",
                            _("One uninterrupted stretch of samples in time order"));
  return g_string_free (s, FALSE);
}

static gboolean
query_tooltip_cb (SgFlameGraph *self,
                  int           x,
                  int           y,
                  gboolean      keyboard_mode,
                  GtkTooltip   *tooltip)
{
  guint box = keyboard_mode ? self->cursor_box : sg_flame_graph_box_at (self, x, y);
  g_autofree char *markup = NULL;
  graphene_rect_t rect;

  if (get_box (self, box) == NULL)
    return FALSE;

  markup = format_tooltip (self, box);
  gtk_tooltip_set_markup (tooltip, markup);
  _sg_flame_graph_box_rect (self, box, gtk_widget_get_width (GTK_WIDGET (self)),
                            content_height (self), &rect);
  /* So the tooltip follows the pointer from box to box. */
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) {
    (int) MAX (rect.origin.x, 0), (int) rect.origin.y,
    (int) MAX (1, MIN (rect.size.width, gtk_widget_get_width (GTK_WIDGET (self)))),
    (int) rect.size.height,
  });
  return TRUE;
}

static void
popup_context_menu (SgFlameGraph *self,
                    guint         box,
                    double        x,
                    double        y)
{
  const SgFlameBox *b = get_box (self, box);
  gboolean has_frame = b != NULL && b->frame != SG_FRAME_NONE;
  gboolean has_file = FALSE;

  self->context_box = box;
  if (has_frame)
    {
      const SgFrame *f = &sg_profile_get_frames (self->profile)[b->frame];
      const char *file = sg_profile_get_string (self->profile, f->file);

      has_file = file != NULL && file[0] != '\0';
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.open-source",
                                     has_file && g_path_is_absolute (file) &&
                                     g_file_test (file, G_FILE_TEST_IS_REGULAR));
    }
  else
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.open-source", FALSE);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.focus", has_frame);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.hide", has_frame);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.show-from", has_frame);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flame.copy-location", has_file);

  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

static guint
action_box (SgFlameGraph *self)
{
  /* Menu actions act on the box the menu was opened on; keyboard ones on
   * the cursor. */
  if (get_box (self, self->context_box) != NULL)
    return self->context_box;
  return self->cursor_box;
}

static gboolean
forget_context_box (gpointer data)
{
  SG_FLAME_GRAPH (data)->context_box = SG_FLAME_BOX_NONE;
  return G_SOURCE_REMOVE;
}

static void
context_menu_closed_cb (SgFlameGraph *self)
{
  /* After the chosen item's action has run (it is activated as the menu
   * closes), so a dismissed menu does not leave keyboard shortcuts acting
   * on the box it was opened on. */
  g_idle_add_full (G_PRIORITY_LOW, forget_context_box, g_object_ref (self), g_object_unref);
}

static void
filter_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SgFlameGraph *self = SG_FLAME_GRAPH (widget);
  guint box = action_box (self);
  const SgFlameBox *b = get_box (self, box);
  SgFlameFilterKind kind;

  if (b == NULL || b->frame == SG_FRAME_NONE)
    return;
  if (g_str_equal (action_name, "flame.focus"))
    kind = SG_FLAME_FILTER_FOCUS;
  else if (g_str_equal (action_name, "flame.hide"))
    kind = SG_FLAME_FILTER_HIDE;
  else
    kind = SG_FLAME_FILTER_SHOW_FROM;
  self->context_box = SG_FLAME_BOX_NONE;
  g_signal_emit (self, signals[FILTER_REQUESTED], 0, kind, box_function (self, box));
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SgFlameGraph *self = SG_FLAME_GRAPH (widget);
  guint box = action_box (self);
  const SgFlameBox *b = get_box (self, box);
  g_autofree char *text = NULL;

  self->context_box = SG_FLAME_BOX_NONE;
  if (b == NULL)
    return;

  if (g_str_equal (action_name, "flame.copy-name"))
    text = g_strdup (box_function (self, box));
  else if (b->frame != SG_FRAME_NONE)
    {
      const SgFrame *f = &sg_profile_get_frames (self->profile)[b->frame];
      const char *file = sg_profile_get_string (self->profile, f->file);

      text = f->line > 0 && !b->merged ? g_strdup_printf ("%s:%d", file, f->line)
                                       : g_strdup (file);
    }
  if (text != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
open_source_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SgFlameGraph *self = SG_FLAME_GRAPH (widget);
  guint box = action_box (self);
  const SgFlameBox *b = get_box (self, box);
  const SgFrame *f;

  self->context_box = SG_FLAME_BOX_NONE;
  if (b == NULL || b->frame == SG_FRAME_NONE)
    return;
  f = &sg_profile_get_frames (self->profile)[b->frame];
  g_signal_emit (self, signals[OPEN_SOURCE], 0,
                 sg_profile_get_string (self->profile, f->file), (int) f->line);
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  SgFlameGraph *self = SG_FLAME_GRAPH (widget);
  guint box = action_box (self);

  self->context_box = SG_FLAME_BOX_NONE;
  if (get_box (self, box) == NULL)
    return;
  self->cursor_box = box;
  select_box (self, box);
  sg_flame_graph_zoom_to_box (self, box, TRUE);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  sg_flame_graph_zoom_out (SG_FLAME_GRAPH (widget));
}

static void
zoom_reset_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  sg_flame_graph_zoom_reset (SG_FLAME_GRAPH (widget));
}

static void
menu_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SgFlameGraph *self = SG_FLAME_GRAPH (widget);
  graphene_rect_t rect;

  if (get_box (self, self->cursor_box) == NULL)
    return;
  _sg_flame_graph_box_rect (self, self->cursor_box, gtk_widget_get_width (widget),
                            content_height (self), &rect);
  popup_context_menu (self, self->cursor_box,
                      CLAMP (rect.origin.x + MIN (rect.size.width, 40) / 2, 0,
                             gtk_widget_get_width (widget)),
                      rect.origin.y + rect.size.height / 2);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SgFlameGraph *self = SG_FLAME_GRAPH (widget);
  const char *direction = g_variant_get_string (param, NULL);
  const SgFlameBox *b;
  guint target = SG_FLAME_BOX_NONE;

  if (self->layout == NULL)
    return;
  if (get_box (self, self->cursor_box) == NULL)
    self->cursor_box = self->zoom_box;
  b = get_box (self, self->cursor_box);
  if (b == NULL)
    return;

  /* "up" is towards the leaves in a flame graph (root at the bottom) and
   * towards the root in an icicle graph. */
  if (g_str_equal (direction, "left"))
    target = sg_flame_layout_get_prev_in_row (self->layout, self->cursor_box);
  else if (g_str_equal (direction, "right"))
    target = sg_flame_layout_get_next_in_row (self->layout, self->cursor_box);
  else if (g_str_equal (direction, self->icicle ? "down" : "up"))
    target = sg_flame_layout_get_first_child (self->layout, self->cursor_box);
  else
    target = b->parent;

  if (target != SG_FLAME_BOX_NONE)
    move_cursor (self, target);
}

static void
sg_flame_graph_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  SgFlameGraph *self = SG_FLAME_GRAPH (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 120;
      *natural = 800;
    }
  else
    {
      guint rows = self->layout ? sg_flame_layout_get_n_rows (self->layout) : 0;

      *minimum = *natural = (int) (MAX (rows, 1) * SG_FLAME_ROW_HEIGHT);
    }
}

static void
sg_flame_graph_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  SgFlameGraph *self = SG_FLAME_GRAPH (widget);

  if (self->context_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->context_menu));
  if (width != self->cache_width || height != self->cache_height)
    g_clear_pointer (&self->cache, gsk_render_node_unref);
}

static void
sg_flame_graph_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  SgFlameGraph *self = SG_FLAME_GRAPH (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (self->cache == NULL || self->cache_width != width || self->cache_height != height)
    {
      g_clear_pointer (&self->cache, gsk_render_node_unref);
      self->cache = _sg_flame_graph_build_node (self, width, height);
      self->cache_width = width;
      self->cache_height = height;
    }
  if (self->cache != NULL)
    gtk_snapshot_append_node (snapshot, self->cache);
  _sg_flame_graph_snapshot_overlays (self, snapshot, width, height);
}

static void
update_label_layout (SgFlameGraph *self)
{
  PangoFontMetrics *metrics;

  _sg_flame_graph_clear_label_cache (self);
  g_clear_object (&self->label_layout);
  self->label_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  pango_layout_set_ellipsize (self->label_layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode (self->label_layout, TRUE);
  metrics = pango_context_get_metrics (pango_layout_get_context (self->label_layout), NULL, NULL);
  self->label_height = (double) (pango_font_metrics_get_ascent (metrics) +
                                 pango_font_metrics_get_descent (metrics)) / PANGO_SCALE;
  pango_font_metrics_unref (metrics);
}

static void
sg_flame_graph_css_changed (GtkWidget         *widget,
                            GtkCssStyleChange *change)
{
  SgFlameGraph *self = SG_FLAME_GRAPH (widget);
  GdkRGBA fg;
  gboolean dark;

  GTK_WIDGET_CLASS (sg_flame_graph_parent_class)->css_changed (widget, change);

  /* Light text means a dark style: pick fills that suit it. */
  _sg_flame_graph_get_colors (self, &fg, NULL, NULL);
  dark = (0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue) > 0.5;
  update_label_layout (self);
  if (dark != self->dark)
    {
      self->dark = dark;
      update_palette (self);
    }
  invalidate (self);
}

static void
focus_changed_cb (SgFlameGraph *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
sg_flame_graph_dispose (GObject *object)
{
  SgFlameGraph *self = SG_FLAME_GRAPH (object);

  if (self->layout_cancellable != NULL)
    g_cancellable_cancel (self->layout_cancellable);
  g_clear_object (&self->layout_cancellable);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }

  G_OBJECT_CLASS (sg_flame_graph_parent_class)->dispose (object);
}

static void
sg_flame_graph_finalize (GObject *object)
{
  SgFlameGraph *self = SG_FLAME_GRAPH (object);

  g_clear_pointer (&self->profile, sg_profile_unref);
  g_clear_pointer (&self->layout, sg_flame_layout_unref);
  g_clear_pointer (&self->palette, sg_flame_palette_free);
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  g_clear_pointer (&self->zoom_history, g_array_unref);
  g_clear_pointer (&self->selected_boxes, g_array_unref);
  g_clear_object (&self->label_layout);
  _sg_flame_graph_clear_label_cache (self);
  g_free (self->root_label);
  g_free (self->search);
  g_free (self->search_error);
  g_free (self->frame_matches);
  g_free (self->box_matches);
  g_free (self->selected_function);

  G_OBJECT_CLASS (sg_flame_graph_parent_class)->finalize (object);
}

static void
sg_flame_graph_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SgFlameGraph *self = SG_FLAME_GRAPH (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_boxed (value, self->profile);
      break;
    case PROP_VALUE_INDEX:
      g_value_set_uint (value, self->value_index);
      break;
    case PROP_MODE:
      g_value_set_int (value, self->mode);
      break;
    case PROP_ICICLE:
      g_value_set_boolean (value, self->icicle);
      break;
    case PROP_COLORS:
      g_value_set_int (value, self->colors);
      break;
    case PROP_LAYOUT:
      g_value_set_boxed (value, self->layout);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, sg_flame_graph_get_loading (self));
      break;
    case PROP_SEARCH_ERROR:
      g_value_set_string (value, self->search_error);
      break;
    case PROP_MATCH_FRACTION:
      g_value_set_double (value, sg_flame_graph_get_match_fraction (self));
      break;
    case PROP_SELECTED_FUNCTION:
      g_value_set_string (value, self->selected_function);
      break;
    case PROP_ZOOM_BOX:
      g_value_set_uint (value, self->zoom_box);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_flame_graph_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SgFlameGraph *self = SG_FLAME_GRAPH (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      sg_flame_graph_set_profile (self, g_value_get_boxed (value));
      break;
    case PROP_VALUE_INDEX:
      sg_flame_graph_set_value_index (self, g_value_get_uint (value));
      break;
    case PROP_MODE:
      sg_flame_graph_set_mode (self, g_value_get_int (value));
      break;
    case PROP_ICICLE:
      sg_flame_graph_set_icicle (self, g_value_get_boolean (value));
      break;
    case PROP_COLORS:
      sg_flame_graph_set_colors (self, g_value_get_int (value));
      break;
    case PROP_SELECTED_FUNCTION:
      sg_flame_graph_set_selected_function (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_flame_graph_class_init (SgFlameGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const struct { guint key; const char *dir; } arrows[] = {
    { GDK_KEY_Left, "left" }, { GDK_KEY_KP_Left, "left" },
    { GDK_KEY_Right, "right" }, { GDK_KEY_KP_Right, "right" },
    { GDK_KEY_Up, "up" }, { GDK_KEY_KP_Up, "up" },
    { GDK_KEY_Down, "down" }, { GDK_KEY_KP_Down, "down" },
  };

  object_class->dispose = sg_flame_graph_dispose;
  object_class->finalize = sg_flame_graph_finalize;
  object_class->get_property = sg_flame_graph_get_property;
  object_class->set_property = sg_flame_graph_set_property;

  widget_class->measure = sg_flame_graph_measure;
  widget_class->size_allocate = sg_flame_graph_size_allocate;
  widget_class->snapshot = sg_flame_graph_snapshot;
  widget_class->css_changed = sg_flame_graph_css_changed;

  properties[PROP_PROFILE] =
    g_param_spec_boxed ("profile", NULL, NULL, SG_TYPE_PROFILE,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE_INDEX] =
    g_param_spec_uint ("value-index", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODE] =
    g_param_spec_int ("mode", NULL, NULL, SG_FLAME_MODE_MERGED, SG_FLAME_MODE_TIME_ORDER,
                      SG_FLAME_MODE_MERGED,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICICLE] =
    g_param_spec_boolean ("icicle", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLORS] =
    g_param_spec_int ("colors", NULL, NULL, SG_FLAME_COLORS_PACKAGE, SG_FLAME_COLORS_ACCESSIBLE,
                      SG_FLAME_COLORS_PACKAGE,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAYOUT] =
    g_param_spec_boxed ("layout", NULL, NULL, SG_TYPE_FLAME_LAYOUT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH_ERROR] =
    g_param_spec_string ("search-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MATCH_FRACTION] =
    g_param_spec_double ("match-fraction", NULL, NULL, -1, 1, -1,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_FUNCTION] =
    g_param_spec_string ("selected-function", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM_BOX] =
    g_param_spec_uint ("zoom-box", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SgFlameGraph::filter-requested:
   * @kind: an #SgFlameFilterKind
   * @function: the function name
   *
   * The user asked (context menu) to focus on, hide, or show from a
   * function; the page applies it to the profile.
   */
  signals[FILTER_REQUESTED] =
    g_signal_new ("filter-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
  signals[OPEN_SOURCE] =
    g_signal_new ("open-source", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);

  gtk_widget_class_install_action (widget_class, "flame.focus", NULL, filter_action);
  gtk_widget_class_install_action (widget_class, "flame.hide", NULL, filter_action);
  gtk_widget_class_install_action (widget_class, "flame.show-from", NULL, filter_action);
  gtk_widget_class_install_action (widget_class, "flame.copy-name", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "flame.copy-location", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "flame.open-source", NULL, open_source_action);
  gtk_widget_class_install_action (widget_class, "flame.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "flame.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "flame.zoom-reset", NULL, zoom_reset_action);
  gtk_widget_class_install_action (widget_class, "flame.menu", NULL, menu_action);
  gtk_widget_class_install_action (widget_class, "flame.move", "s", move_action);

  for (guint i = 0; i < G_N_ELEMENTS (arrows); i++)
    gtk_widget_class_add_binding_action (widget_class, arrows[i].key, 0, "flame.move",
                                         "s", arrows[i].dir);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "flame.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "flame.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "flame.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "flame.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "flame.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "flame.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "flame.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "flame.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                       "flame.copy-name", NULL);

  gtk_widget_class_set_css_name (widget_class, "flamegraph");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static GMenuModel *
build_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) filters = g_menu_new ();
  g_autoptr(GMenu) copy = g_menu_new ();
  g_autoptr(GMenu) zoom = g_menu_new ();

  g_menu_append (zoom, _("_Zoom In"), "flame.zoom-in");
  g_menu_append (zoom, _("Zoom _Out"), "flame.zoom-out");
  g_menu_append (zoom, _("_Reset Zoom"), "flame.zoom-reset");
  g_menu_append (filters, _("_Focus on This Function"), "flame.focus");
  g_menu_append (filters, _("_Hide This Function"), "flame.hide");
  g_menu_append (filters, _("_Show From This Frame"), "flame.show-from");
  g_menu_append (copy, _("_Copy Name"), "flame.copy-name");
  g_menu_append (copy, _("Copy File:_Line"), "flame.copy-location");
  g_menu_append (copy, _("_Open Source"), "flame.open-source");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (zoom));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (filters));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (copy));
  return G_MENU_MODEL (menu);
}

static void
sg_flame_graph_init (SgFlameGraph *self)
{
  GtkEventController *motion;
  GtkEventController *focus;
  GtkGesture *click;
  g_autoptr(GMenuModel) menu = build_menu ();

  self->zoom_history = g_array_new (FALSE, FALSE, sizeof (guint));
  self->view = self->view_from = self->view_to = (SgFlameView) { 0.0, 1.0 };
  self->hover_box = SG_FLAME_BOX_NONE;
  self->cursor_box = SG_FLAME_BOX_NONE;
  self->context_box = SG_FLAME_BOX_NONE;
  self->zoom_node = SG_NODE_ROOT;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "view");
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_object (motion, "motion", G_CALLBACK (motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "leave", G_CALLBACK (leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect_object (click, "pressed", G_CALLBACK (pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "enter", G_CALLBACK (focus_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (focus, "leave", G_CALLBACK (focus_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  self->context_menu = gtk_popover_menu_new_from_model (menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));
  g_signal_connect_object (self->context_menu, "closed", G_CALLBACK (context_menu_closed_cb), self,
                           G_CONNECT_SWAPPED);

  update_label_layout (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Flame graph"),
                                  -1);
}

GtkWidget *
sg_flame_graph_new (void)
{
  return g_object_new (SG_TYPE_FLAME_GRAPH, NULL);
}

SgProfile *
sg_flame_graph_get_profile (SgFlameGraph *self)
{
  g_return_val_if_fail (SG_IS_FLAME_GRAPH (self), NULL);
  return self->profile;
}

void
sg_flame_graph_set_profile (SgFlameGraph *self,
                            SgProfile    *profile)
{
  g_return_if_fail (SG_IS_FLAME_GRAPH (self));

  if (profile == self->profile)
    return;
  if (profile)
    sg_profile_ref (profile);
  g_clear_pointer (&self->profile, sg_profile_unref);
  self->profile = profile;
  /* A new profile keeps the zoom only if relayout finds the same node id,
   * which means nothing across profiles: start from the root. */
  self->zoom_node = SG_NODE_ROOT;
  g_clear_pointer (&self->layout, sg_flame_layout_unref);
  relayout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

guint
sg_flame_graph_get_value_index (SgFlameGraph *self)
{
  g_return_val_if_fail (SG_IS_FLAME_GRAPH (self), 0);
  return self->value_index;
}

void
sg_flame_graph_set_value_index (SgFlameGraph *self,
                                guint         value_index)
{
  g_return_if_fail (SG_IS_FLAME_GRAPH (self));

  if (value_index == self->value_index)
    return;
  self->value_index = value_index;
  relayout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE_INDEX]);
}

SgFlameMode
sg_flame_graph_get_mode (SgFlameGraph *self)
{
  g_return_val_if_fail (SG_IS_FLAME_GRAPH (self), 0);
  return self->mode;
}

void
sg_flame_graph_set_mode (SgFlameGraph *self,
                         SgFlameMode   mode)
{
  g_return_if_fail (SG_IS_FLAME_GRAPH (self));

  if (mode == self->mode)
    return;
  self->mode = mode;
  relayout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

gboolean
sg_flame_graph_get_icicle (SgFlameGraph *self)
{
  g_return_val_if_fail (SG_IS_FLAME_GRAPH (self), FALSE);
  return self->icicle;
}

void
sg_flame_graph_set_icicle (SgFlameGraph *self,
                           gboolean      icicle)
{
  g_return_if_fail (SG_IS_FLAME_GRAPH (self));

  icicle = !!icicle;
  if (icicle == self->icicle)
    return;
  self->icicle = icicle;
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICICLE]);
}

SgFlameColors
sg_flame_graph_get_colors (SgFlameGraph *self)
{
  g_return_val_if_fail (SG_IS_FLAME_GRAPH (self), 0);
  return self->colors;
}

void
sg_flame_graph_set_colors (SgFlameGraph  *self,
                           SgFlameColors  colors)
{
  g_return_if_fail (SG_IS_FLAME_GRAPH (self));

  if (colors == self->colors)
    return;
  self->colors = colors;
  update_palette (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLORS]);
}

SgFlameLayout *
sg_flame_graph_get_layout (SgFlameGraph *self)
{
  g_return_val_if_fail (SG_IS_FLAME_GRAPH (self), NULL);
  return self->layout;
}

gboolean
sg_flame_graph_get_loading (SgFlameGraph *self)
{
  g_return_val_if_fail (SG_IS_FLAME_GRAPH (self), FALSE);
  return self->layout_cancellable != NULL;
}

void
sg_flame_graph_set_search (SgFlameGraph *self,
                           const char   *pattern,
                           gboolean      regex)
{
  g_return_if_fail (SG_IS_FLAME_GRAPH (self));

  if (g_strcmp0 (pattern, self->search) == 0 && !!regex == self->search_regex)
    return;
  g_free (self->search);
  self->search = g_strdup (pattern);
  self->search_regex = !!regex;
  update_matches (self);
}

const char *
sg_flame_graph_get_search_error (SgFlameGraph *self)
{
  g_return_val_if_fail (SG_IS_FLAME_GRAPH (self), NULL);
  return self->search_error;
}

/* Share of the total in matching frames, or -1 when there is no search. */
double
sg_flame_graph_get_match_fraction (SgFlameGraph *self)
{
  gint64 total;

  g_return_val_if_fail (SG_IS_FLAME_GRAPH (self), -1);

  if (self->box_matches == NULL || self->layout == NULL)
    return -1;
  total = sg_flame_layout_get_total (self->layout);
  return total > 0 ? (double) self->match_value / (double) total : 0;
}

const char *
sg_flame_graph_get_selected_function (SgFlameGraph *self)
{
  g_return_val_if_fail (SG_IS_FLAME_GRAPH (self), NULL);
  return self->selected_function;
}

void
sg_flame_graph_set_selected_function (SgFlameGraph *self,
                                      const char   *function)
{
  g_return_if_fail (SG_IS_FLAME_GRAPH (self));

  if (g_strcmp0 (function, self->selected_function) == 0)
    return;
  g_free (self->selected_function);
  self->selected_function = g_strdup (function);
  update_selection (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_FUNCTION]);
}

void
sg_flame_graph_zoom_to_box (SgFlameGraph *self,
                            guint         box,
                            gboolean      animate)
{
  g_return_if_fail (SG_IS_FLAME_GRAPH (self));

  if (get_box (self, box) == NULL || box == self->zoom_box)
    return;
  g_array_append_val (self->zoom_history, self->zoom_box);
  set_zoom (self, box, animate);
}

void
sg_flame_graph_zoom_out (SgFlameGraph *self)
{
  guint previous;

  g_return_if_fail (SG_IS_FLAME_GRAPH (self));

  if (self->layout == NULL)
    return;
  if (self->zoom_history->len > 0)
    {
      previous = g_array_index (self->zoom_history, guint, self->zoom_history->len - 1);
      g_array_set_size (self->zoom_history, self->zoom_history->len - 1);
    }
  else if (self->zoom_box != 0)
    previous = get_box (self, self->zoom_box)->parent;
  else
    return;
  set_zoom (self, previous == SG_FLAME_BOX_NONE ? 0 : previous, TRUE);
}

void
sg_flame_graph_zoom_reset (SgFlameGraph *self)
{
  g_return_if_fail (SG_IS_FLAME_GRAPH (self));

  if (self->layout == NULL)
    return;
  g_array_set_size (self->zoom_history, 0);
  set_zoom (self, 0, TRUE);
}

guint
sg_flame_graph_get_zoom_box (SgFlameGraph *self)
{
  g_return_val_if_fail (SG_IS_FLAME_GRAPH (self), 0);
  return self->zoom_box;
}

/**
 * sg_flame_graph_dup_zoom_path:
 *
 * Returns: (transfer full): box indices from the root to the zoomed box.
 */
GArray *
sg_flame_graph_dup_zoom_path (SgFlameGraph *self)
{
  GArray *path = g_array_new (FALSE, FALSE, sizeof (guint));

  g_return_val_if_fail (SG_IS_FLAME_GRAPH (self), path);

  for (guint b = self->zoom_box; get_box (self, b) != NULL; b = get_box (self, b)->parent)
    g_array_prepend_val (path, b);
  return path;
}

SgFlameView
sg_flame_graph_get_view (SgFlameGraph *self)
{
  return self->view;
}

guint
sg_flame_graph_get_cursor (SgFlameGraph *self)
{
  g_return_val_if_fail (SG_IS_FLAME_GRAPH (self), SG_FLAME_BOX_NONE);
  return self->cursor_box;
}

void
sg_flame_graph_set_cursor (SgFlameGraph *self,
                           guint         box)
{
  g_return_if_fail (SG_IS_FLAME_GRAPH (self));
  move_cursor (self, box);
}

GPtrArray *
sg_flame_graph_dup_legend (SgFlameGraph *self)
{
  g_return_val_if_fail (SG_IS_FLAME_GRAPH (self), NULL);

  if (self->palette == NULL)
    return g_ptr_array_new ();
  return sg_flame_palette_dup_legend (self->palette, 12);
}
