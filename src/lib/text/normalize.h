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

struct bp_buf;

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
