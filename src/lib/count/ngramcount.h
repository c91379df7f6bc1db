/* SPDX-License-Identifier: Apache-2.0 */
/* Counting byte n-grams (DESIGN.md section 1.2), the first step of
   training.  Every chunk adds, for every byte position, the substrings of
   lengths 1..order that start there and fit in the chunk; the total
   counts the bytes.

   How: one window per position (the longest substring, at most ORDER
   bytes) is packed into a uint64 (ngramkey.h) and buffered; a full buffer
   is radix-sorted and run-length counted into a sorted run; runs are
   merged pairwise so that their number stays logarithmic.  The counts of
   all shorter n-grams follow at the end from the sorted windows, since the
   windows that start with a given n-gram are adjacent in sorted order.
   So the work and memory go with the number of distinct windows, not
   with ORDER times the input.  Separate counters (threads) are written
   out together, because counts simply add: in memory in parts on
   threads (ngramparts.c), or through the spill (ngramspill.c); the
   runs, their merging stream and the expansion are in ngramrun.h, and
   the bookkeeping around them, which the general path shares, in
   ngramcore.h.

   That is the fast path, for orders up to BP_PACKED_ORDER (7), where a
   window is one integer.  Higher orders (up to BP_MAX_ORDER) take the
   general path, ngramwide.h: the same algorithm on windows of several
   words, with the same outputs; the counter hands its windows over
   to it.

   With a memory budget (DESIGN.md section 4), a counter whose runs would
   pass it expands them into n-grams a slice at a time, sorts each slice
   by escaped key and writes it as a run of a spill (spill.h), then
   starts again empty.  A slice may hold part of an n-gram's windows:
   the merge adds the parts up.  The output is the same for every limit.

   Ownership: bp_ngram_counter_new returns a new counter, freed with
   bp_ngram_counter_free (which accepts NULL); arguments are borrowed, and
   the spill given to bp_ngram_counter_budget must outlive the counter.  */
#ifndef BP_NGRAMCOUNT_H
#define BP_NGRAMCOUNT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bp_budget;
struct bp_counts_header;
struct bp_error;
struct bp_spill;
struct bp_stage_progress;

struct bp_ngram_counter;

/* A new counter for n-grams of lengths 1..ORDER (1..BP_MAX_ORDER).
   BATCH is the number of windows buffered before sorting (0: a default).
   Returns NULL if out of memory or ORDER is out of range.  */
struct bp_ngram_counter *bp_ngram_counter_new (int order, size_t batch);

void bp_ngram_counter_free (struct bp_ngram_counter *c);

/* Keep the memory of C within about the budget SHARE (its window
   buffer, its runs and the work of spilling them), spilling to SPILL,
   whose header is that of the n-gram counts (BP_COUNTS_NGRAMS, this
   order).  Call it before counting; the window buffer may shrink.  A
   share without a limit, or SPILL NULL: no limit.  */
void bp_ngram_counter_budget (struct bp_ngram_counter *c,
                              const struct bp_budget *share,
                              struct bp_spill *spill);

/* Count the chunk TEXT (LEN bytes).  Returns 0, or BP_ENOMEM, BP_ERANGE
   (a count overflowed) or BP_EIO (spilling failed: ERR about the
   temporary file); the chunk may then be partly counted and the counter
   can only be freed.  */
int bp_ngram_counter_add (struct bp_ngram_counter *c, const uint8_t *text,
                          size_t len, struct bp_error *err);

/* Sort what C has buffered into its tables and give the buffer back:
   counting is over.  Separate counters can be finished on separate
   threads, before bp_ngram_counter_write (which finishes any that were
   not).  Returns as bp_ngram_counter_add.  */
int bp_ngram_counter_finish (struct bp_ngram_counter *c,
                             struct bp_error *err);

/* Bytes counted so far (the order-0 count).  */
uint64_t bp_ngram_counter_total (const struct bp_ngram_counter *c);

/* Write everything the N counters C[0..N) counted (all of one order,
   and with the same spill if any) as one kind=ngrams count file to F,
   with the order and the total filled into a copy of H.  If there was a
   spill, or if expanding the n-grams in memory would pass the counters'
   budgets together, the n-grams go through the spill and are merged into
   F; otherwise they are sorted in memory and written.  PROGRESS (if not
   NULL; readprog.h) is told how far that goes: a stage BP_STAGE_WRITE,
   or BP_STAGE_SPILL then the spill's merge (bp_spill_progress tells the
   spill's).  The counters are consumed (they can only be freed
   afterwards).  Returns 0, or BP_ENOMEM,
   BP_ERANGE (a count or the total overflowed; ERR's detail says so),
   BP_EIO (ERR about the output, or the temporary file that failed).  */
int bp_ngram_counter_write (struct bp_ngram_counter *const *c, size_t n,
                            const struct bp_counts_header *h, FILE *f,
                            const struct bp_stage_progress *progress,
                            struct bp_error *err);

#endif /* BP_NGRAMCOUNT_H */
