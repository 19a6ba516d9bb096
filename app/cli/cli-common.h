/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sg-format.h"
#include "sg-profile.h"

G_BEGIN_DECLS

/* Exit codes every command uses. */
enum
{
  CLI_EXIT_OK = 0,
  CLI_EXIT_FAILURE = 1,   /* a file could not be read, or a regression */
  CLI_EXIT_USAGE = 2,
};

typedef int (*CliCommand) (int argc, char **argv);

int         cli_info                (int           argc,
                                     char        **argv);
int         cli_top                 (int           argc,
                                     char        **argv);
int         cli_lines               (int           argc,
                                     char        **argv);
int         cli_diff                (int           argc,
                                     char        **argv);
int         cli_convert             (int           argc,
                                     char        **argv);

/* Parses options; on error prints it with a hint and returns FALSE. */
gboolean    cli_parse               (GOptionContext *context,
                                     const char     *command,
                                     int            *argc,
                                     char         ***argv);
int         cli_usage_error         (const char     *command,
                                     const char     *format,
                                     ...) G_GNUC_PRINTF (2, 3);
void        cli_error               (const char     *format,
                                     ...) G_GNUC_PRINTF (1, 2);

/* Loads every file (merging them when there are several) and applies the
 * shared selection options.  Prints the error and returns NULL on failure. */
SgProfile  *cli_load                (char          **files,
                                     int             n_files);
/* value: a value type name, or NULL for the profile's default. */
gboolean    cli_pick_value          (SgProfile      *profile,
                                     const char     *value,
                                     guint          *index);

/* pprof-style numbers: "1.20s", "16MB", "0.016%". */
char       *cli_format_value        (gint64          value,
                                     const char     *unit,
                                     gint64          scale_hint);
char       *cli_format_percent      (gint64          value,
                                     gint64          total);
char       *cli_format_frame        (SgProfile      *profile,
                                     guint32         function,
                                     guint32         file,
                                     gint32          line,
                                     gboolean        with_line);

/* A right-aligned text table: rows of cells, the last cell left-aligned. */
typedef struct _CliTable CliTable;

CliTable   *cli_table_new           (guint           n_columns);
void        cli_table_add           (CliTable       *table,
                                     const char     *first,
                                     ...) G_GNUC_NULL_TERMINATED;
void        cli_table_print         (CliTable       *table);
void        cli_table_free          (CliTable       *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliTable, cli_table_free)

/* The lines above pprof's tables: File, Type, Time, Duration. */
void        cli_print_header        (SgProfile      *profile,
                                     char          **files,
                                     int             n_files,
                                     guint           value);
void        cli_print_json          (JsonBuilder    *builder);

G_END_DECLS
