/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The history store.  One SQLite connection, used only from a single
 * worker (a one-thread GThreadPool) so that writes keep their order and the
 * main loop never waits on disk.  Reads go through the same queue, so a
 * read always sees the writes queued before it.  Each write is one
 * transaction; WAL keeps readers of other processes (spyglass-cli) working
 * while the console writes.  Duplicates — the same event delivered again
 * after a reconnect — are ignored by UNIQUE constraints. */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sg-history.h"

#define SCHEMA_VERSION 1

struct _SgHistory
{
  GObject      parent_instance;

  char        *path;
  sqlite3     *db;
  GMutex       db_lock;
  GThreadPool *pool;
  GError      *write_error;  /* the first failed background write */
};

G_DEFINE_FINAL_TYPE (SgHistory, sg_history, G_TYPE_OBJECT)

typedef enum
{
  JOB_SNAPSHOT,
  JOB_LOG,
  JOB_PROFILE,
  JOB_LIST_SNAPSHOTS,
  JOB_LIST_LOGS,
  JOB_BARRIER,
} JobKind;

typedef struct
{
  JobKind       kind;
  char         *agent_id;
  char         *agent_label;
  GObject      *object;   /* SgBreakpoint, SgAgentLogEntry or SgAgentProfileInfo */
  char         *file_path;
  guint64       seq;
  guint         limit;
  GTask        *task;     /* reads */
  /* barrier */
  GMutex       *mutex;
  GCond        *cond;
  gboolean     *done;
} Job;

static void
job_free (Job *job)
{
  g_free (job->agent_id);
  g_free (job->agent_label);
  g_clear_object (&job->object);
  g_free (job->file_path);
  g_clear_object (&job->task);
  g_free (job);
}

static gboolean
set_sqlite_error (sqlite3     *db,
                  GError     **error,
                  const char  *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("History database: %s failed: %s"),
               what, db ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("History database: %s"), message);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static gint64
to_usec (GDateTime *time)
{
  return time ? g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time) : 0;
}

static GDateTime *
from_usec (gint64 usec)
{
  g_autoptr(GDateTime) secs = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return g_date_time_add (secs, usec % G_USEC_PER_SEC);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

/* One statement in one transaction: the row is there entirely or not. */
static gboolean
run_write (SgHistory     *self,
           const char    *sql,
           void         (*bind) (sqlite3_stmt *stmt, Job *job),
           Job           *job,
           GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (!exec (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    set_sqlite_error (self->db, error, "prepare");
  else
    {
      bind (stmt, job);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        set_sqlite_error (self->db, error, "insert");
      else
        ok = TRUE;
    }
  sqlite3_finalize (stmt);
  if (ok)
    return exec (self->db, "COMMIT", error);
  exec (self->db, "ROLLBACK", NULL);
  return FALSE;
}

static void
bind_snapshot (sqlite3_stmt *stmt,
               Job          *job)
{
  SgBreakpoint *bp = SG_BREAKPOINT (job->object);
  g_autofree char *json = sg_breakpoint_to_json (bp);
  GDateTime *when = sg_breakpoint_get_final_time (bp);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GEnumClass *states = g_type_class_ref (SG_TYPE_BREAKPOINT_STATE);

  bind_text (stmt, 1, job->agent_id);
  bind_text (stmt, 2, job->agent_label);
  bind_text (stmt, 3, sg_breakpoint_get_id (bp));
  bind_text (stmt, 4, sg_breakpoint_get_path (bp));
  sqlite3_bind_int (stmt, 5, (int) sg_breakpoint_get_line (bp));
  bind_text (stmt, 6, g_enum_get_value (states, sg_breakpoint_get_state (bp))->value_nick);
  sqlite3_bind_int64 (stmt, 7, to_usec (when ? when : now));
  bind_text (stmt, 8, json);
  g_type_class_unref (states);
}

static void
bind_log (sqlite3_stmt *stmt,
          Job          *job)
{
  SgAgentLogEntry *entry = SG_AGENT_LOG_ENTRY (job->object);

  bind_text (stmt, 1, job->agent_id);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) job->seq);
  bind_text (stmt, 3, sg_agent_log_entry_get_agent (entry));
  bind_text (stmt, 4, sg_agent_log_entry_get_breakpoint_id (entry));
  sqlite3_bind_int64 (stmt, 5, to_usec (sg_agent_log_entry_get_time (entry)));
  bind_text (stmt, 6, sg_agent_log_entry_get_level (entry));
  bind_text (stmt, 7, sg_agent_log_entry_get_message (entry));
  bind_text (stmt, 8, sg_agent_log_entry_get_path (entry));
  sqlite3_bind_int (stmt, 9, (int) sg_agent_log_entry_get_line (entry));
}

static void
bind_profile (sqlite3_stmt *stmt,
              Job          *job)
{
  SgAgentProfileInfo *profile = SG_AGENT_PROFILE_INFO (job->object);

  bind_text (stmt, 1, job->agent_id);
  bind_text (stmt, 2, job->agent_label);
  bind_text (stmt, 3, sg_agent_profile_info_get_id (profile));
  bind_text (stmt, 4, sg_agent_profile_info_get_kind (profile));
  sqlite3_bind_int64 (stmt, 5, to_usec (sg_agent_profile_info_get_start (profile)));
  sqlite3_bind_double (stmt, 6, sg_agent_profile_info_get_duration (profile));
  sqlite3_bind_int64 (stmt, 7, sg_agent_profile_info_get_samples (profile));
  bind_text (stmt, 8, job->file_path);
}

static GPtrArray *
query_snapshots (SgHistory  *self,
                 guint       limit,
                 GError    **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT agent_id, agent_label, json, stored_at FROM snapshots "
                          "ORDER BY stored_at DESC, rowid DESC LIMIT ?", -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self->db, error, "query");
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, limit ? limit : G_MAXINT32);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(SgBreakpoint) bp = NULL;
      g_autoptr(GDateTime) stored = from_usec (sqlite3_column_int64 (stmt, 3));

      /* A row an older or newer console wrote that this one cannot read
       * is skipped, not fatal. */
      if (!(bp = sg_breakpoint_new_from_json ((const char *) sqlite3_column_text (stmt, 2), NULL)))
        continue;
      g_ptr_array_add (list, sg_history_snapshot_new ((const char *) sqlite3_column_text (stmt, 0),
                                                      (const char *) sqlite3_column_text (stmt, 1),
                                                      bp, stored));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self->db, error, "query");
      return NULL;
    }
  return g_steal_pointer (&list);
}

static GPtrArray *
query_logs (SgHistory  *self,
            guint       limit,
            GError    **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* The newest N, returned oldest first as a log reads. */
  if (sqlite3_prepare_v2 (self->db,
                          "SELECT agent, breakpoint_id, time, level, message, path, line FROM "
                          "(SELECT rowid AS r, * FROM log_lines ORDER BY time DESC, rowid DESC LIMIT ?) "
                          "ORDER BY time ASC, r ASC", -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self->db, error, "query");
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, limit ? limit : G_MAXINT32);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GDateTime) time = from_usec (sqlite3_column_int64 (stmt, 2));

      g_ptr_array_add (list, sg_agent_log_entry_new ((const char *) sqlite3_column_text (stmt, 0),
                                                     (const char *) sqlite3_column_text (stmt, 1),
                                                     time,
                                                     (const char *) sqlite3_column_text (stmt, 3),
                                                     (const char *) sqlite3_column_text (stmt, 4),
                                                     (const char *) sqlite3_column_text (stmt, 5),
                                                     (guint) sqlite3_column_int (stmt, 6)));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self->db, error, "query");
      return NULL;
    }
  return g_steal_pointer (&list);
}

static void
worker (gpointer data,
        gpointer user_data)
{
  Job *job = data;
  SgHistory *self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *list = NULL;
  gboolean ok = TRUE;

  if (job->kind == JOB_BARRIER)
    {
      g_mutex_lock (job->mutex);
      *job->done = TRUE;
      g_cond_signal (job->cond);
      g_mutex_unlock (job->mutex);
      g_free (job);
      return;
    }

  g_mutex_lock (&self->db_lock);
  switch (job->kind)
    {
    case JOB_SNAPSHOT:
      ok = run_write (self,
                      "INSERT INTO snapshots (agent_id, agent_label, breakpoint_id, path, line, state, stored_at, json) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT (agent_id, breakpoint_id) DO UPDATE SET state = excluded.state, "
                      "json = excluded.json, stored_at = excluded.stored_at",
                      bind_snapshot, job, &error);
      break;
    case JOB_LOG:
      ok = run_write (self,
                      "INSERT OR IGNORE INTO log_lines (agent_id, seq, agent, breakpoint_id, time, level, message, path, line) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      bind_log, job, &error);
      break;
    case JOB_PROFILE:
      ok = run_write (self,
                      "INSERT OR REPLACE INTO profiles (agent_id, agent_label, profile_id, kind, start, duration, samples, file_path) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      bind_profile, job, &error);
      break;
    case JOB_LIST_SNAPSHOTS:
      list = query_snapshots (self, job->limit, &error);
      break;
    case JOB_LIST_LOGS:
      list = query_logs (self, job->limit, &error);
      break;
    case JOB_BARRIER:
    default:
      g_assert_not_reached ();
    }
  g_mutex_unlock (&self->db_lock);

  if (job->task != NULL)
    {
      if (list != NULL)
        g_task_return_pointer (job->task, list, (GDestroyNotify) g_ptr_array_unref);
      else
        g_task_return_error (job->task, g_steal_pointer (&error));
    }
  else if (!ok)
    {
      g_mutex_lock (&self->db_lock);
      if (self->write_error == NULL)
        self->write_error = g_steal_pointer (&error);
      g_mutex_unlock (&self->db_lock);
    }
  job_free (job);
}

static gboolean
open_database (SgHistory  *self,
               GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  sqlite3_stmt *stmt = NULL;
  int version = 0;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  if (sqlite3_open_v2 (self->path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK)
    return set_sqlite_error (self->db, error, "open");
  sqlite3_busy_timeout (self->db, 5000);
  if (!exec (self->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", error))
    return FALSE;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The history database %s was written by a newer Spyglass (schema %d)"),
                   self->path, version);
      return FALSE;
    }

  return exec (self->db,
               "BEGIN;"
               "CREATE TABLE IF NOT EXISTS snapshots ("
               "  agent_id TEXT NOT NULL, agent_label TEXT, breakpoint_id TEXT NOT NULL,"
               "  path TEXT, line INTEGER, state TEXT, stored_at INTEGER NOT NULL, json TEXT NOT NULL,"
               "  UNIQUE (agent_id, breakpoint_id));"
               "CREATE TABLE IF NOT EXISTS log_lines ("
               "  agent_id TEXT NOT NULL, seq INTEGER NOT NULL, agent TEXT, breakpoint_id TEXT,"
               "  time INTEGER NOT NULL, level TEXT, message TEXT, path TEXT, line INTEGER,"
               "  UNIQUE (agent_id, seq));"
               "CREATE INDEX IF NOT EXISTS log_lines_time ON log_lines (time);"
               "CREATE TABLE IF NOT EXISTS profiles ("
               "  agent_id TEXT NOT NULL, agent_label TEXT, profile_id TEXT NOT NULL, kind TEXT,"
               "  start INTEGER, duration REAL, samples INTEGER, file_path TEXT,"
               "  UNIQUE (agent_id, profile_id));"
               "PRAGMA user_version = 1;"
               "COMMIT;", error);
}

static void
sg_history_finalize (GObject *object)
{
  SgHistory *self = SG_HISTORY (object);

  /* Finish queued writes before closing: nothing is lost on quit. */
  if (self->pool != NULL)
    g_thread_pool_free (self->pool, FALSE, TRUE);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_mutex_clear (&self->db_lock);
  g_clear_error (&self->write_error);
  g_free (self->path);

  G_OBJECT_CLASS (sg_history_parent_class)->finalize (object);
}

static void
sg_history_class_init (SgHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sg_history_finalize;
}

static void
sg_history_init (SgHistory *self)
{
  g_mutex_init (&self->db_lock);
}

/**
 * sg_history_new:
 * @path: the database file; created with its folder if missing
 */
SgHistory *
sg_history_new (const char  *path,
                GError     **error)
{
  g_autoptr(SgHistory) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (SG_TYPE_HISTORY, NULL);
  self->path = g_strdup (path);
  if (!open_database (self, error))
    return NULL;
  self->pool = g_thread_pool_new (worker, self, 1, FALSE, error);
  if (self->pool == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

char *
sg_history_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "spyglass", "history.db", NULL);
}

SgHistory *
sg_history_new_default (GError **error)
{
  g_autofree char *path = sg_history_get_default_path ();

  return sg_history_new (path, error);
}

const char *
sg_history_get_path (SgHistory *self)
{
  g_return_val_if_fail (SG_IS_HISTORY (self), NULL);
  return self->path;
}

static void
push (SgHistory *self,
      Job       *job)
{
  g_thread_pool_push (self->pool, job, NULL);
}

void
sg_history_add_snapshot (SgHistory    *self,
                         const char   *agent_id,
                         const char   *agent_label,
                         SgBreakpoint *breakpoint)
{
  Job *job;

  g_return_if_fail (SG_IS_HISTORY (self));
  g_return_if_fail (SG_IS_BREAKPOINT (breakpoint));

  job = g_new0 (Job, 1);
  job->kind = JOB_SNAPSHOT;
  job->agent_id = g_strdup (agent_id ? agent_id : "");
  job->agent_label = g_strdup (agent_label);
  job->object = g_object_ref (G_OBJECT (breakpoint));
  push (self, job);
}

void
sg_history_add_log_entry (SgHistory       *self,
                          const char      *agent_id,
                          guint64          seq,
                          SgAgentLogEntry *entry)
{
  Job *job;

  g_return_if_fail (SG_IS_HISTORY (self));
  g_return_if_fail (SG_IS_AGENT_LOG_ENTRY (entry));

  job = g_new0 (Job, 1);
  job->kind = JOB_LOG;
  job->agent_id = g_strdup (agent_id ? agent_id : "");
  job->seq = seq;
  job->object = g_object_ref (G_OBJECT (entry));
  push (self, job);
}

void
sg_history_add_profile (SgHistory          *self,
                        const char         *agent_id,
                        const char         *agent_label,
                        SgAgentProfileInfo *profile,
                        const char         *file_path)
{
  Job *job;

  g_return_if_fail (SG_IS_HISTORY (self));
  g_return_if_fail (SG_IS_AGENT_PROFILE_INFO (profile));

  job = g_new0 (Job, 1);
  job->kind = JOB_PROFILE;
  job->agent_id = g_strdup (agent_id ? agent_id : "");
  job->agent_label = g_strdup (agent_label);
  job->object = g_object_ref (G_OBJECT (profile));
  job->file_path = g_strdup (file_path);
  push (self, job);
}

/**
 * sg_history_flush:
 *
 * Waits until every queued write is on disk.
 *
 * Returns: %FALSE with the first write error since the last flush
 */
gboolean
sg_history_flush (SgHistory  *self,
                  GError    **error)
{
  GMutex mutex;
  GCond cond;
  gboolean done = FALSE;
  Job *job = g_new0 (Job, 1);

  g_return_val_if_fail (SG_IS_HISTORY (self), FALSE);

  g_mutex_init (&mutex);
  g_cond_init (&cond);
  job->kind = JOB_BARRIER;
  job->mutex = &mutex;
  job->cond = &cond;
  job->done = &done;
  push (self, job);
  g_mutex_lock (&mutex);
  while (!done)
    g_cond_wait (&cond, &mutex);
  g_mutex_unlock (&mutex);
  g_mutex_clear (&mutex);
  g_cond_clear (&cond);

  g_mutex_lock (&self->db_lock);
  if (self->write_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->write_error));
      g_mutex_unlock (&self->db_lock);
      return FALSE;
    }
  g_mutex_unlock (&self->db_lock);
  return TRUE;
}

static void
list_async (SgHistory           *self,
            JobKind              kind,
            guint                limit,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->limit = limit;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  push (self, job);
}

void
sg_history_list_snapshots_async (SgHistory           *self,
                                 guint                limit,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (SG_IS_HISTORY (self));
  list_async (self, JOB_LIST_SNAPSHOTS, limit, sg_history_list_snapshots_async,
              cancellable, callback, user_data);
}

/**
 * sg_history_list_snapshots_finish:
 *
 * Returns: (transfer container) (element-type SgHistorySnapshot): newest first
 */
GPtrArray *
sg_history_list_snapshots_finish (SgHistory     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sg_history_list_log_entries_async (SgHistory           *self,
                                   guint                limit,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (SG_IS_HISTORY (self));
  list_async (self, JOB_LIST_LOGS, limit, sg_history_list_log_entries_async,
              cancellable, callback, user_data);
}

/**
 * sg_history_list_log_entries_finish:
 *
 * Returns: (transfer container) (element-type SgAgentLogEntry): the newest
 *   @limit lines, oldest first
 */
GPtrArray *
sg_history_list_log_entries_finish (SgHistory     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Blocking variants for spyglass-cli and tests. */
GPtrArray *
sg_history_list_snapshots (SgHistory  *self,
                           guint       limit,
                           GError    **error)
{
  GPtrArray *ret;

  g_return_val_if_fail (SG_IS_HISTORY (self), NULL);
  sg_history_flush (self, NULL);
  g_mutex_lock (&self->db_lock);
  ret = query_snapshots (self, limit, error);
  g_mutex_unlock (&self->db_lock);
  return ret;
}

GPtrArray *
sg_history_list_log_entries (SgHistory  *self,
                             guint       limit,
                             GError    **error)
{
  GPtrArray *ret;

  g_return_val_if_fail (SG_IS_HISTORY (self), NULL);
  sg_history_flush (self, NULL);
  g_mutex_lock (&self->db_lock);
  ret = query_logs (self, limit, error);
  g_mutex_unlock (&self->db_lock);
  return ret;
}
