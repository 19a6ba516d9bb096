/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Writes a profile as pprof through the protobuf-c code generated from
 * profile.proto.  Every frame becomes one location with one line, so
 * inlined frames survive a round trip as ordinary frames; functions are
 * shared per (name, file).  Samples keep their own values, thread and
 * timestamp, so an exported profile filters by time and thread the same
 * way the original does.
 */
#include "sg-pprof.h"
#include "sg-pprof-private.h"
#include "sg-profile-private.h"

#include "profile.pb-c.h"

#include <string.h>

typedef struct
{
  SgProfile *profile;
  GPtrArray *table;        /* char * (borrowed or owned below) */
  GHashTable *index;       /* char * -> index + 1 */
  GPtrArray *owned;
  gint64    *by_id;        /* profile string id -> table index, -1 unset */
} Strings;

static gint64
add_string (Strings    *s,
            const char *string)
{
  gpointer found = g_hash_table_lookup (s->index, string);

  if (found != NULL)
    return GPOINTER_TO_SIZE (found) - 1;
  g_ptr_array_add (s->table, (gpointer) string);
  g_hash_table_insert (s->index, (gpointer) string, GSIZE_TO_POINTER (s->table->len));
  return s->table->len - 1;
}

static gint64
add_string_id (Strings *s,
               guint32  id)
{
  if (s->by_id[id] < 0)
    s->by_id[id] = add_string (s, s->profile->strings[id]);
  return s->by_id[id];
}

static gint64
add_owned_string (Strings *s,
                  char    *string)
{
  g_ptr_array_add (s->owned, string);
  return add_string (s, string);
}

typedef struct
{
  ProtobufCBuffer base;
  GByteArray     *bytes;
} ByteArrayBuffer;

static void
byte_array_append (ProtobufCBuffer *buffer,
                   size_t           len,
                   const uint8_t   *data)
{
  g_byte_array_append (((ByteArrayBuffer *) buffer)->bytes, data, len);
}

GBytes *
sg_pprof_export (SgProfile  *profile,
                 gboolean    compress,
                 GError    **error)
{
  Perftools__Profiles__Profile out = PERFTOOLS__PROFILES__PROFILE__INIT;
  Perftools__Profiles__ValueType period_type = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
  Strings s;
  guint n_values = profile->n_values;
  g_autofree Perftools__Profiles__ValueType *types = NULL;
  g_autofree Perftools__Profiles__ValueType **type_ptrs = NULL;
  g_autofree Perftools__Profiles__Function *functions = NULL;
  g_autofree Perftools__Profiles__Function **function_ptrs = NULL;
  g_autofree Perftools__Profiles__Location *locations = NULL;
  g_autofree Perftools__Profiles__Location **location_ptrs = NULL;
  g_autofree Perftools__Profiles__Line *lines = NULL;
  g_autofree Perftools__Profiles__Line **line_ptrs = NULL;
  g_autofree Perftools__Profiles__Mapping *mappings = NULL;
  g_autofree Perftools__Profiles__Mapping **mapping_ptrs = NULL;
  g_autofree Perftools__Profiles__Sample *samples = NULL;
  g_autofree Perftools__Profiles__Sample **sample_ptrs = NULL;
  g_autofree Perftools__Profiles__Label *labels = NULL;
  g_autofree Perftools__Profiles__Label **label_ptrs = NULL;
  g_autofree guint64 **node_stacks = NULL;
  g_autofree guint32 *module_mapping = NULL;
  g_autoptr(GPtrArray) stack_storage = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) comments = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) function_ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) function_keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n_functions = 0, n_mappings = 0, n_labels = 0;
  gint64 key_thread, key_timestamp, key_ns;
  ByteArrayBuffer buffer = { { byte_array_append }, NULL };
  GBytes *raw;

  g_return_val_if_fail (profile != NULL, NULL);

  s.profile = profile;
  s.table = g_ptr_array_new ();
  s.index = g_hash_table_new (g_str_hash, g_str_equal);
  s.owned = g_ptr_array_new_with_free_func (g_free);
  s.by_id = g_new (gint64, profile->n_strings);
  memset (s.by_id, 0xff, sizeof (gint64) * profile->n_strings);
  add_string (&s, "");

  /* sample and period types */
  types = g_new0 (Perftools__Profiles__ValueType, n_values);
  type_ptrs = g_new0 (Perftools__Profiles__ValueType *, n_values);
  for (guint i = 0; i < n_values; i++)
    {
      perftools__profiles__value_type__init (&types[i]);
      types[i].type = add_string_id (&s, profile->value_types[i]);
      types[i].unit = add_string_id (&s, profile->value_units[i]);
      type_ptrs[i] = &types[i];
    }
  out.n_sample_type = n_values;
  out.sample_type = type_ptrs;
  out.default_sample_type = n_values > 0 ? types[profile->default_value].type : 0;
  if (profile->period_type != 0 || profile->period_unit != 0)
    {
      period_type.type = add_string_id (&s, profile->period_type);
      period_type.unit = add_string_id (&s, profile->period_unit);
      out.period_type = &period_type;
    }
  out.period = profile->period;
  out.time_nanos = profile->start_ns;
  out.duration_nanos = profile->duration_ns;

  /* mappings: one per module */
  module_mapping = g_new0 (guint32, profile->n_strings);
  mappings = g_new0 (Perftools__Profiles__Mapping, MAX (profile->n_frames, 1));
  mapping_ptrs = g_new0 (Perftools__Profiles__Mapping *, MAX (profile->n_frames, 1));
  for (guint f = 0; f < profile->n_frames; f++)
    {
      guint32 module = profile->frames[f].module;
      if (module != 0 && module_mapping[module] == 0)
        {
          Perftools__Profiles__Mapping *m = &mappings[n_mappings];
          perftools__profiles__mapping__init (m);
          m->id = n_mappings + 1;
          m->filename = add_string_id (&s, module);
          m->has_functions = TRUE;
          m->has_filenames = TRUE;
          m->has_line_numbers = TRUE;
          mapping_ptrs[n_mappings] = m;
          module_mapping[module] = ++n_mappings;
        }
    }
  out.n_mapping = n_mappings;
  out.mapping = mapping_ptrs;

  /* functions per (name, file); one location with one line per frame */
  functions = g_new0 (Perftools__Profiles__Function, MAX (profile->n_frames, 1));
  function_ptrs = g_new0 (Perftools__Profiles__Function *, MAX (profile->n_frames, 1));
  locations = g_new0 (Perftools__Profiles__Location, MAX (profile->n_frames, 1));
  location_ptrs = g_new0 (Perftools__Profiles__Location *, MAX (profile->n_frames, 1));
  lines = g_new0 (Perftools__Profiles__Line, MAX (profile->n_frames, 1));
  line_ptrs = g_new0 (Perftools__Profiles__Line *, MAX (profile->n_frames, 1));
  g_array_set_size (function_keys, profile->n_frames);
  for (guint f = 0; f < profile->n_frames; f++)
    {
      const SgFrame *frame = &profile->frames[f];
      gint64 *key = &g_array_index (function_keys, gint64, f);
      gpointer found;
      guint64 function_id;

      *key = ((gint64) frame->function << 32) | frame->file;
      found = g_hash_table_lookup (function_ids, key);
      if (found == NULL)
        {
          Perftools__Profiles__Function *fn = &functions[n_functions];
          perftools__profiles__function__init (fn);
          fn->id = n_functions + 1;
          fn->name = add_string_id (&s, frame->function);
          fn->system_name = fn->name;
          fn->filename = add_string_id (&s, frame->file);
          function_ptrs[n_functions] = fn;
          found = GSIZE_TO_POINTER (++n_functions);
          g_hash_table_insert (function_ids, key, found);
        }
      function_id = GPOINTER_TO_SIZE (found);

      perftools__profiles__line__init (&lines[f]);
      lines[f].function_id = function_id;
      lines[f].line = frame->line;
      line_ptrs[f] = &lines[f];
      perftools__profiles__location__init (&locations[f]);
      locations[f].id = f + 1;
      locations[f].mapping_id = frame->module ? module_mapping[frame->module] : 0;
      locations[f].n_line = 1;
      locations[f].line = &line_ptrs[f];
      location_ptrs[f] = &locations[f];
    }
  out.n_function = n_functions;
  out.function = function_ptrs;
  out.n_location = profile->n_frames;
  out.location = location_ptrs;

  /* samples share one location-id array per leaf node */
  key_thread = add_string (&s, "thread");
  key_timestamp = add_string (&s, "timestamp_ns");
  key_ns = add_string (&s, "nanoseconds");
  node_stacks = g_new0 (guint64 *, profile->n_nodes);
  samples = g_new0 (Perftools__Profiles__Sample, MAX (profile->n_samples, 1));
  sample_ptrs = g_new0 (Perftools__Profiles__Sample *, MAX (profile->n_samples, 1));
  labels = g_new0 (Perftools__Profiles__Label, MAX ((gsize) profile->n_samples * 2, 1));
  label_ptrs = g_new0 (Perftools__Profiles__Label *, MAX ((gsize) profile->n_samples * 2, 1));
  for (guint i = 0; i < profile->n_samples; i++)
    {
      const SgSample *sample = &profile->samples[i];
      Perftools__Profiles__Sample *out_sample = &samples[i];
      guint32 node = sample->node;
      guint depth = profile->nodes[node].depth;

      perftools__profiles__sample__init (out_sample);
      if (node_stacks[node] == NULL && depth > 0)
        {
          guint64 *ids = g_new (guint64, depth);
          guint k = 0;
          for (guint32 n = node; n != SG_NODE_ROOT; n = profile->nodes[n].parent)
            ids[k++] = (guint64) profile->nodes[n].frame + 1;
          node_stacks[node] = ids;
          g_ptr_array_add (stack_storage, ids);
        }
      out_sample->n_location_id = depth;
      out_sample->location_id = node_stacks[node];
      out_sample->n_value = n_values;
      out_sample->value = profile->sample_values + (gsize) i * n_values;
      out_sample->label = &label_ptrs[n_labels];
      if (sample->thread != 0)
        {
          Perftools__Profiles__Label *l = &labels[n_labels];
          perftools__profiles__label__init (l);
          l->key = key_thread;
          l->str = add_string_id (&s, sample->thread);
          label_ptrs[n_labels++] = l;
          out_sample->n_label++;
        }
      if (sample->timestamp_ns >= 0)
        {
          Perftools__Profiles__Label *l = &labels[n_labels];
          perftools__profiles__label__init (l);
          l->key = key_timestamp;
          l->num = sample->timestamp_ns;
          l->num_unit = key_ns;
          label_ptrs[n_labels++] = l;
          out_sample->n_label++;
        }
      sample_ptrs[i] = out_sample;
    }
  out.n_sample = profile->n_samples;
  out.sample = sample_ptrs;

  /* metadata pprof has no field for */
  {
    struct { const char *key; guint32 id; } meta[] = {
      { "service", profile->service },
      { "version", profile->version },
      { "host", profile->host },
      { "type", profile->profile_type },
    };
    for (guint i = 0; i < G_N_ELEMENTS (meta); i++)
      {
        if (meta[i].id != 0)
          {
            gint64 c = add_owned_string (&s, g_strdup_printf ("spyglass:%s=%s", meta[i].key,
                                                              profile->strings[meta[i].id]));
            g_array_append_val (comments, c);
          }
      }
    if (profile->comment != 0)
      {
        g_auto(GStrv) parts = g_strsplit (profile->strings[profile->comment], "\n", -1);
        for (guint i = 0; parts[i] != NULL; i++)
          {
            gint64 c = add_owned_string (&s, g_strdup (parts[i]));
            g_array_append_val (comments, c);
          }
      }
    out.n_comment = comments->len;
    out.comment = (int64_t *) (gpointer) comments->data;
  }

  out.n_string_table = s.table->len;
  out.string_table = (char **) s.table->pdata;

  buffer.bytes = g_byte_array_sized_new (perftools__profiles__profile__get_packed_size (&out));
  perftools__profiles__profile__pack_to_buffer (&out, &buffer.base);
  raw = g_byte_array_free_to_bytes (buffer.bytes);

  g_ptr_array_unref (s.table);
  g_hash_table_unref (s.index);
  g_ptr_array_unref (s.owned);
  g_free (s.by_id);

  if (compress)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (raw, &len);
      GBytes *gz = sg_pprof_gzip (data, len);
      g_bytes_unref (raw);
      return gz;
    }
  return raw;
}
