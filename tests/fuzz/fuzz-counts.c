/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: the checking reader of count files (counts.h, DESIGN.md
   section 2).  Oracles: the header written again parses to the same
   header; records come sorted by their escaped keys, each once, with
   canonical keys no longer than the order (n-gram kinds) and positive
   counts, and each formats back to the line it was read from; a file
   refused has a one-line message.  */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "counts.h"
#include "error.h"
#include "escape.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  struct bp_counts_reader *r = NULL;
  struct bp_error err = { 0 };
  FILE *f = fuzz_stream (0, data, size);
  int rc = bp_counts_reader_open (f, &r, &err);
  if (rc)
    {
      FUZZ_CHECK (rc == BP_EFORMAT && r == NULL);
      fuzz_check_message (&err);
      fclose (f);
      return 0;
    }

  /* The header, written and parsed again.  */
  const struct bp_counts_header *h = bp_counts_reader_header (r);
  char *text = NULL;
  size_t len = 0;
  FILE *w = open_memstream (&text, &len);
  FUZZ_CHECK (w && bp_counts_header_write (w, h, &err) == 0
              && fclose (w) == 0);
  FUZZ_CHECK (len > 0 && text[len - 1] == '\n');
  struct bp_counts_header h2;
  FUZZ_CHECK (bp_counts_header_parse (text, len - 1, &h2, &err) == 0);
  char a[64], b[64];
  FUZZ_CHECK (bp_counts_header_differ (h, &h2, a, b, sizeof a) == 0);
  /* Pieces have no total: a total in their header is read, not
     written.  */
  FUZZ_CHECK (h->total == h2.total || h->kind == BP_COUNTS_PIECES);
  free (text);

  /* The records.  */
  struct bp_buf prev = { 0 }, line = { 0 };
  int have_prev = 0;
  uint64_t last_line = 1;
  struct bp_counts_record rec;
  while ((rc = bp_counts_reader_next (r, &rec, &err)) > 0)
    {
      FUZZ_CHECK (rec.count > 0 && rec.len > 0);
      FUZZ_CHECK (rec.line == last_line + 1);
      last_line = rec.line;
      if (h->kind != BP_COUNTS_PIECES)
        FUZZ_CHECK (rec.len <= (size_t) h->order);
      FUZZ_CHECK (bp_escape_is_canonical (rec.esc, rec.esc_len));
      if (have_prev)
        FUZZ_CHECK (bp_counts_cmp (prev.data, prev.len, rec.esc,
                                   rec.esc_len) < 0);
      prev.len = 0;
      FUZZ_CHECK (bp_buf_append (&prev, rec.esc, rec.esc_len) == 0);
      have_prev = 1;

      line.len = 0;
      FUZZ_CHECK (bp_counts_format_record (&line, rec.key, rec.len,
                                           rec.count) == 0);
      FUZZ_CHECK (line.len > rec.esc_len
                  && memcmp (line.data, rec.esc, rec.esc_len) == 0
                  && line.data[rec.esc_len] == '\t'
                  && line.data[line.len - 1] == '\n');
    }
  if (rc < 0)
    {
      FUZZ_CHECK (rc == BP_EFORMAT);
      fuzz_check_message (&err);
    }
  bp_buf_free (&prev);
  bp_buf_free (&line);
  bp_counts_reader_free (r);
  fclose (f);
  return 0;
}
