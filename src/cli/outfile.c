/* SPDX-License-Identifier: Apache-2.0 */
/* Atomic output files; see outfile.h.  */
#include <config.h>
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "tempfile.h"

/* How many links follow may follow, as the kernel's limit for a path
   (MAXSYMLINKS): more is a loop.  */
enum { MAX_LINKS = 40 };

/* The length of PATH's directory part, its last slash included (0 for a
   name in the current directory).  */
static size_t
dir_len (const char *path)
{
  const char *slash = strrchr (path, '/');
  return slash ? (size_t) (slash - path) + 1 : 0;
}

/* The target of the symbolic link PATH, whose lstat gave SIZE, into
   *LINK (malloc'd).  Returns 0 or an errno.  */
static int
read_link (const char *path, off_t size, char **link)
{
  size_t cap = size > 0 ? (size_t) size + 1 : 256;
  for (;;)
    {
      char *buf = malloc (cap);
      if (!buf)
        return ENOMEM;
      ssize_t n = readlink (path, buf, cap);
      if (n < 0)
        {
          int e = errno;
          free (buf);
          return e;
        }
      if ((size_t) n < cap)
        {
          buf[n] = '\0';
          *link = buf;
          return 0;
        }
      /* The link changed since lstat: larger.  */
      free (buf);
      cap *= 2;
    }
}

/* PATH with the symbolic links of its last component followed, as open
   would follow them, into *TARGET (malloc'd): writing through a link
   replaces its target, and the link stays (sed -i --follow-symlinks).
   A link whose target does not exist gives that target, to be created.
   Returns 0 or an errno.  */
static int
follow (const char *path, char **target)
{
  char *cur = strdup (path);
  if (!cur)
    return ENOMEM;
  for (int hops = 0;; hops++)
    {
      struct stat st;
      /* Any error here is for stat and the open to report.  */
      if (lstat (cur, &st) != 0 || !S_ISLNK (st.st_mode))
        break;
      char *link = NULL;
      int e = hops == MAX_LINKS ? ELOOP : read_link (cur, st.st_size, &link);
      if (e)
        {
          free (cur);
          return e;
        }
      if (link[0] != '/')
        {
          /* Relative to the directory of the link.  */
          size_t dl = dir_len (cur), ll = strlen (link);
          char *next = malloc (dl + ll + 1);
          if (!next)
            {
              free (link);
              free (cur);
              return ENOMEM;
            }
          memcpy (next, cur, dl);
          memcpy (next + dl, link, ll + 1);
          free (link);
          link = next;
        }
      free (cur);
      cur = link;
    }
  *target = cur;
  return 0;
}

/* Follow PATH's links into *TARGET (malloc'd) and stat what they lead
   to into *ST, whose st_mode is 0 if it does not exist.  Returns 0, or
   an errno (EISDIR for a directory; then *TARGET is NULL).  */
static int
examine (const char *path, char **target, struct stat *st)
{
  int e = follow (path, target);
  if (e)
    {
      *target = NULL;
      return e;
    }
  if (stat (*target, st) != 0)
    {
      e = errno;
      st->st_mode = 0;
      if (e == ENOENT)
        return 0;
    }
  else if (S_ISDIR (st->st_mode))
    e = EISDIR;
  else
    return 0;
  free (*target);
  *target = NULL;
  return e;
}

int
bp_outfile_check (const char *path, struct bp_error *err)
{
  if (!path || strcmp (path, "-") == 0)
    return 0;
  char *target;
  struct stat st;
  int e = examine (path, &target, &st);
  if (!e && (!st.st_mode || S_ISREG (st.st_mode)))
    {
      /* Where the temporary file will be made.  */
      size_t dl = dir_len (target);
      char *dir = dl ? strndup (target, dl) : strdup (".");
      if (!dir)
        e = ENOMEM;
      else if (faccessat (AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) != 0)
        e = errno;
      free (dir);
    }
  free (target);
  return e ? bp_error_errno (err, e) : 0;
}

/* The prefix of the temporary file for the target BASE in DIR:
   ".BASE.", BASE cut (at the start of a UTF-8 character) so that the
   name with its six random characters fits the directory's limit on
   names: a FILE of 255 bytes must not fail for its temporary name.  */
static char *
temp_prefix (const char *dir, const char *base)
{
  long name_max = pathconf (*dir ? dir : ".", _PC_NAME_MAX);
  if (name_max <= 0)
    name_max = NAME_MAX;
  size_t room = name_max > 8 ? (size_t) name_max - 8 : 0;
  size_t bl = strlen (base);
  if (bl > room)
    {
      bl = room;
      while (bl > 0 && ((unsigned char) base[bl] & 0xC0) == 0x80)
        bl--;
    }
  char *prefix = malloc (bl + 3);
  if (prefix)
    {
      prefix[0] = '.';
      memcpy (prefix + 1, base, bl);
      memcpy (prefix + 1 + bl, ".", 2);
    }
  return prefix;
}

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

  struct stat st;
  int e = examine (path, &o->target, &st);
  o->path = strdup (path);
  if (!e && !o->path)
    e = ENOMEM;
  if (e)
    goto fail;

  /* A device or a FIFO (-o /dev/null) cannot be replaced atomically, and
     renaming a temporary file over it would destroy it (as root, /dev/null
     would become a regular file): write to it in place.  */
  if (st.st_mode && !S_ISREG (st.st_mode))
    {
      o->f = fopen (o->target, "w");
      if (!o->f)
        {
          e = errno;
          goto fail;
        }
      return 0;
    }
  if (st.st_mode)
    {
      o->existed = 1;
      o->mode = st.st_mode & 07777;
      o->uid = st.st_uid;
      o->gid = st.st_gid;
    }

  /* DIR/.BASE.XXXXXX beside the target: rename is atomic only within one
     file system.  */
  size_t dl = dir_len (o->target);
  char *dir = strndup (o->target, dl);
  char *prefix = dir ? temp_prefix (dir, o->target + dl) : NULL;
  int fd = -1;
  if (!prefix)
    e = ENOMEM;
  else if ((fd = bp_tempfile_create (dir, prefix, &o->tmp)) < 0)
    e = errno;
  free (dir);
  free (prefix);
  if (fd < 0)
    goto fail;
  o->f = fdopen (fd, "w");
  if (!o->f)
    {
      e = errno;
      close (fd);
      goto fail;
    }
  return 0;

fail:
  bp_outfile_abort (o);
  return bp_error_errno (err, e);
}

int
bp_outfile_open_spooled (struct bp_outfile *o, const char *path,
                         const char *tmpdir, struct bp_error *err)
{
  if (path && strcmp (path, "-") != 0)
    return bp_outfile_open (o, path, err);
  memset (o, 0, sizeof *o);
  int fd = bp_tempfile_create (tmpdir, "bp-spool.", &o->spool);
  if (fd < 0)
    return bp_error_errno (err, errno);
  /* Removed now, open still: a signal or a crash leaves nothing.  */
  bp_tempfile_remove (o->spool);
  o->f = fdopen (fd, "w+");
  if (!o->f)
    {
      int e = errno;
      close (fd);
      bp_outfile_abort (o);
      return bp_error_errno (err, e);
    }
  return 0;
}

/* Copy the spool O->f, written, to standard output.  Returns 0 or -1
   with errno set.  */
static int
copy_spool (struct bp_outfile *o)
{
  char buf[1 << 16];
  size_t n;
  if (fflush (o->f) != 0 || ferror (o->f) || fseeko (o->f, 0, SEEK_SET))
    return -1;
  while ((n = fread (buf, 1, sizeof buf, o->f)) > 0)
    if (fwrite (buf, 1, n, stdout) != n)
      return -1;
  return ferror (o->f) ? -1 : 0;
}

/* Give the temporary file FD the owner, group and permissions of the file
   it replaces (as far as we may), or the permissions a new file would
   have: 0666 less the umask.  Returns 0 or -1 with errno set.  */
static int
set_permissions (const struct bp_outfile *o, int fd)
{
  if (!o->existed)
    {
      mode_t mask = umask (0);
      umask (mask);
      return fchmod (fd, 0666 & ~mask);
    }
  mode_t mode = o->mode;
  struct stat st;
  if (fstat (fd, &st) != 0)
    return -1;
  /* Owner and group first: changing them may clear the set-user-ID and
     set-group-ID bits, which fchmod then sets.  A user may not give a
     file away (EPERM, or EINVAL for an id unknown here), but may keep
     its group if a member of it; then the file is ours, and the
     set-ID bits, which would now be ours, are dropped (as cp -p).  */
  if ((st.st_uid != o->uid || st.st_gid != o->gid)
      && fchown (fd, o->uid, o->gid) != 0)
    {
      if (errno != EPERM && errno != EINVAL)
        return -1;
      if (st.st_gid != o->gid && fchown (fd, (uid_t) -1, o->gid) != 0
          && errno != EPERM && errno != EINVAL)
        return -1;
      mode &= ~(mode_t) (S_ISUID | S_ISGID);
    }
  return fchmod (fd, mode);
}

/* The part of a commit that may fail for want of room or a device: all
   but the rename.  Returns 0, or BP_EIO (errno in ERR) after giving up
   the output.  */
static int
close_output (struct bp_outfile *o, struct bp_error *err)
{
  int e;

  if (o->spool)
    {
      errno = 0;
      if (copy_spool (o) != 0)
        goto fail;
      fclose (o->f);
      o->f = stdout;
      free (o->spool);
      o->spool = NULL;
    }
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
      e = errno ? errno : EIO;
      bp_outfile_abort (o);
      return failed ? bp_error_errno (err, e) : 0;
    }

  errno = 0;
  if (ferror (o->f) || fflush (o->f) != 0)
    goto fail;
  if (set_permissions (o, fileno (o->f)) != 0)
    goto fail;
  if (fclose (o->f) != 0)
    {
      o->f = NULL;
      goto fail;
    }
  o->f = NULL;
  return 0;

fail:
  e = errno ? errno : EIO;
  bp_outfile_abort (o);
  return bp_error_errno (err, e);
}

/* The rest: put the closed temporary file in place.  */
static int
rename_output (struct bp_outfile *o, struct bp_error *err)
{
  if (!o->tmp)
    return 0;
  if (rename (o->tmp, o->target) != 0)
    {
      int e = errno;
      bp_outfile_abort (o);
      return bp_error_errno (err, e);
    }
  bp_tempfile_forget (o->tmp);
  free (o->tmp);
  o->tmp = NULL;
  bp_outfile_abort (o);
  return 0;
}

int
bp_outfile_commit (struct bp_outfile *o, struct bp_error *err)
{
  int rc = close_output (o, err);
  return rc ? rc : rename_output (o, err);
}

int
bp_outfile_commit_all (struct bp_outfile *const *o, size_t n, size_t *which,
                       struct bp_error *err)
{
  size_t i;
  int rc = 0;
  for (i = 0; i < n && !rc; i++)
    rc = close_output (o[i], err);
  for (size_t k = 0; k < n && !rc; k++)
    if ((rc = rename_output (o[k], err)))
      i = k + 1;
  if (rc)
    {
      *which = i - 1;
      for (size_t k = 0; k < n; k++)
        bp_outfile_abort (o[k]);
    }
  return rc;
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
  free (o->target);
  free (o->spool);
  o->path = o->target = o->spool = NULL;
}
