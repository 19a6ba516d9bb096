/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * Shared by the libFuzzer targets: whatever an importer accepts must also
 * survive our own exporters and read back with the same total, so the
 * fuzzers check the writers too, not just "no crash".
 */
#include <gio/gio.h>
#include <stdlib.h>

#include "sg-import-private.h"
#include "sg-profile-io.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static inline void
fuzz_check_round_trip (SgProfile *profile)
{
  static const SgFormat formats[] = { SG_FORMAT_COLLAPSED, SG_FORMAT_SPEEDSCOPE };
  guint value = sg_profile_get_default_value (profile);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(SgProfile) again = NULL;
      g_autoptr(GError) error = NULL;
      gint64 total = 0;

      /* Collapsed holds positive self values only. */
      if (formats[i] == SG_FORMAT_COLLAPSED)
        {
          const gint64 *self = sg_profile_get_node_self (profile, value);
          for (guint n = 1; n < sg_profile_get_n_nodes (profile); n++)
            if (self[n] > 0)
              total += self[n];
          if (total == 0)
            continue;
        }
      else
        {
          if (sg_profile_get_n_samples (profile) == 0)
            continue;
          total = sg_profile_get_total (profile, value);
        }

      if (!sg_profile_export (profile, formats[i], value, out, NULL, &error))
        abort ();
      g_output_stream_close (out, NULL, NULL);
      bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
      again = sg_profile_load_bytes (bytes, "round-trip", &error);
      /* A profile with no value left to write reads back as empty;
       * everything else must come back with the same total. */
      if (again == NULL)
        {
          if (error->code == SG_PROFILE_ERROR_EMPTY)
            continue;
          g_printerr ("round trip through %s failed: %s\n", sg_format_get_name (formats[i]), error->message);
          abort ();
        }
      if (sg_profile_get_total (again, 0) != total)
        {
          g_printerr ("%s round trip changed the total\n", sg_format_get_name (formats[i]));
          abort ();
        }
    }
}

static inline void
fuzz_check_error (GError     *error,
                  const char *name)
{
  /* Every failure is ours and names the input. */
  if (error == NULL || error->domain != SG_PROFILE_ERROR || !g_str_has_prefix (error->message, name))
    {
      g_printerr ("bad error: %s\n", error ? error->message : "(none)");
      abort ();
    }
}
