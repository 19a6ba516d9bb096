/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SG_TYPE_AGENT_MANIFEST (sg_agent_manifest_get_type ())
G_DECLARE_FINAL_TYPE (SgAgentManifest, sg_agent_manifest, SG, AGENT_MANIFEST, GObject)

/* How a local file compares with the one the agent runs. */
typedef enum
{
  SG_SOURCE_MATCH_SAME,       /* same sha256 */
  SG_SOURCE_MATCH_DIFFERENT,  /* breakpoints would land on the wrong lines */
  SG_SOURCE_MATCH_MISSING,    /* the agent has no such file */
  SG_SOURCE_MATCH_UNKNOWN,    /* the agent did not hash it (too large) */
} SgSourceMatch;

/* The agent's GET /v1/source/manifest: relative path -> sha256 and size. */
const char   *sg_agent_manifest_get_root      (SgAgentManifest *self);
gboolean      sg_agent_manifest_is_truncated  (SgAgentManifest *self);
guint         sg_agent_manifest_get_n_files   (SgAgentManifest *self);
char        **sg_agent_manifest_dup_paths     (SgAgentManifest *self);
gboolean      sg_agent_manifest_lookup        (SgAgentManifest *self,
                                               const char      *path,
                                               const char     **sha256,
                                               gint64          *size);
SgSourceMatch sg_agent_manifest_compare       (SgAgentManifest *self,
                                               const char      *path,
                                               GBytes          *local_contents);
SgSourceMatch sg_agent_manifest_compare_file  (SgAgentManifest *self,
                                               const char      *path,
                                               GFile           *local_file,
                                               GCancellable    *cancellable,
                                               GError         **error);

G_END_DECLS
