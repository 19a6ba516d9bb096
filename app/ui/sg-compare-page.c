/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The Compare page: what got slower between a base profile and a
 * comparison profile (say, two versions of a service).
 *
 * Both are picked from the profiles opened in the window, or opened here
 * from files.  Parsing both and building the diff (SgDiff, for the table)
 * and the union call tree (sg_diff_build_tree(), for the differential
 * flame graph) runs on a worker thread; parsed profiles are kept while
 * they are picked, so switching the value type or swapping the sides only
 * re-diffs.  The flame graph's boxes are coloured by how their function
 * changed (SG_FLAME_COLORS_DIFF*) and the table lists every function of
 * either side, biggest change first; they share one selected function, as
 * the Profile page's flame graph and top table do.
 *
 * The scale defaults to shares of each side's total: two profiles
 * recorded for different lengths of time compare fairly only that way.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sg-compare-job.h"
#include "sg-compare-page.h"
#include "sg-compare-row.h"

/* Parsing takes a while only for large files: the spinner shows after
 * this long, so a re-diff of parsed profiles does not flash it. */
#define LOADING_DELAY_MS 150

typedef enum
{
  SIDE_ANY,
  SIDE_BASE,
  SIDE_TEST,
} Side;

struct _SgComparePage
{
  GtkWidget          parent_instance;

  GListModel        *profiles;
  SgProfileFile     *base;
  SgProfileFile     *test;
  /* Parsed profiles of the picked files: SgProfileFile → SgProfile. */
  GHashTable        *parsed;
  SgCompareJob      *job;
  char              *value_type;
  gboolean           normalised;
  GCancellable      *cancellable;
  guint              loading_delay;
  guint              n_opening;
  gboolean           syncing;

  /* Template widgets */
  AdwToastOverlay   *toast_overlay;
  GtkStack          *stack;
  AdwStatusPage     *empty_page;
  GtkDropDown       *base_dropdown;
  GtkDropDown       *test_dropdown;
  GtkWidget         *summary_bar;
  GtkLabel          *change_label;
  GtkLabel          *totals_label;
  GtkLabel          *scale_note;
  GtkDropDown       *value_dropdown;
  GtkToggleButton   *normalised_button;
  GtkToggleButton   *absolute_button;
  GtkStack          *content_stack;
  GtkSpinner        *spinner;
  GtkSpinner        *busy_spinner;
  AdwStatusPage     *error_page;
  AdwStatusPage     *no_common_page;
  GtkFlowBox        *legend_box;
  GtkToggleButton   *width_test_button;
  GtkToggleButton   *width_base_button;
  GtkLabel          *selection_label;
  SgFlameGraph      *flame_graph;
  SgCompareTable    *table;
};

G_DEFINE_FINAL_TYPE (SgComparePage, sg_compare_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_STATE,
  N_PROPS
};

enum {
  PROFILE_LOADED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void start_compare (SgComparePage *self);

static void
toast (SgComparePage *self,
       const char    *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *t = adw_toast_new (escaped);

  adw_toast_set_timeout (t, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
notify_busy (SgComparePage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_state (SgComparePage *self,
           const char    *outer,
           const char    *content)
{
  gtk_stack_set_visible_child_name (self->stack, outer);
  if (content != NULL)
    gtk_stack_set_visible_child_name (self->content_stack, content);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* ---- labels --------------------------------------------------------------- */

/* The names the Profile page gives value types (same strings, so the same
 * translations). */
static char *
value_type_label (const char *type)
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

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_strcmp0 (type, known[i].type) == 0)
      return g_strdup (_(known[i].label));
  if (type == NULL || type[0] == '\0')
    return g_strdup (_("Value"));
  return g_strdup (type);
}

/* gtk_flow_box_remove_all() is GTK 4.12. */
static void
flow_box_clear (GtkFlowBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))))
    gtk_flow_box_remove (box, child);
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
update_legend (SgComparePage *self)
{
  g_autoptr(GPtrArray) legend = sg_flame_graph_dup_legend (self->flame_graph);

  flow_box_clear (self->legend_box);
  for (guint i = 0; i < legend->len; i++)
    {
      SgFlameLegendEntry *e = g_ptr_array_index (legend, i);
      GtkWidget *item = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *swatch = gtk_drawing_area_new ();
      GtkWidget *label = gtk_label_new (e->label);

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 14);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 14);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch,
                                      gdk_rgba_copy (&e->color), (GDestroyNotify) gdk_rgba_free);
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (item), swatch);
      gtk_box_append (GTK_BOX (item), label);
      gtk_flow_box_append (self->legend_box, item);
      /* A key, not a choice: nothing to focus or activate. */
      gtk_widget_set_focusable (gtk_widget_get_parent (item), FALSE);
    }
}

/* The flame graph picks light or dark fills when its style changes, during
 * a frame; its legend is read again once that frame is drawn. */
static void
legend_after_paint (SgComparePage *self,
                    GdkFrameClock *clock)
{
  g_signal_handlers_disconnect_by_func (clock, legend_after_paint, self);
  update_legend (self);
}

static void
style_changed_cb (SgComparePage *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock == NULL)
    {
      update_legend (self);
      return;
    }
  g_signal_handlers_disconnect_by_func (clock, legend_after_paint, self);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (legend_after_paint), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The overall change, the two totals, and what the scale means. */
static void
update_summary (SgComparePage *self)
{
  SgDiff *diff = self->job ? self->job->diff : NULL;
  g_autofree char *type = NULL;
  g_autofree char *change = NULL;
  g_autofree char *change_text = NULL;
  g_autofree char *base = NULL;
  g_autofree char *test = NULL;
  g_autofree char *delta = NULL;
  g_autofree char *totals = NULL;
  GString *note;
  gint64 bt, tt, bd, td;
  const char *unit;

  gtk_widget_remove_css_class (GTK_WIDGET (self->change_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->change_label), "accent");
  /* The scale and value type mean nothing without a diff. */
  gtk_widget_set_visible (self->summary_bar, diff != NULL);
  if (diff == NULL)
    {
      gtk_label_set_text (self->change_label, "");
      gtk_label_set_text (self->totals_label, "");
      gtk_label_set_text (self->scale_note, "");
      return;
    }

  bt = sg_diff_get_base_total (diff);
  tt = sg_diff_get_test_total (diff);
  unit = sg_diff_get_value_unit (diff);
  type = value_type_label (sg_diff_get_value_type (diff));
  change = sg_compare_format_change (sg_flame_diff_change (bt, 1, tt, 1, FALSE));
  /* Translators: the overall change between two profiles, e.g. "+12.4% CPU Time" */
  change_text = g_strdup_printf (C_("compare summary", "%s %s"), change, type);
  gtk_label_set_text (self->change_label, change_text);
  if (tt != bt)
    gtk_widget_add_css_class (GTK_WIDGET (self->change_label), tt > bt ? "error" : "accent");

  base = sg_flame_format_value (bt, unit);
  test = sg_flame_format_value (tt, unit);
  delta = sg_compare_format_delta (tt - bt, unit);
  /* Translators: the totals of the base and the comparison profile, and the difference */
  totals = g_strdup_printf (_("Base %s → comparison %s (%s)"), base, test, delta);
  gtk_label_set_text (self->totals_label, totals);

  note = g_string_new (self->normalised
                         ? _("Functions are compared by their share of each profile’s total "
                             "(normalised), so profiles of different lengths compare fairly.")
                         : _("Functions are compared by their values as recorded (absolute): a "
                             "profile recorded for longer shows everything as slower."));
  bd = sg_profile_get_duration_ns (self->job->base);
  td = sg_profile_get_duration_ns (self->job->test);
  if (bd > 0 && td > 0)
    {
      g_autofree char *bds = sg_flame_format_value (bd, "nanoseconds");
      g_autofree char *tds = sg_flame_format_value (td, "nanoseconds");

      g_string_append_c (note, ' ');
      /* Translators: how long each profile was recorded */
      g_string_append_printf (note, _("Recorded over %s and %s."), bds, tds);
    }
  gtk_label_set_text (self->scale_note, note->str);
  g_string_free (note, TRUE);
}

/* One line about the selected function: both sides and the change. */
static void
update_selection_label (SgComparePage *self)
{
  const char *function = sg_flame_graph_get_selected_function (self->flame_graph);
  SgDiff *diff = self->job ? self->job->diff : NULL;
  const SgDiffRow *best = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *name = NULL;
  g_autofree char *base = NULL;
  g_autofree char *test = NULL;
  g_autofree char *delta = NULL;
  g_autofree char *change = NULL;

  if (diff != NULL && function != NULL)
    for (guint i = 0; i < sg_diff_get_n_rows (diff); i++)
      {
        const SgDiffRow *r = sg_diff_get_row (diff, i);

        /* A name in several files: the heaviest, as the table selects. */
        if (g_str_equal (r->function, function) &&
            (best == NULL || MAX (r->base_cum, r->test_cum) > MAX (best->base_cum, best->test_cum)))
          best = r;
      }

  if (best == NULL)
    {
      gtk_label_set_text (self->selection_label,
                          _("Red grew, blue shrank. Select a function for its figures; click a frame to zoom in."));
      gtk_widget_add_css_class (GTK_WIDGET (self->selection_label), "dim-label");
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->selection_label), "dim-label");
  name = g_markup_escape_text (best->function, -1);
  if (self->normalised)
    {
      base = sg_compare_format_share (best->base_cum_share);
      test = sg_compare_format_share (best->test_cum_share);
      delta = sg_compare_format_points (best->test_cum_share - best->base_cum_share);
    }
  else
    {
      const char *unit = sg_diff_get_value_unit (diff);

      base = sg_flame_format_value (best->base_cum, unit);
      test = sg_flame_format_value (best->test_cum, unit);
      delta = sg_compare_format_delta (best->test_cum - best->base_cum, unit);
    }
  change = sg_compare_format_change (sg_flame_diff_change (best->base_cum, sg_diff_get_base_total (diff),
                                                           best->test_cum, sg_diff_get_test_total (diff),
                                                           self->normalised));
  /* Translators: a function, its total in the base and the comparison, the difference and the relative change */
  markup = g_strdup_printf (_("<b>%s</b>  %s → %s  (%s, %s)"), name, base, test, delta, change);
  gtk_label_set_markup (self->selection_label, markup);
}

static void
update_empty_page (SgComparePage *self)
{
  guint n = self->profiles ? g_list_model_get_n_items (self->profiles) : 0;
  g_autofree char *description = NULL;

  if (self->n_opening > 0)
    description = g_strdup (_("Opening…"));
  else if (n == 1)
    {
      g_autoptr(SgProfileFile) only = g_list_model_get_item (self->profiles, 0);

      /* Translators: %s is the one profile opened so far */
      description = g_strdup_printf (_("“%s” is open. Open another profile of the same service, "
                                       "say from before or after a change, to see what got "
                                       "slower or faster."),
                                     sg_profile_file_get_display_name (only));
    }
  else
    description = g_strdup (_("Open two profiles of the same service, say from before and after "
                              "a change, to see which functions got slower or faster. Profiles "
                              "already open in the sidebar can be compared here."));
  adw_status_page_set_description (self->empty_page, description);
}

/* ---- picking -------------------------------------------------------------- */

static gboolean
find_position (SgComparePage *self,
               SgProfileFile *profile,
               guint         *position)
{
  guint n;

  if (self->profiles == NULL || profile == NULL)
    return FALSE;
  n = g_list_model_get_n_items (self->profiles);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SgProfileFile) item = g_list_model_get_item (self->profiles, i);

      if (item == profile)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
sync_dropdowns (SgComparePage *self)
{
  guint position;

  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->base_dropdown,
                              find_position (self, self->base, &position) ? position : GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (self->test_dropdown,
                              find_position (self, self->test, &position) ? position : GTK_INVALID_LIST_POSITION);
  self->syncing = FALSE;
}

/* Keeps both sides on opened profiles: a closed one is replaced, an empty
 * side takes the first (base) or latest (comparison) other profile. */
static gboolean
fill_sides (SgComparePage *self)
{
  guint n = self->profiles ? g_list_model_get_n_items (self->profiles) : 0;
  guint position;
  gboolean changed = FALSE;

  if (self->base != NULL && !find_position (self, self->base, &position))
    changed |= g_set_object (&self->base, NULL);
  if (self->test != NULL && !find_position (self, self->test, &position))
    changed |= g_set_object (&self->test, NULL);

  for (guint i = 0; i < n && self->base == NULL; i++)
    {
      g_autoptr(SgProfileFile) item = g_list_model_get_item (self->profiles, i);

      if (item != self->test)
        changed |= g_set_object (&self->base, item);
    }
  for (guint i = n; i > 0 && self->test == NULL; i--)
    {
      g_autoptr(SgProfileFile) item = g_list_model_get_item (self->profiles, i - 1);

      if (item != self->base)
        changed |= g_set_object (&self->test, item);
    }
  return changed;
}

/* Runs before the drop-downs see the change: their own reaction (moving
 * or auto-selecting an item) is not the user's choice. */
static void
profiles_changing_cb (SgComparePage *self)
{
  self->syncing = TRUE;
}

static void
profiles_changed_cb (SgComparePage *self)
{
  gboolean changed;

  self->syncing = FALSE;
  changed = fill_sides (self);

  sync_dropdowns (self);
  update_empty_page (self);
  if (changed || self->base == NULL || self->test == NULL)
    start_compare (self);
}

static void
dropdown_selected_cb (SgComparePage *self,
                      GParamSpec    *pspec,
                      GtkDropDown   *dropdown)
{
  SgProfileFile *picked;

  if (self->syncing)
    return;
  picked = gtk_drop_down_get_selected_item (dropdown);
  if (picked == NULL)
    return;
  if (dropdown == self->base_dropdown)
    sg_compare_page_set_base (self, picked);
  else
    sg_compare_page_set_comparison (self, picked);
}

static void
setup_profile_item (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  gboolean with_path = GPOINTER_TO_INT (user_data);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name = gtk_label_new (NULL);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_box_append (GTK_BOX (box), name);
  if (with_path)
    {
      GtkWidget *path = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (path), 0);
      gtk_label_set_ellipsize (GTK_LABEL (path), PANGO_ELLIPSIZE_START);
      gtk_label_set_max_width_chars (GTK_LABEL (path), 48);
      gtk_widget_add_css_class (path, "dim-label");
      gtk_widget_add_css_class (path, "caption");
      gtk_box_append (GTK_BOX (box), path);
    }
  gtk_list_item_set_child (item, box);
}

static void
bind_profile_item (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  SgProfileFile *profile = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *path = gtk_widget_get_next_sibling (name);
  g_autofree char *where = g_file_get_parse_name (sg_profile_file_get_file (profile));

  gtk_label_set_text (GTK_LABEL (name), sg_profile_file_get_display_name (profile));
  gtk_widget_set_tooltip_text (box, where);
  /* Two files of the same name (cpu.pb.gz of two builds) differ here. */
  if (path != NULL)
    gtk_label_set_text (GTK_LABEL (path), where);
}

static GtkListItemFactory *
profile_factory (gboolean with_path)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_profile_item), GINT_TO_POINTER (with_path));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_profile_item), NULL);
  return factory;
}

/* ---- comparing ------------------------------------------------------------ */

static void
fill_value_dropdown (SgComparePage *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint selected = 0;

  for (guint i = 0; self->job->common_types[i] != NULL; i++)
    {
      g_autofree char *label = value_type_label (self->job->common_types[i]);

      gtk_string_list_append (list, label);
      if (g_strcmp0 (self->job->common_types[i], self->job->value_type) == 0)
        selected = i;
    }
  self->syncing = TRUE;
  gtk_drop_down_set_model (self->value_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->value_dropdown, selected);
  self->syncing = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->value_dropdown), self->job->value_type != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->value_dropdown), g_strv_length (self->job->common_types) > 1);
}

static void
show_flame_graph (SgComparePage *self)
{
  /* Value 0 of the union tree is the base, 1 the comparison. */
  sg_flame_graph_set_value_index (self->flame_graph,
                                  gtk_toggle_button_get_active (self->width_base_button) ? 0 : 1);
  sg_flame_graph_set_colors (self->flame_graph, self->normalised ? SG_FLAME_COLORS_DIFF
                                                                 : SG_FLAME_COLORS_DIFF_ABSOLUTE);
}

static void
show_diff (SgComparePage *self)
{
  sg_flame_graph_zoom_reset (self->flame_graph);
  sg_flame_graph_set_profile (self->flame_graph, self->job->tree);
  show_flame_graph (self);
  sg_compare_table_set_diff (self->table, self->job->diff, self->normalised);
  update_summary (self);
  update_selection_label (self);
  set_state (self, "compare", "diff");
}

static void
show_no_common (SgComparePage *self)
{
  g_autofree char *description = NULL;

  /* Translators: each profile's name followed by the value types it has */
  description = g_strdup_printf (_("“%s” has %s.\n“%s” has %s.\nProfiles can only be compared on a "
                                   "value type both have in the same unit, such as CPU time from two "
                                   "CPU profiles."),
                                 sg_profile_file_get_display_name (self->base), self->job->base_types,
                                 sg_profile_file_get_display_name (self->test), self->job->test_types);
  adw_status_page_set_description (self->no_common_page, description);
  sg_flame_graph_set_profile (self->flame_graph, NULL);
  sg_compare_table_set_diff (self->table, NULL, self->normalised);
  update_summary (self);
  update_selection_label (self);
  set_state (self, "compare", "no-common");
}

static void
stop_compare (SgComparePage *self)
{
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->loading_delay, g_source_remove);
  gtk_spinner_stop (self->spinner);
  gtk_spinner_stop (self->busy_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), FALSE);
}

static void
keep_parsed (SgComparePage *self)
{
  g_hash_table_remove_all (self->parsed);
  if (self->job == NULL)
    return;
  g_hash_table_insert (self->parsed, g_object_ref (self->base), sg_profile_ref (self->job->base));
  g_hash_table_insert (self->parsed, g_object_ref (self->test), sg_profile_ref (self->job->test));
}

static void
compare_ready (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SgComparePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SgCompareJob) job = sg_compare_job_run_finish (result, &error);

  /* Superseded (other profiles picked) or the page went away. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))) || self->stack == NULL)
    return;
  stop_compare (self);

  if (job == NULL)
    {
      g_clear_pointer (&self->job, sg_compare_job_free);
      adw_status_page_set_title (self->error_page, _("Could Not Compare"));
      adw_status_page_set_description (self->error_page, error->message);
      sg_flame_graph_set_profile (self->flame_graph, NULL);
      sg_compare_table_set_diff (self->table, NULL, self->normalised);
      update_summary (self);
      update_selection_label (self);
      set_state (self, "compare", "error");
      return;
    }

  g_clear_pointer (&self->job, sg_compare_job_free);
  self->job = g_steal_pointer (&job);
  keep_parsed (self);
  if (self->job->value_type != NULL)
    {
      g_free (self->value_type);
      self->value_type = g_strdup (self->job->value_type);
    }
  fill_value_dropdown (self);
  if (self->job->value_type == NULL)
    show_no_common (self);
  else
    show_diff (self);
}

static gboolean
show_loading_cb (gpointer data)
{
  SgComparePage *self = data;

  self->loading_delay = 0;
  gtk_spinner_start (self->spinner);
  set_state (self, "compare", "loading");
  return G_SOURCE_REMOVE;
}

static void
start_compare (SgComparePage *self)
{
  stop_compare (self);

  if (self->base == NULL || self->test == NULL)
    {
      g_clear_pointer (&self->job, sg_compare_job_free);
      g_hash_table_remove_all (self->parsed);
      sg_flame_graph_set_profile (self->flame_graph, NULL);
      sg_compare_table_set_diff (self->table, NULL, self->normalised);
      update_summary (self);
      update_selection_label (self);
      update_empty_page (self);
      set_state (self, "empty", NULL);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "compare");
  self->cancellable = g_cancellable_new ();
  if (self->job != NULL && self->job->diff != NULL &&
      g_hash_table_contains (self->parsed, self->base) && g_hash_table_contains (self->parsed, self->test))
    {
      /* A re-diff of parsed profiles (swap, value type) takes a fraction
       * of a second: the current diff stays up, with a spinner, rather
       * than the page blinking to a loading screen and back. */
      gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), TRUE);
      gtk_spinner_start (self->busy_spinner);
    }
  else
    self->loading_delay = g_timeout_add (LOADING_DELAY_MS, show_loading_cb, self);
  sg_compare_job_run_async (self->base, g_hash_table_lookup (self->parsed, self->base),
                            self->test, g_hash_table_lookup (self->parsed, self->test),
                            self->value_type, self->cancellable, compare_ready, g_object_ref (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
value_selected_cb (SgComparePage *self)
{
  guint selected = gtk_drop_down_get_selected (self->value_dropdown);

  if (self->syncing || self->job == NULL || selected == GTK_INVALID_LIST_POSITION ||
      selected >= g_strv_length (self->job->common_types))
    return;
  sg_compare_page_set_value_type (self, self->job->common_types[selected]);
}

static void
scale_toggled_cb (SgComparePage *self)
{
  sg_compare_page_set_normalised (self, gtk_toggle_button_get_active (self->normalised_button));
}

static void
width_toggled_cb (SgComparePage   *self,
                  GtkToggleButton *button)
{
  /* Both buttons of the group toggle; act once, on the one turned on. */
  if (gtk_toggle_button_get_active (button) && self->job != NULL && self->job->tree != NULL)
    show_flame_graph (self);
}

/* ---- selection ------------------------------------------------------------ */

static void
graph_selection_cb (SgComparePage *self)
{
  if (!self->syncing)
    {
      self->syncing = TRUE;
      sg_compare_table_set_selected_function (self->table,
                                              sg_flame_graph_get_selected_function (self->flame_graph));
      self->syncing = FALSE;
    }
  update_selection_label (self);
}

static void
table_selection_cb (SgComparePage *self)
{
  if (self->syncing)
    return;
  self->syncing = TRUE;
  sg_flame_graph_set_selected_function (self->flame_graph,
                                        sg_compare_table_get_selected_function (self->table));
  self->syncing = FALSE;
  update_selection_label (self);
}

static void
open_source_cb (SgComparePage *self,
                const char    *file,
                int            line)
{
  g_autoptr(GFile) gfile = g_file_new_for_path (file);
  g_autofree char *uri = g_file_get_uri (gfile);

  gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), uri, GDK_CURRENT_TIME);
}

/* ---- opening files -------------------------------------------------------- */

typedef struct
{
  SgComparePage *self;
  Side           side;
} Opening;

static void
file_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Opening *opening = user_data;
  g_autoptr(SgComparePage) self = opening->self;
  g_autoptr(SgProfileFile) loaded = NULL;
  g_autoptr(GError) error = NULL;
  Side side = opening->side;
  guint n;

  g_free (opening);
  loaded = sg_profile_file_load_finish (result, &error);
  self->n_opening--;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  if (self->stack == NULL)
    return;
  update_empty_page (self);
  if (loaded == NULL)
    {
      toast (self, error->message);
      return;
    }

  /* The window lists it under Profiles (or finds it listed already);
   * the side then takes the listed object. */
  g_signal_emit (self, signals[PROFILE_LOADED], 0, loaded);
  n = self->profiles ? g_list_model_get_n_items (self->profiles) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SgProfileFile) item = g_list_model_get_item (self->profiles, i);

      if (!g_file_equal (sg_profile_file_get_file (item), sg_profile_file_get_file (loaded)))
        continue;
      if (side == SIDE_BASE)
        sg_compare_page_set_base (self, item);
      else if (side == SIDE_TEST)
        sg_compare_page_set_comparison (self, item);
      break;
    }
}

static void
open_file (SgComparePage *self,
           GFile         *file,
           Side           side)
{
  Opening *opening = g_new0 (Opening, 1);

  opening->self = g_object_ref (self);
  opening->side = side;
  self->n_opening++;
  update_empty_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  /* The same worker-thread read and format detection as the window's. */
  sg_profile_file_load_async (file, NULL, file_loaded_cb, opening);
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  SgComparePage   *self)
{
  Side side = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "side"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      guint n = g_list_model_get_n_items (files);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);

          open_file (self, file, side);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SgComparePage *self = SG_COMPARE_PAGE (widget);
  const char *which = g_variant_get_string (param, NULL);
  Side side = g_str_equal (which, "base") ? SIDE_BASE : g_str_equal (which, "test") ? SIDE_TEST : SIDE_ANY;
  GtkFileChooserNative *dialog;
  const char *title = side == SIDE_BASE ? _("Open Base Profile")
                    : side == SIDE_TEST ? _("Open Comparison Profile")
                    : _("Open Profiles to Compare");

  dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog), side == SIDE_ANY);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data (G_OBJECT (dialog), "side", GINT_TO_POINTER (side));
  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- actions -------------------------------------------------------------- */

static void
swap_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  sg_compare_page_swap (SG_COMPARE_PAGE (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SgComparePage *self = SG_COMPARE_PAGE (widget);

  if (self->cancellable == NULL)
    return;
  stop_compare (self);
  adw_status_page_set_title (self->error_page, _("Comparison Cancelled"));
  adw_status_page_set_description (self->error_page, _("Pick other profiles, or try again."));
  set_state (self, "compare", "error");
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  start_compare (SG_COMPARE_PAGE (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SgComparePage *self = SG_COMPARE_PAGE (widget);

  /* The table's first focusable child is its filter entry. */
  if (g_strcmp0 (sg_compare_page_get_state (self), "diff") == 0)
    gtk_widget_child_focus (GTK_WIDGET (self->table), GTK_DIR_TAB_FORWARD);
}

/* ---- GObject -------------------------------------------------------------- */

static void
sg_compare_page_dispose (GObject *object)
{
  SgComparePage *self = (SgComparePage *)object;
  GtkWidget *child;

  stop_compare (self);
  if (self->profiles != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->profiles, profiles_changing_cb, self);
      g_signal_handlers_disconnect_by_func (self->profiles, profiles_changed_cb, self);
    }
  g_clear_object (&self->profiles);
  gtk_widget_dispose_template (GTK_WIDGET (object), SG_TYPE_COMPARE_PAGE);
  /* dispose_template() only unparents bound children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);
  g_clear_object (&self->base);
  g_clear_object (&self->test);

  G_OBJECT_CLASS (sg_compare_page_parent_class)->dispose (object);
}

static void
sg_compare_page_finalize (GObject *object)
{
  SgComparePage *self = (SgComparePage *)object;

  g_clear_pointer (&self->parsed, g_hash_table_unref);
  g_clear_pointer (&self->job, sg_compare_job_free);
  g_free (self->value_type);

  G_OBJECT_CLASS (sg_compare_page_parent_class)->finalize (object);
}

static void
sg_compare_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SgComparePage *self = SG_COMPARE_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, sg_compare_page_get_busy (self));
      break;

    case PROP_STATE:
      g_value_set_string (value, sg_compare_page_get_state (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_compare_page_class_init (SgComparePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_compare_page_dispose;
  object_class->finalize = sg_compare_page_finalize;
  object_class->get_property = sg_compare_page_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SgComparePage::profile-loaded:
   * @profile: the #SgProfileFile read from a file chosen on the page
   *
   * Asks the window to list @profile with the other opened profiles.
   */
  signals[PROFILE_LOADED] =
    g_signal_new ("profile-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SG_TYPE_PROFILE_FILE);

  g_type_ensure (SG_TYPE_FLAME_GRAPH);
  g_type_ensure (SG_TYPE_COMPARE_TABLE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/spyglass/Spyglass/ui/sg-compare-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, stack);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, base_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, test_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, summary_bar);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, change_label);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, totals_label);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, scale_note);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, value_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, normalised_button);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, absolute_button);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, error_page);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, no_common_page);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, legend_box);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, width_test_button);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, width_base_button);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, selection_label);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, flame_graph);
  gtk_widget_class_bind_template_child (widget_class, SgComparePage, table);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "compare.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "compare.swap", NULL, swap_action);
  gtk_widget_class_install_action (widget_class, "compare.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "compare.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "compare.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "compare.search", NULL);
}

static void
sg_compare_page_init (SgComparePage *self)
{
  g_autoptr(GtkListItemFactory) button_factory = profile_factory (FALSE);
  g_autoptr(GtkListItemFactory) list_factory = profile_factory (TRUE);
  g_autoptr(GtkListItemFactory) base_button_factory = profile_factory (FALSE);
  g_autoptr(GtkListItemFactory) base_list_factory = profile_factory (TRUE);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->normalised = TRUE;
  self->parsed = g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify) sg_profile_unref);

  gtk_drop_down_set_factory (self->base_dropdown, base_button_factory);
  gtk_drop_down_set_list_factory (self->base_dropdown, base_list_factory);
  gtk_drop_down_set_factory (self->test_dropdown, button_factory);
  gtk_drop_down_set_list_factory (self->test_dropdown, list_factory);
  g_signal_connect_object (self->base_dropdown, "notify::selected",
                           G_CALLBACK (dropdown_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->test_dropdown, "notify::selected",
                           G_CALLBACK (dropdown_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->value_dropdown, "notify::selected",
                           G_CALLBACK (value_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->normalised_button, "toggled",
                           G_CALLBACK (scale_toggled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->width_test_button, "toggled",
                           G_CALLBACK (width_toggled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->width_base_button, "toggled",
                           G_CALLBACK (width_toggled_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->flame_graph, "notify::selected-function",
                           G_CALLBACK (graph_selection_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flame_graph, "notify::layout",
                           G_CALLBACK (update_legend), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flame_graph, "notify::colors",
                           G_CALLBACK (update_legend), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flame_graph, "notify::loading",
                           G_CALLBACK (notify_busy), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flame_graph, "open-source",
                           G_CALLBACK (open_source_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->table, "notify::selected-function",
                           G_CALLBACK (table_selection_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (style_changed_cb), self, G_CONNECT_SWAPPED);
  /* Focus, hide and show-from filter one profile; across a comparison
   * they would make the table and the graph disagree, so they are off. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self->flame_graph), "flame.focus", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self->flame_graph), "flame.hide", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self->flame_graph), "flame.show-from", FALSE);

  update_empty_page (self);
  update_selection_label (self);
  set_state (self, "empty", NULL);
}

/* ---- public API ----------------------------------------------------------- */

void
sg_compare_page_set_profiles (SgComparePage *self,
                              GListModel    *profiles)
{
  g_return_if_fail (SG_IS_COMPARE_PAGE (self));
  g_return_if_fail (!profiles || G_IS_LIST_MODEL (profiles));

  if (self->profiles != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->profiles, profiles_changing_cb, self);
      g_signal_handlers_disconnect_by_func (self->profiles, profiles_changed_cb, self);
    }
  g_set_object (&self->profiles, profiles);
  if (profiles != NULL)
    g_signal_connect_object (profiles, "items-changed", G_CALLBACK (profiles_changing_cb), self,
                             G_CONNECT_SWAPPED);
  self->syncing = TRUE;
  gtk_drop_down_set_model (self->base_dropdown, profiles);
  gtk_drop_down_set_model (self->test_dropdown, profiles);
  self->syncing = FALSE;
  if (profiles != NULL)
    g_signal_connect_object (profiles, "items-changed", G_CALLBACK (profiles_changed_cb), self,
                             G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  profiles_changed_cb (self);
}

/**
 * sg_compare_page_get_base:
 *
 * Returns: (transfer none) (nullable): the base profile
 */
SgProfileFile *
sg_compare_page_get_base (SgComparePage *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_PAGE (self), NULL);
  return self->base;
}

/* Picks @profile (one of the opened profiles) as the base; the comparison
 * moves to another profile if it was the same one. */
void
sg_compare_page_set_base (SgComparePage *self,
                          SgProfileFile *profile)
{
  g_return_if_fail (SG_IS_COMPARE_PAGE (self));
  g_return_if_fail (!profile || SG_IS_PROFILE_FILE (profile));

  if (profile == self->base)
    return;
  if (profile != NULL && profile == self->test)
    g_set_object (&self->test, self->base);
  g_set_object (&self->base, profile);
  fill_sides (self);
  sync_dropdowns (self);
  start_compare (self);
}

/**
 * sg_compare_page_get_comparison:
 *
 * Returns: (transfer none) (nullable): the comparison profile
 */
SgProfileFile *
sg_compare_page_get_comparison (SgComparePage *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_PAGE (self), NULL);
  return self->test;
}

void
sg_compare_page_set_comparison (SgComparePage *self,
                                SgProfileFile *profile)
{
  g_return_if_fail (SG_IS_COMPARE_PAGE (self));
  g_return_if_fail (!profile || SG_IS_PROFILE_FILE (profile));

  if (profile == self->test)
    return;
  if (profile != NULL && profile == self->base)
    g_set_object (&self->base, self->test);
  g_set_object (&self->test, profile);
  fill_sides (self);
  sync_dropdowns (self);
  start_compare (self);
}

void
sg_compare_page_swap (SgComparePage *self)
{
  SgProfileFile *base;

  g_return_if_fail (SG_IS_COMPARE_PAGE (self));

  if (self->base == NULL || self->test == NULL)
    return;
  base = self->base;
  self->base = self->test;
  self->test = base;
  sync_dropdowns (self);
  start_compare (self);
}

const char *
sg_compare_page_get_value_type (SgComparePage *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_PAGE (self), NULL);
  return self->job ? self->job->value_type : NULL;
}

void
sg_compare_page_set_value_type (SgComparePage *self,
                                const char    *value_type)
{
  g_return_if_fail (SG_IS_COMPARE_PAGE (self));

  if (g_strcmp0 (value_type, self->value_type) == 0)
    return;
  g_free (self->value_type);
  self->value_type = g_strdup (value_type);
  start_compare (self);
}

gboolean
sg_compare_page_get_normalised (SgComparePage *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_PAGE (self), TRUE);
  return self->normalised;
}

void
sg_compare_page_set_normalised (SgComparePage *self,
                                gboolean       normalised)
{
  g_return_if_fail (SG_IS_COMPARE_PAGE (self));

  normalised = !!normalised;
  if (normalised == self->normalised)
    return;
  self->normalised = normalised;
  gtk_toggle_button_set_active (normalised ? self->normalised_button : self->absolute_button, TRUE);
  if (self->job != NULL && self->job->diff != NULL)
    {
      show_flame_graph (self);
      sg_compare_table_set_diff (self->table, self->job->diff, normalised);
      update_selection_label (self);
    }
  update_summary (self);
}

const char *
sg_compare_page_get_state (SgComparePage *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_PAGE (self), NULL);

  if (self->cancellable != NULL)
    return "loading";
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0)
    return "empty";
  return gtk_stack_get_visible_child_name (self->content_stack);
}

gboolean
sg_compare_page_get_busy (SgComparePage *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_PAGE (self), FALSE);
  return self->cancellable != NULL || self->n_opening > 0 ||
         sg_flame_graph_get_loading (self->flame_graph);
}

SgDiff *
sg_compare_page_get_diff (SgComparePage *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_PAGE (self), NULL);

  if (g_strcmp0 (sg_compare_page_get_state (self), "diff") != 0)
    return NULL;
  return self->job->diff;
}

char *
sg_compare_page_dup_summary (SgComparePage *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_PAGE (self), NULL);
  return g_strdup_printf ("%s\n%s", gtk_label_get_text (self->change_label),
                          gtk_label_get_text (self->totals_label));
}

SgFlameGraph *
sg_compare_page_get_flame_graph (SgComparePage *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_PAGE (self), NULL);
  return self->flame_graph;
}

SgCompareTable *
sg_compare_page_get_table (SgComparePage *self)
{
  g_return_val_if_fail (SG_IS_COMPARE_PAGE (self), NULL);
  return self->table;
}
