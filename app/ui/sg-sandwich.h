/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sg-flame-graph.h"

G_BEGIN_DECLS

#define SG_TYPE_SANDWICH (sg_sandwich_get_type ())

G_DECLARE_FINAL_TYPE (SgSandwich, sg_sandwich, SG, SANDWICH, GtkWidget)

GtkWidget    *sg_sandwich_new          (void);
void          sg_sandwich_set_profile  (SgSandwich    *self,
                                        SgProfile     *profile,
                                        guint          value_index);
void          sg_sandwich_set_function (SgSandwich    *self,
                                        const char    *function);
const char   *sg_sandwich_get_function (SgSandwich    *self);
void          sg_sandwich_set_colors   (SgSandwich    *self,
                                        SgFlameColors  colors);
gboolean      sg_sandwich_get_loading  (SgSandwich    *self);
SgFlameGraph *sg_sandwich_get_callers  (SgSandwich    *self);
SgFlameGraph *sg_sandwich_get_callees  (SgSandwich    *self);

G_END_DECLS
