/* SPDX-License-Identifier: Apache-2.0 */
/* Unicode NFC normalisation of byte streams (DESIGN.md section 1.1), with
   GNU libunistring doing the Unicode work.  Byte sequences that are not
   well-formed UTF-8 pass through unchanged and act as barriers: no
   character before one of them ever combines with a character after it.

   Text is cut into segments that start at a "stable starter": a character
   with canonical combining class 0 that NFC leaves unchanged and that never
   composes with a preceding character.  NFC of a concatenation at such a
   point is the concatenation of the NFCs, so each segment is normalised on
   its own, and a segment made only of stable starters (all ASCII, all CJK,
   most text) is copied without calling libunistring at all.

   Ownership: arguments are borrowed; output goes into a caller's bp_buf.
   The functions are thread-safe.  */
#ifndef BP_NORMALIZE_H
#define BP_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* The state of a text normalised as a stream (bp_nfc_stream).  NFC has no
   bound on how far apart two characters that interact can be: a run of
   combining marks is reordered as a whole, and text with no stable
   starter gives no point to cut at.  So a stretch with no stable starter
   longer than LONG_SEGMENT is normalised a run at a time instead (a run:
   a starter and the combining marks after it, decomposed), with
   libunistring's data but without handing it the whole stretch: what
   stays in memory is the run being read, never the text before it.  The
   output is the same, byte for byte.

   Ownership: a zero-initialised struct is a text not yet begun, with the
   default LONG_SEGMENT; bp_nfc_reset begins another text, and
   bp_nfc_free releases the memory.  */
struct bp_nfc
{
  size_t long_segment;    /* 0: 64 KiB; tests lower it */
  /* The rest is private.  */
  int streaming;          /* normalising a run at a time */
  int have_starter;
  uint32_t starter;       /* the last starter, composed so far */
  struct bp_buf marks;    /* the marks after it: decomposed, UTF-8 */
  size_t nmarks;
  uint64_t classes[4];    /* their combining classes */
  size_t *composed;       /* offsets in MARKS of marks composed into STARTER */
  size_t ncomposed, composed_cap;
  int flushing;           /* the run is being written out: */
  int flush_class;        /* marks of this class are next, */
  size_t flush_off;       /* from this offset in MARKS */
  int finishing;          /* the stretch ends when the run is out */
  uint32_t rest[128];     /* a decomposition being fed, from REST_AT */
  size_t nrest, rest_at;
};

/* Normalise a prefix of SRC (N bytes) to NFC and append it to DST, as
   bp_nfc_append does, continuing the text that S has seen so far.  The
   bytes that are not consumed are at most a partial UTF-8 sequence or
   the last LONG_SEGMENT bytes or so: a caller that passes them again
   with more text never holds more than that.  A call appends at most
   about LONG_SEGMENT bytes of a long run; while bp_nfc_busy says more is
   to come, even AT_END does not consume everything.  Returns 0 or
   BP_ENOMEM.  */
int bp_nfc_stream (struct bp_nfc *s, struct bp_buf *dst, const uint8_t *src,
                   size_t n, int at_end, size_t *consumed);

/* Is part of the text S was given still to be written out?  A long run
   of marks is written out a step at a time: until then bp_nfc_stream
   takes no more text, and the caller calls it again (with no text if
   none is left) to get the rest.  */
int bp_nfc_busy (const struct bp_nfc *s);

/* Forget the text S was normalising, to begin another.  */
void bp_nfc_reset (struct bp_nfc *s);

void bp_nfc_free (struct bp_nfc *s);

/* Normalise a prefix of SRC (N bytes) to NFC and append it to DST.  If
   AT_END is nonzero, all of SRC is the rest of the text and all of it is
   consumed.  Otherwise more text may follow, and only the prefix up to the
   last point where more text cannot change the result is consumed (the
   rest, including any incomplete UTF-8 sequence at the end, must be
   passed again with what follows).  *CONSUMED receives the number of
   bytes of SRC used.  Returns 0 or BP_ENOMEM.  */
int bp_nfc_append (struct bp_buf *dst, const uint8_t *src, size_t n,
                   int at_end, size_t *consumed);

/* Is code point CP a stable starter in the sense above?  Exposed for the
   unit tests, which check it against libunistring's data.  */
int bp_nfc_is_stable_starter (uint32_t cp);

/* Is CP a decimal digit (general category Nd, what Python's \d matches)?  */
int bp_is_digit (uint32_t cp);

#endif /* BP_NORMALIZE_H */
