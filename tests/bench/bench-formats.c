/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Speed and memory of the collapsed and speedscope importers on large files.
 *
 *   bench-formats [--samples N] [--keep DIR]
 *
 * 1. Generates a realistic profile: the stacks of the real Go CPU fixture
 *    grafted under a web-service shape (a 15-frame serving prefix, 2,000
 *    handlers, 16 threads), N samples (default 300,000) of 10 ms with
 *    thread and timestamp, and writes it with our exporters as speedscope
 *    (one sampled profile per thread) and as collapsed stacks.
 * 2. Imports each file in a child process (read + parse + build the model),
 *    best of three, and compares with baselines run in the same way on the
 *    same file: `wc -l` for collapsed (reading every byte and finding every
 *    line: the least any importer must do), and for speedscope json-glib's
 *    JsonParser (the tree parser the rest of the app uses) and Python's
 *    C-accelerated json.load.  CPU time is the basis (the machine is
 *    shared); peak RSS of each child is printed.
 * 3. With SPEEDSCOPE_BUNDLE set (see bench-vs-speedscope.sh), runs
 *    speedscope's own importer (speedscope-import.mjs) on the same
 *    speedscope file: the "10x faster than speedscope" target, for
 *    speedscope's own format.
 */
#include "sg-analysis.h"
#include "sg-profile-builder.h"
#include "sg-profile-io.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct
{
  double cpu;
  double wall;
  long   max_rss_kb;
} Run;

static Run
run_child (char **argv)
{
  struct rusage usage;
  Run run = { 0 };
  gint64 start = g_get_monotonic_time ();
  int status;
  pid_t pid = fork ();

  if (pid == 0)
    {
      if (freopen ("/dev/null", "w", stdout) == NULL)
        _exit (126);
      execvp (argv[0], argv);
      _exit (127);
    }
  if (wait4 (pid, &status, 0, &usage) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("%s failed", argv[0]);
  run.wall = (g_get_monotonic_time () - start) / 1e6;
  run.cpu = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  run.max_rss_kb = usage.ru_maxrss;
  return run;
}

static Run
best_of_three (char **argv)
{
  Run best = { G_MAXDOUBLE, G_MAXDOUBLE, 0 };

  for (guint i = 0; i < 3; i++)
    {
      Run r = run_child (argv);
      best.cpu = MIN (best.cpu, r.cpu);
      best.wall = MIN (best.wall, r.wall);
      best.max_rss_kb = MAX (best.max_rss_kb, r.max_rss_kb);
    }
  return best;
}

static SgProfile *
generate (guint n_samples)
{
  g_autofree char *seed_path = g_build_filename (SOURCE_DIR, "..", "fixtures", "go", "cpu.pb.gz", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) seed = sg_profile_load_file (seed_path, &error);
  g_autoptr(SgProfileBuilder) b = sg_profile_builder_new ();
  g_autoptr(GPtrArray) stacks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  const SgNode *nodes;
  guint prefix[15], handlers[2000];
  g_autofree guint *stack = NULL;
  char thread[32];

  g_assert_no_error (error);
  nodes = sg_profile_get_nodes (seed);
  sg_profile_builder_add_value_type (b, "wall", "nanoseconds");

  /* Every leaf-to-root stack of the seed, as frames of the new builder. */
  for (guint s = 0; s < sg_profile_get_n_samples (seed); s++)
    {
      GArray *frames = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint32 n = sg_profile_get_samples (seed)[s].node; n != SG_NODE_ROOT; n = nodes[n].parent)
        {
          const SgFrame *f = &sg_profile_get_frames (seed)[nodes[n].frame];
          guint id = sg_profile_builder_intern_frame (b, sg_profile_get_string (seed, f->function),
                                                      sg_profile_get_string (seed, f->file), f->line, NULL);
          g_array_append_val (frames, id);
        }
      g_ptr_array_add (stacks, frames);
    }
  for (guint i = 0; i < G_N_ELEMENTS (prefix); i++)
    {
      g_autofree char *name = g_strdup_printf ("serve.layer%u", i);
      prefix[i] = sg_profile_builder_intern_frame (b, name, "/srv/app/server.py", 100 + i * 7, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (handlers); i++)
    {
      g_autofree char *name = g_strdup_printf ("handlers.endpoint_%04u", i);
      g_autofree char *file = g_strdup_printf ("/srv/app/handlers/h%02u.py", i % 50);
      handlers[i] = sg_profile_builder_intern_frame (b, name, file, 10 + i % 400, NULL);
    }

  stack = g_new (guint, 256);
  for (guint i = 0; i < n_samples; i++)
    {
      GArray *seed_stack = g_ptr_array_index (stacks, g_rand_int_range (rand, 0, stacks->len));
      /* Zipf-ish: a few handlers take most of the time, as in real services. */
      guint h = (guint) (g_rand_double (rand) * g_rand_double (rand) * G_N_ELEMENTS (handlers));
      guint n = 0;
      gint64 value = 10000000;

      for (guint k = 0; k < seed_stack->len && n < 200; k++)
        stack[n++] = g_array_index (seed_stack, guint, k);
      stack[n++] = handlers[h];
      for (guint k = G_N_ELEMENTS (prefix); k > 0; k--)
        stack[n++] = prefix[k - 1];
      g_snprintf (thread, sizeof thread, "worker-%u", g_rand_int_range (rand, 0, 16));
      sg_profile_builder_add_sample (b, stack, n, &value, (gint64) i * 10000000, thread);
    }
  {
    SgProfile *profile = sg_profile_builder_end (b, &error);
    g_assert_no_error (error);
    return profile;
  }
}

static int
child_import (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SgProfile) profile = sg_profile_load_file (path, &error);

  if (profile == NULL)
    g_error ("%s", error->message);
  g_print ("%u nodes, %u samples\n", sg_profile_get_n_nodes (profile), sg_profile_get_n_samples (profile));
  return 0;
}

static int
child_json_glib (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_mapped_file (parser, path, &error))
    g_error ("%s", error->message);
  return 0;
}

static void
report (const char *what,
        Run         run,
        Run         base,
        gsize       bytes)
{
  g_print ("  %-34s cpu %7.3f s  wall %7.3f s  %7.1f MB/s  peak RSS %6ld MB  %6.2fx baseline\n",
           what, run.cpu, run.wall, bytes / 1e6 / MAX (run.cpu, 1e-6), run.max_rss_kb / 1024,
           run.cpu / MAX (base.cpu, 1e-6));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *keep = NULL;
  g_autofree char *speedscope = NULL;
  g_autofree char *collapsed = NULL;
  g_autofree char *self = NULL;
  int n_samples = 300000;
  GOptionEntry entries[] = {
    { "samples", 0, 0, G_OPTION_ARG_INT, &n_samples, "Samples to generate (default 300000)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep, "Write the files to DIR and keep them", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— collapsed and speedscope import speed");

  if (argc == 3 && g_str_equal (argv[1], "--child-import"))
    return child_import (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "--child-json-glib"))
    return child_json_glib (argv[2]);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  self = g_file_read_link ("/proc/self/exe", NULL);
  dir = keep ? g_strdup (keep) : g_dir_make_tmp ("bench-formats-XXXXXX", NULL);
  g_mkdir_with_parents (dir, 0755);
  speedscope = g_build_filename (dir, "big.speedscope.json", NULL);
  collapsed = g_build_filename (dir, "big.folded", NULL);

  g_print ("Generating %d samples...\n", n_samples);
  profile = generate (n_samples);
  if (!sg_profile_save (profile, speedscope, SG_FORMAT_UNKNOWN, 0, &error) ||
      !sg_profile_save (profile, collapsed, SG_FORMAT_UNKNOWN, 0, &error))
    g_error ("%s", error->message);
  g_print ("Model: %u nodes, %u samples, %u threads\n", sg_profile_get_n_nodes (profile),
           sg_profile_get_n_samples (profile), 16);
  g_clear_pointer (&profile, sg_profile_unref);

  {
    GStatBuf st;
    char *wc[] = { "wc", "-l", collapsed, NULL };
    char *ours[] = { self, "--child-import", collapsed, NULL };
    Run base, run;

    g_stat (collapsed, &st);
    g_print ("\nCollapsed stacks, %.1f MB (%s):\n", st.st_size / 1e6, collapsed);
    base = best_of_three (wc);
    run = best_of_three (ours);
    report ("wc -l (baseline)", base, base, st.st_size);
    report ("spyglass import", run, base, st.st_size);
  }
  {
    GStatBuf st;
    g_autofree char *script = g_strdup_printf ("import json; json.load(open(%s))", "__import__('sys').argv[1]");
    char *glib[] = { self, "--child-json-glib", speedscope, NULL };
    char *python[] = { "python3", "-c", script, speedscope, NULL };
    char *ours[] = { self, "--child-import", speedscope, NULL };
    Run base, py, run;

    g_stat (speedscope, &st);
    g_print ("\nspeedscope JSON, %.1f MB (%s):\n", st.st_size / 1e6, speedscope);
    base = best_of_three (glib);
    py = best_of_three (python);
    run = best_of_three (ours);
    report ("json-glib JsonParser (baseline)", base, base, st.st_size);
    report ("python3 json.load", py, base, st.st_size);
    report ("spyglass import (parse + model)", run, base, st.st_size);
  }

  /* speedscope's own importer, when its release bundle is at hand (the
   * same harness bench-vs-speedscope.sh uses for pprof files). */
  {
    const char *bundle = g_getenv ("SPEEDSCOPE_BUNDLE");
    g_autofree char *script = g_build_filename (SOURCE_DIR, "speedscope-import.mjs", NULL);
    g_autofree char *node = g_find_program_in_path ("node");

    if (node == NULL || bundle == NULL || !g_file_test (bundle, G_FILE_TEST_EXISTS))
      g_print ("\n(speedscope's importer skipped: set SPEEDSCOPE_BUNDLE to the speedscope-*.js of\n"
               " `npm pack speedscope@1.25.0`, and have node on PATH)\n");
    else
      {
        char *theirs[] = { node, "--max-old-space-size=12000", script, (char *) bundle, speedscope, NULL };
        char *ours[] = { self, "--child-import", speedscope, NULL };
        double best_cpu = G_MAXDOUBLE, best_wall = G_MAXDOUBLE;
        GStatBuf st;
        Run us;

        g_stat (speedscope, &st);
        for (guint i = 0; i < 3; i++)
          {
            g_autofree char *out = NULL;
            double cpu, wall;

            if (!g_spawn_sync (NULL, theirs, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, NULL, &error) ||
                sscanf (out, "speedscope cpu %lf wall %lf", &cpu, &wall) != 2)
              g_error ("speedscope's importer failed: %s", error ? error->message : out);
            best_cpu = MIN (best_cpu, cpu);
            best_wall = MIN (best_wall, wall);
          }
        us = best_of_three (ours);
        g_print ("\nspeedscope's own importer (release bundle in node; file already in memory) on the same file:\n");
        g_print ("  %-34s cpu %7.3f s  wall %7.3f s\n", "speedscope import (baseline)", best_cpu, best_wall);
        g_print ("  %-34s cpu %7.3f s  wall %7.3f s\n", "spyglass, whole process", us.cpu, us.wall);
        g_print ("  => %.1fx less CPU time (target >= 10x)\n", best_cpu / MAX (us.cpu, 1e-6));
      }
  }

  if (keep == NULL)
    {
      g_unlink (speedscope);
      g_unlink (collapsed);
      g_rmdir (dir);
    }
  return 0;
}
