/* SPDX-License-Identifier: Apache-2.0 */
/* Counting a corpus within a memory budget; see corpuscount.h.  */
#include <config.h>
#include "corpuscount.h"

#include <errno.h>
#include <stdlib.h>

#include "budget.h"
#include "chunk.h"
#include "chunkrun.h"
#include "counts.h"
#include "error.h"
#include "pool.h"
#include "ngrammodel.h"
#include "ngramseg.h"
#include "ngramcount.h"
#include "spill.h"
#include "strcount.h"

struct worker
{
  struct bp_ngram_counter *ngrams;   /* n-grams */
  struct bp_ngram_seg *seg;          /* pieces */
  struct bp_strcount *pieces;
  struct bp_error err;               /* of finishing the n-grams */
};

struct bp_corpuscount
{
  struct bp_counts_header h;
  int nw;
  struct worker *w;
  void **states;                     /* the workers, for the runner */
  struct bp_spill *spill;
  struct bp_chunker *chunker;
  struct bp_chunkrun *runner;
  uint64_t skipped;                  /* the chunker's, once it is freed */
  struct bp_error skip_first;
  const struct bp_stage_progress *progress;
};

/* Count the chunk TEXT (LEN bytes) with the worker W.  */
static int
count_chunk (struct worker *w, const uint8_t *text, size_t len,
             struct bp_error *err)
{
  if (w->ngrams)
    return bp_ngram_counter_add (w->ngrams, text, len, err);

  const size_t *ends;
  size_t n, start = 0;
  int rc = bp_ngram_segment (w->seg, text, len, &ends, &n);
  if (rc)
    return bp_error_errno (err, ENOMEM);
  for (size_t i = 0; !rc && i < n; i++)
    {
      rc = bp_strcount_add (w->pieces, text + start, ends[i] - start, 1,
                            err);
      start = ends[i];
    }
  return rc;
}

/* The runner's WORK: count every chunk of batch B.  The training cuts
   bound every chunk (BP_TRAIN_MAX_CHARS, BP_TRAIN_MAX_LFS), so each comes
   as one span and no chunk is split between batches.  */
static int
count_batch (void *w, struct bp_batch *b)
{
  for (size_t i = 0; i < b->nitems; i++)
    {
      const struct bp_batch_item *it = &b->item[i];
      int rc;
      if (it->len
          && (rc = count_chunk (w, b->text.data + it->off, it->len,
                                &b->err)))
        return rc;
    }
  return 0;
}

/* Batches small enough that a few megabytes keep every thread busy; a
   batch costs a queue operation, nothing per chunk.  */
enum { BATCH_BYTES = 256 << 10 };

int
bp_corpuscount_new (const struct bp_corpuscount_params *p,
                    struct bp_corpuscount **out)
{
  const struct bp_counts_header *h = p->header;
  int pieces = h->kind == BP_COUNTS_PIECES;

  *out = NULL;
  if ((h->kind != BP_COUNTS_NGRAMS && !pieces) || (pieces && !p->model)
      || p->workers < 1 || (p->budget && !p->temp))
    return BP_EINVAL;
  struct bp_corpuscount *t = calloc (1, sizeof *t);
  if (!t)
    return BP_ENOMEM;
  t->h = *h;
  t->h.total = 0;
  t->nw = p->workers;
  t->progress = p->progress;
  t->w = calloc ((size_t) t->nw, sizeof *t->w);
  t->states = calloc ((size_t) t->nw, sizeof *t->states);
  t->chunker = bp_chunker_new (p->chunks);
  if (!t->w || !t->states || !t->chunker
      || (p->budget && !(t->spill = bp_spill_new (p->temp, &t->h))))
    goto nomem;
  if (t->spill)
    bp_spill_progress (t->spill, p->progress);

  /* Each worker's tables get an equal share of the budget.  */
  const struct bp_budget whole = bp_budget_of (p->budget);
  const struct bp_budget share = bp_budget_share (&whole, (size_t) t->nw);
  for (int i = 0; i < t->nw; i++)
    {
      struct worker *w = &t->w[i];
      if (pieces)
        {
          w->seg = bp_ngram_seg_new (p->model, h->ensure_unicode);
          w->pieces = bp_strcount_new ();
          if (!w->seg || !w->pieces)
            goto nomem;
          bp_strcount_budget (w->pieces, &share, t->spill);
        }
      else if (!(w->ngrams = bp_ngram_counter_new (h->order, 0)))
        goto nomem;
      else
        bp_ngram_counter_budget (w->ngrams, &share, t->spill);
      t->states[i] = w;
    }
  /* No DONE: nothing is written until everything is counted.  */
  static const struct bp_chunkrun_ops ops = { .work = count_batch,
                                            .any_order = 1 };
  t->runner = bp_chunkrun_new (t->nw, t->states, &ops, NULL, BATCH_BYTES);
  if (!t->runner)
    goto nomem;
  *out = t;
  return 0;

nomem:
  bp_corpuscount_free (t);
  return BP_ENOMEM;
}

void
bp_corpuscount_free (struct bp_corpuscount *t)
{
  if (!t)
    return;
  bp_chunkrun_free (t->runner);
  bp_chunker_free (t->chunker);
  free (t->states);
  for (int i = 0; t->w && i < t->nw; i++)
    {
      bp_ngram_counter_free (t->w[i].ngrams);
      bp_ngram_seg_free (t->w[i].seg);
      bp_strcount_free (t->w[i].pieces);
    }
  free (t->w);
  bp_spill_free (t->spill);
  free (t);
}

int
bp_corpuscount_read (struct bp_corpuscount *t, int fd,
               const struct bp_read_progress *progress, struct bp_error *err)
{
  return bp_chunkrun_read (t->runner, t->chunker, fd, progress, err);
}

/* Jobs that finish the workers' n-gram counters, one each, in parallel
   (the last sort of each is as long as any).  */
static int
finish_work (void *ctx, size_t i)
{
  struct worker *w = &((struct bp_corpuscount *) ctx)->w[i];
  return bp_ngram_counter_finish (w->ngrams, &w->err);
}

int
bp_corpuscount_finish (struct bp_corpuscount *t, struct bp_error *err)
{
  if (!t->runner)
    return 0;
  int rc = bp_chunkrun_finish (t->runner, err);
  if (rc)
    return rc;
  if (t->w[0].ngrams)
    {
      static const struct bp_pool_jobs ops = { .work = finish_work };
      rc = bp_pool_run ((size_t) t->nw, t->nw, (size_t) t->nw, &ops, t);
      if (rc)
        {
          bp_error_errno (err, ENOMEM);   /* the pool could not be made */
          for (int i = 0; i < t->nw; i++)
            if (t->w[i].err.code)
              {
                *err = t->w[i].err;
                break;
              }
          return err->code;
        }
    }
  /* The threads and the reading buffers are done with: give their
     memory back before the output needs some.  */
  t->skipped = bp_chunker_skipped (t->chunker, &t->skip_first);
  bp_chunkrun_free (t->runner);
  bp_chunker_free (t->chunker);
  t->runner = NULL;
  t->chunker = NULL;
  return 0;
}

uint64_t
bp_corpuscount_skipped (const struct bp_corpuscount *t,
                        struct bp_error *first)
{
  if (t->chunker)
    return bp_chunker_skipped (t->chunker, first);
  if (t->skipped && first)
    *first = t->skip_first;
  return t->skipped;
}

int
bp_corpuscount_write (struct bp_corpuscount *t, FILE *f, struct bp_error *err)
{
  int rc;
  if ((rc = bp_corpuscount_finish (t, err)))
    return rc;
  if (t->w[0].ngrams)
    {
      struct bp_ngram_counter **c = malloc ((size_t) t->nw * sizeof *c);
      if (!c)
        return bp_error_errno (err, ENOMEM);
      for (int i = 0; i < t->nw; i++)
        c[i] = t->w[i].ngrams;
      rc = bp_ngram_counter_write (c, (size_t) t->nw, &t->h, f, t->progress,
                                   err);
      free (c);
    }
  else
    {
      struct bp_strcount **s = malloc ((size_t) t->nw * sizeof *s);
      if (!s)
        return bp_error_errno (err, ENOMEM);
      for (int i = 0; i < t->nw; i++)
        s[i] = t->w[i].pieces;
      rc = bp_strcount_write (s, (size_t) t->nw, &t->h, f, t->progress,
                              err);
      free (s);
    }
  return rc;
}

uint64_t
bp_corpuscount_runs (const struct bp_corpuscount *t)
{
  return t->spill ? bp_spill_runs (t->spill) : 0;
}
