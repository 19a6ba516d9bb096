/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sg-agent-log-entry.h"

G_BEGIN_DECLS

#define SG_TYPE_LOG_VIEW (sg_log_view_get_type ())
G_DECLARE_FINAL_TYPE (SgLogView, sg_log_view, SG, LOG_VIEW, GtkWidget)

/* Logpoint output as it arrives: time, level, agent, message; filtered by
 * level and searched by text; exported as text. */
GtkWidget  *sg_log_view_new         (void);
void        sg_log_view_append      (SgLogView       *self,
                                     SgAgentLogEntry *entry);
GListModel *sg_log_view_get_entries (SgLogView       *self);
GListModel *sg_log_view_get_visible (SgLogView       *self);
void        sg_log_view_set_search  (SgLogView       *self,
                                     const char      *text);
gboolean    sg_log_view_export      (SgLogView       *self,
                                     GFile           *file,
                                     GError         **error);

G_END_DECLS
