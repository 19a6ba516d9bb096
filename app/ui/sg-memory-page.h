/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sg-agent-client.h"
#include "sg-debug-page.h"

G_BEGIN_DECLS

#define SG_TYPE_MEMORY_PAGE (sg_memory_page_get_type ())

G_DECLARE_FINAL_TYPE (SgMemoryPage, sg_memory_page, SG, MEMORY_PAGE, GtkWidget)

void                 sg_memory_page_set_debug_page    (SgMemoryPage  *self,
                                                       SgDebugPage   *debug_page);
SgAgentClient       *sg_memory_page_get_agent         (SgMemoryPage  *self);
void                 sg_memory_page_set_agent         (SgMemoryPage  *self,
                                                       SgAgentClient *agent);
SgAgentMemoryStatus *sg_memory_page_get_status        (SgMemoryPage  *self);
SgAgentMemory       *sg_memory_page_get_shown         (SgMemoryPage  *self);
GListModel          *sg_memory_page_get_visible_lines (SgMemoryPage  *self);
const char          *sg_memory_page_get_state_text    (SgMemoryPage  *self);
const char          *sg_memory_page_get_cost_text     (SgMemoryPage  *self);
const char          *sg_memory_page_get_last_message  (SgMemoryPage  *self);
gboolean             sg_memory_page_is_busy           (SgMemoryPage  *self);
void                 sg_memory_page_save_table        (SgMemoryPage  *self,
                                                       GFile         *file,
                                                       SgAgentMemoryTextFormat format);
char                *sg_memory_page_dup_table_text    (SgMemoryPage  *self,
                                                       SgAgentMemoryTextFormat format);

G_END_DECLS
