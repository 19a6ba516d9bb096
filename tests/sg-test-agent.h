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

/* The example shop (agent/examples/shop) started as a user starts it,
 * `python3 -m spyglass run -- python3 -m examples.shop`: the real agent
 * and the real service in one child process. */
typedef struct
{
  GSubprocess *process;
  guint16      agent_port;
  guint16      shop_port;
} SgTestShop;

typedef enum
{
  SG_TEST_SHOP_DEFAULT                 = 0,
  /* SPYGLASS_PROFILING_CONTINUOUS=0: no ring of recent profiles, for
   * tests that do not look at it.  Without the flag the variable is left
   * alone, so the agent's default (on) holds. */
  SG_TEST_SHOP_NO_CONTINUOUS_PROFILING = 1 << 0,
} SgTestShopFlags;

SgTestShop *sg_test_shop_start      (const char      *token,
                                     SgTestShopFlags  flags);
char       *sg_test_shop_get        (SgTestShop      *shop,
                                     const char      *path);
void        sg_test_shop_free       (SgTestShop      *shop);

char       *sg_test_agent_dir       (void);
void        sg_test_die_with_parent (gpointer         data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SgTestAgent, sg_test_agent_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SgTestShop, sg_test_shop_free)

G_END_DECLS
