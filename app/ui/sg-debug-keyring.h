/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Agent tokens in the desktop keyring (libsecret), keyed by address.
 * Never written anywhere else. */
void     sg_debug_keyring_store_async  (const char          *address,
                                        const char          *service,
                                        const char          *token,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean sg_debug_keyring_store_finish (GAsyncResult        *result,
                                        GError             **error);
void     sg_debug_keyring_lookup_async (const char          *address,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char    *sg_debug_keyring_lookup_finish (GAsyncResult       *result,
                                         GError            **error);
void     sg_debug_keyring_forget       (const char          *address);

G_END_DECLS
