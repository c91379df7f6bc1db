/* SPDX-License-Identifier: Apache-2.0 */
/* The byte n-gram language model of training (DESIGN.md sections 1.3 and
   1.4): building it from n-gram counts (ngrambuild.c; what bp-prune -k
   does with n-gram counts, and what BytePiece 0.6.3's Trainer calls
   prune_ngrams) and reading it back into a table (ngrammodel.c).  The
   Viterbi that cuts chunks with it is ngramseg.h.

   A model is a count file of kind=ngram-model (counts.h): the n-grams
   kept, with their counts, and the total.  The log-probabilities are
   computed when it is read, as the reference computes them: log c(g) -
   log c(g without its last byte), and log c(b) - log total for a single
   byte, each log the C library's log() of the count as a double.

   Ownership: bp_ngram_model_read returns a new model, freed with
   bp_ngram_model_free; it is read-only after, so threads may share it.  */
#ifndef BP_NGRAMMODEL_H
#define BP_NGRAMMODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bp_error;
struct bp_counts_header;
struct bp_counts_reader;

/* Build the n-gram model from the kind=ngrams counts R is reading
   (DESIGN.md section 1.3) and write it to OUT: every single byte missing
   from the counts is added with count 1 (and 1 added to the total for
   each); single bytes are all kept, longer n-grams only with a count of at
   least MIN_COUNT.  Memory goes with the n-grams kept, not those read.
   Returns 0, or BP_EFORMAT (bad input: ERR's line and detail; also when
   the counts are not kind=ngrams), BP_EIO (ERR about the input, or the
   output if writing OUT failed), BP_ENOMEM, BP_ERANGE (the total
   overflows).  */
int bp_ngram_model_build (struct bp_counts_reader *r, uint64_t min_count,
                          FILE *out, struct bp_error *err);

struct bp_ngram_model;

/* Read a kind=ngram-model count file from F.  Returns 0 and a new model
   in *OUT, or BP_EFORMAT (bad file, another kind, an n-gram whose prefix
   is missing: ERR's line says where), BP_EIO, BP_ENOMEM.  */
int bp_ngram_model_read (FILE *f, struct bp_ngram_model **out,
                         struct bp_error *err);

/* bp_ngram_model_read on the file PATH, which it opens and closes.
   Returns as that, BP_EIO (errno in ERR) if PATH cannot be opened.  */
int bp_ngram_model_load (const char *path, struct bp_ngram_model **out,
                         struct bp_error *err);

void bp_ngram_model_free (struct bp_ngram_model *m);

/* The model file's header (order, min_count, normalize, ...).  */
const struct bp_counts_header *
bp_ngram_model_header (const struct bp_ngram_model *m);

/* The log-probability of the n-gram P (LEN bytes) given its prefix, or
   -INFINITY if the model does not have it.  */
double bp_ngram_model_logp (const struct bp_ngram_model *m, const uint8_t *p,
                            size_t len);

#endif /* BP_NGRAMMODEL_H */
