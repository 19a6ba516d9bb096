/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sys/mman.h>

G_BEGIN_DECLS

/*
 * Large arrays that are written once front to back (an inflated profile,
 * the builder's sample arrays): ask for transparent huge pages, so they
 * cost a few dozen page faults instead of tens of thousands.  On the
 * benchmark's 100 MB profile, faulting in 4 KiB pages was a quarter of the
 * import time.  A hint only: without THP nothing changes.
 */
static inline void
sg_memory_advise_huge (gpointer mem,
                       gsize    size)
{
#ifdef MADV_HUGEPAGE
  const gsize huge = 2 * 1024 * 1024;
  guintptr start = ((guintptr) mem + huge - 1) & ~(guintptr) (huge - 1);
  guintptr end = ((guintptr) mem + size) & ~(guintptr) (huge - 1);

  if (size >= 4 * huge && end > start)
    madvise ((gpointer) start, end - start, MADV_HUGEPAGE);
#endif
}

G_END_DECLS
