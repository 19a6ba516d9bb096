/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "sg-profile-io.h"
#include "sg-ui-test.h"

SgApplication *app;
SgWindow *window;
static char *home;

/* Runs the main loop until @cond holds; fails the test after 30 s (the
 * CI machine is shared, so be patient, but never hang). */
void
wait_until (Condition cond,
            gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!cond (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
count_paint (GdkFrameClock *clock,
             guint         *count)
{
  (*count)++;
}

static gboolean
painted_twice (gpointer count)
{
  return *(guint *) count >= 2;
}

/* Waits until the window has really been drawn again (style and layout
 * up to date), however slow the machine is. */
void
wait_for_paint (void)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  guint count = 0;
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint), &count);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  wait_until (painted_twice, &count);
  g_signal_handler_disconnect (clock, id);
}

GtkWidget *
find_descendant (GtkWidget *root,
                 gboolean (*match) (GtkWidget *, gconstpointer),
                 gconstpointer data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
is_type (GtkWidget     *widget,
         gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

gboolean
is_mapped_label_containing (GtkWidget     *widget,
                            gconstpointer  text)
{
  return GTK_IS_LABEL (widget) &&
         gtk_widget_get_mapped (widget) &&
         strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

/* For weak pointers: TRUE once the object is finalized. */
gboolean
object_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

gboolean
has_visible_label (gpointer text)
{
  return find_descendant (GTK_WIDGET (window), is_mapped_label_containing, text) != NULL;
}

gboolean
is_idle (gpointer data)
{
  return sg_window_get_n_loading (window) == 0;
}

GFile *
fixture (const char *name)
{
  return g_file_new_for_path (g_test_get_filename (G_TEST_DIST, "fixtures", "ui", name, NULL));
}

/* A file with @len bytes of @data in the test's throwaway home. */
GFile *
temp_file (const char   *name,
           const guint8 *data,
           gsize         len)
{
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, (const char *) data, len, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

AdwViewStack *
get_stack (void)
{
  GtkWidget *stack = find_descendant (GTK_WIDGET (window), is_type,
                                      GSIZE_TO_POINTER (ADW_TYPE_VIEW_STACK));

  g_assert_nonnull (stack);
  return ADW_VIEW_STACK (stack);
}

SgProfilePage *
get_profile_page (void)
{
  return SG_PROFILE_PAGE (adw_view_stack_get_child_by_name (get_stack (), "profile"));
}

/* Unblocks a reader of the FIFO at @path, if it got as far as opening it,
 * with a real profile. GIO may notice a stop as soon as open() returns and
 * close its end (the write then fails with EPIPE), or may have given up
 * before opening (ENXIO here, until no read is pending). */
void
feed_fifo (const char *path)
{
  g_autoptr(GFile) pstats = fixture ("fib.pstats");
  g_autoptr(GBytes) bytes = g_file_load_bytes (pstats, NULL, NULL, NULL);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  gssize written;
  int fd;

  signal (SIGPIPE, SIG_IGN);
  for (gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
       (fd = open (path, O_WRONLY | O_NONBLOCK)) < 0 && errno == ENXIO &&
       sg_window_get_n_loading (window) > 0 && g_get_monotonic_time () < deadline; )
    g_main_context_iteration (NULL, FALSE);
  if (fd >= 0)
    {
      written = write (fd, data, len);
      g_assert_true (written == (gssize) len || (written < 0 && errno == EPIPE));
      close (fd);
    }
}

/* Lets the frame clock run for about @n frames at 50 Hz. */
void
sg_ui_test_flush_frames (guint n)
{
  gint64 until = g_get_monotonic_time () + n * 20 * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

/* The first widget of @type under @root, @root included, depth first;
 * find_descendant() for tests that cannot include sg-ui-test.h. */
GtkWidget *
sg_ui_test_find_by_type (GtkWidget *root,
                         GType      type)
{
  return find_descendant (root, is_type, GSIZE_TO_POINTER (type));
}

/* Renders @widget as a user sees it into @name in the build dir, for a
 * human to look at; fails if nothing was drawn (one flat colour). */
void
sg_ui_test_save_screenshot (GtkWidget  *widget,
                            const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  g_autofree guchar *pixels = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gsize stride;
  gboolean varied = FALSE;

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  /* Right after a page switch, or on a loaded machine, the paintable can
   * be empty until GTK has drawn a frame: let it, and try again. */
  while (node == NULL)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          sg_ui_test_flush_frames (1);
        }
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  stride = 4 * (gsize) gdk_texture_get_width (texture);
  pixels = g_malloc (stride * gdk_texture_get_height (texture));
  gdk_texture_download (texture, pixels, stride);
  for (gsize i = 4; i < stride * gdk_texture_get_height (texture) && !varied; i += 4)
    varied = memcmp (pixels, pixels + i, 4) != 0;
  g_assert_true (varied);

  path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* tests/fixtures/@dir/@name in the source tree. */
char *
sg_ui_test_fixture_path (const char *dir,
                         const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", dir, name, NULL);
}

/* A fixture read on this thread, straight into a profile. */
SgProfile *
sg_ui_test_load_profile (const char *dir,
                         const char *name)
{
  g_autofree char *path = sg_ui_test_fixture_path (dir, name);
  g_autoptr(GError) error = NULL;
  SgProfile *profile = sg_profile_load_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

static void
profile_file_loaded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SgProfileFile **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = sg_profile_file_load_finish (result, &error);
  g_assert_no_error (error);
}

/* @file read the way the window opens files (on a worker thread), while
 * the main loop runs. */
SgProfileFile *
sg_ui_test_read_profile_file (GFile *file)
{
  SgProfileFile *loaded = NULL;

  sg_profile_file_load_async (file, NULL, profile_file_loaded, &loaded);
  while (loaded == NULL)
    g_main_context_iteration (NULL, TRUE);
  return loaded;
}

SgProfileFile *
sg_ui_test_read_fixture (const char *dir,
                         const char *name)
{
  g_autofree char *path = sg_ui_test_fixture_path (dir, name);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return sg_ui_test_read_profile_file (file);
}

static void
remove_tree (const char *path)
{
  const char *rm[] = { "rm", "-rf", path, NULL };

  g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

/* Makes the throwaway home, the application and its window. Returns
 * FALSE (having printed a TAP skip) when there is no display. */
gboolean
sg_ui_test_init (int    *argc,
                 char ***argv)
{
  g_autoptr(GError) error = NULL;

  /* Set before anything asks GLib for the XDG dirs: recent files and
   * caches must not touch the user's. */
  home = g_dir_make_tmp ("spyglass-test-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    {
      static const char *vars[] = { "HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME" };
      g_autofree char *dir = g_build_filename (home, vars[i], NULL);

      g_mkdir_with_parents (dir, 0700);
      g_setenv (vars[i], i == 0 ? home : dir, TRUE);
    }

  g_test_init (argc, argv, NULL);
  if (!gtk_init_check ())
    {
      /* Run by hand without a display; build-aux/test always has Xvfb. */
      g_print ("1..0 # SKIP no display (run under Xvfb, as build-aux/test does)\n");
      remove_tree (home);
      g_clear_pointer (&home, g_free);
      return FALSE;
    }
  adw_init ();

  app = sg_application_new ();
  /* Never hand the test over to a running Spyglass. */
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  window = sg_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  wait_until ((Condition) gtk_widget_get_mapped, window);
  return TRUE;
}

int
sg_ui_test_finish (int ret)
{
  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  remove_tree (home);
  g_clear_pointer (&home, g_free);
  return ret;
}
