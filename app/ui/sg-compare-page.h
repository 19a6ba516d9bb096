/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sg-compare-table.h"
#include "sg-diff.h"
#include "sg-flame-graph.h"
#include "sg-profile-file.h"

G_BEGIN_DECLS

#define SG_TYPE_COMPARE_PAGE (sg_compare_page_get_type ())

G_DECLARE_FINAL_TYPE (SgComparePage, sg_compare_page, SG, COMPARE_PAGE, GtkWidget)

/* The opened profiles to pick from (a #GListModel of #SgProfileFile). */
void            sg_compare_page_set_profiles        (SgComparePage *self,
                                                     GListModel    *profiles);
SgProfileFile  *sg_compare_page_get_base            (SgComparePage *self);
void            sg_compare_page_set_base            (SgComparePage *self,
                                                     SgProfileFile *profile);
SgProfileFile  *sg_compare_page_get_comparison      (SgComparePage *self);
void            sg_compare_page_set_comparison      (SgComparePage *self,
                                                     SgProfileFile *profile);
void            sg_compare_page_swap                (SgComparePage *self);

/* The compared value type ("cpu", …); NULL when none is common. */
const char     *sg_compare_page_get_value_type      (SgComparePage *self);
void            sg_compare_page_set_value_type      (SgComparePage *self,
                                                     const char    *value_type);
gboolean        sg_compare_page_get_normalised      (SgComparePage *self);
void            sg_compare_page_set_normalised      (SgComparePage *self,
                                                     gboolean       normalised);

/* "empty", "loading", "error", "no-common" or "diff". */
const char     *sg_compare_page_get_state           (SgComparePage *self);
gboolean        sg_compare_page_get_busy            (SgComparePage *self);
/* The diff shown (NULL unless the state is "diff"). */
SgDiff         *sg_compare_page_get_diff            (SgComparePage *self);
/* The summary as shown: the overall change and the totals line. */
char           *sg_compare_page_dup_summary         (SgComparePage *self);

SgFlameGraph   *sg_compare_page_get_flame_graph     (SgComparePage *self);
SgCompareTable *sg_compare_page_get_table           (SgComparePage *self);

G_END_DECLS
