/* SPDX-License-Identifier: Apache-2.0 */
/* Cutting chunks into pieces with the n-gram model, the third step of
   training (DESIGN.md section 1.4): a Viterbi over byte positions and
   states, byte for byte as BytePiece 0.6.3's Trainer._tokenize.

   Ownership: bp_ngram_seg_new returns a new segmenter, freed with
   bp_ngram_seg_free.  A segmenter borrows its model, which must outlive
   it; a model may be shared by several segmenters (threads), each used
   by one thread at a time.  */
#ifndef BP_NGRAMSEG_H
#define BP_NGRAMSEG_H

#include <stddef.h>
#include <stdint.h>

struct bp_ngram_model;

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

#endif /* BP_NGRAMSEG_H */
