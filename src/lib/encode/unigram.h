/* SPDX-License-Identifier: Apache-2.0 */
/* The unigram segmenter: the best segmentation of a chunk under a model's
   piece probabilities (Viterbi), or a segmentation drawn exactly from the
   distribution p(seg) ~ prod p(piece)^alpha (DESIGN.md section 1.6).

   Scores are BytePiece's, bit for bit: a piece scores log(count) -
   log(total) in IEEE doubles with the C library's log(); a path scores
   the left-to-right sum of its pieces.  Ties go to the piece that starts
   earliest (the longest one ending at a position), as in the reference,
   whose Aho-Corasick automaton reports the longest match first and whose
   comparison is a strict '>'.

   Like the reference, the segmenter runs an Aho-Corasick automaton
   (automaton.h) over the chunk, one transition per byte; the pieces that
   end at a position are the candidates of the automaton's state, a chain
   longest first, and each is compared with '>' against the best path so
   far.
   This module keeps only what the automaton does not know: the scores,
   the Viterbi and the sampling.

   Long chunks are segmented as a stream: once every path that could still
   be the best passes through one position, everything before it is
   final and handed out, so memory stays bounded in practice.

   Ownership: bp_unigram_new returns a new, immutable segmenter model that
   threads may share; it keeps a pointer to the struct bp_model, which must
   outlive it.  bp_segmenter_new returns per-thread working state.  Both
   are freed with their _free function.  */
#ifndef BP_UNIGRAM_H
#define BP_UNIGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

struct bp_model;
struct bp_error;
struct bp_automaton;

/* A vector of piece indices (0-based: id - 3).  */
struct bp_pieces
{
  uint32_t *v;
  size_t len, cap;
};

void bp_pieces_free (struct bp_pieces *p);

/* A piece as the segmenter reads it, by the automaton's rank: its
   score, its length, and where its shorter candidates are in the
   unigram's TAIL.  */
struct bp_unigram_piece
{
  double score;
  uint32_t len;
  uint32_t tail : 31;   /* the list of the shorter candidates in TAIL */
  uint32_t more : 1;    /* the list has more than three pieces */
};

/* The candidates of a state are its output's piece, then the pieces
   that are suffixes of that one, longest first: the chain of the
   automaton's NEXT, which always ends with a single byte.  Following
   the chain would make each load wait for the one before; the segmenter
   reads lists instead, where one load gives the addresses of all the
   pieces' scores.  The list of a piece R, at TAIL + PIECE[R].TAIL, is
   the chain from NEXT[R] on (from R itself if it has no NEXT), in
   reverse, as ranks: the single byte first, at a place that does not
   move, so that the Viterbi can keep it for last (unigram.c); then
   the rank NONE (model->n), after padding with NONE to at least three
   pieces, so that the first three are read without a test of the end.
   Pieces with the same NEXT share a list: only a third of the pieces
   begin one, which costs about two entries a piece where a list for
   each piece would cost five.  */
struct bp_unigram
{
  const struct bp_model *model;
  struct bp_automaton *ac;
  struct bp_unigram_piece *piece;   /* by the automaton's rank; entry
                                       model->n, NONE, after the pieces,
                                       has score -inf and length 1 */
  int32_t *tail;                    /* the lists */
  size_t ntail;                     /* entries of TAIL */
  size_t max_len;
};

/* Prepare model M for segmenting.  Every single byte must be a piece, so
   that every byte string has a segmentation; BP_EFORMAT otherwise (ERR
   names the byte), or BP_ENOMEM.  Returns NULL on failure.  */
struct bp_unigram *bp_unigram_new (const struct bp_model *m,
                                   struct bp_error *err);

void bp_unigram_free (struct bp_unigram *u);

struct bp_segmenter;

struct bp_segmenter *bp_segmenter_new (const struct bp_unigram *u);

void bp_segmenter_free (struct bp_segmenter *s);

/* Begin a chunk.  ALPHA < 0 asks for the best segmentation; ALPHA >= 0
   samples with probability proportional to prod p(piece)^ALPHA using RNG
   (ALPHA 0 is uniform over all segmentations).  RNG is used only while
   the chunk is fed and may be NULL when ALPHA < 0.  */
void bp_segmenter_start (struct bp_segmenter *s, double alpha,
                         struct bp_rng *rng);

/* Feed the next N bytes of the chunk; LAST if the chunk ends with them.
   Appends to OUT the pieces that are final so far (all of them when LAST
   is set).  Returns 0, BP_ENOMEM, or BP_ERANGE when sampling with an
   ALPHA so large that the weights overflow (the chunk is abandoned).  */
int bp_segmenter_feed (struct bp_segmenter *s, const uint8_t *text, size_t n,
                       int last, struct bp_pieces *out);

/* The same for a whole chunk of N bytes, just started, that the
   automaton has walked already: RANK[k] is the output of its state after
   byte k, from the root (bp_automaton_walk, bp_automaton_walk_many).
   Appends all the chunk's pieces to OUT, as bp_segmenter_feed with LAST
   does.  */
int bp_segmenter_feed_ranks (struct bp_segmenter *s, const int32_t *rank,
                             size_t n, struct bp_pieces *out);

/* Segment the whole string TEXT (N bytes) for the best path, appending
   to OUT: the same as start, then feed with LAST.  */
int bp_segment_best (struct bp_segmenter *s, const uint8_t *text, size_t n,
                     struct bp_pieces *out);

#endif /* BP_UNIGRAM_H */
