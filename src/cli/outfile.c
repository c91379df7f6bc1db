/* Atomic output files; see outfile.h.  */
#include <config.h>
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "tempfile.h"

int
bp_outfile_open (struct bp_outfile *o, const char *path,
                 struct bp_error *err)
{
  memset (o, 0, sizeof *o);
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
      o->path = strdup (path);
      if (!o->path)
        return bp_error_errno (err, ENOMEM);
      o->f = fopen (path, "w");
      if (!o->f)
        {
          int e = errno;
          free (o->path);
          o->path = NULL;
          return bp_error_errno (err, e);
        }
      return 0;
    }

  /* DIR/.BASE.XXXXXX: rename is atomic only within one file system.  */
  const char *slash = strrchr (path, '/');
  size_t dirlen = slash ? (size_t) (slash - path) + 1 : 0;
  const char *base = path + dirlen;
  char *dir = strndup (path, dirlen);
  char *prefix = malloc (strlen (base) + 3);
  o->path = strdup (path);
  if (!dir || !prefix || !o->path)
    {
      free (dir);
      free (prefix);
      free (o->path);
      o->path = NULL;
      return bp_error_errno (err, ENOMEM);
    }
  sprintf (prefix, ".%s.", base);
  int fd = bp_tempfile_create (dir, prefix, &o->tmp);
  int e = errno;
  free (dir);
  free (prefix);
  if (fd < 0)
    {
      free (o->path);
      o->path = NULL;
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
      free (o->path);
      o->path = NULL;
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
  bp_tempfile_forget (o->tmp);
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
      bp_tempfile_remove (o->tmp);
      free (o->tmp);
      o->tmp = NULL;
    }
  free (o->path);
  o->path = NULL;
}
