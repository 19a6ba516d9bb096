/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sg-application.h"

/* A development build run as _build/app/spyglass, without build-aux/run
 * or `meson devenv`, still finds the schema and the catalogs compiled in
 * its build tree. Release builds only ever use the installed ones. */
static void
use_build_tree_if_development (void)
{
  g_autofree char *schema = g_build_filename (BUILD_SCHEMADIR, "gschemas.compiled", NULL);

  if (!DEVELOPMENT_BUILD)
    return;
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL && g_file_test (schema, G_FILE_TEST_EXISTS))
    g_setenv ("GSETTINGS_SCHEMA_DIR", BUILD_SCHEMADIR, FALSE);
  if (g_getenv ("SPYGLASS_LOCALEDIR") == NULL && g_file_test (BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR))
    g_setenv ("SPYGLASS_LOCALEDIR", BUILD_LOCALEDIR, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SgApplication) app = NULL;
  const char *localedir;

  use_build_tree_if_development ();

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
