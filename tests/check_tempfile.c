/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/cli/tempfile.c: files are made new and private,
   removed or kept on request, and removed when the program exits, is
   ended by a signal, or writes to a closed pipe; a name that turns out
   to be another process's file is never registered, even for a moment.
   The cases that end a program run in a child process.  The test is
   linked with --wrap=open and --wrap=open64 (tests/Makefile.am):
   tempfile.c's open goes through __wrap_open below.  */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tempfile.h"

static char dir[] = "/tmp/check_tempfile.XXXXXX";

static void
setup (void)
{
  ck_assert_ptr_nonnull (mkdtemp (strcpy (dir, "/tmp/check_tempfile.XXXXXX")));
}

/* The number of entries in DIR, and remove them and DIR.  */
static int
count_and_clean (void)
{
  char cmd[200];
  snprintf (cmd, sizeof cmd, "n=$(ls -A %s | wc -l); rm -rf %s; exit $n",
            dir, dir);
  int st = system (cmd);
  ck_assert (WIFEXITED (st));
  return WEXITSTATUS (st);
}

static int
exists (const char *p)
{
  struct stat st;
  return stat (p, &st) == 0;
}

START_TEST (test_create_remove)
{
  char *a, *b;
  int fa = bp_tempfile_create (dir, "run.", &a);
  int fb = bp_tempfile_create (dir, "run.", &b);
  ck_assert_int_ge (fa, 0);
  ck_assert_int_ge (fb, 0);
  ck_assert_str_ne (a, b);
  ck_assert_int_eq (strncmp (a, dir, strlen (dir)), 0);
  ck_assert_int_eq (strncmp (a + strlen (dir), "/run.", 5), 0);
  ck_assert_uint_eq (strlen (a), strlen (dir) + 5 + 6);
  struct stat st;
  ck_assert_int_eq (fstat (fa, &st), 0);
  ck_assert_uint_eq (st.st_mode & 0777, 0600);
  ck_assert_int_eq (st.st_size, 0);
  /* Open for reading and writing.  */
  ck_assert_int_eq (write (fa, "xy", 2), 2);
  char buf[2];
  ck_assert_int_eq (pread (fa, buf, 2, 0), 2);
  ck_assert_int_eq (bp_tempfile_remove (a), 0);
  ck_assert (!exists (a));
  ck_assert (exists (b));
  /* Forgotten: kept at exit.  */
  bp_tempfile_forget (b);
  close (fa);
  close (fb);
  free (a);
  free (b);
  ck_assert_int_eq (count_and_clean (), 1);
}
END_TEST

START_TEST (test_errors)
{
  char *p = (char *) "x";
  errno = 0;
  ck_assert_int_eq (bp_tempfile_create ("/nonexistent/dir", "a.", &p), -1);
  ck_assert_int_eq (errno, ENOENT);
  ck_assert_ptr_null (p);
  /* A directory without a slash at the end, or with one.  */
  char d[64];
  snprintf (d, sizeof d, "%s/", dir);
  int fd = bp_tempfile_create (d, "", &p);
  ck_assert_int_ge (fd, 0);
  ck_assert_ptr_null (strstr (p, "//"));
  close (fd);
  ck_assert_int_eq (bp_tempfile_remove (p), 0);
  free (p);
  ck_assert_int_eq (count_and_clean (), 0);
}
END_TEST

/* open, as tempfile.c calls it.  When COLLIDE is set, the first name
   it tries is taken by "another process" just before the open (which
   then fails with EEXIST), and the cleanup a signal would run is run at
   that moment: the other file must survive it.  */
int __real_open (const char *path, int flags, ...);
int __wrap_open (const char *path, int flags, ...);
static int collide, collided, victim;

int
__wrap_open (const char *path, int flags, ...)
{
  va_list ap;
  unsigned mode = 0;
  va_start (ap, flags);
  if (flags & O_CREAT)
    mode = va_arg (ap, unsigned);
  va_end (ap);
  if (collide && (flags & O_EXCL))
    {
      collide = 0;
      collided = 1;
      int other = __real_open (path, O_WRONLY | O_CREAT | O_EXCL, 0644);
      if (other < 0)
        _exit (95);
      close (other);
      bp_tempfile_epipe ();   /* what the handler does: remove them all */
      victim = !exists (path);
    }
  return __real_open (path, flags, mode);
}

/* Where large-file support makes open open64 (32-bit systems).  */
int __wrap_open64 (const char *path, int flags, ...);
int
__wrap_open64 (const char *path, int flags, ...)
{
  va_list ap;
  unsigned mode = 0;
  va_start (ap, flags);
  if (flags & O_CREAT)
    mode = va_arg (ap, unsigned);
  va_end (ap);
  return __wrap_open (path, flags, mode);
}

/* The collision of __wrap_open in D: exits 0 if the other process's file
   survived and a file of another name was made instead.  */
static int
collision_main (const char *d)
{
  static char *p;
  signal (SIGPIPE, SIG_IGN);   /* bp_tempfile_epipe then only removes */
  collide = 1;
  int fd = bp_tempfile_create (d, "run.", &p);
  if (fd < 0 || !collided)
    return 94;
  if (victim)
    return 1;
  /* Ours is registered: the cleanup removes it.  */
  close (fd);
  bp_tempfile_epipe ();
  return exists (p) ? 2 : 0;
}

/* The child's side: make three files in D and end in the way WAY says.
   It runs in a program of its own (the test binary again), so that it
   starts with the registry empty and SIGPIPE as the parent left it, even
   when the tests run in one process (CK_FORK=no).  */
static int
child_main (int way, const char *d)
{
  /* Static, so that the names are still reachable at exit (they are the
     registry's until then), not leaks.  */
  static char *p[3];
  int fds[2];
  if (way == 3)
    return collision_main (d);
  for (int i = 0; i < 3; i++)
    if (bp_tempfile_create (d, "run.", &p[i]) < 0)
      return 99;
  switch (way)
    {
    case 0:
      exit (1);
    case 1:
      raise (SIGTERM);
      break;
    case 2:
      /* A closed pipe: SIGPIPE is ignored, the write fails.  */
      if (pipe (fds) != 0)
        return 99;
      close (fds[0]);
      if (write (fds[1], "x", 1) < 0 && errno == EPIPE)
        bp_tempfile_epipe ();
      _exit (98);
    }
  _exit (97);
}

static const char *self;

/* Run the child's side in a new process; return its wait status.  */
static int
child (int way)
{
  pid_t pid = fork ();
  ck_assert_int_ge (pid, 0);
  if (pid == 0)
    {
      char w[2] = { (char) ('0' + way), 0 };
      execl (self, self, "--child", w, dir, (char *) NULL);
      _exit (96);
    }
  int st;
  ck_assert_int_eq (waitpid (pid, &st, 0), pid);
  return st;
}

/* The child's side WAY must exit with STATUS and leave LEFT files.  */
static void
check_exit (int way, int status, int left)
{
  int st = child (way);
  ck_assert (WIFEXITED (st));
  ck_assert_int_eq (WEXITSTATUS (st), status);
  ck_assert_int_eq (count_and_clean (), left);
}

START_TEST (test_exit)
{
  check_exit (0, 1, 0);
}
END_TEST

START_TEST (test_signal)
{
  int st = child (1);
  ck_assert (WIFSIGNALED (st));
  ck_assert_int_eq (WTERMSIG (st), SIGTERM);
  ck_assert_int_eq (count_and_clean (), 0);
}
END_TEST

START_TEST (test_epipe)
{
  /* SIGPIPE at its default when the child starts.  */
  signal (SIGPIPE, SIG_DFL);
  int st = child (2);
  ck_assert (WIFSIGNALED (st));
  ck_assert_int_eq (WTERMSIG (st), SIGPIPE);
  ck_assert_int_eq (count_and_clean (), 0);

  /* Ignored at startup: the caller goes on (and exits 1).  */
  ck_assert_ptr_nonnull (mkdtemp (strcpy (dir, "/tmp/check_tempfile.XXXXXX")));
  signal (SIGPIPE, SIG_IGN);
  check_exit (2, 98, 0);
  signal (SIGPIPE, SIG_DFL);
}
END_TEST

/* A name that exists is another process's file: never registered, so
   that a signal at that moment cannot remove it (it was published before
   the open, and the cleanup of a signal then removed the other file).  */
START_TEST (test_collision)
{
  /* The other file alone is left: ours was removed.  */
  check_exit (3, 0, 1);
}
END_TEST

static Suite *
tempfile_suite (void)
{
  Suite *s = suite_create ("tempfile");
  TCase *tc = tcase_create ("files");
  tcase_add_checked_fixture (tc, setup, NULL);
  tcase_add_test (tc, test_create_remove);
  tcase_add_test (tc, test_errors);
  suite_add_tcase (s, tc);
  tc = tcase_create ("cleanup");
  tcase_add_checked_fixture (tc, setup, NULL);
  tcase_add_test (tc, test_exit);
  tcase_add_test (tc, test_signal);
  tcase_add_test (tc, test_epipe);
  tcase_add_test (tc, test_collision);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  if (argc == 4 && strcmp (argv[1], "--child") == 0)
    return child_main (argv[2][0] - '0', argv[3]);
  self = argv[0];
  SRunner *sr = srunner_create (tempfile_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
