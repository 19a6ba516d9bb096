/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "sg-debug-keyring.h"

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "io.github.spyglass.Spyglass.AgentToken", SECRET_SCHEMA_NONE,
    {
      { "address", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

void
sg_debug_keyring_store_async (const char          *address,
                              const char          *service,
                              const char          *token,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  /* TRANSLATORS: the keyring item's label, e.g. "Spyglass agent token for shop (127.0.0.1:7878)" */
  g_autofree char *label = g_strdup_printf (_("Spyglass agent token for %s"), service ? service : address);

  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                         cancellable, callback, user_data, "address", address, NULL);
}

gboolean
sg_debug_keyring_store_finish (GAsyncResult  *result,
                               GError       **error)
{
  return secret_password_store_finish (result, error);
}

void
sg_debug_keyring_lookup_async (const char          *address,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  secret_password_lookup (token_schema (), cancellable, callback, user_data, "address", address, NULL);
}

char *
sg_debug_keyring_lookup_finish (GAsyncResult  *result,
                                GError       **error)
{
  char *secret = secret_password_lookup_finish (result, error);
  char *copy = g_strdup (secret);

  /* Copy out of non-pageable memory so callers can g_free() it. */
  secret_password_free (secret);
  return copy;
}

void
sg_debug_keyring_forget (const char *address)
{
  secret_password_clear (token_schema (), NULL, NULL, NULL, "address", address, NULL);
}
