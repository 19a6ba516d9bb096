/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A pull reader over JSON text held in memory, for the speedscope and
 * .cpuprofile importers.  Profiles of hundreds of megabytes are the reason
 * this exists instead of JsonParser: no tree is built, numbers are read in
 * place, and strings are unescaped into one reused buffer.
 *
 * Errors are sticky: after the first problem every call returns FALSE/0 and
 * the importer checks sg_json_reader_failed() once at the end.  Errors name
 * the file, the line, column and byte offset, and what was expected.
 */
typedef enum
{
  SG_JSON_NONE = 0,   /* end of input or error */
  SG_JSON_NULL,
  SG_JSON_BOOLEAN,
  SG_JSON_NUMBER,
  SG_JSON_STRING,
  SG_JSON_OBJECT,
  SG_JSON_ARRAY,
} SgJsonType;

typedef struct
{
  const char *data;
  gsize       len;
  gsize       pos;
  const char *file;       /* for messages; not owned */
  GString    *scratch;    /* last string read */
  GError     *error;
} SgJsonReader;

void        sg_json_reader_init         (SgJsonReader  *self,
                                         const char    *file,
                                         const char    *data,
                                         gsize          len);
void        sg_json_reader_clear        (SgJsonReader  *self);
gboolean    sg_json_reader_failed       (SgJsonReader  *self);
gboolean    sg_json_reader_propagate    (SgJsonReader  *self,
                                         GError       **error);
void        sg_json_reader_fail         (SgJsonReader  *self,
                                         const char    *format,
                                         ...) G_GNUC_PRINTF (2, 3);
void        sg_json_reader_fail_at      (SgJsonReader  *self,
                                         gsize          pos,
                                         const char    *format,
                                         ...) G_GNUC_PRINTF (3, 4);

SgJsonType  sg_json_reader_peek         (SgJsonReader  *self);
gboolean    sg_json_reader_begin_object (SgJsonReader  *self);
gboolean    sg_json_reader_next_member  (SgJsonReader  *self,
                                         gboolean      *first);
gboolean    sg_json_reader_begin_array  (SgJsonReader  *self);
gboolean    sg_json_reader_next_element (SgJsonReader  *self,
                                         gboolean      *first);
gboolean    sg_json_reader_key_is       (SgJsonReader  *self,
                                         const char    *key);
gboolean    sg_json_reader_read_double  (SgJsonReader  *self,
                                         double        *value);
gboolean    sg_json_reader_read_int64   (SgJsonReader  *self,
                                         gint64        *value);
const char *sg_json_reader_read_string  (SgJsonReader  *self);
gboolean    sg_json_reader_skip         (SgJsonReader  *self);
gboolean    sg_json_reader_end          (SgJsonReader  *self);

G_END_DECLS
