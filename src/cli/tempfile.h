/* SPDX-License-Identifier: Apache-2.0 */
/* Temporary files that never outlive the program: the -o FILE being
   written (outfile.h) and the sorted runs a memory budget spills
   (spill.h).  Each file is registered from the moment it is created
   (never before: the name could be another process's) until it is
   removed or renamed, and whatever is registered is removed when the
   program exits or is ended by SIGINT, SIGTERM or SIGHUP; the handler
   only unlinks and re-raises the signal.

   SIGPIPE, after sort(1) (STYLE.md): once a temporary file exists,
   SIGPIPE is ignored, so that a closed pipe on standard output becomes a
   write error (EPIPE) instead of ending the program with its files left
   behind.  bp_tempfile_epipe then removes them and re-raises SIGPIPE,
   unless SIGPIPE was already ignored when the program started: then the
   caller exits with status 1, silently.

   Thread-safe: files may be created and removed by several threads.  The
   signal handlers are installed by the first bp_tempfile_create.

   This module serves the programs: it installs signal handlers and an
   atexit function, and bp_tempfile_epipe may end the program.
   Ownership: the paths returned are the caller's, freed with free after
   bp_tempfile_remove or bp_tempfile_forget.  */
#ifndef BP_TEMPFILE_H
#define BP_TEMPFILE_H

/* The directory for temporary files when none is given: $TMPDIR if set
   and not empty, else /tmp.  The string is borrowed.  */
const char *bp_tempfile_dir (void);

/* Create a new empty file named DIR/PREFIX followed by six random
   letters and digits, mode 0600, registered for removal.  Returns a file
   descriptor open for reading and writing, with the name in *PATH; or -1
   with errno set (ENOMEM, EMFILE when too many files are registered, or
   what open says).  */
int bp_tempfile_create (const char *dir, const char *prefix, char **path);

/* Remove the file PATH (as bp_tempfile_create returned it) and withdraw
   it from the registry.  Returns 0, or -1 with errno from unlink.  */
int bp_tempfile_remove (const char *path);

/* Withdraw PATH from the registry without removing the file (it was
   renamed, or is kept on purpose).  */
void bp_tempfile_forget (const char *path);

/* A write failed with EPIPE: remove every registered file and, if
   SIGPIPE was not ignored at startup, end the program by SIGPIPE.
   Returns if it was ignored, or if no temporary file was ever made (then
   SIGPIPE was never touched, and the caller exits quietly as before).  */
void bp_tempfile_epipe (void);

#endif /* BP_TEMPFILE_H */
