/* SPDX-License-Identifier: GPL-3.0-or-later */

/* SgAgentClient against real agents: the fixture service
 * (fixtures/agent/orders.py) runs under the Python agent in a child
 * process on a free port, and the client talks to it over HTTP. */

#include "config.h"

#include "sg-agent-client.h"
#include "sg-test-agent.h"

#define TOKEN "test-token-0123456789"
#define HANDLER_LINE 17  /* "total = price * quantity" in orders.py */

typedef struct
{
  SgAgentClient *client;
  GAsyncResult  *result;
  GPtrArray     *updates;   /* SgBreakpoint */
  GPtrArray     *logs;      /* SgAgentLogEntry */
  GPtrArray     *kinds;     /* event kinds seen */
  guint          restarted;
} Fixture;

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_null (f->result);
  f->result = g_object_ref (result);
}

static gboolean
have_result (gpointer data)
{
  return ((Fixture *) data)->result != NULL;
}

static GAsyncResult *
wait_result (Fixture *f)
{
  g_assert_true (sg_test_wait_for (have_result, f, 20000));
  return f->result;
}

static void
clear_result (Fixture *f)
{
  g_clear_object (&f->result);
}

static void
on_breakpoint_updated (SgAgentClient *client,
                       SgBreakpoint  *bp,
                       const char    *kind,
                       Fixture       *f)
{
  g_ptr_array_add (f->updates, g_object_ref (bp));
}

static void
on_log_entry (SgAgentClient   *client,
              SgAgentLogEntry *entry,
              guint64          seq,
              Fixture         *f)
{
  g_ptr_array_add (f->logs, g_object_ref (entry));
}

static void
on_agent_event (SgAgentClient *client,
                const char    *kind,
                guint64        seq,
                const char    *data,
                Fixture       *f)
{
  g_assert_cmpuint (seq, >, 0);
  g_ptr_array_add (f->kinds, g_strdup (kind));
}

static void
on_restarted (SgAgentClient *client,
              Fixture       *f)
{
  f->restarted++;
}

static void
fixture_init (Fixture    *f,
              const char *address,
              const char *token)
{
  f->client = sg_agent_client_new (address, token);
  f->updates = g_ptr_array_new_with_free_func (g_object_unref);
  f->logs = g_ptr_array_new_with_free_func (g_object_unref);
  f->kinds = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->client, "breakpoint-updated", G_CALLBACK (on_breakpoint_updated), f);
  g_signal_connect (f->client, "log-entry", G_CALLBACK (on_log_entry), f);
  g_signal_connect (f->client, "agent-event", G_CALLBACK (on_agent_event), f);
  g_signal_connect (f->client, "agent-restarted", G_CALLBACK (on_restarted), f);
}

static gboolean
only_our_ref (gpointer data)
{
  return G_OBJECT (data)->ref_count == 1;
}

static void
fixture_clear (Fixture *f)
{
  clear_result (f);
  sg_agent_client_stop (f->client);
  /* Cancelled requests (and parses on worker threads) hold a reference
   * until they come back; then nothing else may hold one. */
  g_assert_true (sg_test_wait_for (only_our_ref, f->client, 10000));
  g_assert_finalize_object (f->client);
  g_ptr_array_unref (f->updates);
  g_ptr_array_unref (f->logs);
  g_ptr_array_unref (f->kinds);
  clear_result (f);
}

static void
connect_ok (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  sg_agent_client_connect_async (f->client, NULL, store_result, f);
  g_assert_true (sg_agent_client_connect_finish (f->client, wait_result (f), &error));
  g_assert_no_error (error);
  clear_result (f);
  g_assert_cmpint (sg_agent_client_get_state (f->client), ==, SG_AGENT_STATE_CONNECTED);
}

static gboolean
saw_kind (gpointer data)
{
  Fixture *f = data;

  for (guint i = 0; i < f->kinds->len; i++)
    if (g_str_equal (g_ptr_array_index (f->kinds, i), "agent_status"))
      return TRUE;
  return FALSE;
}

static void
test_info_and_events (void)
{
  g_autofree char *script = sg_test_fixture_path ("orders.py");
  g_autoptr(SgTestAgent) agent = sg_test_agent_start (script, TOKEN, 0);
  Fixture f = { 0 };
  SgAgentInfo *info;
  g_autofree char *name = NULL;

  fixture_init (&f, agent->address, TOKEN);
  connect_ok (&f);

  info = sg_agent_client_get_info (f.client);
  g_assert_nonnull (info);
  g_assert_cmpstr (sg_agent_info_get_service (info), ==, "orders");
  g_assert_cmpstr (sg_agent_info_get_version (info), ==, "1.2.3");
  g_assert_cmpstr (sg_agent_info_get_protocol_version (info), ==, "1");
  g_assert_cmpint (sg_agent_info_get_pid (info), ==,
                   g_ascii_strtoll (g_subprocess_get_identifier (agent->process), NULL, 10));
  g_assert_true (g_str_has_prefix (sg_agent_info_get_runtime (info), "cpython 3."));
  g_assert_nonnull (sg_agent_info_get_started_at (info));
  g_assert_true (sg_agent_info_has_capability (info, "events"));
  g_assert_cmpint (sg_agent_client_get_latency_ms (f.client), >=, 0);
  name = sg_agent_client_dup_display_name (f.client);
  g_assert_true (g_str_has_prefix (name, "orders (127.0.0.1:"));

  /* The agent publishes "started" when it comes up; the long-poll loop
   * must deliver it from the ring. */
  g_assert_true (sg_test_wait_for (saw_kind, &f, 10000));

  fixture_clear (&f);
}

static void
test_manifest_and_source (void)
{
  g_autofree char *script = sg_test_fixture_path ("orders.py");
  g_autoptr(SgTestAgent) agent = sg_test_agent_start (script, TOKEN, 0);
  g_autoptr(SgAgentManifest) manifest = NULL;
  g_autoptr(GBytes) remote = NULL;
  g_autoptr(GBytes) local = NULL;
  g_autoptr(GBytes) edited = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (script);
  g_autofree char *local_sha = NULL;
  const char *sha = NULL;
  gint64 size = 0;
  Fixture f = { 0 };

  fixture_init (&f, agent->address, TOKEN);

  sg_agent_client_get_manifest_async (f.client, NULL, store_result, &f);
  manifest = sg_agent_client_get_manifest_finish (f.client, wait_result (&f), &error);
  g_assert_no_error (error);
  clear_result (&f);

  local = g_file_load_bytes (file, NULL, NULL, &error);
  g_assert_no_error (error);
  local_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, local);
  g_assert_true (sg_agent_manifest_lookup (manifest, "orders.py", &sha, &size));
  g_assert_cmpstr (sha, ==, local_sha);
  g_assert_cmpint (size, ==, g_bytes_get_size (local));
  g_assert_cmpint (sg_agent_manifest_compare (manifest, "orders.py", local), ==, SG_SOURCE_MATCH_SAME);
  edited = g_bytes_new_static ("print('edited')\n", 16);
  g_assert_cmpint (sg_agent_manifest_compare (manifest, "orders.py", edited), ==, SG_SOURCE_MATCH_DIFFERENT);
  g_assert_cmpint (sg_agent_manifest_compare (manifest, "nope.py", local), ==, SG_SOURCE_MATCH_MISSING);

  sg_agent_client_get_source_file_async (f.client, "orders.py", NULL, store_result, &f);
  remote = sg_agent_client_get_source_file_finish (f.client, wait_result (&f), &error);
  g_assert_no_error (error);
  clear_result (&f);
  g_assert_true (g_bytes_equal (remote, local));

  sg_agent_client_get_source_file_async (f.client, "../../etc/passwd", NULL, store_result, &f);
  g_assert_null (sg_agent_client_get_source_file_finish (f.client, wait_result (&f), &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == SG_AGENT_ERROR);
  g_assert_true (error->code == SG_AGENT_ERROR_NOT_FOUND || error->code == SG_AGENT_ERROR_REJECTED ||
                 error->code == SG_AGENT_ERROR_FORBIDDEN);
  clear_result (&f);

  fixture_clear (&f);
}

static void
test_wrong_token (void)
{
  g_autofree char *script = sg_test_fixture_path ("orders.py");
  g_autoptr(SgTestAgent) agent = sg_test_agent_start (script, TOKEN, 0);
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };

  fixture_init (&f, agent->address, "not-the-token");
  sg_agent_client_connect_async (f.client, NULL, store_result, &f);
  g_assert_false (sg_agent_client_connect_finish (f.client, wait_result (&f), &error));
  g_assert_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "token"));
  g_assert_cmpint (sg_agent_client_get_state (f.client), ==, SG_AGENT_STATE_FAILED);
  g_assert_error (sg_agent_client_get_last_error (f.client), SG_AGENT_ERROR, SG_AGENT_ERROR_UNAUTHORIZED);
  fixture_clear (&f);
}

static void
test_unreachable (void)
{
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", sg_test_free_port ());
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };

  fixture_init (&f, address, TOKEN);
  g_assert_true (g_str_has_prefix (sg_agent_client_get_address (f.client), "http://127.0.0.1:"));
  sg_agent_client_connect_async (f.client, NULL, store_result, &f);
  g_assert_false (sg_agent_client_connect_finish (f.client, wait_result (&f), &error));
  g_assert_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, address));
  g_assert_cmpint (sg_agent_client_get_state (f.client), ==, SG_AGENT_STATE_DISCONNECTED);
  fixture_clear (&f);
}

static gboolean
is_state (gpointer data)
{
  gpointer *args = data;

  return (int) sg_agent_client_get_state (args[0]) == GPOINTER_TO_INT (args[1]);
}

static void
wait_state (SgAgentClient *client,
            SgAgentState   state)
{
  gpointer args[2] = { client, GINT_TO_POINTER (state) };

  g_assert_true (sg_test_wait_for (is_state, args, 20000));
}

static void
test_agent_dies_and_returns (void)
{
  g_autofree char *script = sg_test_fixture_path ("orders.py");
  g_autoptr(SgTestAgent) agent = sg_test_agent_start (script, TOKEN, 0);
  g_autofree char *first_id = NULL;
  Fixture f = { 0 };

  fixture_init (&f, agent->address, TOKEN);
  sg_agent_client_start (f.client);
  wait_state (f.client, SG_AGENT_STATE_CONNECTED);
  first_id = g_strdup (sg_agent_info_get_id (sg_agent_client_get_info (f.client)));

  sg_test_agent_kill (agent);
  wait_state (f.client, SG_AGENT_STATE_RECONNECTING);
  g_assert_error (sg_agent_client_get_last_error (f.client), SG_AGENT_ERROR, SG_AGENT_ERROR_GONE);

  sg_test_agent_restart (agent);
  wait_state (f.client, SG_AGENT_STATE_CONNECTED);
  g_assert_null (sg_agent_client_get_last_error (f.client));
  g_assert_cmpstr (sg_agent_info_get_id (sg_agent_client_get_info (f.client)), !=, first_id);
  g_assert_cmpuint (f.restarted, ==, 1);

  fixture_clear (&f);
}

static void
test_several_agents (void)
{
  g_autofree char *script = sg_test_fixture_path ("orders.py");
  g_autoptr(SgTestAgent) a = sg_test_agent_start (script, TOKEN, 0);
  g_autoptr(SgTestAgent) b = sg_test_agent_start (script, "another-token-abcdef0123", 0);
  Fixture fa = { 0 }, fb = { 0 };

  fixture_init (&fa, a->address, TOKEN);
  fixture_init (&fb, b->address, "another-token-abcdef0123");
  sg_agent_client_start (fa.client);
  sg_agent_client_start (fb.client);
  wait_state (fa.client, SG_AGENT_STATE_CONNECTED);
  wait_state (fb.client, SG_AGENT_STATE_CONNECTED);
  g_assert_cmpstr (sg_agent_info_get_id (sg_agent_client_get_info (fa.client)), !=,
                   sg_agent_info_get_id (sg_agent_client_get_info (fb.client)));
  g_assert_true (sg_test_wait_for (saw_kind, &fa, 10000));
  g_assert_true (sg_test_wait_for (saw_kind, &fb, 10000));

  /* One dying leaves the other connected. */
  sg_test_agent_kill (b);
  wait_state (fb.client, SG_AGENT_STATE_RECONNECTING);
  g_assert_cmpint (sg_agent_client_get_state (fa.client), ==, SG_AGENT_STATE_CONNECTED);

  fixture_clear (&fa);
  fixture_clear (&fb);
}

static gboolean
have_final_update (gpointer data)
{
  Fixture *f = data;

  for (guint i = 0; i < f->updates->len; i++)
    if (sg_breakpoint_get_snapshot (g_ptr_array_index (f->updates, i)) != NULL)
      return TRUE;
  return FALSE;
}

static SgBreakpoint *
set_breakpoint (Fixture          *f,
                SgBreakpointSpec *spec,
                GError          **error)
{
  SgBreakpoint *bp;

  sg_agent_client_set_breakpoint_async (f->client, spec, NULL, store_result, f);
  bp = sg_agent_client_set_breakpoint_finish (f->client, wait_result (f), error);
  clear_result (f);
  return bp;
}

static void
test_snapshot (void)
{
  g_autofree char *script = sg_test_fixture_path ("orders.py");
  g_autoptr(SgTestAgent) agent = sg_test_agent_start (script, TOKEN, 0);
  g_autoptr(SgBreakpointSpec) spec = sg_breakpoint_spec_new (SG_BREAKPOINT_ACTION_CAPTURE, "orders.py", HANDLER_LINE);
  const char *expressions[] = { "price * quantity", "nope", NULL };
  g_autoptr(SgBreakpoint) bp = NULL;
  g_autoptr(SgBreakpoint) fetched = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SgSnapshotVariable) price = NULL;
  g_autoptr(SgSnapshotVariable) quantity = NULL;
  g_autoptr(SgSnapshotVariable) customer = NULL;
  g_autoptr(SgSnapshotVariable) name = NULL;
  g_autoptr(SgSnapshotVariable) password = NULL;
  g_autoptr(SgSnapshotVariable) tags = NULL;
  g_autoptr(SgSnapshotVariable) total = NULL;
  g_autoptr(SgSnapshotVariable) nope = NULL;
  g_autoptr(GListModel) tag_items = NULL;
  SgBreakpoint *hit;
  SgSnapshot *snapshot;
  SgSnapshotFrame *frame;
  Fixture f = { 0 };

  fixture_init (&f, agent->address, TOKEN);
  sg_agent_client_start (f.client);
  wait_state (f.client, SG_AGENT_STATE_CONNECTED);

  spec->expressions = g_strdupv ((char **) expressions);
  bp = set_breakpoint (&f, spec, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sg_breakpoint_get_id (bp));
  /* The line runs every 50 ms, so the answer may already be final; the
   * snapshot itself always comes with the event. */
  g_assert_cmpint (sg_breakpoint_get_state (bp), !=, SG_BREAKPOINT_STATE_ERROR);
  g_assert_cmpint (sg_breakpoint_get_state (bp), !=, SG_BREAKPOINT_STATE_PENDING);
  g_assert_cmpuint (sg_breakpoint_get_line (bp), ==, HANDLER_LINE);

  /* The service hits the line every 50 ms; the event loop delivers it. */
  g_assert_true (sg_test_wait_for (have_final_update, &f, 20000));
  hit = g_ptr_array_index (f.updates, f.updates->len - 1);
  g_assert_cmpstr (sg_breakpoint_get_id (hit), ==, sg_breakpoint_get_id (bp));
  g_assert_cmpint (sg_breakpoint_get_state (hit), ==, SG_BREAKPOINT_STATE_HIT);
  g_assert_nonnull (sg_breakpoint_get_final_time (hit));

  snapshot = sg_breakpoint_get_snapshot (hit);
  g_assert_nonnull (snapshot);
  g_assert_cmpuint (sg_snapshot_get_n_frames (snapshot), >=, 2);
  frame = sg_snapshot_get_frame (snapshot, 0);
  g_assert_cmpstr (sg_snapshot_frame_get_function (frame), ==, "handle_order");
  g_assert_cmpstr (sg_snapshot_frame_get_path (frame), ==, "orders.py");
  g_assert_cmpuint (sg_snapshot_frame_get_line (frame), ==, HANDLER_LINE);
  g_assert_cmpstr (sg_snapshot_frame_get_function (sg_snapshot_get_frame (snapshot, 1)), ==, "main");

  price = sg_snapshot_frame_find_local (frame, "price");
  g_assert_cmpstr (sg_snapshot_variable_get_value (price), ==, "250");
  g_assert_cmpstr (sg_snapshot_variable_get_type_name (price), ==, "int");
  g_assert_false (sg_snapshot_variable_has_members (price));
  quantity = sg_snapshot_frame_find_local (frame, "quantity");
  g_assert_nonnull (quantity);

  /* customer is shared through the variable table; members resolve lazily. */
  customer = sg_snapshot_frame_find_local (frame, "customer");
  g_assert_cmpstr (sg_snapshot_variable_get_type_name (customer), ==, "dict");
  g_assert_true (sg_snapshot_variable_has_members (customer));
  name = sg_snapshot_variable_find_member (customer, "name");
  g_assert_cmpstr (sg_snapshot_variable_get_value (name), ==, "'Ada'");
  password = sg_snapshot_variable_find_member (customer, "password");
  g_assert_true (sg_snapshot_variable_is_redacted (password));
  g_assert_null (strstr (sg_snapshot_variable_get_value (password), "hunter2"));
  g_assert_false (sg_snapshot_variable_is_redacted (name));
  tags = sg_snapshot_variable_find_member (customer, "tags");
  tag_items = sg_snapshot_variable_dup_members (tags);
  g_assert_cmpuint (g_list_model_get_n_items (tag_items), ==, 2);

  total = g_list_model_get_item (sg_snapshot_get_evaluated_expressions (snapshot), 0);
  g_assert_cmpstr (sg_snapshot_variable_get_name (total), ==, "price * quantity");
  g_assert_cmpint (g_ascii_strtoll (sg_snapshot_variable_get_value (total), NULL, 10), ==,
                   250 * g_ascii_strtoll (sg_snapshot_variable_get_value (quantity), NULL, 10));
  nope = g_list_model_get_item (sg_snapshot_get_evaluated_expressions (snapshot), 1);
  g_assert_true (sg_snapshot_variable_is_error (nope));
  g_assert_nonnull (strstr (sg_snapshot_variable_get_status_message (nope), "nope"));

  /* The same result by id and in the list. */
  sg_agent_client_get_breakpoint_async (f.client, sg_breakpoint_get_id (bp), NULL, store_result, &f);
  fetched = sg_agent_client_get_breakpoint_finish (f.client, wait_result (&f), &error);
  g_assert_no_error (error);
  clear_result (&f);
  g_assert_cmpint (sg_breakpoint_get_state (fetched), ==, SG_BREAKPOINT_STATE_HIT);
  sg_agent_client_list_breakpoints_async (f.client, NULL, store_result, &f);
  list = sg_agent_client_list_breakpoints_finish (f.client, wait_result (&f), &error);
  g_assert_no_error (error);
  clear_result (&f);
  g_assert_cmpuint (list->len, ==, 1);

  /* Delete, then it is gone. */
  sg_agent_client_delete_breakpoint_async (f.client, sg_breakpoint_get_id (bp), NULL, store_result, &f);
  g_assert_true (sg_agent_client_delete_breakpoint_finish (f.client, wait_result (&f), &error));
  g_assert_no_error (error);
  clear_result (&f);
  sg_agent_client_get_breakpoint_async (f.client, sg_breakpoint_get_id (bp), NULL, store_result, &f);
  g_assert_null (sg_agent_client_get_breakpoint_finish (f.client, wait_result (&f), &error));
  g_assert_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_NOT_FOUND);
  clear_result (&f);

  fixture_clear (&f);
}

static gboolean
have_log (gpointer data)
{
  return ((Fixture *) data)->logs->len >= 2;
}

static void
test_logpoint (void)
{
  g_autofree char *script = sg_test_fixture_path ("orders.py");
  g_autoptr(SgTestAgent) agent = sg_test_agent_start (script, TOKEN, 0);
  g_autoptr(SgBreakpointSpec) spec = sg_breakpoint_spec_new (SG_BREAKPOINT_ACTION_LOG, "orders.py", HANDLER_LINE);
  g_autoptr(SgBreakpoint) bp = NULL;
  g_autoptr(GError) error = NULL;
  SgAgentLogEntry *entry;
  Fixture f = { 0 };

  fixture_init (&f, agent->address, TOKEN);
  sg_agent_client_start (f.client);
  wait_state (f.client, SG_AGENT_STATE_CONNECTED);

  spec->log_message_format = g_strdup ("order {order_id} costs {price * quantity}");
  spec->log_level = g_strdup ("warning");
  bp = set_breakpoint (&f, spec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sg_breakpoint_get_action (bp), ==, SG_BREAKPOINT_ACTION_LOG);

  g_assert_true (sg_test_wait_for (have_log, &f, 20000));
  entry = g_ptr_array_index (f.logs, 0);
  g_assert_cmpstr (sg_agent_log_entry_get_breakpoint_id (entry), ==, sg_breakpoint_get_id (bp));
  g_assert_cmpstr (sg_agent_log_entry_get_level (entry), ==, "warning");
  g_assert_true (g_regex_match_simple ("^order [0-9]+ costs [0-9]+$", sg_agent_log_entry_get_message (entry), 0, 0));
  g_assert_cmpstr (sg_agent_log_entry_get_path (entry), ==, "orders.py");
  g_assert_cmpuint (sg_agent_log_entry_get_line (entry), ==, HANDLER_LINE);
  g_assert_true (g_str_has_prefix (sg_agent_log_entry_get_agent (entry), "orders ("));
  g_assert_nonnull (sg_agent_log_entry_get_time (entry));

  fixture_clear (&f);
}

static void
test_invalid_breakpoints (void)
{
  g_autofree char *script = sg_test_fixture_path ("orders.py");
  g_autoptr(SgTestAgent) agent = sg_test_agent_start (script, TOKEN, 0);
  g_autoptr(SgBreakpointSpec) spec = sg_breakpoint_spec_new (SG_BREAKPOINT_ACTION_CAPTURE, "orders.py", HANDLER_LINE);
  g_autoptr(SgBreakpointSpec) nowhere = sg_breakpoint_spec_new (SG_BREAKPOINT_ACTION_CAPTURE, "no_such_file.py", 3);
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };

  fixture_init (&f, agent->address, TOKEN);

  /* The agent's own words reach the user. */
  spec->condition = g_strdup ("quantity ===");
  g_assert_null (set_breakpoint (&f, spec, &error));
  g_assert_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "condition"));
  g_clear_error (&error);

  g_assert_null (set_breakpoint (&f, nowhere, &error));
  g_assert_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "no_such_file.py"));

  fixture_clear (&f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/agent-client/info-and-events", test_info_and_events);
  g_test_add_func ("/core/agent-client/manifest-and-source", test_manifest_and_source);
  g_test_add_func ("/core/agent-client/wrong-token", test_wrong_token);
  g_test_add_func ("/core/agent-client/unreachable", test_unreachable);
  g_test_add_func ("/core/agent-client/agent-dies-and-returns", test_agent_dies_and_returns);
  g_test_add_func ("/core/agent-client/several-agents", test_several_agents);
  g_test_add_func ("/core/agent-client/snapshot", test_snapshot);
  g_test_add_func ("/core/agent-client/logpoint", test_logpoint);
  g_test_add_func ("/core/agent-client/invalid-breakpoints", test_invalid_breakpoints);

  return g_test_run ();
}
