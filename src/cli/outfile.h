/* SPDX-License-Identifier: Apache-2.0 */
/* Atomic output files for -o FILE, after GNU sed -i: write a temporary
   file in FILE's directory, and rename it over FILE only when everything
   was written and closed without error.  A failed run, or one ended by
   SIGINT, SIGTERM or SIGHUP, leaves FILE as it was and no temporary file
   behind.  FILE may also be one of the inputs.

   What is replaced keeps what it can of the file it replaces: an existing
   FILE's permissions, and its owner and group where the system lets us
   (as a user, a file of someone else's becomes ours).  A symbolic link
   is followed: its target is replaced (the temporary file is made beside
   the target), and the link stays.  A FILE with several hard links is
   replaced, not rewritten in place: the new file is FILE's alone, and
   the other names keep the old contents (bytepiece(7), "Output files").

   A FILE that exists and is not a regular file (a device such as
   /dev/null, a FIFO) is written in place instead: renaming over it would
   replace it.  A directory, or a FILE in a directory that does not exist
   or cannot be written, is refused when it is opened, before any work.

   Ownership: struct bp_outfile is the caller's; the stream it opens is
   closed by bp_outfile_commit or bp_outfile_abort.  */
#ifndef BP_OUTFILE_H
#define BP_OUTFILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct bp_error;

struct bp_outfile
{
  FILE *f;           /* where to write */
  char *path;        /* the name given, or NULL for standard output */
  char *target;      /* what is replaced: PATH with its links followed */
  char *tmp;         /* the temporary file while it exists (tempfile.h) */
  char *spool;       /* standard output spooled: the (removed) file's name */
  int existed;       /* the target was a regular file: keep these */
  mode_t mode;
  uid_t uid;
  gid_t gid;
};

/* Can PATH be an output (as bp_outfile_open would take it)?  Returns 0;
   or BP_EIO with errno in ERR: EISDIR for a directory, or why its
   directory cannot take a new file (ENOENT, ENOTDIR, EACCES, EROFS);
   or BP_ENOMEM.  For a caller that opens its outputs late (bp-prune's
   sizes) and must refuse a bad one at the start.  */
int bp_outfile_check (const char *path, struct bp_error *err);

/* Open the output PATH, or standard output if PATH is NULL or "-".
   Returns 0, or BP_EIO with errno in ERR (as bp_outfile_check, or what
   creating the temporary file said), or BP_ENOMEM.  The temporary file
   is registered with tempfile.h, which removes it if a signal ends the
   program.  */
int bp_outfile_open (struct bp_outfile *o, const char *path,
                     struct bp_error *err);

/* As bp_outfile_open, but standard output is spooled: what is written
   goes to a temporary file in TMPDIR (removed at once, so that nothing
   is ever left), and reaches standard output only when bp_outfile_commit
   copies it, after everything succeeded.  For output whose last input
   can still fail it (bp-count --merge): standard output then gets all
   of it or nothing, at the cost of the disk space of a copy.  */
int bp_outfile_open_spooled (struct bp_outfile *o, const char *path,
                             const char *tmpdir, struct bp_error *err);

/* Finish the output: flush and close the temporary file, give it the
   permissions (owner, group) of the file it replaces, or those a new
   file would get, and rename it over the target.  For standard output
   only flush it (copy the spool to it first).  Returns 0 or BP_EIO
   (errno in ERR); the temporary file is removed on failure.  */
int bp_outfile_commit (struct bp_outfile *o, struct bp_error *err);

/* Commit the N outputs O[0..N) together, as far as a file system
   allows: every one is written and closed before the first is renamed,
   so that a failure to write (a full disk) leaves every target as it
   was.  Only a failing rename, after the others, can leave some
   renamed.  Returns 0, or BP_EIO (errno in ERR) with the index of the
   output that failed in *WHICH, after giving up those not renamed.  */
int bp_outfile_commit_all (struct bp_outfile *const *o, size_t n,
                           size_t *which, struct bp_error *err);

/* Give up: close and remove the temporary file.  Safe to call twice and
   after a failed commit.  */
void bp_outfile_abort (struct bp_outfile *o);

#endif /* BP_OUTFILE_H */
