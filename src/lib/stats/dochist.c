/* SPDX-License-Identifier: Apache-2.0 */
/* The distribution of tokens per document; see dochist.h.  */
#include <config.h>
#include "dochist.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "system.h"

/* The slot of V in a table of CAP (a power of two) slots: Fibonacci
   hashing spreads the consecutive values long documents have.  */
static size_t
slot_of (uint64_t v, size_t cap)
{
  return (size_t) ((v * UINT64_C (0x9E3779B97F4A7C15)) >> 32) & (cap - 1);
}

/* The slot holding V in H's table, or the empty slot where it goes.  */
static struct bp_dochist_slot *
find (const struct bp_dochist *h, uint64_t v)
{
  size_t i = slot_of (v, h->cap);
  while (h->big[i].value && h->big[i].value != v)
    i = (i + 1) & (h->cap - 1);
  return &h->big[i];
}

/* Double H's table (or make its first).  */
static int
grow_big (struct bp_dochist *h)
{
  size_t cap = h->cap ? 2 * h->cap : 64;
  struct bp_dochist_slot *old = h->big;
  size_t oldcap = h->cap;
  h->big = calloc (cap, sizeof *h->big);
  if (!h->big)
    {
      h->big = old;
      return BP_ENOMEM;
    }
  h->cap = cap;
  for (size_t i = 0; i < oldcap; i++)
    if (old[i].value)
      *find (h, old[i].value) = old[i];
  free (old);
  return 0;
}

/* Make H's array hold the counts of values up to V < BP_DOCHIST_DENSE.  */
static int
grow_dense (struct bp_dochist *h, uint64_t v)
{
  size_t n = h->ndense ? 2 * h->ndense : 256;
  while (n <= v)
    n *= 2;
  if (n > BP_DOCHIST_DENSE)
    n = BP_DOCHIST_DENSE;
  uint64_t *d = realloc (h->dense, n * sizeof *d);
  if (!d)
    return BP_ENOMEM;
  memset (d + h->ndense, 0, (n - h->ndense) * sizeof *d);
  h->dense = d;
  h->ndense = n;
  return 0;
}

int
bp_dochist_add (struct bp_dochist *h, uint64_t v, uint64_t k)
{
  uint64_t docs, tokens, t;
  if (ckd_add (&docs, h->docs, k) || ckd_mul (&t, v, k)
      || ckd_add (&tokens, h->tokens, t))
    return BP_ERANGE;
  if (v < BP_DOCHIST_DENSE)
    {
      if (v >= h->ndense && grow_dense (h, v))
        return BP_ENOMEM;
      h->dense[v] += k;
    }
  else
    {
      /* At most half full, so that probes stay short.  */
      if (2 * (h->nbig + 1) > h->cap && grow_big (h))
        return BP_ENOMEM;
      struct bp_dochist_slot *s = find (h, v);
      if (!s->value)
        {
          s->value = v;
          h->nbig++;
        }
      s->docs += k;
    }
  h->docs = docs;
  h->tokens = tokens;
  if (v > h->max && k)
    h->max = v;
  return 0;
}

void
bp_dochist_free (struct bp_dochist *h)
{
  free (h->dense);
  free (h->big);
  memset (h, 0, sizeof *h);
}

static int
by_value (const void *pa, const void *pb)
{
  const struct bp_dochist_slot *a = pa, *b = pb;
  return (a->value > b->value) - (a->value < b->value);
}

/* The rank (1-based, in increasing order of tokens) of the PERMILLE-th
   per-mille of DOCS documents: ceil (PERMILLE * DOCS / 1000), at least
   1, computed without overflow or rounding.  */
static uint64_t
rank (unsigned permille, uint64_t docs)
{
  uint64_t q = docs / 1000, r = docs % 1000;
  uint64_t k = permille * q + (permille * r + 999) / 1000;
  return k ? k : 1;
}

int
bp_dochist_percentiles (const struct bp_dochist *h, const unsigned *permille,
                        size_t n, uint64_t *out)
{
  struct bp_dochist_slot *big = NULL;
  size_t nbig = 0;
  if (h->nbig)
    {
      big = malloc (h->nbig * sizeof *big);
      if (!big)
        return BP_ENOMEM;
      for (size_t i = 0; i < h->cap; i++)
        if (h->big[i].value)
          big[nbig++] = h->big[i];
      qsort (big, nbig, sizeof *big, by_value);
    }

  /* One walk up the values for all the ranks, which increase.  */
  uint64_t seen = 0;
  size_t v = 0, b = 0;
  for (size_t i = 0; i < n; i++)
    {
      out[i] = 0;
      if (!h->docs)
        continue;
      uint64_t want = rank (permille[i] > 1000 ? 1000 : permille[i], h->docs);
      uint64_t value = 0;
      for (;;)
        {
          /* The documents of the value under the cursor, counted once
             the cursor moves past it.  */
          uint64_t here;
          if (v < h->ndense)
            here = h->dense[v], value = v;
          else if (b < nbig)
            here = big[b].docs, value = big[b].value;
          else
            break;
          if (seen + here >= want)
            break;
          seen += here;
          if (v < h->ndense)
            v++;
          else
            b++;
        }
      out[i] = value;
    }
  free (big);
  return 0;
}
