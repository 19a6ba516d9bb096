/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The part of sg-ui-test.c that needs neither its SgApplication nor its
 * window: for any widget test, also those that build their own toplevel
 * or application (the flame graph, the profile page, the Debug page) and
 * so cannot include sg-ui-test.h, whose `app` and `window` would clash
 * with theirs.  Link sg-ui-test.c for these.
 */
#pragma once

#include <gtk/gtk.h>

#include "sg-profile.h"
#include "sg-profile-file.h"

G_BEGIN_DECLS

void           sg_ui_test_flush_frames      (guint          n);
GtkWidget     *sg_ui_test_find_by_type      (GtkWidget     *root,
                                             GType          type);
void           sg_ui_test_save_screenshot   (GtkWidget     *widget,
                                             const char    *name);
char          *sg_ui_test_fixture_path      (const char    *dir,
                                             const char    *name);
SgProfile     *sg_ui_test_load_profile      (const char    *dir,
                                             const char    *name);
SgProfileFile *sg_ui_test_read_profile_file (GFile         *file);
SgProfileFile *sg_ui_test_read_fixture      (const char    *dir,
                                             const char    *name);

G_END_DECLS
