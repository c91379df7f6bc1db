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
#include "ngramcore.h"
#include "ngramkey.h"
#include "ngramrun.h"
#include "ngramwide.h"
#include "spill.h"
#include "system.h"

enum
{
  DEFAULT_BATCH = 1 << 21
};

struct bp_ngram_counter
{
  /* The fast path's runs and budget, CORE.NWIN windows buffered in WIN
     (TMP for the sort), CORE.CAP of room.  First: the operations get
     the counter from it.  */
  struct bp_ngramcore core;
  uint64_t *win, *tmp;
  /* Orders above BP_PACKED_ORDER: the general path does everything.  */
  struct bp_ngramwide *wide;
};

static const struct bp_ngramcore_ops fast_ops;

struct bp_ngram_counter *
bp_ngram_counter_new (int order, size_t batch)
{
  if (order < 1 || order > BP_MAX_ORDER)
    return NULL;
  struct bp_ngram_counter *c = calloc (1, sizeof *c);
  if (!c)
    return NULL;
  if (order > BP_PACKED_ORDER)
    {
      if (!(c->wide = bp_ngramwide_new (order, batch)))
        {
          free (c);
          return NULL;
        }
      return c;
    }
  c->core.ops = &fast_ops;
  c->core.order = order;
  c->core.elem = sizeof (struct kc);
  c->core.window_bytes = 2 * sizeof *c->win;
  c->core.cap = batch ? batch : DEFAULT_BATCH;
  c->win = malloc (c->core.cap * sizeof *c->win);
  c->tmp = malloc (c->core.cap * sizeof *c->tmp);
  if (!c->win || !c->tmp)
    {
      bp_ngram_counter_free (c);
      return NULL;
    }
  return c;
}

static void
free_windows (struct bp_ngramcore *core)
{
  struct bp_ngram_counter *c = (struct bp_ngram_counter *) core;
  free (c->win);
  free (c->tmp);
  c->win = c->tmp = NULL;
  core->cap = core->nwin = 0;
}

/* The counter's runs and budget, on either path.  */
static struct bp_ngramcore *
core_of (struct bp_ngram_counter *c)
{
  return c->wide ? bp_ngramwide_core (c->wide) : &c->core;
}

void
bp_ngram_counter_free (struct bp_ngram_counter *c)
{
  if (!c)
    return;
  free_windows (&c->core);
  bp_ngramcore_free_runs (&c->core);
  bp_ngramwide_free (c->wide);
  free (c);
}

uint64_t
bp_ngram_counter_total (const struct bp_ngram_counter *c)
{
  return c->wide ? bp_ngramwide_core (c->wide)->total : c->core.total;
}

/* ------------------------------------------------------------------ */
/* Counting.  */

void
bp_ngram_counter_budget (struct bp_ngram_counter *c,
                         const struct bp_budget *share,
                         struct bp_spill *spill)
{
  bp_ngramcore_budget (core_of (c), share, spill);
}

/* Shrink the window buffer to CAP windows.  */
static void
shrink (struct bp_ngramcore *core, size_t cap)
{
  struct bp_ngram_counter *c = (struct bp_ngram_counter *) core;
  if (core->nwin > cap)
    return;
  /* A failure leaves a larger block, which is as good.  */
  uint64_t *w = realloc (c->win, cap * sizeof *w);
  if (w)
    c->win = w;
  uint64_t *t = realloc (c->tmp, cap * sizeof *t);
  if (t)
    c->tmp = t;
  core->cap = cap;
}

/* Merge two sorted runs into a new one, adding the counts of equal keys.
   Frees neither.  Returns 0, BP_ENOMEM or BP_ERANGE.  */
static int
merge_runs (const struct run *ra, const struct run *rb, size_t order,
            struct run *out)
{
  const struct kc *a = ra->v, *b = rb->v;
  const size_t an = ra->n, bn = rb->n;
  struct kc *v = malloc ((an + bn ? an + bn : 1) * sizeof *v);
  size_t i = 0, j = 0, k = 0;
  (void) order;
  if (!v)
    return BP_ENOMEM;
  while (i < an && j < bn)
    {
      if (a[i].key < b[j].key)
        v[k++] = a[i++];
      else if (a[i].key > b[j].key)
        v[k++] = b[j++];
      else
        {
          v[k] = a[i++];
          if (ckd_add (&v[k].count, v[k].count, b[j++].count))
            {
              free (v);
              return BP_ERANGE;
            }
          k++;
        }
    }
  while (i < an)
    v[k++] = a[i++];
  while (j < bn)
    v[k++] = b[j++];
  /* Give back what the duplicates saved.  */
  struct kc *shrunk = realloc (v, (k ? k : 1) * sizeof *v);
  out->v = shrunk ? shrunk : v;
  out->n = k;
  return 0;
}

/* Sort and count the buffered windows into a new run.  */
static int
flush_windows (struct bp_ngramcore *core, struct bp_error *err)
{
  struct bp_ngram_counter *c = (struct bp_ngram_counter *) core;
  size_t n = core->nwin, distinct = 0;
  struct run r;
  int rc;
  if (n == 0)
    return 0;
  bp_keysort_radix (c->win, NULL, c->tmp, NULL, n);
  for (size_t i = 0; i < n; i++)
    distinct += i == 0 || c->win[i] != c->win[i - 1];
  if ((rc = bp_ngramcore_alloc_run (core, distinct, &r, err)))
    return rc;
  struct kc *v = r.v;
  for (size_t i = 0; i < n; i++)
    {
      if (r.n && v[r.n - 1].key == c->win[i])
        v[r.n - 1].count++;
      else
        v[r.n++] = (struct kc) { c->win[i], 1 };
    }
  core->nwin = 0;
  return bp_ngramcore_push_run (core, r, err);
}

static const struct bp_ngramcore_ops fast_ops = {
  .gram_bytes = sizeof (struct kc),
  .flush = flush_windows,
  .free_windows = free_windows,
  .shrink = shrink,
  .merge = merge_runs,
  .spill = bp_ngramrun_spill,
  .count_part = bp_ngramparts_count,
  .make_part = bp_ngramparts_make
};

int
bp_ngram_counter_add (struct bp_ngram_counter *c, const uint8_t *text,
                      size_t len, struct bp_error *err)
{
  if (c->wide)
    return bp_ngramwide_add (c->wide, text, len, err);
  const size_t order = (size_t) c->core.order;
  /* The top ORDER bytes of a big-endian load, and the length.  */
  const uint64_t mask = ~(uint64_t) 0 << (64 - 8 * order);
  size_t i = 0;
  int rc;

  c->core.total += len;
  while (i < len)
    {
      if (c->core.nwin == c->core.cap
          && (rc = flush_windows (&c->core, err)))
        return rc;
      size_t stop = c->core.nwin + (len - i);
      if (stop > c->core.cap)
        stop = c->core.cap;
      uint64_t *w = c->win;
      size_t k = c->core.nwin;
      /* Whole 8-byte loads while they stay inside the chunk.  */
      for (; k < stop && i + 8 <= len; k++, i++)
        w[k] = (bp_ngram_load_be64 (text + i) & mask) | order;
      for (; k < stop; k++, i++)
        {
          size_t m = len - i < order ? len - i : order;
          w[k] = bp_ngram_pack (text + i, m);
        }
      c->core.nwin = k;
    }
  return 0;
}

int
bp_ngram_counter_finish (struct bp_ngram_counter *c, struct bp_error *err)
{
  return bp_ngramcore_finish (core_of (c), err);
}

/* ------------------------------------------------------------------ */
/* Writing.  */

int
bp_ngram_counter_write (struct bp_ngram_counter *const *c, size_t n,
                        const struct bp_counts_header *h, FILE *f,
                        const struct bp_stage_progress *progress,
                        struct bp_error *err)
{
  struct bp_ngramcore **k = malloc ((n ? n : 1) * sizeof *k);
  int rc;
  if (!k)
    return bp_error_errno (err, ENOMEM);
  for (size_t i = 0; i < n; i++)
    k[i] = core_of (c[i]);
  rc = bp_ngramcore_write (k, n, h, f, progress, err);
  free (k);
  return rc;
}
