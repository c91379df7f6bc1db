/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: the k-way merge of count files (countmerge.h), as
   bp-count --merge and the spilled runs use it.  The input holds up to
   four count files separated by lines "%%".  Oracles: when the merge
   succeeds, its output is a count file the checking reader accepts, and
   its counts add up to those of the inputs (key by key: the merged
   count of each key is the sum of its counts); when it fails, the input
   it blames exists and the message is one line.  */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "countmerge.h"
#include "counts.h"
#include "error.h"
#include "fuzz.h"

enum { MAXIN = 4 };

/* The sum of the counts of the count file TEXT (LEN bytes), or of its
   records with key KEY if KEY is not NULL; 0 if it cannot be read.
   *OK is set to whether it reads to the end.  */
static uint64_t
sum_counts (int slot, const char *text, size_t len, const uint8_t *key,
            size_t klen, int *ok, size_t *nrec)
{
  struct bp_counts_reader *r;
  struct bp_error err;
  struct bp_counts_record rec;
  uint64_t sum = 0;
  int rc;

  *ok = 0;
  *nrec = 0;
  FILE *f = fuzz_stream (slot, text, len);
  if (bp_counts_reader_open (f, &r, &err) == 0)
    {
      while ((rc = bp_counts_reader_next (r, &rec, &err)) > 0)
        {
          (*nrec)++;
          if (!key || (rec.len == klen && memcmp (rec.key, key, klen) == 0))
            sum += rec.count;
        }
      *ok = rc == 0;
      bp_counts_reader_free (r);
    }
  fclose (f);
  return sum;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;
  const char *part[MAXIN];
  size_t plen[MAXIN], n = 0, start = 0;

  /* Split at the lines "%%".  */
  for (size_t i = 0; n < MAXIN - 1 && i + 3 <= size; i++)
    if (memcmp (text + i, "%%\n", 3) == 0 && (i == 0 || text[i - 1] == '\n'))
      {
        part[n] = text + start;
        plen[n++] = i - start;
        start = i + 3;
        i += 2;
      }
  part[n] = text + start;
  plen[n++] = size - start;

  FILE *in[MAXIN];
  const char *names[MAXIN] = { "a", "b", "c", "d" };
  for (size_t i = 0; i < n; i++)
    in[i] = fuzz_stream ((int) i, part[i], plen[i]);
  char *out = NULL;
  size_t olen = 0;
  FILE *o = open_memstream (&out, &olen);
  FUZZ_CHECK (o != NULL);
  struct bp_error err = { 0 };
  int rc = bp_countmerge_files (in, names, n, o, NULL, &err);
  FUZZ_CHECK (fclose (o) == 0);
  for (size_t i = 0; i < n; i++)
    fclose (in[i]);

  if (rc)
    {
      FUZZ_CHECK (rc == BP_EFORMAT || rc == BP_ERANGE);
      FUZZ_CHECK (err.where == BP_AT_INPUT && err.input < n);
      fuzz_check_message (&err);
      free (out);
      return 0;
    }

  /* The output reads, and adds up.  */
  int ok;
  size_t nrec;
  uint64_t total = sum_counts (4, out, olen, NULL, 0, &ok, &nrec);
  FUZZ_CHECK (ok);
  uint64_t want = 0;
  for (size_t i = 0; i < n; i++)
    {
      size_t k;
      want += sum_counts (5, part[i], plen[i], NULL, 0, &ok, &k);
      FUZZ_CHECK (ok);
    }
  FUZZ_CHECK (total == want);

  /* Key by key, for the first keys of the output.  */
  struct bp_counts_reader *r;
  FILE *f = fuzz_stream (4, out, olen);
  FUZZ_CHECK (bp_counts_reader_open (f, &r, &err) == 0);
  struct bp_counts_record rec;
  for (int k = 0; k < 8 && bp_counts_reader_next (r, &rec, &err) > 0; k++)
    {
      uint64_t sum = 0;
      for (size_t i = 0; i < n; i++)
        {
          size_t nr;
          sum += sum_counts (5, part[i], plen[i], rec.key, rec.len, &ok, &nr);
        }
      FUZZ_CHECK (sum == rec.count);
    }
  bp_counts_reader_free (r);
  fclose (f);
  free (out);
  return 0;
}
