/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sg-profile.h"

G_BEGIN_DECLS

/*
 * Colours of flame graph boxes, one per frame, computed once per profile,
 * value type, scheme and light/dark style, so drawing a box is an array
 * lookup.
 */

typedef enum
{
  SG_FLAME_COLORS_PACKAGE,     /* stable hue per module/package */
  SG_FLAME_COLORS_HEAT,        /* by the function's self share */
  SG_FLAME_COLORS_ACCESSIBLE,  /* Okabe–Ito palette per package, colour-blind safe */
  /* Differential: the profile is a sg_diff_build_tree() union (value 0 the
   * base, value 1 the comparison); red where a function grew, blue where it
   * shrank, stronger with the relative change of its total. */
  SG_FLAME_COLORS_DIFF,           /* change of each side's share of its total */
  SG_FLAME_COLORS_DIFF_ABSOLUTE,  /* change of the absolute values */
} SgFlameColors;

typedef struct
{
  char    *label;
  GdkRGBA  color;
  double   share;  /* of the profile total, in [0, 1]; < 0 when not meaningful */
} SgFlameLegendEntry;

typedef struct _SgFlamePalette SgFlamePalette;

SgFlamePalette *sg_flame_palette_new          (SgProfile      *profile,
                                               guint           value_index,
                                               SgFlameColors   scheme,
                                               gboolean        dark);
void            sg_flame_palette_free         (SgFlamePalette *self);
/* Box colour of @frame (SG_FRAME_NONE for the root). */
const GdkRGBA  *sg_flame_palette_get_fill     (SgFlamePalette *self,
                                               guint32         frame);
/* Label colour that reads on that fill. */
const GdkRGBA  *sg_flame_palette_get_text     (SgFlamePalette *self,
                                               guint32         frame);
/* Heaviest packages first (at most @max entries), or the heat scale. */
GPtrArray      *sg_flame_palette_dup_legend   (SgFlamePalette *self,
                                               guint           max);
void            sg_flame_legend_entry_free    (SgFlameLegendEntry *entry);

/* The package/module a frame belongs to, for colouring and the legend:
 * the Go import path ("net/http" of "net/http.(*conn).serve"), the Python
 * module directory, or the profile's module/mapping name. */
char           *sg_flame_dup_package          (SgProfile      *profile,
                                               guint32         frame);

/* Relative change from @base to @test: (test - base) / base, each first
 * divided by its side's total when @normalised; +INFINITY for something
 * new, -1 for something gone, 0 when both are 0. */
double          sg_flame_diff_change          (gint64          base,
                                               gint64          base_total,
                                               gint64          test,
                                               gint64          test_total,
                                               gboolean        normalised);
/* The differential colour of a relative change (red grew, blue shrank). */
void            sg_flame_diff_color           (double          change,
                                               gboolean        dark,
                                               GdkRGBA        *color);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SgFlamePalette, sg_flame_palette_free)

G_END_DECLS
