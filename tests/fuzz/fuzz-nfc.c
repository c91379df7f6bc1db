/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: NFC over streams (normalize.h, DESIGN.md section 1.1).
   The input is text, given to bp_nfc_stream in pieces whose sizes, and
   the length past which a stretch is normalised a run at a time, come
   from its first two bytes; the unconsumed bytes are passed again with
   the next piece, as the chunker does.  bp_nfc_append, the stateless
   form, gets the same pieces.  Oracles: both give the text normalised
   as fuzz_nfc says (libunistring on each well-formed stretch); the
   streaming form never leaves more than a bounded tail unconsumed.  */
#include <config.h>

#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "normalize.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size < 2)
    return 0;
  uint64_t rng = data[0];
  size_t long_segment = 1 + data[1] % 24;
  const uint8_t *text = data + 2;
  size_t n = size - 2;

  struct bp_buf want = { 0 };
  fuzz_nfc (text, n, &want);

  for (int stateful = 0; stateful <= 1; stateful++)
    {
      struct bp_nfc s = { 0 };
      struct bp_buf got = { 0 }, pending = { 0 };
      s.long_segment = long_segment;
      size_t at = 0;
      for (;;)
        {
          size_t step = 1 + fuzz_next (&rng) % (rng & 1 ? 4 : 64);
          if (step > n - at)
            step = n - at;
          FUZZ_CHECK (bp_buf_append (&pending, text + at, step) == 0);
          at += step;
          int last = at == n;
          /* While a long run is being written out, no more text goes
             in: the caller asks again, as the chunker does.  */
          do
            {
              size_t used = (size_t) -1, before = got.len;
              if (stateful)
                FUZZ_CHECK (bp_nfc_stream (&s, &got, pending.data,
                                           pending.len, last, &used) == 0);
              else
                FUZZ_CHECK (bp_nfc_append (&got, pending.data, pending.len,
                                           last, &used) == 0);
              FUZZ_CHECK (used <= pending.len);
              bp_buf_consume (&pending, used);
              if (stateful)
                {
                  /* What stays is no longer than the limit and the
                     character that went past it, or a partial one, and
                     the last piece (a busy call takes nothing); a step
                     writes out about the limit.  */
                  FUZZ_CHECK (pending.len <= long_segment + 4 + 64);
                  FUZZ_CHECK (got.len - before
                              <= 4 * (used + long_segment) + 64);
                  FUZZ_CHECK (used > 0 || got.len > before
                              || !bp_nfc_busy (&s));
                }
            }
          while (stateful && bp_nfc_busy (&s));
          if (last)
            {
              FUZZ_CHECK (pending.len == 0);
              break;
            }
        }
      FUZZ_CHECK (got.len == want.len);
      FUZZ_CHECK (want.len == 0
                  || memcmp (got.data, want.data, want.len) == 0);
      bp_buf_free (&got);
      bp_buf_free (&pending);
      bp_nfc_free (&s);
    }
  bp_buf_free (&want);
  return 0;
}
