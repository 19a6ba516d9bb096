/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "sg-test-agent.h"

/* A GSpawnChildSetupFunc for every child a test starts: the agent must
 * not outlive a test that aborts, as it would keep the test's output pipe
 * open and hold the port. */
void
sg_test_die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Asks the kernel for a free port; the tiny race until the agent binds it
 * is acceptable in tests (the agent is told not to try other ports, so a
 * collision fails loudly rather than silently). */
guint16
sg_test_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* agent/ in the source tree, canonical: the agent reports source paths
 * relative to it, and tests compare them with their own. */
char *
sg_test_agent_dir (void)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");

  return g_canonicalize_filename ("../agent", srcdir ? srcdir : ".");
}

char *
sg_test_fixture_path (const char *name)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");

  return g_build_filename (srcdir ? srcdir : ".", "fixtures", "agent", name, NULL);
}

/* A plain socket, not GSocketClient: that would consult the proxy
 * settings, which need GSettings schemas an isolated test may not see. */
static gboolean
port_open (guint16 port)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  return socket != NULL && g_socket_connect (socket, address, NULL, NULL);
}

static void
spawn (SgTestAgent *agent)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  g_autofree char *agent_dir = NULL;
  g_autofree char *port = g_strdup_printf ("%u", agent->port);
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  gint64 deadline;

  agent_dir = g_build_filename (srcdir ? srcdir : ".", "..", "agent", NULL);
  g_subprocess_launcher_set_child_setup (launcher, sg_test_die_with_parent, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "PYTHONPATH", agent_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "SPYGLASS_PORT", port, TRUE);
  g_subprocess_launcher_setenv (launcher, "SPYGLASS_PORT_TRIES", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "SPYGLASS_TOKEN", agent->token, TRUE);
  g_subprocess_launcher_setenv (launcher, "SPYGLASS_DISCOVERY", "0", TRUE);
  g_subprocess_launcher_setenv (launcher, "SPYGLASS_PROFILING_CONTINUOUS", "0", TRUE);
  g_subprocess_launcher_setenv (launcher, "PYTHONDONTWRITEBYTECODE", "1", TRUE);
  agent->process = g_subprocess_launcher_spawn (launcher, &error, "python3", agent->script, NULL);
  g_assert_no_error (error);

  /* Ready when the port accepts connections; give a slow CI box 20 s. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!port_open (agent->port))
    {
      g_assert_nonnull (g_subprocess_get_identifier (agent->process));
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
      /* Reap the child if it died, so get_if_exited can see it. */
      g_main_context_iteration (NULL, FALSE);
    }
}

SgTestAgent *
sg_test_agent_start (const char *script,
                     const char *token,
                     guint16     port)
{
  SgTestAgent *agent = g_new0 (SgTestAgent, 1);

  agent->script = g_strdup (script);
  agent->token = g_strdup (token);
  agent->port = port ? port : sg_test_free_port ();
  agent->address = g_strdup_printf ("http://127.0.0.1:%u", agent->port);
  spawn (agent);
  return agent;
}

void
sg_test_agent_kill (SgTestAgent *agent)
{
  if (agent->process == NULL)
    return;
  g_subprocess_force_exit (agent->process);
  g_subprocess_wait (agent->process, NULL, NULL);
  g_clear_object (&agent->process);
}

void
sg_test_agent_restart (SgTestAgent *agent)
{
  sg_test_agent_kill (agent);
  spawn (agent);
}

void
sg_test_agent_free (SgTestAgent *agent)
{
  sg_test_agent_kill (agent);
  g_free (agent->script);
  g_free (agent->address);
  g_free (agent->token);
  g_free (agent);
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the default main context until done() or the timeout; a 20 ms tick
 * re-checks conditions that change without a main-loop event. */
gboolean
sg_test_wait_for (gboolean (*done) (gpointer),
                  gpointer   data,
                  guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = g_timeout_add (20, tick_cb, NULL);
  gboolean ok;

  while (!(ok = done (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return ok;
}

/* Ready once the shop prints "shop listening on …" (the agent starts
 * earlier, from the sitecustomize.py `spyglass run` puts on the path);
 * the line also says which port the shop got, as it is told to take any
 * free one. */
SgTestShop *
sg_test_shop_start (const char      *token,
                    SgTestShopFlags  flags)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *agent_dir = sg_test_agent_dir ();
  g_autofree char *port = NULL;
  g_autofree char *line = NULL;
  const char *prefix = "shop listening on http://127.0.0.1:";
  SgTestShop *shop;

  g_return_val_if_fail (token != NULL, NULL);

  shop = g_new0 (SgTestShop, 1);
  shop->agent_port = sg_test_free_port ();
  port = g_strdup_printf ("%u", shop->agent_port);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, sg_test_die_with_parent, NULL, NULL);
  g_subprocess_launcher_set_cwd (launcher, agent_dir);
  g_subprocess_launcher_setenv (launcher, "PYTHONPATH", agent_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "PYTHONDONTWRITEBYTECODE", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "SPYGLASS_TOKEN", token, TRUE);
  g_subprocess_launcher_setenv (launcher, "SPYGLASS_PORT", port, TRUE);
  g_subprocess_launcher_setenv (launcher, "SPYGLASS_PORT_TRIES", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "SPYGLASS_DISCOVERY", "0", TRUE);
  if (flags & SG_TEST_SHOP_NO_CONTINUOUS_PROFILING)
    g_subprocess_launcher_setenv (launcher, "SPYGLASS_PROFILING_CONTINUOUS", "0", TRUE);
  shop->process = g_subprocess_launcher_spawn (launcher, &error,
                                               "python3", "-m", "spyglass", "run", "--",
                                               "python3", "-m", "examples.shop",
                                               "--port", "0", "--quiet", NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (shop->process));
  while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)) &&
         !g_str_has_prefix (line, prefix))
    g_clear_pointer (&line, g_free);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  shop->shop_port = (guint16) g_ascii_strtoull (line + strlen (prefix), NULL, 10);
  g_assert_cmpuint (shop->shop_port, >, 0);
  return shop;
}

/* One plain HTTP GET of @path, as the shop's users send them; returns the
 * whole response, headers and all.  A plain socket, as in port_open(). */
char *
sg_test_shop_get (SgTestShop *shop,
                  const char *path)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *request = NULL;
  g_autoptr(GString) response = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char buf[4096];
  gssize n;

  g_return_val_if_fail (shop != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  request = g_strdup_printf ("GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n", path);
  address = g_inet_socket_address_new (loopback, shop->shop_port);
  g_socket_connect (socket, address, NULL, &error);
  g_assert_no_error (error);
  g_socket_send (socket, request, strlen (request), NULL, &error);
  g_assert_no_error (error);
  while ((n = g_socket_receive (socket, buf, sizeof buf, NULL, &error)) > 0)
    g_string_append_len (response, buf, n);
  g_assert_no_error (error);
  return g_string_free (g_steal_pointer (&response), FALSE);
}

/* Kills the shop if a test has not already. */
void
sg_test_shop_free (SgTestShop *shop)
{
  if (shop->process != NULL && g_subprocess_get_identifier (shop->process) != NULL)
    g_subprocess_force_exit (shop->process);
  g_clear_object (&shop->process);
  g_free (shop);
}
