/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The Memory page: per-line memory recordings of the Debug page's current
 * agent (agent/PROTOCOL.md § Memory).  It shows what a recording costs
 * before the user starts one, the state (idle, recording with its elapsed
 * time, the host tracing by itself), the agent's last results, and the
 * chosen result's table (sg-memory-page-table.c).
 *
 * Every call is asynchronous and tied to the current agent: an answer from
 * an agent that is no longer current is dropped.  The agent says when a
 * recording is ready (event memory_ready); while one runs the page also
 * re-reads the state every few seconds, so a missed event only delays it.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sg-memory-page-private.h"
#include "sg-window.h"

/* While recording: the elapsed time is redrawn twice a second (so it never
 * lags a whole second behind), the agent's state re-read every
 * STATUS_EVERY ticks. */
#define TICK_MS      500
#define STATUS_EVERY 10

G_DEFINE_FINAL_TYPE (SgMemoryPage, sg_memory_page, GTK_TYPE_WIDGET)

static void refresh_status (SgMemoryPage *self);

/* --- messages ------------------------------------------------------------------- */

void
_sg_memory_page_say (SgMemoryPage *self,
                     const char   *message)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  /* A file write may finish after the window closed. */
  if (self->toasts == NULL)
    return;
  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  g_free (self->last_message);
  self->last_message = g_strdup (message);
  adw_toast_set_timeout (toast, 8);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

static void
say_error (SgMemoryPage *self,
           const char   *what,
           const GError *error)
{
  /* TRANSLATORS: what failed, then why, e.g. "Could not start recording: memory recording mem-1 is running; stop it first" */
  g_autofree char *message = g_strdup_printf (_("%s: %s"), what, error->message);

  _sg_memory_page_say (self, message);
}

/* --- state ------------------------------------------------------------------------ */

static gboolean
agent_connected (SgMemoryPage *self)
{
  return self->agent != NULL && sg_agent_client_get_state (self->agent) == SG_AGENT_STATE_CONNECTED;
}

static SgAgentMemory *
current_recording (SgMemoryPage *self)
{
  return self->status ? sg_agent_memory_status_get_current (self->status) : NULL;
}

/* An agent from before memory recordings lists its capabilities without
 * "memory"; asking it would only give a puzzling "not found". */
static gboolean
agent_records_memory (SgMemoryPage *self)
{
  SgAgentInfo *info = sg_agent_client_get_info (self->agent);
  const char * const *capabilities = info ? sg_agent_info_get_capabilities (info) : NULL;

  return capabilities == NULL || capabilities[0] == NULL || sg_agent_info_has_capability (info, "memory");
}

static char *
format_clock (double seconds)
{
  guint s = (guint) MAX (seconds, 0);

  if (s >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%u:%02u", s / 60, s % 60);
}

static void
set_state_text (SgMemoryPage *self,
                const char   *text,
                gboolean      is_error)
{
  gtk_label_set_text (self->state_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_label), text);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "error");
}

static void
update_state (SgMemoryPage *self)
{
  SgAgentMemory *current = current_recording (self);
  gboolean connected = agent_connected (self);
  gboolean can_start = connected && self->status != NULL && current == NULL && !self->busy;
  gboolean can_stop = connected && current != NULL && !self->busy;
  g_autofree char *text = NULL;

  if (self->agent == NULL)
    return;

  if (!connected)
    {
      const GError *error = sg_agent_client_get_last_error (self->agent);
      SgAgentState state = sg_agent_client_get_state (self->agent);

      if (state == SG_AGENT_STATE_CONNECTING)
        set_state_text (self, _("Connecting to the agent…"), FALSE);
      else
        {
          /* TRANSLATORS: why the agent is not connected */
          text = g_strdup_printf (_("Agent not connected: %s"), error ? error->message : _("connection lost"));
          set_state_text (self, text, TRUE);
        }
    }
  else if (!agent_records_memory (self))
    set_state_text (self, _("Memory recording unavailable"), TRUE);
  else if (self->status == NULL)
    set_state_text (self, _("Reading the agent’s memory state…"), FALSE);
  else if (current != NULL)
    {
      double elapsed = sg_agent_memory_get_elapsed (current) +
                       (g_get_monotonic_time () - self->status_time) / (double) G_USEC_PER_SEC;
      double seconds = sg_agent_memory_get_seconds (current);
      g_autofree char *clock = format_clock (elapsed);

      if (seconds > 0)
        {
          g_autofree char *total = format_clock (seconds);

          /* TRANSLATORS: elapsed and planned time, e.g. "Recording · 0:12 of 0:30" */
          text = g_strdup_printf (_("Recording · %s of %s"), clock, total);
        }
      else
        /* TRANSLATORS: elapsed time, e.g. "Recording · 0:12" */
        text = g_strdup_printf (_("Recording · %s"), clock);
      set_state_text (self, text, FALSE);
    }
  else if (sg_agent_memory_status_get_tracing_by_host (self->status))
    set_state_text (self, _("Idle · the service traces memory itself; a recording shares its tracing"), FALSE);
  else
    set_state_text (self, _("Idle · nothing is traced until you start a recording"), FALSE);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memory.start", can_start);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memory.stop", can_stop);
  gtk_stack_set_visible_child_name (self->button_stack, current != NULL ? "stop" : "start");
  /* Settings of the next recording: only while one can be started. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->seconds_spin), can_start);
  gtk_widget_set_sensitive (GTK_WIDGET (self->frames_spin), can_start);
}

static void
update_cost (SgMemoryPage *self)
{
  const char *summary = self->status ? sg_agent_memory_status_get_cost_summary (self->status) : NULL;
  double slowdown = self->status ? sg_agent_memory_status_get_slowdown (self->status) : 0;
  g_autoptr(GString) text = g_string_new (NULL);

  if (summary != NULL && *summary != '\0')
    {
      /* The agent's own words (it measured them), as a sentence. */
      gunichar first = g_unichar_toupper (g_utf8_get_char (summary));
      char buf[8] = { 0 };

      g_unichar_to_utf8 (first, buf);
      g_string_append (text, buf);
      g_string_append (text, g_utf8_next_char (summary));
      if (!g_str_has_suffix (summary, "."))
        g_string_append_c (text, '.');
    }
  else if (slowdown > 0)
    /* TRANSLATORS: %.0f is a factor, e.g. "While recording, allocation-heavy code runs up to about 70× slower." */
    g_string_append_printf (text, _("While recording, allocation-heavy code runs up to about %.0f× slower."), slowdown);

  if (text->len > 0 && self->status != NULL && !sg_agent_memory_status_get_cost_measured_here (self->status))
    {
      g_string_append_c (text, ' ');
      /* TRANSLATORS: the Python version of the service, e.g. "3.13" */
      g_string_append_printf (text, _("(Measured on another Python version than this service’s %s.)"),
                              sg_agent_memory_status_get_python (self->status) ?
                              sg_agent_memory_status_get_python (self->status) : "?");
    }
  gtk_label_set_text (self->cost_label, text->str);
  gtk_widget_set_visible (self->cost_box, text->len > 0);
}

static gboolean
tick_cb (gpointer user_data)
{
  SgMemoryPage *self = user_data;

  update_state (self);
  if (++self->ticks % STATUS_EVERY == 0)
    refresh_status (self);
  return G_SOURCE_CONTINUE;
}

static void
update_tick (SgMemoryPage *self)
{
  gboolean recording = agent_connected (self) && current_recording (self) != NULL;

  if (recording && self->tick_source == 0)
    self->tick_source = g_timeout_add (TICK_MS, tick_cb, self);
  else if (!recording)
    g_clear_handle_id (&self->tick_source, g_source_remove);
}

/* --- results ---------------------------------------------------------------------- */

static char *
result_label (SgAgentMemory *memory)
{
  GDateTime *start = sg_agent_memory_get_start (memory);
  g_autoptr(GDateTime) local = start ? g_date_time_to_local (start) : NULL;
  g_autofree char *when = local ? g_date_time_format (local, "%X") : g_strdup (sg_agent_memory_get_id (memory));
  g_autofree char *peak = NULL;

  if (sg_agent_memory_is_recording (memory))
    /* TRANSLATORS: a start time */
    return g_strdup_printf (_("%s · recording"), when);
  if (!sg_agent_memory_is_ready (memory))
    /* TRANSLATORS: a start time */
    return g_strdup_printf (_("%s · failed"), when);
  peak = _sg_memory_page_format_size (sg_agent_memory_get_traced_peak_bytes (memory));
  /* TRANSLATORS: start time, duration in seconds and peak size, e.g. "10:42:03 · 3.0 s · peak 10.5 MB" */
  return g_strdup_printf (_("%s · %.1f s · peak %s"), when, sg_agent_memory_get_duration (memory), peak);
}

static SgAgentMemory *
selected_result (SgMemoryPage *self)
{
  GPtrArray *results = self->status ? sg_agent_memory_status_get_results (self->status) : NULL;
  guint selected = gtk_drop_down_get_selected (self->results_dropdown);

  if (results == NULL || selected == GTK_INVALID_LIST_POSITION || selected >= results->len)
    return NULL;
  return g_ptr_array_index (results, selected);
}

/* Before the first result: what to do next, which depends on whether a
 * recording runs. */
static void
update_empty (SgMemoryPage *self)
{
  if (self->agent != NULL && !agent_records_memory (self))
    {
      adw_status_page_set_icon_name (self->empty_page, "dialog-information-symbolic");
      adw_status_page_set_title (self->empty_page, _("Memory Recording Unavailable"));
      adw_status_page_set_description (self->empty_page, _("This agent is older than memory recordings. Update the Spyglass agent in the service to record memory by line."));
    }
  else if (current_recording (self) != NULL)
    {
      adw_status_page_set_icon_name (self->empty_page, "media-record-symbolic");
      adw_status_page_set_title (self->empty_page, _("Recording"));
      adw_status_page_set_description (self->empty_page, _("Let the service do the work you want to measure, then stop the recording. The lines that allocated appear here, biggest increment first."));
    }
  else
    {
      adw_status_page_set_icon_name (self->empty_page, "sg-memory-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Recordings Yet"));
      adw_status_page_set_description (self->empty_page, _("Start a recording, let the service do the work you want to measure, then stop it. The lines that allocated appear here, biggest increment first."));
    }
}

static void
show_failed (SgMemoryPage *self,
             const char   *message)
{
  adw_status_page_set_description (self->failed_page, message);
  gtk_spinner_stop (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->result_stack, "failed");
  _sg_memory_page_show_table (self, NULL);
}

static void
table_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SgMemoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SgAgentMemory) memory = sg_agent_client_get_memory_finish (SG_AGENT_CLIENT (object), result, &error);
  g_autofree char *id = g_steal_pointer (&self->loading_id);
  SgAgentMemory *selected;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || SG_AGENT_CLIENT (object) != self->agent)
    return;
  if (memory != NULL)
    g_hash_table_replace (self->tables, g_strdup (sg_agent_memory_get_id (memory)), g_object_ref (memory));

  /* The user may have picked another result meanwhile. */
  selected = selected_result (self);
  if (selected == NULL || g_strcmp0 (sg_agent_memory_get_id (selected), id) != 0)
    return;
  if (memory == NULL)
    {
      /* TRANSLATORS: why a recording's table could not be read */
      g_autofree char *message = g_strdup_printf (_("Could not read its table: %s"), error->message);
      show_failed (self, message);
      return;
    }
  gtk_spinner_stop (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->result_stack, "table");
  _sg_memory_page_show_table (self, memory);
}

static void
show_selected (SgMemoryPage *self)
{
  SgAgentMemory *selected = selected_result (self);
  SgAgentMemory *table;
  const char *id;

  if (selected == NULL)
    {
      update_empty (self);
      gtk_stack_set_visible_child_name (self->result_stack, "empty");
      _sg_memory_page_show_table (self, NULL);
      return;
    }
  id = sg_agent_memory_get_id (selected);
  if (!sg_agent_memory_is_ready (selected))
    {
      show_failed (self, sg_agent_memory_get_error (selected) ? sg_agent_memory_get_error (selected)
                                                              : _("The agent could not build this recording’s table."));
      return;
    }
  if ((table = g_hash_table_lookup (self->tables, id)))
    {
      if (table != self->shown)
        _sg_memory_page_show_table (self, table);
      gtk_stack_set_visible_child_name (self->result_stack, "table");
      return;
    }
  if (g_strcmp0 (self->loading_id, id) == 0)
    return;
  g_free (self->loading_id);
  self->loading_id = g_strdup (id);
  gtk_spinner_start (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->result_stack, "loading");
  sg_agent_client_get_memory_async (self->agent, id, self->cancellable, table_cb, g_object_ref (self));
}

static gboolean
same_strings (GListModel *a,
              GListModel *b)
{
  guint n = a ? g_list_model_get_n_items (a) : 0;

  if (a == NULL || n != g_list_model_get_n_items (b))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (a), i),
                   gtk_string_list_get_string (GTK_STRING_LIST (b), i)) != 0)
      return FALSE;
  return TRUE;
}

static void
update_results (SgMemoryPage *self)
{
  GPtrArray *results = sg_agent_memory_status_get_results (self->status);
  SgAgentMemory *was = selected_result (self);
  g_autofree char *keep = g_strdup (self->want_id ? self->want_id : was ? sg_agent_memory_get_id (was) : NULL);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint select = 0;

  for (guint i = 0; i < results->len; i++)
    {
      SgAgentMemory *memory = g_ptr_array_index (results, i);
      g_autofree char *label = result_label (memory);

      gtk_string_list_append (labels, label);
      if (g_strcmp0 (sg_agent_memory_get_id (memory), keep) == 0)
        {
          select = i;
          if (g_strcmp0 (keep, self->want_id) == 0)
            g_clear_pointer (&self->want_id, g_free);
        }
    }

  /* The state is re-read every few seconds while recording: leave an
   * unchanged list alone, so an open drop-down does not close under the
   * user's pointer. */
  if (!same_strings (gtk_drop_down_get_model (self->results_dropdown), G_LIST_MODEL (labels)))
    {
      self->updating_results = TRUE;
      gtk_drop_down_set_model (self->results_dropdown, G_LIST_MODEL (labels));
      gtk_drop_down_set_selected (self->results_dropdown, results->len > 0 ? select : GTK_INVALID_LIST_POSITION);
      self->updating_results = FALSE;
    }
  else if (results->len > 0 && gtk_drop_down_get_selected (self->results_dropdown) != select)
    gtk_drop_down_set_selected (self->results_dropdown, select);  /* shows it */
  show_selected (self);
}

static void
on_result_selected (SgMemoryPage *self)
{
  if (!self->updating_results)
    show_selected (self);
}

/* --- talking to the agent ------------------------------------------------------- */

static void
apply_status (SgMemoryPage        *self,
              SgAgentMemoryStatus *status)
{
  g_set_object (&self->status, status);
  self->status_time = g_get_monotonic_time ();
  update_state (self);
  update_cost (self);
  update_results (self);
  update_tick (self);
}

static void
status_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SgMemoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SgAgentMemoryStatus) status = NULL;

  status = sg_agent_client_get_memory_status_finish (SG_AGENT_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || SG_AGENT_CLIENT (object) != self->agent)
    return;
  if (status == NULL)
    {
      /* TRANSLATORS: why the state could not be read */
      g_autofree char *text = g_strdup_printf (_("Could not read the agent’s memory state: %s"), error->message);

      set_state_text (self, text, TRUE);
      return;
    }
  apply_status (self, status);
}

static void
refresh_status (SgMemoryPage *self)
{
  if (!agent_connected (self))
    return;
  if (!agent_records_memory (self))
    return;  /* update_state() says why */
  sg_agent_client_get_memory_status_async (self->agent, self->cancellable, status_cb, g_object_ref (self));
}

static void
start_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SgMemoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SgAgentMemory) memory = sg_agent_client_start_memory_finish (SG_AGENT_CLIENT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || SG_AGENT_CLIENT (object) != self->agent)
    return;
  self->busy = FALSE;
  if (memory == NULL)
    say_error (self, _("Could not start recording"), error);
  /* Either way the agent's state says what runs now (another console's
   * recording, when it answered "already recording"). */
  update_state (self);
  refresh_status (self);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SgMemoryPage *self = SG_MEMORY_PAGE (widget);

  if (!agent_connected (self) || self->busy)
    return;
  self->busy = TRUE;
  update_state (self);
  sg_agent_client_start_memory_async (self->agent,
                                      gtk_spin_button_get_value (self->seconds_spin),
                                      (guint) gtk_spin_button_get_value_as_int (self->frames_spin),
                                      self->cancellable, start_cb, g_object_ref (self));
}

static void
stop_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SgMemoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SgAgentMemory) memory = sg_agent_client_stop_memory_finish (SG_AGENT_CLIENT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || SG_AGENT_CLIENT (object) != self->agent)
    return;
  self->busy = FALSE;
  if (memory == NULL)
    say_error (self, _("Could not stop recording"), error);
  else
    {
      g_free (self->want_id);
      self->want_id = g_strdup (sg_agent_memory_get_id (memory));
    }
  update_state (self);
  refresh_status (self);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SgMemoryPage *self = SG_MEMORY_PAGE (widget);

  if (!agent_connected (self) || self->busy)
    return;
  self->busy = TRUE;
  update_state (self);
  set_state_text (self, _("Stopping and building the table…"), FALSE);
  sg_agent_client_stop_memory_async (self->agent, self->cancellable, stop_cb, g_object_ref (self));
}

static void
on_memory_ready (SgMemoryPage  *self,
                 const char    *kind,
                 guint64        seq,
                 const char    *data_json)
{
  g_autoptr(JsonNode) data = data_json ? json_from_string (data_json, NULL) : NULL;
  const char *id = NULL;

  /* A recording with a duration ended by itself: show its table. */
  if (data != NULL && JSON_NODE_HOLDS_OBJECT (data) &&
      json_object_has_member (json_node_get_object (data), "id"))
    id = json_object_get_string_member_with_default (json_node_get_object (data), "id", NULL);
  if (id != NULL && self->want_id == NULL)
    self->want_id = g_strdup (id);
  refresh_status (self);
}

static void
forget_results (SgMemoryPage *self)
{
  g_clear_object (&self->status);
  g_hash_table_remove_all (self->tables);
  g_clear_pointer (&self->want_id, g_free);
  g_clear_pointer (&self->loading_id, g_free);
  _sg_memory_page_show_table (self, NULL);
  gtk_drop_down_set_model (self->results_dropdown, NULL);
  update_empty (self);
  gtk_stack_set_visible_child_name (self->result_stack, "empty");
}

static void
on_agent_restarted (SgMemoryPage *self)
{
  /* A new process: the old results are gone with the old one. */
  forget_results (self);
  refresh_status (self);
}

static void
on_agent_state (SgMemoryPage *self)
{
  /* Connected again after a drop: what ran may have ended meanwhile, and
   * a table that failed to load can load now. */
  if (agent_connected (self))
    refresh_status (self);
  update_state (self);
  update_tick (self);
  if (self->status == NULL)
    update_empty (self);
}

/* --- heap profile ---------------------------------------------------------------- */

typedef struct
{
  SgMemoryPage *self;
  char         *id;
  GFile        *file;
} HeapSave;

static void
heap_save_free (HeapSave *save)
{
  g_clear_object (&save->self);
  g_clear_object (&save->file);
  g_free (save->id);
  g_free (save);
}

static void
heap_done (SgMemoryPage *self)
{
  self->fetching_heap = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memory.open-heap-profile",
                                 self->shown != NULL && sg_agent_memory_get_profile_id (self->shown) != NULL);
}

static void
heap_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HeapSave *save = user_data;
  SgMemoryPage *self = save->self;
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  heap_done (self);
  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    say_error (self, _("Could not keep the heap profile"), error);
  else if (SG_IS_WINDOW (root))
    /* The window's own way to open a profile: listed under Profiles, shown
     * on the Profile page, errors as its toasts. */
    sg_window_open_file (SG_WINDOW (root), save->file);
  heap_save_free (save);
}

static void
heap_fetched_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HeapSave *save = user_data;
  SgMemoryPage *self = save->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = sg_agent_client_fetch_profile_finish (SG_AGENT_CLIENT (object), result, &error);
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  SgAgentInfo *info = sg_agent_client_get_info (SG_AGENT_CLIENT (object));
  const char *service = info && sg_agent_info_get_service (info) ? sg_agent_info_get_service (info) : "agent";

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || bytes == NULL)
    {
      if (bytes == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          heap_done (self);
          say_error (self, _("Could not fetch the heap profile"), error);
        }
      heap_save_free (save);
      return;
    }

  /* Kept as a file in the cache, so the Profile page reads it like any
   * other, and it can be opened again or saved elsewhere. */
  dir = g_build_filename (g_get_user_cache_dir (), "spyglass", "heap-profiles", NULL);
  g_mkdir_with_parents (dir, 0700);
  name = g_strdup_printf ("%s-%s.pb.gz", service, save->id);
  g_strdelimit (name, "/\\", '_');
  path = g_build_filename (dir, name, NULL);
  save->file = g_file_new_for_path (path);
  g_file_replace_contents_bytes_async (save->file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, heap_written_cb, save);
}

static void
open_heap_profile_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  SgMemoryPage *self = SG_MEMORY_PAGE (widget);
  const char *profile_id = self->shown ? sg_agent_memory_get_profile_id (self->shown) : NULL;
  HeapSave *save;

  if (profile_id == NULL || self->agent == NULL || self->fetching_heap)
    return;
  self->fetching_heap = TRUE;
  gtk_widget_action_set_enabled (widget, "memory.open-heap-profile", FALSE);
  save = g_new0 (HeapSave, 1);
  save->self = g_object_ref (self);
  save->id = g_strdup (profile_id);
  sg_agent_client_fetch_profile_async (self->agent, profile_id, self->cancellable, heap_fetched_cb, save);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  _sg_memory_page_export (SG_MEMORY_PAGE (widget), g_variant_get_string (parameter, NULL));
}

/* --- template callbacks ----------------------------------------------------------- */

static void
on_connect_clicked (SgMemoryPage *self)
{
  if (self->debug_page != NULL)
    sg_debug_page_show_connect_dialog (self->debug_page);
}

static void
on_filter_changed (SgMemoryPage *self)
{
  _sg_memory_page_refilter (self);
}

/* 0 seconds reads "until stopped", which is what it does. */
static gboolean
on_seconds_output (SgMemoryPage  *self,
                   GtkSpinButton *spin)
{
  double value = gtk_adjustment_get_value (gtk_spin_button_get_adjustment (spin));
  g_autofree char *text = NULL;

  if (value > 0)
    return FALSE;
  text = g_strdup (_("Until stopped"));
  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static int
on_seconds_input (SgMemoryPage  *self,
                  double        *new_value,
                  GtkSpinButton *spin)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  char *end = NULL;

  if (g_strcmp0 (text, _("Until stopped")) == 0 || *text == '\0')
    {
      *new_value = 0;
      return TRUE;
    }
  *new_value = g_strtod (text, &end);
  return end != text && *end == '\0' ? TRUE : GTK_INPUT_ERROR;
}

static gboolean
focus_filter (GtkWidget *widget,
              GVariant  *args,
              gpointer   user_data)
{
  SgMemoryPage *self = SG_MEMORY_PAGE (widget);

  if (!gtk_widget_is_drawable (GTK_WIDGET (self->filter_entry)))
    return FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self->filter_entry));
  return TRUE;
}

static void
on_stop_search (SgMemoryPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

/* --- the widget ------------------------------------------------------------------ */

static void
disconnect_agent (SgMemoryPage *self)
{
  if (self->agent != NULL)
    g_signal_handlers_disconnect_by_data (self->agent, self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->tick_source, g_source_remove);
}

static void
sg_memory_page_dispose (GObject *object)
{
  SgMemoryPage *self = SG_MEMORY_PAGE (object);
  GtkWidget *child;

  disconnect_agent (self);
  g_clear_object (&self->agent);
  if (self->debug_page != NULL)
    g_signal_handlers_disconnect_by_data (self->debug_page, self);
  g_clear_weak_pointer (&self->debug_page);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (object), SG_TYPE_MEMORY_PAGE);
  /* dispose_template() only unparents bound children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);

  g_clear_object (&self->sorted);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->status);
  g_clear_object (&self->shown);
  g_clear_pointer (&self->tables, g_hash_table_unref);

  G_OBJECT_CLASS (sg_memory_page_parent_class)->dispose (object);
}

static void
sg_memory_page_finalize (GObject *object)
{
  SgMemoryPage *self = SG_MEMORY_PAGE (object);

  g_free (self->want_id);
  g_free (self->loading_id);
  g_free (self->last_message);

  G_OBJECT_CLASS (sg_memory_page_parent_class)->finalize (object);
}

static void
sg_memory_page_class_init (SgMemoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sg_memory_page_dispose;
  object_class->finalize = sg_memory_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/spyglass/Spyglass/ui/sg-memory-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, SgMemoryPage, toasts);
  gtk_widget_class_bind_template_child (widget_class, SgMemoryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SgMemoryPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, SgMemoryPage, cost_box);
  gtk_widget_class_bind_template_child (widget_class, SgMemoryPage, cost_label);
  gtk_widget_class_bind_template_child (widget_class, SgMemoryPage, seconds_spin);
  gtk_widget_class_bind_template_child (widget_class, SgMemoryPage, frames_spin);
  gtk_widget_class_bind_template_child (widget_class, SgMemoryPage, button_stack);
  gtk_widget_class_bind_template_child (widget_class, SgMemoryPage, result_stack);
  gtk_widget_class_bind_template_child (widget_class, SgMemoryPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, SgMemoryPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SgMemoryPage, failed_page);
  gtk_widget_class_bind_template_child (widget_class, SgMemoryPage, results_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SgMemoryPage, figures_box);
  gtk_widget_class_bind_template_child (widget_class, SgMemoryPage, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, SgMemoryPage, table_stack);
  gtk_widget_class_bind_template_child (widget_class, SgMemoryPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, SgMemoryPage, no_match_page);
  gtk_widget_class_bind_template_callback (widget_class, on_connect_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_seconds_output);
  gtk_widget_class_bind_template_callback (widget_class, on_seconds_input);

  gtk_widget_class_install_action (widget_class, "memory.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "memory.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "memory.open-heap-profile", NULL, open_heap_profile_action);
  gtk_widget_class_install_action (widget_class, "memory.export", "s", export_action);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, focus_filter, NULL);
}

static void
sg_memory_page_init (SgMemoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  _sg_memory_page_init_table (self);
  g_signal_connect_object (self->results_dropdown, "notify::selected", G_CALLBACK (on_result_selected),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_entry, "stop-search", G_CALLBACK (on_stop_search), self, G_CONNECT_SWAPPED);
  gtk_search_entry_set_key_capture_widget (self->filter_entry, GTK_WIDGET (self->column_view));
  gtk_spin_button_set_value (self->seconds_spin, 0);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->seconds_spin), 12);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memory.start", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "memory.stop", FALSE);
  _sg_memory_page_show_table (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "no-agent");
}

/* --- public API ------------------------------------------------------------------- */

static void
follow_debug_page (SgMemoryPage *self)
{
  sg_memory_page_set_agent (self, self->debug_page ? sg_debug_page_get_current_agent (self->debug_page) : NULL);
}

/**
 * sg_memory_page_set_debug_page:
 *
 * The page records on @debug_page's current agent, follows it when it
 * changes, and opens its Connect dialog.
 */
void
sg_memory_page_set_debug_page (SgMemoryPage *self,
                               SgDebugPage  *debug_page)
{
  g_return_if_fail (SG_IS_MEMORY_PAGE (self));
  g_return_if_fail (!debug_page || SG_IS_DEBUG_PAGE (debug_page));

  if (self->debug_page != NULL)
    g_signal_handlers_disconnect_by_data (self->debug_page, self);
  g_set_weak_pointer (&self->debug_page, debug_page);
  if (debug_page != NULL)
    g_signal_connect_object (debug_page, "notify::current-agent", G_CALLBACK (follow_debug_page),
                             self, G_CONNECT_SWAPPED);
  follow_debug_page (self);
}

SgAgentClient *
sg_memory_page_get_agent (SgMemoryPage *self)
{
  g_return_val_if_fail (SG_IS_MEMORY_PAGE (self), NULL);
  return self->agent;
}

void
sg_memory_page_set_agent (SgMemoryPage  *self,
                          SgAgentClient *agent)
{
  g_return_if_fail (SG_IS_MEMORY_PAGE (self));
  g_return_if_fail (!agent || SG_IS_AGENT_CLIENT (agent));

  if (self->agent == agent)
    return;
  disconnect_agent (self);
  g_set_object (&self->agent, agent);
  forget_results (self);
  self->busy = FALSE;
  self->fetching_heap = FALSE;
  self->cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->stack, agent ? "agent" : "no-agent");
  update_cost (self);
  if (agent == NULL)
    return;

  g_signal_connect_object (agent, "notify::state", G_CALLBACK (on_agent_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (agent, "agent-event::memory_ready", G_CALLBACK (on_memory_ready), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (agent, "agent-restarted", G_CALLBACK (on_agent_restarted), self, G_CONNECT_SWAPPED);
  on_agent_state (self);
}

/* The agent's memory state as last read, or NULL. */
SgAgentMemoryStatus *
sg_memory_page_get_status (SgMemoryPage *self)
{
  g_return_val_if_fail (SG_IS_MEMORY_PAGE (self), NULL);
  return self->status;
}

/* The result whose table is shown, or NULL. */
SgAgentMemory *
sg_memory_page_get_shown (SgMemoryPage *self)
{
  g_return_val_if_fail (SG_IS_MEMORY_PAGE (self), NULL);
  return self->shown;
}

/**
 * sg_memory_page_get_visible_lines:
 *
 * Returns: (transfer none): the table's rows as shown (filtered and
 *   sorted), a #GListModel of #SgAgentMemoryLine
 */
GListModel *
sg_memory_page_get_visible_lines (SgMemoryPage *self)
{
  g_return_val_if_fail (SG_IS_MEMORY_PAGE (self), NULL);
  return G_LIST_MODEL (self->sorted);
}

const char *
sg_memory_page_get_state_text (SgMemoryPage *self)
{
  g_return_val_if_fail (SG_IS_MEMORY_PAGE (self), NULL);
  return gtk_label_get_text (self->state_label);
}

const char *
sg_memory_page_get_cost_text (SgMemoryPage *self)
{
  g_return_val_if_fail (SG_IS_MEMORY_PAGE (self), NULL);
  return gtk_widget_get_visible (self->cost_box) ? gtk_label_get_text (self->cost_label) : NULL;
}

/* The last message shown to the user (a toast), for tests. */
const char *
sg_memory_page_get_last_message (SgMemoryPage *self)
{
  g_return_val_if_fail (SG_IS_MEMORY_PAGE (self), NULL);
  return self->last_message;
}

/* A start, stop or heap fetch is on its way. */
gboolean
sg_memory_page_is_busy (SgMemoryPage *self)
{
  g_return_val_if_fail (SG_IS_MEMORY_PAGE (self), FALSE);
  return self->busy || self->fetching_heap;
}

/**
 * sg_memory_page_save_table:
 * @file: where to write
 *
 * Writes the table as shown (filtered and sorted) to @file in the
 * background, as Export does after its file dialog; the outcome is said
 * in a toast.
 */
void
sg_memory_page_save_table (SgMemoryPage            *self,
                           GFile                   *file,
                           SgAgentMemoryTextFormat  format)
{
  g_return_if_fail (SG_IS_MEMORY_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  _sg_memory_page_save_table (self, file, format);
}

/**
 * sg_memory_page_dup_table_text:
 *
 * Returns: (transfer full): the table as shown, as Export writes it
 */
char *
sg_memory_page_dup_table_text (SgMemoryPage            *self,
                               SgAgentMemoryTextFormat  format)
{
  g_return_val_if_fail (SG_IS_MEMORY_PAGE (self), NULL);
  return sg_agent_memory_format_lines (G_LIST_MODEL (self->sorted), format);
}
