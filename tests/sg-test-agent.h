/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A real agent in a real Python process, for tests: the fixture service
 * (or any script) run with agent/ on PYTHONPATH, on a free loopback port
 * with a known token. */
typedef struct
{
  GSubprocess *process;
  char        *script;
  char        *address;
  char        *token;
  guint16      port;
} SgTestAgent;

SgTestAgent *sg_test_agent_start   (const char  *script,
                                    const char  *token,
                                    guint16      port);
void         sg_test_agent_kill    (SgTestAgent *agent);
void         sg_test_agent_restart (SgTestAgent *agent);
void         sg_test_agent_free    (SgTestAgent *agent);
guint16      sg_test_free_port     (void);
char        *sg_test_fixture_path  (const char  *name);
gboolean     sg_test_wait_for      (gboolean   (*done) (gpointer),
                                    gpointer     data,
                                    guint        timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SgTestAgent, sg_test_agent_free)

G_END_DECLS
