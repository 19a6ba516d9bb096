/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the UI tests share: a real SgApplication and SgWindow under Xvfb in
 * a throwaway home, ways to wait for the main loop (never sleeps: frames
 * and conditions, with a ceiling), and ways to find what a user would see.
 */
#pragma once

#include <adwaita.h>

#include "sg-application.h"
#include "sg-profile.h"
#include "sg-profile-file.h"
#include "sg-profile-page.h"
#include "sg-window.h"

G_BEGIN_DECLS

/* For any widget test, also those that build their own toplevel instead of
 * calling sg_ui_test_init() (the flame graph and the profile page). */
void           sg_ui_test_flush_frames      (guint          n);
void           sg_ui_test_save_screenshot   (GtkWidget     *widget,
                                             const char    *name);
char          *sg_ui_test_fixture_path      (const char    *dir,
                                             const char    *name);
SgProfile     *sg_ui_test_load_profile      (const char    *dir,
                                             const char    *name);
SgProfileFile *sg_ui_test_read_profile_file (GFile         *file);
SgProfileFile *sg_ui_test_read_fixture      (const char    *dir,
                                             const char    *name);

typedef gboolean (*Condition) (gpointer data);

/* The application and its main window, made by sg_ui_test_init(). */
extern SgApplication *app;
extern SgWindow *window;

gboolean       sg_ui_test_init            (int           *argc,
                                           char        ***argv);
int            sg_ui_test_finish          (int            ret);

void           wait_until                 (Condition      cond,
                                           gpointer       data);
void           wait_for_paint             (void);
GtkWidget     *find_descendant            (GtkWidget     *root,
                                           gboolean     (*match) (GtkWidget *, gconstpointer),
                                           gconstpointer  data);
gboolean       is_type                    (GtkWidget     *widget,
                                           gconstpointer  type);
gboolean       is_mapped_label_containing (GtkWidget     *widget,
                                           gconstpointer  text);
gboolean       object_gone                (gpointer       data);
gboolean       has_visible_label          (gpointer       text);
gboolean       is_idle                    (gpointer       data);
GFile         *fixture                    (const char    *name);
GFile         *temp_file                  (const char    *name,
                                           const guint8  *data,
                                           gsize          len);
AdwViewStack  *get_stack                  (void);
SgProfilePage *get_profile_page           (void);
void           feed_fifo                  (const char    *path);

G_END_DECLS
