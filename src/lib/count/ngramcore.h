/* SPDX-License-Identifier: Apache-2.0 */
/* What the two paths of the n-gram counter share (ngramcount.h): the
   bookkeeping around the key type.  A counter keeps sorted runs of
   windows, merged pairwise as they come and reserved from its budget,
   spilled when they would pass it; finishing sorts the last windows;
   writing sums the totals of every counter, gathers their runs and
   either writes their n-grams in parts on threads (countparts.h) or
   spills them and merges the spill.  What depends on the key type (the
   window buffer and its sort, merging two runs, expanding runs into
   n-grams) each path gives as a table of operations: the fast path
   (ngramcount.c, ngramrun.h) with windows of one word, the general path
   (ngramwide.c, ngramwiderun.h) with windows of several.

   Internal to the n-gram counter.  Ownership: a core owns its runs'
   arrays; its operations table is static; parts borrow the runs.  */
#ifndef BP_NGRAMCORE_H
#define BP_NGRAMCORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "budget.h"
#include "countparts.h"

struct bp_counts_header;
struct bp_error;
struct bp_spill;
struct bp_stage_progress;

/* A sorted run of distinct windows with their counts: N elements of the
   path's type (struct kc, or KW + 1 words), the window first.  */
struct run
{
  void *v;
  size_t n;
};

enum
{
  BP_NGRAMCORE_RUNS = 64,
  /* Windows spilled between two reports of how far spilling got.  */
  BP_NGRAM_REPORT_EVERY = 1 << 16
};

struct bp_ngramcore;
struct bp_ngramparts;

/* A path's operations.  ORDER is the counter's, which gives the key's
   words.  Merging and counting return 0, BP_ENOMEM or BP_ERANGE.  */
struct bp_ngramcore_ops
{
  /* Bytes of an expanded n-gram; a slice's also take its sort.  */
  size_t gram_bytes;
  /* Sort and count the buffered windows into a run
     (bp_ngramcore_alloc_run, bp_ngramcore_push_run).  Returns 0 or a
     negative code with ERR filled.  */
  int (*flush) (struct bp_ngramcore *c, struct bp_error *err);
  /* Give the window buffer back (CAP and NWIN become 0).  */
  void (*free_windows) (struct bp_ngramcore *c);
  /* Make the window buffer hold CAP windows, fewer than now, if the
     buffered ones allow it; a failure keeps the larger buffer.  */
  void (*shrink) (struct bp_ngramcore *c, size_t cap);
  /* Merge the runs A and B into OUT, adding the counts of equal
     windows; frees neither.  */
  int (*merge) (const struct run *a, const struct run *b, size_t order,
                struct run *out);
  /* Expand the windows of the N runs R into n-grams and write them to
     SPILL in slices of at most SLICE n-grams (at least 2 * ORDER), each
     sorted by escaped key, telling PROGRESS (readprog.h; if not NULL)
     how far that goes; the runs stay.  Returns 0 or a negative code
     with ERR filled.  */
  int (*spill) (const struct run *r, size_t n, size_t order, size_t slice,
                struct bp_spill *spill,
                const struct bp_stage_progress *progress,
                struct bp_error *err);
  /* The number of n-grams of part P of PS, all of those of its first
     byte (bp_ngramparts_new's counting pass), in *N.  */
  int (*count_part) (const struct bp_ngramparts *ps, size_t p, size_t *n);
  /* The records of part P of the bp_ngramparts CTX.  */
  bp_countparts_fn make_part;
};

/* What both paths' counters have.  A path's counter starts with it.  */
struct bp_ngramcore
{
  const struct bp_ngramcore_ops *ops;
  int order;
  size_t elem;              /* bytes of an element of a run */
  size_t window_bytes;      /* of a buffered window, with its sort */
  size_t nwin, cap;         /* windows buffered, and room */
  struct run runs[BP_NGRAMCORE_RUNS];
  size_t nruns;
  uint64_t total;
  /* The memory of the runs is reserved from BUDGET; with a spill, that
     is the counter's share, less FIXED for the window buffer and the
     n-grams of a slice.  */
  struct bp_budget budget;
  size_t fixed, slice;
  struct bp_spill *spill;   /* where runs go past the budget, or NULL */
};

/* Free the runs of C and give their memory back to its budget.  */
void bp_ngramcore_free_runs (struct bp_ngramcore *c);

/* As bp_ngram_counter_budget.  */
void bp_ngramcore_budget (struct bp_ngramcore *c,
                          const struct bp_budget *share,
                          struct bp_spill *spill);

/* A new run in *R with room for N elements (spilling the runs first if
   they would pass the budget with it).  Returns 0 or a negative code
   with ERR filled.  */
int bp_ngramcore_alloc_run (struct bp_ngramcore *c, size_t n, struct run *r,
                            struct bp_error *err);

/* Push the run R (C owns it now), keeping each run at least twice the
   size of the next newer one, so there are O(log n) runs and each
   window is merged O(log n) times.  Under a limit, runs that cannot be
   merged within it are spilled instead.  */
int bp_ngramcore_push_run (struct bp_ngramcore *c, struct run r,
                           struct bp_error *err);

/* As bp_ngram_counter_finish.  */
int bp_ngramcore_finish (struct bp_ngramcore *c, struct bp_error *err);

/* As bp_ngram_counter_write, the counters all of one path.  */
int bp_ngramcore_write (struct bp_ngramcore *const *c, size_t n,
                        const struct bp_counts_header *h, FILE *f,
                        const struct bp_stage_progress *progress,
                        struct bp_error *err);

/* ------------------------------------------------------------------ */
/* Writing in memory, in parts on threads: each part of the count file
   is the n-grams of the windows that start with its byte (a range of
   every sorted run), expanded, sorted and formatted on its own.  */

/* A run with where the windows of each first byte start.  */
struct bp_ngramparts_run
{
  const void *v;
  size_t start[257];
};

struct bp_ngramparts
{
  const struct bp_ngramcore_ops *ops;
  size_t order;
  struct bp_countparts kp;
  size_t count[BP_COUNTPARTS];  /* n-grams, for the counting pass */
  struct bp_ngramparts_run *runs;
  size_t nruns;
};

#endif /* BP_NGRAMCORE_H */
