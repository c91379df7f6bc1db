/* SPDX-License-Identifier: Apache-2.0 */
/* N-gram keys packed in machine words, the representation of every
   n-gram table (the counter in ngramcount.h, the model in ngrammodel.h):
   the bytes big-endian from the top of the first word on, the length in
   the low byte of the last word, the bytes between them zero.  Unsigned
   order of packed keys, word by word, is the lexicographic order of the
   bytes with a prefix first (the zero padding is the least byte, and
   the length breaks the ties), which is what lets n-gram counting sort
   windows as integers and recover the counts of every prefix from the
   sorted windows.  Packed keys of at least one byte are never 0.

   An n-gram of up to BP_PACKED_ORDER bytes fits in one uint64 (the fast
   path: one integer per key); a longer one takes BP_NGRAM_WORDS (ORDER)
   words, the general path of orders above it.

   Ownership: plain values; P and the word arrays are the caller's.  */
#ifndef BP_NGRAMKEY_H
#define BP_NGRAMKEY_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The longest n-gram packed in one uint64 with its length.  */
#define BP_PACKED_ORDER 7

/* The words of a packed key of up to ORDER bytes and its length.  */
#define BP_NGRAM_WORDS(order) (((size_t) (order) + 8) / 8)

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

/* The 8 bytes at P as a big-endian integer.  */
static inline uint64_t
bp_ngram_load_be64 (const uint8_t *p)
{
  uint64_t v;
  memcpy (&v, p, 8);
#if defined __BYTE_ORDER__ && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  v = __builtin_bswap64 (v);
#elif !(defined __BYTE_ORDER__ && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
  v = bp_ngram_pack (p, 7) & ~(uint64_t) 0xFF;
  v |= p[7];
#endif
  return v;
}

/* Pack P (LEN bytes) into the KW words K, which have room for it
   (LEN < 8 * KW).  */
static inline void
bp_ngram_pack_words (const uint8_t *p, size_t len, size_t kw, uint64_t *k)
{
  size_t i = 0, w = 0;
  for (; i + 8 <= len; i += 8, w++)
    k[w] = bp_ngram_load_be64 (p + i);
  for (size_t j = w; j < kw; j++)
    k[j] = 0;
  for (; i < len; i++)
    k[w] |= (uint64_t) p[i] << (56 - 8 * (i % 8));
  k[kw - 1] |= len;
}

/* The length of the packed key K of KW words.  */
static inline size_t
bp_ngram_words_len (const uint64_t *k, size_t kw)
{
  return (size_t) (k[kw - 1] & 0xFF);
}

/* Unpack the first LEN bytes of the key K (of at least as many): whole
   words at a time, then the bytes of the last.  */
static inline void
bp_ngram_unpack_words (const uint64_t *k, size_t len, uint8_t *p)
{
  size_t i = 0;
#if defined __BYTE_ORDER__ && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  for (; i + 8 <= len; i += 8)
    {
      uint64_t v = __builtin_bswap64 (k[i / 8]);
      memcpy (p + i, &v, 8);
    }
#endif
  for (; i < len; i++)
    p[i] = (uint8_t) (k[i / 8] >> (56 - 8 * (i % 8)));
}

/* Compare the packed keys A and B of KW words: <0, 0 or >0.  */
static inline int
bp_ngram_words_cmp (const uint64_t *a, const uint64_t *b, size_t kw)
{
  for (size_t i = 0; i < kw; i++)
    if (a[i] != b[i])
      return a[i] < b[i] ? -1 : 1;
  return 0;
}

#endif /* BP_NGRAMKEY_H */
