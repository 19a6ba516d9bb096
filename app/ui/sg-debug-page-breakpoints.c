/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The Debug page's breakpoints: set from the gutter or the popover,
 * replaced when edited, deleted, retaken and opened from the list. */

#include "config.h"

#include <glib/gi18n.h>

#include "sg-debug-page-private.h"

void
_sg_debug_page_refresh_marks (SgDebugPage *self)
{
  g_autoptr(GPtrArray) here = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *model;

  if (self->current != NULL)
    {
      model = sg_debug_agents_get_breakpoints (self->agents, self->current);
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        g_ptr_array_add (here, g_list_model_get_item (model, i));
    }
  sg_source_view_set_breakpoints (self->source_view, here);
}

static void
set_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SgDebugPage) self = user_data;
  SgAgentClient *client = SG_AGENT_CLIENT (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(SgBreakpoint) bp = sg_agent_client_set_breakpoint_finish (client, result, &error);

  if (bp == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* TRANSLATORS: the agent's reason follows */
      message = g_strdup_printf (_("The breakpoint was not set: %s"), error->message);
      if (gtk_widget_get_visible (GTK_WIDGET (self->popover)))
        sg_breakpoint_popover_set_error (self->popover, error->message);
      _sg_debug_page_say (self, message);
      return;
    }
  gtk_popover_popdown (GTK_POPOVER (self->popover));
  sg_debug_agents_take_breakpoint (self->agents, client, bp);
  if (sg_breakpoint_get_action (bp) == SG_BREAKPOINT_ACTION_LOG)
    sg_debug_page_show_results (self, "logs");
}

void
sg_debug_page_set_breakpoint (SgDebugPage      *self,
                              SgBreakpointSpec *spec)
{
  g_return_if_fail (SG_IS_DEBUG_PAGE (self));

  if (self->current == NULL || sg_agent_client_get_state (self->current) != SG_AGENT_STATE_CONNECTED)
    {
      _sg_debug_page_say (self, _("Connect to an agent first: breakpoints are set in the running service"));
      return;
    }
  sg_agent_client_set_breakpoint_async (self->current, spec, self->cancellable, set_done, g_object_ref (self));
}

static void
delete_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SgDebugPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_object_steal_data (G_OBJECT (result), "sg-id");

  if (!sg_agent_client_delete_breakpoint_finish (SG_AGENT_CLIENT (object), result, &error) &&
      !g_error_matches (error, SG_AGENT_ERROR, SG_AGENT_ERROR_NOT_FOUND))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _sg_debug_page_say (self, error->message);
      return;
    }
}

static void
delete_breakpoint (SgDebugPage  *self,
                   SgBreakpoint *bp)
{
  if (self->current == NULL)
    return;
  sg_agent_client_delete_breakpoint_async (self->current, sg_breakpoint_get_id (bp), self->cancellable,
                                           delete_done, g_object_ref (self));
  /* Gone from the list at once; the agent forgets it in the meantime. */
  sg_debug_agents_forget_breakpoint (self->agents, self->current, sg_breakpoint_get_id (bp));
}

static void
on_toggle_snapshot (SgDebugPage *self,
                    guint        line)
{
  const char *path = sg_source_view_get_path (self->source_view);
  SgBreakpoint *existing;
  g_autoptr(SgBreakpointSpec) spec = NULL;

  if (path == NULL)
    return;
  if (self->current != NULL && (existing = sg_debug_agents_find_breakpoint (self->agents, self->current, path, line)))
    {
      delete_breakpoint (self, existing);
      return;
    }
  spec = sg_breakpoint_spec_new (SG_BREAKPOINT_ACTION_CAPTURE, path, line);
  sg_debug_page_set_breakpoint (self, spec);
}

static void
on_edit_breakpoint (SgDebugPage *self,
                    guint        line)
{
  const char *path = sg_source_view_get_path (self->source_view);
  SgBreakpoint *existing = NULL;
  GdkRectangle area;
  graphene_point_t point;

  if (path == NULL)
    return;
  if (self->current != NULL)
    existing = sg_debug_agents_find_breakpoint (self->agents, self->current, path, line);
  sg_breakpoint_popover_edit (self->popover, path, line, existing);
  if (sg_source_view_get_line_area (self->source_view, line, &area) &&
      gtk_widget_compute_point (sg_source_view_get_text_view (self->source_view), GTK_WIDGET (self),
                                &GRAPHENE_POINT_INIT (area.x, area.y), &point))
    {
      area.x = (int) point.x;
      area.y = (int) point.y;
      gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &area);
    }
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
on_popover_set (SgDebugPage      *self,
                SgBreakpointSpec *spec)
{
  SgBreakpoint *existing = NULL;

  /* Editing replaces: the agent has no update call. */
  if (self->current != NULL)
    existing = sg_debug_agents_find_breakpoint (self->agents, self->current, spec->path, spec->line);
  if (existing != NULL)
    delete_breakpoint (self, existing);
  sg_debug_page_set_breakpoint (self, spec);
}

static void
on_popover_remove (SgDebugPage *self,
                   const char  *id)
{
  GListModel *model;

  if (self->current == NULL)
    return;
  model = sg_debug_agents_get_breakpoints (self->agents, self->current);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SgBreakpoint) bp = g_list_model_get_item (model, i);

      if (g_strcmp0 (sg_breakpoint_get_id (bp), id) == 0)
        {
          delete_breakpoint (self, bp);
          return;
        }
    }
}

static void
on_list_open (SgDebugPage  *self,
              SgBreakpoint *bp)
{
  sg_debug_page_open_source (self, sg_breakpoint_get_path (bp), sg_breakpoint_get_line (bp));
  if (sg_breakpoint_get_snapshot (bp) != NULL)
    {
      GListModel *snapshots = sg_debug_agents_get_snapshots (self->agents);

      for (guint i = 0; i < g_list_model_get_n_items (snapshots); i++)
        {
          g_autoptr(SgHistorySnapshot) hs = g_list_model_get_item (snapshots, i);

          if (g_strcmp0 (sg_breakpoint_get_id (sg_history_snapshot_get_breakpoint (hs)), sg_breakpoint_get_id (bp)) == 0)
            {
              sg_snapshot_inspector_show (self->inspector, hs);
              sg_debug_page_show_results (self, "snapshot");
              return;
            }
        }
    }
}

static void
on_list_retake (SgDebugPage  *self,
                SgBreakpoint *bp)
{
  g_autoptr(SgBreakpointSpec) spec = sg_breakpoint_spec_new_from_breakpoint (bp);

  sg_debug_agents_forget_breakpoint (self->agents, self->current, sg_breakpoint_get_id (bp));
  sg_debug_page_set_breakpoint (self, spec);
}

static void
on_list_delete (SgDebugPage  *self,
                SgBreakpoint *bp)
{
  delete_breakpoint (self, bp);
}

/* The gutter's, the popover's and the breakpoint list's signals; called from init. */
void
_sg_debug_page_init_breakpoints (SgDebugPage *self)
{
  g_signal_connect_object (self->source_view, "toggle-snapshot", G_CALLBACK (on_toggle_snapshot), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->source_view, "edit-breakpoint", G_CALLBACK (on_edit_breakpoint), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->breakpoint_list, "open", G_CALLBACK (on_list_open), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->breakpoint_list, "retake", G_CALLBACK (on_list_retake), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->breakpoint_list, "delete", G_CALLBACK (on_list_delete), self, G_CONNECT_SWAPPED);
  self->popover = SG_BREAKPOINT_POPOVER (sg_breakpoint_popover_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (self));
  g_signal_connect_object (self->popover, "set", G_CALLBACK (on_popover_set), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->popover, "remove", G_CALLBACK (on_popover_remove), self, G_CONNECT_SWAPPED);
}
