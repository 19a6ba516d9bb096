/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sg-breakpoint.h"

G_BEGIN_DECLS

#define SG_TYPE_SOURCE_VIEW (sg_source_view_get_type ())
G_DECLARE_FINAL_TYPE (SgSourceView, sg_source_view, SG, SOURCE_VIEW, GtkWidget)

/* A read-only Python file in GtkSourceView with breakpoint marks in the
 * gutter.  A primary click in the gutter (or F9) asks for a snapshot on
 * that line (::toggle-snapshot); a secondary click asks for the breakpoint
 * popover (::edit-breakpoint with the line and where to point it). */
GtkWidget  *sg_source_view_new             (void);
void        sg_source_view_set_file        (SgSourceView *self,
                                            const char   *path,
                                            GBytes       *contents,
                                            const char   *origin);
const char *sg_source_view_get_path        (SgSourceView *self);
void        sg_source_view_set_mismatch    (SgSourceView *self,
                                            const char   *message);
const char *sg_source_view_get_mismatch    (SgSourceView *self);
void        sg_source_view_set_breakpoints (SgSourceView *self,
                                            GPtrArray    *breakpoints);
void        sg_source_view_show_line       (SgSourceView *self,
                                            guint         line);
guint       sg_source_view_get_n_marks     (SgSourceView *self);
GtkWidget  *sg_source_view_get_text_view   (SgSourceView *self);
gboolean    sg_source_view_get_line_area   (SgSourceView *self,
                                            guint         line,
                                            GdkRectangle *area);

G_END_DECLS
