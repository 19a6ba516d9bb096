/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sg-debug-page.h"
#include "sg-memory-page.h"

G_BEGIN_DECLS

/* Shared by the Memory page's files: sg-memory-page.c (the current agent,
 * recording, the list of results) and sg-memory-page-table.c (the per-line
 * table of the result shown: columns, sorting, filter, export). */

struct _SgMemoryPage
{
  GtkWidget            parent_instance;

  SgDebugPage         *debug_page;     /* weak: follows its current agent */
  SgAgentClient       *agent;
  GCancellable        *cancellable;    /* the current agent's calls */
  SgAgentMemoryStatus *status;
  GHashTable          *tables;         /* id → SgAgentMemory with lines */
  SgAgentMemory       *shown;          /* the result in the table */
  char                *want_id;        /* result to select when it appears */
  char                *loading_id;     /* result whose table is being fetched */
  char                *last_message;
  gint64               status_time;    /* monotonic time the status arrived */
  guint                tick_source;
  guint                ticks;
  guint                busy : 1;       /* a start or stop is on its way */
  guint                fetching_heap : 1;
  guint                updating_results : 1;

  /* The table */
  GtkCustomFilter     *filter;
  GtkFilterListModel  *filtered;
  GtkSortListModel    *sorted;
  GtkColumnViewColumn *increment_column;
  GtkLabel            *figure_values[4];

  /* Template widgets */
  AdwToastOverlay     *toasts;
  GtkStack            *stack;
  GtkLabel            *state_label;
  GtkWidget           *cost_box;
  GtkLabel            *cost_label;
  GtkSpinButton       *seconds_spin;
  GtkSpinButton       *frames_spin;
  GtkStack            *button_stack;
  GtkStack            *result_stack;
  GtkSpinner          *loading_spinner;
  AdwStatusPage       *empty_page;
  AdwStatusPage       *failed_page;
  GtkDropDown         *results_dropdown;
  GtkWidget           *figures_box;
  GtkSearchEntry      *filter_entry;
  GtkStack            *table_stack;
  GtkColumnView       *column_view;
  AdwStatusPage       *no_match_page;
};

/* sg-memory-page.c */
void  _sg_memory_page_say          (SgMemoryPage *self,
                                    const char   *message);

/* sg-memory-page-table.c */
void  _sg_memory_page_init_table   (SgMemoryPage *self);
void  _sg_memory_page_show_table   (SgMemoryPage *self,
                                    SgAgentMemory *memory);
void  _sg_memory_page_refilter     (SgMemoryPage *self);
void  _sg_memory_page_export       (SgMemoryPage *self,
                                    const char   *format);
void  _sg_memory_page_save_table   (SgMemoryPage *self,
                                    GFile        *file,
                                    SgAgentMemoryTextFormat format);
char *_sg_memory_page_format_size  (gint64        bytes);

G_END_DECLS
