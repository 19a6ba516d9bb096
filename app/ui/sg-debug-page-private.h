/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sg-breakpoint-list.h"
#include "sg-breakpoint-popover.h"
#include "sg-debug-page.h"
#include "sg-log-view.h"
#include "sg-snapshot-inspector.h"
#include "sg-source-tree.h"
#include "sg-source-view.h"

G_BEGIN_DECLS

/* Shared by the Debug page's files: sg-debug-page.c (the current agent,
 * its events, dialogs, the widget), sg-debug-page-source.c (the source
 * folder or the agent's files, compared with what runs) and
 * sg-debug-page-breakpoints.c (setting, editing and listing breakpoints). */

struct _SgDebugPage
{
  GtkWidget        parent_instance;

  SgDebugAgents   *agents;
  SgAgentClient   *current;
  SgAgentManifest *manifest;
  GFile           *folder;         /* the local source folder, or NULL */
  gboolean         remote_source;  /* the tree shows the agent's files */
  GCancellable    *cancellable;
  char            *last_message;
  guint            pending_line;   /* line to show once the file is loaded */
  char            *loading_path;   /* the file being loaded, or NULL */
  GtkFilterListModel *own_snapshots; /* the current agent's, for the inspector */

  /* Template widgets */
  AdwToastOverlay *toasts;
  GtkStack        *stack;
  GtkDropDown     *agent_dropdown;
  GtkLabel        *agent_status;
  GtkStack        *tree_stack;
  SgSourceTree    *source_tree;
  GtkWidget       *tree_empty;
  GtkButton       *browse_agent_button;
  SgSourceView    *source_view;
  AdwViewStack    *results;
  SgSnapshotInspector *inspector;
  SgLogView       *log_view;
  SgBreakpointList *breakpoint_list;
  SgBreakpointPopover *popover;
};

/* sg-debug-page.c */
void _sg_debug_page_say                 (SgDebugPage *self,
                                         const char  *message);

/* sg-debug-page-source.c */
void _sg_debug_page_init_source         (SgDebugPage *self);
void _sg_debug_page_compare_sources     (SgDebugPage *self);
void _sg_debug_page_browse_agent_source (SgDebugPage *self);

/* sg-debug-page-breakpoints.c */
void _sg_debug_page_init_breakpoints    (SgDebugPage *self);
void _sg_debug_page_refresh_marks       (SgDebugPage *self);

G_END_DECLS
