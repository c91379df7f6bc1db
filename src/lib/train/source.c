/* SPDX-License-Identifier: Apache-2.0 */
/* What bp-prune reads; see source.h.  */
#include <config.h>
#include "source.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "header.h"
#include "unread.h"

/* Is LINE (LEN bytes, its LF included) "PIECE TAB COUNT LF": a field
   without TAB, one TAB, decimal digits?  */
static int
vocab_line (const char *line, size_t len)
{
  if (len && line[len - 1] == '\n')
    len--;
  const char *tab = memchr (line, '\t', len);
  if (!tab || tab == line || tab + 1 == line + len)
    return 0;
  for (const char *p = tab + 1; p < line + len; p++)
    if (*p < '0' || *p > '9')
      return 0;
  return 1;
}

/* The first byte of LINE that is not white space, or -1.  */
static int
first_nonblank (const char *line, size_t len)
{
  for (size_t i = 0; i < len; i++)
    if (line[i] != ' ' && line[i] != '\t' && line[i] != '\n'
        && line[i] != '\r')
      return (unsigned char) line[i];
  return -1;
}

int
bp_source_open (FILE *f, enum bp_source_kind *kind, FILE **g,
                struct bp_error *err)
{
  struct bp_buf seen = { 0 };
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  int rc = 0, first = 1;

  *kind = BP_SOURCE_COUNTS;
  off_t start = ftello (f);
  errno = 0;
  /* The first line, and any blank lines before the first byte of a JSON
     model.  */
  while ((len = getline (&line, &cap, f)) >= 0)
    {
      if (bp_buf_append (&seen, line, (size_t) len))
        {
          rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");
          goto done;
        }
      size_t n = (size_t) len - (len && line[len - 1] == '\n');
      if (first && bp_header_is (line, n, "#bytepiece-counts"))
        break;
      if (first && bp_header_is (line, n, "#bytepiece-model"))
        {
          *kind = BP_SOURCE_MODEL;
          break;
        }
      if (first && vocab_line (line, (size_t) len))
        {
          *kind = BP_SOURCE_VOCAB;
          break;
        }
      int c = first_nonblank (line, (size_t) len);
      if (c >= 0)
        {
          /* Else a vocabulary with a bad first line if it has a TAB
             (its reader says what is wrong), or a file with no header
             (the count file reader says so).  */
          *kind = c == '{' ? BP_SOURCE_MODEL
                  : first && memchr (line, '\t', (size_t) len)
                    ? BP_SOURCE_VOCAB : BP_SOURCE_COUNTS;
          break;
        }
      first = 0;
    }
  if (len < 0 && ferror (f))
    {
      rc = bp_error_errno (err, errno ? errno : EIO);
      goto done;
    }
  /* A file that can go back is read again from where it started;
  through the giving-back stream only a pipe, which costs a copy.  */
  if (start >= 0 && fseeko (f, start, SEEK_SET) == 0)
    *g = f;
  else if (!(*g = bp_unread_open (seen.data, seen.len, f)))
    rc = bp_error_set (err, BP_ENOMEM, 0, "%s", "");

done:
  bp_buf_free (&seen);
  free (line);
  return rc;
}
