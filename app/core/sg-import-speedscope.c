/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * speedscope's file format (https://www.speedscope.app/file-format-schema.json):
 * one "shared.frames" table and any number of profiles, "sampled" (stacks of
 * frame indices, root first, with weights) or "evented" (open/close events
 * with times).  Each profile becomes one thread of the Spyglass profile,
 * named after the profile.
 *
 * JSON members may come in any order, so profiles are first read into flat
 * arrays of frame indices and only turned into samples once the frame table
 * is known.  Evented profiles become one sample per interval between two
 * events with a non-empty stack, weighted by its length; boundaries are
 * rounded to nanoseconds first so the weights add up to the profile's span.
 */
#include "sg-import-private.h"

#include <math.h>
#include <string.h>

#include "sg-json-reader-private.h"
#include "sg-profile-builder.h"

typedef struct
{
  double  at;
  guint32 frame;
  gboolean open;
  gsize   pos;
} Event;

typedef struct
{
  char   *name;
  char   *type;
  char   *unit;
  double  start_value;
  double  end_value;
  gboolean has_start;
  gboolean has_end;
  GArray *stack_frames;   /* guint32, root first, all samples back to back */
  GArray *stack_ends;     /* guint32 index into stack_frames, per sample */
  GArray *weights;        /* double */
  GArray *int_weights;    /* gint64, exact, while every weight is a whole number */
  gboolean fractional;    /* some weight is not: use the doubles */
  double  factor;         /* from its unit to the model's */
  GArray *events;         /* Event */
  gsize   pos;
} Profile;

static void
profile_free (gpointer data)
{
  Profile *p = data;

  g_free (p->name);
  g_free (p->type);
  g_free (p->unit);
  g_array_unref (p->stack_frames);
  g_array_unref (p->stack_ends);
  g_array_unref (p->weights);
  g_array_unref (p->int_weights);
  g_array_unref (p->events);
  g_free (p);
}

static char *
dup_string (SgJsonReader *r)
{
  const char *s = sg_json_reader_read_string (r);
  return s ? g_strdup (s) : NULL;
}

static gboolean
read_frame_index (SgJsonReader *r,
                  guint32      *out)
{
  gint64 v;
  gsize at = r->pos;

  if (!sg_json_reader_read_int64 (r, &v))
    return FALSE;
  if (v < 0 || v >= G_MAXUINT32)
    {
      sg_json_reader_fail_at (r, at, "frame index %" G_GINT64_FORMAT " out of range", v);
      return FALSE;
    }
  *out = (guint32) v;
  return TRUE;
}

static void
read_frames (SgJsonReader     *r,
             SgProfileBuilder *builder,
             GArray           *frames)
{
  gboolean first = TRUE;

  if (!sg_json_reader_begin_array (r))
    return;
  while (sg_json_reader_next_element (r, &first))
    {
      g_autofree char *name = NULL;
      g_autofree char *file = NULL;
      g_autofree char *fixed_name = NULL;
      g_autofree char *fixed_file = NULL;
      gint64 line = 0;
      gboolean first_member = TRUE;
      guint frame;

      if (!sg_json_reader_begin_object (r))
        return;
      while (sg_json_reader_next_member (r, &first_member))
        {
          if (sg_json_reader_key_is (r, "name"))
            {
              g_free (name);
              name = dup_string (r);
            }
          else if (sg_json_reader_key_is (r, "file"))
            {
              g_free (file);
              file = dup_string (r);
            }
          else if (sg_json_reader_key_is (r, "line") && sg_json_reader_peek (r) == SG_JSON_NUMBER)
            {
              double d;
              if (sg_json_reader_read_double (r, &d) && d >= 0 && d < G_MAXINT32)
                line = (gint64) d;
            }
          else
            sg_json_reader_skip (r);
        }
      if (sg_json_reader_failed (r))
        return;
      frame = sg_profile_builder_intern_frame (builder,
                                               name ? sg_import_valid_utf8 (name, -1, &fixed_name) : "(unnamed)",
                                               file ? sg_import_valid_utf8 (file, -1, &fixed_file) : NULL,
                                               line, NULL);
      g_array_append_val (frames, frame);
    }
}

static void
read_samples (SgJsonReader *r,
              Profile      *p)
{
  gboolean first = TRUE;

  if (!sg_json_reader_begin_array (r))
    return;
  while (sg_json_reader_next_element (r, &first))
    {
      gboolean first_frame = TRUE;
      guint32 end;

      if (!sg_json_reader_begin_array (r))
        return;
      while (sg_json_reader_next_element (r, &first_frame))
        {
          guint32 f;
          if (!read_frame_index (r, &f))
            return;
          g_array_append_val (p->stack_frames, f);
        }
      end = p->stack_frames->len;
      g_array_append_val (p->stack_ends, end);
    }
}

static void
read_weights (SgJsonReader *r,
              Profile      *p)
{
  gboolean first = TRUE;

  if (!sg_json_reader_begin_array (r))
    return;
  while (sg_json_reader_next_element (r, &first))
    {
      double w;
      gsize at = r->pos;

      if (!sg_json_reader_read_double (r, &w))
        return;
      if (!isfinite (w) || w < 0)
        {
          sg_json_reader_fail_at (r, at, "a weight must be a finite number ≥ 0");
          return;
        }
      g_array_append_val (p->weights, w);

      /* Whole numbers are also kept exactly: a double cannot hold every
       * integer above 2⁵³, and our own exports write nanoseconds. */
      if (!p->fractional)
        {
          gboolean whole = TRUE;
          gint64 iw;

          for (gsize i = at; i < r->pos; i++)
            if (r->data[i] == '.' || r->data[i] == 'e' || r->data[i] == 'E')
              whole = FALSE;
          if (whole)
            {
              r->pos = at;  /* read the same token again, exactly */
              if (!sg_json_reader_read_int64 (r, &iw))
                return;
              g_array_append_val (p->int_weights, iw);
            }
          else
            p->fractional = TRUE;
        }
    }
}

static void
read_events (SgJsonReader *r,
             Profile      *p)
{
  gboolean first = TRUE;

  if (!sg_json_reader_begin_array (r))
    return;
  while (sg_json_reader_next_element (r, &first))
    {
      Event ev = { 0 };
      gboolean first_member = TRUE;
      gboolean has_type = FALSE, has_frame = FALSE, has_at = FALSE;

      sg_json_reader_peek (r);
      ev.pos = r->pos;
      if (!sg_json_reader_begin_object (r))
        return;
      while (sg_json_reader_next_member (r, &first_member))
        {
          if (sg_json_reader_key_is (r, "type"))
            {
              const char *t = sg_json_reader_read_string (r);
              if (t != NULL && (strcmp (t, "O") == 0 || strcmp (t, "C") == 0))
                {
                  ev.open = t[0] == 'O';
                  has_type = TRUE;
                }
              else if (!sg_json_reader_failed (r))
                {
                  sg_json_reader_fail_at (r, ev.pos, "an event's type must be \"O\" or \"C\"");
                  return;
                }
            }
          else if (sg_json_reader_key_is (r, "frame"))
            has_frame = read_frame_index (r, &ev.frame);
          else if (sg_json_reader_key_is (r, "at"))
            has_at = sg_json_reader_read_double (r, &ev.at);
          else
            sg_json_reader_skip (r);
        }
      if (sg_json_reader_failed (r))
        return;
      if (!has_type || !has_frame || !has_at || !isfinite (ev.at))
        {
          sg_json_reader_fail_at (r, ev.pos, "an event needs \"type\", \"frame\" and a finite \"at\"");
          return;
        }
      g_array_append_val (p->events, ev);
    }
}

static Profile *
read_profile (SgJsonReader *r)
{
  Profile *p = g_new0 (Profile, 1);
  gboolean first = TRUE;

  p->stack_frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  p->stack_ends = g_array_new (FALSE, FALSE, sizeof (guint32));
  p->weights = g_array_new (FALSE, FALSE, sizeof (double));
  p->int_weights = g_array_new (FALSE, FALSE, sizeof (gint64));
  p->events = g_array_new (FALSE, FALSE, sizeof (Event));
  sg_json_reader_peek (r);
  p->pos = r->pos;

  if (!sg_json_reader_begin_object (r))
    return p;
  while (sg_json_reader_next_member (r, &first))
    {
      /* A member given twice: the last one wins, as in JavaScript. */
      if (sg_json_reader_key_is (r, "type"))
        {
          g_free (p->type);
          p->type = dup_string (r);
        }
      else if (sg_json_reader_key_is (r, "name"))
        {
          g_free (p->name);
          p->name = dup_string (r);
        }
      else if (sg_json_reader_key_is (r, "unit"))
        {
          g_free (p->unit);
          p->unit = dup_string (r);
        }
      else if (sg_json_reader_key_is (r, "startValue"))
        p->has_start = sg_json_reader_read_double (r, &p->start_value);
      else if (sg_json_reader_key_is (r, "endValue"))
        p->has_end = sg_json_reader_read_double (r, &p->end_value);
      else if (sg_json_reader_key_is (r, "samples"))
        read_samples (r, p);
      else if (sg_json_reader_key_is (r, "weights"))
        read_weights (r, p);
      else if (sg_json_reader_key_is (r, "events"))
        read_events (r, p);
      else
        sg_json_reader_skip (r);
    }
  return p;
}

/* speedscope's units → Spyglass value type and the factor to its unit. */
static gboolean
unit_info (const char  *unit,
           const char **type,
           const char **model_unit,
           double      *factor)
{
  static const struct { const char *unit, *type, *model_unit; double factor; } units[] = {
    { "nanoseconds",  "wall",    "nanoseconds", 1 },
    { "microseconds", "wall",    "nanoseconds", 1e3 },
    { "milliseconds", "wall",    "nanoseconds", 1e6 },
    { "seconds",      "wall",    "nanoseconds", 1e9 },
    { "bytes",        "space",   "bytes",       1 },
    { "none",         "samples", "count",       1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_strcmp0 (unit ? unit : "none", units[i].unit) == 0)
      {
        *type = units[i].type;
        *model_unit = units[i].model_unit;
        *factor = units[i].factor;
        return TRUE;
      }
  return FALSE;
}

static gint64
to_model (double value,
          double factor)
{
  double v = value * factor;

  /* Clamped so hostile numbers cannot overflow the int64 columns (and
   * their sums); Unix-epoch nanoseconds (1.8e18) still fit. */
  if (!(v > -4e18))
    return (gint64) -4e18;
  if (v > 4e18)
    return (gint64) 4e18;
  return (gint64) llround (v);
}

static gboolean
fail_profile (GError     **error,
              const char  *file,
              guint        index,
              const char  *format,
              ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail_profile (GError     **error,
              const char  *file,
              guint        index,
              const char  *format,
              ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_INVALID,
               "%s: profiles[%u]: %s", file, index, what);
  return FALSE;
}

static gboolean
add_sampled (SgProfileBuilder *builder,
             const char       *file,
             guint             index,
             Profile          *p,
             GArray           *frames,
             double            factor,
             gboolean          timed,
             guint32           thread,
             GError          **error)
{
  /* The previous sample's stack (frame indices, root first) and the
   * builder node of each of its prefixes: consecutive samples share most
   * of their stack, and that part costs one comparison per frame. */
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  const guint32 *prev = NULL;
  guint32 prev_len = 0;
  /* Times are summed relative to the start: a double holding Unix-epoch
   * nanoseconds has a resolution of 256 ns, a duration is exact. */
  gint64 base_ns = to_model (p->start_value, factor);
  double t = 0;
  guint32 begin = 0;
  /* Whole weights in the model's own unit are summed as integers. */
  gboolean exact = factor == 1 && !p->fractional;
  gint64 int_offset = 0;

  if (p->weights->len != 0 && p->weights->len != p->stack_ends->len)
    return fail_profile (error, file, index, "%u samples but %u weights",
                         p->stack_ends->len, p->weights->len);

  for (guint s = 0; s < p->stack_ends->len; s++)
    {
      guint32 end = g_array_index (p->stack_ends, guint32, s);
      /* Every stack may be empty, and then the array has no data at all. */
      const guint32 *stack = p->stack_frames->len ? &g_array_index (p->stack_frames, guint32, begin) : NULL;
      guint32 len = end - begin;
      double w = p->weights->len ? g_array_index (p->weights, double, s) : 1;
      gint64 offset_ns, start_ns, value;
      guint32 shared = 0;
      guint node;

      if (exact)
        {
          value = p->weights->len ? g_array_index (p->int_weights, gint64, s) : 1;
          offset_ns = int_offset;
          int_offset = value > G_MAXINT64 / 4 - int_offset ? G_MAXINT64 / 4 : int_offset + value;
        }
      else
        {
          offset_ns = to_model (t, factor);
          t += w;
          value = timed ? to_model (t, factor) - offset_ns : to_model (w, factor);
        }
      start_ns = base_ns + offset_ns;
      begin = end;

      while (shared < len && shared < prev_len && stack[shared] == prev[shared])
        shared++;
      g_array_set_size (nodes, shared);
      node = shared ? g_array_index (nodes, guint, shared - 1) : SG_PROFILE_BUILDER_ROOT;
      for (guint32 i = shared; i < len; i++)
        {
          if (stack[i] >= frames->len)
            return fail_profile (error, file, index, "samples[%u] refers to frame %u but there are %u frames",
                                 s, stack[i], frames->len);
          node = sg_profile_builder_intern_child (builder, node, g_array_index (frames, guint, stack[i]));
          g_array_append_val (nodes, node);
        }
      prev = stack;
      prev_len = len;
      /* An empty stack (idle time, to speedscope) stays at the root: it is
       * part of the profile's total, as speedscope counts it. */
      sg_profile_builder_add_sample_at_node (builder, node, &value, timed ? start_ns : -1, thread);
    }
  return TRUE;
}

static gboolean
add_evented (SgProfileBuilder *builder,
             const char       *file,
             guint             index,
             Profile          *p,
             GArray           *frames,
             double            factor,
             gboolean          timed,
             guint32           thread,
             GError          **error)
{
  g_autoptr(GArray) open_frames = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) open_nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  double last_at = p->events->len ? g_array_index (p->events, Event, 0).at : 0;
  /* As in add_sampled(): boundaries are rounded relative to the first event. */
  double base = last_at;
  gint64 base_ns = to_model (base, factor);
  guint node = SG_PROFILE_BUILDER_ROOT;

  for (guint e = 0; e <= p->events->len; e++)
    {
      const Event *ev = e < p->events->len ? &g_array_index (p->events, Event, e) : NULL;
      double at = ev ? ev->at : MAX (last_at, p->has_end ? p->end_value : last_at);

      if (at < last_at)
        return fail_profile (error, file, index, "events[%u] (byte %" G_GSIZE_FORMAT ") goes back in time",
                             e, ev->pos);
      if (at > last_at && open_frames->len > 0)
        {
          gint64 offset_ns = to_model (last_at - base, factor);
          gint64 start_ns = base_ns + offset_ns;
          gint64 value = to_model (at - base, factor) - offset_ns;
          sg_profile_builder_add_sample_at_node (builder, node, &value, timed ? start_ns : -1, thread);
        }
      last_at = at;
      if (ev == NULL)
        break;

      if (ev->frame >= frames->len)
        return fail_profile (error, file, index, "events[%u] (byte %" G_GSIZE_FORMAT ") refers to frame %u but there are %u frames",
                             e, ev->pos, ev->frame, frames->len);
      if (ev->open)
        {
          g_array_append_val (open_frames, ev->frame);
          g_array_append_val (open_nodes, node);
          node = sg_profile_builder_intern_child (builder, node, g_array_index (frames, guint, ev->frame));
        }
      else
        {
          if (open_frames->len == 0 ||
              g_array_index (open_frames, guint32, open_frames->len - 1) != ev->frame)
            return fail_profile (error, file, index,
                                 "events[%u] (byte %" G_GSIZE_FORMAT ") closes frame %u, which is not the innermost open one",
                                 e, ev->pos, ev->frame);
          node = g_array_index (open_nodes, guint, open_nodes->len - 1);
          g_array_set_size (open_frames, open_frames->len - 1);
          g_array_set_size (open_nodes, open_nodes->len - 1);
        }
    }
  return TRUE;
}

SgProfile *
sg_import_speedscope (const char  *file,
                      const char  *data,
                      gsize        len,
                      GError     **error)
{
  g_autoptr(SgProfileBuilder) builder = sg_profile_builder_new ();
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (profile_free);
  g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *name = NULL;
  const char *value_type = NULL, *value_unit = NULL;
  gboolean timed;
  gboolean first = TRUE;
  gboolean seen_frames = FALSE;
  SgJsonReader r;

  file = file ? file : "(data)";
  sg_json_reader_init (&r, file, data, len);
  if (sg_json_reader_begin_object (&r))
    while (sg_json_reader_next_member (&r, &first))
      {
        if (sg_json_reader_key_is (&r, "shared"))
          {
            gboolean first_shared = TRUE;
            if (!sg_json_reader_begin_object (&r))
              break;
            while (sg_json_reader_next_member (&r, &first_shared))
              {
                if (sg_json_reader_key_is (&r, "frames") && !seen_frames)
                  {
                    read_frames (&r, builder, frames);
                    seen_frames = TRUE;
                  }
                else
                  sg_json_reader_skip (&r);
              }
          }
        else if (sg_json_reader_key_is (&r, "profiles"))
          {
            gboolean first_profile = TRUE;
            if (!sg_json_reader_begin_array (&r))
              break;
            while (sg_json_reader_next_element (&r, &first_profile))
              g_ptr_array_add (profiles, read_profile (&r));
          }
        else if (sg_json_reader_key_is (&r, "name"))
          {
            g_free (name);
            name = dup_string (&r);
          }
        else
          sg_json_reader_skip (&r);
      }
  sg_json_reader_end (&r);
  if (sg_json_reader_propagate (&r, error))
    {
      sg_json_reader_clear (&r);
      return NULL;
    }
  sg_json_reader_clear (&r);

  if (profiles->len == 0)
    {
      g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_EMPTY,
                   "%s: no profiles in this speedscope file", file);
      return NULL;
    }

  /* One value type for the whole file: every profile must agree on its kind. */
  for (guint i = 0; i < profiles->len; i++)
    {
      Profile *p = g_ptr_array_index (profiles, i);
      const char *t, *u;
      double f;

      if (!unit_info (p->unit, &t, &u, &f))
        {
          g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_UNSUPPORTED,
                       "%s: profiles[%u]: unknown unit “%s”", file, i, p->unit);
          return NULL;
        }
      /* Time units may differ between profiles (each is converted to
       * nanoseconds); time and bytes cannot share one value type. */
      if (value_type == NULL)
        {
          value_type = t;
          value_unit = u;
        }
      else if (strcmp (value_type, t) != 0)
        {
          g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_UNSUPPORTED,
                       "%s: profiles[%u]: unit “%s” cannot be combined with the first profile's",
                       file, i, p->unit);
          return NULL;
        }
      p->factor = f;
    }
  timed = strcmp (value_type, "wall") == 0;
  sg_profile_builder_add_value_type (builder, value_type, value_unit);
  sg_profile_builder_set_profile_type (builder, value_type);

  for (guint i = 0; i < profiles->len; i++)
    {
      Profile *p = g_ptr_array_index (profiles, i);
      g_autofree char *thread_name = NULL;
      g_autofree char *fixed = NULL;
      guint32 thread;
      gboolean ok;

      if (p->name != NULL && p->name[0] != '\0')
        thread_name = g_strdup (sg_import_valid_utf8 (p->name, -1, &fixed));
      else
        thread_name = g_strdup_printf ("profile %u", i + 1);
      thread = sg_profile_builder_intern_string (builder, thread_name);

      if (g_strcmp0 (p->type, "sampled") == 0)
        ok = add_sampled (builder, file, i, p, frames, p->factor, timed, thread, error);
      else if (g_strcmp0 (p->type, "evented") == 0)
        ok = add_evented (builder, file, i, p, frames, p->factor, timed, thread, error);
      else
        {
          g_set_error (error, SG_PROFILE_ERROR, SG_PROFILE_ERROR_UNSUPPORTED,
                       "%s: profiles[%u] (byte %" G_GSIZE_FORMAT "): unknown profile type “%s”",
                       file, i, p->pos, p->type ? p->type : "(none)");
          return NULL;
        }
      if (!ok)
        return NULL;
    }

  if (name != NULL)
    {
      g_autofree char *fixed = NULL;
      sg_profile_builder_set_comment (builder, sg_import_valid_utf8 (name, -1, &fixed));
    }
  return sg_profile_builder_end (builder, error);
}
