/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "sg-snapshot.h"
#include "sg-snapshot-frame.h"
#include "sg-snapshot-variable.h"

G_BEGIN_DECLS

/* A captured variable as the agent sent it.  All of them (frames' arguments
 * and locals, watch results and the shared variable table) live in one
 * SgSnapshotData that every SgSnapshotVariable keeps a reference to: the
 * objects are views made on demand, so a cyclic structure is expanded only as
 * far as the user opens it. */
typedef struct _SgVarData SgVarData;
struct _SgVarData
{
  char      *name;
  char      *type;
  char      *value;
  char      *status_message;
  GPtrArray *members;        /* of SgVarData*, NULL when none */
  int        table_index;    /* -1 when the value is inline */
  guint      is_error : 1;
  guint      truncated : 1;
  guint      redacted : 1;
};

typedef struct
{
  gatomicrefcount  ref_count;
  GPtrArray       *all;      /* owns every SgVarData, for freeing */
  GPtrArray       *table;    /* of SgVarData*, borrowed from all */
} SgSnapshotData;

SgSnapshotData     *_sg_snapshot_data_new            (JsonArray      *variable_table);
SgSnapshotData     *_sg_snapshot_data_ref            (SgSnapshotData *data);
void                _sg_snapshot_data_unref          (SgSnapshotData *data);
SgVarData          *_sg_snapshot_data_parse_variable (SgSnapshotData *data,
                                                      JsonObject     *object);
GListModel         *_sg_snapshot_data_wrap_list      (SgSnapshotData *data,
                                                      JsonArray      *array);

SgSnapshotVariable *_sg_snapshot_variable_new        (SgSnapshotData *data,
                                                      SgVarData      *var);
SgSnapshotFrame    *_sg_snapshot_frame_new_from_json (SgSnapshotData *data,
                                                      JsonObject     *object);
SgSnapshot         *_sg_snapshot_new_from_json       (JsonObject     *breakpoint);

G_END_DECLS
