/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Recent files go through GtkRecentManager, so they also show up in the
 * file chooser and in other applications' “Recent” lists. The menu lists
 * only files Spyglass opened, newest first, and keeps itself up to date.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sg-recent.h"

/* Registered with every item; the menu shows items carrying it. */
#define RECENT_APP_NAME "Spyglass"
#define MAX_ITEMS 10

static int
compare_modified (gconstpointer a,
                  gconstpointer b)
{
  GtkRecentInfo *ia = *(GtkRecentInfo **) a;
  GtkRecentInfo *ib = *(GtkRecentInfo **) b;

  return g_date_time_compare (gtk_recent_info_get_modified (ib), gtk_recent_info_get_modified (ia));
}

/* Menu labels treat “_” as a mnemonic marker; file names are literal. */
static char *
escape_mnemonic (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "_", -1);

  return g_strjoinv ("__", parts);
}

static void
rebuild (GMenu *menu)
{
  GtkRecentManager *manager = gtk_recent_manager_get_default ();
  GSettings *settings = g_object_get_data (G_OBJECT (menu), "sg-settings");
  g_autoptr(GPtrArray) mine = g_ptr_array_new ();
  GList *items;
  guint shown = 0;

  g_menu_remove_all (menu);

  items = gtk_recent_manager_get_items (manager);
  for (const GList *l = items; l != NULL; l = l->next)
    if (gtk_recent_info_has_application (l->data, RECENT_APP_NAME) &&
        gtk_recent_info_exists (l->data))
      g_ptr_array_add (mine, l->data);
  g_ptr_array_sort (mine, compare_modified);

  if (g_settings_get_boolean (settings, "remember-recent-files"))
    {
      for (guint i = 0; i < mine->len && shown < MAX_ITEMS; i++, shown++)
        {
          GtkRecentInfo *info = g_ptr_array_index (mine, i);
          g_autofree char *label = escape_mnemonic (gtk_recent_info_get_display_name (info));
          g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

          g_menu_item_set_action_and_target (item, "win.open-recent", "s",
                                             gtk_recent_info_get_uri (info));
          g_menu_append_item (menu, item);
        }
    }

  if (shown == 0)
    {
      /* An item without an action is shown insensitive: an honest “none”. */
      g_menu_append (menu, _("No Recent Files"), "win.no-recent-files");
    }

  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
}

GMenuModel *
sg_recent_menu_new (GSettings *settings)
{
  GMenu *menu = g_menu_new ();

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  g_object_set_data_full (G_OBJECT (menu), "sg-settings", g_object_ref (settings), g_object_unref);
  g_signal_connect_object (gtk_recent_manager_get_default (), "changed",
                           G_CALLBACK (rebuild), menu, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::remember-recent-files",
                           G_CALLBACK (rebuild), menu, G_CONNECT_SWAPPED);
  rebuild (menu);

  return G_MENU_MODEL (menu);
}

void
sg_recent_add (SgProfileFile *profile)
{
  GBytes *contents;
  g_autofree char *uri = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *mime_type = NULL;
  GtkRecentData data = { 0 };
  const guint8 *bytes;
  gsize len;

  g_return_if_fail (SG_IS_PROFILE_FILE (profile));

  contents = sg_profile_file_get_contents (profile);
  bytes = g_bytes_get_data (contents, &len);
  uri = g_file_get_uri (sg_profile_file_get_file (profile));
  content_type = g_content_type_guess (sg_profile_file_get_display_name (profile),
                                       bytes, MIN (len, 4096), NULL);
  mime_type = g_content_type_get_mime_type (content_type);

  data.display_name = (char *) sg_profile_file_get_display_name (profile);
  data.mime_type = mime_type != NULL ? mime_type : (char *) "application/octet-stream";
  data.app_name = (char *) RECENT_APP_NAME;
  data.app_exec = (char *) "spyglass %u";
  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}
