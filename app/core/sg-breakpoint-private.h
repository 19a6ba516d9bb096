/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sg-breakpoint.h"

G_BEGIN_DECLS

SgBreakpoint *_sg_breakpoint_new_from_object (JsonObject  *object,
                                              GError     **error);

G_END_DECLS
