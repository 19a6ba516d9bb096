/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * Box colours.  Package colours come from a fixed FNV-1a hash of the
 * package name, not from GLib's per-process string hash, so a package
 * keeps its colour across sessions, machines and profiles; functions of a
 * package vary slightly in lightness so neighbouring boxes stay apart.
 * Fills come from the GNOME palette (light and dark shades); the
 * colour-blind-safe scheme uses the Okabe–Ito palette.  Label colours are
 * picked per fill by contrast.
 *
 * The differential scheme colours a frame by how its function's total
 * (recursion counted once, the way the Compare table counts it) changed
 * between the two sides of a diff tree, so a box and its table row always
 * tell the same story.  The intensity follows the square root of the
 * relative change, capped at ±100 %: a 10 % change is already visible,
 * and "doubled" and "new" read as the strongest red.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sg-analysis.h"
#include "sg-flame-palette.h"

struct _SgFlamePalette
{
  SgFlameColors  scheme;
  guint          n_frames;
  GdkRGBA       *fill;       /* n_frames + 1: the last one is the root */
  GdkRGBA       *text;
  GPtrArray     *packages;   /* char*, index = package id */
  guint         *frame_package;
  double        *package_share;
  gboolean       dark;
};

static const char * const package_light[] = {
  "#99c1f1", "#8ff0a4", "#f9f06b", "#ffbe6f", "#f66151", "#dc8add", "#cdab8f",
  "#62a0ea", "#57e389", "#f8e45c", "#ffa348", "#c061cb", "#b5835a",
};
static const char * const package_dark[] = {
  "#1c71d8", "#26a269", "#c89108", "#c64600", "#c01c28", "#813d9c", "#865e3c",
  "#1a5fb4", "#2ec27e", "#e5a50a", "#e66100", "#9141ac", "#986a44",
};
static const char * const okabe_ito[] = {
  "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#999999",
};

static guint32
fnv1a (const char *s)
{
  guint32 h = 2166136261u;

  for (; *s; s++)
    {
      h ^= (guchar) *s;
      h *= 16777619u;
    }
  return h;
}

static void
parse (const char *spec,
       GdkRGBA    *rgba)
{
  gboolean ok = gdk_rgba_parse (rgba, spec);

  g_assert (ok);
}

static double
luminance (const GdkRGBA *c)
{
  return 0.2126 * c->red + 0.7152 * c->green + 0.0722 * c->blue;
}

/* Lightness jitter in [-amount, amount], applied towards white or black. */
static void
shade (GdkRGBA *c,
       double   amount)
{
  if (amount >= 0)
    {
      c->red += (1 - c->red) * amount;
      c->green += (1 - c->green) * amount;
      c->blue += (1 - c->blue) * amount;
    }
  else
    {
      c->red *= 1 + amount;
      c->green *= 1 + amount;
      c->blue *= 1 + amount;
    }
}

static void
mix (const GdkRGBA *a,
     const GdkRGBA *b,
     double         t,
     GdkRGBA       *out)
{
  out->red = a->red + (b->red - a->red) * t;
  out->green = a->green + (b->green - a->green) * t;
  out->blue = a->blue + (b->blue - a->blue) * t;
  out->alpha = 1.0;
}

static gboolean
has_suffix (const char *s,
            const char *suffix)
{
  return s != NULL && g_str_has_suffix (s, suffix);
}

/* "github.com/x/y.(*T).M" → "github.com/x/y"; "runtime.mallocgc" → "runtime". */
static char *
go_package (const char *function)
{
  const char *paren = strchr (function, '(');
  const char *end = paren ? paren : function + strlen (function);
  const char *slash = NULL;
  const char *dot;

  for (const char *p = function; p < end; p++)
    if (*p == '/')
      slash = p;
  dot = strchr (slash ? slash : function, '.');
  if (dot == NULL || dot == function)
    return NULL;
  return g_strndup (function, dot - function);
}

/* "/usr/lib/python3.11/json/decoder.py" → "json";
 * "/srv/app/views.py" → "app"; ".../site-packages/flask/app.py" → "flask". */
static char *
python_package (const char *file)
{
  g_autofree char *dir = g_path_get_dirname (file);
  g_autofree char *base = g_path_get_basename (dir);

  if (g_str_equal (base, ".") || g_str_equal (base, "/") ||
      g_str_equal (base, "site-packages") || g_str_equal (base, "dist-packages") ||
      g_str_has_prefix (base, "python3"))
    {
      g_autofree char *name = g_path_get_basename (file);
      char *ext = strrchr (name, '.');

      if (ext)
        *ext = '\0';
      return g_steal_pointer (&name);
    }
  return g_steal_pointer (&base);
}

char *
sg_flame_dup_package (SgProfile *profile,
                      guint32    frame)
{
  const SgFrame *f;
  const char *function, *file, *module;
  char *package;

  if (frame >= sg_profile_get_n_frames (profile))
    return g_strdup ("");

  f = &sg_profile_get_frames (profile)[frame];
  function = sg_profile_get_string (profile, f->function);
  file = sg_profile_get_string (profile, f->file);
  module = sg_profile_get_string (profile, f->module);

  if (has_suffix (file, ".py") || has_suffix (file, ".pyx"))
    return python_package (file);
  if ((has_suffix (file, ".go") || file == NULL || file[0] == '\0') &&
      (package = go_package (function)) != NULL)
    return package;
  if (module != NULL && module[0] != '\0')
    return g_path_get_basename (module);
  if (file != NULL && file[0] != '\0')
    return python_package (file);
  return g_strdup (function);
}

static void
compute_shares (SgFlamePalette *self,
                SgProfile      *profile,
                guint           value_index,
                double         *frame_self)
{
  const SgNode *nodes = sg_profile_get_nodes (profile);
  const gint64 *self_values = sg_profile_get_node_self (profile, value_index);
  guint n_nodes = sg_profile_get_n_nodes (profile);
  gint64 total = sg_profile_get_total (profile, value_index);

  for (guint n = 0; n < n_nodes; n++)
    if (nodes[n].frame < self->n_frames && self_values[n] > 0)
      frame_self[nodes[n].frame] += (double) self_values[n];

  self->package_share = g_new0 (double, MAX (self->packages->len, 1));
  for (guint f = 0; f < self->n_frames; f++)
    self->package_share[self->frame_package[f]] += total > 0 ? frame_self[f] / (double) total : 0;
}

/* Changes smaller than this read as noise and stay neutral. */
#define DIFF_DEADBAND 0.005

double
sg_flame_diff_change (gint64   base,
                      gint64   base_total,
                      gint64   test,
                      gint64   test_total,
                      gboolean normalised)
{
  double b = (double) base;
  double t = (double) test;

  if (normalised)
    {
      b = base_total != 0 ? b / (double) base_total : 0;
      t = test_total != 0 ? t / (double) test_total : 0;
    }
  if (b == 0)
    return t == 0 ? 0 : (t > 0 ? INFINITY : -INFINITY);
  return (t - b) / fabs (b);
}

void
sg_flame_diff_color (double    change,
                     gboolean  dark,
                     GdkRGBA  *color)
{
  GdkRGBA neutral, target;
  double strength;

  parse (dark ? "#5e5c64" : "#deddda", &neutral);
  if (isnan (change) || fabs (change) < DIFF_DEADBAND)
    {
      *color = neutral;
      return;
    }
  parse (change > 0 ? "#e01b24" : (dark ? "#3584e4" : "#1c71d8"), &target);
  strength = sqrt (MIN (fabs (change), 1.0));
  mix (&neutral, &target, strength, color);
}

typedef struct
{
  guint32 function;
  guint32 file;
} FunctionKey;

static guint
function_key_hash (gconstpointer p)
{
  const FunctionKey *k = p;

  return k->function * 31u + k->file;
}

static gboolean
function_key_equal (gconstpointer a,
                    gconstpointer b)
{
  const FunctionKey *x = a;
  const FunctionKey *y = b;

  return x->function == y->function && x->file == y->file;
}

/* Per frame, the relative change of its function's total between value 0
 * (base) and value 1 (comparison) of a diff tree. */
static double *
diff_changes (SgProfile *profile,
              gboolean   normalised)
{
  guint n_frames = sg_profile_get_n_frames (profile);
  const SgFrame *frames = sg_profile_get_frames (profile);
  double *change = g_new0 (double, MAX (n_frames, 1));
  g_autoptr(GArray) base = NULL;
  g_autoptr(GArray) test = NULL;
  g_autoptr(GHashTable) rows = NULL;
  g_autofree gint64 *cum = NULL;
  g_autofree FunctionKey *keys = NULL;
  gint64 base_total, test_total;

  if (sg_profile_get_n_value_types (profile) < 2)
    return change;

  base = sg_profile_top (profile, SG_TOP_BY_FUNCTION, 0);
  test = sg_profile_top (profile, SG_TOP_BY_FUNCTION, 1);
  base_total = sg_profile_get_total (profile, 0);
  test_total = sg_profile_get_total (profile, 1);

  /* Both tables come from the same profile, so equal string ids are the
   * same function; cum[2 i] is the base side of row i, cum[2 i + 1] the
   * comparison side. */
  rows = g_hash_table_new (function_key_hash, function_key_equal);
  cum = g_new0 (gint64, 2 * (base->len + test->len) + 2);
  keys = g_new0 (FunctionKey, base->len + test->len + 1);
  for (guint side = 0; side < 2; side++)
    {
      GArray *table = side == 0 ? base : test;

      for (guint i = 0; i < table->len; i++)
        {
          const SgTopRow *r = &g_array_index (table, SgTopRow, i);
          FunctionKey probe = { r->function, r->file };
          gpointer found = g_hash_table_lookup (rows, &probe);
          guint index;

          if (found == NULL)
            {
              index = g_hash_table_size (rows);
              keys[index] = probe;
              g_hash_table_insert (rows, &keys[index], GUINT_TO_POINTER (index + 1));
            }
          else
            index = GPOINTER_TO_UINT (found) - 1;
          cum[2 * index + side] += r->cum;
        }
    }

  for (guint f = 0; f < n_frames; f++)
    {
      FunctionKey key = { frames[f].function, frames[f].file };
      gpointer found = g_hash_table_lookup (rows, &key);
      guint index;

      if (found == NULL)
        continue;
      index = GPOINTER_TO_UINT (found) - 1;
      change[f] = sg_flame_diff_change (cum[2 * index], base_total,
                                        cum[2 * index + 1], test_total, normalised);
    }
  return change;
}

SgFlamePalette *
sg_flame_palette_new (SgProfile     *profile,
                      guint          value_index,
                      SgFlameColors  scheme,
                      gboolean       dark)
{
  SgFlamePalette *self = g_new0 (SgFlamePalette, 1);
  const SgFrame *frames = sg_profile_get_frames (profile);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree double *frame_self = NULL;
  g_autofree double *change = NULL;
  double max_self = 0;

  self->scheme = scheme;
  self->dark = dark;
  self->n_frames = sg_profile_get_n_frames (profile);
  self->fill = g_new0 (GdkRGBA, self->n_frames + 1);
  self->text = g_new0 (GdkRGBA, self->n_frames + 1);
  self->frame_package = g_new0 (guint, MAX (self->n_frames, 1));
  self->packages = g_ptr_array_new_with_free_func (g_free);

  for (guint f = 0; f < self->n_frames; f++)
    {
      char *package = sg_flame_dup_package (profile, f);
      gpointer id;

      if (g_hash_table_lookup_extended (ids, package, NULL, &id))
        {
          self->frame_package[f] = GPOINTER_TO_UINT (id);
          g_free (package);
          continue;
        }
      self->frame_package[f] = self->packages->len;
      g_hash_table_insert (ids, package, GUINT_TO_POINTER (self->packages->len));
      g_ptr_array_add (self->packages, package);
    }

  frame_self = g_new0 (double, MAX (self->n_frames, 1));
  compute_shares (self, profile, value_index, frame_self);
  for (guint f = 0; f < self->n_frames; f++)
    max_self = MAX (max_self, frame_self[f]);
  if (scheme == SG_FLAME_COLORS_DIFF || scheme == SG_FLAME_COLORS_DIFF_ABSOLUTE)
    change = diff_changes (profile, scheme == SG_FLAME_COLORS_DIFF);

  for (guint f = 0; f < self->n_frames; f++)
    {
      const char *package = g_ptr_array_index (self->packages, self->frame_package[f]);
      guint32 h = fnv1a (package);
      guint32 fh = fnv1a (sg_profile_get_string (profile, frames[f].function));
      GdkRGBA *c = &self->fill[f];

      switch (scheme)
        {
        case SG_FLAME_COLORS_HEAT:
          {
            GdkRGBA cold, warm, hot;
            /* sqrt spreads the many small values over the scale. */
            double t = max_self > 0 ? sqrt (frame_self[f] / max_self) : 0;

            parse (dark ? "#5e5c64" : "#fbf3b5", &cold);
            parse (dark ? "#c64600" : "#ffa348", &warm);
            parse (dark ? "#f66151" : "#e01b24", &hot);
            if (t < 0.5)
              mix (&cold, &warm, t * 2, c);
            else
              mix (&warm, &hot, (t - 0.5) * 2, c);
          }
          break;

        case SG_FLAME_COLORS_ACCESSIBLE:
          parse (okabe_ito[h % G_N_ELEMENTS (okabe_ito)], c);
          break;

        case SG_FLAME_COLORS_DIFF:
        case SG_FLAME_COLORS_DIFF_ABSOLUTE:
          sg_flame_diff_color (change[f], dark, c);
          break;

        case SG_FLAME_COLORS_PACKAGE:
        default:
          parse (dark ? package_dark[h % G_N_ELEMENTS (package_dark)]
                      : package_light[h % G_N_ELEMENTS (package_light)], c);
          shade (c, ((double) (fh % 13) / 12.0 - 0.5) * (dark ? 0.16 : 0.22));
          break;
        }
      c->alpha = 1.0;
    }

  parse (dark ? "#504e55" : "#d9d8d4", &self->fill[self->n_frames]);

  for (guint f = 0; f <= self->n_frames; f++)
    parse (luminance (&self->fill[f]) > 0.45 ? "#1e1e1e" : "#ffffff", &self->text[f]);

  return self;
}

void
sg_flame_palette_free (SgFlamePalette *self)
{
  if (self == NULL)
    return;
  g_free (self->fill);
  g_free (self->text);
  g_free (self->frame_package);
  g_free (self->package_share);
  g_ptr_array_unref (self->packages);
  g_free (self);
}

const GdkRGBA *
sg_flame_palette_get_fill (SgFlamePalette *self,
                           guint32         frame)
{
  return &self->fill[frame < self->n_frames ? frame : self->n_frames];
}

const GdkRGBA *
sg_flame_palette_get_text (SgFlamePalette *self,
                           guint32         frame)
{
  return &self->text[frame < self->n_frames ? frame : self->n_frames];
}

void
sg_flame_legend_entry_free (SgFlameLegendEntry *entry)
{
  g_free (entry->label);
  g_free (entry);
}

static int
compare_share (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const double *share = user_data;
  guint ia = *(const guint *) a, ib = *(const guint *) b;

  if (share[ia] != share[ib])
    return share[ia] > share[ib] ? -1 : 1;
  return ia < ib ? -1 : ia > ib;
}

GPtrArray *
sg_flame_palette_dup_legend (SgFlamePalette *self,
                             guint           max)
{
  GPtrArray *legend = g_ptr_array_new_with_free_func ((GDestroyNotify) sg_flame_legend_entry_free);

  if (self->scheme == SG_FLAME_COLORS_HEAT)
    {
      static const char * const light[] = { "#fbf3b5", "#ffa348", "#e01b24" };
      static const char * const dark[] = { "#5e5c64", "#c64600", "#f66151" };
      const char *labels[] = { N_("Little self time"), N_("Some self time"), N_("Most self time") };

      for (guint i = 0; i < 3; i++)
        {
          SgFlameLegendEntry *e = g_new0 (SgFlameLegendEntry, 1);

          e->label = g_strdup (_(labels[i]));
          parse (self->dark ? dark[i] : light[i], &e->color);
          e->share = -1;
          g_ptr_array_add (legend, e);
        }
      return legend;
    }

  if (self->scheme == SG_FLAME_COLORS_DIFF || self->scheme == SG_FLAME_COLORS_DIFF_ABSOLUTE)
    {
      static const double steps[] = { INFINITY, 0.25, 0.0, -0.25, -1.0 };
      const char *labels[] = {
        N_("Grew 100 % or more, or new"),
        N_("Grew 25 %"),
        N_("Unchanged"),
        N_("Shrank 25 %"),
        N_("Gone"),
      };

      for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
        {
          SgFlameLegendEntry *e = g_new0 (SgFlameLegendEntry, 1);

          e->label = g_strdup (_(labels[i]));
          sg_flame_diff_color (steps[i], self->dark, &e->color);
          e->share = -1;
          g_ptr_array_add (legend, e);
        }
      return legend;
    }

  {
    g_autofree guint *order = g_new (guint, MAX (self->packages->len, 1));
    g_autofree guint *first_frame = g_new (guint, MAX (self->packages->len, 1));

    for (guint p = 0; p < self->packages->len; p++)
      {
        order[p] = p;
        first_frame[p] = G_MAXUINT;
      }
    for (guint f = self->n_frames; f > 0; f--)
      first_frame[self->frame_package[f - 1]] = f - 1;
    g_qsort_with_data (order, self->packages->len, sizeof (guint), compare_share,
                       self->package_share);

    for (guint i = 0; i < MIN (max, self->packages->len); i++)
      {
        SgFlameLegendEntry *e = g_new0 (SgFlameLegendEntry, 1);
        const char *name = g_ptr_array_index (self->packages, order[i]);
        GdkRGBA base;

        if (self->package_share[order[i]] <= 0)
          break;
        e->label = g_strdup (name[0] ? name : _("(unknown)"));
        /* The legend shows the package hue without per-function jitter. */
        if (self->scheme == SG_FLAME_COLORS_ACCESSIBLE)
          parse (okabe_ito[fnv1a (name) % G_N_ELEMENTS (okabe_ito)], &base);
        else
          parse (self->dark ? package_dark[fnv1a (name) % G_N_ELEMENTS (package_dark)]
                            : package_light[fnv1a (name) % G_N_ELEMENTS (package_light)], &base);
        e->color = base;
        e->share = self->package_share[order[i]];
        g_ptr_array_add (legend, e);
      }
  }

  return legend;
}
