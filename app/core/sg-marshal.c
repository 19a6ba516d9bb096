/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reference numbering follows CPython's r_object(): an object carrying
 * FLAG_REF gets the next reference index when the reader *starts* it
 * (containers reserve their slot before their items), so indices are handed
 * out in pre-order.  A reference to a slot whose container is still open
 * would make a cycle; we refuse it.
 */
#include "sg-marshal-private.h"

#include <string.h>

#include "sg-profile.h"

#define FLAG_REF  0x80
#define MAX_DEPTH 64
#define UNFILLED  G_MAXUINT32

typedef struct
{
  SgMarshal  *m;
  const char *file;
  gsize       pos;
  GArray     *refs;     /* guint32 node index or UNFILLED */
  GArray     *pending;  /* children of the open containers, in order */
  GError    **error;
} Reader;

static gboolean
fail (Reader     *r,
      gsize       at,
      const char *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (Reader     *r,
      gsize       at,
      const char *format,
      ...)
{
  SgProfileError code = g_str_has_prefix (format, "truncated") ? SG_PROFILE_ERROR_TRUNCATED
                                                               : SG_PROFILE_ERROR_INVALID;
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (r->error, SG_PROFILE_ERROR, code,
               "%s: byte %" G_GSIZE_FORMAT ": %s", r->file, at, what);
  return FALSE;
}

static gboolean
need (Reader *r,
      gsize   n)
{
  if (r->m->len - r->pos < n)
    return fail (r, r->pos, "truncated: %" G_GSIZE_FORMAT " more bytes expected", n);
  return TRUE;
}

static guint32
read_u32 (Reader *r)
{
  const guint8 *p = r->m->data + r->pos;
  r->pos += 4;
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

static guint32
add_node (Reader        *r,
          SgMarshalNode *node)
{
  g_array_append_val (r->m->nodes, *node);
  return r->m->nodes->len - 1;
}

static gboolean read_object (Reader *r, guint depth, guint32 *out);

static gboolean
read_items (Reader        *r,
            guint          depth,
            SgMarshalNode *node,
            guint32        n_items,
            gboolean       is_dict)
{
  guint base = r->pending->len;

  for (guint32 i = 0;; i++)
    {
      guint32 child;

      if (!is_dict && i == n_items)
        break;
      if (is_dict)
        {
          if (!need (r, 1))
            return FALSE;
          if (r->m->data[r->pos] == '0')
            {
              r->pos++;
              break;
            }
        }
      if (!read_object (r, depth + 1, &child))
        return FALSE;
      g_array_append_val (r->pending, child);
      if (is_dict)
        {
          if (!read_object (r, depth + 1, &child))
            return FALSE;
          g_array_append_val (r->pending, child);
        }
    }

  /* Children are copied out only when complete, so they stay contiguous. */
  node->n_children = r->pending->len - base;
  node->v.offset = r->m->children->len;
  if (node->n_children > 0)  /* an empty array has no data pointer to index */
    g_array_append_vals (r->m->children, &g_array_index (r->pending, guint32, base), node->n_children);
  g_array_set_size (r->pending, base);
  return TRUE;
}

static gboolean
read_object (Reader  *r,
             guint    depth,
             guint32 *out)
{
  SgMarshalNode node = { 0 };
  gsize start = r->pos;
  guint8 code;
  gboolean flag;
  guint ref_slot = UNFILLED;
  guint32 n;

  if (depth > MAX_DEPTH)
    return fail (r, r->pos, "nested deeper than %d levels", MAX_DEPTH);
  if (!need (r, 1))
    return FALSE;
  code = r->m->data[r->pos++];
  flag = (code & FLAG_REF) != 0;
  code &= ~FLAG_REF;

  if (code == 'r')
    {
      guint32 index, target;

      if (!need (r, 4))
        return FALSE;
      index = read_u32 (r);
      if (index >= r->refs->len)
        return fail (r, start, "reference %u to an object not read yet", index);
      target = g_array_index (r->refs, guint32, index);
      if (target == UNFILLED)
        return fail (r, start, "reference %u to a container that is still open (a cycle)", index);
      *out = target;
      return TRUE;
    }

  if (flag)
    {
      guint32 unfilled = UNFILLED;
      ref_slot = r->refs->len;
      g_array_append_val (r->refs, unfilled);
    }

  switch (code)
    {
    case 'N':
      node.type = SG_MARSHAL_NONE;
      break;
    case 'T':
    case 'F':
      node.type = SG_MARSHAL_BOOL;
      node.v.i = code == 'T';
      break;
    case 'i':
      if (!need (r, 4))
        return FALSE;
      node.type = SG_MARSHAL_INT;
      node.v.i = (gint32) read_u32 (r);
      break;
    case 'l':
      {
        gint32 ndigits;
        guint64 value = 0;
        gboolean overflow = FALSE;

        if (!need (r, 4))
          return FALSE;
        ndigits = (gint32) read_u32 (r);
        n = ndigits < 0 ? (guint32) -(gint64) ndigits : (guint32) ndigits;
        if (n > (r->m->len - r->pos) / 2)
          return fail (r, start, "truncated: long of %u digits", n);
        /* 15-bit digits, least significant first; big values become floats. */
        for (guint32 i = n; i > 0; i--)
          {
            const guint8 *p = r->m->data + r->pos + 2 * (i - 1);
            guint digit = p[0] | (p[1] << 8);
            if (digit > 0x7fff)
              return fail (r, start, "bad digit in a long");
            if (value > (G_MAXINT64 >> 15))
              overflow = TRUE;
            value = (value << 15) | digit;
          }
        r->pos += 2 * (gsize) n;
        if (overflow)
          return fail (r, start, "integer too large");
        node.type = SG_MARSHAL_INT;
        node.v.i = ndigits < 0 ? -(gint64) value : (gint64) value;
      }
      break;
    case 'g':
      {
        guint64 bits;
        if (!need (r, 8))
          return FALSE;
        bits = read_u32 (r);
        bits |= (guint64) read_u32 (r) << 32;
        node.type = SG_MARSHAL_FLOAT;
        memcpy (&node.v.d, &bits, sizeof node.v.d);
      }
      break;
    case 'f':
      {
        char buf[257];
        char *end;
        if (!need (r, 1))
          return FALSE;
        n = r->m->data[r->pos++];
        if (!need (r, n))
          return FALSE;
        memcpy (buf, r->m->data + r->pos, n);
        buf[n] = '\0';
        r->pos += n;
        node.type = SG_MARSHAL_FLOAT;
        node.v.d = g_ascii_strtod (buf, &end);
        if (n == 0 || end != buf + n)
          return fail (r, start, "malformed float");
      }
      break;
    case 'z':
    case 'Z':
    case 'u':
    case 't':
    case 'a':
    case 'A':
    case 's':
      if (code == 'z' || code == 'Z')
        {
          if (!need (r, 1))
            return FALSE;
          n = r->m->data[r->pos++];
        }
      else
        {
          if (!need (r, 4))
            return FALSE;
          n = read_u32 (r);
        }
      if (!need (r, n))
        return FALSE;
      node.type = SG_MARSHAL_STRING;
      node.n_children = n;
      node.v.offset = r->pos;
      r->pos += n;
      break;
    case '(':
    case '[':
    case ')':
      if (code == ')')
        {
          if (!need (r, 1))
            return FALSE;
          n = r->m->data[r->pos++];
        }
      else
        {
          if (!need (r, 4))
            return FALSE;
          n = read_u32 (r);
        }
      /* Every item takes at least one byte: a count beyond what is left is a lie. */
      if (n > r->m->len - r->pos)
        return fail (r, start, "truncated: %u items announced, fewer bytes left", n);
      node.type = SG_MARSHAL_TUPLE;
      if (!read_items (r, depth, &node, n, FALSE))
        return FALSE;
      break;
    case '{':
      node.type = SG_MARSHAL_DICT;
      if (!read_items (r, depth, &node, 0, TRUE))
        return FALSE;
      break;
    default:
      if (g_ascii_isprint (code))
        return fail (r, start, "unsupported marshal type '%c' (not a pstats file?)", code);
      return fail (r, start, "unknown marshal type 0x%02x", code);
    }

  *out = add_node (r, &node);
  if (ref_slot != UNFILLED)
    g_array_index (r->refs, guint32, ref_slot) = *out;
  return TRUE;
}

gboolean
sg_marshal_parse (SgMarshal     *self,
                  const char    *file,
                  const guint8  *data,
                  gsize          len,
                  GError       **error)
{
  Reader r = { 0 };
  guint32 root;
  gboolean ok;

  memset (self, 0, sizeof *self);
  self->data = data;
  self->len = len;
  self->nodes = g_array_new (FALSE, FALSE, sizeof (SgMarshalNode));
  self->children = g_array_new (FALSE, FALSE, sizeof (guint32));

  r.m = self;
  r.file = file ? file : "(data)";
  r.refs = g_array_new (FALSE, FALSE, sizeof (guint32));
  r.pending = g_array_new (FALSE, FALSE, sizeof (guint32));
  r.error = error;

  ok = read_object (&r, 0, &root);
  if (ok && r.pos != len)
    ok = fail (&r, r.pos, "unexpected data after the end of the stats");
  /* The root is always the last node added: callers start from there. */
  if (ok && root != self->nodes->len - 1)
    ok = fail (&r, 0, "the top-level object is a reference");

  g_array_unref (r.refs);
  g_array_unref (r.pending);
  if (!ok)
    sg_marshal_clear (self);
  return ok;
}

void
sg_marshal_clear (SgMarshal *self)
{
  g_clear_pointer (&self->nodes, g_array_unref);
  g_clear_pointer (&self->children, g_array_unref);
}
