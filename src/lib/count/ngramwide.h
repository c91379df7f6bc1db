/* SPDX-License-Identifier: Apache-2.0 */
/* Counting byte n-grams of orders above BP_PACKED_ORDER: the general
   path of the n-gram counter (ngramcount.h, whose functions hand a
   counter of such an order over to these).  The algorithm is the fast
   path's, on windows packed in BP_NGRAM_WORDS (ORDER) words
   (ngramkey.h) instead of one: windows buffered, sorted (a radix sort
   word by word, least significant first) and run-length counted into
   sorted runs, runs merged pairwise, and at the end the n-grams
   expanded from the sorted windows, sorted by escaped key and written,
   in parts on threads in memory or through the spill past a budget.
   An expanded n-gram points into the window it is a prefix of, so it
   takes the same memory whatever the order.  The outputs are those of
   any other way of counting: the same for every -j and -S.

   Costs, per window (a position of the input, the distinct ones kept):
   8 * (BP_NGRAM_WORDS (ORDER) + 1) bytes in a run, against 16 on the
   fast path; while buffered, 8 * BP_NGRAM_WORDS (ORDER) + 24.  The
   output holds up to ORDER n-grams per window.

   Ownership: as ngramcount.h.  */
#ifndef BP_NGRAMWIDE_H
#define BP_NGRAMWIDE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bp_budget;
struct bp_counts_header;
struct bp_error;
struct bp_spill;
struct bp_stage_progress;

struct bp_ngramwide;

/* A new counter for n-grams of lengths 1..ORDER (BP_PACKED_ORDER <
   ORDER <= BP_MAX_ORDER), buffering BATCH windows (0: a default).
   Returns NULL if out of memory or ORDER is out of range.  */
struct bp_ngramwide *bp_ngramwide_new (int order, size_t batch);

void bp_ngramwide_free (struct bp_ngramwide *c);

/* As the bp_ngram_counter_* functions of the same names.  */
void bp_ngramwide_budget (struct bp_ngramwide *c,
                          const struct bp_budget *share,
                          struct bp_spill *spill);
int bp_ngramwide_add (struct bp_ngramwide *c, const uint8_t *text,
                      size_t len, struct bp_error *err);
int bp_ngramwide_finish (struct bp_ngramwide *c, struct bp_error *err);
uint64_t bp_ngramwide_total (const struct bp_ngramwide *c);
int bp_ngramwide_write (struct bp_ngramwide *const *c, size_t n,
                        const struct bp_counts_header *h, FILE *f,
                        const struct bp_stage_progress *progress,
                        struct bp_error *err);

#endif /* BP_NGRAMWIDE_H */
