/* SPDX-License-Identifier: Apache-2.0 */
/* Counting byte n-grams; see ngramcount.h.  */
#include <config.h>
#include "ngramcount.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "counts.h"
#include "error.h"
#include "keysort.h"
#include "ngramkey.h"
#include "ngramrun.h"
#include "ngramwide.h"
#include "spill.h"
#include "system.h"

enum
{
  MAX_RUNS = 64,
  DEFAULT_BATCH = 1 << 21,
  MIN_BATCH = 256,
  MIN_SLICE = 1024,
  /* Room for a few runs, whatever the budget.  */
  MIN_RUN_BYTES = MIN_BATCH * sizeof (struct kc)
};

struct bp_ngram_counter
{
  int order;
  uint64_t *win, *tmp;      /* buffered windows, and sort scratch */
  size_t nwin, cap;
  struct run runs[MAX_RUNS];
  size_t nruns;
  uint64_t total;
  /* The memory of the runs is reserved from BUDGET; with a spill, that
     is the counter's share, less FIXED for the window buffer and the
     n-grams of a slice.  */
  struct bp_budget budget;
  size_t fixed, slice;
  struct bp_spill *spill;   /* where runs go past the budget, or NULL */
  /* Orders above BP_PACKED_ORDER: the general path does everything.  */
  struct bp_ngramwide *wide;
};

struct bp_ngram_counter *
bp_ngram_counter_new (int order, size_t batch)
{
  if (order < 1 || order > BP_MAX_ORDER)
    return NULL;
  struct bp_ngram_counter *c = calloc (1, sizeof *c);
  if (!c)
    return NULL;
  c->order = order;
  if (order > BP_PACKED_ORDER)
    {
      if (!(c->wide = bp_ngramwide_new (order, batch)))
        {
          free (c);
          return NULL;
        }
      return c;
    }
  c->cap = batch ? batch : DEFAULT_BATCH;
  c->win = malloc (c->cap * sizeof *c->win);
  c->tmp = malloc (c->cap * sizeof *c->tmp);
  if (!c->win || !c->tmp)
    {
      bp_ngram_counter_free (c);
      return NULL;
    }
  return c;
}

static void
free_runs (struct bp_ngram_counter *c)
{
  for (size_t i = 0; i < c->nruns; i++)
    {
      bp_budget_release (&c->budget, c->runs[i].n * sizeof *c->runs[i].v);
      free (c->runs[i].v);
    }
  c->nruns = 0;
}

static void
free_windows (struct bp_ngram_counter *c)
{
  free (c->win);
  free (c->tmp);
  c->win = c->tmp = NULL;
  c->cap = c->nwin = 0;
}

void
bp_ngram_counter_free (struct bp_ngram_counter *c)
{
  if (!c)
    return;
  free_windows (c);
  free_runs (c);
  bp_ngramwide_free (c->wide);
  free (c);
}

uint64_t
bp_ngram_counter_total (const struct bp_ngram_counter *c)
{
  return c->wide ? bp_ngramwide_total (c->wide) : c->total;
}

/* ------------------------------------------------------------------ */
/* Counting.  */

void
bp_ngram_counter_budget (struct bp_ngram_counter *c,
                         const struct bp_budget *share,
                         struct bp_spill *spill)
{
  if (c->wide)
    {
      bp_ngramwide_budget (c->wide, share, spill);
      return;
    }
  size_t limit = share->limit;
  bp_budget_release (&c->budget, c->fixed);
  c->budget.limit = 0;
  c->fixed = 0;
  c->spill = NULL;
  if (!limit || !spill)
    return;
  /* An eighth for the window buffer, a quarter for a slice's expansion
     and sort, the rest for the runs; at least a little of each.  */
  size_t cap = limit / 8 / (2 * sizeof *c->win);
  if (cap < MIN_BATCH)
    cap = MIN_BATCH;
  if (cap < c->cap && c->nwin <= cap)
    {
      /* Shrinking: a failure leaves a larger block, which is as good.  */
      uint64_t *w = realloc (c->win, cap * sizeof *w);
      if (w)
        c->win = w;
      uint64_t *t = realloc (c->tmp, cap * sizeof *t);
      if (t)
        c->tmp = t;
      c->cap = cap;
    }
  c->slice = limit / 4 / BP_NGRAMRUN_SLICE_BYTES;
  if (c->slice < MIN_SLICE)
    c->slice = MIN_SLICE;
  c->fixed = 2 * c->cap * sizeof *c->win + c->slice * BP_NGRAMRUN_SLICE_BYTES;
  /* A share too small for that goes to the runs (the buffer and the
     slice then pass it).  */
  if (limit < c->fixed + MIN_RUN_BYTES)
    c->fixed = limit > MIN_RUN_BYTES ? limit - MIN_RUN_BYTES : 0;
  c->budget.limit = limit;
  bp_budget_reserve (&c->budget, c->fixed);
  c->spill = spill;
}

/* Merge two sorted runs into a new one, adding the counts of equal keys.
   Frees neither.  Returns 0, BP_ENOMEM or BP_ERANGE.  */
static int
merge_runs (const struct run *a, const struct run *b, struct run *out)
{
  struct kc *v = malloc ((a->n + b->n ? a->n + b->n : 1) * sizeof *v);
  size_t i = 0, j = 0, k = 0;
  if (!v)
    return BP_ENOMEM;
  while (i < a->n && j < b->n)
    {
      if (a->v[i].key < b->v[j].key)
        v[k++] = a->v[i++];
      else if (a->v[i].key > b->v[j].key)
        v[k++] = b->v[j++];
      else
        {
          v[k] = a->v[i++];
          if (ckd_add (&v[k].count, v[k].count, b->v[j++].count))
            {
              free (v);
              return BP_ERANGE;
            }
          k++;
        }
    }
  while (i < a->n)
    v[k++] = a->v[i++];
  while (j < b->n)
    v[k++] = b->v[j++];
  /* Give back what the duplicates saved.  */
  struct kc *shrunk = realloc (v, (k ? k : 1) * sizeof *v);
  out->v = shrunk ? shrunk : v;
  out->n = k;
  return 0;
}

/* Merge the two newest runs into one.  */
static int
merge_top (struct bp_ngram_counter *c)
{
  struct run m;
  struct run *a = &c->runs[c->nruns - 2], *b = &c->runs[c->nruns - 1];
  int rc = merge_runs (a, b, &m);
  if (rc)
    return rc;
  bp_budget_release (&c->budget, (a->n + b->n - m.n) * sizeof *m.v);
  free (a->v);
  free (b->v);
  *a = m;
  b->v = NULL;
  c->nruns--;
  return 0;
}

/* Would MORE bytes of runs pass the budget?  */
static int
over (const struct bp_ngram_counter *c, size_t more)
{
  return c->spill && bp_budget_over (&c->budget, more);
}

/* Write the runs out and start again empty.  */
static int
spill_all (struct bp_ngram_counter *c, struct bp_error *err)
{
  int rc = bp_ngramrun_spill (c->runs, c->nruns, (size_t) c->order,
                              c->slice, c->spill, NULL, err);
  free_runs (c);
  return rc;
}

/* Push run R, keeping each run at least twice the size of the next
   newer one, so there are O(log n) runs and each window is merged
   O(log n) times.  Under a limit, runs that cannot be merged within it
   are spilled instead.  */
static int
push_run (struct bp_ngram_counter *c, struct run r, struct bp_error *err)
{
  int rc;
  if (c->nruns == MAX_RUNS)
    {
      rc = c->spill ? spill_all (c, err) : merge_top (c);
      if (rc)
        {
          free (r.v);
          return c->spill ? rc : bp_ngramrun_error (rc, err);
        }
    }
  c->runs[c->nruns++] = r;
  bp_budget_reserve (&c->budget, r.n * sizeof *r.v);
  while (c->nruns >= 2
         && c->runs[c->nruns - 1].n * 2 > c->runs[c->nruns - 2].n)
    {
      size_t merged = (c->runs[c->nruns - 1].n + c->runs[c->nruns - 2].n)
                      * sizeof (struct kc);
      if (over (c, merged))
        break;
      if ((rc = merge_top (c)))
        return bp_ngramrun_error (rc, err);
    }
  return 0;
}

/* Sort and count the buffered windows into a new run.  */
static int
flush_windows (struct bp_ngram_counter *c, struct bp_error *err)
{
  size_t n = c->nwin, distinct = 0;
  int rc;
  if (n == 0)
    return 0;
  bp_keysort_radix (c->win, NULL, c->tmp, NULL, n);
  for (size_t i = 0; i < n; i++)
    distinct += i == 0 || c->win[i] != c->win[i - 1];
  if (over (c, distinct * sizeof (struct kc)) && (rc = spill_all (c, err)))
    return rc;
  struct run r = { malloc (distinct * sizeof *r.v), 0 };
  if (!r.v)
    return bp_error_errno (err, ENOMEM);
  for (size_t i = 0; i < n; i++)
    {
      if (r.n && r.v[r.n - 1].key == c->win[i])
        r.v[r.n - 1].count++;
      else
        r.v[r.n++] = (struct kc) { c->win[i], 1 };
    }
  c->nwin = 0;
  return push_run (c, r, err);
}

int
bp_ngram_counter_add (struct bp_ngram_counter *c, const uint8_t *text,
                      size_t len, struct bp_error *err)
{
  if (c->wide)
    return bp_ngramwide_add (c->wide, text, len, err);
  const size_t order = (size_t) c->order;
  /* The top ORDER bytes of a big-endian load, and the length.  */
  const uint64_t mask = ~(uint64_t) 0 << (64 - 8 * order);
  size_t i = 0;
  int rc;

  c->total += len;
  while (i < len)
    {
      if (c->nwin == c->cap && (rc = flush_windows (c, err)))
        return rc;
      size_t stop = c->nwin + (len - i);
      if (stop > c->cap)
        stop = c->cap;
      uint64_t *w = c->win;
      size_t k = c->nwin;
      /* Whole 8-byte loads while they stay inside the chunk.  */
      for (; k < stop && i + 8 <= len; k++, i++)
        w[k] = (bp_ngram_load_be64 (text + i) & mask) | order;
      for (; k < stop; k++, i++)
        {
          size_t m = len - i < order ? len - i : order;
          w[k] = bp_ngram_pack (text + i, m);
        }
      c->nwin = k;
    }
  return 0;
}

int
bp_ngram_counter_finish (struct bp_ngram_counter *c, struct bp_error *err)
{
  if (c->wide)
    return bp_ngramwide_finish (c->wide, err);
  int rc = flush_windows (c, err);
  if (rc == 0)
    free_windows (c);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Writing.  */

int
bp_ngram_counter_write (struct bp_ngram_counter *const *c, size_t n,
                        const struct bp_counts_header *h, FILE *f,
                        const struct bp_stage_progress *progress,
                        struct bp_error *err)
{
  struct bp_counts_header hh = *h;
  struct bp_spill *spill = c[0]->spill;
  struct bp_budget runs = bp_budget_of (0);
  size_t nruns = 0;
  int rc;

  if (c[0]->wide)
    {
      struct bp_ngramwide **w = malloc ((n ? n : 1) * sizeof *w);
      if (!w)
        return bp_error_errno (err, ENOMEM);
      for (size_t i = 0; i < n; i++)
        w[i] = c[i]->wide;
      rc = bp_ngramwide_write (w, n, h, f, progress, err);
      free (w);
      return rc;
    }
  hh.kind = BP_COUNTS_NGRAMS;
  hh.order = c[0]->order;
  hh.total = 0;
  for (size_t i = 0; i < n; i++)
    {
      if ((rc = bp_ngram_counter_finish (c[i], err)))
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
  size_t e;
  if (!all)
    return bp_error_errno (err, ENOMEM);
  nruns = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < c[i]->nruns; j++)
      all[nruns++] = c[i]->runs[j];
  if ((rc = bp_ngramparts_new (all, nruns, (int) n, &ps, &e, err)))
    goto done;

  /* In memory if that is within the budget (the runs and the expansion,
     then the expansion and its sort) and nothing was spilled yet.  */
  if (!spill
      || (bp_spill_runs (spill) == 0
          && !bp_budget_over (&runs, e * sizeof (struct kc))
          && e <= runs.limit / BP_NGRAMRUN_SLICE_BYTES))
    rc = bp_ngramparts_write (ps, &hh, f, (int) n, progress, err);
  else
    {
      size_t slice = bp_budget_room (&runs) / BP_NGRAMRUN_SLICE_BYTES;
      if (slice < MIN_SLICE)
        slice = MIN_SLICE;
      bp_ngramparts_free (ps);
      ps = NULL;
      rc = bp_ngramrun_spill (all, nruns, (size_t) hh.order, slice, spill,
                              progress, err);
      for (size_t i = 0; i < n; i++)
        free_runs (c[i]);
      if (rc == 0)
        rc = bp_spill_merge (spill, &hh, f, err);
    }

done:
  bp_ngramparts_free (ps);
  free (all);
  for (size_t i = 0; i < n; i++)
    free_runs (c[i]);
  return rc;
}
