/* SPDX-License-Identifier: Apache-2.0 */
/* Special tokens in text: with bp-encode --specials, every occurrence of
   one of the model's special tokens (model.h) becomes that token's id,
   whole, and the text between them is segmented as usual, each stretch on
   its own (as tiktoken's allowed_special and HuggingFace's added tokens
   do).  Without it they are ordinary text, so that what a user types
   cannot inject a control token.

   Matching is leftmost, then longest: at the first position where some
   special token starts, the longest one that starts there.  A special
   token holds no LF (model.h), so it never spans two chunks and this
   works inside each chunk, after normalisation; a chunk delivered in
   several spans (a long line) is followed across them.

   Ownership: bp_specials_new returns an immutable object that threads
   may share; it copies what it needs of the model.  bp_specials_seg_new
   returns per-thread state that borrows the segmenter.  Both are freed
   with their _free function.  */
#ifndef BP_SPECIALS_H
#define BP_SPECIALS_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

struct bp_model;
struct bp_pieces;
struct bp_segmenter;

struct bp_specials;

/* The special tokens of M (possibly none).  Returns NULL if out of
   memory.  */
struct bp_specials *bp_specials_new (const struct bp_model *m);

void bp_specials_free (struct bp_specials *s);

/* The length of the longest special token (0 if there is none).  */
size_t bp_specials_max_len (const struct bp_specials *s);

/* Is P (N bytes) one of the special tokens?  Returns its piece index
   (id - 3), or -1.  */
long bp_specials_lookup (const struct bp_specials *s, const uint8_t *p,
                         size_t n);

/* A segmenter that cuts its chunks at special tokens.  */
struct bp_specials_seg;

struct bp_specials_seg *bp_specials_seg_new (const struct bp_specials *s,
                                             struct bp_segmenter *seg);

void bp_specials_seg_free (struct bp_specials_seg *x);

/* Begin a chunk, as bp_segmenter_start.  */
void bp_specials_seg_start (struct bp_specials_seg *x, double alpha,
                            struct bp_rng *rng);

/* Feed the next N bytes of the chunk, LAST if it ends with them, as
   bp_segmenter_feed: appends to OUT the pieces that are final, a special
   token as its piece index.  Bytes that may begin a special token wait
   for the next call.  Returns 0 or a code of bp_segmenter_feed.  */
int bp_specials_seg_feed (struct bp_specials_seg *x, const uint8_t *text,
                          size_t n, int last, struct bp_pieces *out);

#endif /* BP_SPECIALS_H */
