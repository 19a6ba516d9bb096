/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sg-agent-manifest.h"

G_BEGIN_DECLS

SgAgentManifest *_sg_agent_manifest_new_from_json (JsonObject  *object,
                                                   GError     **error);

G_END_DECLS
