/* SPDX-License-Identifier: Apache-2.0 */
/* Summing a sorted stream of count records; see countreduce.h.  */
#include <config.h>
#include "countreduce.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "counts.h"
#include "error.h"
#include "spill.h"
#include "system.h"

static const char magic[] = "#bytepiece-counts";

struct bp_countreduce
{
  struct bp_tempfiles tf;
  char *path;               /* the temporary file of the sums, or NULL */
  FILE *tmp;
  struct bp_counts_writer w;
  size_t inputs;            /* bp_countreduce_read calls so far */
  char *line;
  size_t line_cap;
  /* The headers read: the first, the totals added up.  */
  struct bp_counts_header h;
  int have_header;
  uint64_t header_line;
  size_t header_input;
  /* The key being summed (escaped), its sum; and scratch.  */
  struct bp_buf cur, key, esc;
  uint64_t count;
  int have_cur;
  /* The longest key, to check against the order at the end (a header
     may come after it).  */
  size_t maxlen;
  uint64_t maxlen_line;
  size_t maxlen_input;
};

struct bp_countreduce *
bp_countreduce_new (const struct bp_tempfiles *t)
{
  struct bp_countreduce *r = calloc (1, sizeof *r);
  if (r)
    r->tf = *t;
  return r;
}

void
bp_countreduce_free (struct bp_countreduce *r)
{
  if (!r)
    return;
  if (r->tmp)
    fclose (r->tmp);
  if (r->path)
    {
      r->tf.remove (r->path);
      free (r->path);
    }
  bp_counts_writer_free (&r->w);
  free (r->line);
  bp_buf_free (&r->cur);
  bp_buf_free (&r->key);
  bp_buf_free (&r->esc);
  free (r);
}

/* A failure about the temporary file (or its directory, before it is
   made), with ERRNUM.  */
static int
temp_error (struct bp_countreduce *r, struct bp_error *err, int errnum)
{
  int rc = bp_error_errno (err, errnum ? errnum : EIO);
  if (rc == BP_EIO)
    bp_error_at_temp (err, r->path ? r->path : r->tf.dir);
  return rc;
}

/* Make the temporary file of the sums.  */
static int
open_temp (struct bp_countreduce *r, struct bp_error *err)
{
  int fd = r->tf.create (r->tf.dir, "bytepiece.", &r->path);
  if (fd < 0)
    return temp_error (r, err, errno);
  r->tmp = fdopen (fd, "w+");
  if (!r->tmp)
    {
      int e = errno;
      close (fd);
      return temp_error (r, err, e);
    }
  r->w.f = r->tmp;
  return 0;
}

/* Write the sum of the key being summed.  */
static int
put_current (struct bp_countreduce *r, struct bp_error *err)
{
  if (!r->have_cur)
    return 0;
  if (!r->tmp)
    {
      int rc = open_temp (r, err);
      if (rc)
        return rc;
    }
  int rc = bp_counts_writer_put_escaped (&r->w, (const char *) r->cur.data,
                                         r->cur.len, r->count, err);
  if (rc == BP_EIO)
    bp_error_at_temp (err, r->path);
  return rc;
}

/* Is LINE (LEN bytes, no LF) a header line: the magic, and no TAB but
   maybe one at the very end (Hadoop Streaming's form of a line without
   a TAB: the line is the key, and its value is empty)?  A record has a
   TAB before its count, so never passes.  */
static int
is_header (const char *line, size_t *len)
{
  size_t n = *len, m = sizeof magic - 1;
  if (n < m || memcmp (line, magic, m) != 0)
    return 0;
  if (line[n - 1] == '\t')
    n--;
  if (memchr (line, '\t', n))
    return 0;
  *len = n;
  return 1;
}

/* Take the header LINE (LEN bytes), line LN.  */
static int
take_header (struct bp_countreduce *r, const char *line, size_t len,
             uint64_t ln, struct bp_error *err)
{
  struct bp_counts_header h;
  int rc = bp_counts_header_parse (line, len, &h, err);
  if (rc)
    {
      err->line = ln;
      return rc;
    }
  if (h.kind == BP_COUNTS_NGRAM_MODEL)
    return bp_error_set (err, BP_EFORMAT, ln, "%s",
                         _("an n-gram model (kind=ngram-model) cannot be "
                           "merged"));
  if (!r->have_header)
    {
      r->h = h;
      r->have_header = 1;
      r->header_line = ln;
      r->header_input = r->inputs;
      return 0;
    }
  char a[64], b[64];
  if (bp_counts_header_differ (&h, &r->h, a, b, sizeof a))
    return bp_error_set (err, BP_EFORMAT, ln,
                         _("header: %s disagrees with %s of the first "
                           "header (line %llu)"),
                         a, b, (unsigned long long) r->header_line);
  if (ckd_add (&r->h.total, r->h.total, h.total))
    return bp_error_set (err, BP_ERANGE, ln, "%s",
                         _("the total overflows 64 bits"));
  return 0;
}

/* Take the record LINE (LEN bytes), line LN.  */
static int
take_record (struct bp_countreduce *r, const char *line, size_t len,
             uint64_t ln, struct bp_error *err)
{
  struct bp_counts_record rec;
  int rc = bp_counts_parse_record (line, len, ln, &r->key, &r->esc, &rec,
                                   err);
  if (rc)
    return rc;
  if (rec.len > r->maxlen)
    {
      r->maxlen = rec.len;
      r->maxlen_line = ln;
      r->maxlen_input = r->inputs;
    }
  if (r->have_cur)
    {
      int c = bp_counts_cmp (r->cur.data, r->cur.len, rec.esc, rec.esc_len);
      if (c > 0)
        return bp_error_set (err, BP_EFORMAT, ln, "%s",
                             _("key out of order (the records must be "
                               "sorted by key: LC_ALL=C sort)"));
      if (c == 0)
        {
          if (ckd_add (&r->count, r->count, rec.count))
            return bp_error_set (err, BP_ERANGE, ln, "%s",
                                 _("count overflows 64 bits"));
          return 0;
        }
      if ((rc = put_current (r, err)))
        return rc;
    }
  r->cur.len = 0;
  if (bp_buf_append (&r->cur, rec.esc, rec.esc_len))
    return bp_error_errno (err, ENOMEM);
  r->count = rec.count;
  r->have_cur = 1;
  return 0;
}

int
bp_countreduce_read (struct bp_countreduce *r, FILE *in,
                     struct bp_error *err)
{
  uint64_t ln = 0;
  int rc = 0;

  for (;;)
    {
      errno = 0;
      ssize_t n = getline (&r->line, &r->line_cap, in);
      if (n < 0)
        {
          if (ferror (in))
            rc = bp_error_errno (err, errno ? errno : EIO);
          break;
        }
      ln++;
      size_t len = (size_t) n;
      if (r->line[len - 1] != '\n')
        {
          rc = bp_error_set (err, BP_EFORMAT, ln,
                             _("line not terminated by a newline "
                               "(truncated file?)"));
          break;
        }
      len--;
      rc = is_header (r->line, &len)
           ? take_header (r, r->line, len, ln, err)
           : take_record (r, r->line, len, ln, err);
      if (rc)
        break;
    }
  if (rc && err->where == BP_AT_INPUT)
    bp_error_at_input (err, r->inputs);
  r->inputs++;
  return rc;
}

int
bp_countreduce_write (struct bp_countreduce *r, FILE *out,
                      struct bp_error *err)
{
  int rc;

  if (!r->have_header)
    {
      rc = bp_error_set (err, BP_EFORMAT, 0, "%s",
                         _("no header line in the input (the header "
                           "lines of the count files must stay in the "
                           "stream; they may be anywhere in it)"));
      return bp_error_at_input (err, r->inputs ? r->inputs - 1 : 0);
    }
  if (r->h.kind != BP_COUNTS_PIECES && r->maxlen > (size_t) r->h.order)
    {
      rc = bp_error_set (err, BP_EFORMAT, r->maxlen_line,
                         _("key of %zu bytes is longer than the order %d"),
                         r->maxlen, r->h.order);
      return bp_error_at_input (err, r->maxlen_input);
    }
  if ((rc = put_current (r, err)))
    return rc;
  r->have_cur = 0;
  if (r->tmp)
    {
      if ((rc = bp_counts_writer_flush (&r->w, err)))
        return bp_error_at_temp (err, r->path);
      if (fflush (r->tmp) || fseek (r->tmp, 0, SEEK_SET))
        return temp_error (r, err, errno);
    }
  if ((rc = bp_counts_header_write (out, &r->h, err)))
    return rc;
  if (r->tmp)
    {
      char buf[1 << 16];
      size_t n;
      while ((n = fread (buf, 1, sizeof buf, r->tmp)) > 0)
        if (fwrite (buf, 1, n, out) != n)
          {
            rc = bp_error_errno (err, errno);
            return bp_error_at_output (err);
          }
      if (ferror (r->tmp))
        return temp_error (r, err, errno);
    }
  if (fflush (out) || ferror (out))
    {
      rc = bp_error_errno (err, errno);
      return bp_error_at_output (err);
    }
  return 0;
}
