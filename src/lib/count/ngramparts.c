/* SPDX-License-Identifier: Apache-2.0 */
/* Writing the n-grams of runs of windows in memory, on threads (see
   ngramrun.h): each part of the count file (countparts.h) is the
   n-grams of the windows that start with its byte (a range of every
   sorted run), expanded, sorted and formatted on its own.  */
#include <config.h>
#include "ngramrun.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "counts.h"
#include "countparts.h"
#include "error.h"
#include "keysort.h"
#include "ngramkey.h"
#include "pool.h"
#include "readprog.h"

/* A run with where the windows of each first byte start.  */
struct byte_run
{
  const struct kc *v;
  size_t start[257];
};

struct bp_ngramparts
{
  struct bp_countparts kp;
  size_t count[BP_COUNTPARTS];  /* n-grams, for the counting pass */
  struct byte_run *runs;
  size_t nruns;
};

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
      const struct byte_run *r = &ps->runs[i];
      stream_add (&st, r->v + r->start[b], r->start[b + 1] - r->start[b]);
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
      if (cap - nv < EXPAND_MAX)
        {
          size_t ncap = cap ? 2 * cap : 4096;
          struct kc *t = realloc (v, ncap * sizeof *t);
          if (!t)
            {
              rc = BP_ENOMEM;
              break;
            }
          v = t;
          cap = ncap;
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

/* Jobs that count the n-grams of every first byte: job I counts all of
   those of its byte if I is the part of the byte's keys that lead no
   whole sequence (its only part below 0x80).  */
static int
count_work (void *ctx, size_t i)
{
  struct bp_ngramparts *ps = ctx;
  ps->count[i] = 0;
  return ps->kp.whole[i] ? 0 : expand_part (ps, i, 1, NULL, &ps->count[i]);
}

int
bp_ngramparts_new (const struct run *r, size_t n, int nthreads,
                   struct bp_ngramparts **out, size_t *ngrams,
                   struct bp_error *err)
{
  struct bp_ngramparts *ps = calloc (1, sizeof *ps);
  *out = NULL;
  if (ps)
    ps->runs = malloc ((n ? n : 1) * sizeof *ps->runs);
  if (!ps || !ps->runs)
    {
      free (ps);
      return bp_error_errno (err, ENOMEM);
    }
  /* Each run cut by first byte, the top byte of a key.  */
  for (size_t i = 0; i < n; i++)
    {
      struct byte_run *br = &ps->runs[ps->nruns++];
      br->v = r[i].v;
      size_t lo = 0;
      for (unsigned b = 0; b < 256; b++)
        {
          size_t hi = r[i].n;
          while (lo < hi)
            {
              size_t mid = lo + (hi - lo) / 2;
              if ((r[i].v[mid].key >> 56) < b)
                lo = mid + 1;
              else
                hi = mid;
            }
          br->start[b] = lo;
        }
      br->start[256] = r[i].n;
    }
  bp_countparts_init (&ps->kp);

  /* How many n-grams there are: a pass that only counts.  */
  static const struct bp_pool_jobs counting = { .work = count_work };
  int rc = bp_pool_run (BP_COUNTPARTS, nthreads, 2 * (size_t) nthreads + 2,
                        &counting, ps);
  if (rc)
    {
      bp_ngramparts_free (ps);
      return bp_ngramrun_error (rc, err);
    }
  *ngrams = 0;
  for (size_t i = 0; i < BP_COUNTPARTS; i++)
    *ngrams += ps->count[i];
  *out = ps;
  return 0;
}

/* Make the records of part I (bp_countparts_fn).  */
static int
make_part (void *ctx, size_t i, struct bp_buf *out)
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

int
bp_ngramparts_write (struct bp_ngramparts *ps,
                     const struct bp_counts_header *h, FILE *f,
                     int nthreads,
                     const struct bp_stage_progress *progress,
                     struct bp_error *err)
{
  struct bp_stage stage = { .kind = BP_STAGE_WRITE };
  for (size_t i = 0; i < BP_COUNTPARTS; i++)
    stage.total += ps->count[i];
  stage.items = stage.total;
  bp_stage_begin (progress, &stage);
  int rc = bp_countparts_write (h, f, nthreads, make_part, ps, ps->count,
                                progress, err);
  bp_stage_end (progress);
  if (rc && rc != BP_EIO)
    rc = bp_ngramrun_error (rc, err);
  return rc;
}

void
bp_ngramparts_free (struct bp_ngramparts *ps)
{
  if (!ps)
    return;
  free (ps->runs);
  free (ps);
}
