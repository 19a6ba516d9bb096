/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>
#include <stdio.h>

#include "sg-format.h"

/* Until the commands of the Core issue exist, the only honest thing the tool
 * can do is say which format a file is in. */
int
main (int    argc,
      char **argv)
{
  if (argc < 2 || g_str_equal (argv[1], "--help"))
    {
      g_print ("Usage: spyglass-cli FILE…\n\nPrints the profile format of each FILE.\n");
      return argc < 2 ? 2 : 0;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("spyglass-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (!g_file_get_contents (argv[i], &contents, &len, &error))
        {
          g_printerr ("spyglass-cli: %s\n", error->message);
          return 1;
        }
      g_print ("%s: %s\n", argv[i], sg_format_get_name (sg_format_detect ((const guint8 *) contents, len)));
    }
  return 0;
}
