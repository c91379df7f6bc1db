/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: n-gram models (ngrammodel.h, ngramseg.h, DESIGN.md
   sections 1.3-1.4).  The input is a count file, a line "%%", then a
   text; its first byte picks the min count and ensure_unicode.  Counts
   of kind=ngrams are pruned into a model, which must then read back; a kind=ngram-model file is
   read as it is.  The model cuts the text into pieces.  Oracles: a
   pruned model always reads; the pieces cover the text in order; a
   refused file has a one-line message.  */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "counts.h"
#include "error.h"
#include "fuzz.h"
#include "ngrammodel.h"
#include "ngramseg.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  uint64_t min_count = data[0] & 7;
  int ensure_unicode = (data[0] & 8) != 0;
  const char *text = (const char *) data + 1;
  size_t n = size - 1, mlen = n;
  const uint8_t *chunk = NULL;
  size_t clen = 0;
  for (size_t i = 0; i + 3 <= n; i++)
    if (memcmp (text + i, "%%\n", 3) == 0 && (i == 0 || text[i - 1] == '\n'))
      {
        mlen = i;
        chunk = (const uint8_t *) text + i + 3;
        clen = n - i - 3;
        break;
      }

  struct bp_error err = { 0 };
  struct bp_ngram_model *m = NULL;
  FILE *f = fuzz_stream (0, text, mlen);
  struct bp_counts_reader *r = NULL;
  int rc = bp_counts_reader_open (f, &r, &err);
  if (rc == 0 && bp_counts_reader_header (r)->kind == BP_COUNTS_NGRAMS)
    {
      char *model = NULL;
      size_t len = 0;
      FILE *o = open_memstream (&model, &len);
      FUZZ_CHECK (o != NULL);
      rc = bp_ngram_model_build (r, min_count, o, &err);
      FUZZ_CHECK (fclose (o) == 0);
      if (rc == 0)
        {
          FILE *mf = fuzz_stream (1, model, len);
          FUZZ_CHECK (bp_ngram_model_read (mf, &m, &err) == 0);
          fclose (mf);
        }
      else
        {
          FUZZ_CHECK (rc == BP_EFORMAT || rc == BP_ERANGE);
          FUZZ_CHECK (err.where == BP_AT_INPUT);
          fuzz_check_message (&err);
        }
      free (model);
    }
  else
    {
      if (rc == 0)
        {
          FUZZ_CHECK (fseek (f, 0, SEEK_SET) == 0);
          rc = bp_ngram_model_read (f, &m, &err);
        }
      if (rc)
        {
          FUZZ_CHECK (rc == BP_EFORMAT);
          fuzz_check_message (&err);
        }
    }
  bp_counts_reader_free (r);
  fclose (f);
  if (!m)
    return 0;

  struct bp_ngram_seg *s = bp_ngram_seg_new (m, ensure_unicode);
  FUZZ_CHECK (s != NULL);
  const size_t *ends;
  size_t nends;
  FUZZ_CHECK (bp_ngram_segment (s, chunk, clen, &ends, &nends) == 0);
  FUZZ_CHECK ((nends == 0) == (clen == 0));
  for (size_t i = 0; i < nends; i++)
    FUZZ_CHECK (ends[i] > (i ? ends[i - 1] : 0) && ends[i] <= clen);
  FUZZ_CHECK (nends == 0 || ends[nends - 1] == clen);
  bp_ngram_seg_free (s);
  bp_ngram_model_free (m);
  return 0;
}
