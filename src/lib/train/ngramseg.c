/* SPDX-License-Identifier: Apache-2.0 */
/* The Viterbi that cuts a chunk into pieces with the n-gram model
   (DESIGN.md section 1.4, BytePiece's Trainer._tokenize); see ngramseg.h.  */
#include <config.h>
#include "ngramseg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ngramkey.h"
#include "ngramtable.h"
#include "system.h"

struct bp_ngram_seg
{
  const struct bp_ngram_model *m;
  int ensure_unicode;
  uint8_t *route;           /* route[i * order + b]: the state before */
  size_t *ends;
  size_t cap;
};

struct bp_ngram_seg *
bp_ngram_seg_new (const struct bp_ngram_model *m, int ensure_unicode)
{
  struct bp_ngram_seg *s = calloc (1, sizeof *s);
  if (!s)
    return NULL;
  s->m = m;
  s->ensure_unicode = ensure_unicode;
  return s;
}

void
bp_ngram_seg_free (struct bp_ngram_seg *s)
{
  if (!s)
    return;
  free (s->route);
  free (s->ends);
  free (s);
}

/* The emissions E[J..] at position I of the n-grams longer than
   BP_PACKED_ORDER (J >= BP_PACKED_ORDER), from the model's second table,
   up to the first that is absent if the model is suffix-closed.
   Returns the first J not filled.  */
static int
wide_emissions (const struct bp_ngram_model *m, const uint8_t *text,
                size_t i, int j, int order, double *e)
{
  uint64_t k[BP_NGRAM_WORDS (BP_MAX_ORDER)];
  for (; j < order && (size_t) j <= i; j++)
    {
      bp_ngram_pack_words (text + i - j, (size_t) j + 1, m->kw, k);
      size_t s = find_wide (m, k);
      int has = wide_used (m, s);
      e[j] = has ? m->wv[s] : -INFINITY;
      if (!has && m->suffix_closed)
        return j + 1;
    }
  return j;
}

/* The emissions at position I: E[j] is the log-probability of the
   (j+1)-gram ending at I, or -inf.  */
static inline void
emissions (const struct bp_ngram_seg *s, const uint8_t *text, size_t i,
           int order, double *e)
{
  const struct bp_ngram_model *m = s->m;
  int j = 0;

  e[0] = m->uni[text[i]];
  j = 1;
  if (order > 1 && i >= 1)
    {
      e[1] = m->bi[text[i - 1] << 8 | text[i]];
      j = 2;
      if (e[1] != -INFINITY || !m->suffix_closed)
        {
          uint64_t bytes = (uint64_t) text[i - 1] << 56
                           | (uint64_t) text[i] << 48;
          const int top = order < BP_PACKED_ORDER ? order : BP_PACKED_ORDER;
          int stop = 0;
          for (; j < top && (size_t) j <= i; j++)
            {
              bytes = (uint64_t) text[i - j] << 56 | bytes >> 8;
              const struct slot *p = find (m, bytes | (uint64_t) (j + 1));
              e[j] = p->key ? p->v : -INFINITY;
              if (!p->key && m->suffix_closed)
                {
                  j++;
                  stop = 1;
                  break;
                }
            }
          if (!stop && order > BP_PACKED_ORDER)
            j = wide_emissions (m, text, i, j, order, e);
        }
    }
  for (; j < order; j++)
    e[j] = -INFINITY;
  if (s->ensure_unicode && (text[i] & 0xC0) == 0x80)
    e[0] = -INFINITY;
}

/* Ask for the slots of the n-grams of 3 bytes or more ending at I before
   they are needed: the table is far larger than the caches, and a lookup
   that waits for memory is most of the Viterbi's time.  */
enum { PREFETCH_AHEAD = 8 };

static inline void
prefetch (const struct bp_ngram_model *m, const uint8_t *text, size_t i,
          int order)
{
  if (i < 1)
    return;
  uint64_t bytes = (uint64_t) text[i - 1] << 56 | (uint64_t) text[i] << 48;
  for (int j = 2; j < order && j < BP_PACKED_ORDER && (size_t) j <= i; j++)
    {
      bytes = (uint64_t) text[i - j] << 56 | bytes >> 8;
      __builtin_prefetch (&m->slot[hash_key (m, bytes | (uint64_t) (j + 1))]);
    }
}

int
bp_ngram_segment (struct bp_ngram_seg *s, const uint8_t *text, size_t len,
                  const size_t **ends, size_t *n)
{
  const int order = s->m->h.order;
  double prev[BP_MAX_ORDER], cur[BP_MAX_ORDER], e[BP_MAX_ORDER];

  *n = 0;
  *ends = s->ends;
  if (len == 0)
    return 0;
  if (len > s->cap)
    {
      size_t cap = len > 2 * s->cap ? len : 2 * s->cap;
      size_t rbytes;
      if (ckd_mul (&rbytes, cap, (size_t) order))
        return BP_ENOMEM;
      uint8_t *route = realloc (s->route, rbytes);
      if (!route)
        return BP_ENOMEM;
      s->route = route;
      size_t *en = realloc (s->ends, cap * sizeof *en);
      if (!en)
        return BP_ENOMEM;
      s->ends = en;
      s->cap = cap;
      *ends = en;
    }

  for (size_t i = 0; i < PREFETCH_AHEAD && i < len; i++)
    prefetch (s->m, text, i, order);
  emissions (s, text, 0, order, prev);
  for (size_t i = 1; i < len; i++)
    {
      uint8_t *route = s->route + i * (size_t) order;
      if (i + PREFETCH_AHEAD < len)
        prefetch (s->m, text, i + PREFETCH_AHEAD, order);
      emissions (s, text, i, order, e);
      /* The reference's scores[a][b] = (nodes[i-1][a] + trans[a][b]) +
         nodes[i][b], with its maximum over a and numpy's argmax: the
         first a with the maximum, and 0 when all are -inf.  Adding
         trans's 0 changes no value, and the forbidden a's are -inf, so
         walking the allowed a's in increasing order with a strict '>'
         from -inf (and a = 0 kept when nothing beats it) is the same.
         Each sum is rounded on its own: equal maxima after rounding are
         common, so max (a + e) is not max (a) + e.  */
      double best = -INFINITY;
      int arg = 0;
      for (int a = 0; a < order; a++)
        {
          double v = prev[a] + e[0];
          if (v > best)
            {
              best = v;
              arg = a;
            }
        }
      cur[0] = best;
      route[0] = (uint8_t) arg;
      /* State b >= 1 comes from b - 1 (the piece goes on), and the last
         state also from itself (a piece longer than the order).  */
      for (int b = 1; b < order; b++)
        {
          best = -INFINITY;
          arg = 0;
          double v = prev[b - 1] + e[b];
          if (v > best)
            {
              best = v;
              arg = b - 1;
            }
          if (b == order - 1)
            {
              v = prev[b] + e[b];
              if (v > best)
                {
                  best = v;
                  arg = b;
                }
            }
          cur[b] = best;
          route[b] = (uint8_t) arg;
        }
      memcpy (prev, cur, sizeof (double) * (size_t) order);
    }

  /* The best final state, the first on ties, 0 if all are -inf.  */
  double best = -INFINITY;
  int state = 0;
  for (int b = 0; b < order; b++)
    if (prev[b] > best)
      {
        best = prev[b];
        state = b;
      }

  /* Walk back; a piece starts where the state is 0.  Ends are found last
     first, so fill the array from its back and then move it down.  */
  size_t *en = s->ends, k = len;
  en[--k] = len;
  for (size_t i = len - 1; i >= 1; i--)
    {
      if (state == 0)
        en[--k] = i;
      state = s->route[i * (size_t) order + (size_t) state];
    }
  /* Position 0 always starts a piece: its states above 0 are -inf (no
     n-gram starts before the chunk), so no route leads to them.  */
  *n = len - k;
  memmove (en, en + k, *n * sizeof *en);
  return 0;
}
