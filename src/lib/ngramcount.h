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
   with ORDER times the input.  Separate counters (threads) can be
   combined, because counts simply add.

   Ownership: bp_ngram_counter_new returns a new counter, freed with
   bp_ngram_counter_free (which accepts NULL); arguments are borrowed.  */
#ifndef BP_NGRAMCOUNT_H
#define BP_NGRAMCOUNT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bp_counts_header;
struct bp_error;

struct bp_ngram_counter;

/* A new counter for n-grams of lengths 1..ORDER (1..BP_MAX_ORDER).
   BATCH is the number of windows buffered before sorting (0: a default).
   Returns NULL if out of memory or ORDER is out of range.  */
struct bp_ngram_counter *bp_ngram_counter_new (int order, size_t batch);

void bp_ngram_counter_free (struct bp_ngram_counter *c);

/* Count the chunk TEXT (LEN bytes).  Returns 0 or BP_ENOMEM (the chunk
   may then be partly counted; the counter can only be freed).  */
int bp_ngram_counter_add (struct bp_ngram_counter *c, const uint8_t *text,
                          size_t len);

/* Add everything counted by SRC to DST (same order) and leave SRC
   empty.  Returns 0, BP_ENOMEM or BP_ERANGE.  */
int bp_ngram_counter_absorb (struct bp_ngram_counter *dst,
                             struct bp_ngram_counter *src);

/* Bytes counted so far (the order-0 count).  */
uint64_t bp_ngram_counter_total (const struct bp_ngram_counter *c);

/* Write everything counted as a kind=ngrams count file to F, with the
   order and total filled into a copy of H.  The counter is consumed (it
   can only be freed afterwards).  Returns 0, BP_EIO (F's error),
   BP_ENOMEM, or BP_ERANGE (a count overflowed).  */
int bp_ngram_counter_write (struct bp_ngram_counter *c,
                            const struct bp_counts_header *h, FILE *f,
                            struct bp_error *err);

#endif /* BP_NGRAMCOUNT_H */
