/* SPDX-License-Identifier: Apache-2.0 */
/* Sorting keys by their escaped form; see keysort.h.  */
#include <config.h>
#include "keysort.h"

#include <stdlib.h>
#include <string.h>

#include "counts.h"
#include "error.h"
#include "escape.h"

/* One pass of bp_keysort_radix: scatter by byte B of the keys, the
   values alongside if VAL.  */
static inline void
scatter (const uint64_t *key, const uint32_t *val, uint64_t *dk,
         uint32_t *dv, size_t n, size_t *h, int b)
{
  if (val)
    for (size_t i = 0; i < n; i++)
      {
        size_t d = h[(key[i] >> (8 * b)) & 0xFF]++;
        dk[d] = key[i];
        dv[d] = val[i];
      }
  else
    for (size_t i = 0; i < n; i++)
      {
        uint64_t k = key[i];
        dk[h[(k >> (8 * b)) & 0xFF]++] = k;
      }
}

void
bp_keysort_radix (uint64_t *key, uint32_t *val, uint64_t *tk, uint32_t *tv,
                  size_t n)
{
  size_t hist[8][256];
  memset (hist, 0, sizeof hist);
  for (size_t i = 0; i < n; i++)
    {
      uint64_t k = key[i];
      for (int b = 0; b < 8; b++)
        hist[b][(k >> (8 * b)) & 0xFF]++;
    }
  uint64_t *sk = key, *dk = tk;
  uint32_t *sv = val, *dv = tv;
  for (int b = 0; b < 8; b++)
    {
      size_t *h = hist[b], sum = 0;
      if (n == 0 || h[(sk[0] >> (8 * b)) & 0xFF] == n)
        continue;
      for (int v = 0; v < 256; v++)
        {
          size_t c = h[v];
          h[v] = sum;
          sum += c;
        }
      scatter (sk, sv, dk, dv, n, h, b);
      uint64_t *t = sk;
      sk = dk;
      dk = t;
      uint32_t *u = sv;
      sv = dv;
      dv = u;
    }
  if (sk != key)
    {
      memcpy (key, sk, n * sizeof *key);
      if (val)
        memcpy (val, sv, n * sizeof *val);
    }
}

enum { SLICE_LEVELS = 4 };

struct esc_sorter
{
  size_t n;
  bp_keysort_fn key;
  const void *ctx;
  uint8_t *raw, *raw2;      /* key scratch, MAXLEN bytes each */
  char *esc, *esc2;         /* escaped scratch, 4 * MAXLEN each */
  uint64_t *pre, *tpre;
  uint32_t *idx, *tidx;
};

/* The LEVEL-th 8-byte slice of key I's escaped form, big-endian and
   padded with zero bytes (which escaped keys never contain, so padding
   sorts a prefix first).  */
static uint64_t
slice (struct esc_sorter *s, uint32_t i, int level)
{
  size_t len, want = 8 * (size_t) (level + 1);
  const uint8_t *k = s->key (s->ctx, i, s->raw, &len);
  /* A unit of the escaping spans at most 4 bytes and writes at least one
     byte per input byte, so WANT + 4 input bytes decide WANT output
     bytes.  */
  if (len > want + 4)
    len = want + 4;
  size_t elen = bp_escape (k, len, s->esc, 0);
  uint64_t v = 0;
  for (size_t j = want - 8; j < want; j++)
    v = v << 8 | (j < elen ? (uint8_t) s->esc[j] : 0);
  return v;
}

static int
cmp_full (void *arg, uint32_t a, uint32_t b)
{
  struct esc_sorter *s = arg;
  size_t la, lb;
  const uint8_t *ka = s->key (s->ctx, a, s->raw, &la);
  size_t ea = bp_escape (ka, la, s->esc, 0);
  const uint8_t *kb = s->key (s->ctx, b, s->raw2, &lb);
  size_t eb = bp_escape (kb, lb, s->esc2, 0);
  return bp_counts_cmp (s->esc, ea, s->esc2, eb);
}

static int
qcmp (const void *a, const void *b, void *arg)
{
  return cmp_full (arg, *(const uint32_t *) a, *(const uint32_t *) b);
}

/* Sort IDX[lo..hi) by PRE, which is filled.  */
static void
sort_range (struct esc_sorter *s, size_t lo, size_t hi)
{
  size_t n = hi - lo;
  if (n < 24)
    {
      for (size_t i = lo + 1; i < hi; i++)
        {
          uint64_t p = s->pre[i];
          uint32_t v = s->idx[i];
          size_t j = i;
          while (j > lo && s->pre[j - 1] > p)
            {
              s->pre[j] = s->pre[j - 1];
              s->idx[j] = s->idx[j - 1];
              j--;
            }
          s->pre[j] = p;
          s->idx[j] = v;
        }
      return;
    }
  bp_keysort_radix (s->pre + lo, s->idx + lo, s->tpre, s->tidx, n);
}

/* IDX[lo..hi) is sorted by slice LEVEL; order each run of equal slices.  */
static void
resolve_ties (struct esc_sorter *s, size_t lo, size_t hi, int level)
{
  size_t a = lo;
  while (a < hi)
    {
      size_t b = a + 1;
      while (b < hi && s->pre[b] == s->pre[a])
        b++;
      if (b - a >= 2)
        {
          /* Distinct keys have distinct escapes, so tied keys go on.  */
          if (level + 1 < SLICE_LEVELS)
            {
              for (size_t i = a; i < b; i++)
                s->pre[i] = slice (s, s->idx[i], level + 1);
              sort_range (s, a, b);
              resolve_ties (s, a, b, level + 1);
            }
          else
            qsort_r (s->idx + a, b - a, sizeof *s->idx, qcmp, s);
        }
      a = b;
    }
}

int
bp_keysort_escaped (size_t n, size_t maxlen, bp_keysort_fn key,
                    const void *ctx, uint32_t **perm)
{
  struct esc_sorter s = { .n = n, .key = key, .ctx = ctx };
  int rc = BP_ENOMEM;

  *perm = NULL;
  if (n > UINT32_MAX)
    return BP_ERANGE;
  if (maxlen == 0)
    maxlen = 1;
  s.raw = malloc (maxlen);
  s.raw2 = malloc (maxlen);
  s.esc = malloc (BP_ESCAPE_MAX (maxlen));
  s.esc2 = malloc (BP_ESCAPE_MAX (maxlen));
  s.idx = malloc ((n ? n : 1) * sizeof *s.idx);
  s.tidx = malloc ((n ? n : 1) * sizeof *s.tidx);
  s.pre = malloc ((n ? n : 1) * sizeof *s.pre);
  s.tpre = malloc ((n ? n : 1) * sizeof *s.tpre);
  if (!s.raw || !s.raw2 || !s.esc || !s.esc2 || !s.idx || !s.tidx || !s.pre
      || !s.tpre)
    goto done;
  for (size_t i = 0; i < n; i++)
    {
      s.idx[i] = (uint32_t) i;
      s.pre[i] = slice (&s, (uint32_t) i, 0);
    }
  if (n)
    {
      sort_range (&s, 0, n);
      resolve_ties (&s, 0, n, 0);
    }
  *perm = s.idx;
  s.idx = NULL;
  rc = 0;
done:
  free (s.raw);
  free (s.raw2);
  free (s.esc);
  free (s.esc2);
  free (s.idx);
  free (s.tidx);
  free (s.pre);
  free (s.tpre);
  return rc;
}
