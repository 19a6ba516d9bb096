/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cli-select.h"
#include "sg-analysis.h"

void
cli_select_add_options (CliSelect      *select,
                        GOptionContext *context)
{
  GOptionEntry entries[] = {
    { "value", 'i', 0, G_OPTION_ARG_STRING, &select->value,
      "Value type to report (like pprof's -sample_index), e.g. cpu, samples, inuse_space", "TYPE" },
    { "focus", 0, 0, G_OPTION_ARG_STRING_ARRAY, &select->focus,
      "Keep only stacks with a frame matching REGEX", "REGEX" },
    { "ignore", 0, 0, G_OPTION_ARG_STRING_ARRAY, &select->ignore,
      "Drop stacks with a frame matching REGEX", "REGEX" },
    { "hide", 0, 0, G_OPTION_ARG_STRING_ARRAY, &select->hide,
      "Remove frames matching REGEX from stacks", "REGEX" },
    { "show-from", 0, 0, G_OPTION_ARG_STRING_ARRAY, &select->show_from,
      "Start stacks at the first frame matching REGEX", "REGEX" },
    { "thread", 't', 0, G_OPTION_ARG_STRING_ARRAY, &select->threads,
      "Keep only samples of thread NAME (repeatable)", "NAME" },
    { NULL }
  };
  /* In the main group, so plain --help lists them. */
  g_option_context_add_main_entries (context, entries, NULL);
}

static void
add_rules (GArray       *rules,
           SgFilterKind  kind,
           char        **patterns)
{
  for (guint i = 0; patterns && patterns[i]; i++)
    {
      SgFilterRule rule = { kind, patterns[i], TRUE };
      g_array_append_val (rules, rule);
    }
}

SgProfile *
cli_select_apply (CliSelect *select,
                  SgProfile *profile)
{
  g_autoptr(SgProfile) current = sg_profile_ref (profile);
  g_autoptr(GArray) rules = g_array_new (FALSE, FALSE, sizeof (SgFilterRule));
  guint index;

  if (select->value != NULL && !cli_pick_value (current, select->value, &index))
    return NULL;
  if (select->threads != NULL)
    {
      SgProfile *restricted = sg_profile_restrict (current, G_MININT64, G_MAXINT64,
                                                   (const char * const *) select->threads);
      g_clear_pointer (&current, sg_profile_unref);
      current = restricted;
    }
  add_rules (rules, SG_FILTER_FOCUS, select->focus);
  add_rules (rules, SG_FILTER_IGNORE, select->ignore);
  add_rules (rules, SG_FILTER_HIDE, select->hide);
  add_rules (rules, SG_FILTER_SHOW_FROM, select->show_from);
  if (rules->len > 0)
    {
      g_autoptr(GError) error = NULL;
      SgProfile *filtered = sg_profile_filter (current, (const SgFilterRule *) (gpointer) rules->data, rules->len, &error);

      if (filtered == NULL)
        {
          cli_error ("%s", error->message);
          return NULL;
        }
      g_clear_pointer (&current, sg_profile_unref);
      current = filtered;
    }
  return g_steal_pointer (&current);
}

SgProfile *
cli_select_load (CliSelect  *select,
                 char      **files,
                 int         n_files,
                 guint      *value)
{
  g_autoptr(SgProfile) loaded = cli_load (files, n_files);
  g_autoptr(SgProfile) profile = NULL;

  if (loaded == NULL)
    return NULL;
  profile = cli_select_apply (select, loaded);
  if (profile == NULL || !cli_pick_value (profile, select->value, value))
    return NULL;
  return g_steal_pointer (&profile);
}

void
cli_select_clear (CliSelect *select)
{
  g_clear_pointer (&select->focus, g_strfreev);
  g_clear_pointer (&select->ignore, g_strfreev);
  g_clear_pointer (&select->hide, g_strfreev);
  g_clear_pointer (&select->show_from, g_strfreev);
  g_clear_pointer (&select->threads, g_strfreev);
  g_clear_pointer (&select->value, g_free);
}
