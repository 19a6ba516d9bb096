/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>

#include "sg-breakpoint-spec.h"

G_DEFINE_BOXED_TYPE (SgBreakpointSpec, sg_breakpoint_spec, sg_breakpoint_spec_copy, sg_breakpoint_spec_free)

SgBreakpointSpec *
sg_breakpoint_spec_new (SgBreakpointAction  action,
                        const char         *path,
                        guint               line)
{
  SgBreakpointSpec *spec = g_new0 (SgBreakpointSpec, 1);

  spec->action = action;
  spec->path = g_strdup (path);
  spec->line = line;
  return spec;
}

SgBreakpointSpec *
sg_breakpoint_spec_copy (const SgBreakpointSpec *spec)
{
  SgBreakpointSpec *copy = sg_breakpoint_spec_new (spec->action, spec->path, spec->line);

  copy->condition = g_strdup (spec->condition);
  copy->expressions = g_strdupv (spec->expressions);
  copy->log_message_format = g_strdup (spec->log_message_format);
  copy->log_level = g_strdup (spec->log_level);
  copy->expires_in_s = spec->expires_in_s;
  return copy;
}

void
sg_breakpoint_spec_free (SgBreakpointSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->path);
  g_free (spec->condition);
  g_strfreev (spec->expressions);
  g_free (spec->log_message_format);
  g_free (spec->log_level);
  g_free (spec);
}

/* "Retake" sets the same breakpoint again. */
SgBreakpointSpec *
sg_breakpoint_spec_new_from_breakpoint (SgBreakpoint *breakpoint)
{
  SgBreakpointSpec *spec;

  g_return_val_if_fail (SG_IS_BREAKPOINT (breakpoint), NULL);

  spec = sg_breakpoint_spec_new (sg_breakpoint_get_action (breakpoint),
                                 sg_breakpoint_get_path (breakpoint),
                                 sg_breakpoint_get_line (breakpoint));
  spec->condition = g_strdup (sg_breakpoint_get_condition (breakpoint));
  spec->expressions = g_strdupv ((char **) sg_breakpoint_get_expressions (breakpoint));
  spec->log_message_format = g_strdup (sg_breakpoint_get_log_message_format (breakpoint));
  spec->log_level = g_strdup (sg_breakpoint_get_log_level (breakpoint));
  return spec;
}

char *
sg_breakpoint_spec_to_json (const SgBreakpointSpec *spec)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, spec->action == SG_BREAKPOINT_ACTION_LOG ? "log" : "capture");
  json_builder_set_member_name (builder, "location");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, spec->path);
  json_builder_set_member_name (builder, "line");
  json_builder_add_int_value (builder, spec->line);
  json_builder_end_object (builder);
  if (spec->condition != NULL && spec->condition[0] != '\0')
    {
      json_builder_set_member_name (builder, "condition");
      json_builder_add_string_value (builder, spec->condition);
    }
  if (spec->expressions != NULL && spec->expressions[0] != NULL)
    {
      json_builder_set_member_name (builder, "expressions");
      json_builder_begin_array (builder);
      for (guint i = 0; spec->expressions[i]; i++)
        json_builder_add_string_value (builder, spec->expressions[i]);
      json_builder_end_array (builder);
    }
  if (spec->log_message_format != NULL)
    {
      json_builder_set_member_name (builder, "log_message_format");
      json_builder_add_string_value (builder, spec->log_message_format);
    }
  if (spec->log_level != NULL)
    {
      json_builder_set_member_name (builder, "log_level");
      json_builder_add_string_value (builder, spec->log_level);
    }
  if (spec->expires_in_s > 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) then = g_date_time_add_seconds (now, spec->expires_in_s);
      g_autofree char *iso = g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");

      json_builder_set_member_name (builder, "expires_at");
      json_builder_add_string_value (builder, iso);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}
