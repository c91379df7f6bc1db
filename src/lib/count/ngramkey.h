/* N-gram keys packed in a uint64, the representation of every n-gram
   table (the counter in ngramcount.h, the model in ngram.h): the bytes
   big-endian from the top, the length (0..7) in the low byte.  Unsigned
   order of packed keys is the lexicographic order of the bytes with a
   prefix first, which is what lets n-gram counting sort windows as
   integers and recover the counts of every prefix from the sorted
   windows.  Packed keys of at least one byte are never 0.

   Ownership: plain values; P is the caller's (7 bytes at most).  */
#ifndef BP_NGRAMKEY_H
#define BP_NGRAMKEY_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t
bp_ngram_pack (const uint8_t *p, size_t len)
{
  uint64_t k = 0;
  for (size_t i = 0; i < len; i++)
    k |= (uint64_t) p[i] << (56 - 8 * i);
  return k | len;
}

static inline size_t
bp_ngram_unpack (uint64_t k, uint8_t *p)
{
  size_t len = k & 0xFF;
  for (size_t i = 0; i < len; i++)
    p[i] = (uint8_t) (k >> (56 - 8 * i));
  return len;
}

#endif /* BP_NGRAMKEY_H */
