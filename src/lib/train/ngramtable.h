/* The table of an n-gram model: an open-addressing hash from packed
   n-grams (ngramkey.h) to log-probabilities.  Packed keys are never 0,
   so 0 marks a free slot.  Internal to the model (ngrammodel.c, which
   fills it) and its Viterbi (ngramseg.c, which looks n-grams up in it at
   every position, and so needs the lookup inline).

   Ownership: the model owns its slots and its pair table.  */
#ifndef BP_NGRAMTABLE_H
#define BP_NGRAMTABLE_H

#include <stddef.h>
#include <stdint.h>

#include "counts.h"

struct slot
{
  uint64_t key;
  double v;
};

struct bp_ngram_model
{
  struct bp_counts_header h;
  struct slot *slot;
  size_t mask;
  int bits;
  size_t n;
  /* Every kept n-gram's last LEN - 1 bytes are kept too, as they are in
     any model pruned from real counts (a suffix occurs at least as often
     as the n-gram).  Then an absent n-gram ending at a position means
     all longer ones ending there are absent, and the Viterbi stops
     looking.  */
  int suffix_closed;
  /* The log-probabilities of all single bytes and all byte pairs (-inf
     where absent), looked up directly: they are two of the handful of
     lookups at every position, and the pair table stays in cache.  */
  double uni[256];
  double *bi;
};

static inline size_t
hash_key (const struct bp_ngram_model *m, uint64_t k)
{
  return (size_t) ((k * 0x9E3779B97F4A7C15u) >> (64 - m->bits));
}

static inline struct slot *
find (const struct bp_ngram_model *m, uint64_t k)
{
  size_t s = hash_key (m, k);
  for (;;)
    {
      struct slot *p = &m->slot[s];
      if (p->key == k || p->key == 0)
        return p;
      s = (s + 1) & m->mask;
    }
}

#endif /* BP_NGRAMTABLE_H */
