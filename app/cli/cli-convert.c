/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gunixoutputstream.h>

#include "cli-common.h"
#include "sg-profile-io.h"

int
cli_convert (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("IN OUT — write a profile in another format");
  g_autoptr(SgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *to = NULL;
  g_autofree char *value = NULL;
  SgFormat format;
  guint index = G_MAXUINT;
  const char *out;
  GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "Output format: pprof, collapsed (folded) or speedscope", "FORMAT" },
    { "value", 'i', 0, G_OPTION_ARG_STRING, &value,
      "Value type to write to single-valued formats (collapsed, speedscope); default: the profile's", "TYPE" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "IN may be any format spyglass-cli reads. The output format comes from --to,\n"
    "else from OUT's name: .pb.gz or .pprof (gzipped pprof), .folded or\n"
    ".collapsed, .speedscope.json. OUT “-” writes to standard output (needs --to).\n"
    "The output is written to a temporary file and renamed, never left half-done.\n"
    "\n"
    "Example: spyglass-cli convert request.prof request.speedscope.json");
  if (!cli_parse (context, "convert", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 3)
    return cli_usage_error ("convert", "expected IN and OUT, got %d file%s", argc - 1, argc == 2 ? "" : "s");
  out = argv[2];

  if (to != NULL)
    {
      format = sg_format_from_name (to);
      if (format == SG_FORMAT_UNKNOWN)
        return cli_usage_error ("convert", "unknown format “%s” (pprof, collapsed, speedscope)", to);
    }
  else if (g_str_equal (out, "-"))
    return cli_usage_error ("convert", "writing to standard output needs --to FORMAT");
  else
    {
      format = sg_format_from_file_name (out);
      if (format == SG_FORMAT_UNKNOWN)
        return cli_usage_error ("convert", "cannot tell the format from “%s”: name it .pb.gz, .pprof, "
                                ".folded, .collapsed or .speedscope.json, or pass --to", out);
    }

  profile = cli_load (argv + 1, 1);
  if (profile == NULL)
    return CLI_EXIT_FAILURE;
  if (value != NULL && !cli_pick_value (profile, value, &index))
    return CLI_EXIT_FAILURE;

  if (g_str_equal (out, "-"))
    {
      g_autoptr(GOutputStream) stdout_stream = g_unix_output_stream_new (1, FALSE);
      if (!sg_profile_export (profile, format, index, stdout_stream, NULL, &error))
        {
          cli_error ("%s", error->message);
          return CLI_EXIT_FAILURE;
        }
      return CLI_EXIT_OK;
    }
  if (!sg_profile_save (profile, out, format, index, &error))
    {
      cli_error ("%s", error->message);
      return CLI_EXIT_FAILURE;
    }
  return CLI_EXIT_OK;
}
