/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sg-agent-info.h"

G_BEGIN_DECLS

SgAgentInfo *_sg_agent_info_new_from_json (JsonObject  *object,
                                           GError     **error);

G_END_DECLS
