/* Atomic output files for -o FILE, after GNU sed -i: write a temporary
   file in FILE's directory, and rename it over FILE only when everything
   was written and closed without error.  A failed run, or one ended by
   SIGINT, SIGTERM or SIGHUP, leaves FILE as it was and no temporary file
   behind.  FILE may also be one of the inputs.  A FILE that exists and is
   not a regular file or a directory (a device such as /dev/null, a FIFO)
   is written in place instead: renaming over it would replace it.

   Ownership: struct bp_outfile is the caller's; the stream it opens is
   closed by bp_outfile_commit or bp_outfile_abort.  */
#ifndef BP_OUTFILE_H
#define BP_OUTFILE_H

#include <stdio.h>

struct bp_error;

struct bp_outfile
{
  FILE *f;           /* where to write */
  char *path;        /* the target, or NULL for standard output */
  char *tmp;         /* the temporary file while it exists (tempfile.h) */
};

/* Open the output PATH, or standard output if PATH is NULL or "-".
   Returns 0, or BP_EIO with errno in ERR (the directory is not writable),
   or BP_ENOMEM.  The temporary file is registered with tempfile.h, which
   removes it if a signal ends the program.  */
int bp_outfile_open (struct bp_outfile *o, const char *path,
                     struct bp_error *err);

/* Finish the output: flush and close the temporary file, give it the
   permissions a new file would get, and rename it over the target.  For
   standard output only flush it.  Returns 0 or BP_EIO (errno in ERR); the
   temporary file is removed on failure.  */
int bp_outfile_commit (struct bp_outfile *o, struct bp_error *err);

/* Give up: close and remove the temporary file.  Safe to call twice and
   after a failed commit.  */
void bp_outfile_abort (struct bp_outfile *o);

#endif /* BP_OUTFILE_H */
