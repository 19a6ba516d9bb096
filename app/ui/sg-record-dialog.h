/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sg-agent-client.h"

G_BEGIN_DECLS

#define SG_TYPE_RECORD_DIALOG (sg_record_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SgRecordDialog, sg_record_dialog, SG, RECORD_DIALOG, AdwWindow)

SgRecordDialog *sg_record_dialog_new         (GtkWindow      *parent,
                                              SgAgentClient  *agent);
SgAgentClient  *sg_record_dialog_get_agent   (SgRecordDialog *self);
void            sg_record_dialog_set_kind    (SgRecordDialog *self,
                                              const char     *kind);
const char     *sg_record_dialog_get_kind    (SgRecordDialog *self);
void            sg_record_dialog_set_seconds (SgRecordDialog *self,
                                              guint           seconds);
guint           sg_record_dialog_get_seconds (SgRecordDialog *self);
void            sg_record_dialog_set_hz      (SgRecordDialog *self,
                                              guint           hz);
guint           sg_record_dialog_get_hz      (SgRecordDialog *self);
void            sg_record_dialog_record      (SgRecordDialog *self);
/* "settings", "starting" (asked, not yet answered), "recording" or "fetching" */
const char     *sg_record_dialog_get_phase   (SgRecordDialog *self);

G_END_DECLS
