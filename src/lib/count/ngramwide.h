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
   any other way of counting: the same for every -j and -S.  The
   bookkeeping around the windows (runs, budget, spill, writing) is
   ngramcore.h's, shared with the fast path.

   Costs, per window (a position of the input, the distinct ones kept):
   8 * (BP_NGRAM_WORDS (ORDER) + 1) bytes in a run, against 16 on the
   fast path; while buffered, 8 * BP_NGRAM_WORDS (ORDER) + 24.  The
   output holds up to ORDER n-grams per window.

   Ownership: as ngramcount.h.  */
#ifndef BP_NGRAMWIDE_H
#define BP_NGRAMWIDE_H

#include <stddef.h>
#include <stdint.h>

struct bp_error;
struct bp_ngramcore;

struct bp_ngramwide;

/* A new counter for n-grams of lengths 1..ORDER (BP_PACKED_ORDER <
   ORDER <= BP_MAX_ORDER), buffering BATCH windows (0: a default).
   Returns NULL if out of memory or ORDER is out of range.  */
struct bp_ngramwide *bp_ngramwide_new (int order, size_t batch);

void bp_ngramwide_free (struct bp_ngramwide *c);

/* As bp_ngram_counter_add.  */
int bp_ngramwide_add (struct bp_ngramwide *c, const uint8_t *text,
                      size_t len, struct bp_error *err);

/* The runs and budget of C, which the bp_ngramcore_* functions handle
   (budget, finish, write).  */
struct bp_ngramcore *bp_ngramwide_core (struct bp_ngramwide *c);

#endif /* BP_NGRAMWIDE_H */
