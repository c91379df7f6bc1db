/* SPDX-License-Identifier: Apache-2.0 */
/* What the two paths of the n-gram counter share; see ngramcore.h.  */
#include <config.h>
#include "ngramcore.h"

#include <errno.h>
#include <stdlib.h>

#include "budget.h"
#include "counts.h"
#include "countparts.h"
#include "error.h"
#include "keysort.h"
#include "ngramrun.h"
#include "pool.h"
#include "readprog.h"
#include "spill.h"
#include "system.h"

enum
{
  MIN_BATCH = 256,
  MIN_SLICE = 1024
};

/* The memory of an n-gram of a slice, with its sort.  */
static size_t
slice_bytes (const struct bp_ngramcore_ops *ops)
{
  return ops->gram_bytes + BP_KEYSORT_BYTES (1);
}

void
bp_ngramcore_free_runs (struct bp_ngramcore *c)
{
  for (size_t i = 0; i < c->nruns; i++)
    {
      bp_budget_release (&c->budget, c->runs[i].n * c->elem);
      free (c->runs[i].v);
    }
  c->nruns = 0;
}

void
bp_ngramcore_budget (struct bp_ngramcore *c, const struct bp_budget *share,
                     struct bp_spill *spill)
{
  const size_t sb = slice_bytes (c->ops);
  size_t limit = share->limit;
  bp_budget_release (&c->budget, c->fixed);
  c->budget.limit = 0;
  c->fixed = 0;
  c->spill = NULL;
  if (!limit || !spill)
    return;
  /* An eighth for the window buffer, a quarter for a slice's expansion
     and sort, the rest for the runs; at least a little of each.  */
  size_t cap = limit / 8 / c->window_bytes;
  if (cap < MIN_BATCH)
    cap = MIN_BATCH;
  if (cap < c->cap)
    c->ops->shrink (c, cap);
  c->slice = limit / 4 / sb;
  if (c->slice < MIN_SLICE)
    c->slice = MIN_SLICE;
  c->fixed = c->cap * c->window_bytes + c->slice * sb;
  /* A share too small for that goes to the runs, room for a few
     whatever the budget (the buffer and the slice then pass it).  */
  size_t min_runs = MIN_BATCH * c->elem;
  if (limit < c->fixed + min_runs)
    c->fixed = limit > min_runs ? limit - min_runs : 0;
  c->budget.limit = limit;
  bp_budget_reserve (&c->budget, c->fixed);
  c->spill = spill;
}

/* Merge the two newest runs into one.  */
static int
merge_top (struct bp_ngramcore *c)
{
  struct run m;
  struct run *a = &c->runs[c->nruns - 2], *b = &c->runs[c->nruns - 1];
  int rc = c->ops->merge (a, b, (size_t) c->order, &m);
  if (rc)
    return rc;
  bp_budget_release (&c->budget, (a->n + b->n - m.n) * c->elem);
  free (a->v);
  free (b->v);
  *a = m;
  b->v = NULL;
  c->nruns--;
  return 0;
}

/* Would MORE bytes of runs pass the budget?  */
static int
over (const struct bp_ngramcore *c, size_t more)
{
  return c->spill && bp_budget_over (&c->budget, more);
}

/* Write the runs out and start again empty.  */
static int
spill_all (struct bp_ngramcore *c, struct bp_error *err)
{
  int rc = c->ops->spill (c->runs, c->nruns, (size_t) c->order, c->slice,
                          c->spill, NULL, err);
  bp_ngramcore_free_runs (c);
  return rc;
}

int
bp_ngramcore_alloc_run (struct bp_ngramcore *c, size_t n, struct run *r,
                        struct bp_error *err)
{
  int rc;
  if (over (c, n * c->elem) && (rc = spill_all (c, err)))
    return rc;
  r->n = 0;
  if (!(r->v = malloc (n * c->elem)))
    return bp_error_errno (err, ENOMEM);
  return 0;
}

int
bp_ngramcore_push_run (struct bp_ngramcore *c, struct run r,
                       struct bp_error *err)
{
  int rc;
  if (c->nruns == BP_NGRAMCORE_RUNS)
    {
      rc = c->spill ? spill_all (c, err) : merge_top (c);
      if (rc)
        {
          free (r.v);
          return c->spill ? rc : bp_ngramrun_error (rc, err);
        }
    }
  c->runs[c->nruns++] = r;
  bp_budget_reserve (&c->budget, r.n * c->elem);
  while (c->nruns >= 2
         && c->runs[c->nruns - 1].n * 2 > c->runs[c->nruns - 2].n)
    {
      size_t merged = (c->runs[c->nruns - 1].n + c->runs[c->nruns - 2].n)
                      * c->elem;
      if (over (c, merged))
        break;
      if ((rc = merge_top (c)))
        return bp_ngramrun_error (rc, err);
    }
  return 0;
}

int
bp_ngramcore_finish (struct bp_ngramcore *c, struct bp_error *err)
{
  int rc = c->ops->flush (c, err);
  if (rc == 0)
    c->ops->free_windows (c);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Writing.  */

static void
parts_free (struct bp_ngramparts *ps)
{
  if (!ps)
    return;
  free (ps->runs);
  free (ps);
}

/* Jobs that count the n-grams of every first byte: job I counts all of
   those of its byte if I is the part of the byte's keys that lead no
   whole sequence (its only part below 0x80).  */
static int
count_work (void *ctx, size_t i)
{
  struct bp_ngramparts *ps = ctx;
  ps->count[i] = 0;
  return ps->kp.whole[i] ? 0 : ps->ops->count_part (ps, i, &ps->count[i]);
}

/* The parts of the count file of the n-grams of the N runs R of C's
   path (borrowed until parts_free), with the number of their n-grams
   in *NGRAMS, counted on NTHREADS threads.  Returns 0 with a new object
   in *OUT, or a negative code with ERR filled.  */
static int
parts_new (const struct bp_ngramcore *c, const struct run *r, size_t n,
           int nthreads, struct bp_ngramparts **out, size_t *ngrams,
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
  ps->ops = c->ops;
  ps->order = (size_t) c->order;
  /* Each run cut by first byte, the top byte of a window's first
     word.  */
  for (size_t i = 0; i < n; i++)
    {
      struct bp_ngramparts_run *br = &ps->runs[ps->nruns++];
      const char *v = r[i].v;
      size_t lo = 0;
      br->v = v;
      for (unsigned b = 0; b < 256; b++)
        {
          size_t hi = r[i].n;
          while (lo < hi)
            {
              size_t mid = lo + (hi - lo) / 2;
              if ((*(const uint64_t *) (v + mid * c->elem) >> 56) < b)
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
      parts_free (ps);
      return bp_ngramrun_error (rc, err);
    }
  *ngrams = 0;
  for (size_t i = 0; i < BP_COUNTPARTS; i++)
    *ngrams += ps->count[i];
  *out = ps;
  return 0;
}

int
bp_ngramcore_write (struct bp_ngramcore *const *c, size_t n,
                    const struct bp_counts_header *h, FILE *f,
                    const struct bp_stage_progress *progress,
                    struct bp_error *err)
{
  const struct bp_ngramcore_ops *ops = c[0]->ops;
  const size_t sb = slice_bytes (ops);
  struct bp_counts_header hh = *h;
  struct bp_spill *spill = c[0]->spill;
  struct bp_budget runs = bp_budget_of (0);
  size_t nruns = 0;
  int rc;

  hh.kind = BP_COUNTS_NGRAMS;
  hh.order = c[0]->order;
  hh.total = 0;
  for (size_t i = 0; i < n; i++)
    {
      if ((rc = bp_ngramcore_finish (c[i], err)))
        return rc;
      if (ckd_add (&hh.total, hh.total, c[i]->total))
        return bp_ngramrun_error (BP_ERANGE, err);
      if (!c[i]->spill)
        spill = NULL;
      /* The counters' shares together, the runs reserved.  */
      struct bp_budget b = c[i]->budget;
      bp_budget_release (&b, c[i]->fixed);
      bp_budget_add (&runs, &b);
      nruns += c[i]->nruns;
    }

  /* Every counter's runs, and how many n-grams they make.  */
  struct run *all = calloc (nruns ? nruns : 1, sizeof *all);
  struct bp_ngramparts *ps = NULL;
  size_t e = 0;
  if (!all)
    return bp_error_errno (err, ENOMEM);
  nruns = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < c[i]->nruns; j++)
      all[nruns++] = c[i]->runs[j];
  if ((rc = parts_new (c[0], all, nruns, (int) n, &ps, &e, err)))
    goto done;

  /* In memory if that is within the budget (the runs and the expansion,
     then the expansion and its sort) and nothing was spilled yet.  */
  if (!spill
      || (bp_spill_runs (spill) == 0
          && !bp_budget_over (&runs, e * ops->gram_bytes)
          && e <= runs.limit / sb))
    {
      const struct bp_stage stage = { .kind = BP_STAGE_WRITE, .items = e,
                                      .total = e };
      bp_stage_begin (progress, &stage);
      rc = bp_countparts_write (&hh, f, (int) n, ops->make_part, ps,
                                ps->count, progress, err);
      bp_stage_end (progress);
      if (rc && rc != BP_EIO)
        rc = bp_ngramrun_error (rc, err);
    }
  else
    {
      size_t slice = bp_budget_room (&runs) / sb;
      if (slice < MIN_SLICE)
        slice = MIN_SLICE;
      parts_free (ps);
      ps = NULL;
      rc = ops->spill (all, nruns, (size_t) hh.order, slice, spill,
                       progress, err);
      for (size_t i = 0; i < n; i++)
        bp_ngramcore_free_runs (c[i]);
      if (rc == 0)
        rc = bp_spill_merge (spill, &hh, f, err);
    }

done:
  parts_free (ps);
  free (all);
  for (size_t i = 0; i < n; i++)
    bp_ngramcore_free_runs (c[i]);
  return rc;
}
