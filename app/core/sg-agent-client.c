/* SPDX-License-Identifier: GPL-3.0-or-later */

/* SgAgentClient talks to one agent over its HTTP/JSON protocol
 * (agent/PROTOCOL.md).  Every call is an _async/_finish pair: the request is
 * sent with libsoup on the caller's main context, and the answer is parsed on
 * a worker thread into immutable objects, so a large snapshot never stalls
 * the UI.
 *
 * While started, the client keeps a long-poll on /v1/events and turns every
 * event into a signal.  When the poll fails it reconnects with exponential
 * backoff, re-reads /v1/agent, and notices when the agent came back as a new
 * process (its id changed).  A wrong token or another protocol version stop
 * the retries: waiting would not fix them.
 *
 * Two soup sessions are used because their "timeout" is an inactivity
 * timeout: ordinary calls get a short one, the long-poll one longer than
 * the poll itself. */

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "sg-agent-client.h"
#include "sg-agent-client-private.h"
#include "sg-agent-info-private.h"
#include "sg-agent-json-private.h"
#include "sg-agent-manifest-private.h"
#include "sg-agent-memory-private.h"
#include "sg-breakpoint-private.h"

#define BACKOFF_MIN_MS     250
#define BACKOFF_MAX_MS     10000
#define HEARTBEAT_S        5

struct _SgAgentClient
{
  GObject       parent_instance;

  char         *address;
  char         *token;
  SoupSession  *session;
  SoupSession  *poll_session;
  guint         request_timeout_s;
  guint         poll_timeout_s;

  SgAgentState  state;
  SgAgentInfo  *info;
  GError       *last_error;
  int           latency_ms;

  GCancellable *loop_cancellable;
  GTask        *connect_task;
  guint64       cursor;
  guint         backoff_ms;
  guint         retry_source;
  guint         heartbeat_source;
  guint         running : 1;
  guint         retry : 1;
  guint         ever_connected : 1;
};

G_DEFINE_FINAL_TYPE (SgAgentClient, sg_agent_client, G_TYPE_OBJECT)
G_DEFINE_QUARK (sg-agent-error-quark, sg_agent_error)
G_DEFINE_ENUM_TYPE (SgAgentState, sg_agent_state,
                    G_DEFINE_ENUM_VALUE (SG_AGENT_STATE_DISCONNECTED, "disconnected"),
                    G_DEFINE_ENUM_VALUE (SG_AGENT_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (SG_AGENT_STATE_CONNECTED, "connected"),
                    G_DEFINE_ENUM_VALUE (SG_AGENT_STATE_RECONNECTING, "reconnecting"),
                    G_DEFINE_ENUM_VALUE (SG_AGENT_STATE_FAILED, "failed"))

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_TOKEN,
  PROP_STATE,
  PROP_INFO,
  PROP_LATENCY_MS,
  N_PROPS
};

enum {
  BREAKPOINT_UPDATED,
  LOG_ENTRY,
  AGENT_EVENT,
  EVENTS_MISSED,
  AGENT_RESTARTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void try_connect (SgAgentClient *self);
static void poll_events (SgAgentClient *self);

/* --- one request ------------------------------------------------------- */

typedef gpointer (*ParseFunc) (JsonNode  *root,
                               gpointer   parse_data,
                               GError   **error);

typedef struct
{
  SoupMessage    *msg;
  ParseFunc       parse;
  gpointer        parse_data;
  GDestroyNotify  parse_data_free;
  GDestroyNotify  result_free;
  GBytes         *bytes;
  gint64          started;
  gboolean        raw;
  gboolean        measure;
} Call;

static void
call_free (gpointer ptr)
{
  Call *call = ptr;

  g_clear_object (&call->msg);
  g_clear_pointer (&call->bytes, g_bytes_unref);
  if (call->parse_data_free)
    g_clear_pointer (&call->parse_data, call->parse_data_free);
  g_free (call);
}

static GError *
map_transport_error (SgAgentClient *self,
                     GError        *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (SG_AGENT_ERROR, SG_AGENT_ERROR_TIMEOUT,
                        _("The agent at %s did not answer in time"), self->address);
  if (error->domain == G_TLS_ERROR)
    return g_error_new (SG_AGENT_ERROR, SG_AGENT_ERROR_TLS,
                        _("Could not set up a secure connection to %s: %s"),
                        self->address, error->message);
  if (self->ever_connected)
    return g_error_new (SG_AGENT_ERROR, SG_AGENT_ERROR_GONE,
                        _("The agent at %s stopped answering: %s"), self->address, error->message);
  return g_error_new (SG_AGENT_ERROR, SG_AGENT_ERROR_UNREACHABLE,
                      _("Could not reach an agent at %s: %s"), self->address, error->message);
}

static GError *
map_http_error (SgAgentClient *self,
                SoupMessage   *msg,
                GBytes        *bytes)
{
  guint status = soup_message_get_status (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *message = NULL;
  gsize len = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

  /* The agent answers errors as {"error": {"code", "message"}}. */
  if (data != NULL && len > 0 && json_parser_load_from_data (parser, data, len, NULL))
    {
      JsonObject *object = sg_json_node_get_object (json_parser_get_root (parser));
      JsonObject *err = sg_json_get_object (object, "error");

      message = g_strdup (sg_json_get_string (err, "message"));
      if (message == NULL)
        message = g_strdup (sg_json_get_string (object, "error"));
    }
  if (message == NULL)
    message = g_strdup (soup_message_get_reason_phrase (msg));

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return g_error_new (SG_AGENT_ERROR, SG_AGENT_ERROR_UNAUTHORIZED,
                          _("The agent at %s refused the token; check the token it printed when it started"),
                          self->address);
    case SOUP_STATUS_FORBIDDEN:
      return g_error_new (SG_AGENT_ERROR, SG_AGENT_ERROR_FORBIDDEN, _("The agent refused: %s"), message);
    case SOUP_STATUS_NOT_FOUND:
      return g_error_new (SG_AGENT_ERROR, SG_AGENT_ERROR_NOT_FOUND, _("Not found on the agent: %s"), message);
    case SOUP_STATUS_NOT_IMPLEMENTED:
      return g_error_new (SG_AGENT_ERROR, SG_AGENT_ERROR_UNSUPPORTED, _("The agent cannot do this: %s"), message);
    default:
      if (status >= 400 && status < 500)
        return g_error_new_literal (SG_AGENT_ERROR, SG_AGENT_ERROR_REJECTED, message);
      return g_error_new (SG_AGENT_ERROR, SG_AGENT_ERROR_FAILED,
                          _("The agent failed (HTTP %u): %s"), status, message);
    }
}

static void
call_parse_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Call *call = task_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (call->bytes, &len);
  gpointer result;

  if (!json_parser_load_from_data (parser, data ? data : "", len, &error))
    {
      g_task_return_new_error (task, SG_AGENT_ERROR, SG_AGENT_ERROR_PROTOCOL,
                               _("The agent's answer is not valid JSON: %s"), error->message);
      return;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_task_return_new_error (task, SG_AGENT_ERROR, SG_AGENT_ERROR_PROTOCOL,
                               _("The agent sent an empty answer"));
      return;
    }
  if (!(result = call->parse (json_parser_get_root (parser), call->parse_data, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, result, call->result_free);
}

static void
call_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SgAgentClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, map_transport_error (self, error));
      return;
    }
  if (call->measure)
    {
      int ms = (int) ((g_get_monotonic_time () - call->started) / 1000);

      if (ms != self->latency_ms)
        {
          self->latency_ms = ms;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATENCY_MS]);
        }
    }

  status = soup_message_get_status (call->msg);
  if (status < 200 || status >= 300)
    {
      g_task_return_error (task, map_http_error (self, call->msg, bytes));
      return;
    }
  if (call->raw)
    {
      g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (call->parse == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  call->bytes = g_steal_pointer (&bytes);
  g_task_run_in_thread (task, call_parse_thread);
}

/* Sends METHOD PATH to the agent; the GTask returns what parse() made of
 * the JSON answer, the raw bytes when raw, or TRUE when parse is NULL. */
static void
call_send (SgAgentClient       *self,
           gboolean             long_poll,
           const char          *method,
           const char          *path,
           const char          *json_body,
           ParseFunc            parse,
           gpointer             parse_data,
           GDestroyNotify       parse_data_free,
           GDestroyNotify       result_free,
           gboolean             raw,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *uri = g_strconcat (self->address, path, NULL);
  Call *call = g_new0 (Call, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, call_free);
  call->parse = parse;
  call->parse_data = parse_data;
  call->parse_data_free = parse_data_free;
  call->result_free = result_free;
  call->raw = raw;
  call->measure = !long_poll;
  call->started = g_get_monotonic_time ();

  call->msg = soup_message_new (method, uri);
  if (call->msg == NULL)
    {
      g_task_return_new_error (task, SG_AGENT_ERROR, SG_AGENT_ERROR_UNREACHABLE,
                               _("“%s” is not a valid agent address"), self->address);
      return;
    }
  if (self->token != NULL && self->token[0] != '\0')
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", self->token);
      soup_message_headers_replace (soup_message_get_request_headers (call->msg), "Authorization", auth);
    }
  if (json_body != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (json_body, strlen (json_body));
      soup_message_set_request_body_from_bytes (call->msg, "application/json", body);
    }

  soup_session_send_and_read_async (long_poll ? self->poll_session : self->session,
                                    call->msg, G_PRIORITY_DEFAULT, cancellable,
                                    call_sent_cb, g_object_ref (task));
}

static gpointer
call_finish (SgAgentClient  *self,
             GAsyncResult   *result,
             gpointer        source_tag,
             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- connection state machine ------------------------------------------ */

static void
set_state (SgAgentClient *self,
           SgAgentState   state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_last_error (SgAgentClient *self,
                const GError  *error)
{
  g_clear_error (&self->last_error);
  if (error != NULL)
    self->last_error = g_error_copy (error);
}

static gboolean
heartbeat_cb (gpointer user_data);

static void
heartbeat_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SgAgentClient *self = SG_AGENT_CLIENT (object);
  g_autoptr(SgAgentInfo) info = NULL;

  /* Only the latency matters here; failures are the long-poll's to report. */
  info = sg_agent_client_get_agent_info_finish (self, result, NULL);
}

static gboolean
heartbeat_cb (gpointer user_data)
{
  SgAgentClient *self = user_data;

  if (self->state == SG_AGENT_STATE_CONNECTED)
    sg_agent_client_get_agent_info_async (self, self->loop_cancellable, heartbeat_done_cb, NULL);
  return G_SOURCE_CONTINUE;
}

static gboolean
retry_cb (gpointer user_data)
{
  SgAgentClient *self = user_data;

  self->retry_source = 0;
  if (self->running)
    try_connect (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (SgAgentClient *self)
{
  g_clear_handle_id (&self->heartbeat_source, g_source_remove);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  set_state (self, SG_AGENT_STATE_RECONNECTING);
  self->retry_source = g_timeout_add (self->backoff_ms, retry_cb, self);
  self->backoff_ms = MIN (self->backoff_ms * 2, BACKOFF_MAX_MS);
}

static void
stop_running (SgAgentClient *self,
              SgAgentState   state)
{
  self->running = FALSE;
  g_cancellable_cancel (self->loop_cancellable);
  g_clear_object (&self->loop_cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_handle_id (&self->heartbeat_source, g_source_remove);
  set_state (self, state);
}

static void
events_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SgAgentClient *self = SG_AGENT_CLIENT (object);
  g_autoptr(GError) error = NULL;
  Batch *batch;

  batch = call_finish (self, result, poll_events, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->running)
    {
      g_clear_pointer (&batch, _sg_agent_batch_free);
      return;
    }
  if (batch == NULL)
    {
      set_last_error (self, error);
      if (g_error_matches (error, SG_AGENT_ERROR, SG_AGENT_ERROR_UNAUTHORIZED))
        stop_running (self, SG_AGENT_STATE_FAILED);
      else
        schedule_retry (self);
      return;
    }

  /* Same address, new process: reconnect properly so info and cursor are
   * the new agent's. */
  if (batch->agent_id != NULL && self->info != NULL && sg_agent_info_get_id (self->info) != NULL &&
      !g_str_equal (batch->agent_id, sg_agent_info_get_id (self->info)))
    {
      _sg_agent_batch_free (batch);
      try_connect (self);
      return;
    }

  self->cursor = batch->last_seq;
  g_object_ref (self);
  if (batch->missed > 0)
    g_signal_emit (self, signals[EVENTS_MISSED], 0, (guint64) batch->missed);
  for (guint i = 0; i < batch->events->len && self->running; i++)
    {
      Event *event = g_ptr_array_index (batch->events, i);

      g_signal_emit (self, signals[AGENT_EVENT], g_quark_from_string (event->kind),
                     event->kind, event->seq, event->data_json);
      if (event->breakpoint != NULL)
        g_signal_emit (self, signals[BREAKPOINT_UPDATED], 0, event->breakpoint, event->kind);
      if (event->log_entry != NULL)
        g_signal_emit (self, signals[LOG_ENTRY], 0, event->log_entry, event->seq);
    }
  _sg_agent_batch_free (batch);
  if (self->running)
    poll_events (self);
  g_object_unref (self);
}

static void
poll_events (SgAgentClient *self)
{
  g_autofree char *path = NULL;

  path = g_strdup_printf ("/v1/events?after=%" G_GUINT64_FORMAT "&timeout=%u&limit=200",
                          self->cursor, self->poll_timeout_s);
  call_send (self, TRUE, "GET", path, NULL,
             _sg_agent_parse_events, sg_agent_client_dup_display_name (self), g_free,
             _sg_agent_batch_free, FALSE, poll_events, self->loop_cancellable,
             events_done_cb, NULL);
}

static void
connect_info_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SgAgentClient *self = SG_AGENT_CLIENT (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(SgAgentInfo) info = NULL;
  g_autoptr(GTask) connect_task = NULL;
  gboolean restarted;

  info = sg_agent_client_get_agent_info_finish (self, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->running)
    return;

  connect_task = g_steal_pointer (&self->connect_task);
  if (info == NULL)
    {
      gboolean fatal = g_error_matches (error, SG_AGENT_ERROR, SG_AGENT_ERROR_UNAUTHORIZED) ||
                       g_error_matches (error, SG_AGENT_ERROR, SG_AGENT_ERROR_INCOMPATIBLE);

      set_last_error (self, error);
      if (fatal)
        stop_running (self, SG_AGENT_STATE_FAILED);
      else if (!self->retry)
        stop_running (self, SG_AGENT_STATE_DISCONNECTED);
      else
        schedule_retry (self);
      if (connect_task != NULL)
        g_task_return_error (connect_task, g_steal_pointer (&error));
      return;
    }

  restarted = self->info != NULL &&
              g_strcmp0 (sg_agent_info_get_id (self->info), sg_agent_info_get_id (info)) != 0;
  g_set_object (&self->info, info);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INFO]);
  set_last_error (self, NULL);
  self->ever_connected = TRUE;
  self->retry = TRUE;  /* once connected, a drop is retried in every mode */
  self->backoff_ms = BACKOFF_MIN_MS;
  if (restarted)
    self->cursor = 0;
  set_state (self, SG_AGENT_STATE_CONNECTED);
  if (restarted)
    g_signal_emit (self, signals[AGENT_RESTARTED], 0);
  if (connect_task != NULL)
    g_task_return_boolean (connect_task, TRUE);

  if (self->running && self->heartbeat_source == 0)
    self->heartbeat_source = g_timeout_add_seconds (HEARTBEAT_S, heartbeat_cb, self);
  if (self->running)
    poll_events (self);
}

static void
try_connect (SgAgentClient *self)
{
  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (self->state != SG_AGENT_STATE_RECONNECTING)
    set_state (self, SG_AGENT_STATE_CONNECTING);
  sg_agent_client_get_agent_info_async (self, self->loop_cancellable, connect_info_cb, NULL);
}

static void
begin (SgAgentClient *self)
{
  if (self->running)
    return;
  self->running = TRUE;
  self->backoff_ms = BACKOFF_MIN_MS;
  self->loop_cancellable = g_cancellable_new ();
  try_connect (self);
}

/* --- GObject ------------------------------------------------------------ */

static void
sg_agent_client_dispose (GObject *object)
{
  SgAgentClient *self = SG_AGENT_CLIENT (object);

  if (self->running)
    stop_running (self, SG_AGENT_STATE_DISCONNECTED);
  if (self->connect_task != NULL)
    {
      g_task_return_new_error (self->connect_task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Disposed");
      g_clear_object (&self->connect_task);
    }
  g_clear_object (&self->session);
  g_clear_object (&self->poll_session);

  G_OBJECT_CLASS (sg_agent_client_parent_class)->dispose (object);
}

static void
sg_agent_client_finalize (GObject *object)
{
  SgAgentClient *self = SG_AGENT_CLIENT (object);

  g_free (self->address);
  g_free (self->token);
  g_clear_object (&self->info);
  g_clear_error (&self->last_error);

  G_OBJECT_CLASS (sg_agent_client_parent_class)->finalize (object);
}

static char *
normalize_address (const char *address)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (address ? address : ""));
  gsize len;

  if (!g_str_has_prefix (trimmed, "http://") && !g_str_has_prefix (trimmed, "https://"))
    {
      char *with_scheme = g_strconcat ("http://", trimmed, NULL);
      g_free (trimmed);
      trimmed = with_scheme;
    }
  len = strlen (trimmed);
  while (len > 0 && trimmed[len - 1] == '/')
    trimmed[--len] = '\0';
  return g_steal_pointer (&trimmed);
}

static void
sg_agent_client_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SgAgentClient *self = SG_AGENT_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_INFO:
      g_value_set_object (value, self->info);
      break;
    case PROP_LATENCY_MS:
      g_value_set_int (value, self->latency_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_agent_client_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SgAgentClient *self = SG_AGENT_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_free (self->address);
      self->address = normalize_address (g_value_get_string (value));
      break;
    case PROP_TOKEN:
      g_free (self->token);
      self->token = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sg_agent_client_class_init (SgAgentClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sg_agent_client_dispose;
  object_class->finalize = sg_agent_client_finalize;
  object_class->get_property = sg_agent_client_get_property;
  object_class->set_property = sg_agent_client_set_property;

  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SG_TYPE_AGENT_STATE, SG_AGENT_STATE_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INFO] =
    g_param_spec_object ("info", NULL, NULL, SG_TYPE_AGENT_INFO,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LATENCY_MS] =
    g_param_spec_int ("latency-ms", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SgAgentClient::breakpoint-updated:
   * @breakpoint: the breakpoint as the agent now describes it
   * @kind: "breakpoint_hit", "breakpoint_final" or "breakpoint_error"
   */
  signals[BREAKPOINT_UPDATED] =
    g_signal_new ("breakpoint-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, SG_TYPE_BREAKPOINT, G_TYPE_STRING);
  /**
   * SgAgentClient::log-entry:
   * @entry: a line a logpoint wrote
   * @seq: the event's sequence number on this agent (for de-duplication)
   */
  signals[LOG_ENTRY] =
    g_signal_new ("log-entry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, SG_TYPE_AGENT_LOG_ENTRY, G_TYPE_UINT64);
  /**
   * SgAgentClient::agent-event:
   * @kind: the event kind (also the signal detail)
   * @seq: its sequence number
   * @data_json: (nullable): its data, for consumers of kinds without a typed signal
   */
  signals[AGENT_EVENT] =
    g_signal_new ("agent-event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT64, G_TYPE_STRING);
  signals[EVENTS_MISSED] =
    g_signal_new ("events-missed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
  /* The agent at this address is a new process: its breakpoints are gone. */
  signals[AGENT_RESTARTED] =
    g_signal_new ("agent-restarted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sg_agent_client_init (SgAgentClient *self)
{
  self->request_timeout_s = 15;
  self->poll_timeout_s = 25;
  self->latency_ms = -1;
  self->session = soup_session_new_with_options ("timeout", self->request_timeout_s,
                                                 "user-agent", "spyglass/" PACKAGE_VERSION,
                                                 NULL);
  self->poll_session = soup_session_new_with_options ("timeout", self->poll_timeout_s + 15,
                                                      "user-agent", "spyglass/" PACKAGE_VERSION,
                                                      NULL);
}

/* --- public API ----------------------------------------------------------- */

SgAgentClient *
sg_agent_client_new (const char *address,
                     const char *token)
{
  g_return_val_if_fail (address != NULL, NULL);
  return g_object_new (SG_TYPE_AGENT_CLIENT, "address", address, "token", token, NULL);
}

const char *
sg_agent_client_get_address (SgAgentClient *self)
{
  g_return_val_if_fail (SG_IS_AGENT_CLIENT (self), NULL);
  return self->address;
}

const char *
sg_agent_client_get_token (SgAgentClient *self)
{
  g_return_val_if_fail (SG_IS_AGENT_CLIENT (self), NULL);
  return self->token;
}

SgAgentState
sg_agent_client_get_state (SgAgentClient *self)
{
  g_return_val_if_fail (SG_IS_AGENT_CLIENT (self), SG_AGENT_STATE_DISCONNECTED);
  return self->state;
}

/**
 * sg_agent_client_get_info:
 *
 * Returns: (transfer none) (nullable): what the agent said when last connected
 */
SgAgentInfo *
sg_agent_client_get_info (SgAgentClient *self)
{
  g_return_val_if_fail (SG_IS_AGENT_CLIENT (self), NULL);
  return self->info;
}

int
sg_agent_client_get_latency_ms (SgAgentClient *self)
{
  g_return_val_if_fail (SG_IS_AGENT_CLIENT (self), -1);
  return self->latency_ms;
}

/**
 * sg_agent_client_get_last_error:
 *
 * Returns: (nullable): why the last connection attempt or poll failed
 */
const GError *
sg_agent_client_get_last_error (SgAgentClient *self)
{
  g_return_val_if_fail (SG_IS_AGENT_CLIENT (self), NULL);
  return self->last_error;
}

/* "service on host:port", or the address before the first connection. */
char *
sg_agent_client_dup_display_name (SgAgentClient *self)
{
  const char *hostport;

  g_return_val_if_fail (SG_IS_AGENT_CLIENT (self), NULL);

  hostport = strstr (self->address, "://");
  hostport = hostport ? hostport + 3 : self->address;
  if (self->info != NULL && sg_agent_info_get_service (self->info) != NULL)
    return g_strdup_printf ("%s (%s)", sg_agent_info_get_service (self->info), hostport);
  return g_strdup (hostport);
}

void
sg_agent_client_set_request_timeout (SgAgentClient *self,
                                     guint          seconds)
{
  g_return_if_fail (SG_IS_AGENT_CLIENT (self));
  self->request_timeout_s = MAX (1, seconds);
  g_object_set (self->session, "timeout", self->request_timeout_s, NULL);
}

void
sg_agent_client_set_poll_timeout (SgAgentClient *self,
                                  guint          seconds)
{
  g_return_if_fail (SG_IS_AGENT_CLIENT (self));
  self->poll_timeout_s = MAX (1, seconds);
  g_object_set (self->poll_session, "timeout", self->poll_timeout_s + 15, NULL);
}

/**
 * sg_agent_client_set_tls_ca_file:
 * @path: a PEM file of the CA (or self-signed certificate) to trust
 *
 * For agents serving TLS with a certificate the system does not trust.
 */
gboolean
sg_agent_client_set_tls_ca_file (SgAgentClient  *self,
                                 const char     *path,
                                 GError        **error)
{
  g_autoptr(GTlsDatabase) database = NULL;

  g_return_val_if_fail (SG_IS_AGENT_CLIENT (self), FALSE);

  if (!(database = g_tls_file_database_new (path, error)))
    return FALSE;
  soup_session_set_tls_database (self->session, database);
  soup_session_set_tls_database (self->poll_session, database);
  return TRUE;
}

void
sg_agent_client_connect_async (SgAgentClient       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SG_IS_AGENT_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sg_agent_client_connect_async);
  if (self->state == SG_AGENT_STATE_CONNECTED)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->connect_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, _("Already connecting"));
      return;
    }
  self->connect_task = g_steal_pointer (&task);
  if (!self->running)
    {
      self->retry = FALSE;
      begin (self);
    }
}

gboolean
sg_agent_client_connect_finish (SgAgentClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sg_agent_client_start (SgAgentClient *self)
{
  g_return_if_fail (SG_IS_AGENT_CLIENT (self));
  self->retry = TRUE;
  begin (self);
}

void
sg_agent_client_stop (SgAgentClient *self)
{
  g_autoptr(GTask) connect_task = NULL;

  g_return_if_fail (SG_IS_AGENT_CLIENT (self));

  connect_task = g_steal_pointer (&self->connect_task);
  if (self->running)
    stop_running (self, SG_AGENT_STATE_DISCONNECTED);
  if (connect_task != NULL)
    g_task_return_new_error (connect_task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Disconnected"));
}

void
sg_agent_client_get_agent_info_async (SgAgentClient       *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (SG_IS_AGENT_CLIENT (self));
  call_send (self, FALSE, "GET", "/v1/agent", NULL, _sg_agent_parse_info, NULL, NULL, g_object_unref, FALSE,
             sg_agent_client_get_agent_info_async, cancellable, callback, user_data);
}

SgAgentInfo *
sg_agent_client_get_agent_info_finish (SgAgentClient  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  SgAgentInfo *info = call_finish (self, result, sg_agent_client_get_agent_info_async, &local_error);

  /* A 404 on /v1/agent means something else is listening there. */
  if (g_error_matches (local_error, SG_AGENT_ERROR, SG_AGENT_ERROR_NOT_FOUND))
    {
      g_set_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_INCOMPATIBLE,
                   _("The server at %s is not a Spyglass agent (no /v1/agent)"), self->address);
      return NULL;
    }
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return info;
}

void
sg_agent_client_get_manifest_async (SgAgentClient       *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (SG_IS_AGENT_CLIENT (self));
  call_send (self, FALSE, "GET", "/v1/source/manifest", NULL, _sg_agent_parse_manifest, NULL, NULL,
             g_object_unref, FALSE, sg_agent_client_get_manifest_async, cancellable, callback, user_data);
}

SgAgentManifest *
sg_agent_client_get_manifest_finish (SgAgentClient  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  return call_finish (self, result, sg_agent_client_get_manifest_async, error);
}

void
sg_agent_client_get_source_file_async (SgAgentClient       *self,
                                       const char          *path,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *request = NULL;

  g_return_if_fail (SG_IS_AGENT_CLIENT (self));
  g_return_if_fail (path != NULL);

  escaped = g_uri_escape_string (path, NULL, FALSE);
  request = g_strconcat ("/v1/source/file?path=", escaped, NULL);
  call_send (self, FALSE, "GET", request, NULL, NULL, NULL, NULL, NULL, TRUE,
             sg_agent_client_get_source_file_async, cancellable, callback, user_data);
}

GBytes *
sg_agent_client_get_source_file_finish (SgAgentClient  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  return call_finish (self, result, sg_agent_client_get_source_file_async, error);
}

void
sg_agent_client_set_breakpoint_async (SgAgentClient          *self,
                                      const SgBreakpointSpec *spec,
                                      GCancellable           *cancellable,
                                      GAsyncReadyCallback     callback,
                                      gpointer                user_data)
{
  g_autofree char *body = NULL;

  g_return_if_fail (SG_IS_AGENT_CLIENT (self));
  g_return_if_fail (spec != NULL && spec->path != NULL);

  body = sg_breakpoint_spec_to_json (spec);
  call_send (self, FALSE, "POST", "/v1/breakpoints", body, _sg_agent_parse_breakpoint, NULL, NULL,
             g_object_unref, FALSE, sg_agent_client_set_breakpoint_async, cancellable, callback, user_data);
}

SgBreakpoint *
sg_agent_client_set_breakpoint_finish (SgAgentClient  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  return call_finish (self, result, sg_agent_client_set_breakpoint_async, error);
}

void
sg_agent_client_list_breakpoints_async (SgAgentClient       *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (SG_IS_AGENT_CLIENT (self));
  call_send (self, FALSE, "GET", "/v1/breakpoints", NULL, _sg_agent_parse_breakpoint_list, NULL, NULL,
             (GDestroyNotify) g_ptr_array_unref, FALSE, sg_agent_client_list_breakpoints_async,
             cancellable, callback, user_data);
}

/**
 * sg_agent_client_list_breakpoints_finish:
 *
 * Returns: (transfer container) (element-type SgBreakpoint): the agent's breakpoints
 */
GPtrArray *
sg_agent_client_list_breakpoints_finish (SgAgentClient  *self,
                                         GAsyncResult   *result,
                                         GError        **error)
{
  return call_finish (self, result, sg_agent_client_list_breakpoints_async, error);
}

static char *
breakpoint_path (const char *id)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

  return g_strconcat ("/v1/breakpoints/", escaped, NULL);
}

void
sg_agent_client_get_breakpoint_async (SgAgentClient       *self,
                                      const char          *id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (SG_IS_AGENT_CLIENT (self));
  g_return_if_fail (id != NULL);

  path = breakpoint_path (id);
  call_send (self, FALSE, "GET", path, NULL, _sg_agent_parse_breakpoint, NULL, NULL, g_object_unref, FALSE,
             sg_agent_client_get_breakpoint_async, cancellable, callback, user_data);
}

SgBreakpoint *
sg_agent_client_get_breakpoint_finish (SgAgentClient  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  return call_finish (self, result, sg_agent_client_get_breakpoint_async, error);
}

void
sg_agent_client_delete_breakpoint_async (SgAgentClient       *self,
                                         const char          *id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (SG_IS_AGENT_CLIENT (self));
  g_return_if_fail (id != NULL);

  path = breakpoint_path (id);
  call_send (self, FALSE, "DELETE", path, NULL, NULL, NULL, NULL, NULL, FALSE,
             sg_agent_client_delete_breakpoint_async, cancellable, callback, user_data);
}

gboolean
sg_agent_client_delete_breakpoint_finish (SgAgentClient  *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sg_agent_client_list_profiles_async (SgAgentClient       *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (SG_IS_AGENT_CLIENT (self));
  call_send (self, FALSE, "GET", "/v1/profiles", NULL, _sg_agent_parse_profile_list, NULL, NULL,
             (GDestroyNotify) g_ptr_array_unref, FALSE, sg_agent_client_list_profiles_async,
             cancellable, callback, user_data);
}

/**
 * sg_agent_client_list_profiles_finish:
 *
 * Returns: (transfer container) (element-type SgAgentProfileInfo): recordings on the agent
 */
GPtrArray *
sg_agent_client_list_profiles_finish (SgAgentClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return call_finish (self, result, sg_agent_client_list_profiles_async, error);
}

void
sg_agent_client_start_profile_async (SgAgentClient       *self,
                                     const char          *type,
                                     double               seconds,
                                     guint                hz,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  g_return_if_fail (SG_IS_AGENT_CLIENT (self));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type ? type : "cpu");
  json_builder_set_member_name (builder, "seconds");
  json_builder_add_double_value (builder, seconds);
  if (hz > 0)
    {
      json_builder_set_member_name (builder, "hz");
      json_builder_add_int_value (builder, hz);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  call_send (self, FALSE, "POST", "/v1/profiles", body, _sg_agent_parse_profile, NULL, NULL, g_object_unref,
             FALSE, sg_agent_client_start_profile_async, cancellable, callback, user_data);
}

SgAgentProfileInfo *
sg_agent_client_start_profile_finish (SgAgentClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return call_finish (self, result, sg_agent_client_start_profile_async, error);
}

void
sg_agent_client_fetch_profile_async (SgAgentClient       *self,
                                     const char          *id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (SG_IS_AGENT_CLIENT (self));
  g_return_if_fail (id != NULL);

  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("/v1/profiles/", escaped, NULL);
  call_send (self, FALSE, "GET", path, NULL, NULL, NULL, NULL, NULL, TRUE,
             sg_agent_client_fetch_profile_async, cancellable, callback, user_data);
}

/**
 * sg_agent_client_fetch_profile_finish:
 *
 * Returns: (transfer full): the profile as the agent serves it (gzipped pprof)
 */
GBytes *
sg_agent_client_fetch_profile_finish (SgAgentClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return call_finish (self, result, sg_agent_client_fetch_profile_async, error);
}

void
sg_agent_client_get_metrics_async (SgAgentClient       *self,
                                   double               since,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *path = NULL;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_if_fail (SG_IS_AGENT_CLIENT (self));

  path = g_strconcat ("/v1/metrics?since=", g_ascii_dtostr (buf, sizeof buf, since), NULL);
  call_send (self, FALSE, "GET", path, NULL, NULL, NULL, NULL, NULL, TRUE,
             sg_agent_client_get_metrics_async, cancellable, callback, user_data);
}

/**
 * sg_agent_client_get_metrics_finish:
 *
 * Returns: (transfer full): the metrics document as JSON text; its shape
 *   belongs to the profiling views that read it
 */
GBytes *
sg_agent_client_get_metrics_finish (SgAgentClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return call_finish (self, result, sg_agent_client_get_metrics_async, error);
}

/* --- memory recordings ------------------------------------------------------ */

void
sg_agent_client_get_memory_status_async (SgAgentClient       *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (SG_IS_AGENT_CLIENT (self));
  call_send (self, FALSE, "GET", "/v1/memory", NULL, _sg_agent_parse_memory_status, NULL, NULL,
             g_object_unref, FALSE, sg_agent_client_get_memory_status_async, cancellable, callback, user_data);
}

/**
 * sg_agent_client_get_memory_status_finish:
 *
 * Returns: (transfer full): the state, the last results and the cost of recording
 */
SgAgentMemoryStatus *
sg_agent_client_get_memory_status_finish (SgAgentClient  *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  return call_finish (self, result, sg_agent_client_get_memory_status_async, error);
}

void
sg_agent_client_start_memory_async (SgAgentClient       *self,
                                    double               seconds,
                                    guint                frames,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  g_return_if_fail (SG_IS_AGENT_CLIENT (self));

  json_builder_begin_object (builder);
  if (seconds > 0)
    {
      json_builder_set_member_name (builder, "seconds");
      json_builder_add_double_value (builder, seconds);
    }
  if (frames > 0)
    {
      json_builder_set_member_name (builder, "frames");
      json_builder_add_int_value (builder, frames);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  call_send (self, FALSE, "POST", "/v1/memory", body, _sg_agent_parse_memory, NULL, NULL, g_object_unref,
             FALSE, sg_agent_client_start_memory_async, cancellable, callback, user_data);
}

/**
 * sg_agent_client_start_memory_finish:
 *
 * Returns: (transfer full): the recording that started
 */
SgAgentMemory *
sg_agent_client_start_memory_finish (SgAgentClient  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  return call_finish (self, result, sg_agent_client_start_memory_async, error);
}

void
sg_agent_client_stop_memory_async (SgAgentClient       *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (SG_IS_AGENT_CLIENT (self));
  call_send (self, FALSE, "DELETE", "/v1/memory", NULL, _sg_agent_parse_memory, NULL, NULL, g_object_unref,
             FALSE, sg_agent_client_stop_memory_async, cancellable, callback, user_data);
}

/**
 * sg_agent_client_stop_memory_finish:
 *
 * Returns: (transfer full): the stopped recording's summary (its table
 *   comes with sg_agent_client_get_memory_async())
 */
SgAgentMemory *
sg_agent_client_stop_memory_finish (SgAgentClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return call_finish (self, result, sg_agent_client_stop_memory_async, error);
}

void
sg_agent_client_get_memory_async (SgAgentClient       *self,
                                  const char          *id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (SG_IS_AGENT_CLIENT (self));
  g_return_if_fail (id != NULL);

  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("/v1/memory/", escaped, NULL);
  call_send (self, FALSE, "GET", path, NULL, _sg_agent_parse_memory, NULL, NULL, g_object_unref,
             FALSE, sg_agent_client_get_memory_async, cancellable, callback, user_data);
}

/**
 * sg_agent_client_get_memory_finish:
 *
 * Returns: (transfer full): the recording with its per-line table
 */
SgAgentMemory *
sg_agent_client_get_memory_finish (SgAgentClient  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return call_finish (self, result, sg_agent_client_get_memory_async, error);
}
