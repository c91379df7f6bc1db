/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: the reducer of one sorted stream of count records
   (countreduce.h, bp-count --reduce).  The input is the stream, read as
   two inputs, cut after the first line "%%" if there is one.  Oracles:
   when the reducer succeeds, its output is a count file the checking
   reader accepts, whose counts add up to those of the stream's records
   and whose total is the sum of its headers' totals, and reducing the
   output gives it back unchanged; when it fails, the message is one
   line about an input that exists (and a line in it) or about the
   temporary file.  */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "countreduce.h"
#include "counts.h"
#include "error.h"
#include "fuzz.h"
#include "spill.h"
#include "../testtemp.h"

static const struct bp_tempfiles temps = { "/tmp", test_tempfile_create,
                                           test_tempfile_remove };

/* Reduce the N parts PART[i] (LEN[i] bytes) into *OUT (*OLEN bytes; the
   caller frees it).  Returns the reducer's code, ERR filled.  */
static int
reduce (const char *const *part, const size_t *len, size_t n, char **out,
        size_t *olen, struct bp_error *err)
{
  struct bp_countreduce *r = bp_countreduce_new (&temps);
  FUZZ_CHECK (r != NULL);
  FILE *o = open_memstream (out, olen);
  FUZZ_CHECK (o != NULL);
  int rc = 0;
  for (size_t i = 0; i < n && rc == 0; i++)
    {
      FILE *f = fuzz_stream ((int) i, part[i], len[i]);
      rc = bp_countreduce_read (r, f, err);
      fclose (f);
    }
  if (rc == 0)
    rc = bp_countreduce_write (r, o, err);
  FUZZ_CHECK (fclose (o) == 0);
  bp_countreduce_free (r);
  return rc;
}

/* The sum of the counts of the record lines of TEXT (LEN bytes, every
   line valid), and of the totals of its header lines.  Returns 0 if a
   sum passes 64 bits.  */
static int
sum_stream (const char *text, size_t len, uint64_t *counts, uint64_t *total)
{
  static const char magic[] = "#bytepiece-counts";
  const char *p = text, *end = text + len;
  *counts = *total = 0;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', (size_t) (end - p));
      size_t n = (size_t) ((nl ? nl : end) - p);
      const char *tab = memchr (p, '\t', n);
      int header = n >= sizeof magic - 1
                   && memcmp (p, magic, sizeof magic - 1) == 0
                   && (!tab || tab == p + n - 1);
      if (header)
        {
          struct bp_counts_header h;
          struct bp_error err;
          FUZZ_CHECK (bp_counts_header_parse (p, tab ? n - 1 : n, &h, &err)
                      == 0);
          if (__builtin_add_overflow (*total, h.total, total))
            return 0;
        }
      else
        {
          const char *last = p + n;
          while (last > p && last[-1] != '\t')
            last--;
          FUZZ_CHECK (last > p);
          uint64_t c = 0;
          for (const char *d = last; d < p + n; d++)
            c = c * 10 + (uint64_t) (*d - '0');
          if (__builtin_add_overflow (*counts, c, counts))
            return 0;
        }
      p += n + 1;
    }
  return 1;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;
  const char *part[2] = { text, text + size };
  size_t len[2] = { size, 0 };
  for (size_t i = 0; i + 3 <= size; i++)
    if (memcmp (text + i, "%%\n", 3) == 0 && (i == 0 || text[i - 1] == '\n'))
      {
        len[0] = i;
        part[1] = text + i + 3;
        len[1] = size - i - 3;
        break;
      }

  char *out = NULL;
  size_t olen = 0;
  struct bp_error err = { 0 };
  int rc = reduce (part, len, 2, &out, &olen, &err);
  if (rc)
    {
      FUZZ_CHECK (rc == BP_EFORMAT || rc == BP_ERANGE);
      FUZZ_CHECK (err.where == BP_AT_INPUT && err.input < 2);
      FUZZ_CHECK (err.line <= len[err.input] + 1);
      fuzz_check_message (&err);
      free (out);
      return 0;
    }

  /* The output reads, and adds up.  */
  FILE *f = fuzz_stream (2, out, olen);
  struct bp_counts_reader *r;
  struct bp_counts_record rec;
  FUZZ_CHECK (bp_counts_reader_open (f, &r, &err) == 0);
  uint64_t total = bp_counts_reader_header (r)->total, counts = 0;
  int ok = 1;
  while ((rc = bp_counts_reader_next (r, &rec, &err)) > 0)
    if (__builtin_add_overflow (counts, rec.count, &counts))
      ok = 0;
  FUZZ_CHECK (rc == 0);
  bp_counts_reader_free (r);
  fclose (f);
  uint64_t want_counts, want_total;
  int sums = sum_stream (part[0], len[0], &want_counts, &want_total);
  uint64_t c1, t1;
  sums = sums && sum_stream (part[1], len[1], &c1, &t1)
         && !__builtin_add_overflow (want_counts, c1, &want_counts)
         && !__builtin_add_overflow (want_total, t1, &want_total);
  if (ok && sums)
    {
      FUZZ_CHECK (counts == want_counts);
      FUZZ_CHECK (total == want_total);
    }

  /* The output is a sorted stream of its own: reduced, it stays.  */
  char *again = NULL;
  size_t alen = 0;
  const char *op[1] = { out };
  FUZZ_CHECK (reduce (op, &olen, 1, &again, &alen, &err) == 0);
  FUZZ_CHECK (alen == olen && memcmp (again, out, olen) == 0);
  free (again);
  free (out);
  return 0;
}
