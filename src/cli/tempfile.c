/* SPDX-License-Identifier: Apache-2.0 */
/* Temporary files removed on exit and on signals; see tempfile.h.  */
#include <config.h>
#include "tempfile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The registry.  A slot holds a path from just after its file is
   created (bp_tempfile_create says why not before) until after it is
   removed or renamed.  The signal handler reads the
   slots without a lock (a lock is not async-signal-safe), so a path is
   complete before it is published (release store) and withdrawn before
   it changes or is freed.  The mutex only orders the threads that
   register.  Enough slots for the -o files of bp-prune's 64 sizes and
   the runs of a spill (spill.c keeps fewer than 100 at a time).  */
enum { MAX_TEMPS = 1024 };
static char *volatile temps[MAX_TEMPS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int installed;
static int sigpipe_was_ignored;

static void
unlink_all (void)
{
  for (int i = 0; i < MAX_TEMPS; i++)
    {
      char *p = __atomic_load_n (&temps[i], __ATOMIC_ACQUIRE);
      if (p)
        unlink (p);
    }
}

static void
cleanup_handler (int sig)
{
  unlink_all ();
  signal (sig, SIG_DFL);
  raise (sig);
}

/* An exit that did not commit (an error path that calls exit): remove
   what is left.  */
static void
cleanup_at_exit (void)
{
  unlink_all ();
  for (int i = 0; i < MAX_TEMPS; i++)
    __atomic_store_n (&temps[i], NULL, __ATOMIC_RELEASE);
}

/* Called with the lock held.  */
static void
install (void)
{
  static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
  struct sigaction sa, old;

  if (installed)
    return;
  installed = 1;
  atexit (cleanup_at_exit);
  for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
    {
      /* A signal ignored at startup (nohup) stays ignored.  */
      if (sigaction (sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
        continue;
      memset (&sa, 0, sizeof sa);
      sa.sa_handler = cleanup_handler;
      sigemptyset (&sa.sa_mask);
      sigaction (sigs[i], &sa, NULL);
    }
  /* A closed pipe must not end the program with its files left: make
     it a write error, which bp_tempfile_epipe handles.  */
  if (sigaction (SIGPIPE, NULL, &old) == 0)
    sigpipe_was_ignored = old.sa_handler == SIG_IGN;
  signal (SIGPIPE, SIG_IGN);
}

const char *
bp_tempfile_dir (void)
{
  const char *d = getenv ("TMPDIR");
  return d && *d ? d : "/tmp";
}

/* Six random letters and digits into P.  Uniqueness comes from O_EXCL;
   the randomness only makes collisions rare.  */
static void
fill_random (char *p)
{
  static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                              "abcdefghijklmnopqrstuvwxyz0123456789";
  static uint64_t counter;
  struct timespec ts;
  clock_gettime (CLOCK_REALTIME, &ts);
  uint64_t x = __atomic_add_fetch (&counter, 1, __ATOMIC_RELAXED);
  x = x * 0x9E3779B97F4A7C15u ^ (uint64_t) getpid () << 32
      ^ (uint64_t) ts.tv_nsec ^ (uint64_t) ts.tv_sec << 20;
  /* splitmix64's finaliser.  */
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9u;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBu;
  x ^= x >> 31;
  for (int i = 0; i < 6; i++)
    {
      p[i] = alnum[x % (sizeof alnum - 1)];
      x /= sizeof alnum - 1;
    }
}

static int
find_slot (const char *path)
{
  for (int i = 0; i < MAX_TEMPS; i++)
    if (temps[i] == path)
      return i;
  return -1;
}

int
bp_tempfile_create (const char *dir, const char *prefix, char **path)
{
  size_t dl = strlen (dir), pl = strlen (prefix);
  int slash = dl && dir[dl - 1] != '/';
  char *p = malloc (dl + slash + pl + 7);
  int fd = -1, e = 0;

  *path = NULL;
  if (!p)
    return -1;
  memcpy (p, dir, dl);
  if (slash)
    p[dl] = '/';
  memcpy (p + dl + slash, prefix, pl);
  char *rnd = p + dl + slash + pl;
  rnd[6] = '\0';

  /* Create the file, then publish its name.  A name is registered only
     once the O_EXCL open has made the file ours: published before, a
     name that turns out to exist (EEXIST: another process's file)
     would be the handler's to remove if a signal came before it was
     withdrawn.  The cost of this order is a moment in which our new
     file is not registered; the signals the handler catches are
     blocked in this thread over that moment, so that one sent to the
     process meanwhile is handled after the name is published (and
     removes the file).  Only a signal that another thread takes at
     that very moment can still leave the empty file behind, the lesser
     harm.  tests/check_tempfile.c checks the order.  The lock keeps
     the slot ours.  */
  sigset_t block, old;
  sigemptyset (&block);
  sigaddset (&block, SIGINT);
  sigaddset (&block, SIGTERM);
  sigaddset (&block, SIGHUP);
  pthread_sigmask (SIG_BLOCK, &block, &old);
  pthread_mutex_lock (&lock);
  install ();
  int slot = find_slot (NULL);
  if (slot < 0)
    e = EMFILE;
  for (int tries = 0; slot >= 0 && tries < 100; tries++)
    {
      fill_random (rnd);
      fd = open (p, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd >= 0)
        {
          __atomic_store_n (&temps[slot], p, __ATOMIC_RELEASE);
          break;
        }
      e = errno;
      if (e != EEXIST)
        break;
    }
  pthread_mutex_unlock (&lock);
  pthread_sigmask (SIG_SETMASK, &old, NULL);
  if (fd < 0)
    {
      free (p);
      errno = e;
      return -1;
    }
  *path = p;
  return fd;
}

void
bp_tempfile_forget (const char *path)
{
  pthread_mutex_lock (&lock);
  int slot = find_slot (path);
  if (slot >= 0)
    __atomic_store_n (&temps[slot], NULL, __ATOMIC_RELEASE);
  pthread_mutex_unlock (&lock);
}

int
bp_tempfile_remove (const char *path)
{
  /* Unlink first: withdrawn first, a signal in between would leave the
     file.  */
  int rc = unlink (path);
  int e = errno;
  bp_tempfile_forget (path);
  errno = e;
  return rc;
}

void
bp_tempfile_epipe (void)
{
  if (!installed)
    return;
  unlink_all ();
  if (!sigpipe_was_ignored)
    {
      signal (SIGPIPE, SIG_DFL);
      raise (SIGPIPE);
    }
}
