/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: documents and chunks (chunk.h, DESIGN.md sections 1.0 and
   1.1), NFC included.  The first four bytes choose the mode (file,
   --lines, --jsonl), NFC or not, the training cuts, digits alone, and
   how small the reads, the fragments of long chunks and the stretches
   normalised a run at a time are, so that short input takes the paths
   of long input, and whether --jsonl skips lines that hold no document;
   the rest is the input.

   Oracles: the documents are those of the mode (the input, its lines,
   the member of each line, as bp_jsonl_extract finds it in the whole
   line: a blank or skipped line gives an empty document marked
   BP_SPAN_NO_DOC, and is counted if skipped); each document's spans put
   together are its text normalised as fuzz_nfc says; cut into chunks,
   they are the chunks a direct reading of BytePiece's regular
   expressions gives; the flags mark the ends of chunks and of
   documents; an error has a one-line message.  */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <unictype.h>

#include "buf.h"
#include "chunk.h"
#include "error.h"
#include "fuzz.h"
#include "jsonl.h"
#include "utf8.h"

/* The length of the character at T[I..N): a well-formed sequence or one
   byte that is not part of one.  */
static size_t
char_len (const uint8_t *t, size_t n, size_t i)
{
  size_t len = bp_utf8_seqlen (t + i, n - i);
  return len ? len : 1;
}

static int
is_digit (const uint8_t *t, size_t n, size_t i)
{
  size_t len = bp_utf8_seqlen (t + i, n - i);
  return len && uc_is_general_category (bp_utf8_decode (t + i, len),
                                        UC_CATEGORY_Nd);
}

/* The end of the chunk that starts at T[P] (P < N), read straight from
   the regular expressions '.{,M}\n{1,L}|.{1,M}' and, with digits,
   '\d|[^\n\d]{,M}\n{1,L}|[^\n\d]{1,M}' (M, L = 0: no bound).  */
static size_t
chunk_end (const uint8_t *t, size_t n, size_t p,
           const struct bp_chunk_params *cp)
{
  if (cp->isolate_digits && is_digit (t, n, p))
    return p + char_len (t, n, p);
  size_t q = p, chars = 0;
  while (q < n && t[q] != '\n' && !(cp->isolate_digits && is_digit (t, n, q))
         && (!cp->max_chars || chars < cp->max_chars))
    {
      q += char_len (t, n, q);
      chars++;
    }
  if (q < n && t[q] == '\n')
    {
      size_t lfs = 0;
      while (q < n && t[q] == '\n' && (!cp->max_lfs || lfs < cp->max_lfs))
        {
          q++;
          lfs++;
        }
    }
  return q;
}

/* Check one document: its spans put together, with the chunk ends
   they had, against the expected text.  */
static void
check_doc (const struct bp_buf *got, const size_t *ends, size_t nends,
           const uint8_t *text, size_t len, int normalize,
           const struct bp_chunk_params *cp)
{
  struct bp_buf want = { 0 };
  if (normalize)
    fuzz_nfc (text, len, &want);
  else
    FUZZ_CHECK (bp_buf_append (&want, text, len) == 0);
  FUZZ_CHECK (got->len == want.len);
  FUZZ_CHECK (want.len == 0 || memcmp (got->data, want.data, want.len) == 0);

  size_t p = 0, k = 0;
  while (p < want.len)
    {
      p = chunk_end (want.data, want.len, p, cp);
      FUZZ_CHECK (k < nends && ends[k] == p);
      k++;
    }
  FUZZ_CHECK (k == nends);
  bp_buf_free (&want);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 4)
    return 0;
  struct bp_chunk_params cp = { 0 };
  cp.mode = (data[0] & 3) == 1 ? BP_DOC_LINES
            : (data[0] & 3) == 2 ? BP_DOC_JSONL : BP_DOC_FILE;
  cp.normalize = !(data[0] & 4);
  cp.isolate_digits = (data[0] & 8) != 0;
  cp.max_chars = data[0] & 16 ? 1 + (data[1] & 15) : 0;
  cp.max_lfs = data[0] & 32 ? 1 + (data[1] >> 4) : 0;
  cp.read_size = 1 + (data[2] & 31);
  cp.fragment_size = 1 + (size_t) (data[2] >> 5) * 3;
  cp.nfc_long = data[3] & 0x80 ? 0 : 1 + (data[3] & 31);
  cp.skip_invalid = cp.mode == BP_DOC_JSONL && (data[3] & 0x40);
  const uint8_t *in = data + 4;
  size_t n = size - 4;

  struct bp_chunker *c = bp_chunker_new (&cp);
  FUZZ_CHECK (c != NULL);
  bp_chunker_open (c, fuzz_fd (0, in, n));

  /* The documents expected: where the next one's text is in IN.  */
  size_t line = 0;          /* start of the next line */
  int docs_left = 1;        /* file mode: one document */
  struct bp_buf jdoc = { 0 };

  struct bp_buf got = { 0 };
  size_t *ends = NULL, nends = 0, cap = 0;
  int in_chunk = 0, in_doc = 0;
  uint64_t skipped = 0, lines = 0;
  struct bp_span span;
  struct bp_error err = { 0 };
  int rc;
  while ((rc = bp_chunker_next (c, &span, &err)) > 0)
    {
      if (!in_doc)
        {
          got.len = 0;
          nends = 0;
          in_doc = 1;
        }
      FUZZ_CHECK (bp_buf_append (&got, span.data, span.len) == 0);
      if (span.flags & BP_SPAN_CHUNK_END)
        {
          /* A chunk is never empty.  */
          FUZZ_CHECK (got.len > (nends ? ends[nends - 1] : 0));
          if (nends == cap)
            {
              cap = cap ? 2 * cap : 64;
              ends = realloc (ends, cap * sizeof *ends);
              FUZZ_CHECK (ends != NULL);
            }
          ends[nends++] = got.len;
          in_chunk = 0;
        }
      else
        {
          /* Only a document with no chunk ends outside one.  */
          FUZZ_CHECK (span.len > 0 || (span.flags & BP_SPAN_DOC_END));
          in_chunk = span.len > 0;
        }
      if (!(span.flags & BP_SPAN_DOC_END))
        continue;
      FUZZ_CHECK (!in_chunk);
      FUZZ_CHECK (got.len == (nends ? ends[nends - 1] : 0));
      in_doc = 0;

      /* Which document this was.  */
      const uint8_t *text;
      size_t len;
      if (cp.mode == BP_DOC_FILE)
        {
          FUZZ_CHECK (docs_left-- == 1);
          text = in;
          len = n;
        }
      else
        {
          /* Every line a document.  */
          FUZZ_CHECK (line < n);
          const uint8_t *lf = memchr (in + line, '\n', n - line);
          size_t end = lf ? (size_t) (lf - in) : n;
          text = in + line;
          len = end - line;
          line = lf ? end + 1 : n;
          lines++;
          if (cp.mode == BP_DOC_JSONL)
            {
              jdoc.len = 0;
              struct bp_error jerr;
              int j = bp_jsonl_extract (text, len, "text", &jdoc, &jerr);
              FUZZ_CHECK (j >= 0 || cp.skip_invalid);
              skipped += j < 0;
              if (j <= 0)
                {
                  FUZZ_CHECK (span.flags & BP_SPAN_NO_DOC);
                  FUZZ_CHECK (got.len == 0);
                  continue;
                }
              text = jdoc.data;
              len = jdoc.len;
            }
        }
      FUZZ_CHECK (!(span.flags & BP_SPAN_NO_DOC));
      check_doc (&got, ends, nends, text, len, cp.normalize, &cp);
    }

  if (rc < 0)
    {
      /* The next line is refused: it makes no document, nor is blank.  */
      FUZZ_CHECK (cp.mode == BP_DOC_JSONL && !cp.skip_invalid
                  && rc == BP_EFORMAT);
      fuzz_check_message (&err);
      FUZZ_CHECK (err.line == lines + 1);
      FUZZ_CHECK (line < n);
      const uint8_t *lf = memchr (in + line, '\n', n - line);
      size_t end = lf ? (size_t) (lf - in) : n;
      jdoc.len = 0;
      struct bp_error jerr;
      FUZZ_CHECK (bp_jsonl_extract (in + line, end - line, "text", &jdoc,
                                    &jerr) < 0);
    }
  else
    {
      FUZZ_CHECK (!in_doc);
      if (cp.mode == BP_DOC_FILE)
        FUZZ_CHECK (docs_left == 0);
      else
        FUZZ_CHECK (line == n);   /* no line left */
      struct bp_error first;
      FUZZ_CHECK (bp_chunker_skipped (c, &first) == skipped);
      if (skipped)
        {
          fuzz_check_message (&first);
          FUZZ_CHECK (first.line >= 1 && first.line <= lines);
        }
    }
  bp_chunker_free (c);
  bp_buf_free (&got);
  bp_buf_free (&jdoc);
  free (ends);
  return 0;
}
