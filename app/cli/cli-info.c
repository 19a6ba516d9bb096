/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cli-common.h"
#include "sg-profile-io.h"

static char *
format_time (gint64 ns)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ns / 1000000000);

  return dt ? g_date_time_format_iso8601 (dt) : g_strdup ("?");
}

static SgFormat
file_format (const char *path,
             gboolean   *gzipped)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  guint8 head[4096];
  gssize n;
  SgFormat format;

  *gzipped = FALSE;
  if (in == NULL)
    return SG_FORMAT_UNKNOWN;
  n = g_input_stream_read (G_INPUT_STREAM (in), head, sizeof head, NULL, NULL);
  format = n > 0 ? sg_format_detect (head, n) : SG_FORMAT_UNKNOWN;
  if (format == SG_FORMAT_GZIP)
    {
      g_autoptr(GConverter) gz = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
      g_autoptr(GInputStream) plain = NULL;
      guint8 inner[4096];
      gsize got = 0;

      *gzipped = TRUE;
      g_seekable_seek (G_SEEKABLE (in), 0, G_SEEK_SET, NULL, NULL);
      plain = g_converter_input_stream_new (G_INPUT_STREAM (in), gz);
      g_input_stream_read_all (plain, inner, sizeof inner, &got, NULL, NULL);
      format = sg_format_detect (inner, got);
    }
  return format;
}

static void
print_text (const char *path,
            SgProfile  *profile)
{
  guint n_values = sg_profile_get_n_value_types (profile);
  guint n_threads;
  const guint32 *threads = sg_profile_get_threads (profile, &n_threads);
  gint64 first, last;
  gboolean gzipped;
  SgFormat format = file_format (path, &gzipped);

  g_print ("File: %s\n", path);
  g_print ("Format: %s%s\n", sg_format_get_name (format), gzipped ? " (gzip)" : "");
  if (sg_profile_get_profile_type (profile)[0])
    g_print ("Type: %s\n", sg_profile_get_profile_type (profile));
  if (sg_profile_get_service (profile)[0])
    g_print ("Service: %s\n", sg_profile_get_service (profile));
  if (sg_profile_get_version (profile)[0])
    g_print ("Version: %s\n", sg_profile_get_version (profile));
  if (sg_profile_get_host (profile)[0])
    g_print ("Host: %s\n", sg_profile_get_host (profile));
  if (sg_profile_get_start_ns (profile) > 0)
    {
      g_autofree char *start = format_time (sg_profile_get_start_ns (profile));
      g_print ("Start: %s\n", start);
    }
  if (sg_profile_get_duration_ns (profile) > 0)
    {
      g_autofree char *d = cli_format_value (sg_profile_get_duration_ns (profile), "nanoseconds", 0);
      g_print ("Duration: %s\n", d);
    }
  if (sg_profile_get_period (profile) > 0)
    {
      g_autofree char *p = cli_format_value (sg_profile_get_period (profile), sg_profile_get_period_unit (profile), 0);
      g_print ("Period: %s %s\n", p, sg_profile_get_period_type (profile));
    }
  if (sg_profile_get_comment (profile)[0])
    g_print ("Comment: %s\n", sg_profile_get_comment (profile));

  g_print ("Values:\n");
  for (guint i = 0; i < n_values; i++)
    {
      gint64 total = sg_profile_get_total (profile, i);
      g_autofree char *t = cli_format_value (total, sg_profile_get_value_unit (profile, i), 0);
      g_print ("  %s/%s: total %s%s\n", sg_profile_get_value_type (profile, i),
               sg_profile_get_value_unit (profile, i), t,
               i == sg_profile_get_default_value (profile) ? " (default)" : "");
    }
  g_print ("Samples: %u\n", sg_profile_get_n_samples (profile));
  g_print ("Functions (frames): %u\n", sg_profile_get_n_frames (profile));
  g_print ("Call-tree nodes: %u, deepest stack %u\n", sg_profile_get_n_nodes (profile),
           sg_profile_get_max_depth (profile));
  if (n_threads > 0)
    {
      g_print ("Threads: %u\n", n_threads);
      for (guint i = 0; i < n_threads && i < 20; i++)
        g_print ("  %s\n", threads[i] ? sg_profile_get_string (profile, threads[i]) : "(none)");
      if (n_threads > 20)
        g_print ("  … and %u more\n", n_threads - 20);
    }
  if (sg_profile_get_time_range (profile, &first, &last))
    {
      g_autofree char *span = cli_format_value (last - first, "nanoseconds", 0);
      g_print ("Timed samples span: %s\n", span);
    }
}

static void
add_json (JsonBuilder *b,
          const char  *path,
          SgProfile   *profile)
{
  guint n_threads;
  const guint32 *threads = sg_profile_get_threads (profile, &n_threads);
  gint64 first, last;
  gboolean gzipped;
  SgFormat format = file_format (path, &gzipped);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, path);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, sg_format_get_name (format));
  json_builder_set_member_name (b, "gzip");
  json_builder_add_boolean_value (b, gzipped);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, sg_profile_get_profile_type (profile));
  json_builder_set_member_name (b, "service");
  json_builder_add_string_value (b, sg_profile_get_service (profile));
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, sg_profile_get_version (profile));
  json_builder_set_member_name (b, "host");
  json_builder_add_string_value (b, sg_profile_get_host (profile));
  json_builder_set_member_name (b, "start_ns");
  json_builder_add_int_value (b, sg_profile_get_start_ns (profile));
  json_builder_set_member_name (b, "duration_ns");
  json_builder_add_int_value (b, sg_profile_get_duration_ns (profile));
  json_builder_set_member_name (b, "values");
  json_builder_begin_array (b);
  for (guint i = 0; i < sg_profile_get_n_value_types (profile); i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, sg_profile_get_value_type (profile, i));
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, sg_profile_get_value_unit (profile, i));
      json_builder_set_member_name (b, "total");
      json_builder_add_int_value (b, sg_profile_get_total (profile, i));
      json_builder_set_member_name (b, "default");
      json_builder_add_boolean_value (b, i == sg_profile_get_default_value (profile));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "samples");
  json_builder_add_int_value (b, sg_profile_get_n_samples (profile));
  json_builder_set_member_name (b, "frames");
  json_builder_add_int_value (b, sg_profile_get_n_frames (profile));
  json_builder_set_member_name (b, "nodes");
  json_builder_add_int_value (b, sg_profile_get_n_nodes (profile));
  json_builder_set_member_name (b, "max_depth");
  json_builder_add_int_value (b, sg_profile_get_max_depth (profile));
  json_builder_set_member_name (b, "threads");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_threads; i++)
    json_builder_add_string_value (b, sg_profile_get_string (profile, threads[i]));
  json_builder_end_array (b);
  if (sg_profile_get_time_range (profile, &first, &last))
    {
      json_builder_set_member_name (b, "first_sample_ns");
      json_builder_add_int_value (b, first);
      json_builder_set_member_name (b, "last_sample_ns");
      json_builder_add_int_value (b, last);
    }
  json_builder_end_object (b);
}

int
cli_info (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE… — what each profile holds");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON (an array, one object per file)", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Prints the format (detected from the content), metadata, value types with\n"
    "their totals, and the sizes of the samples, frames, call tree and threads.");
  if (!cli_parse (context, "info", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc < 2)
    return cli_usage_error ("info", "no FILE given");

  json_builder_begin_array (builder);
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(SgProfile) profile = cli_load (argv + i, 1);

      if (profile == NULL)
        return CLI_EXIT_FAILURE;
      if (json)
        add_json (builder, argv[i], profile);
      else
        {
          if (i > 1)
            g_print ("\n");
          print_text (argv[i], profile);
        }
    }
  json_builder_end_array (builder);
  if (json)
    cli_print_json (builder);
  return CLI_EXIT_OK;
}
