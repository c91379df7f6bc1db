/* SPDX-License-Identifier: Apache-2.0 */
/* The encoder: a stream of spans of text (text/chunkrun.h, text/chunk.h) to
   pieces and, with a token writer, to the token stream of DESIGN.md
   section 1.7.  It owns the segmenting protocol that bp-encode and
   bp-stats share: a chunk starts the segmenter, its spans are fed in
   order, its end flushes the path; sampling (--alpha) draws each chunk
   from its own random stream, seeded by the chunk's number, so that the
   output does not depend on which thread encodes which chunk; <bos> and
   <eos> frame each document.  Where lines end is the writer's business
   (tokens.h).

   Ownership: bp_encoder_new returns per-thread state, freed with
   bp_encoder_free; the segmenter model and the writer are borrowed and
   must outlive it.  */
#ifndef BP_ENCODER_H
#define BP_ENCODER_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"
#include "unigram.h"

struct bp_tokwriter;
struct bp_batch_item;
struct bp_specials;
struct bp_specials_seg;

struct bp_encoder_opts
{
  int bos, eos;        /* <bos> before, <eos> after each document */
  double alpha;        /* < 0: the best segmentation; else sampling */
  uint64_t seed;       /* sampling: the seed of the whole run */
  const struct bp_specials *specials;   /* if not NULL: the special
                                           tokens to match in the text
                                           (bp-encode --specials,
                                           specials.h); borrowed */
};

/* One span of text as the chunker cut it.  */
struct bp_encoder_span
{
  unsigned flags;      /* BP_SPAN_* of chunk.h */
  int chunk_start;     /* the first span of its chunk */
  int doc_start;       /* the first span of its document */
  uint64_t chunk_no;   /* chunks before this one in the whole run */
};

struct bp_encoder
{
  struct bp_encoder_opts opt;
  const struct bp_unigram *u;
  struct bp_tokwriter *out;   /* NULL: pieces only */
  struct bp_segmenter *seg;
  struct bp_specials_seg *sx; /* with OPT.specials: SEG cut at them */
  struct bp_pieces pieces;    /* the pieces the last span made final */
  struct bp_rng rng;
  int32_t *rank;              /* bp_encoder_batch: the walks of a window */
  size_t *woff, *wlen;        /* ... its whole chunks, from its start */
};

/* An encoder with model U and options O, writing to OUT (which may be
   NULL: the caller reads E->pieces after each span).  Returns NULL when
   memory is exhausted.  */
struct bp_encoder *bp_encoder_new (const struct bp_unigram *u,
                                   const struct bp_encoder_opts *o,
                                   struct bp_tokwriter *out);

void bp_encoder_free (struct bp_encoder *e);

/* Encode the N bytes DATA, the span SP of the stream.  E->pieces holds
   the pieces that became final with it (0-based indices, id - 3).
   Returns 0 or a negative BP_E* code: BP_ENOMEM, or BP_ERANGE when
   sampling overflows (unigram.h).  */
int bp_encoder_span (struct bp_encoder *e, const uint8_t *data, size_t n,
                     const struct bp_encoder_span *sp);

/* Encode the N spans ITEM of a batch whose bytes are TEXT (text/chunkrun.h),
   in order, writing everything to the writer: the same as
   bp_encoder_span on each, but the automaton walks the batch's whole
   chunks several at a time (bp_automaton_walk_many), which is faster.
   E->pieces holds the last span's pieces only.  */
int bp_encoder_batch (struct bp_encoder *e, const uint8_t *text,
                      const struct bp_batch_item *item, size_t n);

#endif /* BP_ENCODER_H */
