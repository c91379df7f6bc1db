/* SPDX-License-Identifier: Apache-2.0 */
/* The table of an n-gram model: an open-addressing hash from packed
   n-grams (ngramkey.h) to log-probabilities.  Packed keys are never 0,
   so 0 marks a free slot.  N-grams longer than BP_PACKED_ORDER (in
   models of higher orders) are in a second table of the same kind,
   keyed by BP_NGRAM_WORDS (order) words.  Internal to the model (ngrammodel.c, which
   fills it) and its Viterbi (ngramseg.c, which looks n-grams up in it at
   every position, and so needs the lookup inline).

   Ownership: the model owns its slots and its pair table.  */
#ifndef BP_NGRAMTABLE_H
#define BP_NGRAMTABLE_H

#include <stddef.h>
#include <stdint.h>

#include "counts.h"
#include "ngramkey.h"

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
  /* The n-grams longer than BP_PACKED_ORDER: slot S holds the key
     wkey[S * KW ..] (its last word 0 if free) and the value wv[S].  */
  size_t kw;
  uint64_t *wkey;
  double *wv;
  size_t wmask;
  int wbits;
  size_t wn;
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

static inline size_t
hash_words (const struct bp_ngram_model *m, const uint64_t *k)
{
  uint64_t h = 0;
  for (size_t i = 0; i < m->kw; i++)
    {
      h = (h ^ k[i]) * 0x9E3779B97F4A7C15u;
      h ^= h >> 29;
    }
  return (size_t) ((h * 0xBF58476D1CE4E5B9u) >> (64 - m->wbits));
}

/* The slot of the long n-gram K (KW words) in the second table: its own
   or the free one where it would go.  */
static inline size_t
find_wide (const struct bp_ngram_model *m, const uint64_t *k)
{
  size_t s = hash_words (m, k);
  for (;;)
    {
      const uint64_t *p = m->wkey + s * m->kw;
      if (p[m->kw - 1] == 0 || bp_ngram_words_cmp (p, k, m->kw) == 0)
        return s;
      s = (s + 1) & m->wmask;
    }
}

/* Does slot S of the second table hold a key?  */
static inline int
wide_used (const struct bp_ngram_model *m, size_t s)
{
  return m->wkey[s * m->kw + m->kw - 1] != 0;
}

#endif /* BP_NGRAMTABLE_H */
