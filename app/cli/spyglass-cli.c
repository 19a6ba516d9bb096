/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * spyglass-cli: the profile tools of the console for scripts and CI.  Each
 * command lives in its own cli-<command>.c; this file only dispatches.
 */
#include "config.h"

#include <glib.h>
#include <locale.h>
#include <string.h>

#include "cli-common.h"
#include "sg-cli-agent.h"

static const struct
{
  const char *name;
  CliCommand  run;
  const char *summary;
} commands[] = {
  { "info",    cli_info,    "info FILE…            What a profile holds: format, metadata, value types, totals" },
  { "top",     cli_top,     "top FILE…             The heaviest functions, as go tool pprof -top shows them" },
  { "lines",   cli_lines,   "lines FILE… -s SRC    Per-line totals of one source file, next to its text" },
  { "diff",    cli_diff,    "diff BASE NEW         What changed between two profiles; --fail-above for CI" },
  { "convert", cli_convert, "convert IN OUT        Write a profile as pprof, collapsed stacks or speedscope" },
  { "agents",      sg_cli_agents,      "agents                Running agents: service, version, host, latency" },
  { "snapshot",    sg_cli_snapshot,    "snapshot FILE:LINE    Take a snapshot of a live service; --wait prints it" },
  { "logpoint",    sg_cli_logpoint,    "logpoint FILE:LINE FMT  Add a log line to a live service; --follow prints them" },
  { "breakpoints", sg_cli_breakpoints, "breakpoints [list|get|delete]  An agent's snapshots and logpoints" },
  { "record",      sg_cli_record,      "record -o FILE        Record a profile from a live service as pprof" },
  { "memory",      sg_cli_memory,      "memory start|stop|show  Per-line memory of a live service, as TSV" },
};

static void
print_help (void)
{
  g_print ("Usage: spyglass-cli COMMAND [OPTION…] FILE…\n"
           "\n"
           "Reads, compares and converts profiles: pprof, collapsed stacks, speedscope,\n"
           "Chrome .cpuprofile and cProfile/pstats, gzipped or not (detected from the\n"
           "content). Several FILEs are merged into one profile first; “-” reads\n"
           "standard input.\n"
           "\n"
           "Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %s\n", commands[i].summary);
  g_print ("\n"
           "Run “spyglass-cli COMMAND --help” for the options of a command.\n"
           "\n"
           "Exit status: 0 success; 1 a file could not be read or written, or diff\n"
           "found a regression above --fail-above; 2 wrong usage.\n");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");

  if (argc < 2)
    {
      print_help ();
      return CLI_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    {
      print_help ();
      return CLI_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("spyglass-cli %s\n", PACKAGE_VERSION);
      return CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  g_printerr ("spyglass-cli: unknown command “%s”\n", argv[1]);
  g_printerr ("Try “spyglass-cli --help”.\n");
  return CLI_EXIT_USAGE;
}
