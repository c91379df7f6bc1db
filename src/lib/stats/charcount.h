/* SPDX-License-Identifier: Apache-2.0 */
/* Counting the characters of a text fed in parts that may cut a
   character, as the rest of bytepiece counts them (chunk.h): a
   well-formed UTF-8 sequence is one character, and so is each byte that
   is not part of one.

   Ownership: struct bp_charcount is the caller's and holds no
   allocation; arguments are borrowed.  */
#ifndef BP_CHARCOUNT_H
#define BP_CHARCOUNT_H

#include <stddef.h>
#include <stdint.h>

/* The bytes of an incomplete sequence at the end of one part wait for
   the next.  A zeroed struct is a count of 0.  */
struct bp_charcount
{
  uint64_t chars;
  uint8_t pend[3];
  unsigned npend;
};

/* Count the characters of the N bytes at P, which follow what was fed
   before; LAST if the text (a chunk) ends with them.  */
void bp_charcount_feed (struct bp_charcount *c, const uint8_t *p, size_t n,
                        int last);

#endif /* BP_CHARCOUNT_H */
