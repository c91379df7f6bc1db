/* SPDX-License-Identifier: Apache-2.0 */
/* The distribution of tokens per document: how many documents have each
   number of tokens, exactly, for the percentiles a context length is
   planned with.

   Counts below BP_DOCHIST_DENSE are kept in an array, larger ones in a
   hash table of the values that occur.  The distinct values from
   BP_DOCHIST_DENSE up are at most the tokens counted divided by
   BP_DOCHIST_DENSE (each needs a document that long), so the table stays
   small: memory is bounded by the text, at worst 16 bytes per 64 Ki
   tokens, never by the number of documents.

   Ownership: struct bp_dochist is the caller's; bp_dochist_free releases
   what it holds (and accepts a zeroed or freed struct).  */
#ifndef BP_DOCHIST_H
#define BP_DOCHIST_H

#include <stddef.h>
#include <stdint.h>

#define BP_DOCHIST_DENSE 65536

struct bp_dochist_slot
{
  uint64_t value;        /* 0: an empty slot (values here are >= DENSE) */
  uint64_t docs;
};

/* A zeroed struct is empty.  */
struct bp_dochist
{
  uint64_t *dense;               /* DENSE[v]: documents of v tokens */
  size_t ndense;                 /* entries allocated at DENSE */
  struct bp_dochist_slot *big;   /* open addressing, NBIG of CAP used */
  size_t nbig, cap;
  uint64_t docs;                 /* documents added */
  uint64_t tokens;               /* their tokens */
  uint64_t max;                  /* the most tokens of a document */
};

/* Add K documents of V tokens each.  Returns 0, BP_ENOMEM, or BP_ERANGE
   if the documents or their tokens overflow 64 bits.  */
int bp_dochist_add (struct bp_dochist *h, uint64_t v, uint64_t k);

void bp_dochist_free (struct bp_dochist *h);

/* The percentiles PERMILLE[i] / 10 (each 0..1000, in increasing order)
   of H into OUT[i], by nearest rank: the least value such that at least
   PERMILLE[i] / 1000 of the documents have at most that many tokens
   (PERMILLE 0 gives the least value, 1000 the largest).  OUT[i] is 0
   when H is empty.  Returns 0 or BP_ENOMEM.  */
int bp_dochist_percentiles (const struct bp_dochist *h,
                            const unsigned *permille, size_t n,
                            uint64_t *out);

#endif /* BP_DOCHIST_H */
