/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The Profile page: the profile selected in the sidebar as a flame graph
 * (or a sandwich of callers and callees) over a top table.
 *
 * The file's bytes are parsed on a worker thread while the page shows a
 * progress bar and a Cancel button; a file that cannot be read gives an
 * error page naming the problem.  Filters from the flame graph's context
 * menu (focus, hide, show from) become removable chips and are applied to
 * the original profile on a worker thread, so the window never waits on
 * them.  The flame graph, the table and the sandwich share one selected
 * function: picking it in any of them highlights it in the others.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sg-analysis.h"
#include "sg-profile-io.h"
#include "sg-profile-page.h"

typedef struct
{
  SgFlameFilterKind  kind;
  char              *function;
} Filter;

struct _SgProfilePage
{
  GtkWidget        parent_instance;

  SgProfileFile   *file;
  SgProfile       *original;
  SgProfile       *shown;
  GArray          *filters;     /* Filter */
  GCancellable    *load_cancellable;
  GCancellable    *filter_cancellable;
  guint            pulse_id;
  guint            value_index;
  char            *view;
  char            *colors;
  gboolean         syncing;
  gboolean         pin_root;
  guint            pin_idle;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  AdwStatusPage   *loading_page;
  AdwStatusPage   *error_page;
  GtkProgressBar  *progress;
  GtkDropDown     *value_dropdown;
  GtkToggleButton *icicle_button;
  GtkBox          *legend_box;
  GtkLabel        *match_label;
  GtkSearchEntry  *search_entry;
  GtkToggleButton *regex_button;
  GtkBox          *breadcrumb;
  GtkBox          *chips;
  GtkLabel        *summary_label;
  GtkSpinner      *busy_spinner;
  GtkStack        *view_stack;
  GtkScrolledWindow *flame_scroller;
  SgFlameGraph    *flame_graph;
  SgSandwich      *sandwich;
  SgTopTable      *top_table;
  GtkWidget       *record_button;
  GtkWidget       *empty_record_button;
};

G_DEFINE_FINAL_TYPE (SgProfilePage, sg_profile_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_VIEW,
  PROP_COLORS,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  OPEN_SOURCE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void show_profile (SgProfilePage *self,
                          SgProfile     *profile);

static void
filter_clear (Filter *filter)
{
  g_free (filter->function);
}

static void
toast (SgProfilePage *self,
       const char    *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
notify_busy (SgProfilePage *self)
{
  gboolean busy = sg_profile_page_get_busy (self);

  /* Filtering or laying out a large profile takes seconds: say so. */
  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), busy);
  gtk_spinner_set_spinning (self->busy_spinner, busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* ---- value types --------------------------------------------------------- */

static char *
value_type_label (SgProfile *profile,
                  guint      index)
{
  static const struct { const char *type; const char *label; } known[] = {
    { "cpu", N_("CPU Time") },
    { "wall", N_("Wall Time") },
    { "samples", N_("Samples") },
    { "alloc_space", N_("Allocated Bytes") },
    { "alloc_objects", N_("Allocated Objects") },
    { "inuse_space", N_("In-Use Bytes") },
    { "inuse_objects", N_("In-Use Objects") },
    { "space", N_("Bytes") },
    { "objects", N_("Objects") },
    { "contentions", N_("Contentions") },
    { "delay", N_("Delay") },
    { "time", N_("Time") },
    { "calls", N_("Calls") },
  };
  const char *type = sg_profile_get_value_type (profile, index);

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_strcmp0 (type, known[i].type) == 0)
      return g_strdup (_(known[i].label));
  if (type == NULL || type[0] == '\0')
    return g_strdup (_("Value"));
  return g_strdup (type);
}

static void
fill_value_dropdown (SgProfilePage *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint n = sg_profile_get_n_value_types (self->original);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *label = value_type_label (self->original, i);
      gtk_string_list_append (list, label);
    }

  self->syncing = TRUE;
  gtk_drop_down_set_model (self->value_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->value_dropdown, self->value_index);
  self->syncing = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->value_dropdown), n > 1);
}

static void
value_selected_cb (SgProfilePage *self)
{
  guint selected = gtk_drop_down_get_selected (self->value_dropdown);

  if (self->syncing || selected == GTK_INVALID_LIST_POSITION)
    return;
  sg_profile_page_set_value_index (self, selected);
}

/* ---- summary, breadcrumb, legend, chips ---------------------------------- */

static void
update_summary (SgProfilePage *self)
{
  g_autofree char *total = NULL;
  g_autofree char *count = NULL;
  GString *s;
  gint64 duration;

  if (self->shown == NULL)
    return;

  total = sg_flame_format_value (sg_profile_get_total (self->shown, self->value_index),
                                 sg_profile_get_value_unit (self->shown, self->value_index));
  count = sg_flame_format_value (sg_profile_get_n_samples (self->shown), "count");
  s = g_string_new (NULL);
  /* Translators: "total value · number of samples" in the Profile page */
  g_string_append_printf (s, ngettext ("%s total · %s sample", "%s total · %s samples",
                                       sg_profile_get_n_samples (self->shown)),
                          total, count);
  duration = sg_profile_get_duration_ns (self->shown);
  if (duration > 0)
    {
      g_autofree char *d = sg_flame_format_value (duration, "nanoseconds");
      /* Translators: how long the profile was recorded */
      g_string_append_printf (s, _(" · recorded over %s"), d);
    }
  gtk_label_set_text (self->summary_label, s->str);
  g_string_free (s, TRUE);
}

static void
crumb_clicked_cb (GtkButton     *button,
                  SgProfilePage *self)
{
  guint box = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "box"));

  if (box == 0)
    sg_flame_graph_zoom_reset (self->flame_graph);
  else
    sg_flame_graph_zoom_to_box (self->flame_graph, box, TRUE);
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))))
    gtk_box_remove (box, child);
}

#define MAX_CRUMBS 6

static void
update_breadcrumb (SgProfilePage *self)
{
  SgFlameLayout *layout = sg_flame_graph_get_layout (self->flame_graph);
  g_autoptr(GArray) path = sg_flame_graph_dup_zoom_path (self->flame_graph);
  const SgFlameBox *boxes;
  guint first;

  clear_box (self->breadcrumb);
  if (layout == NULL || path->len <= 1)
    {
      GtkWidget *hint = gtk_label_new (_("Click a frame to zoom in, Esc to zoom out"));

      gtk_widget_add_css_class (hint, "dim-label");
      gtk_label_set_ellipsize (GTK_LABEL (hint), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (hint), 0);
      gtk_widget_set_margin_start (hint, 6);
      gtk_box_append (self->breadcrumb, hint);
      return;
    }

  boxes = sg_flame_layout_get_boxes (layout, NULL);
  first = path->len > MAX_CRUMBS ? path->len - MAX_CRUMBS + 1 : 0;
  for (guint i = 0; i < path->len; i++)
    {
      guint box = g_array_index (path, guint, i);
      GtkWidget *button, *label;

      if (i > 0 && i < first)
        continue;
      if (i > 0)
        {
          GtkWidget *sep = gtk_label_new (i == first && first > 1 ? "› … ›" : "›");

          gtk_widget_add_css_class (sep, "dim-label");
          gtk_box_append (self->breadcrumb, sep);
        }

      label = gtk_label_new (boxes[box].frame == SG_FRAME_NONE
                               ? _("All")
                               : sg_profile_get_frame_function (sg_flame_graph_get_profile (self->flame_graph),
                                                                boxes[box].frame));
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
      button = gtk_button_new ();
      gtk_button_set_child (GTK_BUTTON (button), label);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, gtk_label_get_text (GTK_LABEL (label)));
      gtk_widget_set_sensitive (button, i + 1 < path->len);
      g_object_set_data (G_OBJECT (button), "box", GUINT_TO_POINTER (box));
      g_signal_connect (button, "clicked", G_CALLBACK (crumb_clicked_cb), self);
      gtk_box_append (self->breadcrumb, button);
    }
}

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  const GdkRGBA *color = user_data;

  gdk_cairo_set_source_rgba (cr, color);
  cairo_rectangle (cr, 0.5, 0.5, width - 1, height - 1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.25);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static void
update_legend (SgProfilePage *self)
{
  g_autoptr(GPtrArray) legend = sg_flame_graph_dup_legend (self->flame_graph);
  GtkWidget *grid = gtk_grid_new ();

  clear_box (self->legend_box);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);

  for (guint i = 0; i < legend->len; i++)
    {
      SgFlameLegendEntry *e = g_ptr_array_index (legend, i);
      GtkWidget *swatch = gtk_drawing_area_new ();
      GtkWidget *label = gtk_label_new (e->label);

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 14);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 14);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch,
                                      gdk_rgba_copy (&e->color), (GDestroyNotify) gdk_rgba_free);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_grid_attach (GTK_GRID (grid), swatch, 0, i, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), label, 1, i, 1, 1);
      if (e->share >= 0)
        {
          g_autofree char *text = g_strdup_printf ("%.1f%%", 100 * e->share);
          GtkWidget *share = gtk_label_new (text);

          gtk_label_set_xalign (GTK_LABEL (share), 1);
          gtk_widget_add_css_class (share, "dim-label");
          gtk_widget_add_css_class (share, "numeric");
          gtk_grid_attach (GTK_GRID (grid), share, 2, i, 1, 1);
        }
    }

  if (legend->len > 0 && sg_flame_graph_get_colors (self->flame_graph) != SG_FLAME_COLORS_HEAT)
    {
      GtkWidget *note = gtk_label_new (_("Heaviest packages by self time"));

      gtk_widget_add_css_class (note, "dim-label");
      gtk_widget_add_css_class (note, "caption");
      gtk_label_set_xalign (GTK_LABEL (note), 0);
      gtk_box_append (self->legend_box, note);
    }
  gtk_box_append (self->legend_box, grid);
}

static const char *
filter_label (SgFlameFilterKind kind)
{
  switch (kind)
    {
    case SG_FLAME_FILTER_FOCUS:
      /* Translators: a filter chip, followed by a function name */
      return C_("filter", "Focus:");
    case SG_FLAME_FILTER_HIDE:
      /* Translators: a filter chip, followed by a function name */
      return C_("filter", "Hidden:");
    case SG_FLAME_FILTER_SHOW_FROM:
    default:
      /* Translators: a filter chip, followed by a function name */
      return C_("filter", "From:");
    }
}

static void
update_chips (SgProfilePage *self)
{
  clear_box (self->chips);

  for (guint i = 0; i < self->filters->len; i++)
    {
      const Filter *f = &g_array_index (self->filters, Filter, i);
      g_autofree char *text = g_strdup_printf ("%s %s", filter_label (f->kind), f->function);
      g_autofree char *remove = g_strdup_printf (_("Remove filter “%s”"), text);
      GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *button = gtk_button_new_from_icon_name ("window-close-symbolic");

      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
      gtk_widget_set_tooltip_text (label, text);
      gtk_widget_add_css_class (chip, "filter-chip");
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "circular");
      gtk_widget_set_tooltip_text (button, remove);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, remove, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "profile.remove-filter");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", i);
      gtk_box_append (GTK_BOX (chip), label);
      gtk_box_append (GTK_BOX (chip), button);
      gtk_box_append (self->chips, chip);
    }

  if (self->filters->len > 1)
    {
      GtkWidget *clear = gtk_button_new_with_mnemonic (_("C_lear Filters"));

      gtk_widget_add_css_class (clear, "flat");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (clear), "profile.clear-filters");
      gtk_box_append (self->chips, clear);
    }
}

/* ---- filters -------------------------------------------------------------- */

typedef struct
{
  SgProfile    *original;
  SgFilterRule *rules;
  guint         n_rules;
  char        **patterns;
} FilterJob;

static void
filter_job_free (FilterJob *job)
{
  sg_profile_unref (job->original);
  g_free (job->rules);
  g_strfreev (job->patterns);
  g_free (job);
}

static void
filter_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  FilterJob *job = task_data;
  GError *error = NULL;
  SgProfile *filtered = sg_profile_filter (job->original, job->rules, job->n_rules, &error);

  if (filtered == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, filtered, (GDestroyNotify) sg_profile_unref);
}

static void
filter_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SgProfilePage *self = SG_PROFILE_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) filtered = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  g_clear_object (&self->filter_cancellable);

  if (filtered == NULL || sg_profile_get_total (filtered, self->value_index) == 0)
    {
      /* A filter that leaves nothing is undone, not shown as an empty graph. */
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("No samples are left with this filter: %s"),
                                 error ? error->message : _("every stack was removed"));
      toast (self, message);
      if (self->filters->len > 0)
        g_array_set_size (self->filters, self->filters->len - 1);
      update_chips (self);
      notify_busy (self);
      return;
    }

  show_profile (self, filtered);
  notify_busy (self);
}

static void
apply_filters (SgProfilePage *self)
{
  g_autoptr(GTask) task = NULL;
  FilterJob *job;

  if (self->filter_cancellable)
    g_cancellable_cancel (self->filter_cancellable);
  g_clear_object (&self->filter_cancellable);
  update_chips (self);

  if (self->original == NULL)
    return;
  if (self->filters->len == 0)
    {
      show_profile (self, self->original);
      notify_busy (self);
      return;
    }

  job = g_new0 (FilterJob, 1);
  job->original = sg_profile_ref (self->original);
  job->n_rules = self->filters->len;
  job->rules = g_new0 (SgFilterRule, job->n_rules);
  job->patterns = g_new0 (char *, job->n_rules + 1);
  for (guint i = 0; i < job->n_rules; i++)
    {
      const Filter *f = &g_array_index (self->filters, Filter, i);
      g_autofree char *escaped = g_regex_escape_string (f->function, -1);

      /* Whole-name matches: "fib" must not also catch "fibonacci". */
      job->patterns[i] = g_strdup_printf ("^%s$", escaped);
      job->rules[i].pattern = job->patterns[i];
      job->rules[i].regex = TRUE;
      job->rules[i].kind = f->kind == SG_FLAME_FILTER_FOCUS ? SG_FILTER_FOCUS
                         : f->kind == SG_FLAME_FILTER_HIDE ? SG_FILTER_HIDE
                         : SG_FILTER_SHOW_FROM;
    }

  self->filter_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->filter_cancellable, filter_ready, NULL);
  g_task_set_source_tag (task, apply_filters);
  g_task_set_task_data (task, job, (GDestroyNotify) filter_job_free);
  g_task_run_in_thread (task, filter_thread);
  notify_busy (self);
}

static void
filter_requested_cb (SgProfilePage *self,
                     int            kind,
                     const char    *function)
{
  sg_profile_page_add_filter (self, kind, function);
}

/* ---- showing a profile ---------------------------------------------------- */

static void
scroll_flame_to_root (SgProfilePage *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->flame_scroller);
  double value;

  /* The root is at the bottom of a flame graph, at the top of an icicle. */
  value = sg_flame_graph_get_icicle (self->flame_graph)
            ? 0 : gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);
  gtk_adjustment_set_value (adj, value);
}

/* A new layout or orientation shows the root first.  The scroller learns
 * the graph's new height only at the next allocation, so the page stays
 * pinned to the root until then, or until the user scrolls. */
static void
schedule_scroll_to_root (SgProfilePage *self)
{
  self->pin_root = TRUE;
  scroll_flame_to_root (self);
}

static gboolean
pinned_scroll_idle (gpointer data)
{
  SgProfilePage *self = data;

  self->pin_idle = 0;
  if (self->pin_root)
    scroll_flame_to_root (self);
  return G_SOURCE_REMOVE;
}

static gboolean
at_root (SgProfilePage *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->flame_scroller);
  double target = sg_flame_graph_get_icicle (self->flame_graph)
                    ? 0 : gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);

  return ABS (gtk_adjustment_get_value (adj) - target) < 0.5;
}

static void
adjustment_upper_cb (SgProfilePage *self)
{
  /* The adjustment changes while the viewport is being allocated; a value
   * set then would not move the graph until the next allocation, so set
   * it right after. */
  if (self->pin_root && self->pin_idle == 0 && !at_root (self))
    self->pin_idle = g_idle_add (pinned_scroll_idle, self);
}

static gboolean
user_scroll_cb (SgProfilePage *self)
{
  /* GTK also moves the value when the content resizes; only the user's
   * own scrolling (wheel, touchpad, scrollbar) unpins the root. */
  self->pin_root = FALSE;
  return FALSE;
}

static void
user_press_cb (SgProfilePage *self)
{
  self->pin_root = FALSE;
}

static void
layout_changed_cb (SgProfilePage *self)
{
  update_breadcrumb (self);
  update_legend (self);
  schedule_scroll_to_root (self);
  notify_busy (self);
}

static void
show_profile (SgProfilePage *self,
              SgProfile     *profile)
{
  if (profile != self->shown)
    {
      if (profile)
        sg_profile_ref (profile);
      g_clear_pointer (&self->shown, sg_profile_unref);
      self->shown = profile;
    }

  sg_flame_graph_set_value_index (self->flame_graph, self->value_index);
  sg_flame_graph_set_profile (self->flame_graph, profile);
  sg_top_table_set_profile (self->top_table, profile, self->value_index);
  sg_sandwich_set_profile (self->sandwich, profile, self->value_index);
  update_summary (self);
  update_chips (self);
}

static gboolean
pulse_cb (gpointer user_data)
{
  SgProfilePage *self = user_data;

  gtk_progress_bar_pulse (self->progress);
  return G_SOURCE_CONTINUE;
}

static void
stop_loading (SgProfilePage *self)
{
  if (self->load_cancellable)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
}

static void
show_error (SgProfilePage *self,
            const char    *title,
            const char    *description)
{
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, description);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SgProfileFile *file = task_data;
  GError *error = NULL;
  SgProfile *profile;

  profile = sg_profile_load_bytes (sg_profile_file_get_contents (file),
                                   sg_profile_file_get_display_name (file), &error);
  if (profile == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, profile, (GDestroyNotify) sg_profile_unref);
}

static void
load_ready (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SgProfilePage *self = SG_PROFILE_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = g_task_propagate_pointer (G_TASK (result), &error);

  /* A cancelled or superseded load finishes in the background and its
   * result is dropped here. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  stop_loading (self);

  if (profile == NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Could Not Open “%s”"),
                                                sg_profile_file_get_display_name (self->file));
      show_error (self, title, error->message);
      notify_busy (self);
      return;
    }

  g_clear_pointer (&self->original, sg_profile_unref);
  self->original = sg_profile_ref (profile);
  g_array_set_size (self->filters, 0);
  self->value_index = sg_profile_get_default_value (profile);
  fill_value_dropdown (self);
  sg_flame_graph_zoom_reset (self->flame_graph);
  show_profile (self, profile);
  gtk_stack_set_visible_child_name (self->stack, "profile");
  notify_busy (self);
}

static void
start_loading (SgProfilePage *self)
{
  g_autoptr(GTask) task = NULL;

  stop_loading (self);
  g_array_set_size (self->filters, 0);
  g_clear_pointer (&self->original, sg_profile_unref);
  show_profile (self, NULL);

  if (self->file == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      notify_busy (self);
      return;
    }

  adw_status_page_set_title (self->loading_page, sg_profile_file_get_display_name (self->file));
  gtk_progress_bar_set_fraction (self->progress, 0);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  /* The importers cannot report how far they are, so the bar pulses:
   * it shows that work is going on without inventing a percentage. */
  self->pulse_id = g_timeout_add (100, pulse_cb, self);

  self->load_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->load_cancellable, load_ready, NULL);
  g_task_set_source_tag (task, start_loading);
  g_task_set_task_data (task, g_object_ref (self->file), g_object_unref);
  g_task_run_in_thread (task, load_thread);
  notify_busy (self);
}

/* ---- selection sync, search, toolbar -------------------------------------- */

static void
graph_selection_cb (SgProfilePage *self)
{
  const char *function = sg_flame_graph_get_selected_function (self->flame_graph);

  if (self->syncing)
    return;
  self->syncing = TRUE;
  sg_top_table_set_selected_function (self->top_table, function);
  if (function != NULL)
    sg_sandwich_set_function (self->sandwich, function);
  self->syncing = FALSE;
}

static void
table_selection_cb (SgProfilePage *self)
{
  const char *function = sg_top_table_get_selected_function (self->top_table);

  if (self->syncing)
    return;
  self->syncing = TRUE;
  sg_flame_graph_set_selected_function (self->flame_graph, function);
  if (function != NULL)
    sg_sandwich_set_function (self->sandwich, function);
  self->syncing = FALSE;
}

static void
table_activated_cb (SgProfilePage *self,
                    const char    *function)
{
  sg_sandwich_set_function (self->sandwich, function);
  gtk_widget_activate_action (GTK_WIDGET (self), "profile.view", "s", "sandwich");
}

static void
search_changed_cb (SgProfilePage *self)
{
  sg_flame_graph_set_search (self->flame_graph,
                             gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                             gtk_toggle_button_get_active (self->regex_button));
}

static void
search_stopped_cb (SgProfilePage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->flame_graph));
}

static void
match_changed_cb (SgProfilePage *self)
{
  double fraction = sg_flame_graph_get_match_fraction (self->flame_graph);
  const char *error = sg_flame_graph_get_search_error (self->flame_graph);
  g_autofree char *text = NULL;

  if (error != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->search_entry), error);
      gtk_label_set_text (self->match_label, _("Invalid pattern"));
      gtk_widget_set_visible (GTK_WIDGET (self->match_label), TRUE);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->search_entry), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->match_label), fraction >= 0);
  if (fraction < 0)
    return;
  /* Translators: share of the profile in frames matching the search */
  text = g_strdup_printf (_("%.1f%% matched"), 100 * fraction);
  gtk_label_set_text (self->match_label, text);
}

static void
icicle_toggled_cb (SgProfilePage *self)
{
  sg_flame_graph_set_icicle (self->flame_graph, gtk_toggle_button_get_active (self->icicle_button));
  schedule_scroll_to_root (self);
}

static void
set_view (SgProfilePage *self,
          const char    *view)
{
  if (g_strcmp0 (view, "sandwich") != 0 && g_strcmp0 (view, "time") != 0)
    view = "flame";
  if (g_strcmp0 (view, self->view) == 0)
    return;
  g_free (self->view);
  self->view = g_strdup (view);

  gtk_stack_set_visible_child_name (self->view_stack,
                                    g_str_equal (view, "sandwich") ? "sandwich" : "flame");
  if (!g_str_equal (view, "sandwich"))
    sg_flame_graph_set_mode (self->flame_graph, g_str_equal (view, "time")
                                                  ? SG_FLAME_MODE_TIME_ORDER
                                                  : SG_FLAME_MODE_MERGED);
  /* Search and export work on the flame graph; there is none to search
   * in the sandwich view. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), !g_str_equal (view, "sandwich"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
  notify_busy (self);
}

static void
set_colors (SgProfilePage *self,
            const char    *colors)
{
  SgFlameColors scheme = SG_FLAME_COLORS_PACKAGE;

  if (g_strcmp0 (colors, "heat") == 0)
    scheme = SG_FLAME_COLORS_HEAT;
  else if (g_strcmp0 (colors, "accessible") == 0)
    scheme = SG_FLAME_COLORS_ACCESSIBLE;
  else
    colors = "package";
  if (g_strcmp0 (colors, self->colors) == 0)
    return;
  g_free (self->colors);
  self->colors = g_strdup (colors);

  sg_flame_graph_set_colors (self->flame_graph, scheme);
  sg_sandwich_set_colors (self->sandwich, scheme);
  update_legend (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLORS]);
}

/* The window knows where sources are (the agent's, the Debug page's
 * folder) and shows them at the line; see ::open-source. */
static void
open_source_cb (SgProfilePage *self,
                const char    *file,
                int            line)
{
  g_signal_emit (self, signals[OPEN_SOURCE], 0, file, line);
}

/* ---- actions -------------------------------------------------------------- */

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SgProfilePage *self = SG_PROFILE_PAGE (widget);
  g_autofree char *description = NULL;

  if (self->load_cancellable == NULL)
    return;
  stop_loading (self);
  description = g_strdup_printf (_("“%s” was not opened. Try again to load it."),
                                 sg_profile_file_get_display_name (self->file));
  show_error (self, _("Loading Cancelled"), description);
  notify_busy (self);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  start_loading (SG_PROFILE_PAGE (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SgProfilePage *self = SG_PROFILE_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "profile") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
remove_filter_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  sg_profile_page_remove_filter (SG_PROFILE_PAGE (widget), g_variant_get_uint32 (param));
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  SgProfilePage *self = SG_PROFILE_PAGE (widget);

  g_array_set_size (self->filters, 0);
  apply_filters (self);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    SgProfilePage   *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  SgFlameExportFormat format;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = g_file_get_path (file);
    }
  g_object_unref (dialog);
  if (path == NULL)
    return;

  if (!sg_flame_export_format_for_path (path, &format))
    format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (self), "export-format"));
  if (!sg_flame_graph_export (self->flame_graph, path, format, &error))
    toast (self, error->message);
  else
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *message = g_strdup_printf (_("Saved “%s”"), name);

      toast (self, message);
    }
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SgProfilePage *self = SG_PROFILE_PAGE (widget);
  const char *ext = g_variant_get_string (param, NULL);
  GtkFileChooserNative *dialog;
  g_autofree char *stem = NULL;
  g_autofree char *name = NULL;
  char *dot;
  SgFlameExportFormat format = g_str_equal (ext, "svg") ? SG_FLAME_EXPORT_SVG
                             : g_str_equal (ext, "pdf") ? SG_FLAME_EXPORT_PDF
                             : SG_FLAME_EXPORT_PNG;

  if (self->file == NULL || sg_flame_graph_get_layout (self->flame_graph) == NULL)
    return;

  stem = g_strdup (sg_profile_file_get_display_name (self->file));
  if ((dot = strchr (stem, '.')) != NULL && dot != stem)
    *dot = '\0';
  name = g_strdup_printf ("%s-flame-graph.%s", stem, ext);

  dialog = gtk_file_chooser_native_new (_("Export Flame Graph"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data (G_OBJECT (self), "export-format", GINT_TO_POINTER (format));
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  SgProfilePage   *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (file == NULL)
    return;

  if (!sg_profile_page_save_to (self, file, &error))
    toast (self, error->message);
  else
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *message = g_strdup_printf (_("Saved “%s”"), name);

      toast (self, message);
    }
}

/* Save As: the profile's bytes as they came (a fetched agent profile
 * stays gzipped pprof, which go tool pprof and other viewers read). */
static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  SgProfilePage *self = SG_PROFILE_PAGE (widget);
  GtkFileChooserNative *dialog;
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;
  GFile *source;

  if (self->file == NULL)
    return;

  source = sg_profile_file_get_file (self->file);
  base = g_file_get_basename (source);
  /* An agent's profile is called by its id there, as the agent's own
   * download does ("<id>.pb.gz"). */
  if (!g_file_is_native (source) && sg_profile_file_get_format (self->file) == SG_FORMAT_PPROF &&
      sg_profile_file_get_compressed (self->file) && base != NULL && !g_str_has_suffix (base, ".gz"))
    name = g_strconcat (base, ".pb.gz", NULL);
  else
    name = g_strdup (base ? base : sg_profile_file_get_display_name (self->file));

  dialog = gtk_file_chooser_native_new (_("Save Profile"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- GObject -------------------------------------------------------------- */

static void
sg_profile_page_dispose (GObject *object)
{
  SgProfilePage *self = (SgProfilePage *)object;
  GtkWidget *child;

  stop_loading (self);
  if (self->filter_cancellable)
    g_cancellable_cancel (self->filter_cancellable);
  g_clear_object (&self->filter_cancellable);
  g_clear_handle_id (&self->pin_idle, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), SG_TYPE_PROFILE_PAGE);
  /* dispose_template() only unparents bound children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (sg_profile_page_parent_class)->dispose (object);
}

static void
sg_profile_page_finalize (GObject *object)
{
  SgProfilePage *self = (SgProfilePage *)object;

  g_clear_pointer (&self->original, sg_profile_unref);
  g_clear_pointer (&self->shown, sg_profile_unref);
  g_clear_pointer (&self->filters, g_array_unref);
  g_free (self->view);
  g_free (self->colors);

  G_OBJECT_CLASS (sg_profile_page_parent_class)->finalize (object);
}

static void
sg_profile_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SgProfilePage *self = SG_PROFILE_PAGE (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_VIEW:
      g_value_set_string (value, self->view);
      break;

    case PROP_COLORS:
      g_value_set_string (value, self->colors);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, sg_profile_page_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_profile_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SgProfilePage *self = SG_PROFILE_PAGE (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      sg_profile_page_set_profile (self, g_value_get_object (value));
      break;

    case PROP_VIEW:
      set_view (self, g_value_get_string (value));
      break;

    case PROP_COLORS:
      set_colors (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
load_css (void)
{
  static gsize loaded = 0;

  if (g_once_init_enter (&loaded))
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, "/io/github/spyglass/Spyglass/flame-graph.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&loaded, 1);
    }
}

static void
sg_profile_page_class_init (SgProfilePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_profile_page_dispose;
  object_class->finalize = sg_profile_page_finalize;
  object_class->get_property = sg_profile_page_get_property;
  object_class->set_property = sg_profile_page_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL,
                         SG_TYPE_PROFILE_FILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEW] =
    g_param_spec_string ("view", NULL, NULL, "flame",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLORS] =
    g_param_spec_string ("colors", NULL, NULL, "package",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* "Open Source" on a frame: @file as the profile names it (often the
   * path in the profiled process) and @line (0 when unknown). */
  signals[OPEN_SOURCE] =
    g_signal_new ("open-source",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);

  g_type_ensure (SG_TYPE_FLAME_GRAPH);
  g_type_ensure (SG_TYPE_SANDWICH);
  g_type_ensure (SG_TYPE_TOP_TABLE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/spyglass/Spyglass/ui/sg-profile-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, stack);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, loading_page);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, error_page);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, progress);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, value_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, icicle_button);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, legend_box);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, match_label);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, regex_button);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, breadcrumb);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, chips);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, flame_scroller);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, flame_graph);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, sandwich);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, top_table);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, record_button);
  gtk_widget_class_bind_template_child (widget_class, SgProfilePage, empty_record_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "profile.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "profile.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "profile.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "profile.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "profile.remove-filter", "u", remove_filter_action);
  gtk_widget_class_install_action (widget_class, "profile.clear-filters", NULL, clear_filters_action);
  gtk_widget_class_install_property_action (widget_class, "profile.view", "view");
  gtk_widget_class_install_property_action (widget_class, "profile.colors", "colors");
  gtk_widget_class_install_action (widget_class, "profile.save-as", NULL, save_as_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "profile.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "profile.save-as", NULL);
}

static void
sg_profile_page_init (SgProfilePage *self)
{
  load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->view = g_strdup ("flame");
  self->colors = g_strdup ("package");
  self->filters = g_array_new (FALSE, TRUE, sizeof (Filter));
  g_array_set_clear_func (self->filters, (GDestroyNotify) filter_clear);

  g_signal_connect_object (self->value_dropdown, "notify::selected",
                           G_CALLBACK (value_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->icicle_button, "toggled",
                           G_CALLBACK (icicle_toggled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "stop-search",
                           G_CALLBACK (search_stopped_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->regex_button, "toggled",
                           G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->flame_scroller), "notify::upper",
                           G_CALLBACK (adjustment_upper_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->flame_scroller), "notify::page-size",
                           G_CALLBACK (adjustment_upper_cb), self, G_CONNECT_SWAPPED);
  /* Anything else that moves the view while it is pinned (a re-allocation,
   * a page switch) is undone the same way. */
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->flame_scroller), "value-changed",
                           G_CALLBACK (adjustment_upper_cb), self, G_CONNECT_SWAPPED);
  {
    GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

    gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
    g_signal_connect_object (scroll, "scroll", G_CALLBACK (user_scroll_cb), self, G_CONNECT_SWAPPED);
    gtk_widget_add_controller (GTK_WIDGET (self->flame_scroller), scroll);
  }
  {
    GtkGesture *click = gtk_gesture_click_new ();

    /* Dragging the scrollbar. */
    gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
    gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
    g_signal_connect_object (click, "pressed", G_CALLBACK (user_press_cb), self, G_CONNECT_SWAPPED);
    gtk_widget_add_controller (gtk_scrolled_window_get_vscrollbar (self->flame_scroller),
                               GTK_EVENT_CONTROLLER (click));

  }
  g_signal_connect_object (self->flame_graph, "notify::layout",
                           G_CALLBACK (layout_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flame_graph, "notify::zoom-box",
                           G_CALLBACK (update_breadcrumb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flame_graph, "notify::match-fraction",
                           G_CALLBACK (match_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flame_graph, "notify::search-error",
                           G_CALLBACK (match_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flame_graph, "notify::selected-function",
                           G_CALLBACK (graph_selection_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flame_graph, "filter-requested",
                           G_CALLBACK (filter_requested_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flame_graph, "open-source",
                           G_CALLBACK (open_source_cb), self, G_CONNECT_SWAPPED);
  for (guint i = 0; i < 2; i++)
    {
      SgFlameGraph *g = i == 0 ? sg_sandwich_get_callers (self->sandwich)
                               : sg_sandwich_get_callees (self->sandwich);

      g_signal_connect_object (g, "filter-requested",
                               G_CALLBACK (filter_requested_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (g, "open-source",
                               G_CALLBACK (open_source_cb), self, G_CONNECT_SWAPPED);
    }
  g_signal_connect_object (self->top_table, "notify::selected-function",
                           G_CALLBACK (table_selection_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->top_table, "row-activated",
                           G_CALLBACK (table_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->top_table, "notify::loading",
                           G_CALLBACK (notify_busy), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flame_graph, "notify::loading",
                           G_CALLBACK (notify_busy), self, G_CONNECT_SWAPPED);

  update_breadcrumb (self);
}

/* ---- public API ----------------------------------------------------------- */

/**
 * sg_profile_page_get_profile:
 *
 * Returns: (transfer none) (nullable): the profile file shown
 */
SgProfileFile *
sg_profile_page_get_profile (SgProfilePage *self)
{
  g_return_val_if_fail (SG_IS_PROFILE_PAGE (self), NULL);

  return self->file;
}

/* Shows @profile (parsing it on a worker thread), or the “open a profile”
 * state when %NULL. */
void
sg_profile_page_set_profile (SgProfilePage *self,
                             SgProfileFile *profile)
{
  g_return_if_fail (SG_IS_PROFILE_PAGE (self));
  g_return_if_fail (!profile || SG_IS_PROFILE_FILE (profile));

  if (g_set_object (&self->file, profile))
    {
      start_loading (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
    }
}

const char *
sg_profile_page_get_state (SgProfilePage *self)
{
  g_return_val_if_fail (SG_IS_PROFILE_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
sg_profile_page_get_busy (SgProfilePage *self)
{
  g_return_val_if_fail (SG_IS_PROFILE_PAGE (self), FALSE);
  return self->load_cancellable != NULL || self->filter_cancellable != NULL ||
         sg_flame_graph_get_loading (self->flame_graph) ||
         sg_top_table_get_loading (self->top_table);
}

SgProfile *
sg_profile_page_get_shown_profile (SgProfilePage *self)
{
  g_return_val_if_fail (SG_IS_PROFILE_PAGE (self), NULL);
  return self->shown;
}

guint
sg_profile_page_get_value_index (SgProfilePage *self)
{
  g_return_val_if_fail (SG_IS_PROFILE_PAGE (self), 0);
  return self->value_index;
}

void
sg_profile_page_set_value_index (SgProfilePage *self,
                                 guint          value_index)
{
  g_return_if_fail (SG_IS_PROFILE_PAGE (self));

  if (self->original == NULL || value_index >= sg_profile_get_n_value_types (self->original) ||
      value_index == self->value_index)
    return;
  self->value_index = value_index;
  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->value_dropdown, value_index);
  self->syncing = FALSE;
  if (self->shown != NULL)
    show_profile (self, self->shown);
  notify_busy (self);
}

void
sg_profile_page_add_filter (SgProfilePage     *self,
                            SgFlameFilterKind  kind,
                            const char        *function)
{
  Filter filter = { kind, g_strdup (function) };

  g_return_if_fail (SG_IS_PROFILE_PAGE (self));
  g_return_if_fail (function != NULL);

  g_array_append_val (self->filters, filter);
  sg_flame_graph_zoom_reset (self->flame_graph);
  apply_filters (self);
}

void
sg_profile_page_remove_filter (SgProfilePage *self,
                               guint          index)
{
  g_return_if_fail (SG_IS_PROFILE_PAGE (self));

  if (index >= self->filters->len)
    return;
  g_array_remove_index (self->filters, index);
  apply_filters (self);
}

guint
sg_profile_page_get_n_filters (SgProfilePage *self)
{
  g_return_val_if_fail (SG_IS_PROFILE_PAGE (self), 0);
  return self->filters->len;
}

SgFlameGraph *
sg_profile_page_get_flame_graph (SgProfilePage *self)
{
  g_return_val_if_fail (SG_IS_PROFILE_PAGE (self), NULL);
  return self->flame_graph;
}

SgTopTable *
sg_profile_page_get_top_table (SgProfilePage *self)
{
  g_return_val_if_fail (SG_IS_PROFILE_PAGE (self), NULL);
  return self->top_table;
}

SgSandwich *
sg_profile_page_get_sandwich (SgProfilePage *self)
{
  g_return_val_if_fail (SG_IS_PROFILE_PAGE (self), NULL);
  return self->sandwich;
}

/**
 * sg_profile_page_set_record_hint:
 * @hint: (nullable): why no profile can be recorded now, or %NULL when one can
 *
 * The tooltip of the page's Record buttons (the action, win.record-profile,
 * is the window's; an insensitive button still says why).
 */
void
sg_profile_page_set_record_hint (SgProfilePage *self,
                                 const char    *hint)
{
  const char *tooltip = hint ? hint : _("Record a profile of the connected agent (Ctrl+R)");

  g_return_if_fail (SG_IS_PROFILE_PAGE (self));

  gtk_widget_set_tooltip_text (self->record_button, tooltip);
  gtk_widget_set_tooltip_text (self->empty_record_button, tooltip);
}

/**
 * sg_profile_page_save_to:
 * @file: where to write
 *
 * Writes the shown profile's bytes, unchanged, to @file (replacing it).
 *
 * Returns: %TRUE when written; otherwise @error names the file and why
 */
gboolean
sg_profile_page_save_to (SgProfilePage  *self,
                         GFile          *file,
                         GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  GBytes *contents;
  const guint8 *data;
  gsize len;

  g_return_val_if_fail (SG_IS_PROFILE_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->file == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No profile is shown"));
      return FALSE;
    }
  contents = sg_profile_file_get_contents (self->file);
  data = g_bytes_get_data (contents, &len);
  if (!g_file_replace_contents (file, (const char *) data, len, NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &local_error))
    {
      name = g_file_get_parse_name (file);
      g_set_error (error, local_error->domain, local_error->code,
                   /* Translators: a file name, then the system's reason */
                   _("Could not save “%s”: %s"), name, local_error->message);
      return FALSE;
    }
  return TRUE;
}
