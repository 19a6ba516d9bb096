/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the UI tests share: a real SgApplication and SgWindow under Xvfb in
 * a throwaway home, ways to wait for the main loop (never sleeps: frames
 * and conditions, with a ceiling), and ways to find what a user would see.
 */
#pragma once

#include <adwaita.h>

#include "sg-application.h"
#include "sg-profile-page.h"
#include "sg-ui-test-helpers.h"
#include "sg-window.h"

G_BEGIN_DECLS


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
