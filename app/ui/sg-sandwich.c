/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * The sandwich view (speedscope's name): for one function, who calls it
 * drawn as a flame graph above it, with the function at the bottom and
 * its callers growing upwards, and what it calls drawn as an icicle graph
 * below it.  Both profiles come from sg_profile_sandwich() on a worker
 * thread, so recursion is counted once.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sg-analysis.h"
#include "sg-sandwich.h"

struct _SgSandwich
{
  GtkWidget     parent_instance;

  SgProfile    *profile;
  guint         value_index;
  char         *function;
  GCancellable *cancellable;

  GtkWidget    *stack;
  GtkWidget    *status;
  GtkWidget    *callers_title;
  GtkWidget    *callees_title;
  GtkWidget    *callers_scroller;
  guint         scroll_idle;
  SgFlameGraph *callers;
  SgFlameGraph *callees;
};

G_DEFINE_FINAL_TYPE (SgSandwich, sg_sandwich, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  SgProfile *callers;
  SgProfile *callees;
} Result;

static void
result_free (Result *result)
{
  g_clear_pointer (&result->callers, sg_profile_unref);
  g_clear_pointer (&result->callees, sg_profile_unref);
  g_free (result);
}

typedef struct
{
  SgProfile *profile;
  char      *function;
} Query;

static void
query_free (Query *query)
{
  sg_profile_unref (query->profile);
  g_free (query->function);
  g_free (query);
}

static void
sandwich_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Query *query = task_data;
  Result *result = g_new0 (Result, 1);
  GError *error = NULL;

  if (!sg_profile_sandwich (query->profile, query->function, NULL,
                            &result->callers, &result->callees, &error))
    {
      result_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) result_free);
}

static void
show_status (SgSandwich *self,
             const char *title,
             const char *description)
{
  adw_status_page_set_title (ADW_STATUS_PAGE (self->status), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (self->status), description);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "status");
}

static gboolean
scroll_to_bottom (gpointer user_data)
{
  SgSandwich *self = user_data;
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->callers_scroller));

  self->scroll_idle = 0;
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
  return G_SOURCE_REMOVE;
}

/* Callers grow upwards from the function: show the bottom.  The scroller
 * learns a new graph's height while it is being allocated, when a new
 * value would not move the graph, so the value is set right after. */
static void
callers_extent_cb (SgSandwich *self)
{
  if (self->scroll_idle == 0)
    self->scroll_idle = g_idle_add (scroll_to_bottom, self);
}

static void
sandwich_ready (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SgSandwich *self = SG_SANDWICH (source);
  g_autoptr(GError) error = NULL;
  Result *r = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *callers = NULL;
  g_autofree char *callees = NULL;
  g_autofree char *escaped = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    {
      g_clear_pointer (&r, result_free);
      return;
    }
  g_clear_object (&self->cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  if (r == NULL)
    {
      show_status (self, _("Function Not in This View"), error->message);
      return;
    }

  escaped = g_markup_escape_text (self->function, -1);
  /* Translators: heading over the callers flame graph; %s is a function */
  callers = g_strdup_printf (_("Callers of <b>%s</b>"), escaped);
  /* Translators: heading over the callees flame graph; %s is a function */
  callees = g_strdup_printf (_("Callees of <b>%s</b>"), escaped);
  gtk_label_set_markup (GTK_LABEL (self->callers_title), callers);
  gtk_label_set_markup (GTK_LABEL (self->callees_title), callees);

  sg_flame_graph_set_value_index (self->callers, self->value_index);
  sg_flame_graph_set_value_index (self->callees, self->value_index);
  sg_flame_graph_set_profile (self->callers, r->callers);
  sg_flame_graph_set_profile (self->callees, r->callees);
  sg_flame_graph_set_selected_function (self->callers, self->function);
  sg_flame_graph_set_selected_function (self->callees, self->function);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "graphs");
  result_free (r);
}

static void
refresh (SgSandwich *self)
{
  g_autoptr(GTask) task = NULL;
  Query *query;

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->profile == NULL || self->function == NULL)
    {
      sg_flame_graph_set_profile (self->callers, NULL);
      sg_flame_graph_set_profile (self->callees, NULL);
      show_status (self, _("Select a Function"),
                   _("Pick a function in the top table or click a frame in the flame graph "
                     "to see who calls it and what it calls."));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      return;
    }

  query = g_new0 (Query, 1);
  query->profile = sg_profile_ref (self->profile);
  query->function = g_strdup (self->function);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, sandwich_ready, NULL);
  g_task_set_source_tag (task, refresh);
  g_task_set_task_data (task, query, (GDestroyNotify) query_free);
  g_task_run_in_thread (task, sandwich_thread);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static GtkWidget *
graph_pane (SgSandwich    *self,
            GtkWidget    **title,
            SgFlameGraph **graph,
            GtkWidget    **scroller_out,
            gboolean       icicle)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *viewport;

  *title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (*title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (*title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (*title, "sandwich-title");
  gtk_widget_set_margin_start (*title, 12);
  gtk_widget_set_margin_top (*title, 6);
  gtk_widget_set_margin_bottom (*title, 6);

  *graph = SG_FLAME_GRAPH (sg_flame_graph_new ());
  sg_flame_graph_set_icicle (*graph, icicle);
  gtk_widget_set_vexpand (GTK_WIDGET (*graph), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (*graph), icicle ? GTK_ALIGN_START : GTK_ALIGN_END);
  /* Not scroll-to-focus: the graph is one tall focusable widget. */
  viewport = gtk_viewport_new (NULL, NULL);
  gtk_viewport_set_scroll_to_focus (GTK_VIEWPORT (viewport), FALSE);
  gtk_viewport_set_child (GTK_VIEWPORT (viewport), GTK_WIDGET (*graph));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), viewport);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);

  gtk_box_append (GTK_BOX (box), *title);
  gtk_box_append (GTK_BOX (box), scroller);
  if (scroller_out)
    *scroller_out = scroller;
  return box;
}

static void
sg_sandwich_dispose (GObject *object)
{
  SgSandwich *self = SG_SANDWICH (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->scroll_idle, g_source_remove);
  g_clear_pointer (&self->stack, gtk_widget_unparent);

  G_OBJECT_CLASS (sg_sandwich_parent_class)->dispose (object);
}

static void
sg_sandwich_finalize (GObject *object)
{
  SgSandwich *self = SG_SANDWICH (object);

  g_clear_pointer (&self->profile, sg_profile_unref);
  g_free (self->function);

  G_OBJECT_CLASS (sg_sandwich_parent_class)->finalize (object);
}

static void
sg_sandwich_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, sg_sandwich_get_loading (SG_SANDWICH (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_sandwich_class_init (SgSandwichClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_sandwich_dispose;
  object_class->finalize = sg_sandwich_finalize;
  object_class->get_property = sg_sandwich_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sandwich");
}

static void
sg_sandwich_init (SgSandwich *self)
{
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_VERTICAL);

  gtk_paned_set_start_child (GTK_PANED (paned),
                             graph_pane (self, &self->callers_title, &self->callers,
                                         &self->callers_scroller, FALSE));
  gtk_paned_set_end_child (GTK_PANED (paned),
                           graph_pane (self, &self->callees_title, &self->callees, NULL, TRUE));
  gtk_paned_set_resize_start_child (GTK_PANED (paned), TRUE);
  gtk_paned_set_resize_end_child (GTK_PANED (paned), TRUE);
  gtk_paned_set_wide_handle (GTK_PANED (paned), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->callers), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Callers flame graph"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->callees), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Callees flame graph"), -1);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->callers_scroller)),
                           "notify::upper", G_CALLBACK (callers_extent_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->callers_scroller)),
                           "notify::page-size", G_CALLBACK (callers_extent_cb), self, G_CONNECT_SWAPPED);

  self->status = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->status), "sg-flame-symbolic");
  gtk_widget_add_css_class (self->status, "compact");

  self->stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->stack), self->status, "status");
  gtk_stack_add_named (GTK_STACK (self->stack), paned, "graphs");
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));
  refresh (self);
}

GtkWidget *
sg_sandwich_new (void)
{
  return g_object_new (SG_TYPE_SANDWICH, NULL);
}

void
sg_sandwich_set_profile (SgSandwich *self,
                         SgProfile  *profile,
                         guint       value_index)
{
  g_return_if_fail (SG_IS_SANDWICH (self));

  if (profile == self->profile && value_index == self->value_index)
    return;
  if (profile)
    sg_profile_ref (profile);
  g_clear_pointer (&self->profile, sg_profile_unref);
  self->profile = profile;
  self->value_index = value_index;
  refresh (self);
}

void
sg_sandwich_set_function (SgSandwich *self,
                          const char *function)
{
  g_return_if_fail (SG_IS_SANDWICH (self));

  if (g_strcmp0 (function, self->function) == 0)
    return;
  g_free (self->function);
  self->function = g_strdup (function);
  refresh (self);
}

const char *
sg_sandwich_get_function (SgSandwich *self)
{
  g_return_val_if_fail (SG_IS_SANDWICH (self), NULL);
  return self->function;
}

void
sg_sandwich_set_colors (SgSandwich    *self,
                        SgFlameColors  colors)
{
  g_return_if_fail (SG_IS_SANDWICH (self));
  sg_flame_graph_set_colors (self->callers, colors);
  sg_flame_graph_set_colors (self->callees, colors);
}

gboolean
sg_sandwich_get_loading (SgSandwich *self)
{
  g_return_val_if_fail (SG_IS_SANDWICH (self), FALSE);
  return self->cancellable != NULL ||
         sg_flame_graph_get_loading (self->callers) || sg_flame_graph_get_loading (self->callees);
}

SgFlameGraph *
sg_sandwich_get_callers (SgSandwich *self)
{
  g_return_val_if_fail (SG_IS_SANDWICH (self), NULL);
  return self->callers;
}

SgFlameGraph *
sg_sandwich_get_callees (SgSandwich *self)
{
  g_return_val_if_fail (SG_IS_SANDWICH (self), NULL);
  return self->callees;
}
