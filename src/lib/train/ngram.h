/* The byte n-gram language model of training (DESIGN.md sections 1.3 and
   1.4): building it from n-gram counts, reading it back, and the Viterbi
   pass that cuts a chunk into pieces with it, byte for byte as BytePiece
   0.6.3's Trainer (prune_ngrams, _tokenize) does.

   A model is a count file of kind=ngram-model (counts.h): the n-grams
   kept, with their counts, and the total.  The log-probabilities are
   computed when it is read, as the reference computes them: log c(g) -
   log c(g without its last byte), and log c(b) - log total for a single
   byte, each log the C library's log() of the count as a double.

   Ownership: bp_ngram_model_read and bp_ngram_seg_new return new objects,
   freed with bp_ngram_model_free and bp_ngram_seg_free.  A segmenter
   borrows its model, which must outlive it; a model may be shared by
   several segmenters (threads), each used by one thread at a time.  */
#ifndef BP_NGRAM_H
#define BP_NGRAM_H

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
int bp_ngram_prune (struct bp_counts_reader *r, uint64_t min_count,
                    FILE *out, struct bp_error *err);

struct bp_ngram_model;

/* Read a kind=ngram-model count file from F.  Returns 0 and a new model
   in *OUT, or BP_EFORMAT (bad file, another kind, an n-gram whose prefix
   is missing), BP_EIO, BP_ENOMEM.  */
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

/* Segmenting chunks (DESIGN.md section 1.4).  */
struct bp_ngram_seg;

/* A segmenter for model M.  With ENSURE_UNICODE no piece starts on a
   UTF-8 continuation byte (0x80..0xBF).  Returns NULL if out of memory.  */
struct bp_ngram_seg *bp_ngram_seg_new (const struct bp_ngram_model *m,
                                       int ensure_unicode);

void bp_ngram_seg_free (struct bp_ngram_seg *s);

/* Cut the chunk TEXT (LEN bytes) into pieces: *ENDS receives the end
   offset of each piece, in order (the last is LEN), and *N their number
   (0 for an empty chunk).  The array belongs to S and is valid until its
   next use.  Returns 0 or BP_ENOMEM.

   The Viterbi follows the reference exactly, including what it does when
   every path has become impossible (a byte sequence the model has not
   kept): numpy's argmax then picks state 0, so from there on every byte
   is a piece of its own.  */
int bp_ngram_segment (struct bp_ngram_seg *s, const uint8_t *text,
                      size_t len, const size_t **ends, size_t *n);

#endif /* BP_NGRAM_H */
