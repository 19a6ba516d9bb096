/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The reader never recurses except in sg_json_reader_skip(), which keeps its
 * own bounded stack of open brackets, so hostile nesting cannot overflow the
 * C stack.  Every loop advances `pos`, so it cannot hang.
 */
#include "sg-json-reader-private.h"

#include <stdlib.h>
#include <string.h>

#include "sg-profile.h"

#define MAX_SKIP_DEPTH 1024

void
sg_json_reader_init (SgJsonReader *self,
                     const char   *file,
                     const char   *data,
                     gsize         len)
{
  memset (self, 0, sizeof *self);
  self->data = data;
  self->len = len;
  self->file = file ? file : "(data)";
  self->scratch = g_string_sized_new (64);
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    self->pos = 3;  /* a UTF-8 byte-order mark */
}

void
sg_json_reader_clear (SgJsonReader *self)
{
  if (self->scratch != NULL)
    g_string_free (self->scratch, TRUE);
  self->scratch = NULL;
  g_clear_error (&self->error);
}

gboolean
sg_json_reader_failed (SgJsonReader *self)
{
  return self->error != NULL;
}

gboolean
sg_json_reader_propagate (SgJsonReader  *self,
                          GError       **error)
{
  if (self->error == NULL)
    return FALSE;
  g_propagate_error (error, g_steal_pointer (&self->error));
  return TRUE;
}

static void fail_va (SgJsonReader *self,
                     gsize         pos,
                     const char   *format,
                     va_list       args) G_GNUC_PRINTF (3, 0);

static void
fail_va (SgJsonReader *self,
         gsize         pos,
         const char   *format,
         va_list       args)
{
  g_autofree char *what = NULL;
  gsize line = 1, column = 1;

  if (self->error != NULL)
    return;
  pos = MIN (pos, self->len);
  /* Only computed on failure, so the hot path never counts lines. */
  for (gsize i = 0; i < pos; i++)
    {
      if (self->data[i] == '\n')
        {
          line++;
          column = 1;
        }
      else
        column++;
    }
  what = g_strdup_vprintf (format, args);
  g_set_error (&self->error, SG_PROFILE_ERROR,
               pos >= self->len ? SG_PROFILE_ERROR_TRUNCATED : SG_PROFILE_ERROR_INVALID,
               "%s: line %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT
               " (byte %" G_GSIZE_FORMAT "): %s",
               self->file, line, column, pos, what);
}

void
sg_json_reader_fail_at (SgJsonReader *self,
                        gsize         pos,
                        const char   *format,
                        ...)
{
  va_list args;

  va_start (args, format);
  fail_va (self, pos, format, args);
  va_end (args);
}

void
sg_json_reader_fail (SgJsonReader *self,
                     const char   *format,
                     ...)
{
  va_list args;

  va_start (args, format);
  fail_va (self, self->pos, format, args);
  va_end (args);
}

static inline void
skip_space (SgJsonReader *self)
{
  while (self->pos < self->len)
    {
      char c = self->data[self->pos];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
        break;
      self->pos++;
    }
}

static const char *
describe_here (SgJsonReader *self)
{
  if (self->pos >= self->len)
    return "end of data (truncated file?)";
  return "unexpected character";
}

SgJsonType
sg_json_reader_peek (SgJsonReader *self)
{
  if (self->error != NULL)
    return SG_JSON_NONE;
  skip_space (self);
  if (self->pos >= self->len)
    return SG_JSON_NONE;
  switch (self->data[self->pos])
    {
    case '{': return SG_JSON_OBJECT;
    case '[': return SG_JSON_ARRAY;
    case '"': return SG_JSON_STRING;
    case 'n': return SG_JSON_NULL;
    case 't':
    case 'f': return SG_JSON_BOOLEAN;
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return SG_JSON_NUMBER;
    default:
      return SG_JSON_NONE;
    }
}

static gboolean
expect_char (SgJsonReader *self,
             char          c,
             const char   *what)
{
  if (self->error != NULL)
    return FALSE;
  skip_space (self);
  if (self->pos < self->len && self->data[self->pos] == c)
    {
      self->pos++;
      return TRUE;
    }
  sg_json_reader_fail (self, "expected %s, found %s", what, describe_here (self));
  return FALSE;
}

gboolean
sg_json_reader_begin_object (SgJsonReader *self)
{
  return expect_char (self, '{', "an object ('{')");
}

gboolean
sg_json_reader_begin_array (SgJsonReader *self)
{
  return expect_char (self, '[', "an array ('[')");
}

/* Shared by arrays and objects: consumes the closing bracket or a comma. */
static gboolean
next_item (SgJsonReader *self,
           gboolean     *first,
           char          close)
{
  if (self->error != NULL)
    return FALSE;
  skip_space (self);
  if (self->pos >= self->len)
    {
      sg_json_reader_fail (self, "expected '%c' or more items, found end of data (truncated file?)", close);
      return FALSE;
    }
  if (self->data[self->pos] == close)
    {
      self->pos++;
      return FALSE;
    }
  if (!*first)
    {
      if (self->data[self->pos] != ',')
        {
          sg_json_reader_fail (self, "expected ',' or '%c', found %s", close, describe_here (self));
          return FALSE;
        }
      self->pos++;
    }
  *first = FALSE;
  return TRUE;
}

gboolean
sg_json_reader_next_element (SgJsonReader *self,
                             gboolean     *first)
{
  return next_item (self, first, ']');
}

gboolean
sg_json_reader_next_member (SgJsonReader *self,
                            gboolean     *first)
{
  if (!next_item (self, first, '}'))
    return FALSE;
  skip_space (self);
  if (self->pos >= self->len || self->data[self->pos] != '"')
    {
      sg_json_reader_fail (self, "expected a member name, found %s", describe_here (self));
      return FALSE;
    }
  if (sg_json_reader_read_string (self) == NULL)
    return FALSE;
  return expect_char (self, ':', "':' after a member name");
}

gboolean
sg_json_reader_key_is (SgJsonReader *self,
                       const char   *key)
{
  return strcmp (self->scratch->str, key) == 0;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (SgJsonReader *self,
           gunichar     *out)
{
  gunichar v = 0;

  if (self->len - self->pos < 4)
    {
      sg_json_reader_fail (self, "truncated \\u escape");
      return FALSE;
    }
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (self->data[self->pos + i]);
      if (h < 0)
        {
          sg_json_reader_fail (self, "bad hex digit in \\u escape");
          return FALSE;
        }
      v = (v << 4) | (gunichar) h;
    }
  self->pos += 4;
  *out = v;
  return TRUE;
}

const char *
sg_json_reader_read_string (SgJsonReader *self)
{
  gsize start;

  if (self->error != NULL)
    return NULL;
  skip_space (self);
  if (self->pos + 4 <= self->len && memcmp (self->data + self->pos, "null", 4) == 0)
    {
      self->pos += 4;
      return NULL;
    }
  if (!expect_char (self, '"', "a string"))
    return NULL;

  g_string_truncate (self->scratch, 0);
  start = self->pos;
  for (;;)
    {
      gsize run = self->pos;
      char c;

      /* Copy plain runs in one go: escapes are rare in profiles. */
      while (run < self->len && self->data[run] != '"' && self->data[run] != '\\' &&
             (guchar) self->data[run] >= 0x20)
        run++;
      g_string_append_len (self->scratch, self->data + self->pos, run - self->pos);
      self->pos = run;
      if (self->pos >= self->len)
        {
          sg_json_reader_fail_at (self, start - 1, "string never ends (truncated file?)");
          return NULL;
        }
      c = self->data[self->pos++];
      if (c == '"')
        break;
      if (c != '\\')
        {
          sg_json_reader_fail_at (self, self->pos - 1, "control character inside a string");
          return NULL;
        }
      if (self->pos >= self->len)
        {
          sg_json_reader_fail (self, "string never ends (truncated file?)");
          return NULL;
        }
      c = self->data[self->pos++];
      switch (c)
        {
        case '"': case '\\': case '/':
          g_string_append_c (self->scratch, c);
          break;
        case 'b': g_string_append_c (self->scratch, '\b'); break;
        case 'f': g_string_append_c (self->scratch, '\f'); break;
        case 'n': g_string_append_c (self->scratch, '\n'); break;
        case 'r': g_string_append_c (self->scratch, '\r'); break;
        case 't': g_string_append_c (self->scratch, '\t'); break;
        case 'u':
          {
            gunichar u;

            if (!read_hex4 (self, &u))
              return NULL;
            if (u >= 0xD800 && u < 0xDC00 && self->pos + 6 <= self->len &&
                self->data[self->pos] == '\\' && self->data[self->pos + 1] == 'u')
              {
                gunichar low;
                self->pos += 2;
                if (!read_hex4 (self, &low))
                  return NULL;
                if (low >= 0xDC00 && low < 0xE000)
                  u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
                else
                  u = 0xFFFD;
              }
            else if (u >= 0xD800 && u < 0xE000)
              u = 0xFFFD;  /* lone surrogate: keep the text valid UTF-8 */
            if (u == 0)
              u = 0xFFFD;  /* strings are C strings from here on */
            g_string_append_unichar (self->scratch, u);
          }
          break;
        default:
          sg_json_reader_fail_at (self, self->pos - 2, "unknown escape '\\%c'", c);
          return NULL;
        }
    }
  return self->scratch->str;
}

/* Returns the length of the number token at pos, 0 if there is none. */
static gsize
scan_number (SgJsonReader *self,
             gboolean     *is_integer)
{
  gsize i = self->pos;

  *is_integer = TRUE;
  if (i < self->len && self->data[i] == '-')
    i++;
  while (i < self->len)
    {
      char c = self->data[i];
      if (g_ascii_isdigit (c))
        i++;
      else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')
        {
          *is_integer = FALSE;
          i++;
        }
      else
        break;
    }
  return i - self->pos;
}

gboolean
sg_json_reader_read_double (SgJsonReader *self,
                            double       *value)
{
  gboolean is_integer;
  gsize n;
  char buf[64];
  char *end = NULL;

  if (self->error != NULL)
    return FALSE;
  skip_space (self);
  n = scan_number (self, &is_integer);
  if (n == 0 || n >= sizeof buf)
    {
      sg_json_reader_fail (self, n == 0 ? "expected a number, found %s" : "number too long%s",
                           n == 0 ? describe_here (self) : "");
      return FALSE;
    }
  /* Copy out: the data need not be NUL-terminated and strtod must stop here. */
  memcpy (buf, self->data + self->pos, n);
  buf[n] = '\0';
  *value = g_ascii_strtod (buf, &end);
  if (end != buf + n || (n == 1 && buf[0] == '-'))
    {
      sg_json_reader_fail (self, "malformed number");
      return FALSE;
    }
  self->pos += n;
  return TRUE;
}

gboolean
sg_json_reader_read_int64 (SgJsonReader *self,
                           gint64       *value)
{
  gboolean is_integer;
  gboolean negative = FALSE;
  guint64 v = 0;
  gsize n, i;

  if (self->error != NULL)
    return FALSE;
  skip_space (self);
  n = scan_number (self, &is_integer);
  if (n > 0 && !is_integer)
    {
      /* Some writers emit 12.0 for integral values; accept them if exact. */
      double d;
      gsize at = self->pos;
      if (!sg_json_reader_read_double (self, &d))
        return FALSE;
      if (d != d || d < -9.2e18 || d > 9.2e18 || (double) (gint64) d != d)
        {
          sg_json_reader_fail_at (self, at, "expected an integer");
          return FALSE;
        }
      *value = (gint64) d;
      return TRUE;
    }
  i = self->pos;
  if (n > 0 && self->data[i] == '-')
    {
      negative = TRUE;
      i++;
    }
  if (i == self->pos + n)
    {
      sg_json_reader_fail (self, "expected an integer, found %s", describe_here (self));
      return FALSE;
    }
  for (; i < self->pos + n; i++)
    {
      guint d = (guint) (self->data[i] - '0');
      if (v > ((guint64) G_MAXINT64 - d) / 10)
        {
          sg_json_reader_fail (self, "integer out of range");
          return FALSE;
        }
      v = v * 10 + d;
    }
  self->pos += n;
  *value = negative ? -(gint64) v : (gint64) v;
  return TRUE;
}

static gboolean
expect_word (SgJsonReader *self,
             const char   *word)
{
  gsize n = strlen (word);

  if (self->len - self->pos < n || memcmp (self->data + self->pos, word, n) != 0)
    {
      sg_json_reader_fail (self, "expected a value, found %s", describe_here (self));
      return FALSE;
    }
  self->pos += n;
  return TRUE;
}

gboolean
sg_json_reader_skip (SgJsonReader *self)
{
  char stack[MAX_SKIP_DEPTH];
  gboolean first[MAX_SKIP_DEPTH];
  guint depth = 0;

  do
    {
      SgJsonType type;

      /* Inside a container: move to its next item or close it. */
      if (depth > 0)
        {
          gboolean more;

          if (stack[depth - 1] == '}')
            more = sg_json_reader_next_member (self, &first[depth - 1]);
          else
            more = sg_json_reader_next_element (self, &first[depth - 1]);
          if (self->error != NULL)
            return FALSE;
          if (!more)
            {
              depth--;
              continue;
            }
        }

      type = sg_json_reader_peek (self);
      switch (type)
        {
        case SG_JSON_OBJECT:
        case SG_JSON_ARRAY:
          if (depth == MAX_SKIP_DEPTH)
            {
              sg_json_reader_fail (self, "nested deeper than %d levels", MAX_SKIP_DEPTH);
              return FALSE;
            }
          stack[depth] = type == SG_JSON_OBJECT ? '}' : ']';
          first[depth] = TRUE;
          depth++;
          self->pos++;
          break;
        case SG_JSON_STRING:
          sg_json_reader_read_string (self);
          break;
        case SG_JSON_NUMBER:
          {
            double d;
            sg_json_reader_read_double (self, &d);
          }
          break;
        case SG_JSON_NULL:
          expect_word (self, "null");
          break;
        case SG_JSON_BOOLEAN:
          if (!expect_word (self, self->data[self->pos] == 't' ? "true" : "false"))
            return FALSE;
          break;
        case SG_JSON_NONE:
        default:
          sg_json_reader_fail (self, "expected a value, found %s", describe_here (self));
          break;
        }
      if (self->error != NULL)
        return FALSE;
    }
  while (depth > 0);

  return TRUE;
}

gboolean
sg_json_reader_end (SgJsonReader *self)
{
  if (self->error != NULL)
    return FALSE;
  skip_space (self);
  if (self->pos < self->len)
    {
      sg_json_reader_fail (self, "unexpected data after the end of the document");
      return FALSE;
    }
  return TRUE;
}
