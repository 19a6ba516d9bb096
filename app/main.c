/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sg-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SgApplication) app = NULL;
  const char *localedir;

  /* build-aux/run points this at the catalogs compiled in the build tree,
   * so `LANGUAGE=ja build-aux/run` shows Japanese without installing. */
  localedir = g_getenv ("SPYGLASS_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Spyglass"));

  app = sg_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
