/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The Compare page's worker-thread step.  Parsing is the slow part (a
 * large pprof takes seconds), so profiles the page has already parsed are
 * passed back in; the diff and the union tree of two 100k-node profiles
 * take milliseconds (see README.md, "Compare page").
 */
#include "config.h"

#include "sg-compare-job.h"
#include "sg-profile-io.h"

typedef struct
{
  SgProfileFile *base_file;
  SgProfile     *base;
  SgProfileFile *test_file;
  SgProfile     *test;
  char          *value_type;
} Input;

static void
input_free (Input *input)
{
  g_clear_object (&input->base_file);
  g_clear_object (&input->test_file);
  g_clear_pointer (&input->base, sg_profile_unref);
  g_clear_pointer (&input->test, sg_profile_unref);
  g_free (input->value_type);
  g_free (input);
}

void
sg_compare_job_free (SgCompareJob *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->base, sg_profile_unref);
  g_clear_pointer (&self->test, sg_profile_unref);
  g_clear_pointer (&self->tree, sg_profile_unref);
  g_clear_pointer (&self->diff, sg_diff_unref);
  g_strfreev (self->common_types);
  g_free (self->base_types);
  g_free (self->test_types);
  g_free (self->value_type);
  g_free (self);
}

char *
sg_compare_dup_type_list (SgProfile *profile)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < sg_profile_get_n_value_types (profile); i++)
    {
      if (i > 0)
        g_string_append (s, ", ");
      g_string_append_printf (s, "%s (%s)", sg_profile_get_value_type (profile, i),
                              sg_profile_get_value_unit (profile, i));
    }
  return g_string_free (s, FALSE);
}

static gboolean
shares_type (SgProfile *base,
             guint      bv,
             SgProfile *test)
{
  guint tv;

  return sg_profile_find_value_type (test, sg_profile_get_value_type (base, bv), &tv) &&
         g_str_equal (sg_profile_get_value_unit (base, bv), sg_profile_get_value_unit (test, tv));
}

static SgProfile *
parse (SgProfileFile  *file,
       GError        **error)
{
  return sg_profile_load_bytes (sg_profile_file_get_contents (file),
                                sg_profile_file_get_display_name (file), error);
}

SgCompareJob *
sg_compare_job_run (SgProfileFile  *base_file,
                    SgProfile      *base,
                    SgProfileFile  *test_file,
                    SgProfile      *test,
                    const char     *value_type,
                    GCancellable   *cancellable,
                    GError        **error)
{
  g_autoptr(SgCompareJob) self = g_new0 (SgCompareJob, 1);
  g_autoptr(GStrvBuilder) common = g_strv_builder_new ();
  const char *chosen = NULL;
  guint n;

  g_return_val_if_fail (SG_IS_PROFILE_FILE (base_file), NULL);
  g_return_val_if_fail (SG_IS_PROFILE_FILE (test_file), NULL);

  self->base = base ? sg_profile_ref (base) : parse (base_file, error);
  if (self->base == NULL)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (test == NULL && test_file == base_file)
    test = self->base;
  self->test = test ? sg_profile_ref (test) : parse (test_file, error);
  if (self->test == NULL)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  n = sg_profile_get_n_value_types (self->base);
  for (guint i = 0; i < n; i++)
    if (shares_type (self->base, i, self->test))
      g_strv_builder_add (common, sg_profile_get_value_type (self->base, i));
  self->common_types = g_strv_builder_end (common);
  self->base_types = sg_compare_dup_type_list (self->base);
  self->test_types = sg_compare_dup_type_list (self->test);

  if (self->common_types[0] == NULL)
    return g_steal_pointer (&self);

  if (value_type != NULL && g_strv_contains ((const char * const *) self->common_types, value_type))
    chosen = value_type;
  else
    {
      const char *preferred = sg_profile_get_value_type (self->base,
                                                         sg_profile_get_default_value (self->base));

      chosen = g_strv_contains ((const char * const *) self->common_types, preferred)
                 ? preferred : self->common_types[0];
    }
  self->value_type = g_strdup (chosen);

  self->diff = sg_diff_new (self->base, self->test, self->value_type, error);
  if (self->diff == NULL)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  self->tree = sg_diff_build_tree (self->base, self->test, self->value_type, error);
  if (self->tree == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

static void
run_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Input *input = task_data;
  GError *error = NULL;
  SgCompareJob *job;

  job = sg_compare_job_run (input->base_file, input->base, input->test_file, input->test,
                            input->value_type, cancellable, &error);
  if (job == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, job, (GDestroyNotify) sg_compare_job_free);
}

void
sg_compare_job_run_async (SgProfileFile       *base_file,
                          SgProfile           *base,
                          SgProfileFile       *test_file,
                          SgProfile           *test,
                          const char          *value_type,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Input *input;

  g_return_if_fail (SG_IS_PROFILE_FILE (base_file));
  g_return_if_fail (SG_IS_PROFILE_FILE (test_file));

  input = g_new0 (Input, 1);
  input->base_file = g_object_ref (base_file);
  input->test_file = g_object_ref (test_file);
  input->base = base ? sg_profile_ref (base) : NULL;
  input->test = test ? sg_profile_ref (test) : NULL;
  input->value_type = g_strdup (value_type);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sg_compare_job_run_async);
  g_task_set_task_data (task, input, (GDestroyNotify) input_free);
  g_task_run_in_thread (task, run_thread);
}

SgCompareJob *
sg_compare_job_run_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
