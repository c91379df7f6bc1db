/* SPDX-License-Identifier: Apache-2.0 */
/* Pruning piece counts to tokenizer vocabularies (DESIGN.md section 1.5):
   the last training step, which turns the pieces that the n-gram model cut
   out of a corpus, with their counts, into one model per requested size,
   byte for byte as BytePiece 0.6.3's Trainer.prune_pieces does.

   Ownership: PIECES and SIZES are borrowed for the duration of the call.
   The models stored in MODELS are new; the caller sets their params and
   frees each with bp_model_free.  */
#ifndef BP_PRUNE_H
#define BP_PRUNE_H

#include <stddef.h>
#include <stdint.h>

struct bp_model;
struct bp_error;
struct bp_stage_progress;

/* One input record: a piece (LEN >= 1 bytes, NUL an ordinary byte) and
   how often the corpus was cut into it (>= 1).  */
struct bp_piece_count
{
  const uint8_t *bytes;
  size_t len;
  uint64_t count;
};

struct bp_prune_params
{
  uint64_t min_count;       /* multi-byte pieces below it are dropped */
  size_t max_piece_length;  /* pieces longer than this are dropped */
  int threads;              /* re-segmenting threads; <= 1 means one */
  int distinct;             /* the caller knows that the pieces are
                               distinct (a count file's are): do not
                               check */
  /* If not NULL, told how far the pruning goes (readprog.h): every
     re-segmenting is a stage BP_STAGE_DROP or BP_STAGE_SETTLE, in bytes
     of the pieces; the calls come from the worker threads.  */
  const struct bp_stage_progress *progress;
};

/* Prune the N distinct pieces PIECES (in any order) to vocabularies of
   the NSIZES sizes SIZES (in any order; a size counts the 3 special ids).
   On success MODELS[k] is the model for the k-th largest size (MODELS[0]
   the largest), its pieces in (length, bytes) order from id 3, with
   unknown params (-1).  The result does not depend on P->threads.

   Returns 0, or on failure a negative code with ERR filled and every
   MODELS[k] set to NULL:
     BP_EINVAL  no sizes, a size below 259 (256 bytes and the specials),
                an empty piece, a count of 0, a piece given twice (unless
                P->distinct);
     BP_ERANGE  a sum of counts does not fit in 64 bits;
     BP_ENOMEM  out of memory.
   A thread that cannot be started is not an error: its share of the work
   runs in the calling thread.  */
int bp_prune_vocab (const struct bp_piece_count *pieces, size_t n,
                    const struct bp_prune_params *p, const size_t *sizes,
                    size_t nsizes, struct bp_model **models,
                    struct bp_error *err);

#endif /* BP_PRUNE_H */
