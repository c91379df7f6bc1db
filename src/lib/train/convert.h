/* SPDX-License-Identifier: Apache-2.0 */
/* Models from models: what bp-prune makes of a tokenizer model, a plain
   vocabulary or piece counts once they are read.  A model is kept as it
   is at every size it fits in and pruned at the others (BytePiece's
   convert_to_bytepiece semantics: DESIGN.md 1.5 on its pieces and
   counts); pieces are pruned to every size; then the special tokens are
   added, the input model's first.

   Ownership: everything given is borrowed; the models stored in MODELS
   are new, freed with bp_model_free.  */
#ifndef BP_CONVERT_H
#define BP_CONVERT_H

#include <stddef.h>
#include <stdint.h>

struct bp_model;
struct bp_error;
struct bp_piece_count;
struct bp_stage_progress;

struct bp_convert_params
{
  uint64_t min_count;        /* pruning, as struct bp_prune_params */
  size_t max_piece_length;
  int threads;
  const size_t *sizes;       /* vocabulary sizes, largest first, each
                                counting every id: the 3 fixed ones, the
                                pieces and all special tokens */
  size_t nsizes;
  const uint8_t *const *special;   /* special tokens to add */
  const size_t *special_len;
  size_t nspecial;
  /* If not NULL, told how far the pruning goes (prune.h); the sizes of
     its stages are those of SIZES.  */
  const struct bp_stage_progress *progress;
};

/* Make one model per size of P into MODELS[0..P->nsizes): from the
   model IN (if not NULL; PIECES are then its pieces) or from the N
   distinct PIECES.  Returns 0, or on failure a negative code with ERR
   filled and no model left in MODELS: BP_EINVAL (a size too small for
   the 256 bytes and the special tokens, a bad special token: ERR says
   which), the codes of bp_prune_vocab.  The models' params are IN's, or
   unknown.  */
int bp_convert (const struct bp_model *in, const struct bp_piece_count *pieces,
                size_t n, const struct bp_convert_params *p,
                struct bp_model **models, struct bp_error *err);

struct bp_counts_reader;
struct bp_buf;

/* The pieces of M (not its special tokens) as pruning takes them,
   pointing into M; a new array (free), or NULL if out of memory.  */
struct bp_piece_count *bp_convert_pieces (const struct bp_model *m);

/* Read the piece counts of R into a new array *PC (free), their bytes in
   ARENA (the caller's, to free with bp_buf_free).  Returns their number,
   or (size_t) -1 with ERR filled (the reader's errors, BP_ENOMEM).  */
size_t bp_convert_read_counts (struct bp_counts_reader *r,
                               struct bp_piece_count **pc,
                               struct bp_buf *arena, struct bp_error *err);

#endif /* BP_CONVERT_H */
