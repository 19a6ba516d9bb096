/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = sg_import_pstats ("fuzz", data, size, &error);

  if (profile == NULL)
    fuzz_check_error (error, "fuzz");
  else
    fuzz_check_round_trip (profile);
  return 0;
}
