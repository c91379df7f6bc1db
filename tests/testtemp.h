/* SPDX-License-Identifier: Apache-2.0 */
/* Temporary files for the library (struct bp_tempfiles, spill.h),
   plainly: mkstemp and unlink, with no registry of the files to remove
   on signals.  For the unit tests (testcounts.h) and the fuzz targets,
   which use no check library.  Everything is static inline.  */
#ifndef BP_TESTTEMP_H
#define BP_TESTTEMP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spill.h"

static inline int
test_tempfile_create (const char *dir, const char *prefix, char **path)
{
  size_t n = strlen (dir) + strlen (prefix) + 8;
  *path = malloc (n);
  if (!*path)
    return -1;
  snprintf (*path, n, "%s/%sXXXXXX", dir, prefix);
  int fd = mkstemp (*path);
  if (fd < 0)
    {
      int e = errno;
      free (*path);
      *path = NULL;
      errno = e;
    }
  return fd;
}

static inline int
test_tempfile_remove (const char *path)
{
  return unlink (path);
}

/* The temporary files of a spill in DIR.  */
static inline struct bp_tempfiles
test_tempfiles (const char *dir)
{
  return (struct bp_tempfiles) { dir, test_tempfile_create,
                                 test_tempfile_remove };
}

#endif /* BP_TESTTEMP_H */
