/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The loader: detection, gzip (with a small inflate bound so bombs are
 * cheap to reject) and dispatch to every importer, pprof included. */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = sg_profile_load_bytes_bounded (bytes, "fuzz", 1 << 22, &error);

  if (profile == NULL)
    fuzz_check_error (error, "fuzz");
  return 0;
}
