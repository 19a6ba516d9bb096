/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Memory recordings in app/core: the parser on a result the real agent
 * produced (tests/fixtures/agent/shop-memory.json, see its README), the
 * text export, malformed answers, and the client's memory calls against a
 * real agent in a real Python process (tests/fixtures/agent/hoard.py),
 * including the agent's refusals. */

#include "config.h"

#include <string.h>

#include "sg-agent-client.h"
#include "sg-test-agent.h"

#define TOKEN "memory-test-token-0123456789"
#define HOARD_TEXT "squares = [x * x for x in range(1000, 1000 + n)]"

static void
keep_result (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (*slot == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return *slot;
}

static SgAgentMemory *
load_fixture (void)
{
  g_autofree char *path = sg_test_fixture_path ("shop-memory.json");
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  SgAgentMemory *memory;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  memory = sg_agent_memory_new_from_data (data, len, &error);
  g_assert_no_error (error);
  return memory;
}

static void
test_parse_fixture (void)
{
  g_autoptr(SgAgentMemory) memory = load_fixture ();
  GListModel *lines = sg_agent_memory_get_lines (memory);
  g_autoptr(SgAgentMemoryLine) first = NULL;
  g_autoptr(SgAgentMemoryLine) last = NULL;

  g_assert_cmpstr (sg_agent_memory_get_id (memory), ==, "mem-2579f-1");
  g_assert_true (sg_agent_memory_is_ready (memory));
  g_assert_false (sg_agent_memory_is_recording (memory));
  g_assert_true (sg_agent_memory_has_lines (memory));
  g_assert_cmpfloat (sg_agent_memory_get_seconds (memory), <, 0);  /* "until stopped" */
  g_assert_cmpuint (sg_agent_memory_get_frames (memory), ==, 16);
  g_assert_cmpfloat_with_epsilon (sg_agent_memory_get_duration (memory), 3.048, 1e-9);
  g_assert_cmpint (sg_agent_memory_get_traced_peak_bytes (memory), ==, 10460155);
  g_assert_cmpint (sg_agent_memory_get_traced_end_bytes (memory), ==, -274399);
  g_assert_cmpint (sg_agent_memory_get_alive_bytes (memory), ==, 9694);
  g_assert_cmpint (sg_agent_memory_get_peak_snapshot_bytes (memory), ==, 9299099);
  g_assert_cmpstr (sg_agent_memory_get_profile_id (memory), ==, "heap-2579f-1");
  g_assert_nonnull (sg_agent_memory_get_start (memory));
  g_assert_cmpint (g_date_time_get_second (sg_agent_memory_get_start (memory)), ==, 57);

  g_assert_cmpuint (g_list_model_get_n_items (lines), ==, 58);
  g_assert_cmpint (sg_agent_memory_get_line_count (memory), ==, 58);
  first = g_list_model_get_item (lines, 0);
  g_assert_true (g_str_has_suffix (sg_agent_memory_line_get_file (first), "examples/shop/handlers.py"));
  g_assert_cmpuint (sg_agent_memory_line_get_line (first), ==, 159);
  g_assert_cmpstr (sg_agent_memory_line_get_function (first), ==, "Shop.sales_report");
  g_assert_cmpstr (sg_agent_memory_line_get_text (first), ==, "sales.append({\"day\": day, \"product_id\": product[\"id\"],");
  g_assert_cmpint (sg_agent_memory_line_get_increment_bytes (first), ==, 6771504);
  g_assert_cmpint (sg_agent_memory_line_get_allocations (first), ==, 48353);
  g_assert_cmpint (sg_agent_memory_line_get_peak_bytes (first), ==, 6771504);
  g_assert_cmpint (sg_agent_memory_line_get_alive_bytes (first), ==, 0);

  /* Biggest increment first, as the agent sends it. */
  last = g_list_model_get_item (lines, 57);
  g_assert_cmpint (sg_agent_memory_line_get_increment_bytes (last), <=,
                   sg_agent_memory_line_get_increment_bytes (first));
}

static void
test_format (void)
{
  g_autoptr(SgAgentMemory) memory = load_fixture ();
  g_autofree char *csv = sg_agent_memory_format_lines (sg_agent_memory_get_lines (memory), SG_AGENT_MEMORY_TEXT_CSV);
  g_autofree char *tsv = sg_agent_memory_format_lines (sg_agent_memory_get_lines (memory), SG_AGENT_MEMORY_TEXT_TSV);
  g_auto(GStrv) csv_rows = g_strsplit (csv, "\n", -1);
  g_auto(GStrv) tsv_rows = g_strsplit (tsv, "\n", -1);
  g_auto(GStrv) fields = NULL;

  g_assert_cmpstr (csv_rows[0], ==, "file,line,function,text,increment_bytes,allocations,alive_bytes,alive_count,peak_bytes");
  /* Header, 58 rows, and the empty string after the last newline. */
  g_assert_cmpuint (g_strv_length (csv_rows), ==, 60);
  g_assert_cmpstr (csv_rows[59], ==, "");
  /* A comma and quotes in the source text: quoted, quotes doubled. */
  g_assert_true (g_str_has_suffix (csv_rows[1],
                 ",159,Shop.sales_report,\"sales.append({\"\"day\"\": day, \"\"product_id\"\": product[\"\"id\"\"],\",6771504,48353,0,0,6771504"));

  g_assert_cmpuint (g_strv_length (tsv_rows), ==, 60);
  fields = g_strsplit (tsv_rows[1], "\t", -1);
  g_assert_cmpuint (g_strv_length (fields), ==, 9);
  g_assert_cmpstr (fields[1], ==, "159");
  g_assert_cmpstr (fields[3], ==, "sales.append({\"day\": day, \"product_id\": product[\"id\"],");
  g_assert_cmpstr (fields[4], ==, "6771504");
}

static void
test_malformed (void)
{
  const char *bad[] = {
    "not json",
    "[1, 2]",
    "{\"state\": \"ready\"}",
    "{\"id\": \"m\", \"lines\": [{\"line\": 3}]}",
    "{\"id\": \"m\", \"lines\": [{\"file\": \"a.py\", \"line\": -1}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SgAgentMemory) memory = sg_agent_memory_new_from_data (bad[i], -1, &error);

      g_assert_null (memory);
      g_assert_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_PROTOCOL);
    }

  /* A summary (no table) and the memory_ready event's "lines" count. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SgAgentMemory) memory =
      sg_agent_memory_new_from_data ("{\"id\": \"m\", \"state\": \"ready\", \"lines\": 13}", -1, &error);

    g_assert_no_error (error);
    g_assert_false (sg_agent_memory_has_lines (memory));
    g_assert_cmpint (sg_agent_memory_get_line_count (memory), ==, 13);
    g_assert_cmpuint (g_list_model_get_n_items (sg_agent_memory_get_lines (memory)), ==, 0);
  }
}

static gboolean
client_connected (gpointer client)
{
  return sg_agent_client_get_state (client) == SG_AGENT_STATE_CONNECTED;
}

static SgAgentMemoryLine *
find_line (GListModel *lines,
           const char *text)
{
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(SgAgentMemoryLine) line = g_list_model_get_item (lines, i);

      if (g_strcmp0 (sg_agent_memory_line_get_text (line), text) == 0)
        return line;
    }
  return NULL;
}

static void
test_record (void)
{
  g_autofree char *script = sg_test_fixture_path ("hoard.py");
  g_autoptr(SgTestAgent) agent = sg_test_agent_start (script, TOKEN, 0);
  g_autoptr(SgAgentClient) client = sg_agent_client_new (agent->address, TOKEN);
  g_autoptr(SgAgentMemoryStatus) status = NULL;
  g_autoptr(SgAgentMemoryStatus) after = NULL;
  g_autoptr(SgAgentMemory) started = NULL;
  g_autoptr(SgAgentMemory) stopped = NULL;
  g_autoptr(SgAgentMemory) result = NULL;
  g_autoptr(GBytes) heap = NULL;
  g_autoptr(GError) error = NULL;
  SgAgentMemoryLine *line;
  GAsyncResult *res = NULL;
  const guint8 *data;
  gsize size;

  sg_agent_client_start (client);
  g_assert_true (sg_test_wait_for (client_connected, client, 20000));

  /* Idle, with the measured cost to show before starting. */
  sg_agent_client_get_memory_status_async (client, NULL, keep_result, &res);
  status = sg_agent_client_get_memory_status_finish (client, wait_result (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_null (sg_agent_memory_status_get_current (status));
  g_assert_cmpuint (sg_agent_memory_status_get_results (status)->len, ==, 0);
  g_assert_cmpfloat (sg_agent_memory_status_get_slowdown (status), >, 1);
  g_assert_nonnull (strstr (sg_agent_memory_status_get_cost_summary (status), "slower"));
  g_assert_false (sg_agent_memory_status_get_tracing_by_host (status));

  sg_agent_client_start_memory_async (client, 0, 8, NULL, keep_result, &res);
  started = sg_agent_client_start_memory_finish (client, wait_result (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_true (sg_agent_memory_is_recording (started));
  g_assert_cmpuint (sg_agent_memory_get_frames (started), ==, 8);

  /* One at a time: the agent's refusal comes through with its words. */
  sg_agent_client_start_memory_async (client, 5, 0, NULL, keep_result, &res);
  g_assert_null (sg_agent_client_start_memory_finish (client, wait_result (&res), &error));
  g_clear_object (&res);
  g_assert_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "stop it first"));
  g_clear_error (&error);

  /* A few of hoard.py's reports are built meanwhile (slowed by tracing). */
  g_usleep (1500 * 1000);

  sg_agent_client_stop_memory_async (client, NULL, keep_result, &res);
  stopped = sg_agent_client_stop_memory_finish (client, wait_result (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_cmpstr (sg_agent_memory_get_id (stopped), ==, sg_agent_memory_get_id (started));
  g_assert_true (sg_agent_memory_is_ready (stopped));
  g_assert_false (sg_agent_memory_has_lines (stopped));
  g_assert_nonnull (sg_agent_memory_get_profile_id (stopped));
  g_assert_cmpint (sg_agent_memory_get_line_count (stopped), >, 0);

  sg_agent_client_get_memory_async (client, sg_agent_memory_get_id (stopped), NULL, keep_result, &res);
  result = sg_agent_client_get_memory_finish (client, wait_result (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_true (sg_agent_memory_has_lines (result));
  g_assert_cmpint (g_list_model_get_n_items (sg_agent_memory_get_lines (result)), ==,
                   sg_agent_memory_get_line_count (stopped));

  /* The list comprehension: 100,000 ints of 28-32 bytes plus an 800 kB
   * list per report, three kept: an increment of a few MiB, not kB or GB. */
  line = find_line (sg_agent_memory_get_lines (result), HOARD_TEXT);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_suffix (sg_agent_memory_line_get_file (line), "fixtures/agent/hoard.py"));
  /* Python < 3.12 runs a comprehension as its own function. */
  g_assert_true (g_str_has_prefix (sg_agent_memory_line_get_function (line), "build_report"));
  g_assert_cmpint (sg_agent_memory_line_get_increment_bytes (line), >, 3 * 1024 * 1024);
  g_assert_cmpint (sg_agent_memory_line_get_increment_bytes (line), <, 64 * 1024 * 1024);
  g_assert_cmpint (sg_agent_memory_line_get_allocations (line), >, 50000);

  /* Listed as the newest result; its heap profile is a gzipped pprof. */
  sg_agent_client_get_memory_status_async (client, NULL, keep_result, &res);
  after = sg_agent_client_get_memory_status_finish (client, wait_result (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_null (sg_agent_memory_status_get_current (after));
  g_assert_cmpuint (sg_agent_memory_status_get_results (after)->len, ==, 1);
  g_assert_cmpstr (sg_agent_memory_get_id (g_ptr_array_index (sg_agent_memory_status_get_results (after), 0)), ==,
                   sg_agent_memory_get_id (started));

  sg_agent_client_fetch_profile_async (client, sg_agent_memory_get_profile_id (stopped), NULL, keep_result, &res);
  heap = sg_agent_client_fetch_profile_finish (client, wait_result (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  data = g_bytes_get_data (heap, &size);
  g_assert_cmpuint (size, >, 2);
  g_assert_cmpuint (data[0], ==, 0x1f);
  g_assert_cmpuint (data[1], ==, 0x8b);

  /* Nothing to stop; an unknown id. */
  sg_agent_client_stop_memory_async (client, NULL, keep_result, &res);
  g_assert_null (sg_agent_client_stop_memory_finish (client, wait_result (&res), &error));
  g_clear_object (&res);
  g_assert_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_REJECTED);
  g_clear_error (&error);
  sg_agent_client_get_memory_async (client, "mem-none", NULL, keep_result, &res);
  g_assert_null (sg_agent_client_get_memory_finish (client, wait_result (&res), &error));
  g_clear_object (&res);
  g_assert_error (error, SG_AGENT_ERROR, SG_AGENT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  sg_agent_client_stop (client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/agent-memory/parse-fixture", test_parse_fixture);
  g_test_add_func ("/core/agent-memory/format", test_format);
  g_test_add_func ("/core/agent-memory/malformed", test_malformed);
  g_test_add_func ("/core/agent-memory/record", test_record);

  return g_test_run ();
}
