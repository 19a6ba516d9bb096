/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cli-common.h"

G_BEGIN_DECLS

/*
 * The selection options top, lines and diff share, after pprof's own:
 * --focus, --ignore, --hide, --show-from (regular expressions on function
 * or file names, repeatable), --thread (repeatable), --value.
 */
typedef struct
{
  char  **focus;
  char  **ignore;
  char  **hide;
  char  **show_from;
  char  **threads;
  char   *value;
} CliSelect;

void          cli_select_add_options (CliSelect      *select,
                                      GOptionContext *context);
/* Returns a new reference with the filters applied, or NULL (error printed). */
SgProfile    *cli_select_apply  (CliSelect  *select,
                                 SgProfile  *profile);
/* Loads (and merges) @files, applies the selection and picks --value.
 * Returns a new reference, or NULL (error printed). */
SgProfile    *cli_select_load   (CliSelect  *select,
                                 char      **files,
                                 int         n_files,
                                 guint      *value);
void          cli_select_clear  (CliSelect  *select);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliSelect, cli_select_clear)

G_END_DECLS
