/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SG_TYPE_AGENT_INFO (sg_agent_info_get_type ())
G_DECLARE_FINAL_TYPE (SgAgentInfo, sg_agent_info, SG, AGENT_INFO, GObject)

/* What GET /v1/agent says about a running agent.  Immutable. */
const char         *sg_agent_info_get_id               (SgAgentInfo *self);
const char         *sg_agent_info_get_service          (SgAgentInfo *self);
const char         *sg_agent_info_get_version          (SgAgentInfo *self);
const char         *sg_agent_info_get_host             (SgAgentInfo *self);
gint64              sg_agent_info_get_pid              (SgAgentInfo *self);
const char         *sg_agent_info_get_runtime          (SgAgentInfo *self);
GDateTime          *sg_agent_info_get_started_at       (SgAgentInfo *self);
const char         *sg_agent_info_get_source_root      (SgAgentInfo *self);
const char         *sg_agent_info_get_protocol_version (SgAgentInfo *self);
const char * const *sg_agent_info_get_capabilities     (SgAgentInfo *self);
gboolean            sg_agent_info_has_capability       (SgAgentInfo *self,
                                                        const char  *capability);

G_END_DECLS
