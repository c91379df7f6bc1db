/* Atomic output files; see outfile.h.  */
#include <config.h>
#include "outfile.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

/* Temporary files to remove if a signal ends the program.  The handler
   only calls unlink and raise, which are async-signal-safe; the paths are
   published before the files are created and withdrawn before they are
   freed.  */
enum { MAX_TEMPS = 64 };
static char *volatile temps[MAX_TEMPS];
static int handlers_installed;

static void
cleanup_handler (int sig)
{
  for (int i = 0; i < MAX_TEMPS; i++)
    if (temps[i])
      unlink (temps[i]);
  signal (sig, SIG_DFL);
  raise (sig);
}

static void
install_handlers (void)
{
  static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
  if (handlers_installed)
    return;
  handlers_installed = 1;
  for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
    {
      struct sigaction sa, old;
      /* A signal ignored at startup (nohup) stays ignored.  */
      if (sigaction (sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
        continue;
      memset (&sa, 0, sizeof sa);
      sa.sa_handler = cleanup_handler;
      sigemptyset (&sa.sa_mask);
      sigaction (sigs[i], &sa, NULL);
    }
}

/* Remove the temporary file when the program exits without committing
   (an error path that calls exit).  */
static void
cleanup_at_exit (void)
{
  for (int i = 0; i < MAX_TEMPS; i++)
    if (temps[i])
      {
        unlink (temps[i]);
        temps[i] = NULL;
      }
}

static void
unregister (struct bp_outfile *o)
{
  if (o->slot >= 0)
    {
      temps[o->slot] = NULL;
      o->slot = -1;
    }
}

int
bp_outfile_open (struct bp_outfile *o, const char *path,
                 struct bp_error *err)
{
  static int atexit_done;

  memset (o, 0, sizeof *o);
  o->slot = -1;
  if (!path || strcmp (path, "-") == 0)
    {
      o->f = stdout;
      return 0;
    }

  /* A device or a FIFO (-o /dev/null) cannot be replaced atomically, and
     renaming a temporary file over it would destroy it (as root, /dev/null
     would become a regular file): write to it in place.  */
  struct stat st;
  if (stat (path, &st) == 0 && !S_ISREG (st.st_mode) && !S_ISDIR (st.st_mode))
    {
      o->f = fopen (path, "w");
      if (!o->f)
        return bp_error_errno (err, errno);
      return 0;
    }

  install_handlers ();
  if (!atexit_done)
    {
      atexit (cleanup_at_exit);
      atexit_done = 1;
    }

  /* DIR/.BASE.XXXXXX: rename is atomic only within one file system.  */
  const char *slash = strrchr (path, '/');
  size_t dirlen = slash ? (size_t) (slash - path) + 1 : 0;
  const char *base = path + dirlen;
  o->path = strdup (path);
  o->tmp = malloc (dirlen + strlen (base) + 10);
  if (!o->path || !o->tmp)
    {
      free (o->path);
      free (o->tmp);
      o->path = o->tmp = NULL;
      return bp_error_errno (err, ENOMEM);
    }
  memcpy (o->tmp, path, dirlen);
  sprintf (o->tmp + dirlen, ".%s.XXXXXX", base);

  int slot;
  for (slot = 0; slot < MAX_TEMPS && temps[slot]; slot++)
    continue;
  if (slot == MAX_TEMPS)
    {
      free (o->path);
      free (o->tmp);
      o->path = o->tmp = NULL;
      return bp_error_errno (err, EMFILE);
    }

  /* Block the signals while the name is published and the file made, so
     the handler never sees a half-made entry.  */
  sigset_t block, old;
  sigemptyset (&block);
  sigaddset (&block, SIGINT);
  sigaddset (&block, SIGTERM);
  sigaddset (&block, SIGHUP);
  sigprocmask (SIG_BLOCK, &block, &old);
  int fd = mkstemp (o->tmp);
  int e = errno;
  if (fd >= 0)
    {
      temps[slot] = o->tmp;
      o->slot = slot;
    }
  sigprocmask (SIG_SETMASK, &old, NULL);
  if (fd < 0)
    {
      free (o->path);
      free (o->tmp);
      o->path = o->tmp = NULL;
      return bp_error_errno (err, e);
    }
  o->f = fdopen (fd, "w");
  if (!o->f)
    {
      e = errno;
      close (fd);
      bp_outfile_abort (o);
      return bp_error_errno (err, e);
    }
  return 0;
}

int
bp_outfile_commit (struct bp_outfile *o, struct bp_error *err)
{
  int e;

  if (!o->tmp && o->f == stdout)
    {
      if (fflush (o->f) != 0 || ferror (o->f))
        return bp_error_errno (err, errno ? errno : EIO);
      return 0;
    }
  if (!o->tmp)
    {
      /* A device or a FIFO written in place.  */
      int failed = ferror (o->f);
      errno = 0;
      failed |= fclose (o->f) != 0;
      o->f = NULL;
      return failed ? bp_error_errno (err, errno ? errno : EIO) : 0;
    }

  /* The permissions a new file would have: 0666 less the umask.  */
  mode_t mask = umask (0);
  umask (mask);
  if (ferror (o->f) || fflush (o->f) != 0)
    goto fail;
  if (fchmod (fileno (o->f), 0666 & ~mask) != 0)
    goto fail;
  if (fclose (o->f) != 0)
    {
      o->f = NULL;
      goto fail;
    }
  o->f = NULL;
  if (rename (o->tmp, o->path) != 0)
    goto fail;
  unregister (o);
  free (o->tmp);
  free (o->path);
  o->tmp = o->path = NULL;
  return 0;

fail:
  e = errno ? errno : EIO;
  bp_outfile_abort (o);
  return bp_error_errno (err, e);
}

void
bp_outfile_abort (struct bp_outfile *o)
{
  if (o->f && o->f != stdout)
    fclose (o->f);
  o->f = NULL;
  if (o->tmp)
    {
      unlink (o->tmp);
      unregister (o);
      free (o->tmp);
      o->tmp = NULL;
    }
  free (o->path);
  o->path = NULL;
}
