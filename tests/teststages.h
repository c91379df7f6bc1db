/* SPDX-License-Identifier: Apache-2.0 */
/* A recorder of the stages the library reports (readprog.h), for the unit
   tests of the modules that report them (check_countmerge, check_spill,
   check_prune): what began, with what measure, how far each got, and
   whether the calls were well formed.  The calls may come from worker
   threads, so they are recorded under a lock and checked by the test
   in its own thread afterwards.  */
#ifndef BP_TESTSTAGES_H
#define BP_TESTSTAGES_H

#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "readprog.h"

enum { REC_STAGES = 512, REC_DEPTH = 8 };

struct rec_stage
{
  struct bp_stage s;
  uint64_t most;      /* the largest DONE told */
  int ended;
};

struct stage_rec
{
  pthread_mutex_t lock;
  struct rec_stage v[REC_STAGES];
  size_t n;
  size_t open[REC_DEPTH];
  int depth;
  int faults;         /* an advance or end outside a stage, too deep,
                         past the total, too many stages */
  struct bp_stage_progress cb;
};

static inline void
rec_begin (void *ctx, const struct bp_stage *s)
{
  struct stage_rec *r = ctx;
  pthread_mutex_lock (&r->lock);
  if (r->n == REC_STAGES || r->depth == REC_DEPTH)
    r->faults++;
  else
    {
      r->v[r->n] = (struct rec_stage) { *s, 0, 0 };
      r->open[r->depth++] = r->n++;
    }
  pthread_mutex_unlock (&r->lock);
}

static inline void
rec_advance (void *ctx, uint64_t done)
{
  struct stage_rec *r = ctx;
  pthread_mutex_lock (&r->lock);
  if (r->depth == 0)
    r->faults++;
  else
    {
      struct rec_stage *t = &r->v[r->open[r->depth - 1]];
      if (t->s.total && done > t->s.total)
        r->faults++;
      if (done > t->most)
        t->most = done;
    }
  pthread_mutex_unlock (&r->lock);
}

static inline void
rec_end (void *ctx)
{
  struct stage_rec *r = ctx;
  pthread_mutex_lock (&r->lock);
  if (r->depth == 0)
    r->faults++;
  else
    r->v[r->open[--r->depth]].ended = 1;
  pthread_mutex_unlock (&r->lock);
}

/* Start R afresh; R->cb is what to give the library.  */
static inline void
rec_init (struct stage_rec *r)
{
  memset (r, 0, sizeof *r);
  pthread_mutex_init (&r->lock, NULL);
  r->cb = (struct bp_stage_progress) { rec_begin, rec_advance, rec_end, r };
}

/* Every stage of R ended, with no fault, and each that had a measure
   got to its end.  */
static inline void
rec_check (struct stage_rec *r)
{
  ck_assert_int_eq (r->faults, 0);
  ck_assert_int_eq (r->depth, 0);
  for (size_t i = 0; i < r->n; i++)
    {
      ck_assert_msg (r->v[i].ended, "stage %zu did not end", i);
      ck_assert_msg (r->v[i].most == r->v[i].s.total,
                     "stage %zu (kind %d) got to %llu of %llu", i,
                     (int) r->v[i].s.kind,
                     (unsigned long long) r->v[i].most,
                     (unsigned long long) r->v[i].s.total);
    }
  pthread_mutex_destroy (&r->lock);
}

/* How many stages of KIND R holds.  */
static inline size_t
rec_count (const struct stage_rec *r, enum bp_stage_kind kind)
{
  size_t k = 0;
  for (size_t i = 0; i < r->n; i++)
    k += r->v[i].s.kind == kind;
  return k;
}

#endif /* BP_TESTSTAGES_H */
