/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sg-agent-client.h"

G_BEGIN_DECLS

#define SG_TYPE_CONNECT_DIALOG (sg_connect_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SgConnectDialog, sg_connect_dialog, SG, CONNECT_DIALOG, AdwWindow)

/* "Connect to Agent": address and token, tried before the dialog closes so
 * a wrong token or an unreachable address is said here.  Emits ::connected
 * with the connected client and whether to remember it. */
SgConnectDialog *sg_connect_dialog_new         (GtkWindow       *parent);
void             sg_connect_dialog_set_address (SgConnectDialog *self,
                                                const char      *address);
void             sg_connect_dialog_set_token   (SgConnectDialog *self,
                                                const char      *token);
void             sg_connect_dialog_connect     (SgConnectDialog *self);
const char      *sg_connect_dialog_get_error   (SgConnectDialog *self);

G_END_DECLS
