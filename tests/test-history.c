/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sg-history.h"

/* A capture in the protocol's shape, with a shared table entry. */
static const char *snapshot_json =
  "{\"id\":\"bp-1\",\"action\":\"capture\",\"location\":{\"path\":\"orders.py\",\"line\":17},"
  "\"is_final_state\":true,\"create_time\":\"2026-11-21T10:00:00.000Z\","
  "\"final_time\":\"2026-11-21T10:00:01.250Z\","
  "\"stack_frames\":[{\"function\":\"handle_order\",\"location\":{\"path\":\"orders.py\",\"line\":17},"
  "\"arguments\":[{\"name\":\"quantity\",\"type\":\"int\",\"value\":\"3\"}],"
  "\"locals\":[{\"name\":\"customer\",\"var_table_index\":0}]}],"
  "\"variable_table\":[{\"type\":\"dict\",\"value\":\"{...}\",\"members\":["
  "{\"name\":\"'name'\",\"type\":\"str\",\"value\":\"'Ada'\"}]}]}";

static void
test_history_survives_restart (void)
{
  g_autofree char *path = sg_history_get_default_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SgBreakpoint) bp = NULL;
  g_autoptr(GDateTime) t1 = g_date_time_new_utc (2026, 11, 21, 10, 0, 2.5);
  g_autoptr(GDateTime) t2 = g_date_time_new_utc (2026, 11, 21, 10, 0, 3.0);
  g_autoptr(SgAgentLogEntry) a = sg_agent_log_entry_new ("orders (127.0.0.1:1)", "bp-2", t1, "info", "total=750", "orders.py", 17);
  g_autoptr(SgAgentLogEntry) b = sg_agent_log_entry_new ("orders (127.0.0.1:1)", "bp-2", t2, "warning", "total=1250", "orders.py", 17);
  g_autoptr(GPtrArray) snaps = NULL;
  g_autoptr(GPtrArray) logs = NULL;
  SgHistory *history;
  SgSnapshot *snapshot;
  g_autoptr(SgSnapshotVariable) customer = NULL;
  g_autoptr(SgSnapshotVariable) name = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  /* The default database lives under XDG_DATA_HOME (isolated by the test). */
  g_assert_true (g_str_has_prefix (path, g_get_user_data_dir ()));

  history = sg_history_new_default (&error);
  g_assert_no_error (error);
  bp = sg_breakpoint_new_from_json (snapshot_json, &error);
  g_assert_no_error (error);
  sg_history_add_snapshot (history, "agent-a", "orders (127.0.0.1:1)", bp);
  sg_history_add_snapshot (history, "agent-a", "orders (127.0.0.1:1)", bp);  /* delivered twice */
  sg_history_add_log_entry (history, "agent-a", 7, a);
  sg_history_add_log_entry (history, "agent-a", 8, b);
  sg_history_add_log_entry (history, "agent-a", 8, b);  /* replayed after a reconnect */
  g_assert_true (sg_history_flush (history, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (history);

  /* WAL, as the design asks, so the CLI can read while the console writes. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* A new process would do exactly this. */
  history = sg_history_new (path, &error);
  g_assert_no_error (error);
  snaps = sg_history_list_snapshots (history, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (snaps->len, ==, 1);
  g_assert_cmpstr (sg_history_snapshot_get_agent_label (g_ptr_array_index (snaps, 0)), ==, "orders (127.0.0.1:1)");
  bp = g_object_ref (sg_history_snapshot_get_breakpoint (g_ptr_array_index (snaps, 0)));
  g_assert_cmpint (sg_breakpoint_get_state (bp), ==, SG_BREAKPOINT_STATE_HIT);
  snapshot = sg_breakpoint_get_snapshot (bp);
  g_assert_nonnull (snapshot);
  g_assert_cmpstr (sg_snapshot_frame_get_function (sg_snapshot_get_frame (snapshot, 0)), ==, "handle_order");
  customer = sg_snapshot_frame_find_local (sg_snapshot_get_frame (snapshot, 0), "customer");
  g_assert_nonnull (customer);
  g_assert_cmpstr (sg_snapshot_variable_get_type_name (customer), ==, "dict");
  name = sg_snapshot_variable_find_member (customer, "'name'");
  g_assert_cmpstr (sg_snapshot_variable_get_value (name), ==, "'Ada'");

  logs = sg_history_list_log_entries (history, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 2);
  g_assert_cmpstr (sg_agent_log_entry_get_message (g_ptr_array_index (logs, 0)), ==, "total=750");
  g_assert_cmpstr (sg_agent_log_entry_get_level (g_ptr_array_index (logs, 1)), ==, "warning");
  g_assert_true (g_date_time_equal (sg_agent_log_entry_get_time (g_ptr_array_index (logs, 1)), t2));
  g_clear_pointer (&logs, g_ptr_array_unref);

  /* The newest N lines, still in reading order. */
  logs = sg_history_list_log_entries (history, 1, &error);
  g_assert_cmpuint (logs->len, ==, 1);
  g_assert_cmpstr (sg_agent_log_entry_get_message (g_ptr_array_index (logs, 0)), ==, "total=1250");

  g_clear_pointer (&snaps, g_ptr_array_unref);
  g_assert_finalize_object (history);
}

static void
test_history_unwritable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *blocker = g_build_filename (g_get_user_data_dir (), "not-a-dir", NULL);
  g_autofree char *path = g_build_filename (blocker, "history.db", NULL);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));
  g_assert_null (sg_history_new (path, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, blocker));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core/history/survives-restart", test_history_survives_restart);
  g_test_add_func ("/core/history/unwritable", test_history_unwritable);

  return g_test_run ();
}
