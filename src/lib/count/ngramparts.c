/* SPDX-License-Identifier: Apache-2.0 */
/* Writing the n-grams of runs of windows in memory, on threads: the
   fast path's parts (ngramcore.h sets them up and writes them),
   expanded from runs of struct kc (ngramrun.h).  */
#include <config.h>
#include "ngramrun.h"

#include <stdlib.h>

#include "buf.h"
#include "counts.h"
#include "countparts.h"
#include "error.h"
#include "keysort.h"
#include "ngramkey.h"

/* Does the n-gram K belong to part P?  */
static int
in_part (const struct bp_ngramparts *ps, size_t p, uint64_t k)
{
  uint8_t bytes[8];
  size_t len = bp_ngram_unpack (k, bytes);
  return bp_countparts_of (&ps->kp, bytes, len) == p;
}

/* The n-grams of part P (all of those of its first byte if ALL),
   expanded from the windows that start with its byte into *OUT (NULL if
   counting only), their number in *N.  */
static int
expand_part (const struct bp_ngramparts *ps, size_t p, int all,
             struct kc **out, size_t *n)
{
  struct stream st;
  struct expander x = { .open_to = 0 };
  struct kc *v = NULL, w;
  size_t nv = 0, cap = 0;
  int rc = 0;

  const uint8_t b = ps->kp.byte[p];
  const int filter = !all && b >= 0x80;

  *n = 0;
  if (bp_ngramrun_stream_new (&st, ps->nruns))
    return BP_ENOMEM;
  for (size_t i = 0; i < ps->nruns; i++)
    {
      const struct bp_ngramparts_run *r = &ps->runs[i];
      stream_add (&st, (const struct kc *) r->v + r->start[b],
                  r->start[b + 1] - r->start[b]);
    }
  stream_start (&st);
  for (int more = 1; more;)
    {
      more = stream_next (&st, &w);
      if (!out)
        {
          if (more)
            expand_feed (&x, w.key, w.count, NULL, &nv);
          else
            expand_close (&x, NULL, &nv);
          continue;
        }
      if (BP_ARRAY_RESERVE (v, cap, nv + EXPAND_MAX, 4096))
        {
          rc = BP_ENOMEM;
          break;
        }
      size_t from = nv;
      if (more)
        expand_feed (&x, w.key, w.count, v, &nv);
      else
        expand_close (&x, v, &nv);
      if (filter)
        {
          size_t keep = from;
          for (size_t i = from; i < nv; i++)
            if (in_part (ps, p, v[i].key))
              v[keep++] = v[i];
          nv = keep;
        }
    }
  bp_ngramrun_stream_free (&st);
  if (rc)
    {
      free (v);
      return rc;
    }
  if (out)
    *out = v;
  *n = nv;
  return 0;
}

int
bp_ngramparts_count (const struct bp_ngramparts *ps, size_t p, size_t *n)
{
  return expand_part (ps, p, 1, NULL, n);
}

/* Make the records of part I (bp_countparts_fn).  */
int
bp_ngramparts_make (void *ctx, size_t i, struct bp_buf *out)
{
  struct bp_ngramparts *ps = ctx;
  struct kc *v;
  size_t n;
  uint32_t *perm;
  int rc = expand_part (ps, i, 0, &v, &n);
  if (rc)
    return rc;
  rc = bp_keysort_escaped (n, BP_PACKED_ORDER, kc_key, v, &perm);
  for (size_t k = 0; rc == 0 && k < n; k++)
    {
      uint8_t key[8];
      size_t len = bp_ngram_unpack (v[perm[k]].key, key);
      rc = bp_counts_format_record (out, key, len, v[perm[k]].count);
    }
  free (perm);
  free (v);
  return rc;
}
